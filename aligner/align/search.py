"""Banded dynamic programming: the best monotone sequence of beads inside a narrow band.

Row i of the band holds target positions lo[i] … lo[i] + width - 1, so time and memory are
O(n · width), never O(n · m). Coarse-to-fine banding (`band_around`) keeps width small.
"""

from __future__ import annotations

import functools
import itertools
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


def widened(band: Band, beads: Sequence[Span]) -> Band:
    """Return the band, widened where it misses a corner of `beads` (beads the path must go
    through, which a person may have placed off the path the search would take); the band itself
    when it holds them all. lo stays non-decreasing and the last allowed target of a row too, so
    every allowed cell still connects (0, 0) to (n, m)."""
    lo, hi = band.lo.copy(), np.minimum(band.lo + band.width - 1, band.m)
    for i0, i1, j0, j1 in beads:
        lo[i0 : i1 + 1] = np.minimum(lo[i0 : i1 + 1], j0)
        hi[i0 : i1 + 1] = np.maximum(hi[i0 : i1 + 1], j1)
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    if (lo == band.lo).all() and (hi - lo < band.width).all():
        return band
    return Band(lo, int((hi - lo).max()) + 1, band.m)


def best_path(
    n: int, m: int, band: Band, shapes: Sequence[BeadShape], values: ValueFn, through: Sequence[Span] = (),
    extend: float | None = None,
) -> list[Span]:  # fmt: skip
    """Return the highest-value monotone bead sequence from (0, 0) to (n, m) inside the band that
    contains the beads `through` (in order, disjoint; their own values are not counted).

    With `extend`, omissions are valued as affine gaps: a 1-0 (0-1) bead right after another 1-0
    (0-1) bead is worth -extend instead of its `values`, so a run of omitted sentences (a dropped
    paragraph) costs its opening once. The search then keeps, per cell, the best value of paths
    that end in a run on either side (Gotoh's three states), so the result is exact.

    The beads `through` cut the search into independent stretches between them, which are
    searched side by side: step w takes row w of every stretch at once, in one gather of every
    shape's candidates, so the number of numpy steps is the longest stretch's rows, not n. Rows
    are stored in that order (`_Order`), so each step reads and writes one block. Runs of 0-1
    beads then extend paths along the rows (`_Chain`).
    """
    width, lo = band.width, band.lo
    order = _Order(_stretches(n, m, through))
    corners = order.stretches.reshape(-1, 2)
    if not ((corners[:, 1] >= lo[corners[:, 0]]) & (corners[:, 1] < lo[corners[:, 0]] + width)).all():
        raise ValueError("a bead the path must go through lies outside the band")
    moves = [s for s, (a, _) in enumerate(shapes) if a > 0]
    grids = np.empty((n + 1, len(moves), width))  # row-major: a row's candidates lie together
    for slot, s in enumerate(moves):
        grids[:, slot] = order.arrange(values(*shapes[s]))
    chain = _Chain(order.arrange(values(0, 1)), n + m, extend) if (0, 1) in shapes else None
    score = np.full((n + 1) * width + 1, -np.inf)  # rows in stored order, flat; last cell stays -inf
    back = np.zeros((n + 1, width), dtype=np.int8)  # per cell: the slot of the move that won
    sources = _move_sources(lo, width, [shapes[s] for s in moves], order)
    runs = _Runs(len(score), back.shape, moves.index(shapes.index((1, 0))), extend) if (
        extend is not None and (1, 0) in shapes
    ) else None  # fmt: skip
    starts = order.stretches[:, :2]
    score[order.place[starts[:, 0]] * width + starts[:, 1] - lo[starts[:, 0]]] = 0.0
    for step, (a, b) in enumerate(itertools.pairwise(order.steps)):
        rows = a if b - a == 1 else slice(a, b)  # one row: plain indexing, two-dimensional candidates
        block = score[a * width : b * width]
        if b - a > 1:
            block = block.reshape(b - a, width)
        if step and moves:
            cand = score.take(sources[rows])  # ([rows,] moves, width)
            cand += grids[rows]
            if runs:
                runs.source_side(rows, (a * width, b * width), sources[rows], cand)
            np.maximum.reduce(cand, axis=-2, out=block)
            back[rows] = cand.argmax(axis=-2)
        if chain:
            scanned = chain.scan(rows, block)
            better = scanned > block + chain.tolerance
            np.copyto(block, scanned, where=better)
            back[rows][better] = len(moves)  # the slot after the moves: a 0-1 bead
            chain.mark(rows, scanned, block)
    cells, back = score[:-1].reshape(n + 1, width)[order.place], back[order.place]  # rows by number
    slots = [shapes[s] for s in moves] + [(0, 1)]
    continues = (  # affine gaps only: where a run's bead continues the run
        runs.continued[order.place] if runs else None,
        chain.continued[order.place] if chain and chain.continued is not None else None,
    )
    path: list[Span] = []
    for (i0, j0, i1, j1), fixed in zip(order.stretches.tolist(), [*through, None], strict=True):
        if not np.isfinite(cells[i1, j1 - lo[i1]]):
            raise RuntimeError(f"no path through cell ({i1}, {j1}): band does not connect it to ({i0}, {j0})")
        path += _backtrack((i0, j0), (i1, j1), lo, back, slots, continues)
        if fixed is not None:
            path.append(fixed)
    return path


