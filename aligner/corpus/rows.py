"""Rows for side-by-side reading: the sentences of N versions grouped by their links, in order."""

from __future__ import annotations

from dataclasses import dataclass

from aligner.corpus.disjoint import DisjointSets
from aligner.corpus.model import Link, Note, ParallelText, Sentence, State
from aligner.errors import CorpusError


@dataclass(frozen=True)
class Row:
    """One aligned unit across versions: sentences per language (possibly none) and confidence."""

    index: int
    cells: dict[str, tuple[Sentence, ...]]
    confidence: float
    resp: str  # "person" if every link in the row was made by a person
    notes: tuple[Note, ...] = ()  # the XLIFF notes of its links
    state: State | None = None  # their XLIFF state, when they have one and agree

    @property
    def is_omission(self) -> bool:
        return any(not sents for sents in self.cells.values())


def aligned_rows(text: ParallelText, langs: list[str]) -> list[Row]:
    """Group sentences of the chosen versions into rows joined by the links among them.

    Rows are ordered by the first language; rows it has no part in stand after the row that
    precedes them in the next language that has them.
    """
    missing = [lang for lang in langs if lang not in text.versions]
    if missing:
        have = ", ".join(sorted(doc.tag for doc in text.versions.values()))  # full tags: zh-Hant-HK
        raise CorpusError(f"{text.doc_id}: no {', '.join(missing)} version (it has {have}); choose with --langs")
    order = {lang: [s.id for s in text.versions[lang].sentences()] for lang in langs}
    pos = {(lang, sid): k for lang in langs for k, sid in enumerate(order[lang])}
    sets: DisjointSets[tuple[str, str]] = DisjointSets()

    held: dict[tuple[str, str], list[Link]] = {}  # a link by the first of its sentences
    for a_i, a in enumerate(langs):
        for b in langs[a_i + 1 :]:
            al = text.alignment(a, b)
            for lk in al.links if al else ():
                keys = [(a, s) for s in lk.src] + [(b, t) for t in lk.tgt]
                keys = [k for k in keys if k in pos]
                for k in keys[1:]:
                    sets.union(k, keys[0])
                if keys:
                    held.setdefault(keys[0], []).append(lk)
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for key in sorted(pos, key=lambda k: (langs.index(k[0]), pos[k])):
        groups.setdefault(sets.find(key), []).append(key)
    ordered = _order(list(groups.values()), langs, pos)
    index = {s.id: s for lang in langs for s in text.versions[lang].sentences()}
    rows = []
    for n, members in enumerate(ordered):
        links = [lk for m in members for lk in held.get(m, [])]
        cells = {lang: tuple(index[sid] for (ln, sid) in members if ln == lang) for lang in langs}
        states = {lk.state for lk in links}
        rows.append(Row(
            n, cells, min((lk.confidence for lk in links), default=0.0),
            "person" if links and all(lk.resp == "person" for lk in links) else "machine",
            tuple(dict.fromkeys(note for lk in links for note in lk.notes)), states.pop() if len(states) == 1 else None,
        ))
    return rows


def _order(
    groups: list[list[tuple[str, str]]], langs: list[str], pos: dict[tuple[str, str], int]
) -> list[list[tuple[str, str]]]:
    """Order groups by the first language; fit the others in after their predecessor elsewhere."""

    def first(group: list[tuple[str, str]], lang: str) -> int | None:
        return min((pos[m] for m in group if m[0] == lang), default=None)

    placed = sorted((g for g in groups if first(g, langs[0]) is not None), key=lambda g: first(g, langs[0]))  # type: ignore[arg-type, return-value]
    done = {id(g) for g in placed}
    for lang in langs[1:]:
        rest = sorted(
            (g for g in groups if id(g) not in done and first(g, lang) is not None),
            key=lambda g: first(g, lang),  # type: ignore[arg-type, return-value]
        )
        keys = [first(g, lang) for g in placed]  # kept in step with `placed`
        for group in rest:
            here: int = first(group, lang)  # type: ignore[assignment]
            at = next((i + 1 for i in range(len(keys) - 1, -1, -1) if (f := keys[i]) is not None and f < here), 0)
            placed.insert(at, group)
            keys.insert(at, here)
            done.add(id(group))
    return placed
