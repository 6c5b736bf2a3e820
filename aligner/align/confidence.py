"""Calibrated confidence of each bead: a logistic function of its similarity, shape and context.

Fitted once (maximum likelihood) on the development gold sets aca, mag and textberg, plus texts
of those sets paired with the wrong partner (every link there is wrong, every omission right),
and fixed here. On those sets, beads with confidence ≥ 0.9 were 98.5 % correct.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from aligner.align.bead import Bead
from aligner.align.encoders import Calibration
from aligner.align.search import Span, linked, spans
from aligner.corpus.model import Link

# similarity(beads): similarity of src[i0:i1] and tgt[j0:j1] for each row (i0, i1, j0, j1) of an
# (n, 4) int array of links; NaN for a bead outside the search band.
SimilarityFn = Callable[[np.ndarray], np.ndarray]
_CONTEXT = 3  # links either side that make up a bead's context
_MARGIN_CAP = 3.0  # a margin beyond this says nothing more
_SURE_SIMILARITY = 1.0  # what a bead fixed by the first pass counts for in its neighbours' context
LINKED = 0.5  # a link at least this confident counts as found
PARALLEL = 0.25  # texts with a smaller share of sentences in found links are not translations


def _rivals(beads: np.ndarray) -> np.ndarray:
    """Return, for each omission, the 1-1 links of its sentence with the four sentences around
    it on the other side, shape (n, 4, 4): how well it would have matched nearby."""
    i0, i1, j0, j1 = beads.T
    shift = np.arange(-1, 3)[None, :]
    src_left = (i1 > i0)[:, None, None]
    src_rival = np.stack(np.broadcast_arrays(i1[:, None] - 1, i1[:, None], j0[:, None] + shift - 1, j0[:, None] + shift), axis=-1)
    tgt_rival = np.stack(np.broadcast_arrays(i0[:, None] + shift - 1, i0[:, None] + shift, j1[:, None] - 1, j1[:, None]), axis=-1)
    return np.where(src_left, src_rival, tgt_rival)


def features(
    path: Sequence[Span], similarity: SimilarityFn, sure: Mapping[Span, float],
    margins: Sequence[float] | np.ndarray,
) -> np.ndarray:  # fmt: skip
    """Return rows (similarity, merged, context, margin) per link and (best rival similarity, 0,
    context, margin) per omission, shape (len(path), 4).

    Merged beads (more than one sentence a side) are wrong more often at equal similarity: their
    summed vectors look alike even when one sentence does not belong. The context, the mean
    similarity of the nearest links around, tells a weak link held in place by strong neighbours
    from a link between texts that are not translations at all; a text of one link has no
    neighbours, and its own similarity stands for the context (0 called one-sentence translations
    unrelated). The margin, how much the search preferred the bead to any local change
    (`boundary.margin`, capped), tells a bead whose extent was clear from one that won a near tie.
    """
    beads = spans(path)
    sizes = beads[:, 1] - beads[:, 0], beads[:, 3] - beads[:, 2]
    link = linked(beads)
    own = np.full(len(beads), np.nan)
    own[link] = similarity(beads[link])
    fixed = np.array([span in sure for span in path], dtype=bool)
    lost = np.flatnonzero(link & ~fixed & np.isnan(own))
    if len(lost):
        i0, i1, j0, j1 = beads[lost[0]]
        raise ValueError(f"bead {i0}-{i1}:{j0}-{j1} lies outside the search band")
    own[fixed] = _SURE_SIMILARITY
    known = ~np.isnan(own)
    padded = np.concatenate([np.zeros(_CONTEXT), np.where(known, own, 0.0), np.zeros(_CONTEXT)])
    counted = np.concatenate([np.zeros(_CONTEXT), known, np.zeros(_CONTEXT)])
    total, count = np.zeros(len(beads)), np.zeros(len(beads))
    for shift in [*range(-_CONTEXT, 0), *range(1, _CONTEXT + 1)]:  # in the order of a sum over the neighbours
        total += padded[_CONTEXT + shift : _CONTEXT + shift + len(beads)]
        count += counted[_CONTEXT + shift : _CONTEXT + shift + len(beads)]
    context = np.divide(total, count, out=np.zeros(len(beads)), where=count > 0)
    if np.count_nonzero(known) == 1:  # a text of one link: no neighbour to tell its level, but itself
        context[known] = own[known]
    first = own.copy()
    omitted = np.flatnonzero(~link)
    if len(omitted):
        rivals = _rivals(beads[omitted])
        values = similarity(rivals.reshape(-1, 4)).reshape(len(omitted), -1)
        first[omitted] = np.where(np.isnan(values), -np.inf, values).max(axis=1)
        first[omitted[first[omitted] == -np.inf]] = -1.0  # no rival on the band
    merged = (link & (sizes[0] + sizes[1] > 2)).astype(float)
    return np.stack([first, merged, context, np.minimum(np.asarray(margins, dtype=float), _MARGIN_CAP)], axis=1)


def confidences(
    path: Sequence[Span], similarity: SimilarityFn, calibration: Calibration,
    margins: Sequence[float] | np.ndarray, sure: Mapping[Span, float] | None = None,
) -> list[float]:  # fmt: skip
    """Return a calibrated probability that each bead of the path is correct.

    The logistic coefficients are the encoder's (`Calibration.link`, `.omission`); `margins` are
    the beads' `boundary.margin`s; beads in `sure` (fixed by a first pass) keep their confidence.
    """
    link, omission = calibration.link, calibration.omission
    sure = sure or {}
    feats = features(path, similarity, sure, margins)
    first, merged, context, margin = feats.T
    score = np.where(
        linked(spans(path)),
        link[0] + link[1] * first + link[2] * merged + link[3] * context + link[4] * margin,
        omission[0] + omission[1] * first,
    )
    result = 1.0 / (1.0 + np.exp(-score))
    return [sure.get(span, float(p)) for span, p in zip(path, result, strict=True)]


def linked_share(beads: Sequence[Bead] | Sequence[Link]) -> float:
    """Return the share of all sentences that lie in links of confidence ≥ `LINKED`.

    Two versions of one text score high (measured: aca and mag 0.99, Bible 001 0.90, textberg
    0.63–0.80), texts paired with the wrong partner low (0.01–0.03); below `PARALLEL` the two
    texts do not look like translations of each other.
    """
    sentences = sum(len(b.src) + len(b.tgt) for b in beads)
    found = [b for b in beads if b.src and b.tgt and b.confidence >= LINKED]
    linked = sum(len(b.src) + len(b.tgt) for b in found)
    return linked / sentences if sentences else 0.0


def unrelated_warning(what: str, share: float) -> str:
    """What to say of two texts that do not look like translations of each other (`unrelated`),
    for the command line and the API alike."""
    return (
        f"{what} do not look like translations of each other: only {share:.0%} of their sentences are in"
        f" links of confidence ≥ {LINKED}; check that both files hold the same text in the languages given"
    )


def unrelated(beads: Sequence[Bead] | Sequence[Link]) -> float | None:
    """Return the `linked_share` of two texts that do not look like translations, else None.

    Texts with no sentence on one side are not judged: there is nothing to translate.
    """
    if not any(b.src for b in beads) or not any(b.tgt for b in beads):
        return None
    share = linked_share(beads)
    return share if share < PARALLEL else None