def _stretches(n: int, m: int, through: Sequence[Span]) -> np.ndarray:
    """Return the stretches between the beads `through` as rows (first row, its column, last
    row, its column): from (0, 0) to the first bead's start, …, from the last bead's end to (n, m).
    Each bead must cover a source sentence, so that no row is in two stretches."""
    if any(i1 <= i0 for i0, i1, _, _ in through):
        raise ValueError("a bead the path must go through covers no source sentence")
    corners = [(0, 0)] + [c for i0, i1, j0, j1 in through for c in ((i0, j0), (i1, j1))] + [(n, m)]
    stretches = np.array(corners, dtype=np.int64).reshape(-1, 4)
    if (stretches[:, 2] < stretches[:, 0]).any() or (stretches[:, 3] < stretches[:, 1]).any():
        raise ValueError("the beads the path must go through overlap or are out of order")
    return stretches


class _Order:
    """The order the search takes rows in: step 0 holds the first row of every stretch (longest
    stretch first), step w row w of every stretch that long, so a step's rows lie together. Rows
    inside a bead the path goes through (one of two or more source sentences) belong to no
    stretch: they come last and are never searched."""

    def __init__(self, stretches: np.ndarray) -> None:
        self.stretches = stretches
        first, lengths = stretches[:, 0], stretches[:, 2] - stretches[:, 0] + 1
        rank = np.empty(len(lengths), np.int64)
        rank[np.argsort(-lengths, kind="stable")] = np.arange(len(lengths))
        owner = np.repeat(np.arange(len(lengths)), lengths)  # each searched row's stretch
        step = np.arange(len(owner)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        by_step = np.lexsort((rank[owner], step))
        searched = first[owner][by_step] + step[by_step]
        inside = np.ones(int(stretches[-1, 2]) + 1, bool)
        inside[searched] = False
        self.rows = np.concatenate([searched, np.flatnonzero(inside)])  # place → row
        self.steps = np.concatenate([[0], np.cumsum(np.bincount(step))]).tolist()
        self.place = np.empty(len(self.rows), np.int64)  # row → its place in the order
        self.place[self.rows] = np.arange(len(self.rows))
        self.natural = len(stretches) == 1  # one stretch: rows in their own order

    def arrange(self, grid: np.ndarray) -> np.ndarray:
        """Return a grid of rows by number with its rows in this order."""
        return grid if self.natural else grid[self.rows]


def _move_sources(lo: np.ndarray, width: int, moves: Sequence[BeadShape], order: _Order) -> np.ndarray:
    """Return, per row (in the order's places) and move, the flat score index each band cell
    comes from (sentinel if none).

    A move of a source and b target sentences into cell (i, k) comes from (i - a, k + shift),
    shift = lo[i] - lo[i - a] - b; cells off the band, or in a row before the stretch that row i
    is in, read the -inf sentinel. (Columns need no such limit: every cell a stretch reaches
    lies right of its first cell.)
    """
    n = len(lo) - 1
    sentinel = (n + 1) * width
    index = np.int32 if sentinel < 2**31 else np.intp  # half the memory of intp on long texts
    rows = order.rows[:, None, None]
    stretches = order.stretches
    stretch = np.searchsorted(stretches[:, 0], order.rows, side="right") - 1
    first_row = stretches[stretch, 0][:, None, None]
    a = np.array([s[0] for s in moves])[None, :, None]
    b = np.array([s[1] for s in moves])[None, :, None]
    prev = rows - a
    shift = lo[rows] - lo[np.maximum(prev, 0)] - b  # (rows, moves, 1): small
    cells = np.arange(width, dtype=index)[None, None, :]
    flat = (order.place[np.maximum(prev, 0)] * width + shift).astype(index) + cells  # the one full-size array
    ok = (prev >= first_row) & (cells >= -shift) & (cells < width - shift)
    flat[~ok] = sentinel
    return flat


class _Chain:
    """Runs of 0-1 beads along a row: the best value reaching each cell by target-only beads.

    For a row of values, the best run reaching cell k is max over k' < k of value[k'] + step[k'+1]
    + … + step[k], where step is that row's 0-1 values (finite: a target-only bead is never
    forbidden). Running sums of the steps are taken for all rows at once, so a block of rows
    costs a few numpy calls. With `extend` (affine gaps) every step after a run's first is worth
    -extend: the first step's excess over that is added at the run's start.
    """

    def __init__(self, steps: np.ndarray, size: int, extend: float | None = None) -> None:
        if not np.isfinite(steps).all():
            raise ValueError("a 0-1 bead value is not finite")
        self.first, self.extend = steps, extend
        per = steps.copy() if extend is None else np.full_like(steps, -extend)
        per[:, 0] = 0.0
        self.total = np.cumsum(per, axis=1)
        self.opening = None if extend is None else steps[:, 1:] + extend  # at k': what opening at k'+1 adds
        # per cell (affine gaps only): its 0-1 bead continues a run
        self.continued = None if extend is None else np.zeros(steps.shape, bool)
        # Sums in another order round differently: only clear gains count as a run.
        self.tolerance = 1e-9 * (size + 1)

    def scan(self, rows: int | slice, values: np.ndarray) -> np.ndarray:
        """Return the best run value reaching each cell of one row or a block of rows (-inf
        where none); `values` holds their cells, shape (width,) or (rows, width)."""
        total = self.total[rows]
        starts = (values - total)[..., :-1]
        if self.opening is not None:
            starts += self.opening[rows]
        best = np.empty_like(values)
        best[..., 0] = -np.inf
        np.maximum.accumulate(starts, axis=-1, out=best[..., 1:])
        return total + best

    def mark(self, rows: int | slice, runs: np.ndarray, cells: np.ndarray) -> None:
        """Record where the best run reaching a cell extends the run reaching the cell before
        rather than opening after that cell's best path (`runs` from `scan`, `cells` final)."""
        if self.continued is not None and self.extend is not None:
            opened = cells[..., :-1] + self.first[rows][..., 1:]
            self.continued[rows][..., 1:] = runs[..., :-1] - self.extend > opened + self.tolerance


class _Runs:
    """Runs of 1-0 beads down the rows, for affine gaps: per cell, the best value of a path that
    ends in a 1-0 bead, and whether that bead continues a run (Gotoh's source-gap state)."""

    def __init__(self, cells: int, shape: tuple[int, int], slot: int, extend: float) -> None:
        self.value = np.full(cells, -np.inf)  # flat, in the score's layout: the sentinel stays -inf
        self.continued = np.zeros(shape, bool)
        self.slot, self.extend = slot, extend

    def source_side(self, rows: int | slice, cells: tuple[int, int], sources: np.ndarray, cand: np.ndarray) -> None:
        """Make the 1-0 candidates of a step's rows (`cand`'s slot, opened after the best path
        above) the best of opening and extending a run there, and keep them for the rows below."""
        opened = cand[..., self.slot, :]  # a view: written in place
        extended = self.value.take(sources[..., self.slot, :]) - self.extend
        more = extended > opened
        np.copyto(opened, extended, where=more)
        self.value[cells[0] : cells[1]] = opened.ravel()
        self.continued[rows] = more


def _backtrack(
    start: tuple[int, int], end: tuple[int, int], lo: np.ndarray, back: np.ndarray, slots: Sequence[BeadShape],
    continues: tuple[np.ndarray | None, np.ndarray | None],
) -> list[Span]:  # fmt: skip
    """Follow back pointers (slots of `slots`) from cell `end` to cell `start` and return the
    beads in order; every cell on the way is reachable, as the end is. Where a 1-0 (0-1) bead
    continues a run (`continues`: source side, target side), the bead before it is another,
    whatever that cell's own pointer says."""
    path: list[Span] = []
    i, j = end
    forced: BeadShape | None = None
    while (i, j) != start:
        k = j - lo[i]
        a, b = forced or slots[back[i, k]]
        path.append((i - a, i, j - b, j))
        run = continues[0] if (a, b) == (1, 0) else continues[1] if (a, b) == (0, 1) else None
        forced = (a, b) if run is not None and run[i, k] else None
        i, j = i - a, j - b
    path.reverse()
    return path
