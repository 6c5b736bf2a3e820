"""Banded dynamic programming: the best monotone sequence of beads inside a narrow band.

Row i of the band holds target positions lo[i] … lo[i] + width - 1, so time and memory are
O(n · width), never O(n · m). Coarse-to-fine banding (`band_around`) keeps width small.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

BeadShape = tuple[int, int]
Span = tuple[int, int, int, int]  # src start, src end, tgt start, tgt end (end exclusive)
# value(i, a, b, js): value of beads ending at source position i and target positions js that
# cover a source and b target sentences; shape (len(js),).
ValueFn = Callable[[int, int, int, np.ndarray], np.ndarray]

OMISSIONS: tuple[BeadShape, ...] = ((1, 0), (0, 1))


def shapes_up_to(most: int) -> tuple[BeadShape, ...]:
    """Return the omissions and every a-b shape with 1 ≤ a, b ≤ most."""
    pairs = tuple((a, b) for a in range(1, most + 1) for b in range(1, most + 1))
    return OMISSIONS + pairs


@dataclass(frozen=True)
class Band:
    """Allowed cells: target positions lo[i] … lo[i] + width - 1 for source position i (0 … n)."""

    lo: np.ndarray
    width: int


def full_band(n: int, m: int) -> Band:
    """Return the band that allows every cell (for small inputs and the coarsest level)."""
    return Band(np.zeros(n + 1, dtype=np.int64), m + 1)


def band_around(path: Sequence[Span], scale: int, n: int, m: int, margin: int) -> Band:
    """Project a coarse path onto a grid `scale` times finer and widen it by `margin` cells."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for i0, i1, j0, j1 in path:
        rows = slice(min(i0 * scale, n), min(i1 * scale, n) + 1)
        lo[rows] = np.minimum(lo[rows], max(j0 * scale - margin, 0))
        hi[rows] = np.maximum(hi[rows], min(j1 * scale + margin, m))
    lo = np.minimum.accumulate(lo[::-1])[::-1]  # non-decreasing
    hi = np.maximum.accumulate(hi)
    lo[0] = 0
    hi[n] = m
    return Band(lo, int((hi - lo).max()) + 1)


def best_path(
    n: int, m: int, band: Band, shapes: Sequence[BeadShape], value: ValueFn
) -> list[Span]:
    """Return the highest-value monotone bead sequence from (0, 0) to (n, m) inside the band."""
    width = band.width
    lo = band.lo
    score = np.full((n + 1, width), -np.inf)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    cols = np.arange(width)
    for i in range(n + 1):
        js = lo[i] + cols
        row = np.full(width, -np.inf)
        arg = np.full(width, -1, dtype=np.int8)
        if i == 0:
            row[0] = 0.0
        for index, (a, b) in enumerate(shapes):
            if a == 0 or a > i:
                continue
            prev_k = js - b - lo[i - a]
            ok = (js <= m) & (js >= b) & (prev_k >= 0) & (prev_k < width)
            if not ok.any():
                continue
            cand = np.full(width, -np.inf)
            prev = score[i - a, prev_k[ok]]
            live = np.isfinite(prev)
            if not live.any():
                continue
            where = np.flatnonzero(ok)[live]
            cand[where] = prev[live] + value(i, a, b, js[where])
            better = cand > row
            row[better] = cand[better]
            arg[better] = index
        if (0, 1) in shapes:
            step = np.zeros(width)
            inside = (js >= 1) & (js <= m)
            step[inside] = value(i, 0, 1, js[inside])
            step[~inside] = -np.inf
            step[0] = 0.0
            total = np.cumsum(np.where(np.isfinite(step), step, -1e18))
            scanned = total + np.maximum.accumulate(row - total)
            better = scanned > row + 1e-12
            row[better] = scanned[better]
            arg[better] = shapes.index((0, 1))
        score[i] = row
        back[i] = arg
    return _backtrack(n, m, lo, back, shapes)


def _backtrack(
    n: int, m: int, lo: np.ndarray, back: np.ndarray, shapes: Sequence[BeadShape]
) -> list[Span]:
    """Follow back pointers from (n, m) to (0, 0) and return the beads in order."""
    path: list[Span] = []
    i, j = n, m
    while i > 0 or j > 0:
        index = int(back[i, j - lo[i]])
        if index < 0:
            raise RuntimeError(f"no path through cell ({i}, {j}): band does not connect the ends")
        a, b = shapes[index]
        path.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    path.reverse()
    return path
