"""One pair's links in row order, written back into the document, with the three versions kept
consistent: an edit to a pair a derived pair comes from re-derives it (`triangle.derive`, as
`aligner build` does), and an edit to a derived pair stands only where the pivot allows it; an
edit that would undo a person's link of a derived pair is refused, with what to do instead."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import replace

from aligner.build import alignment_plan, engine_signature
from aligner.corpus.links import Aligner, align_keeping_person_links, person_links
from aligner.corpus.model import Alignment, Document, Link, ParallelText, reverse
from aligner.corpus.rows import aligned_rows
from aligner.corpus.triangle import contradictions, derive, derive_near, positions, show_link
from aligner.edit.journal import trimmed
from aligner.edit.links import Links, stretch
from aligner.errors import EditError

# (source language, target language) → the engine for that pair, as `aligner build` makes it
EngineFor = Callable[[str, str], Aligner]


def stored(text: ParallelText, a: str, b: str) -> Alignment:
    """The alignment of a pair as it is stored (either way round); an error naming the pairs there are."""
    for al in text.alignments:
        if set(al.pair) == {a, b}:
            return al
    have = ", ".join(f"{al.src_lang},{al.tgt_lang}" for al in text.alignments) or "none"
    raise EditError(f"{text.doc_id}: no {a},{b} links (pairs: {have}); choose one with --pair")


def pair_links(text: ParallelText, a: str, b: str) -> Links:
    """The links of a↔b seen from `a`, in the order `aligner show --langs a,b` numbers its rows;
    a sentence no link holds is an omission of its own. Kept for the last few states of each
    pair; after an edit, found from the rows before it where the edit's stretch allows (`_follow`)."""
    al = stored(text, a, b)
    docs = text.versions[a], text.versions[b]
    recent = _ROWS[text.doc_id, a, b] = _ROWS.pop((text.doc_id, a, b), [])  # last used last
    for seen, da, db, rows in recent:
        if seen is al and da is docs[0] and db is docs[1]:
            return rows
    found = _follow(recent, al, docs) if al.pair == (a, b) else None
    if found is None:
        view = al if al.pair == (a, b) else reverse(al)
        fast = _row_order(view.links, text, a, b)
        found = fast if fast is not None else _by_rows(view.links, text, a, b)
        found = view.links if found == view.links else found  # rows in stored order: `_follow` may start from them
    recent.insert(0, (al, docs[0], docs[1], found))
    del recent[4:]
    while len(_ROWS) > 48:  # views of the documents opened last
        del _ROWS[next(iter(_ROWS))]
    return found


# (document, a, b) → the last states of the pair seen from a: (stored alignment, a's and b's versions, rows)
_ROWS: dict[tuple[str, str, str], list[tuple[Alignment, Document, Document, Links]]] = {}


def _follow(recent: list[tuple[Alignment, Document, Document, Links]], al: Alignment, docs: tuple[Document, Document]) -> Links | None:
    """The rows of `al` when they are its stored order: true of a state before the edit whose
    rows were its stored order, if the edited stretch, taken from a two-sided link before it to
    one after it, is in row order by itself (outside it nothing moved)."""
    if not recent or recent[0][3] is not recent[0][0].links:
        return None
    links = al.links
    start, _, end = trimmed(recent[0][0].links, links)
    lo, hi = start - 1, end + 1
    while lo > 0 and not (links[lo].src and links[lo].tgt):
        lo -= 1
    while hi < len(links) and not (links[hi - 1].src and links[hi - 1].tgt):
        hi += 1
    stretch = links[max(lo, 0) : min(hi, len(links))]
    (src_pos, _), (tgt_pos, _) = positions(docs[0]), positions(docs[1])
    local = ({x: src_pos[x] for lk in stretch for x in lk.src}, {x: tgt_pos[x] for lk in stretch for x in lk.tgt})
    return links if _ordered(stretch, *local) == stretch else None


