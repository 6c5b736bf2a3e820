"""Parallel-data formats at the edge of the model: a registry of readers and writers by name.

Writers take a `Batch` (documents, chosen languages, filtered units) and return the bytes of
each file to write, so the caller writes all files or none. Readers take input files and return
`ParallelText`s. Each format lives in its own module, imported only when used.
"""

from __future__ import annotations

import importlib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from itertools import count, pairwise

from aligner.corpus.model import (
    Alignment,
    Document,
    Link,
    Metadata,
    Paragraph,
    ParallelText,
    Sentence,
)
from aligner.corpus.rows import aligned_rows
from aligner.corpus.triangle import positions
from aligner.errors import InputError
from aligner.formats.filters import Filters
from aligner.formats.unit import Unit
from aligner.ingest.langs import joiner, squeeze
from aligner.ingest.segment import split_sentences


@dataclass
class Batch:
    """What a writer gets: the documents, the languages in column order, the kept units."""

    texts: Sequence[ParallelText]
    langs: list[str]
    units: list[Unit]
    filters: Filters
    dropped: Counter[str] = field(default_factory=Counter)  # units left out, by reason
    tag_style: str = "legacy"  # TMX language codes: "legacy" zh-CN/zh-TW or "bcp47" zh-Hans/zh-Hant
    xliff_version: str = "2.1"  # or "1.2"

    def tag(self, lang: str) -> str:
        """A version's full tag when every document gives it the same one (zh-Hant-TW), else its key:
        for what names a language once for the whole batch (a column, a file suffix)."""
        tags = {text.versions[lang].tag for text in self.texts if lang in text.versions}
        return tags.pop() if len(tags) == 1 else lang


@dataclass(frozen=True)
class Format:
    """A format by name: its module, whether it can write and read, and if it needs full units."""

    name: str
    module: str
    writes: bool
    reads: bool
    needs_all_langs: bool = False  # omissions cannot be written (TMX tu, Moses line pairs)
    whole: bool = True  # each file holds whole documents (not a language or a pair of one): import reads one at a time
    notes: bool = False  # the file keeps links' notes and state (XLIFF): an import takes them as the file has them


FORMATS = {
    f.name: f
    for f in (
        Format("tmx", "tmx", writes=True, reads=True, needs_all_langs=True),
        Format("moses", "moses", writes=True, reads=True, needs_all_langs=True, whole=False),
        Format("tsv", "tsv", writes=True, reads=False),
        Format("csv", "tsv", writes=True, reads=False),
        Format("jsonl", "jsonl", writes=True, reads=False),
        Format("xces", "xces", writes=True, reads=True, whole=False),
        Format("intertext", "intertext", writes=False, reads=True, whole=False),
        Format("xlsx", "xlsx", writes=True, reads=True),
        Format("xliff", "xliff", writes=True, reads=True, notes=True),
        Format("srt", "subtitles", writes=True, reads=False),
        Format("vtt", "subtitles", writes=True, reads=False),
    )
}


def one_line(text: str) -> str:
    """Text on one line for a line-based format: every line break Python knows (\\n, \\r, U+2028,
    U+0085, form feed …) and tabs become spaces, so a reader splitting lines any way agrees."""
    return " ".join(text.splitlines()).replace("\t", " ")


def clean(text: str) -> str:
    """A segment's text as ingest stores a sentence: NFC, each run of whitespace one space, and none
    for a line break inside Chinese (`squeeze`), so a file's layout is not taken for text."""
    return squeeze(unicodedata.normalize("NFC", text))


def get(name: str, mode: str) -> Callable[..., object]:
    """The `write` or `read` function of a format, imported on first use."""
    fmt = FORMATS.get(name)
    if fmt is None or not getattr(fmt, mode + "s"):
        able = ", ".join(n for n, f in FORMATS.items() if getattr(f, mode + "s"))
        raise InputError(f"cannot {mode} format '{name}'; choose one of {able}")
    module = importlib.import_module(f"{__name__}.{fmt.module}")
    return getattr(module, f"{mode}_{name}", None) or getattr(module, mode)


def units(text: ParallelText, langs: list[str]) -> list[Unit]:
    """A document's units across the chosen versions: one per link for two, one per row for more."""
    tags = {lang: text.versions[lang].tag for lang in langs}
    return [
        Unit(text.doc_id, f"l{row.index + 1}", {lang: row.cells[lang] for lang in langs}, row.confidence, row.resp, tags,
             row.notes, row.state)
        for row in aligned_rows(text, langs)
    ]


