"""XLSX review sheet: one row per unit, a column per language, then confidence, type, QA findings
and who made the link; read back, rows a person changed or marked become a person's links.

Each sentence is a line of its cell; hidden columns keep the sentence ids and a checksum of the
row as written, so import knows which rows a reviewer changed. CJK columns get a CJK font with
its charset (GB2312 for zh-Hans, Big5 for zh-Hant), which Excel and LibreOffice use to pick the
East Asian font. The header row is frozen and text wraps.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aligner.corpus.model import Metadata, ParallelText, Sentence
from aligner.errors import InputError
from aligner.formats import Batch, Unit, parallel_text
from aligner.ingest.blocks import checked_zip, require
from aligner.ingest.langs import split_tag

FIXED = ["doc", "link"]
AFTER = ["confidence", "type", "QA findings", "made by"]
IDS, CHECK = " ids", "check"
CJK_FONTS = {"zh-Hans": ("Noto Sans CJK SC", 134), "zh-Hant": ("Noto Sans CJK TC", 136), "ja": ("Noto Sans CJK JP", 128), "ko": ("Noto Sans CJK KR", 129)}


def header(langs: Sequence[str]) -> list[str]:
    """Column titles: doc, link, a column per language, the link's facts, then hidden ids and checksum."""
    return [*FIXED, *langs, *AFTER, *(lang + IDS for lang in langs), CHECK]


def checksum(cells: Sequence[str]) -> str:
    """A short digest of a row's texts, ids and maker, to see later whether a reviewer changed it."""
    return hashlib.sha256("\x1f".join(cells).encode()).hexdigest()[:16]


def _findings(batch: Batch) -> dict[tuple[str, str], list[str]]:
    """QA findings on the exported languages by (document, sentence id), as 'check: reason'."""
    from aligner.qa.run import run_qa

    out: dict[tuple[str, str], list[str]] = {}
    for f in run_qa(batch.texts):
        if f.src_lang not in batch.langs or f.tgt_lang not in batch.langs:
            continue
        for sid in (*f.src_ids, *f.tgt_ids):
            out.setdefault((f.doc_id, sid), []).append(f"{f.check}: {f.reason}")
    return out


def _row(unit: Unit, langs: Sequence[str], findings: dict[tuple[str, str], list[str]]) -> list[Any]:
    texts = ["\n".join(s.text for s in unit.cells[lang]) for lang in langs]
    ids = [" ".join(s.id for s in unit.cells[lang]) for lang in langs]
    notes = dict.fromkeys(n for lang in langs for s in unit.cells[lang] for n in findings.get((unit.doc_id, s.id), []))
    return [unit.doc_id, unit.link_id, *texts, round(unit.confidence, 3), unit.kind, "\n".join(notes), unit.resp,
            *ids, checksum([*texts, *ids, unit.resp])]


def write(batch: Batch, out: Path) -> dict[Path, bytes]:
    """The review workbook for the batch."""
    openpyxl = require("openpyxl", "XLSX")
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "alignment"
    sheet.append(header([batch.tag(lang) for lang in batch.langs]))  # zh-Hant-TW when every document agrees
    findings = _findings(batch)
    for unit in batch.units:
        sheet.append(_row(unit, batch.langs, findings))
    sheet.freeze_panes = "C2"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [24, 8, *(60 for _ in batch.langs), 11, 7, 40, 9]
    for col, width in enumerate(widths, 1):
        letter = get_column_letter(col)
        sheet.column_dimensions[letter].width = width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for n, lang in enumerate(batch.langs, len(FIXED) + 1):
        if lang in CJK_FONTS:
            name, charset = CJK_FONTS[lang]
            for (cell,) in sheet.iter_rows(min_row=1, min_col=n, max_col=n):
                cell.font = Font(name=name, charset=charset, bold=cell.row == 1)
    for col in range(len(widths) + 1, len(header(batch.langs)) + 1):
        sheet.column_dimensions[get_column_letter(col)].hidden = True
    made_by = get_column_letter(len(widths))
    choice = DataValidation(type="list", formula1='"machine,person"', allow_blank=False)
    choice.add(f"{made_by}2:{made_by}{max(2, len(batch.units) + 1)}")
    sheet.add_data_validation(choice)  # a reviewer confirms a link by choosing "person"
    buf = io.BytesIO()
    book.save(buf)
    return {out: _stable(buf.getvalue())}


