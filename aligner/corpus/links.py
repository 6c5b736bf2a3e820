"""Operations on links between versions: from engine beads, composition through a pivot, and
re-alignment that keeps what a person made."""

from __future__ import annotations

import bisect
import inspect
from collections.abc import Callable, Sequence
from typing import Protocol, TypeGuard

from aligner.align.bead import Bead
from aligner.align.search import Span
from aligner.corpus.disjoint import DisjointSets
from aligner.corpus.model import Alignment, Document, Link

# (source texts, target texts) → beads of sentence indices
Aligner = Callable[[Sequence[str], Sequence[str]], Sequence[Bead]]


class KeepingAligner(Protocol):
    """An aligner that also takes beads its result must hold as they are (`engine.align`)."""

    def __call__(self, src: Sequence[str], tgt: Sequence[str], *, keep: Sequence[Span] = ()) -> Sequence[Bead]:
        """Beads of sentence indices of the two texts, `keep` among them."""


def beads_to_links(beads: Sequence[Bead], src_ids: Sequence[str], tgt_ids: Sequence[str]) -> list[Link]:
    """Index beads from an engine → machine links between sentence ids."""
    return [
        Link(tuple(src_ids[i] for i in b.src), tuple(tgt_ids[j] for j in b.tgt), round(b.confidence, 3), "machine")
        for b in beads
    ]


def person_links(al: Alignment | None) -> list[Link]:
    """The links a person made or confirmed in an alignment, in its order."""
    return [lk for lk in al.links if lk.resp == "person"] if al else []


def align_keeping_person_links(
    src: Document, tgt: Document, fixed: Sequence[Link], engine: Aligner
) -> tuple[Link, ...]:
    """Align two versions; `fixed` links (a person's, still valid, in order) are kept as they are
    and the machine aligns the rest around them (`_aligned`).

    A fixed omission (1-0 or 0-1) says nothing of the other version, so it does not cut the
    text there: its sentence is left out of what the engine sees and the omission stands after
    the link that precedes it in its own version.
    """
    src_sents, tgt_sents = list(src.sentences()), list(tgt.sentences())
    src_pos = {s.id: i for i, s in enumerate(src_sents)}
    tgt_pos = {s.id: i for i, s in enumerate(tgt_sents)}
    anchors = _monotone([lk for lk in fixed if lk.src and lk.tgt], src_pos, tgt_pos)
    anchored = {x for lk in anchors for x in (*lk.src, *lk.tgt)}
    held = [lk for lk in _monotone([lk for lk in fixed if not (lk.src and lk.tgt)], src_pos, tgt_pos)
            if not anchored & {*lk.src, *lk.tgt}]
    alone = {x for lk in held for x in (*lk.src, *lk.tgt)}
    seen_src = [s for s in src_sents if s.id not in alone]
    seen_tgt = [t for t in tgt_sents if t.id not in alone]
    at_src = {s.id: i for i, s in enumerate(seen_src)}
    at_tgt = {t.id: j for j, t in enumerate(seen_tgt)}
    spans = {_extent(lk, at_src, at_tgt): lk for lk in anchors}
    beads = _aligned(engine, [s.text for s in seen_src], [t.text for t in seen_tgt], list(spans))
    made = beads_to_links(beads, [s.id for s in seen_src], [t.id for t in seen_tgt])
    links = [spans.get(_extent(lk, at_src, at_tgt), lk) if lk.src and lk.tgt else lk for lk in made]
    return _place_held(links, held, src_pos, tgt_pos)


def _extent(lk: Link, src_pos: dict[str, int], tgt_pos: dict[str, int]) -> Span:
    """The bead (i0, i1, j0, j1) a link with both sides spans: from its first to past its last
    sentence a side (a link that skips a sentence spans it too: that sentence is left out)."""
    src, tgt = [src_pos[s] for s in lk.src], [tgt_pos[t] for t in lk.tgt]
    return min(src), max(src) + 1, min(tgt), max(tgt) + 1


def _aligned(engine: Aligner, src: Sequence[str], tgt: Sequence[str], keep: Sequence[Span]) -> list[Bead]:
    """Beads of two texts that hold each bead of `keep` (in order, disjoint) as it is.

    An engine that takes `keep` (the sentence engine, `engine.align`) aligns the whole texts once
    around them, so what lies between them is decided with the whole texts' signals (their
    unrelated levels, their length ratio, a bead's neighbours in its confidence); any other (the
    subtitle timer), or beads so far from the path the search would take that one band holding
    them would be too wide (`engine.FarFromPath`), aligns each stretch between them as a text of
    its own.
    """
    from aligner.align.engine import FarFromPath

    if keep and _takes_keep(engine):
        try:
            return list(engine(src, tgt, keep=keep))
        except FarFromPath:
            pass
    beads: list[Bead] = []
    i = j = 0
    for span in [*keep, None]:
        i_end, j_end = (span[0], span[2]) if span else (len(src), len(tgt))
        if i_end > i or j_end > j:
            beads += [
                Bead(tuple(i + k for k in b.src), tuple(j + k for k in b.tgt), b.confidence)
                for b in engine(src[i:i_end], tgt[j:j_end])
            ]
        if span:
            beads.append(Bead(tuple(range(span[0], span[1])), tuple(range(span[2], span[3]))))
            i, j = span[1], span[3]
    return beads


