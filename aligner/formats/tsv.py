"""TSV and CSV: a header row, then one row per unit (doc, link, type, confidence, ids and text per language)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from aligner.formats import Batch, Unit


def _header(langs: list[str]) -> list[str]:
    return ["doc_id", "link_id", "type", "confidence", "resp"] + [c for lang in langs for c in (f"{lang}_ids", lang)]


def _row(unit: Unit, langs: list[str]) -> list[str]:
    cells = [unit.doc_id, unit.link_id, unit.kind, f"{unit.confidence:.3f}", unit.resp]
    for lang in langs:
        cells += [" ".join(s.id for s in unit.cells[lang]), unit.text(lang)]
    return cells


def write_tsv(batch: Batch, out: Path) -> dict[Path, bytes]:
    """Tab-separated, unquoted: tabs and line breaks inside text become spaces."""
    rows = [_header(batch.langs)] + [_row(u, batch.langs) for u in batch.units]
    lines = ("\t".join(" ".join(c.replace("\t", " ").splitlines()) for c in row) for row in rows)
    return {out: "".join(line + "\n" for line in lines).encode()}


def write_csv(batch: Batch, out: Path) -> dict[Path, bytes]:
    """RFC 4180 CSV (quoted where needed, CRLF line ends), UTF-8 with BOM so spreadsheets read Chinese."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(_header(batch.langs))
    writer.writerows(_row(u, batch.langs) for u in batch.units)
    return {out: "\ufeff".encode() + buf.getvalue().encode()}
