"""Parallel-data formats at the edge of the model: a registry of readers and writers by name.

Writers take a `Batch` (documents, chosen languages, filtered units) and return the bytes of
each file to write, so the caller writes all files or none. Readers take input files and return
`ParallelText`s. Each format lives in its own module, imported only when used.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

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


FORMATS = {
    f.name: f
    for f in (
        Format("tmx", "tmx", writes=True, reads=True, needs_all_langs=True),
        Format("moses", "moses", writes=True, reads=True, needs_all_langs=True),
        Format("tsv", "tsv", writes=True, reads=False),
        Format("csv", "tsv", writes=True, reads=False),
        Format("jsonl", "jsonl", writes=True, reads=False),
        Format("xces", "xces", writes=True, reads=True),
        Format("intertext", "intertext", writes=False, reads=True),
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


def _with_our_ids(units_: Sequence[Unit], lang: str) -> list[Unit]:
    """Keep a language's ids when all follow our scheme and are unique, else number `{lang}.p1.s{n}`."""
    ids = [s.id for u in units_ for s in u.cells.get(lang, ())]
    if len(set(ids)) == len(ids) and all(OUR_ID.match(i) and i.startswith(f"{lang}.") for i in ids):
        return list(units_)
    counter = iter(range(1, len(ids) + 1))
    return [
        replace(u, cells={**u.cells, lang: tuple(Sentence(f"{lang}.p1.s{next(counter)}", s.text) for s in u.cells.get(lang, ()))})
        for u in units_
    ]


def parallel_text(
    doc_id: str, units_: Sequence[Unit], metas: Mapping[str, Metadata], signature: str = "",
    regions: Mapping[str, str] | None = None,
) -> ParallelText:
    """Assemble imported units into versions (one per key of `metas`, with its region from
    `regions` when the file said one: zh-TW) and an alignment per pair."""
    langs = list(metas)
    for lang in langs:
        units_ = _with_our_ids(units_, lang)
    empty = [lang for lang in langs if not any(u.cells.get(lang) for u in units_)]
    if empty:
        raise InputError(f"{doc_id}: no {', '.join(empty)} sentences to import; check the language codes")
    versions = {
        lang: replace(
            document_from_sentences(doc_id, lang, (s for u in units_ for s in u.cells.get(lang, ())), metas[lang]),
            region=(regions or {}).get(lang, ""),
        )
        for lang in langs
    }
    alignments = []
    for i, a in enumerate(langs):
        for b in langs[i + 1 :]:
            links = tuple(
                Link(
                    tuple(s.id for s in u.cells.get(a, ())), tuple(s.id for s in u.cells.get(b, ())),
                    u.confidence, "person" if u.resp == "person" else "machine", u.notes, u.state,
                )
                for u in units_
                if u.cells.get(a) or u.cells.get(b)
            )
            alignments.append(Alignment(a, b, links, signature))
    return ParallelText(doc_id, versions, tuple(alignments))