def _by_rows(links: Sequence[Link], text: ParallelText, a: str, b: str) -> Links:
    """The links in `aligned_rows`' order, asking it (any alignment, slower)."""
    holder = {(a, s): lk for lk in links for s in lk.src} | {(b, t): lk for lk in links for t in lk.tgt}
    out: list[Link] = []
    seen: set[int] = set()
    for row in aligned_rows(text, [a, b]):
        first = next((lang, s.id) for lang in (a, b) for s in row.cells[lang])
        lk = holder.get(first) or Link(tuple(s.id for s in row.cells[a]), tuple(s.id for s in row.cells[b]), 0.0)
        if id(lk) not in seen:
            seen.add(id(lk))
            out.append(lk)
    return tuple(out)


def _row_order(links: Sequence[Link], text: ParallelText, a: str, b: str) -> Links | None:
    """`aligned_rows`' order for two versions, in O(n log n) (see `_ordered`)."""
    return _ordered(links, positions(text.versions[a])[0], positions(text.versions[b])[0])


def _ordered(links: Sequence[Link], src_pos: dict[str, int], tgt_pos: dict[str, int]) -> Links | None:
    """The links in `aligned_rows`' order: links with a source sentence by their first one, and
    each target-only link after the last of them that starts before it in the target. None when
    it does not apply (a sentence of the positions in no link or in two, or links that cross in
    the target)."""
    held = [x for lk in links for x in lk.src]
    if len(held) != len(src_pos) or set(held) != src_pos.keys():
        return None
    held = [x for lk in links for x in lk.tgt]
    if len(held) != len(tgt_pos) or set(held) != tgt_pos.keys():
        return None
    placed = sorted((lk for lk in links if lk.src), key=lambda lk: min(src_pos[s] for s in lk.src))
    keyed = [(min(tgt_pos[t] for t in lk.tgt), n) for n, lk in enumerate(placed) if lk.tgt]
    starts = [k for k, _ in keyed]
    if any(x >= y for x, y in zip(starts, starts[1:], strict=False)):
        return None
    after: dict[int, list[Link]] = {}
    for lk in sorted((lk for lk in links if not lk.src), key=lambda lk: min(tgt_pos[t] for t in lk.tgt)):
        k = bisect.bisect_left(starts, min(tgt_pos[t] for t in lk.tgt))
        after.setdefault(keyed[k - 1][1] if k else -1, []).append(lk)
    out = list(after.get(-1, []))
    for n, lk in enumerate(placed):
        out += [lk, *after.get(n, [])]
    return tuple(out)


def put(text: ParallelText, al: Alignment) -> ParallelText:
    """The document with a pair's alignment replaced, stored the way round it was."""
    old = stored(text, *al.pair)
    new = al if old.pair == al.pair else reverse(al)
    return replace(text, alignments=tuple(new if x is old else x for x in text.alignments))


def with_links(text: ParallelText, a: str, b: str, links: Sequence[Link]) -> ParallelText:
    """The document with a↔b's links replaced (given from `a`)."""
    return put(text, Alignment(a, b, tuple(links), stored(text, a, b).signature))


def derived_pairs(text: ParallelText) -> list[tuple[str, str, str]]:
    """(A, pivot, C) for each stored pair A↔C made through a pivot, as `aligner build` plans them."""
    return [t for t in alignment_plan(text.versions)[1] if any(set(al.pair) == {t[0], t[2]} for al in text.alignments)]


def _oriented(text: ParallelText, a: str, b: str) -> Alignment:
    al = stored(text, a, b)
    return al if al.pair == (a, b) else reverse(al)


