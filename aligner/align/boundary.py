"""Second look at bead boundaries: move one sentence to the neighbouring bead where the encoder,
run on the joined sentences of each bead, says the other side of the boundary fits it better.

The search compares merged sentences through the sum of their vectors, which cannot tell where a
short sentence belongs ("事就这样成了。" is "and it was so", at the end of the verse before).
Encoding the joined text of a bead sees the sentence in its context. Only near ties of the
search are looked at again, so the encoder runs on few joined texts.

Beads are rows (i0, i1, j0, j1) of an int array; every boundary of a path is weighed at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from aligner.align.confidence import SimilarityFn
from aligner.align.search import Span, linked, spans

EncodeFn = Callable[[list[str]], np.ndarray]


def _span(row: np.ndarray) -> Span:
    """Return one row of a bead array as a tuple (i0, i1, j0, j1)."""
    i0, i1, j0, j1 = map(int, row)
    return (i0, i1, j0, j1)


def moves(path: np.ndarray, most: int) -> tuple[np.ndarray, np.ndarray]:
    """Return, per boundary of consecutive beads, the four bead pairs made by moving one sentence
    across it, shape (boundaries, 4, 2, 4), and which of them are changes (boundaries, 4).

    A change needs both beads to link sentences on both sides before and after, with at most
    `most` sentences a side.
    """
    a, b = path[:-1], path[1:]
    i0, i1, j0, j1 = a.T
    i2, j2 = b[:, 1], b[:, 3]
    cuts = [(i1 - 1, j1), (i1 + 1, j1), (i1, j1 - 1), (i1, j1 + 1)]
    left = np.stack([np.stack([i0, ci, j0, cj], axis=-1) for ci, cj in cuts], axis=1)
    right = np.stack([np.stack([ci, i2, cj, j2], axis=-1) for ci, cj in cuts], axis=1)
    pairs = np.stack([left, right], axis=2)
    src_size, tgt_size = pairs[..., 1] - pairs[..., 0], pairs[..., 3] - pairs[..., 2]
    fits = ((src_size > 0) & (src_size <= most) & (tgt_size > 0) & (tgt_size <= most)).all(axis=2)
    return pairs, fits & (linked(a) & linked(b))[:, None]


def values(similarity: SimilarityFn, beads: np.ndarray, omission: float = 0.0, threshold: float = 0.0) -> np.ndarray:
    """Return the search's value of each bead (last axis (i0, i1, j0, j1)): a link its similarity
    above `threshold`, an omission minus `omission`; NaN for a link off the band."""
    flat = beads.reshape(-1, 4)
    out = np.full(len(flat), -omission)
    link = linked(flat)
    out[link] = similarity(flat[link]) - threshold
    return out.reshape(beads.shape[:-1])


def _moved(similarity: SimilarityFn, pairs: np.ndarray, ok: np.ndarray, omission: float = 0.0, threshold: float = 0.0) -> np.ndarray:
    """Return the value of each bead pair of `moves` (the sum of its two beads'), NaN where not a change."""
    out = np.full(ok.shape, np.nan)
    out[ok] = values(similarity, pairs[ok], omission, threshold).sum(axis=1)
    return out


def margins(
    path: np.ndarray, similarity: SimilarityFn, most: int, omission: float, threshold: float,
    only: np.ndarray | None = None,
) -> np.ndarray:  # fmt: skip
    """Return how much more the search valued each bead with its neighbours than any local change.

    The changes: one sentence moved across either boundary of the bead (see `moves`), or a
    neighbouring omission absorbed into it. A bead with a large margin is one whose extent the
    search had no doubt about; infinity when nothing could change. With `only` (a mask of the
    beads), the other beads' changes are not looked up and their margin is 0.
    """
    out = np.full(len(path), np.inf)
    if len(path) < 2:
        return out if only is None else np.where(only, out, 0.0)
    needed = np.ones(len(path) - 1, bool) if only is None else only[:-1] | only[1:]  # per boundary
    own = values(similarity, path, omission, threshold)
    now = own[:-1] + own[1:]
    pairs, ok = moves(path, most)
    moved = _moved(similarity, pairs, ok & needed[:, None], omission, threshold)
    best = np.max(np.where(np.isnan(moved), -np.inf, moved), axis=1)
    link = linked(path)
    both = link[:-1] & link[1:]
    merged = np.stack([path[:-1, 0], path[1:, 1], path[:-1, 2], path[1:, 3]], axis=-1)
    fits = needed & ~both & (np.maximum(merged[:, 1] - merged[:, 0], merged[:, 3] - merged[:, 2]) <= most)
    absorbed = np.full(len(merged), np.nan)  # an omission absorbed by its neighbour
    absorbed[fits] = values(similarity, merged[fits], omission, threshold)
    # bead k weighs its right boundary, bead k + 1 its left: moves between two links; else the
    # merged bead, for a bead whose neighbour is an omission
    with np.errstate(invalid="ignore"):
        as_left = np.where(both, now - best, np.where(~link[1:], now - absorbed, np.nan))
        as_right = np.where(both, now - best, np.where(~link[:-1], now - absorbed, np.nan))
    out[:-1] = np.fmin(out[:-1], as_left)  # fmin passes over NaN: no change there
    out[1:] = np.fmin(out[1:], as_right)
    return out if only is None else np.where(only, out, 0.0)


def refine(
    path: Sequence[Span],
    similarity: SimilarityFn,
    texts: tuple[Callable[[int, int], str], Callable[[int, int], str]],
    encode: EncodeFn,
    *,
    most: int,
    tie: float,
    gain: float,
) -> list[Span]:
    """Return the path with boundaries moved where the joined-text cosine gains more than `gain`.

    A move is considered when the search valued it within `tie` of its own choice; texts gives
    the joined text of src[i0:i1] and of tgt[j0:j1]. Moves never touch the same bead twice.
    """
    path = list(path)
    if len(path) < 2:
        return path
    beads = spans(path)
    own = values(similarity, beads)
    now = own[:-1] + own[1:]
    pairs, ok = moves(beads, most)
    moved = _moved(similarity, pairs, ok)
    with np.errstate(invalid="ignore"):
        near = ok & (moved >= (now - tie)[:, None])  # NaN (off the band) compares False
    candidates = [
        (int(k), _span(pairs[k, c, 0]), _span(pairs[k, c, 1]))
        for k, c in zip(*np.nonzero(near), strict=True)
    ]
    if not candidates:
        return path
    joined = sorted({s for k, *alt in candidates for s in (path[k], path[k + 1], *alt)})
    src_text, tgt_text = texts
    src_vecs = encode([src_text(s[0], s[1]) for s in joined])
    tgt_vecs = encode([tgt_text(s[2], s[3]) for s in joined])
    cosine = dict(zip(joined, np.einsum("ij,ij->i", src_vecs, tgt_vecs), strict=True))
    best: dict[int, tuple[float, Span, Span]] = {}
    for k, left, right in candidates:
        won = cosine[left] + cosine[right] - cosine[path[k]] - cosine[path[k + 1]]
        if won > gain and won > best.get(k, (gain,))[0]:
            best[k] = (won, left, right)
    changed: set[int] = set()
    for k in sorted(best, key=lambda k: -best[k][0]):  # the clearest gains first
        if k not in changed and k + 1 not in changed:
            path[k], path[k + 1] = best[k][1], best[k][2]
            changed |= {k, k + 1}
    return path