_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _stable(data: bytes) -> bytes:
    """The workbook with fixed zip times and document dates, so the same sheet gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = _STAMP.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", body)
            dst.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _sentences(text: str, ids: str, lang: str) -> tuple[Sentence, ...]:
    """A cell's lines as sentences, with the ids of the hidden column when they still match up."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    names = ids.split()
    if len(names) != len(lines):
        names = [""] * len(lines)  # edited beyond recognition: the version is renumbered
    return tuple(Sentence(i, t) for i, t in zip(names, lines, strict=True))


def _rows(path: Path) -> list[list[str]]:
    """Every row of the first sheet as strings (the zip checked first)."""
    checked_zip(path, "XLSX").close()
    openpyxl = require("openpyxl", "XLSX")
    try:
        book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except Exception:  # openpyxl raises KeyError, ValueError or its own errors on a broken package
        raise InputError(f"{path}: not a readable XLSX (a part is missing or broken); save it again from Excel or LibreOffice") from None
    rows = [[_cell(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


def read(paths: list[Path], resp: str | None = None) -> list[ParallelText]:
    """Documents from review sheets: rows changed or marked 'person' in 'made by' become a person's links."""
    groups: dict[str, list[Unit]] = {}
    metas: dict[str, dict[str, Metadata]] = {}
    regions: dict[str, dict[str, str]] = {}  # per document, the versions' regions (zh-Hant-TW in a header)
    for path in paths:
        rows = _rows(path)
        if not rows or rows[0][:2] != FIXED or CHECK not in rows[0]:
            raise InputError(f"{path}:1: not an aligner review sheet (the first row must be {', '.join(FIXED)}, languages …); export one with aligner export --format xlsx")
        head = rows[0]
        langs = head[len(FIXED) : head.index(AFTER[0])]
        try:
            split = [split_tag(lang) for lang in langs]
        except InputError as err:
            raise InputError(f"{path}:1: {err}") from None
        tags = [key for key, _ in split]
        col = {name: i for i, name in enumerate(head)}
        for n, row in enumerate(rows[1:], 2):
            row = row + [""] * (len(head) - len(row))
            doc_id = row[0] or path.stem
            texts = [row[col[lang]] for lang in langs]
            ids = [row[col[lang + IDS]] for lang in langs]
            made_by = row[col["made by"]].strip().lower()
            changed = checksum([*texts, *ids, made_by]) != row[col[CHECK]]
            who = resp or ("person" if changed or made_by == "person" else "machine")
            try:
                confidence = float(row[col["confidence"]] or 1.0)
            except ValueError:
                raise InputError(f"{path}:{n}: confidence '{row[col['confidence']]}' is not a number; write one in [0, 1]") from None
            cells = {tag: _sentences(t, i, tag) for tag, t, i in zip(tags, texts, ids, strict=True)}
            if any(cells.values()):
                groups.setdefault(doc_id, []).append(Unit(doc_id, row[1], cells, confidence, who))
        for doc_id in groups:
            metas.setdefault(doc_id, {tag: Metadata(source=path.name, note=f"imported from {path.name} (XLSX review sheet)") for tag in tags})
            regions.setdefault(doc_id, {key: region for key, region in split if region})
    if not groups:
        raise InputError(f"{', '.join(map(str, paths))}: no rows to import")
    return [
        parallel_text(doc_id, units, metas[doc_id], "imported from an XLSX review sheet", regions[doc_id])
        for doc_id, units in groups.items()
    ]
