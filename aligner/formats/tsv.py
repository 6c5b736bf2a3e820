"""TSV and CSV: a header row, then one row per unit (doc, link, type, confidence, ids and text per
language; then the XLIFF notes and state when some link of the batch has them)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from aligner.formats import Batch, Unit, one_line


def _header(batch: Batch) -> list[str]:
    """Column names; a version's columns carry its full tag (zh-Hant-TW) when every document agrees."""
    tags = [batch.tag(lang) for lang in batch.langs]
    said = ["notes", "state"] if _said(batch) else []
    return ["doc_id", "link_id", "type", "confidence", "resp"] + [c for tag in tags for c in (f"{tag}_ids", tag)] + said


def _said(batch: Batch) -> bool:
    """Whether any unit has XLIFF notes or a state, which then get two columns."""
    return any(u.notes or u.state for u in batch.units)


def _row(unit: Unit, langs: list[str], said: bool = False) -> list[str]:
    cells = [unit.doc_id, unit.link_id, unit.kind, f"{unit.confidence:.3f}", unit.resp]
    for lang in langs:
        cells += [" ".join(s.id for s in unit.cells[lang]), unit.text(lang)]
    if said:  # notes as "category: text" separated by " | "; the state as value, sub-state and approval
        cells += [" | ".join(f"{n.category}: {n.text}" if n.category else n.text for n in unit.notes),
                  " ".join(x for x in (unit.state.value, unit.state.sub, unit.state.approved and f"approved={unit.state.approved}") if x)
                  if unit.state else ""]
    return cells


def write_tsv(batch: Batch, out: Path) -> dict[Path, bytes]:
    """Tab-separated, unquoted: tabs and line breaks inside text become spaces."""
    said = _said(batch)
    rows = [_header(batch)] + [_row(u, batch.langs, said) for u in batch.units]
    lines = ("\t".join(one_line(c) for c in row) for row in rows)
    return {out: "".join(line + "\n" for line in lines).encode()}


def write_csv(batch: Batch, out: Path) -> dict[Path, bytes]:
    """RFC 4180 CSV (quoted where needed, CRLF line ends), UTF-8 with BOM so spreadsheets read Chinese."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(_header(batch))
    said = _said(batch)
    writer.writerows(_row(u, batch.langs, said) for u in batch.units)
    return {out: "\ufeff".encode() + buf.getvalue().encode()}
