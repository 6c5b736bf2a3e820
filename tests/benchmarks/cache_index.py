"""The embedding cache at archive scale: a synthetic cache of N keys in shards of a document's
size, then, in a fresh process, the first lookup (which indexes every shard's keys), the memory
the index holds, and a later lookup of a long text's keys; then the same after the shards are
compacted into a segment (`aligner cache compact`), with the compaction's own time.

Usage: python tests/benchmarks/cache_index.py [--keys 1000000 …] [--per-shard 70] [--dim 4]
Shards hold `--per-shard` keys (a Bible chapter encodes about 70 sentences) and tiny vectors
(`--dim`; the index never reads them; give 512 to time a compaction of real size). Each size is
written into a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

MODEL = "bench"


def write_cache(folder: Path, keys: int, per_shard: int, dim: int) -> None:
    """Write `keys` random 32-byte keys into shards of `per_shard` keys each."""
    from aligner.align.cachefiles import shard_bytes

    rng = np.random.default_rng(1)
    (folder / MODEL).mkdir(parents=True)
    vecs = np.zeros((per_shard, dim), np.float32)
    asked: list[np.ndarray] = []
    for number, start in enumerate(range(0, keys, per_shard)):
        count = min(per_shard, keys - start)
        raw = rng.integers(0, 256, (count, 32), dtype=np.uint8)
        (folder / MODEL / f"{number:08d}.vec").write_bytes(shard_bytes([bytes(k) for k in raw], vecs[:count]))
        if number % max(1, keys // per_shard // 400) == 0:  # a long text's keys, from 400 shards
            asked.append(raw)
    np.save(folder / "asked.npy", np.concatenate(asked))


def child(folder: Path) -> None:
    """In a fresh process: time the first and a later lookup, and the index's memory."""
    import tracemalloc

    from aligner.align.embed import EmbeddingCache

    asked = [bytes(k) for k in np.load(folder / "asked.npy")]
    tracemalloc.start()
    started = time.perf_counter()
    cache = EmbeddingCache(folder, MODEL)
    first = len(cache.get_many(asked[:70]))
    indexed = time.perf_counter() - started
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    started = time.perf_counter()
    later = len(cache.get_many(asked))
    lookup = time.perf_counter() - started
    print(json.dumps({"first": indexed, "held": held, "lookup": lookup, "asked": len(asked), "found": first + later}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keys", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--per-shard", type=int, default=70)
    parser.add_argument("--dim", type=int, default=4)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    print("| keys | files | first lookup (indexes every shard), s | index held, MB | bytes a key | later lookup, keys / s |")
    print("|---:|---:|---:|---:|---:|---:|")
    for keys in args.keys:
        with tempfile.TemporaryDirectory() as tmp:
            write_cache(Path(tmp), keys, args.per_shard, args.dim)
            shards = -(-keys // args.per_shard)
            for form in ("shards", "compacted"):
                if form == "compacted":
                    started = time.perf_counter()
                    subprocess.run([sys.executable, "-c", "from aligner.cli import main; main()", "cache", "compact", "--cache", tmp, "--quiet"], check=True, capture_output=True)
                    form = f"compacted in {time.perf_counter() - started:.1f} s"
                out = subprocess.run([sys.executable, __file__, "--child", tmp], check=True, capture_output=True, text=True)
                got = json.loads(out.stdout)
                print(f"| {keys:,} | {shards:,} {form} | {got['first']:.2f} | {got['held'] / 1e6:.1f} | {got['held'] / keys:.0f} |"
                      f" {got['asked'] / got['lookup']:,.0f} ({got['asked']:,} keys in {got['lookup']:.2f} s) |")  # fmt: skip


if __name__ == "__main__":
    main()
