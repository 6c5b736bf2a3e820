"""Second look at bead boundaries: move one sentence to the neighbouring bead where the encoder,
run on the joined sentences of each bead, says the other side of the boundary fits it better.

The search compares merged sentences through the sum of their vectors, which cannot tell where a
short sentence belongs ("事就这样成了。" is "and it was so", at the end of the verse before).
Encoding the joined text of a bead sees the sentence in its context. Only near ties of the
search are looked at again, so the encoder runs on few joined texts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from aligner.align.confidence import SimilarityFn
from aligner.align.search import Span

EncodeFn = Callable[[list[str]], np.ndarray]
ValueFn = Callable[[Sequence[Span]], "float | None"]  # the search's total value of some beads


def moves(a: Span, b: Span, most: int) -> list[tuple[Span, Span]]:
    """Return the bead pairs made by moving one sentence across the boundary of beads a and b.

    Both beads must link sentences on both sides before and after, and hold at most `most`
    sentences a side.
    """
    (i0, i1, j0, j1), (_, i2, _, j2) = a, b
    if not all(s[1] > s[0] and s[3] > s[2] for s in (a, b)):
        return []
    out = []
    for cut_i, cut_j in ((i1 - 1, j1), (i1 + 1, j1), (i1, j1 - 1), (i1, j1 + 1)):
        left, right = (i0, cut_i, j0, cut_j), (cut_i, i2, cut_j, j2)
        if all(0 < s[1] - s[0] <= most and 0 < s[3] - s[2] <= most for s in (left, right)):
            out.append((left, right))
    return out


def margin(path: Sequence[Span], k: int, value: ValueFn, most: int) -> float:
    """Return how much more the search valued bead k with its neighbours than any local change.

    The changes: one sentence moved across either boundary of bead k (see `moves`), or a
    neighbouring omission absorbed into it. A bead with a large margin is one whose extent the
    search had no doubt about; infinity when nothing could change.
    """
    smallest = float("inf")
    for near in (k - 1, k + 1):
        if not 0 <= near < len(path):
            continue
        pair = (path[near], path[k]) if near < k else (path[k], path[near])
        (i0, _, j0, _), (_, i2, _, j2) = pair
        if path[near][1] > path[near][0] and path[near][3] > path[near][2]:
            options: list[tuple[Span, ...]] = list(moves(*pair, most))
        elif max(i2 - i0, j2 - j0) <= most:
            options = [((i0, i2, j0, j2),)]  # the omitted sentence joins bead k
        else:
            options = []
        now = value(pair)
        alts = [alt for alt in map(value, options) if alt is not None]
        if now is not None and alts:
            smallest = min(smallest, now - max(alts))
    return smallest


def value(
    similarity: SimilarityFn, beads: Sequence[Span], omission: float = 0.0, threshold: float = 0.0
) -> float | None:
    """Return the search's total value of beads, or None when one is off the band.

    A link counts its similarity above `threshold`, an omission (one sentence) costs `omission`.
    """
    total = 0.0
    for i0, i1, j0, j1 in beads:
        if i1 > i0 and j1 > j0:
            link = similarity(i1, i1 - i0, j1 - j0, j1)
            if link is None:
                return None
            total += link - threshold
        else:
            total -= omission
    return total


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
    candidates: list[tuple[int, Span, Span]] = []
    for k in range(len(path) - 1):
        options = moves(path[k], path[k + 1], most)
        now = value(similarity, path[k : k + 2]) if options else None
        if now is None:
            continue
        for left, right in options:
            alt = value(similarity, (left, right))
            if alt is not None and alt >= now - tie:
                candidates.append((k, left, right))
    if not candidates:
        return path
    beads = sorted({s for k, *alt in candidates for s in (path[k], path[k + 1], *alt)})
    src_text, tgt_text = texts
    src_vecs = encode([src_text(s[0], s[1]) for s in beads])
    tgt_vecs = encode([tgt_text(s[2], s[3]) for s in beads])
    cosine = dict(zip(beads, np.einsum("ij,ij->i", src_vecs, tgt_vecs), strict=True))
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
