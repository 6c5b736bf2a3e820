"""Export: documents → units → filters → one format's files, written all together or not at all."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from pathlib import Path

from aligner.corpus.model import ParallelText
from aligner.corpus.store import write_all
from aligner.errors import InputError
from aligner.formats import FORMATS, Batch, get, units
from aligner.formats.filters import Filters, apply, check_types
from aligner.formats.select import choose, english_first, tags_of, within
from aligner.formats.unit import Unit

PAIRWISE = frozenset({"xces"})  # formats that write each pair of versions apart: a unit is one pair's link


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote: files, units kept, and units left out by reason."""

    files: list[Path]
    units: int
    dropped: Counter[str]
    lacking: dict[str, list[str]]  # documents left out, with the languages asked for that they have not
    mixed: dict[str, list[str]]  # versions exported under one key with several full tags (zh-Hant-HK, zh-Hant-TW)

    def as_json(self) -> dict[str, object]:
        return {
            "files": [str(p) for p in self.files], "units": self.units, "dropped": dict(sorted(self.dropped.items())),
            "documents_left_out": self.lacking, "mixed_tags": self.mixed,
        }  # fmt: skip


def shared_langs(texts: Sequence[ParallelText]) -> tuple[list[str], list[str]]:
    """The languages every document has, and those only some have (each English first): an
    export of a whole corpus takes the first unless asked for more."""
    every = set.intersection(*(set(text.versions) for text in texts)) if texts else set()
    some = set().union(*(text.versions for text in texts)) - every
    return english_first(every), english_first(some)


def lacking(texts: Sequence[ParallelText], langs: list[str]) -> dict[str, list[str]]:
    """The documents that have no version within some tag of `langs`, with those tags (a Taiwan
    version is not within zh-Hant-HK)."""
    return {text.doc_id: missing for text in texts if (missing := [lang for lang in langs if not within(lang, tags_of(text))])}


def mixed(texts: Sequence[ParallelText], keys: list[str]) -> dict[str, list[str]]:
    """The versions that have several full tags across the documents (zh-Hant: zh-Hant-HK and
    zh-Hant-TW), with them: a format naming a language once names only the key."""
    tags = {key: sorted({text.versions[key].tag for text in texts}) for key in keys}
    return {key: found for key, found in tags.items() if len(found) > 1}


def _only(text: ParallelText, keys: Sequence[str]) -> ParallelText:
    """A document with only the versions exported and the alignments among them: all a writer
    sees (an XLSX sheet's QA checked the other versions' pairs too, for findings it left out)."""
    alignments = tuple(al for al in text.alignments if al.src_lang in keys and al.tgt_lang in keys)
    return replace(text, versions={key: text.versions[key] for key in keys}, alignments=alignments)


def _units(texts: Sequence[ParallelText], keys: list[str], pairwise: bool) -> list[Unit]:
    """The units to filter: each document's rows across the versions, or for a format that writes
    each pair of versions apart (`PAIRWISE`), each pair's links, pair by pair, so that a filter
    judges what is written (a 1-1 link, not the 2-2-1 row it falls in)."""
    if not pairwise:
        return [u for text in texts for u in units(text, keys)]
    return [u for pair in combinations(keys, 2) for text in texts for u in units(text, list(pair))]


def prepare(
    texts: Sequence[ParallelText], fmt: str, langs: list[str], filters: Filters, tag_style: str = "legacy",
    xliff_version: str = "2.1",
) -> Batch:
    """The batch a writer gets: units of every document that has a version within each tag of
    `langs` (en, zh-Hant-HK; `select.within`), filtered once for the whole batch.

    Formats that need every language in a unit (TMX, Moses) leave omissions out and count them.
    """
    if len(langs) < 2:
        raise InputError(f"export needs two or more languages, got {', '.join(langs) or 'none'}; choose with --langs")
    keys = list(choose(",".join(langs), [tags_of(text) for text in texts]).values())
    pairwise = fmt in PAIRWISE
    check_types(filters.types, langs, fmt if pairwise else "")
    left_out = lacking(texts, langs)
    texts = [_only(text, keys) for text in texts if text.doc_id not in left_out]
    if not texts:
        raise InputError(f"no document has all of {', '.join(langs)}; choose languages they share with --langs")
    if FORMATS[fmt].needs_all_langs:
        filters = Filters(**{**filters.__dict__, "omissions": False})
    kept, dropped = apply(_units(texts, keys, pairwise), filters)
    return Batch(texts, keys, kept, filters, dropped, tag_style, xliff_version)


def export(
    texts: Sequence[ParallelText], fmt: str, langs: list[str], out: Path, filters: Filters, tag_style: str = "legacy",
    xliff_version: str = "2.1",
) -> ExportReport:
    """Write the documents in a format to `out` (a file, a prefix or a folder, as the format needs).

    `tag_style` chooses TMX language codes: "legacy" (zh-CN/zh-TW) or "bcp47" (zh-Hans/zh-Hant);
    `xliff_version` is "2.1" or "1.2". When no unit is left, nothing is written: one line says why.
    """
    write = get(fmt, "write")
    batch = prepare(texts, fmt, langs, filters, tag_style, xliff_version)
    files: dict[Path, bytes] = write(batch, out)  # type: ignore[assignment]  # first: XLIFF says why it needs a unit
    if not batch.units:  # an empty export in place of what `out` held is a loss no one asked for
        left_out = ", ".join(f"{reason} {n}" for reason, n in sorted(batch.dropped.items()))
        why = f"the filters left out every one: {left_out}; loosen them" if left_out else "the documents have no links"
        raise InputError(f"{out}: no unit is left to write, so nothing is written ({why})")
    write_all(files)
    return ExportReport(sorted(files), len(batch.units), batch.dropped, lacking(texts, langs), mixed(batch.texts, batch.langs))