def reconcile(
    text: ParallelText, edited: Sequence[tuple[str, str]], engine_for: EngineFor, before: ParallelText | None = None,
) -> ParallelText:  # fmt: skip
    """Re-derive every derived pair whose legs (or itself) were edited, keeping its person links.
    An edit that would lose a person's link of a derived pair is refused (`_refusal`): one it made
    there that the pivot contradicts, or one made or confirmed before that an edit of a leg now
    contradicts (never undone behind the person's back). Given the document `before` the edit,
    only the stretch around what it changed is derived again (`triangle.derive_near`; the whole
    pair when no clean cut is found)."""
    edited_sets = [set(p) for p in edited]
    touched = changed_sentences(before, text) if before is not None else None
    for a, pivot, c in derived_pairs(text):
        if not any(p in ({a, pivot}, {pivot, c}, {a, c}) for p in edited_sets):
            continue
        ab, bc, old = _oriented(text, a, pivot), _oriented(text, pivot, c), _oriented(text, a, c)
        versions = text.versions[a], text.versions[pivot], text.versions[c]
        near = derive_near(ab, bc, old, versions, engine_for(a, c), touched, engine_signature(a, c)) if touched is not None else None
        if near is None:
            new = derive(ab, bc, versions, engine_for(a, c), person_links(old), engine_signature(a, c))
            (ab, bc, derived), mine = (ab, bc, new), person_links(old)
        else:
            new, (ab, bc, derived), mine = near
        kept = {(lk.src, lk.tgt) for lk in derived.links}
        lost = [lk for lk in mine if (lk.src, lk.tgt) not in kept]
        if lost:
            raise _refusal(text if before is None else before, (a, pivot, c), lost)
        problems = contradictions(ab, bc, derived)
        if problems:
            raise EditError(f"{text.doc_id}: {problems[0]}; this is a bug, please report it")
        text = put(text, new)
    return text


def _refusal(before: ParallelText, triple: tuple[str, str, str], lost: Sequence[Link]) -> EditError:
    """Why an edit that loses these person's links of the derived pair a↔c is refused, and what to
    do: a link the edit made there contradicts the pivot (make it in a leg instead); a link a
    person had made or confirmed would be undone by the edit of a leg (unconfirm it first, then
    edit: a person's work is undone only by a person)."""
    a, pivot, c = triple
    rows = pair_links(before, a, c)
    made = [lk for lk in lost if lk not in rows]
    if made:
        return EditError(f"{a}↔{c} is derived through {pivot}: the link {show_link(made[0])} contradicts "
                         f"{a}↔{pivot} and {pivot}↔{c}; make this edit in one of those pairs instead")
    n = rows.index(lost[0])
    more = f" (and {len(lost) - 1} more)" if len(lost) > 1 else ""
    return EditError(f"this edit would undo {a}↔{c} link {n} {show_link(lost[0])}{more}, which a person made or confirmed "
                     f"({a}↔{c} is derived through {pivot} and must agree with it); to make this edit, unconfirm that link "
                     f"first: aligner edit {before.doc_id} --pair {a},{c} unconfirm {n}")


def changed_sentences(before: ParallelText, after: ParallelText) -> set[str]:
    """The sentences of every link and paragraph an edit changed, as they were and as they are."""
    out: set[str] = set()
    for old, new in zip(before.alignments, after.alignments, strict=True):
        if old is not new:
            start, old_end, new_end = trimmed(old.links, new.links)
            out |= {x for lk in (*old.links[start:old_end], *new.links[start:new_end]) for x in (*lk.src, *lk.tgt)}
    for lang, doc in before.versions.items():
        if doc is not after.versions[lang]:
            paras = after.versions[lang].paragraphs
            start, old_end, new_end = trimmed(doc.paragraphs, paras)
            out |= {s.id for p in (*doc.paragraphs[start:old_end], *paras[start:new_end]) for s in p.sentences}
    return out


def realign(text: ParallelText, a: str, b: str, n: int, engine_for: EngineFor) -> Links:
    """a↔b's links with the unconfirmed stretch around row `n` aligned again by the engine; every
    link outside it is held in place, as `aligner build` holds a person's links."""
    links = pair_links(text, a, b)
    start, end = stretch(links, n)
    fixed = links[:start] + links[end:]
    return align_keeping_person_links(text.versions[a], text.versions[b], fixed, engine_for(a, b))
