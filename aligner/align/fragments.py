"""Sentences without words (`langs.worded`): left out of the search, given back as omissions.

An encoder's vector of "V" or "» ." is noise, and the search folds such a line into whichever
neighbouring link loses least by it. On Text+Berg's OCR most of them are omissions in the gold
(6 of 9); leaving them out of the search raised its strict F1 from 0.9065 to 0.9125.
"""

from __future__ import annotations

from collections.abc import Sequence

from aligner.align.bead import Bead
from aligner.ingest.langs import worded

CONFIDENCE = 0.5  # nothing tells whether a line without words belongs to a neighbour


def kept(texts: Sequence[str]) -> list[int]:
    """Return the indices of the sentences that have a word."""
    return [index for index, text in enumerate(texts) if worded(text)]


def restore(beads: Sequence[Bead], src_kept: Sequence[int], tgt_kept: Sequence[int], n: int, m: int) -> list[Bead]:
    """Map beads over the kept sentences back to all n source and m target sentences, in order.

    A left-out sentence between two sentences of one bead joins that bead (beads are
    consecutive); any other is an omission of confidence `CONFIDENCE`, placed where it stands.
    """
    out: list[Bead] = []
    i = j = 0  # the first source and target sentence not yet placed

    def omit_until(end_i: int, end_j: int) -> None:
        nonlocal i, j
        out.extend(Bead((k,), (), CONFIDENCE) for k in range(i, end_i))
        out.extend(Bead((), (k,), CONFIDENCE) for k in range(j, end_j))
        i, j = max(i, end_i), max(j, end_j)

    for bead in beads:
        src = [src_kept[k] for k in bead.src]
        tgt = [tgt_kept[k] for k in bead.tgt]
        omit_until(src[0] if src else i, tgt[0] if tgt else j)
        new_src = tuple(range(src[0], src[-1] + 1)) if src else ()
        new_tgt = tuple(range(tgt[0], tgt[-1] + 1)) if tgt else ()
        out.append(Bead(new_src, new_tgt, bead.confidence))
        i, j = (src[-1] + 1 if src else i), (tgt[-1] + 1 if tgt else j)
    omit_until(n, m)
    return out
