"""TSV and CSV: a header row, then one row per unit (doc, link, type, confidence, ids and text per language)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from aligner.formats import Batch, Unit


def _header(batch: Batch) -> list[str]:
    """Column names; a version's columns carry its full tag (zh-Hant-TW) when every document agrees."""
    tags = [batch.tag(lang) for lang in batch.langs]
    return ["doc_id", "link_id", "type", "confidence", "resp"] + [c for tag in tags for c in (f"{tag}_ids", tag)]


def _row(unit: Unit, langs: list[str]) -> list[str]:
    cells = [unit.doc_id, unit.link_id, unit.kind, f"{unit.confidence:.3f}", unit.resp]
    for lang in langs:
        cells += [" ".join(s.id for s in unit.cells[lang]), unit.text(lang)]
    return cells


def write_tsv(batch: Batch, out: Path) -> dict[Path, bytes]:
    """Tab-separated, unquoted: tabs and line breaks inside text become spaces."""
    rows = [_header(batch)] + [_row(u, batch.langs) for u in batch.units]
    lines = ("\t".join(" ".join(c.replace("\t", " ").splitlines()) for c in row) for row in rows)
    return {out: "".join(line + "\n" for line in lines).encode()}


def write_csv(batch: Batch, out: Path) -> dict[Path, bytes]:
    """RFC 4180 CSV (quoted where needed, CRLF line ends), UTF-8 with BOM so spreadsheets read Chinese."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(_header(batch))
    writer.writerows(_row(u, batch.langs) for u in batch.units)
    return {out: "\ufeff".encode() + buf.getvalue().encode()}
