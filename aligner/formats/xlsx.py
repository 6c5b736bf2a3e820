"""XLSX review sheet: one row per unit, a column per language, then confidence, type, QA findings
and who made the link; read back, rows a person changed or marked become a person's links.

Each sentence is a line of its cell; hidden columns keep the sentence ids and a checksum of the
row as written, so import knows which rows a reviewer changed. CJK columns get a CJK font with
its charset (GB2312 for zh-Hans, Big5 for zh-Hant), which Excel and LibreOffice use to pick the
East Asian font. The header row is frozen and text wraps. Every text cell is typed as text, and a
cell longer than Excel holds is refused, never cut. On import, a line keeps the id beside it where
the edit leaves it certain (also a sentence moved to the next row); a line added, or a copied row,
gets a new id after the sentence before it (`en.p3.s2.1`), so no other sentence is renumbered, and
a copied row is a person's link.

Laid over the corpus (`import --replace`), a sheet changes only the sentences its rows held, by
the hidden ids: a row deleted deletes nothing (a sort or filter in Excel drops rows by mistake far
more often than a reviewer means to delete a sentence); its sentences and links stay as they were
and the import's summary counts them, as for a row whose doc cell now names another document (which
the summary names too). A reviewer who means to delete sentences empties their cells and keeps the row.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from aligner.corpus.model import Metadata, ParallelText, Sentence
from aligner.errors import InputError
from aligner.formats import Batch, Unit, before_first, confidence, free_id, is_ours, parallel_text
from aligner.ingest.blocks import checked_zip, require
from aligner.ingest.langs import split_tag

FIXED = ["doc", "link"]
AFTER = ["confidence", "type", "QA findings", "made by"]
IDS, CHECK = " ids", "check"
KEEP_HEADER = "keep the header the export wrote (only 'type' and 'QA findings' may go)"
MAX_CELL = 32_767  # Excel's limit on a cell, in UTF-16 units; openpyxl cuts a longer text without a word
FORMULA_START = ("=", "+", "-", "@")  # Excel reads a cell typed so as a formula when a reviewer edits it
Cell = tuple[list[str], list[str]]  # one language's cell of a row on import: its lines and the ids beside it
Row = tuple[str, str, dict[str, Cell], float, str]  # its place (FILE:ROW), link id, cells by language, confidence, who made it
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


def _fits(unit: Unit, head: Sequence[str], row: Sequence[Any]) -> None:
    """Refuse a cell longer than Excel holds rather than cut it (import would take the cut for an edit) or split it (a sentence is one line of one row)."""
    for name, value in zip(head, row, strict=True):
        size = len(value.encode("utf-16-le")) // 2 if isinstance(value, str) else 0
        if size > MAX_CELL:
            longest = max((s for sents in unit.cells.values() for s in sents), key=lambda s: len(s.text))
            raise InputError(
                f"{unit.doc_id}: link {unit.link_id}: its '{name}' cell would hold {size:,} characters, more than an "
                f"Excel cell's {MAX_CELL:,} (longest sentence {longest.id}, {len(longest.text):,} characters); export "
                f"{unit.doc_id} with --format xliff or jsonl, which have no such limit"
            )


def _append_text(sheet: Any, values: Sequence[Any]) -> None:
    """Append a row typing every text as text (openpyxl makes '=…' a formula, '#N/A' an error), quote-prefixed where
    Excel would re-read an edit as a formula. The cells are made before they are appended: reading the row back
    (`sheet[sheet.max_row]`, which counts every cell of the sheet) made a sheet's writing quadratic."""
    from openpyxl.cell import Cell

    cells = [Cell(sheet, value=value) for value in values]
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_START):
                cell.quotePrefix = True
    sheet.append(cells)


def write(batch: Batch, out: Path) -> dict[Path, bytes]:
    """The review workbook for the batch; a cell over Excel's limit is refused (see `_fits`)."""
    openpyxl = require("openpyxl", "XLSX")
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "alignment"
    head = header([batch.tag(lang) for lang in batch.langs])  # zh-Hant-TW when every document agrees
    _append_text(sheet, head)
    findings = _findings(batch)
    for unit in batch.units:
        row = _row(unit, batch.langs, findings)
        _fits(unit, head, row)
        _append_text(sheet, row)
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


