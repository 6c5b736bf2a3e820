"""Strict F1 of the machine's links around a person's links: one alignment of the whole text
through them, against the stretches between them aligned as texts of their own.

Usage: python tests/benchmarks/person_links.py ../shared/gold [--files aca/001 textberg/001]
       [--every 10] [--missed] [--json OUT]

Every `every`-th gold 1-1 link of a file stands for a link a person made (with --missed, every
gold link the engine does not make without them: a person's corrections). They are given to
`align_keeping_person_links` with the engine as `aligner build` runs it (`keep`: one search of the
whole text through them) and with the engine reduced to two arguments (each stretch between them
aligned on its own, as before). Each is scored on the rest: the gold without the person's links
against the links made, without them; no person links at all is the baseline. A person's link
that crosses one before it is dropped, as a build drops it. Seconds are warm: an untimed first
alignment encodes every sentence.
"""

from __future__ import annotations

import argparse
import functools
import json
import time
from collections.abc import Sequence
from pathlib import Path

from aligner.align.bead import Bead
from aligner.align.engine import align
from aligner.corpus.links import Aligner, align_keeping_person_links
from aligner.corpus.model import Document, Link, Paragraph, Sentence
from aligner.evaluate import Link as GoldLink
from aligner.evaluate import Score, read_lines, read_links, score

LANGS = {"aca": ("en", "zh"), "mag": ("en", "zh"), "textberg": ("de", "fr")}
MODES = ("none", "stretches", "one search")


def document(lang: str, texts: Sequence[str]) -> Document:
    """One version as a document of one paragraph; sentence k's id is its index."""
    return Document("gold", lang, (Paragraph("p", tuple(Sentence(str(k), text) for k, text in enumerate(texts))),))


def stretchwise(src_lang: str, tgt_lang: str) -> Aligner:
    """The engine as two arguments only: `align_keeping_person_links` aligns each stretch apart."""

    def run(src: Sequence[str], tgt: Sequence[str]) -> Sequence[Bead]:
        return align(src, tgt, src_lang, tgt_lang)

    return run


def made_by(mode: str, texts: tuple[list[str], list[str]], langs: tuple[str, str], person: list[GoldLink]) -> list[GoldLink]:
    """The links one mode makes, as gold links."""
    if mode == "none":
        return [(b.src, b.tgt) for b in align(*texts, *langs)]
    fixed = [Link(tuple(map(str, s)), tuple(map(str, t)), 1.0, "person") for s, t in person]
    engine = stretchwise(*langs) if mode == "stretches" else functools.partial(align, src_lang=langs[0], tgt_lang=langs[1])
    links = align_keeping_person_links(document(langs[0], texts[0]), document(langs[1], texts[1]), fixed, engine)
    return [(tuple(int(s) for s in lk.src), tuple(int(t) for t in lk.tgt)) for lk in links]


def run_file(root: Path, name: str, every: int, missed: bool) -> tuple[int, dict[str, tuple[Score, float]]]:
    """The number of person links, and per mode the score of the rest and the seconds taken."""
    set_name, stem = name.split("/")
    langs = LANGS[set_name]
    texts = read_lines(root / set_name / "src" / stem), read_lines(root / set_name / "tgt" / stem)
    gold = read_links(root / set_name / "gold" / f"{stem}.align")
    alone = set(made_by("none", texts, langs, []))  # untimed: encodes what is new
    if missed:
        person = [lk for lk in gold if lk[0] and lk[1] and lk not in alone]
    else:
        person = [lk for lk in gold if len(lk[0]) == len(lk[1]) == 1][::every]
    rest = [lk for lk in gold if lk not in person]
    result = {}
    for mode in MODES:
        started = time.perf_counter()
        made = made_by(mode, texts, langs, person)
        seconds = time.perf_counter() - started
        result[mode] = score(rest, [lk for lk in made if lk not in person]), seconds
    return len(person), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--files", nargs="+", default=["aca/001", "textberg/001"])
    parser.add_argument("--every", type=int, default=10)
    parser.add_argument("--missed", action="store_true", help="the gold links missed without them")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    report: dict[str, dict[str, object]] = {}
    pooled: dict[str, list[tuple[Score, float]]] = {mode: [] for mode in MODES}
    for name in args.files:
        count, result = run_file(args.gold, name, args.every, args.missed)
        report[name] = {"person links": count}
        for mode, (got, seconds) in result.items():
            report[name][mode] = {"f1_strict": round(got.as_dict()["f1_strict"], 4), "seconds": round(seconds, 2)}
            pooled[mode].append((got, seconds))
    report["pooled"] = {
        mode: {"f1_strict": round(sum((s for s, _ in runs[1:]), runs[0][0]).as_dict()["f1_strict"], 4),
               "seconds": round(sum(t for _, t in runs), 2)}
        for mode, runs in pooled.items()
    }  # fmt: skip
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
