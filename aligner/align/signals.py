"""Per-sentence signals and their cheap combination over spans of consecutive sentences.

Vectors (e5 embeddings, or hashed character bigrams for two Chinese versions) are summed with
prefix sums, so the vector of any span costs one subtraction: no re-encoding of merged sentences.
Overlap counts (numbers, dictionary words) between single sentences are kept only inside the
search band and summed the same way.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TypeAlias, TypeVar

import numpy as np
from scipy.sparse import csr_array, issparse

from aligner.align.search import Band

HASH_DIM = 512
_SAMPLE = 64  # random partners per sentence to estimate its unrelated-pair similarity
_NEAR = 1.5  # a short text's rows this close to a row's proportional place may be its translation
_PRIOR_ROWS = 4.0  # how many rows' worth the encoder's prior counts in a short text's level
_BLOCK = 256  # source rows a pair table takes in one matrix product


@dataclass(frozen=True)
class Side:
    """One text (or its blocks of consecutive sentences): unit vectors and character lengths."""

    vecs: np.ndarray  # (n, d) float32, rows L2-normalised (zero rows for empty text)
    lengths: np.ndarray  # (n,) float64


def hashed_bags(items: Sequence[Iterable[str]]) -> np.ndarray:
    """Return L2-normalised hashed bags of each sentence's items, shape (n, HASH_DIM)."""
    bags = [list(bag) for bag in items]
    bucket = {item: zlib.crc32(item.encode()) % HASH_DIM for item in set().union(*bags)}
    rows = np.repeat(np.arange(len(bags)), [len(bag) for bag in bags])
    cols = np.fromiter(chain.from_iterable(map(bucket.__getitem__, bag) for bag in bags), np.intp)
    counts = np.bincount(rows * HASH_DIM + cols, minlength=len(bags) * HASH_DIM)
    return normalise(counts.reshape(len(bags), HASH_DIM).astype(np.float32))


def hashed_ngrams(sentences: Sequence[str], size: int) -> np.ndarray:
    """Return hashed bags of lower-cased character n-grams, shape (n, HASH_DIM)."""
    texts = [" ".join(text.lower().split()) for text in sentences]
    return hashed_bags(
        [[t[k : k + size] for k in range(max(len(t) - size + 1, 1))] if t else [] for t in texts]
    )


def normalise(vecs: np.ndarray) -> np.ndarray:
    """Return rows scaled to unit length; zero rows stay zero."""
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return (vecs / np.where(norms > 0, norms, 1.0)).astype(np.float32, copy=False)


def blocks(side: Side) -> Side:
    """Return the side at half resolution: each pair of consecutive sentences as one block."""
    half, odd = divmod(len(side.lengths), 2)
    summed = np.empty((half + odd, side.vecs.shape[1]), np.float32)
    np.add(side.vecs[0 : 2 * half : 2], side.vecs[1 : 2 * half : 2], out=summed[:half])
    lengths = np.empty(half + odd)
    np.add(side.lengths[0 : 2 * half : 2], side.lengths[1 : 2 * half : 2], out=lengths[:half])
    if odd:  # the last sentence is a block alone (no padded copy of the whole side)
        summed[half], lengths[half] = side.vecs[-1], side.lengths[-1]
    return Side(normalise(summed), lengths)


def prefix(values: np.ndarray) -> np.ndarray:
    """Return prefix sums along axis 0 with a leading zero row (span sum = P[end] - P[start])."""
    sums = np.zeros((len(values) + 1,) + values.shape[1:], dtype=values.dtype)
    np.cumsum(values, axis=0, dtype=values.dtype, out=sums[1:])  # in place: no second copy
    return sums


