"""A worker that reads the embedding cache while a test compacts it: looks up the same keys
until a stop file appears, and prints how many lookups it made, missed keys and wrong vectors.

Usage (by tests/test_compaction.py): python tests/cache_reader.py ROOT MODEL KEYS.npy VECS.npy STOP
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from aligner.align import embed


def main() -> None:
    root, model, keys_file, vecs_file, stop = sys.argv[1:]
    keys = [bytes(k) for k in np.load(keys_file)]
    expected = np.load(vecs_file)
    cache = embed.EmbeddingCache(Path(root), model)
    lookups = missed = wrong = 0
    deadline = time.monotonic() + 60  # bounded even if the test never says stop
    while not Path(stop).exists() and time.monotonic() < deadline:
        out = np.zeros_like(expected)
        found = cache.read(keys, out)
        lookups += 1
        missed += int((~found).sum())
        wrong += int((out[found] != expected[found]).any(axis=1).sum())
        if lookups % 4 == 0:  # now and then a worker that starts afresh
            embed._FOLDERS.clear()
            cache = embed.EmbeddingCache(Path(root), model)
    print(json.dumps({"lookups": lookups, "missed": missed, "wrong": wrong}))


if __name__ == "__main__":
    main()
