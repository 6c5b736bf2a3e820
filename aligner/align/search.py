"""Banded dynamic programming: the best monotone sequence of beads inside a narrow band.

Row i of the band holds target positions lo[i] … lo[i] + width - 1, so time and memory are
O(n · width), never O(n · m). Coarse-to-fine banding (`band_around`) keeps width small.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

BeadShape = tuple[int, int]
Span = tuple[int, int, int, int]  # src start, src end, tgt start, tgt end (end exclusive)
# values(a, b): value of the bead covering a source and b target sentences that ends at each
# band cell (i, lo[i] + k); shape (n + 1, width).
ValueFn = Callable[[int, int], np.ndarray]

OMISSIONS: tuple[BeadShape, ...] = ((1, 0), (0, 1))


def spans(path: Sequence[Span]) -> np.ndarray:
    """Return beads as an (n, 4) int array of rows (i0, i1, j0, j1)."""
    return np.asarray(path, dtype=np.int64).reshape(-1, 4)


def linked(beads: np.ndarray) -> np.ndarray:
    """Return which beads (last axis (i0, i1, j0, j1)) link sentences on both sides."""
    return (beads[..., 1] > beads[..., 0]) & (beads[..., 3] > beads[..., 2])


def shapes_up_to(most: int) -> tuple[BeadShape, ...]:
    """Return the omissions and every a-b shape with 1 ≤ a, b ≤ most."""
    pairs = tuple((a, b) for a in range(1, most + 1) for b in range(1, most + 1))
    return OMISSIONS + pairs


@dataclass(frozen=True)
class Band:
    """Allowed cells: target positions lo[i] … lo[i] + width - 1 for source position i (0 … n)."""

    lo: np.ndarray
    width: int
    m: int  # the last target position

    @functools.cached_property
    def targets(self) -> np.ndarray:
        """Return the target position of every cell, shape (n + 1, width), capped at m."""
        return np.minimum(self.lo[:, None] + np.arange(self.width)[None, :], self.m)


def full_band(n: int, m: int) -> Band:
    """Return the band that allows every cell (for small inputs and the coarsest level)."""
    return Band(np.zeros(n + 1, dtype=np.int64), m + 1, m)


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
    return Band(lo, int((hi - lo).max()) + 1, m)


def best_path(
    n: int, m: int, band: Band, shapes: Sequence[BeadShape], values: ValueFn
) -> list[Span]:
    """Return the highest-value monotone bead sequence from (0, 0) to (n, m) inside the band.

    Each row takes every shape's candidates in one gather (one numpy step a row, not one a shape);
    runs of 0-1 beads then extend paths along the row (`_chain`).
    """
    width, lo = band.width, band.lo
    moves = [s for s, (a, _) in enumerate(shapes) if a > 0]
    grids = np.empty((n + 1, len(moves), width))  # row-major: a row's candidates lie together
    for slot, s in enumerate(moves):
        grids[:, slot] = values(*shapes[s])
    chain = _Chain(values(0, 1), n + m) if (0, 1) in shapes else None
    score = np.full((n + 1) * width + 1, -np.inf)  # rows of the band, flat; last cell stays -inf
    back = np.zeros((n + 1, width), dtype=np.int8)  # per cell: the slot of the move that won
    sources = _move_sources(n, lo, width, [shapes[s] for s in moves])
    cells = np.arange(width)
    for i in range(n + 1):
        row = score[i * width : (i + 1) * width]
        if i == 0:
            row[0] = 0.0
        elif moves:
            cand = score.take(sources[i])
            cand += grids[i]
            pick = cand.argmax(axis=0)
            row[:] = cand[pick, cells]
            back[i] = pick
        if chain:
            scanned = chain.scan(i, row)
            better = scanned > row + chain.tolerance
            row[better] = scanned[better]
            back[i][better] = len(moves)  # the slot after the moves: a 0-1 bead
    if not np.isfinite(score[n * width + m - lo[n]]):
        raise RuntimeError(f"no path through cell ({n}, {m}): band does not connect the ends")
    slots = [shapes[s] for s in moves] + [(0, 1)]
    return _backtrack(n, m, lo, back, slots)


def _move_sources(n: int, lo: np.ndarray, width: int, moves: Sequence[BeadShape]) -> np.ndarray:
    """Return, per row and move, the flat score index each band cell comes from (sentinel if none).

    A move of a source and b target sentences into cell (i, k) comes from (i - a, k + shift),
    shift = lo[i] - lo[i - a] - b; cells off the band or before row 0 read the -inf sentinel.
    """
    sentinel = (n + 1) * width
    index = np.int32 if sentinel < 2**31 else np.intp  # half the memory of intp on long texts
    rows = np.arange(n + 1)[:, None, None]
    a = np.array([s[0] for s in moves])[None, :, None]
    b = np.array([s[1] for s in moves])[None, :, None]
    prev = rows - a
    shift = lo[:, None, None] - lo[np.maximum(prev, 0)] - b  # (rows, moves, 1): small
    cells = np.arange(width, dtype=index)[None, None, :]
    flat = (prev * width + shift).astype(index) + cells  # the one full-size array
    ok = (prev >= 0) & (cells >= -shift) & (cells < width - shift)
    flat[~ok] = sentinel
    return flat


class _Chain:
    """Runs of 0-1 beads along a row: the best value reaching each cell by target-only beads.

    scan(i, row)[k] = max over k' < k of row[k'] + step[k'+1] + … + step[k], where step is row
    i of the 0-1 values. A forbidden step (-inf) cuts the row into groups a run cannot cross.
    Running sums of the steps are taken for all rows at once, so a row costs a few numpy calls.
    """

    def __init__(self, steps: np.ndarray, size: int) -> None:
        steps = steps.copy()
        steps[:, 0] = 0.0
        cut = ~np.isfinite(steps)
        self.total = np.cumsum(np.where(cut, 0.0, steps), axis=1)
        self.group = np.cumsum(cut, axis=1)
        # Sums in another order round differently: only clear gains count as a run.
        self.tolerance = 1e-9 * (size + 1)

    def scan(self, i: int, row: np.ndarray) -> np.ndarray:
        """Return the best run value reaching each cell of row i (-inf where none)."""
        total, group = self.total[i], self.group[i]
        gap = row - total
        if group[-1]:  # lift each group above the ones before, so one running maximum serves
            finite = np.isfinite(gap)
            if not finite.any():
                return gap
            lift = 4.0 * float(np.abs(gap[finite]).max()) + 1.0
            gap = gap + group * lift
        best = np.empty_like(row)
        best[0] = -np.inf
        np.maximum.accumulate(gap[:-1], out=best[1:])
        if group[-1]:
            best -= group * lift
            best[best < -lift / 2] = -np.inf  # a maximum carried over from an earlier group
        return total + best


def _backtrack(n: int, m: int, lo: np.ndarray, back: np.ndarray, slots: Sequence[BeadShape]) -> list[Span]:
    """Follow back pointers (slots of `slots`) from (n, m) to (0, 0) and return the beads in order;
    every cell on the way is reachable, as the end is."""
    path: list[Span] = []
    i, j = n, m
    while i > 0 or j > 0:
        a, b = slots[back[i, j - lo[i]]]
        path.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    path.reverse()
    return path