def _lines(text: str) -> list[str]:
    """A cell's sentences: one a line, blank lines dropped."""
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def _runs(cells: Sequence[Cell]) -> Iterator[range]:
    """One language's rows in runs: a row whose lines match its ids in number alone, else with the unmatched rows below (a sentence moved to a neighbour)."""
    i = 0
    while i < len(cells):
        j = i + 1
        if len(cells[i][0]) != len(cells[i][1]):
            while j < len(cells) and (len(cells[j][0]) != len(cells[j][1]) or cells[j] == ([], [])):
                j += 1
        yield range(i, j)
        i = j


def _kept(cells: Sequence[Cell], lang: str) -> list[list[str | None]]:
    """Each line's id where the sheet still tells it: a run's ids in order (a run whose lines match
    its ids in number keeps them all, one with lines added gives its last ones none); None for an id
    not ours, or one taken above (a copied row)."""
    seen: set[str] = set()
    out: list[list[str | None]] = []
    for run in _runs(cells):
        given = iter([sid for k in run for sid in cells[k][1]])
        for k in run:
            row: list[str | None] = []
            for _ in cells[k][0]:
                sid = next(given, None)
                if sid is None or sid in seen or not is_ours(sid, lang):
                    sid = None
                else:
                    seen.add(sid)
                row.append(sid)
            out.append(row)
    return out


def _ids(cells: Sequence[Cell], lang: str) -> list[list[str]]:
    """Every line's id: kept where known (`_kept`); a line without one gets a new id after the last
    kept one before it in its row, else after its row's own id (a copied row), else after the last
    kept above (`en.p3.s2.1`, as an editor's split names it), so an edit renumbers no other sentence."""
    kept = _kept(cells, lang)
    taken = {sid for _, ids in cells for sid in ids} | {sid for row in kept for sid in row if sid}
    last = before_first(next((sid for _, ids in cells for sid in ids if is_ours(sid, lang)), None), lang)
    out = []
    for (_, ids), row in zip(cells, kept, strict=True):
        own = [sid for sid in ids if is_ours(sid, lang)]
        line_ids: list[str] = []
        before: str | None = None  # the last kept id of the row so far
        for i, sid in enumerate(row):
            if sid is not None:
                before = last = sid
            line_ids.append(sid or free_id(before or (own[min(i, len(own) - 1)] if own else last), taken))
        out.append(line_ids)
    return out


def _units(doc_id: str, rows: Sequence[Row]) -> list[tuple[Unit, str]]:
    """A document's rows as units with their places, each line a sentence with its id from `_ids`
    and the ids the row had as exported (its hidden cells: what it held); rows with neither dropped."""
    langs = list(dict.fromkeys(lang for _, _, cells, _, _ in rows for lang in cells))
    ids = {lang: _ids([cells.get(lang, ([], [])) for _, _, cells, _, _ in rows], lang) for lang in langs}
    units = []
    for k, (where, link, cells, sure, who) in enumerate(rows):
        sents = {lang: tuple(map(Sentence, ids[lang][k], cells.get(lang, ([], []))[0])) for lang in langs}
        held = {lang: tuple(cells.get(lang, ([], []))[1]) for lang in langs}
        if any(sents.values()) or any(held.values()):
            units.append((Unit(doc_id, link, sents, sure, who, held=held), where))
    return units


def _rows(path: Path) -> tuple[str, list[list[str]]]:
    """The first sheet's name and every row of it as strings (the zip checked first); a formula as its text: a sentence starting with '=', as older exports wrote it."""
    checked_zip(path, "XLSX").close()
    openpyxl = require("openpyxl", "XLSX")
    try:
        book = openpyxl.load_workbook(str(path), read_only=True)
    except Exception:  # openpyxl raises KeyError, ValueError or its own errors on a broken package
        raise InputError(f"{path}: not a readable XLSX (a part is missing or broken); save it again from Excel or LibreOffice") from None
    sheet = book.worksheets[0]
    rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return sheet.title, rows


