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
from aligner.align.search import Span
from aligner.corpus.model import Link

# similarity(i, a, b, j): similarity of src[i-a:i] and tgt[j-b:j], None outside the search band.
SimilarityFn = Callable[[int, int, int, int], "float | None"]
_CONTEXT = 3  # links either side that make up a bead's context
_MARGIN_CAP = 3.0  # a margin beyond this says nothing more
_SURE_SIMILARITY = 1.0  # what a bead fixed by the first pass counts for in its neighbours' context
LINKED = 0.5  # a link at least this confident counts as found
PARALLEL = 0.25  # texts with a smaller share of sentences in found links are not translations


def _sigmoid(x: float) -> float:
    """Return the logistic function of x."""
    return float(1.0 / (1.0 + np.exp(-x)))


def _best(values: list[float | None], default: float) -> float:
    """Return the largest known value, or default when none is known."""
    known = [v for v in values if v is not None]
    return max(known) if known else default


def features(
    path: Sequence[Span], similarity: SimilarityFn, sure: Mapping[Span, float],
    margins: Sequence[float],
) -> list[tuple[float, float, float, float]]:  # fmt: skip
    """Return (similarity, merged, context, margin) per link and (best rival similarity, 0,
    context, margin) per omission.

    Merged beads (more than one sentence a side) are wrong more often at equal similarity: their
    summed vectors look alike even when one sentence does not belong. The context, the mean
    similarity of the nearest links around, tells a weak link held in place by strong neighbours
    from a link between texts that are not translations at all. The margin, how much the search
    preferred the bead to any local change (`boundary.margin`, capped), tells a bead whose extent
    was clear from one that won a near tie.
    """
    own: list[float | None] = []
    for span in path:
        i0, i1, j0, j1 = span
        a, b = i1 - i0, j1 - j0
        if span in sure:
            own.append(_SURE_SIMILARITY)
        elif a and b:
            value = similarity(i1, a, b, j1)
            if value is None:
                raise ValueError(f"bead {i0}-{i1}:{j0}-{j1} lies outside the search band")
            own.append(value)
        else:
            own.append(None)
    out = []
    for k, (i0, i1, j0, j1) in enumerate(path):
        around = [
            v
            for v in own[max(k - _CONTEXT, 0) : k] + own[k + 1 : k + 1 + _CONTEXT]
            if v is not None
        ]
        context = sum(around) / len(around) if around else 0.0
        margin = min(margins[k], _MARGIN_CAP)
        value = own[k]
        if value is not None:
            out.append((value, float(i1 - i0 + j1 - j0 > 2), context, margin))
        elif i1 > i0:  # source sentence i0 left out: how well does it match nearby targets?
            rivals = [similarity(i1, 1, 1, j) for j in range(j0 - 1, j0 + 3)]
            out.append((_best(rivals, -1.0), 0.0, context, margin))
        else:
            rivals = [similarity(i, 1, 1, j1) for i in range(i0 - 1, i0 + 3)]
            out.append((_best(rivals, -1.0), 0.0, context, margin))
    return out


def confidences(
    path: Sequence[Span], similarity: SimilarityFn, calibration: Calibration,
    margins: Sequence[float], sure: Mapping[Span, float] | None = None,
) -> list[float]:  # fmt: skip
    """Return a calibrated probability that each bead of the path is correct.

    The logistic coefficients are the encoder's (`Calibration.link`, `.omission`); `margins` are
    the beads' `boundary.margin`s; beads in `sure` (fixed by a first pass) keep their confidence.
    """
    link, omission = calibration.link, calibration.omission
    sure = sure or {}
    result = []
    feats = features(path, similarity, sure, margins)
    for span, (first, merged, context, margin) in zip(path, feats, strict=True):
        i0, i1, j0, j1 = span
        if span in sure:
            result.append(sure[span])
        elif i1 > i0 and j1 > j0:
            result.append(
                _sigmoid(link[0] + link[1] * first + link[2] * merged + link[3] * context + link[4] * margin)
            )
        else:
            result.append(_sigmoid(omission[0] + omission[1] * first))
    return result


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


def unrelated(beads: Sequence[Bead] | Sequence[Link]) -> float | None:
    """Return the `linked_share` of two texts that do not look like translations, else None.

    Texts with no sentence on one side are not judged: there is nothing to translate.
    """
    if not any(b.src for b in beads) or not any(b.tgt for b in beads):
        return None
    share = linked_share(beads)
    return share if share < PARALLEL else None