# The sentence ids ingest writes (en.p3.s2, en.head.s1) and the editor's splits of them
# (en.p3.s2.1): an import keeps them, and numbers others.
OUR_ID = re.compile(r"^(?P<para>.+\.(?:p(?P<p>\d+)|head))\.s(?P<s>\d+)(?P<parts>(?:\.\d+)*)$")


def order_key(sid: str) -> tuple[tuple[bool, int, int, tuple[int, ...]], str] | None:
    """Where a sentence id of ours stands in its version (heading first, then by paragraph, number
    and the parts an editor's split adds: en.p3.s2.1 after en.p3.s2), with its paragraph; None for another id."""
    m = OUR_ID.match(sid)
    if m is None:
        return None
    parts = tuple(int(x) for x in m["parts"].split(".")[1:])
    return (m["p"] is not None, int(m["p"] or 0), int(m["s"]), parts), m["para"]


def document_from_sentences(doc_id: str, lang: str, sentences: Iterable[Sentence], meta: Metadata) -> Document:
    """A version from sentences with ids in our scheme (`en.p3.s2`): paragraphs and order from the ids."""
    keyed = []
    for sent in sentences:
        key = order_key(sent.id)
        if key is None:
            raise InputError(f"sentence id '{sent.id}' is not in the form LANG.pN.sM; renumber before building")
        keyed.append((*key, sent))
    paras: dict[str, list[Sentence]] = {}
    for _, pid, sent in sorted(keyed, key=lambda k: k[0]):
        paras.setdefault(pid, []).append(sent)
    return Document(
        doc_id, lang,
        tuple(Paragraph(pid, tuple(ss), "head" if pid.endswith(".head") else "p") for pid, ss in paras.items()),
        meta,
    )


def claim(linked: dict[tuple[str, str], str], lang: str, sid: str, name: str, where: str) -> None:
    """Note that sentence `sid` of `lang` (`name`: the version as the file names it) is linked at
    `where`; one linked before (`linked`: the pair's so far) is refused naming both, as a sentence
    belongs to one link (the same unit twice doubled the text)."""
    if (lang, sid) in linked:
        raise InputError(
            f"{where}: sentence '{sid}' of {name} is linked here and at {linked[lang, sid]}, and a sentence "
            "belongs to one link; remove it from one of the two, or join them into one link"
        )
    linked[lang, sid] = where


def confidence(raw: str, where: str, name: str, fix: str) -> float:
    """A link's confidence as a file gives it (`name`: the property, note or column), which must
    be a number in [0, 1] as TEI's @cert wants (NaN and infinity are refused too)."""
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= 1.0:
        raise InputError(f"{where}: {name} '{raw}' is not a number from 0 to 1; {fix}")
    return value


def is_ours(sid: str, lang: str) -> bool:
    """Whether a sentence id is one of ours for the language (`en.p3.s2` for en): an import keeps those."""
    return sid.startswith(f"{lang}.") and OUR_ID.match(sid) is not None


def before_first(sid: str | None, lang: str) -> str:
    """An id standing before the first sentence of a version whose first id of ours is `sid`
    (`en.p3.s0`; `en.p1.s0` without one), for new sentences to be named after (`free_id`)."""
    key = order_key(sid) if sid else None
    return f"{key[1] if key else lang + '.p1'}.s0"


Placed = Sequence[tuple[Unit, str]]  # imported units, each with its place in the file (`a.tmx:12`) for errors


def free_id(base: str, taken: set[str]) -> str:
    """The first id `{base}.{k}` not in `taken` (a sentence after `base`, as an editor's split names
    it: no other sentence is renumbered), noted as taken."""
    sid = next(f"{base}.{k}" for k in range(1, len(taken) + 2) if f"{base}.{k}" not in taken)
    taken.add(sid)
    return sid


def _pieces(text: str, lang: str) -> list[str]:
    """A text that lost its sentence ids cut into sentences as ingest cuts them (one, if it finds none)."""
    return split_sentences(text, lang) or [text]