def baselines(mine: np.ndarray, other: np.ndarray, rng: np.random.Generator, prior: float) -> np.ndarray:
    """Return each row's unrelated level: its mean cosine with random rows of the other text.

    Where the other text has fewer usable rows than the sample, a random row would too often be
    the row's own translation (a text of one sentence has no other): each row's level is then its
    mean cosine with the rows away from its proportional place, with `_PRIOR_ROWS` rows' worth of
    `prior` (the encoder's level for unrelated pairs, measured), so one sentence gets the prior.
    """
    usable = np.flatnonzero(np.any(other != 0, axis=1))  # rows never encoded carry no information
    if len(usable) == 0 or len(mine) == 0:
        return np.zeros(len(mine))
    if len(usable) >= _SAMPLE:
        sample = other[usable[rng.integers(0, len(usable), size=_SAMPLE)]]
        return (mine @ sample.T).mean(axis=1).astype(np.float64)
    cos = (mine @ other[usable].T).astype(np.float64)
    place = (np.arange(len(mine)) + 0.5) * len(other) / len(mine) - 0.5  # the partner a row expects
    away = np.abs(usable[None, :] - place[:, None]) >= _NEAR
    level = (np.where(away, cos, 0.0).sum(axis=1) + _PRIOR_ROWS * prior) / (away.sum(axis=1) + _PRIOR_ROWS)
    return np.where(np.any(mine != 0, axis=1), level, 0.0)  # a row never encoded has no level, as above


