"""A pair derived through a pivot (en↔zh-Hant through zh-Hans) that never contradicts the two
pairs it comes from, yet follows the text where the pivot has nothing to say.

The derived links are the composition A→B→C, except between sentences that have no B partner
(zh-Hans omits a sentence that en and zh-Hant both have): those are aligned directly. Links a
person made in A↔C are kept: carried onto A↔B before it is aligned, so that the composition
gives them back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from aligner.corpus.links import Aligner, beads_to_links, compose
from aligner.corpus.model import Alignment, Document, Link

# A direct link between unpivoted sentences is kept from this confidence, the engine's reliable
# level: on the seed text (tests/benchmarks/TRIANGLE_RESULTS.md) true gap links scored ≥ 0.98 and
# links to an unrelated sentence put in their place 0.64-0.78.
MATCH = 0.9
CONTEXT = 3  # links either side of a gap given to the engine with it, so it can judge it


def _key(lk: Link) -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(lk.src), frozenset(lk.tgt)


def _pivoted(ab: Alignment, bc: Alignment) -> tuple[set[str], set[str]]:
    """A sentences with a B partner, and C sentences with a B partner."""
    return {a for lk in ab.links if lk.tgt for a in lk.src}, {c for lk in bc.links if lk.src for c in lk.tgt}


def show_link(lk: Link) -> str:
    """A link for a message: [its source ids | its target ids]."""
    return f"[{' '.join(lk.src) or '-'} | {' '.join(lk.tgt) or '-'}]"


def contradictions(ab: Alignment, bc: Alignment, ac: Alignment) -> list[str]:
    """Where A↔C disagrees with A→B→C, one line each; none means the three groups agree.

    Every A↔C link touching a sentence with a B partner must be exactly the composed link of
    its sentences (an omission only where the composition has nothing on that side); links
    between sentences without a B partner are free, as the pivot says nothing of them.
    """
    if ab.tgt_lang != bc.src_lang or ac.pair != (ab.src_lang, bc.tgt_lang):
        raise ValueError(f"{ac.pair} is not derived from {ab.pair} and {bc.pair}")
    through = compose(ab, bc, sorted({b for lk in ab.links for b in lk.tgt}))
    route = f"{ab.src_lang}→{ab.tgt_lang}→{bc.tgt_lang}"
    where = {s: lk for lk in through.links for s in (*lk.src, *lk.tgt)}
    has_a, has_c = _pivoted(ab, bc)
    made = {_key(lk) for lk in ac.links}
    problems = [
        f"{route} links {show_link(lk)} but {ac.src_lang}↔{ac.tgt_lang} does not"
        for lk in through.links
        if lk.src and lk.tgt and _key(lk) not in made
    ]
    composed = {_key(lk) for lk in through.links}
    for lk in ac.links:
        pivoted = [s for s in lk.src if s in has_a] + [t for t in lk.tgt if t in has_c]
        if not pivoted:
            continue
        if lk.src and lk.tgt:
            wrong = _key(lk) not in composed
        else:
            wrong = any(where[s].tgt if lk.src else where[s].src for s in pivoted)
        if wrong:
            problems.append(
                f"{ac.src_lang}↔{ac.tgt_lang} link {show_link(lk)} contradicts {route}, "
                f"which links {' '.join(show_link(where[s]) for s in dict.fromkeys(pivoted))}"
            )
    return problems


def carry(person: Sequence[Link], leg: Alignment) -> list[Link]:
    """Links a person made between X and Z, carried through a Z→P alignment onto X↔P.

    A link whose Z sentences share a Z→P link with other Z sentences cannot be carried (it
    would contradict Z→P); an X-only link says nothing of P and is not carried either.
    """
    by_sentence = {z: lk for lk in leg.links for z in lk.src}
    carried = []
    for lk in person:
        if not lk.tgt or not all(z in by_sentence for z in lk.tgt):
            continue
        legs = list({id(by_sentence[z]): by_sentence[z] for z in lk.tgt}.values())
        if {z for leg_link in legs for z in leg_link.src} != set(lk.tgt):
            continue
        partners = tuple(p for leg_link in legs for p in leg_link.tgt)
        if lk.src or partners:
            carried.append(Link(lk.src, partners, min(leg_link.confidence for leg_link in legs), "machine"))
    return carried


def derive(
    ab: Alignment, bc: Alignment, versions: tuple[Document, Document, Document],
    engine: Aligner, person: Sequence[Link] = (), engine_signature: str = "",
) -> Alignment:  # fmt: skip
    """A↔C: the composition of A→B and B→C, gaps of unpivoted sentences aligned directly by
    `engine`, and the `person` links of a previous A↔C kept where they agree with the pivot."""
    src, pivot, tgt = versions
    composed = compose(ab, bc, [s.id for s in pivot.sentences()])
    has_a, has_c = _pivoted(ab, bc)
    links, filled = fill_gaps(composed.links, (src, tgt), (has_a, has_c), engine)
    links = _keep_person_links(links, person, has_a | has_c)
    signature = composed.signature + (f"; unpivoted gaps aligned by {engine_signature}" if filled else "")
    return Alignment(composed.src_lang, composed.tgt_lang, links, signature)


def fill_gaps(
    links: Sequence[Link], versions: tuple[Document, Document], pivoted: tuple[set[str], set[str]],
    engine: Aligner,
) -> tuple[tuple[Link, ...], bool]:  # fmt: skip
    """Replace, in each run of one-sided links that leaves source and target sentences without a
    B partner, the omissions the engine can match directly; True if any were matched."""
    out: list[Link] = []
    filled = False
    k = 0
    while k < len(links):
        end = k
        while end < len(links) and not (links[end].src and links[end].tgt):
            end += 1
        if end == k:
            out.append(links[k])
            k += 1
            continue
        run = list(links[k:end])
        window = list(links[max(k - CONTEXT, 0) : end + CONTEXT])
        new = _realign(run, window, versions, pivoted, engine)
        filled = filled or new != run
        out += new
        k = end
    return tuple(out), filled


def _realign(
    run: list[Link], window: list[Link], versions: tuple[Document, Document],
    pivoted: tuple[set[str], set[str]], engine: Aligner,
) -> list[Link]:  # fmt: skip
    """The run with the engine's confident links between its unpivoted sentences, the rest left
    as they were; the engine sees the neighbouring links too, as context for its confidence."""
    lone_src = {s for lk in run for s in lk.src if s not in pivoted[0]}
    lone_tgt = {t for lk in run for t in lk.tgt if t not in pivoted[1]}
    if not lone_src or not lone_tgt:
        return run
    in_src, in_tgt = {s for lk in window for s in lk.src}, {t for lk in window for t in lk.tgt}
    src = [s for s in versions[0].sentences() if s.id in in_src]
    tgt = [t for t in versions[1].sentences() if t.id in in_tgt]
    beads = engine([s.text for s in src], [t.text for t in tgt])
    found = beads_to_links(beads, [s.id for s in src], [t.id for t in tgt])
    matched = [lk for lk in found
               if lk.src and lk.tgt and set(lk.src) <= lone_src and set(lk.tgt) <= lone_tgt and lk.confidence >= MATCH]
    if not matched:
        return run
    place = {x: n for n, lk in enumerate(found) for x in (*lk.src, *lk.tgt)}
    new = matched + _without(run, {x for lk in matched for x in (*lk.src, *lk.tgt)})
    return sorted(new, key=lambda lk: (min(place[x] for x in (*lk.src, *lk.tgt)), not lk.src))


def _without(links: Sequence[Link], sentences: set[str]) -> list[Link]:
    """The links with these sentences taken out; links left empty are dropped."""
    trimmed = (replace(lk, src=tuple(s for s in lk.src if s not in sentences), tgt=tuple(t for t in lk.tgt if t not in sentences))
               for lk in links)
    return [lk for lk in trimmed if lk.src or lk.tgt]


def _keep_person_links(links: Sequence[Link], person: Sequence[Link], pivoted: set[str]) -> tuple[Link, ...]:
    """Put a person's links in place of the machine's: one the composition gives back replaces it;
    one between unpivoted sentences takes them from the links holding them; others are dropped
    (the callers compare: a build warns, the editor refuses the edit)."""
    out = list(links)
    present = {x for lk in out for x in (*lk.src, *lk.tgt)}
    index = {_key(lk): n for n, lk in enumerate(out)}
    for mine in person:
        sentences = {*mine.src, *mine.tgt}
        if not sentences <= present:
            continue
        if _key(mine) in index:
            out[index[_key(mine)]] = mine
        elif sentences & pivoted:
            continue  # it contradicts the links through the pivot: the caller says so
        else:
            at = min(n for n, lk in enumerate(out) if sentences & {*lk.src, *lk.tgt})
            out = _without(out[:at], sentences) + [mine] + _without(out[at:], sentences)
            index = {_key(lk): n for n, lk in enumerate(out)}
    return tuple(out)


# Deriving again only around an edit. The composition is local: a derived link depends on the
# links of A→B and B→C that share pivot sentences with it, the gap filling on a run of one-sided
# links and CONTEXT links either side, a person's link on the links holding its sentences. So
# where the three groups are cut cleanly (no link of any group crosses the cut), with CONTEXT
# two-sided links that the edit did not touch on each side of it, the derived pair is the old
# one outside the cuts and a derivation of the stretch between them inside.

Positions = dict[str, int]
_POSITIONS: dict[int, tuple[Document, Positions, list[str]]] = {}


def positions(doc: Document) -> tuple[Positions, list[str]]:
    """Sentence positions of a version and its ids in order (kept for the last few versions:
    an edit of links leaves the versions as they were)."""
    hit = _POSITIONS.get(id(doc))
    if hit is None or hit[0] is not doc:
        ids = [s.id for s in doc.sentences()]
        hit = _POSITIONS[id(doc)] = (doc, {s: k for k, s in enumerate(ids)}, ids)
        while len(_POSITIONS) > 24:
            del _POSITIONS[next(iter(_POSITIONS))]
    return hit[1], hit[2]


def positions_after(old: Document, new: Document, p: int) -> None:
    """Keep the positions of `new`, which is `old` with paragraph `p` replaced, made from those
    of `old` (a sentence edit: only the sentences after it move)."""
    hit = _POSITIONS.get(id(old))
    if hit is None or hit[0] is not old or not old.paragraphs[p].sentences:
        return
    _, pos, ids = hit
    gone, came = [s.id for s in old.paragraphs[p].sentences], [s.id for s in new.paragraphs[p].sentences]
    start = pos[gone[0]]
    new_ids = ids[:start] + came + ids[start + len(gone) :]
    new_pos = dict(pos)
    for x in gone:
        del new_pos[x]
    for k in range(start, len(new_ids) if len(came) != len(gone) else start + len(came)):
        new_pos[new_ids[k]] = k
    _POSITIONS[id(new)] = (new, new_pos, new_ids)


def first_at(links: Sequence[Link], side: int, pos: Positions, p: int) -> int:
    """The first link from which on every link with a `side` sentence starts at `p` or later
    (links are in reading order); a bisection that steps over links without that side."""
    lo, hi = 0, len(links)
    while lo < hi:
        mid = (lo + hi) // 2
        k = mid
        while k < hi and not (links[k].src, links[k].tgt)[side]:
            k += 1
        if k < hi and min(pos[x] for x in (links[k].src, links[k].tgt)[side]) < p:
            lo = k + 1
        else:
            hi = mid
    return lo


Window = list[list[int]]  # per side of a group: [lo, hi) of sentence positions, lo > hi when empty


def _touches(lk: Link, sides: tuple[Positions, Positions], window: tuple[list[int], list[int]]) -> bool:
    return any(window[side][0] <= sides[side][x] < window[side][1] for side in (0, 1) for x in (lk.src, lk.tgt)[side])


def _span(links: Sequence[Link], sides: tuple[Positions, Positions], window: tuple[list[int], list[int]]) -> tuple[int, int]:
    """The rows [start, end) of the links that touch the window (in reading order, they follow
    each other)."""
    start, end = len(links), 0
    for side in (0, 1):
        lo, hi = window[side]
        if lo >= hi:
            continue
        a = first_at(links, side, sides[side], lo) - 1  # the link before may reach into the window
        while a > 0 and not (links[a].src, links[a].tgt)[side]:
            a -= 1
        start, end = min(start, max(a, 0)), max(end, first_at(links, side, sides[side], hi))
    while start < end and not _touches(links[start], sides, window):
        start += 1
    while end > start and not _touches(links[end - 1], sides, window):
        end -= 1
    return start, max(start, end)


def _cover(links: Sequence[Link], sides: tuple[Positions, Positions], window: tuple[list[int], list[int]]) -> bool:
    """Widen the window to every sentence of the links that touch it; True if it grew."""
    start, end = _span(links, sides, window)
    grew = False
    for lk in links[start:end]:
        for side in (0, 1):
            ids = (lk.src, lk.tgt)[side]
            lo, hi = window[side]
            if ids and (lo >= hi or min(sides[side][x] for x in ids) < lo or max(sides[side][x] for x in ids) >= hi):
                first, last = min(sides[side][x] for x in ids), max(sides[side][x] for x in ids) + 1
                window[side][:] = [first, last] if lo >= hi else [min(lo, first), max(hi, last)]
                grew = True
    return grew


def derive_near(
    ab: Alignment, bc: Alignment, ac: Alignment, versions: tuple[Document, Document, Document],
    engine: Aligner, touched: set[str], engine_signature: str = "", margin: int = 12,
) -> tuple[Alignment, tuple[Alignment, Alignment, Alignment], list[Link]] | None:  # fmt: skip
    """A↔C as `derive` makes it from A→B and B→C with the person links of `ac`, worked out only
    around the `touched` sentences (of links or texts an edit changed; `ac` agreed with the legs
    everywhere else). Returns the new A↔C, the three groups cut to the stretch derived again (for
    `contradictions`), and the person links of `ac` there; None when no clean cut was found."""
    pos = [positions(doc) for doc in versions]
    places = [pos[v][0] for v in range(3)]
    core = [[min(p), max(p) + 1] if (p := [places[v][x] for x in touched if x in places[v]]) else [1, 0] for v in range(3)]
    window = [[max(lo - margin, 0), min(hi + margin, len(pos[v][1]))] if lo < hi else [1, 0] for v, (lo, hi) in enumerate(core)]
    groups = ((ab, (0, 1)), (bc, (1, 2)), (ac, (0, 2)))
    while any([_cover(al.links, (places[x], places[y]), (window[x], window[y])) for al, (x, y) in groups]):
        pass
    spans = [_span(al.links, (places[x], places[y]), (window[x], window[y])) for al, (x, y) in groups]
    ends = [spans[g][0] == 0 for g in range(3)], [spans[g][1] == len(al.links) for g, (al, _) in enumerate(groups)]
    sub_ab, sub_bc = (Alignment(al.src_lang, al.tgt_lang, al.links[s:e]) for al, (s, e) in zip((ab, bc), spans, strict=False))
    composed = compose(sub_ab, sub_bc, pos[1][1][window[1][0] : window[1][1]]).links
    inner = _cuts(composed, sub_ab, sub_bc, touched, all(ends[0]), all(ends[1]))
    if inner is None:
        return None
    old = ac.links[spans[2][0] : spans[2][1]]
    at = _slice_of(old, composed, inner)
    if at is None or any(touched & {*lk.src, *lk.tgt} for lk in old[: at[0]] + old[at[1] :]):
        return None
    has_a, has_c = _pivoted(sub_ab, sub_bc)
    filled, matched = fill_gaps(composed[inner[0] : inner[1]], (versions[0], versions[2]), (has_a, has_c), engine)
    mine = [lk for lk in old[at[0] : at[1]] if lk.resp == "person"]
    kept = _keep_person_links(filled, mine, has_a | has_c)
    start = spans[2][0]
    links = ac.links[: start + at[0]] + kept + ac.links[start + at[1] :]
    cut = Alignment(ac.src_lang, ac.tgt_lang, old[: at[0]] + kept + old[at[1] :])
    gaps = f"; unpivoted gaps aligned by {engine_signature}"
    signature = ac.signature if not matched or ac.signature.endswith(gaps) else compose(sub_ab, sub_bc, []).signature + gaps
    return Alignment(ac.src_lang, ac.tgt_lang, links, signature), (sub_ab, sub_bc, cut), mine


def _cuts(composed: Sequence[Link], ab: Alignment, bc: Alignment, touched: set[str], at_start: bool, at_end: bool) -> tuple[int, int] | None:
    """[start, end) of the composed links to derive again: each cut has CONTEXT two-sided links
    the edit did not touch (pivot sentences included) on both sides, or is an end of the document."""
    pivots = {x: lk.tgt for lk in ab.links for x in lk.src} | {x: lk.src for lk in bc.links for x in lk.tgt}
    hot = [bool(touched & {*lk.src, *lk.tgt, *(b for x in (*lk.src, *lk.tgt) for b in pivots.get(x, ()))}) for lk in composed]
    calm = [bool(lk.src and lk.tgt) and not h for lk, h in zip(composed, hot, strict=True)]
    marked = [k for k, h in enumerate(hot) if h]
    first, last = (marked[0], marked[-1] + 1) if marked else (len(composed) // 2, len(composed) // 2)

    def clean(k: int) -> bool:
        return k >= CONTEXT and k + CONTEXT <= len(calm) and all(calm[k - CONTEXT : k + CONTEXT])

    start = 0 if at_start else next((k for k in range(first, -1, -1) if clean(k)), None)
    end = len(composed) if at_end else next((k for k in range(last, len(composed) + 1) if clean(k)), None)
    return None if start is None or end is None else (start, end)


def _slice_of(old: Sequence[Link], composed: Sequence[Link], inner: tuple[int, int]) -> tuple[int, int] | None:
    """Where the stretch [start, end) of the composition lies in the old derived links: between
    the links it is cut at, which the old links hold unchanged (or at the ends)."""
    index = {_key(lk): n for n, lk in enumerate(old)}
    start = 0 if inner[0] == 0 else index.get(_key(composed[inner[0] - 1]))
    end = len(old) if inner[1] == len(composed) else index.get(_key(composed[inner[1]]))
    if start is None or end is None:
        return None
    return (start + (inner[0] > 0), end)
