"""Wall time and peak memory of aligning the Bible files 001…006 (5k … 30k English sentences).

Usage: python tests/benchmarks/bible_speed.py ../shared/gold [--files 001 006] [--cold]
       [--encoder auto|use|e5] [--out DIR]
Each file is aligned in a child process (so its peak RSS is its own). Warm runs use the
embedding cache ($ALIGNER_CACHE or ~/.cache/aligner); --cold gives every file a new empty cache
(the encoder then runs on every sentence). Writes a Markdown table and a small PNG plot to DIR.
"""

from __future__ import annotations

import argparse
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np


def child(src: Path, tgt: Path, encoder: str) -> None:
    """Align one file pair (run inside the measured child process)."""
    from aligner.align.engine import align

    src_lines, tgt_lines = src.read_text("utf-8").splitlines(), tgt.read_text("utf-8").splitlines()
    align(src_lines, tgt_lines, "en", "zh", encoder=encoder)


def measure(root: Path, name: str, cache: Path, encoder: str) -> tuple[float, float]:
    """Return (seconds, peak RSS in MiB) of aligning one Bible file in a child process."""
    env = {**os.environ, "ALIGNER_CACHE": str(cache)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", str(root / "src" / name), str(root / "tgt" / name),
         "--encoder", encoder],  # fmt: skip
        env=env,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"aligning bible {name} failed (status {status})")
    return seconds, usage.ru_maxrss / 1024


def write_png(path: Path, series: list[list[float]], size: tuple[int, int] = (320, 200)) -> None:
    """Draw each series (scaled to its own maximum) as a marked polyline over the files; save a PNG.

    No text: the caption in ALIGN_RESULTS.md says blue is seconds and red is peak RSS.
    """
    width, height = size
    image = np.full((height, width, 3), 255, dtype=np.uint8)
    image[height - 10, 10 : width - 10] = 0
    image[10 : height - 10, 10] = 0
    colours = ((31, 119, 180), (214, 39, 40), (44, 160, 44))
    for colour, values in zip(colours, series, strict=False):
        xs = np.linspace(10, width - 10, len(values))
        ys = height - 10 - np.array(values) / (max(values) or 1.0) * (height - 20)
        for x, y in zip(xs.astype(int), ys.astype(int), strict=True):
            image[max(y - 3, 0) : y + 4, max(x - 3, 0) : x + 4] = colour
        for k in range(len(values) - 1):
            for t in np.linspace(0, 1, 200):
                x = int(xs[k] + t * (xs[k + 1] - xs[k]))
                y = int(ys[k] + t * (ys[k + 1] - ys[k]))
                image[max(y - 1, 0) : y + 1, max(x - 1, 0) : x + 1] = colour
    raw = b"".join(b"\x00" + row.tobytes() for row in image)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, nargs="?")
    parser.add_argument("--files", nargs="+", default=["001", "002", "003", "004", "005", "006"])
    parser.add_argument("--cold", action="store_true", help="empty embedding cache for each file")
    parser.add_argument("--out", type=Path, default=Path("."))
    parser.add_argument("--encoder", default="auto", choices=["auto", "use", "e5"])
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.encoder)
        return
    root = args.gold / "bible"
    rows = []
    for name in args.files:
        with tempfile.TemporaryDirectory() as empty:
            cache = (
                Path(empty)
                if args.cold
                else Path(os.environ.get("ALIGNER_CACHE", Path.home() / ".cache" / "aligner"))
            )
            seconds, rss = measure(root, name, cache, args.encoder)
        sentences = len((root / "src" / name).read_text("utf-8").splitlines())
        rows.append((name, sentences, seconds, rss))
        print(f"{name} {sentences:>6} sentences {seconds:8.1f} s {rss:8.0f} MiB", flush=True)
    kind = "cold" if args.cold else "warm"
    table = [
        f"| file | English sentences | {kind} seconds | peak RSS MiB |",
        "|---|---:|---:|---:|",
    ]
    table += [f"| {n} | {s:,} | {t:.1f} | {r:.0f} |" for n, s, t, r in rows]
    if len(rows) > 1:
        table.append(f"\ntime({rows[-1][0]}) / time({rows[0][0]}) = {rows[-1][2] / rows[0][2]:.2f}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"bible_speed_{kind}.md").write_text("\n".join(table) + "\n")
    write_png(args.out / f"bible_speed_{kind}.png", [[r[2] for r in rows], [r[3] for r in rows]])
    print("\n".join(table))


if __name__ == "__main__":
    main()