class PairTable:
    """A value for every sentence pair a bead inside the band can touch, summable over spans.

    Row x holds targets off[x] … off[x] + width - 1 as prefix sums, so the sum over a block
    src[i-a:i] × tgt[j-b:j] is a sum over single source rows; the sums for a - 1 rows are reused.
    """

    def __init__(self, cum: np.ndarray, off: np.ndarray, band: Band) -> None:
        self.cum = cum  # (n, width + 1) prefix sums along targets
        self.off = off  # (n,) first target of each source row
        self.band = band
        self._last: dict[int, tuple[int, np.ndarray]] = {}  # per b: rows summed, sums
        self._place_of = (0, np.zeros((0, 1), np.int64), np.zeros((0, 0), np.int64), np.zeros((0, 0), np.int64))

    def sums(self, a: int, b: int) -> np.ndarray:
        """Return, per band cell (i, k), the sum over src[i-a:i] × tgt[j-b:j], j = lo[i] + k."""
        done, total = self._last.get(b, (0, np.zeros((len(self.off) + 1, self.band.width))))
        if done > a:
            done, total = 0, np.zeros_like(total)
        for t in range(done + 1, a + 1):
            total = total + self._row(t, b)
        self._last[b] = (a, total)  # the sums for a + 1 rows start from here
        return total

    def _place(self, t: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return, per band cell (i, k), where source row i - t starts in the flat `cum`, where
        the cell's target end lies there, and that end within the row, uncut (the same for every
        b). Only the last t is kept: bead shapes come a before a + 1, so each b reuses it."""
        if self._place_of[0] != t:
            n, width = len(self.off), self.cum.shape[1] - 1
            x = np.maximum(np.arange(n + 1) - t, 0)
            start = (x * (width + 1))[:, None]
            ends = self.band.targets - self.off[x][:, None]
            self._place_of = (t, start, start + np.clip(ends, 0, width), ends)
        return self._place_of[1:]

    def _row(self, t: int, b: int) -> np.ndarray:
        """Return, per band cell (i, k), the sum over source row i - t × tgt[j-b:j]."""
        width = self.cum.shape[1] - 1
        start, end, ends = self._place(t)
        flat = self.cum.ravel()
        got = flat[end] - flat[start + np.clip(ends - b, 0, width)]
        got[:t] = 0.0  # rows before source row t have no row i - t
        return got


Rows: TypeAlias = "np.ndarray | csr_array"  # dense vectors, or a sparse 0/1 item incidence a sentence
H = TypeVar("H", bound=Hashable)


def pair_table(n: int, m: int, band: Band, reach: int, src_rows: Rows, tgt_rows: Rows) -> PairTable:
    """Tabulate the dot product of source row x and target row y for each x and the targets
    beads of ≤ reach can touch; one matrix product per block of sources, as the band is a strip."""
    lo = band.lo
    off = np.maximum(lo[1 : n + 1] - reach, 0)
    ends = np.minimum(lo[np.minimum(np.arange(n) + reach, n)] + band.width, m)
    width = max(int(np.max(ends - off, initial=0)), 1)
    values = np.zeros((n, width))
    for x0 in range(0, n, _BLOCK):
        x1 = min(x0 + _BLOCK, n)
        y0, y1 = int(off[x0]), int(ends[x1 - 1])  # both non-decreasing along the band
        if y1 <= y0:
            continue
        product = src_rows[x0:x1] @ tgt_rows[y0:y1].T
        block = np.asarray(product.toarray() if issparse(product) else product)  # type: ignore[union-attr]
        cols = off[x0:x1, None] + np.arange(width)[None, :]
        got = block[np.arange(x1 - x0)[:, None], np.clip(cols - y0, 0, y1 - y0 - 1)]
        values[x0:x1] = np.where(cols < ends[x0:x1, None], got, 0.0)
    cum = np.concatenate([np.zeros((n, 1)), np.cumsum(values, axis=1)], axis=1)
    return PairTable(cum, off, band)


def incidence(items: Sequence[Iterable[H]], columns: Mapping[H, int]) -> csr_array:
    """Return sentences × columns: 1 where the sentence has the column's item (items without a
    column are left out). Two sides over the same columns: a product of rows counts shared items."""
    rows = [sorted({columns[item] for item in sentence if item in columns}) for sentence in items]
    return csr_array(
        (
            np.ones(sum(map(len, rows)), np.float64),
            np.fromiter(chain.from_iterable(rows), np.int64),
            np.concatenate([[0], np.cumsum([len(row) for row in rows], dtype=np.int64)]),
        ),
        shape=(len(rows), max(len(columns), 1)),
    )


def counted(items: Counter[H]) -> list[tuple[H, int]]:
    """Return a multiset as distinct (item, k) pairs: shared pairs of two count Σ min(counts)."""
    return [(item, k) for item, count in items.items() for k in range(count)]


def span_grid(sums: np.ndarray, size: int, band: Band) -> np.ndarray:
    """Return, per band cell, the sum of a per-target quantity over tgt[j-size:j] (prefix `sums`)."""
    js = band.targets
    return sums[js] - sums[np.maximum(js - size, 0)]


def span_column(sums: np.ndarray, size: int) -> np.ndarray:
    """Return, per source position i, the sum over src[i-size:i] as a column (prefix `sums`)."""
    i = np.arange(len(sums))
    return (sums[i] - sums[np.maximum(i - size, 0)])[:, None]


@dataclass(frozen=True)
class Overlap:
    """Shared items (numbers, translated words) of spans: Σshared / (w·Σsrc + (1-w)·Σtgt).

    w = 0.5 gives Dice, w = 1 the share of source items found in the target.
    """

    table: PairTable
    src_sizes: np.ndarray  # prefix sums, (n + 1,)
    tgt_sizes: np.ndarray  # prefix sums, (m + 1,)
    src_weight: float

    def score(self, a: int, b: int, band: Band) -> tuple[np.ndarray, np.ndarray]:
        """Return (score, has items) per band cell for spans of a source and b target sentences."""
        shared = self.table.sums(a, b)
        w = self.src_weight
        total = w * span_column(self.src_sizes, a) + (1 - w) * span_grid(self.tgt_sizes, b, band)
        has = total > 0
        return np.where(has, shared / np.where(has, total, 1.0), 0.0), has


def overlap(
    src: Rows, tgt: Rows, sizes: tuple[Sequence[float], Sequence[float]], band: Band, src_weight: float, reach: int
) -> Overlap:
    """Count shared items (rows of `incidence`) for every sentence pair a bead of up to `reach` sentences can touch."""
    table = pair_table(src.shape[0], tgt.shape[0], band, reach, src, tgt)
    src_sizes = prefix(np.asarray(sizes[0], dtype=np.float64))
    tgt_sizes = prefix(np.asarray(sizes[1], dtype=np.float64))
    return Overlap(table, src_sizes, tgt_sizes, src_weight)
