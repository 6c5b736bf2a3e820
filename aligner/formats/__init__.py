"""Parallel-data formats at the edge of the model: a registry of readers and writers by name.

Writers take a `Batch` (documents, chosen languages, filtered units) and return the bytes of
each file to write, so the caller writes all files or none. Readers take input files and return
`ParallelText`s. Each format lives in its own module, imported only when used.
"""

from __future__ import annotations

import importlib
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

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
        Format("xliff", "xliff", writes=True, reads=True),
        Format("srt", "subtitles", writes=True, reads=False),
        Format("vtt", "subtitles", writes=True, reads=False),
    )
}


def one_line(text: str) -> str:
    """Text on one line for a line-based format: every line break Python knows (\\n, \\r, U+2028,
    U+0085, form feed …) and tabs become spaces, so a reader splitting lines any way agrees."""
    return " ".join(text.splitlines()).replace("\t", " ")


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


def document_from_sentences(doc_id: str, lang: str, sentences: Iterable[Sentence], meta: Metadata) -> Document:
    """A version from sentences with ids in our scheme (`en.p3.s2`): paragraphs and order from the ids."""
    keyed = []
    for sent in sentences:
        m = OUR_ID.match(sent.id)
        if m is None:
            raise InputError(f"sentence id '{sent.id}' is not in the form LANG.pN.sM; renumber before building")
        parts = tuple(int(x) for x in m["parts"].split(".")[1:])  # en.p3.s2.1 after en.p3.s2
        keyed.append(((m["p"] is not None, int(m["p"] or 0), int(m["s"]), parts), m["para"], sent))
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


def _ours(sid: str, lang: str) -> bool:
    """Whether a sentence id is one of ours for the language (`en.p3.s2` for en): an import keeps those."""
    return sid.startswith(f"{lang}.") and OUR_ID.match(sid) is not None


Placed = Sequence[tuple[Unit, str]]  # imported units, each with its place in the file (`a.tmx:12`) for errors


def _with_our_ids(placed: Placed, lang: str) -> list[tuple[Unit, str]]:
    """Keep a language's ids when all follow our scheme and are unique, else number `{lang}.p1.s{n}`."""
    ids = [s.id for u, _ in placed for s in u.cells.get(lang, ())]
    if len(set(ids)) == len(ids) and all(_ours(i, lang) for i in ids):
        return list(placed)
    counter = iter(range(1, len(ids) + 1))
    return [
        (replace(u, cells={**u.cells, lang: tuple(Sentence(f"{lang}.p1.s{next(counter)}", s.text) for s in u.cells.get(lang, ()))}), where)
        for u, where in placed
    ]


def _claimed(placed: Placed, langs: Sequence[str]) -> None:
    """Refuse a sentence id of ours (`en.p3.s2`) that two units give (see `claim`); other ids may
    repeat (a CAT tool numbers each unit's segments from 1) and are numbered anew."""
    linked: dict[tuple[str, str], str] = {}
    for unit, where in placed:
        for lang in langs:
            for sent in unit.cells.get(lang, ()):
                if _ours(sent.id, lang):
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


def parallel_text(
    doc_id: str, placed: Placed, metas: Mapping[str, Metadata], signature: str = "",
    regions: Mapping[str, str] | None = None, *, ids_in: str = "in the file",
) -> ParallelText:
    """Assemble imported units, each with its place in the file (`a.tmx:12`), into versions (one
    per key of `metas`, with its region from `regions` when the file said one: zh-TW) and an
    alignment per pair. A place names a unit in errors: a sentence id of ours in two units, or
    links that cross (`ids_in`: where the file keeps the ids, for the fix)."""
    langs = list(metas)
    _claimed(placed, langs)
    for lang in langs:
        placed = _with_our_ids(placed, lang)
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
            held = [(u, where) for u, where in placed if u.cells.get(a) or u.cells.get(b)]
            _uncrossed((a, b), held, versions, ids_in)
            links = tuple(
                Link(
                    tuple(s.id for s in u.cells.get(a, ())), tuple(s.id for s in u.cells.get(b, ())),
                    u.confidence, "person" if u.resp == "person" else "machine", u.notes, u.state,
                )
                for u, _ in held
            )
            alignments.append(Alignment(a, b, links, signature))
    return ParallelText(doc_id, versions, tuple(alignments))