def _resplit(unit: Unit, lang: str, given: set[str], taken: set[str], anchor: str) -> tuple[tuple[Sentence, ...], str]:
    """The sentences of a unit's text that lost its ids (an edited TMX segment whose offsets no
    longer fit it, a <target> whose <mrk> marks a CAT tool dropped), re-split (`_pieces`): the
    first take the ids the unit named as exported (`Unit.named`) that no sentence has (`given`),
    the others new ones after the last id before (`anchor`, returned moved on: `free_id`)."""
    names = [sid for sid in unit.named(lang) if is_ours(sid, lang) and sid not in given]
    out = []
    for n, piece in enumerate(_pieces(joiner(lang).join(s.text for s in unit.cells[lang]), lang)):
        if n < len(names):
            anchor = names[n]
        out.append(Sentence(names[n] if n < len(names) else free_id(anchor, taken), piece))
    return tuple(out), anchor


def _keeps_ids(placed: Placed, lang: str) -> bool:
    """Whether the ids a file gives a language are ours to keep: some, unique, all in our scheme."""
    named = [s.id for u, _ in placed for s in u.cells.get(lang, ()) if s.id]
    return bool(named) and len(set(named)) == len(named) and all(is_ours(i, lang) for i in named)


def _numbered(placed: Placed, lang: str, split: bool) -> list[tuple[Unit, str]]:
    """A language's sentences numbered `{lang}.p1.s{n}` in the file's order, a text without ids
    first re-split when `split` (a file of ours whose every <target> lost its <mrk> marks)."""
    counter = count(1)
    out = []
    for unit, where in placed:
        texts = [p for s in unit.cells.get(lang, ()) for p in (_pieces(s.text, lang) if split and not s.id else [s.text])]
        out.append((replace(unit, cells={**unit.cells, lang: tuple(Sentence(f"{lang}.p1.s{next(counter)}", t) for t in texts)}), where))
    return out


def _with_our_ids(placed: Placed, lang: str, ours: bool) -> list[tuple[Unit, str]]:
    """A language's units with ids: those the file gives where it keeps them (`_keeps_ids`), a
    unit's text without them re-split (`_resplit`: no other sentence is renumbered); else all
    numbered (`_numbered`: a file from another tool, Moses lines; re-split in a file of `ours`)."""
    if not _keeps_ids(placed, lang):
        return _numbered(placed, lang, ours)
    given = {s.id for u, _ in placed for s in u.cells.get(lang, ()) if s.id}
    taken = given | {sid for u, _ in placed for sid in u.named(lang)}
    anchor = before_first(next(s.id for u, _ in placed for s in u.cells.get(lang, ()) if s.id), lang)
    out = []
    for unit, where in placed:
        sents = unit.cells.get(lang, ())
        if any(not s.id for s in sents):
            sents, anchor = _resplit(unit, lang, given, taken, anchor)
            unit = replace(unit, cells={**unit.cells, lang: sents}, held={**(unit.held or {}), lang: unit.named(lang)})
        anchor = next((s.id for s in reversed(sents) if s.id in given), anchor)
        out.append((unit, where))
    return out


def _in_order(placed: Placed, lang: str, ids_in: str) -> None:
    """Refuse a unit whose sentence ids of a version come in another order than their text (two ids
    swapped in x-sentences): a version takes its order from the ids, so the text would swap in silence."""
    for unit, where in placed:
        keyed = [(s.id, key[0]) for s in unit.cells.get(lang, ()) if (key := order_key(s.id))]
        for (before, at), (after, then) in pairwise(keyed):
            if then <= at:
                raise InputError(
                    f"{where}: its {lang} sentences '{before}' and '{after}' are named in the other order than "
                    f"their text, and a version keeps the order of its ids; restore the ids the export wrote {ids_in}"
                )


def _claimed(placed: Placed, langs: Sequence[str]) -> None:
    """Refuse a sentence id of ours (`en.p3.s2`) that two units give (see `claim`); other ids may
    repeat (a CAT tool numbers each unit's segments from 1) and are numbered anew."""
    linked: dict[tuple[str, str], str] = {}
    for unit, where in placed:
        for lang in langs:
            for sent in unit.cells.get(lang, ()):
                if is_ours(sent.id, lang):
                    claim(linked, lang, sent.id, lang, where)


Spans = list[dict[str, tuple[int, int]]]  # per link, each version's first and last position it holds