def _takes_keep(engine: Aligner) -> TypeGuard[KeepingAligner]:
    """Whether an engine takes `keep`, beads its alignment must hold (a wrapper of the engine is
    given them only if it takes `keep` too and passes it on)."""
    return "keep" in inspect.signature(engine).parameters


def _place_held(links: list[Link], held: list[Link], src_pos: dict[str, int], tgt_pos: dict[str, int]) -> tuple[Link, ...]:
    """The links with each held omission put after the last link before it in its own version."""
    after: dict[int, list[Link]] = {}
    for side, pos in ((0, src_pos), (1, tgt_pos)):
        marks = [(min(pos[x] for x in (lk.src, lk.tgt)[side]), n) for n, lk in enumerate(links) if (lk.src, lk.tgt)[side]]
        starts = [first for first, _ in marks]
        for lk in held:
            ids = (lk.src, lk.tgt)[side]
            if ids:
                k = bisect.bisect_left(starts, pos[ids[0]])
                after.setdefault(marks[k - 1][1] if k else -1, []).append(lk)
    out = list(after.get(-1, []))
    for n, lk in enumerate(links):
        out += [lk, *after.get(n, [])]
    return tuple(out)


def _monotone(fixed: Sequence[Link], src_pos: dict[str, int], tgt_pos: dict[str, int]) -> list[Link]:
    """The fixed links whose sentences still exist, in reading order, dropping any that cross or
    overlap one before them."""
    valid = [lk for lk in fixed if all(s in src_pos for s in lk.src) and all(t in tgt_pos for t in lk.tgt)]
    kept: list[Link] = []
    last_i = last_j = -1
    for lk in _reading_order(valid, src_pos, tgt_pos):
        first_i = min((src_pos[s] for s in lk.src), default=last_i + 1)
        first_j = min((tgt_pos[t] for t in lk.tgt), default=last_j + 1)
        if first_i > last_i and first_j > last_j:
            kept.append(lk)
            last_i = max((src_pos[s] for s in lk.src), default=last_i)
            last_j = max((tgt_pos[t] for t in lk.tgt), default=last_j)
    return kept


def _reading_order(links: Sequence[Link], src_pos: dict[str, int], tgt_pos: dict[str, int]) -> list[Link]:
    """Links sorted by their first source sentence; a link with no source sentence stands after
    the links that end before it in the target."""
    ends = [(max(src_pos[s] for s in lk.src), max(tgt_pos[t] for t in lk.tgt)) for lk in links if lk.src and lk.tgt]

    def key(lk: Link) -> tuple[float, int]:
        if lk.src:
            return (float(min(src_pos[s] for s in lk.src)), 0)
        first = min(tgt_pos[t] for t in lk.tgt)
        return (max((i for i, j in ends if j < first), default=-1) + 0.5, 1)

    return sorted(links, key=key)


def compose(ab: Alignment, bc: Alignment, pivot_ids: Sequence[str]) -> Alignment:
    """Links A↔C through a pivot B: links that share a pivot sentence merge into one A↔C link.

    `pivot_ids` gives B's reading order, which orders the result. Confidence is the weakest of
    the links combined. Every result is a machine's, whoever made its parts: a person's link of
    A↔C is one a person made or confirmed in A↔C itself (`triangle.derive` puts those back), so
    an edit of A↔B never shows as a person's work in A↔C, nor blocks an edit as one.
    """
    if ab.tgt_lang != bc.src_lang:
        raise ValueError(f"cannot compose {ab.pair} with {bc.pair}")
    pos = {b: k for k, b in enumerate(pivot_ids)}
    members = [(lk, 0) for lk in ab.links] + [(lk, 1) for lk in bc.links]
    sets: DisjointSets[int] = DisjointSets()
    owner: dict[str, int] = {}
    for k, (lk, side) in enumerate(members):
        for b in lk.tgt if side == 0 else lk.src:
            sets.union(k, owner.setdefault(b, k))
    keys = _pivot_keys(ab, pos, side=0) + _pivot_keys(bc, pos, side=1)
    groups: dict[int, list[int]] = {}
    for k in sorted(range(len(members)), key=lambda k: keys[k]):
        groups.setdefault(sets.find(k), []).append(k)
    links = []
    for ks in groups.values():
        parts = [members[k][0] for k in ks]
        src = tuple(s for k in ks if members[k][1] == 0 for s in members[k][0].src)
        tgt = tuple(t for k in ks if members[k][1] == 1 for t in members[k][0].tgt)
        if src or tgt:
            links.append(Link(src, tgt, min(p.confidence for p in parts), "machine"))
    signature = f"composed through {ab.tgt_lang}: {ab.src_lang}→{ab.tgt_lang}→{bc.tgt_lang}"
    return Alignment(ab.src_lang, bc.tgt_lang, tuple(links), signature)


def _pivot_keys(al: Alignment, pos: dict[str, int], side: int) -> list[tuple[float, int]]:
    """Where each link sits in pivot order; a link with no pivot sentence sits after the last one."""
    keys, last = [], -1.0
    for lk in al.links:
        pivots = [pos[b] for b in (lk.tgt if side == 0 else lk.src) if b in pos]
        here = float(min(pivots)) if pivots else last + 0.5
        keys.append((here, side))
        last = float(max(pivots)) if pivots else last
    return keys