def _languages(path: Path, head: Sequence[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The header's language columns and their (key, region), refusing a header without a column import reads (a language, its ids, confidence, made by)."""
    if AFTER[0] not in head:
        raise InputError(f"{path}:1: column '{AFTER[0]}' is missing; {KEEP_HEADER}")
    langs = list(head[len(FIXED) : head.index(AFTER[0])])
    try:
        split = [split_tag(lang) for lang in langs]
    except InputError as err:
        raise InputError(f"{path}:1: {err}") from None
    orphans = [name.removesuffix(IDS) for name in head if name.endswith(IDS) and name.removesuffix(IDS) not in langs]
    missing = next((name for name in [*orphans, AFTER[-1], *(lang + IDS for lang in langs)] if name not in head), None)
    if missing is not None:  # deleted or renamed by a reviewer
        raise InputError(f"{path}:1: column '{missing}' is missing; {KEEP_HEADER}")
    return langs, split


def read(paths: list[Path], resp: str | None = None) -> list[ParallelText]:
    """Documents from review sheets (`_sheet`)."""
    return [text for path in paths for text in _sheet(path, resp)]


def _sheet(path: Path, resp: str | None) -> list[ParallelText]:
    """The documents of a review sheet: rows changed or marked 'person' in 'made by' become a person's links; a row
    without its document is refused (it made a document named after the file). Each row holds the sentences of its
    hidden ids even with its cells emptied (the reviewer deleted them); a row deleted holds none (see the module)."""
    title, rows = _rows(path)
    if not rows or rows[0][:2] != FIXED or CHECK not in rows[0]:
        raise InputError(f"{path}:1: not an aligner review sheet (the first row must be {', '.join(FIXED)}, languages …); export one with aligner export --format xlsx")
    head = rows[0]
    langs, split = _languages(path, head)
    tags = [key for key, _ in split]
    col = {name: i for i, name in enumerate(head)}
    docs: dict[str, list[Row]] = {}
    seen: dict[str, set[str]] = {}  # per document, the ids of the rows so far: a row repeating one is a copy
    for n, row in enumerate(rows[1:], 2):
        row = row + [""] * (len(head) - len(row))
        if not row[0].strip():
            if any(cell.strip() for cell in row):
                raise InputError(f"{path}:{n}: the 'doc' cell of sheet '{title}' is empty; fill in the document id the export wrote there")
            continue
        doc_id = row[0]
        texts = [row[col[lang]] for lang in langs]
        ids = [row[col[lang + IDS]] for lang in langs]
        made_by = row[col["made by"]].strip().lower()
        sids = " ".join(ids).split()
        copied = not seen.setdefault(doc_id, set()).isdisjoint(sids)
        seen[doc_id].update(sids)
        changed = copied or checksum([*texts, *ids, made_by]) != row[col[CHECK]]
        who = resp or ("person" if changed or made_by == "person" else "machine")
        sure = confidence(row[col["confidence"]] or "1", f"{path}:{n}", "confidence", "write one in [0, 1]")  # blank: a reviewer's certainty
        cells = {tag: (_lines(t), i.split()) for tag, t, i in zip(tags, texts, ids, strict=True)}
        docs.setdefault(doc_id, []).append((f"{path}:{n}", row[1], cells, sure, who))
    groups = {doc_id: placed for doc_id, rows_ in docs.items() if (placed := _units(doc_id, rows_))}
    if not groups:
        raise InputError(f"{path}: no rows to import; give review sheets that aligner export --format xlsx wrote, with their rows")
    metas = {tag: Metadata(source=path.name, note=f"imported from {path.name} (XLSX review sheet)") for tag in tags}
    regions = {key: region for key, region in split if region}
    columns = ", ".join(f"'{lang}{IDS}'" for lang in langs)
    return [
        parallel_text(doc_id, placed, metas, "imported from an XLSX review sheet", regions,
                      ids_in=f"in the hidden columns {columns} of sheet '{title}'")
        for doc_id, placed in groups.items()
    ]
