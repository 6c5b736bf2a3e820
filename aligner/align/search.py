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
# values(a, b): value of the bead covering a source and b target sentences that ends at each
# band cell (i, lo[i] + k); shape (n + 1, width).
ValueFn = Callable[[int, int], np.ndarray]

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
    n: int, m: int, band: Band, shapes: Sequence[BeadShape], values: ValueFn
) -> list[Span]:
    """Return the highest-value monotone bead sequence from (0, 0) to (n, m) inside the band."""
    width, lo = band.width, band.lo
    grids = [values(a, b) for a, b in shapes]
    score = np.full((n + 1, width), -np.inf)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    insert = shapes.index((0, 1)) if (0, 1) in shapes else None
    for i in range(n + 1):
        row, arg = score[i], back[i]
        if i == 0:
            row[0] = 0.0
        for index, (a, b) in enumerate(shapes):
            if a == 0 or a > i:
                continue
            shift = int(lo[i] - lo[i - a]) - b  # previous cell of band cell k is k + shift
            k0, k1 = max(0, -shift), min(width, width - shift)
            if k0 >= k1:
                continue
            cand = score[i - a, k0 + shift : k1 + shift] + grids[index][i, k0:k1]
            better = cand > row[k0:k1]
            row[k0:k1][better] = cand[better]
            arg[k0:k1][better] = index
        if insert is not None:  # target-only beads chain along the row: a max-plus prefix scan
            scanned = _chain(row, grids[insert][i])
            better = scanned > row
            row[better] = scanned[better]
            arg[better] = insert
    return _backtrack(n, m, lo, back, shapes)


def _chain(row: np.ndarray, step: np.ndarray) -> np.ndarray:
    """Return max over k' < k of row[k'] + step[k'+1] + … + step[k] where it beats row[k], else -inf.

    This is how runs of 0-1 beads extend paths along a row.

    A forbidden step (-inf) cuts the row into groups that the scan must not cross; each group is
    lifted above the previous ones by `lift` so that one cumulative maximum serves them all.
    """
    step = step.copy()
    step[0] = 0.0
    cut = ~np.isfinite(step)
    group = np.cumsum(cut)
    total = np.cumsum(np.where(cut, 0.0, step))
    gap = row - total
    finite = np.isfinite(gap)
    if not finite.any():
        return np.full_like(row, -np.inf)
    lift = 4.0 * float(np.abs(gap[finite]).max()) + 1.0
    best = np.maximum.accumulate(gap + group * lift) - group * lift
    best[best < -lift / 2] = -np.inf  # a maximum carried over from an earlier group
    scanned = total + best
    # The lift costs precision: only clear gains over the row count as reached by a chain.
    scanned[scanned <= row + 1e-9 * lift * (group[-1] + 1) + 1e-12] = -np.inf
    return scanned


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
