"""Subtitle alignment by cue timing against text-only alignment, on synthetic subtitle pairs.

Usage: python tests/benchmarks/subtitle_timing.py [GOLD_ROOT] [--seed 1]

Each gold alignment (the seed article's en ↔ zh-Hans in tests/data/seed_gold.tsv, and with
GOLD_ROOT, e.g. ../shared/gold, the first file of aca and of mag) becomes a pair of subtitle
documents: every gold link is one source cue, timed by reading speed; the target gets the same
slots re-timed per scenario (boundary jitter, cues split per sentence or merged with the next,
a constant offset, a frame-rate drift). Then `aligner.align.timing.align_by_time` (time overlap
only) and the text engine (`aligner.align.engine.align`, no times) align the sentences, and both
are scored against the gold (strict F1, as `aligner eval`). Results: SUBTITLE_RESULTS.md.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass
from pathlib import Path

from aligner.align.timing import align_by_time, sentence_spans
from aligner.corpus.model import Document, Paragraph, Sentence
from aligner.evaluate import Link, parse_links, read_lines, score

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Scenario:
    """How the target's cues differ from the source's."""

    name: str
    jitter_ms: int = 0  # each cue boundary moved by up to this much
    split: float = 0.0  # share of multi-sentence target cues split into one cue a sentence
    merge: float = 0.0  # share of target cues merged with the next one
    offset_ms: int = 0  # the whole target moved
    drift: float = 1.0  # target times multiplied (25 vs 23.976 fps: 1.0427)
    drop: float = 0.0  # share of target cues left out (condensed subtitles)


SCENARIOS = [
    Scenario("same timing"),
    Scenario("jitter 300 ms", jitter_ms=300),
    Scenario("jitter 800 ms, 30 % split, 20 % merged", jitter_ms=800, split=0.3, merge=0.2),
    Scenario("jitter 300 ms, offset +2.3 s", jitter_ms=300, offset_ms=2300),
    Scenario("jitter 300 ms, 10 % of target cues dropped", jitter_ms=300, drop=0.1),
    Scenario("frame-rate drift 25/23.976", drift=25 / 23.976),
]


def seed_pair() -> tuple[list[str], list[str], list[Link]]:
    """The seed article's en and zh-Hans sentences and gold links, from tests/data/seed_gold.tsv."""
    lines = (ROOT / "tests" / "data" / "seed_gold.tsv").read_text(encoding="utf-8").rstrip("\n").split("\n")
    src: list[str] = []
    tgt: list[str] = []
    gold: list[Link] = []
    for line in lines[1:]:
        en, zh = (cell.split(" ||| ") if cell else [] for cell in line.split("\t")[:2])
        gold.append((tuple(range(len(src), len(src) + len(en))), tuple(range(len(tgt), len(tgt) + len(zh)))))
        src += en
        tgt += zh
    return src, tgt, gold


def gold_pair(root: Path, name: str) -> tuple[list[str], list[str], list[Link]]:
    """A gold set's first file: sentences a line, links `[i]:[j]`."""
    first = sorted(p.name for p in (root / name / "src").iterdir())[0]
    return (read_lines(root / name / "src" / first), read_lines(root / name / "tgt" / first),
            parse_links((root / name / "gold" / f"{first}.align").read_text(encoding="utf-8")))


def subtitles(src: list[str], tgt: list[str], gold: list[Link], sc: Scenario, rng: random.Random) -> tuple[Document, Document]:
    """Source and target subtitle documents: a source cue per gold link, target cues per scenario."""
    src_cues: list[tuple[int, int, list[str]]] = []
    tgt_cues: list[tuple[int, int, list[str]]] = []
    t = 1000
    for s_idx, t_idx in gold:
        text = " ".join(src[i] for i in s_idx) or "".join(tgt[j] for j in t_idx)
        length = min(7000, max(1200, 55 * len(text)))
        if s_idx:
            src_cues.append((t, t + length, [src[i] for i in s_idx]))
        if t_idx and rng.random() >= sc.drop:
            lines = [tgt[j] for j in t_idx]

            def moved(x: int) -> int:
                return round((x + rng.randint(-sc.jitter_ms, sc.jitter_ms)) * sc.drift) + sc.offset_ms

            start, end = moved(t), moved(t + length)
            end = max(end, start + 200)
            if len(lines) > 1 and rng.random() < sc.split:
                step = (end - start) // len(lines)
                tgt_cues += [(start + k * step, start + (k + 1) * step, [ln]) for k, ln in enumerate(lines)]
            elif tgt_cues and rng.random() < sc.merge:
                prev = tgt_cues.pop()
                tgt_cues.append((prev[0], end, prev[2] + lines))
            else:
                tgt_cues.append((start, end, lines))
        t += length + rng.randint(200, 1500)
    return _doc("en", src_cues), _doc("zh", tgt_cues)


def _doc(lang: str, cues: list[tuple[int, int, list[str]]]) -> Document:
    paras = tuple(
        Paragraph(f"{lang}.p{n}", tuple(Sentence(f"{lang}.p{n}.s{k}", s) for k, s in enumerate(lines, 1)), "p", start, end)
        for n, (start, end, lines) in enumerate(cues, 1)
    )
    return Document("bench", lang, paras)


def f1(gold: list[Link], pred: list[Link]) -> float:
    return score(gold, pred).as_dict()["f1_strict"]


def run(name: str, src: list[str], tgt: list[str], gold: list[Link], seed: int) -> list[str]:
    """Rows of the results table for one gold pair."""
    from aligner.align.engine import align

    began = time.perf_counter()
    text_pred = [(b.src, b.tgt) for b in align(src, tgt, "en", "zh-Hans")]
    text_time = time.perf_counter() - began
    rows = [f"| {name} | text only (engine, no times) | {f1(gold, text_pred):.4f} | {text_time:.1f} |"]
    for sc in SCENARIOS:
        rng = random.Random(seed)
        s_doc, t_doc = subtitles(src, tgt, gold, sc, rng)
        kept = [s.text for s in t_doc.sentences()]
        index = {text: j for j, text in enumerate(tgt)}
        back = [index[x] for x in kept]  # target sentences left after drops, as indices of `tgt`
        began = time.perf_counter()
        beads = align_by_time(sentence_spans(s_doc) or [], sentence_spans(t_doc) or [])
        took = time.perf_counter() - began
        pred = [(b.src, tuple(back[j] for j in b.tgt)) for b in beads]
        sc_gold = [(s, tuple(j for j in t if j in set(back))) for s, t in gold]
        rows.append(f"| {name} | time: {sc.name} | {f1(sc_gold, pred):.4f} | {took:.2f} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_root", nargs="?", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    pairs = {"seed article": seed_pair()}
    if args.gold_root:
        pairs.update({n: gold_pair(args.gold_root, n) for n in ("aca", "mag")})
    print("| pair | aligned by | strict F1 | seconds |\n|---|---|---:|---:|")
    for name, (src, tgt, gold) in pairs.items():
        for row in run(name, src, tgt, gold, args.seed):
            print(row, flush=True)


if __name__ == "__main__":
    main()