def _crossings(pair: tuple[str, str], spans: Spans) -> Iterator[tuple[int, int, str]]:
    """Links (j, k, how) whose sentences of one version interleave, or that come in one order in
    one version and the other in the other."""
    for lang in pair:
        order = sorted((k for k, span in enumerate(spans) if lang in span), key=lambda k: spans[k][lang])
        yield from ((j, k, f"their {lang} sentences interleave") for j, k in pairwise(order) if spans[k][lang][0] <= spans[j][lang][1])
    both = sorted((k for k, span in enumerate(spans) if len(span) == 2), key=lambda k: spans[k][pair[0]])
    for j, k in pairwise(both):
        if spans[k][pair[1]][0] < spans[j][pair[1]][0]:
            yield j, k, f"one comes first in {pair[0]}, the other in {pair[1]}"


def _uncrossed(pair: tuple[str, str], held: Placed, versions: Mapping[str, Document], ids_in: str) -> None:
    """Refuse links of a pair that cross (`_crossings`): the versions' order comes from the file's
    ids, so such links mean an edited id moved its sentence (en.p999.s1 to the end)."""
    pos = {lang: positions(versions[lang])[0] for lang in pair}  # kept per version, made once for all its pairs
    spans = [
        {lang: (min(p), max(p)) for lang in pair if (p := [pos[lang][s.id] for s in unit.cells.get(lang, ())])}
        for unit, _ in held
    ]
    crossing = next(_crossings(pair, spans), None)
    if crossing is not None:
        first, then = sorted(crossing[:2])
        raise InputError(
            f"{held[first][1]}: this {pair[0]}–{pair[1]} link and the one at {held[then][1]} cross ({crossing[2]}), "
            f"and links keep the order of the text; restore the ids the export wrote {ids_in}"
        )


@dataclass(frozen=True, repr=False)
class Imported(ParallelText):
    """A document as a file gives it, with what an import laid over the corpus needs to keep what
    the file never held: per version, each sentence id of ours the file named as exported and the
    place naming it (`held`: en.p3.s2 → a.tmx:12; none for a version it numbered anew), and where
    the file keeps its ids (`ids_in`), for the fix in errors."""

    held: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    ids_in: str = "in the file"


def plain(text: ParallelText) -> ParallelText:
    """The document alone, without what a file said of it (`Imported`)."""
    return ParallelText(**{f.name: getattr(text, f.name) for f in fields(ParallelText)})  # a field added later comes too


def parallel_text(
    doc_id: str, placed: Placed, metas: Mapping[str, Metadata], signature: str = "",
    regions: Mapping[str, str] | None = None, *, ids_in: str = "in the file",
) -> Imported:
    """Assemble imported units, each with its place in the file (`a.tmx:12`), into versions (one
    per key of `metas`, with its region from `regions` when the file said one: zh-TW) and an
    alignment per pair. A place names a unit in errors: a sentence id of ours in two units, ids
    in another order than their text, or links that cross (`ids_in`: where the file keeps the ids,
    for the fix)."""
    langs = list(metas)
    _claimed(placed, langs)
    held: dict[str, dict[str, str]] = {}
    keeps = {lang: _keeps_ids(placed, lang) for lang in langs}
    for lang in langs:
        placed = _with_our_ids(placed, lang, any(keeps.values()))
        _in_order(placed, lang, ids_in)
        if keeps[lang]:
            held[lang] = {sid: where for u, where in placed for sid in u.named(lang) if is_ours(sid, lang)}
    empty = [lang for lang in langs if not any(u.cells.get(lang) for u, _ in placed)]
    if empty:
        raise InputError(f"{doc_id}: no {', '.join(empty)} sentences to import; check the language codes")
    versions = {
        lang: replace(
            document_from_sentences(doc_id, lang, (s for u, _ in placed for s in u.cells.get(lang, ())), metas[lang]),
            region=(regions or {}).get(lang, ""),
        )
        for lang in langs
    }
    alignments = []
    for i, a in enumerate(langs):
        for b in langs[i + 1 :]:
            linked = [(u, where) for u, where in placed if u.cells.get(a) or u.cells.get(b)]
            _uncrossed((a, b), linked, versions, ids_in)
            links = tuple(
                Link(
                    tuple(s.id for s in u.cells.get(a, ())), tuple(s.id for s in u.cells.get(b, ())),
                    u.confidence, "person" if u.resp == "person" else "machine", u.notes, u.state,
                )
                for u, _ in linked
            )
            alignments.append(Alignment(a, b, links, signature))
    return Imported(doc_id, versions, tuple(alignments), held=held, ids_in=ids_in)
