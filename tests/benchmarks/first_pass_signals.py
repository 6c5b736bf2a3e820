"""How well each cheap English–Chinese sentence vector finds a sentence's translation.

Usage: python tests/benchmarks/first_pass_signals.py ../shared/gold [--sets aca mag bible]
For every gold 1-1 link, is the true Chinese sentence the most similar of the ±10 around it?
Compares hashed CC-CEDICT stem bags (the old first pass), e5 vectors of words (`wordvec`, the
first pass now) and e5 on whole sentences (the second pass). Bible: file 001.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from aligner.align import lexicon, wordvec
from aligner.align.embed import Encoder
from aligner.align.encoders import ENCODERS
from aligner.align.signals import hashed_bags
from aligner.evaluate import read_lines, read_links

WINDOW = 10
FILES = {"aca": "001", "mag": "003", "bible": "001"}


def top1(src: np.ndarray, tgt: np.ndarray, pairs: Sequence[tuple[int, int]]) -> float:
    """Return the share of pairs whose target is the nearest of the ±WINDOW targets around it."""
    hits = 0
    for i, j in pairs:
        lo, hi = max(0, j - WINDOW), min(len(tgt), j + WINDOW + 1)
        hits += lo + int(np.argmax(tgt[lo:hi] @ src[i])) == j
    return hits / len(pairs)


def vectors(
    encoder: Encoder,
) -> dict[str, Callable[[list[str], list[str]], tuple[np.ndarray, np.ndarray]]]:
    """Return the three ways of making (English, Chinese) sentence vectors."""

    def words(en: list[str], zh: list[str]) -> tuple[np.ndarray, np.ndarray]:
        return tuple(  # type: ignore[return-value]
            wordvec.sentence_vectors([wordvec.units(s) for s in side], encoder.encode, encoder.spec.dim)
            for side in (en, zh)
        )

    return {
        "CC-CEDICT bags": lambda en, zh: (
            hashed_bags([lexicon.english_words(s) for s in en]),
            hashed_bags(lexicon.translations(zh)),
        ),
        f"{encoder.spec.name} on words": words,
        f"{encoder.spec.name} on sentences": lambda en, zh: (encoder.encode(en), encoder.encode(zh)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--sets", nargs="+", default=list(FILES))
    parser.add_argument("--encoder", default="use", choices=list(ENCODERS))
    args = parser.parse_args()
    encoder = Encoder(ENCODERS[args.encoder])
    report: dict[str, dict[str, float]] = {}
    for name in args.sets:
        stem = FILES[name]
        en = read_lines(args.gold / name / "src" / stem)
        zh = read_lines(args.gold / name / "tgt" / stem)
        pairs = [
            (a[0], b[0]) for a, b in read_links(args.gold / name / "gold" / f"{stem}.align")
            if len(a) == 1 and len(b) == 1
        ]  # fmt: skip
        report[name] = {
            kind: round(top1(*make(en, zh), pairs), 3) for kind, make in vectors(encoder).items()
        }
        print(name, len(pairs), "1-1 links", report[name], flush=True)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
