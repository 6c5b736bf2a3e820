"""Export: documents → units → filters → one format's files, written all together or not at all."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aligner.corpus.model import ParallelText
from aligner.corpus.store import write_atomic
from aligner.errors import InputError
from aligner.formats import FORMATS, Batch, get, units
from aligner.formats.filters import Filters, apply


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote: files, units kept, and units left out by reason."""

    files: list[Path]
    units: int
    dropped: Counter[str]

    def as_json(self) -> dict[str, object]:
        return {"files": [str(p) for p in self.files], "units": self.units, "dropped": dict(sorted(self.dropped.items()))}


def prepare(
    texts: Sequence[ParallelText], fmt: str, langs: list[str], filters: Filters, tag_style: str = "legacy",
    xliff_version: str = "2.1",
) -> Batch:
    """The batch a writer gets: units of every document over `langs`, filtered.

    Formats that need every language in a unit (TMX, Moses) leave omissions out and count them.
    """
    if len(langs) < 2:
        raise InputError(f"export needs two or more languages, got {', '.join(langs) or 'none'}; choose with --langs")
    all_units = [u for text in texts for u in units(text, langs)]
    if FORMATS[fmt].needs_all_langs:
        filters = Filters(**{**filters.__dict__, "omissions": False})
    kept, dropped = apply(all_units, filters)
    return Batch(texts, langs, kept, filters, dropped, tag_style, xliff_version)


def export(
    texts: Sequence[ParallelText], fmt: str, langs: list[str], out: Path, filters: Filters, tag_style: str = "legacy",
    xliff_version: str = "2.1",
) -> ExportReport:
    """Write the documents in a format to `out` (a file, a prefix or a folder, as the format needs).

    `tag_style` chooses TMX language codes: "legacy" (zh-CN/zh-TW) or "bcp47" (zh-Hans/zh-Hant);
    `xliff_version` is "2.1" or "1.2".
    """
    write = get(fmt, "write")
    batch = prepare(texts, fmt, langs, filters, tag_style, xliff_version)
    files: dict[Path, bytes] = write(batch, out)  # type: ignore[assignment]
    for path, data in files.items():
        write_atomic(path, data)
    return ExportReport(sorted(files), len(batch.units), batch.dropped)
