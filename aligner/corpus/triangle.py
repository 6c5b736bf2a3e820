"""A pair derived through a pivot (en↔zh-Hant through zh-Hans) that never contradicts the two
pairs it comes from, yet follows the text where the pivot has nothing to say.

The derived links are the composition A→B→C, except between sentences that have no B partner
(zh-Hans omits a sentence that en and zh-Hant both have): those are aligned directly. Links a
person made in A↔C are kept: carried onto A↔B before it is aligned, so that the composition
gives them back.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from aligner.corpus.links import Aligner, beads_to_links, compose
from aligner.corpus.model import Alignment, Document, Link

log = logging.getLogger(__name__)

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


def _show(lk: Link) -> str:
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
        f"{route} links {_show(lk)} but {ac.src_lang}↔{ac.tgt_lang} does not"
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
                f"{ac.src_lang}↔{ac.tgt_lang} link {_show(lk)} contradicts {route}, "
                f"which links {' '.join(_show(where[s]) for s in dict.fromkeys(pivoted))}"
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
    one between unpivoted sentences takes them from the links holding them; others are dropped."""
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
            log.warning("person link %s dropped: it contradicts the links through the pivot", _show(mine))
        else:
            at = min(n for n, lk in enumerate(out) if sentences & {*lk.src, *lk.tgt})
            out = _without(out[:at], sentences) + [mine] + _without(out[at:], sentences)
            index = {_key(lk): n for n, lk in enumerate(out)}
    return tuple(out)
