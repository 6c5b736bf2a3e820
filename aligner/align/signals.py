"""Per-sentence signals and their cheap combination over spans of consecutive sentences.

Vectors (e5 embeddings, or hashed character bigrams for two Chinese versions) are summed with
prefix sums, so the vector of any span costs one subtraction: no re-encoding of merged sentences.
Overlap counts (numbers, dictionary words) between single sentences are kept only inside the
search band and summed the same way.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from aligner.align.search import Band

HASH_DIM = 2048
_SAMPLE = 64  # random partners per sentence to estimate its unrelated-pair similarity


@dataclass(frozen=True)
class Side:
    """One text (or its blocks of consecutive sentences): unit vectors and character lengths."""

    vecs: np.ndarray  # (n, d) float32, rows L2-normalised (zero rows for empty text)
    lengths: np.ndarray  # (n,) float64


def hashed_bigrams(sentences: Sequence[str]) -> np.ndarray:
    """Return L2-normalised bags of hashed character bigrams, shape (n, HASH_DIM)."""
    out = np.zeros((len(sentences), HASH_DIM), dtype=np.float32)
    for row, text in enumerate(sentences):
        chars = "".join(text.split())
        grams = [chars[k : k + 2] for k in range(max(len(chars) - 1, 1))] if chars else []
        for gram in grams:
            out[row, zlib.crc32(gram.encode()) % HASH_DIM] += 1.0
    return _normalise(out)


def _normalise(vecs: np.ndarray) -> np.ndarray:
    """Return rows scaled to unit length; zero rows stay zero."""
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return (vecs / np.where(norms > 0, norms, 1.0)).astype(np.float32)


def blocks(side: Side) -> Side:
    """Return the side at half resolution: each pair of consecutive sentences as one block."""
    n = len(side.lengths)
    pad = n % 2
    vecs = np.vstack([side.vecs, np.zeros((pad, side.vecs.shape[1]), np.float32)])
    lengths = np.concatenate([side.lengths, np.zeros(pad)])
    summed = vecs[0::2] + vecs[1::2]
    return Side(_normalise(summed), lengths[0::2] + lengths[1::2])


def prefix(values: np.ndarray) -> np.ndarray:
    """Return prefix sums along axis 0 with a leading zero row (span sum = P[end] - P[start])."""
    zero = np.zeros((1,) + values.shape[1:], dtype=values.dtype)
    return np.concatenate([zero, np.cumsum(values, axis=0, dtype=values.dtype)])


def baselines(mine: np.ndarray, other: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return each row's mean cosine with random rows of the other text: its unrelated level."""
    if len(other) == 0 or len(mine) == 0:
        return np.zeros(len(mine))
    sample = other[rng.integers(0, len(other), size=min(_SAMPLE, len(other)))]
    return (mine @ sample.T).mean(axis=1).astype(np.float64)


@dataclass(frozen=True)
class Overlap:
    """Pair counts of shared items (numbers, translated words) for sentence pairs in a band.

    The span score is Σcounts / (w·Σsrc_sizes + (1-w)·Σtgt_sizes): w = 0.5 gives Dice,
    w = 1 the share of source items found in the target.
    """

    cum: np.ndarray  # (n, width + 1) prefix sums along targets of counts[x, off[x] + k]
    off: np.ndarray  # (n,) first target of each source row
    src_sizes: np.ndarray  # prefix sums, (n + 1,)
    tgt_sizes: np.ndarray  # prefix sums, (m + 1,)
    src_weight: float

    def score(self, i: int, a: int, b: int, js: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (score, has_evidence) for spans src[i-a:i] × tgt[j-b:j], j in js."""
        width = self.cum.shape[1] - 1
        shared = np.zeros(len(js))
        for x in range(i - a, i):
            end = np.clip(js - self.off[x], 0, width)
            start = np.clip(js - b - self.off[x], 0, width)
            shared += self.cum[x, end] - self.cum[x, start]
        w = self.src_weight
        total = w * (self.src_sizes[i] - self.src_sizes[i - a]) + (1 - w) * (
            self.tgt_sizes[js] - self.tgt_sizes[js - b]
        )
        has = total > 0
        return np.where(has, shared / np.where(has, total, 1.0), 0.0), has


def overlap(
    src: Sequence[object],
    tgt: Sequence[object],
    count: Callable[[object, object], int],
    sizes: tuple[Sequence[float], Sequence[float]],
    band: Band,
    src_weight: float,
    reach: int,
) -> Overlap:
    """Count shared items for every sentence pair a bead of up to `reach` sentences can touch."""
    n, m = len(src), len(tgt)
    lo = band.lo
    off = np.array([max(lo[x + 1] - reach, 0) for x in range(n)], dtype=np.int64)
    ends = [min(lo[min(x + reach, n)] + band.width, m) for x in range(n)]
    width = max([end - start for start, end in zip(off, ends, strict=True)] + [1])
    counts = np.zeros((n, width))
    for x in range(n):
        if not src[x]:
            continue
        for y in range(off[x], ends[x]):
            if tgt[y]:
                counts[x, y - off[x]] = count(src[x], tgt[y])
    cum = np.concatenate([np.zeros((n, 1)), np.cumsum(counts, axis=1)], axis=1)
    src_sizes = prefix(np.asarray(sizes[0], dtype=np.float64))
    tgt_sizes = prefix(np.asarray(sizes[1], dtype=np.float64))
    return Overlap(cum, off, src_sizes, tgt_sizes, src_weight)
