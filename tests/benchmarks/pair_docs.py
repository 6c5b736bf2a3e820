"""Benchmark `aligner pair`: Bible chapters and textberg articles under shuffled names.

    python tests/benchmarks/pair_docs.py ../shared/gold [--drop 0.1] [--sides en-zh-Hant] [--set textberg]

Bible (set 006, the first 30,000 English verse lines): each chapter is one document, one
language in each folder (--sides: en-zh-Hans, en-zh-Hant or zh-Hans-zh-Hant, the Traditional
text made from the Simplified with OpenCC s2t), both named by a random permutation. --drop removes that share of the Chinese chapters; their
English partners must come out unpaired. Prints accuracy, wrong pairs and wall time.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from aligner.ingest.langs import convert
from aligner.pairing import pair_folders


def bible_chapters(gold: Path) -> tuple[list[str], list[str]]:
    """English and Chinese text of each chapter of set 006, in order."""
    out = []
    for side in ("src", "tgt"):
        lines = (gold / "bible" / side / "006").read_text(encoding="utf-8").splitlines()
        verses = (gold / "bible" / f"{side}.verse").read_text(encoding="utf-8").splitlines()[: len(lines)]
        chapters: dict[str, list[str]] = {}
        for line, verse in zip(lines, verses, strict=True):
            chapters.setdefault(verse.rsplit(":", 1)[0], []).append(line)
        out.append(["\n".join(c) for c in chapters.values()])
    return out[0], out[1]


def textberg(gold: Path) -> tuple[list[str], list[str]]:
    """German and French text of each textberg article."""
    folder = gold / "textberg"
    names = sorted(p.name for p in (folder / "src").iterdir())
    return [(folder / "src" / n).read_text(encoding="utf-8") for n in names], [
        (folder / "tgt" / n).read_text(encoding="utf-8") for n in names
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gold", type=Path)
    parser.add_argument("--set", choices=["bible", "textberg"], default="bible")
    parser.add_argument("--drop", type=float, default=0.0)
    parser.add_argument("--sides", choices=["en-zh-Hans", "en-zh-Hant", "zh-Hans-zh-Hant"], default="en-zh-Hans")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    a_texts, b_texts = bible_chapters(args.gold) if args.set == "bible" else textberg(args.gold)
    langs = ("en", "zh-Hans") if args.set == "bible" else ("de", "fr")
    if args.set == "bible" and args.sides != "en-zh-Hans":
        a_texts = b_texts if args.sides == "zh-Hans-zh-Hant" else a_texts
        b_texts = [convert(t, "s2t") for t in b_texts]
        langs = ("zh-Hans" if args.sides == "zh-Hans-zh-Hant" else "en", "zh-Hant")
    rng = random.Random(args.seed)
    n = len(a_texts)
    dropped = set(rng.sample(range(n), round(args.drop * n)))
    names_a, names_b = rng.sample(range(10 * n), n), rng.sample(range(10 * n), n)
    with tempfile.TemporaryDirectory() as tmp:
        dir_a, dir_b = Path(tmp, "a"), Path(tmp, "b")
        dir_a.mkdir()
        dir_b.mkdir()
        truth = {}
        for i in range(n):
            (dir_a / f"{names_a[i]:06d}.txt").write_text(a_texts[i], encoding="utf-8")
            if i not in dropped:
                (dir_b / f"{names_b[i]:06d}.txt").write_text(b_texts[i], encoding="utf-8")
                truth[f"{names_a[i]:06d}.txt"] = f"{names_b[i]:06d}.txt"
        start = time.perf_counter()
        report = pair_folders(dir_a, dir_b, langs)
        seconds = time.perf_counter() - start
    got = {a.name: b.name for a, b, _ in report.pairs}
    right = sum(1 for a, b in got.items() if truth.get(a) == b)
    wrong = [(a, b, truth.get(a)) for a, b in got.items() if truth.get(a) != b]
    unpaired_true = sum(1 for p in report.unpaired_a if p.name in truth)
    dropped_paired = sum(1 for a in got if a not in truth)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.set} {langs[0]}-{langs[1]} docs {n} dropped {len(dropped)}: "
          f"accuracy {right}/{len(truth)} = {right / max(1, len(truth)):.4f}; wrong pairs {len(wrong)}; "
          f"partners of dropped paired {dropped_paired}/{len(dropped)}; true pairs left unpaired {unpaired_true}; "
          f"{seconds:.1f} s, peak {peak:.0f} MiB")
    for a, b, t in wrong[:10]:
        print(f"  wrong: {a} -> {b} (truth {t})", file=sys.stderr)


if __name__ == "__main__":
    main()
