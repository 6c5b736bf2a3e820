"""XLSX review sheet: layout for reviewers, export → import round trip, a reviewer's edits become a person's links."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from test_formats_roundtrip import CORPUS, links, same_text_and_links

from aligner.cli import main
from aligner.corpus.model import ParallelText
from aligner.corpus.store import load
from aligner.errors import InputError
from aligner.formats.export import export
from aligner.formats.filters import Filters
from aligner.formats.imports import import_files

LANGS = ["en", "zh-Hans", "zh-Hant"]


def d1() -> ParallelText:
    return load(CORPUS, "d1")


@pytest.fixture()
def sheet(tmp_path: Path) -> Path:
    export([d1()], "xlsx", LANGS, tmp_path / "review.xlsx", Filters())
    return tmp_path / "review.xlsx"


def test_sheet_has_a_frozen_header_wrapped_text_cjk_fonts_and_hidden_ids(sheet: Path) -> None:
    ws = openpyxl.load_workbook(sheet).active
    header = [c.value for c in ws[1]]
    assert header == ["doc", "link", *LANGS, "confidence", "type", "QA findings", "made by", "en ids", "zh-Hans ids", "zh-Hant ids", "check"]
    assert ws.freeze_panes == "C2"
    assert ws["C2"].alignment.wrap_text
    assert (ws["D2"].font.name, ws["D2"].font.charset, ws["E2"].font.charset) == ("Noto Sans CJK SC", 134, 136)
    assert [ws.column_dimensions[c].hidden for c in "JKLM"] == [True] * 4
    assert not ws.column_dimensions["C"].hidden
    (choice,) = ws.data_validations.dataValidation
    assert (choice.formula1, str(choice.sqref)) == ('"machine,person"', "I2:I6")
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    two_to_one = next(r for r in rows if r[6] == "2-1-1")
    assert two_to_one[2].count("\n") == 1  # one sentence a line
    assert two_to_one[9] == "en.p1.s1 en.p1.s2"
    assert {r[8] for r in rows} == {"machine", "person"}


def test_qa_findings_are_in_the_sheet(sheet: Path) -> None:
    ws = openpyxl.load_workbook(sheet).active
    notes = [r[7].value for r in ws.iter_rows(min_row=2) if r[7].value]
    assert notes and all(re.match(r"^[a-z-]+: ", n) for n in notes)


def test_export_then_import_gives_the_same_text_and_links(sheet: Path, tmp_path: Path) -> None:
    (back,) = import_files([sheet], "xlsx", tmp_path / "corpora")
    same_text_and_links(d1(), back, LANGS)
    assert [lk.resp for lk in links(back, "en", "zh-Hans")] == [lk.resp for lk in links(d1(), "en", "zh-Hans")]
    assert load(tmp_path / "corpora", "d1").versions["en"].paragraphs == back.versions["en"].paragraphs


def test_rows_a_reviewer_changed_or_marked_become_a_persons_links(sheet: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(sheet)
    ws = book.active
    ws["D2"] = ws["D2"].value + "！"  # a corrected translation
    ws["I5"] = "person"  # a link the reviewer confirmed
    book.save(sheet)
    (back,) = import_files([sheet], "xlsx", tmp_path / "corpora")
    before = [lk.resp for lk in links(d1(), "en", "zh-Hans")]
    after = [lk.resp for lk in links(back, "en", "zh-Hans")]
    assert before[0] == before[3] == "machine"
    assert after[0] == after[3] == "person"
    assert [a for i, a in enumerate(after) if i not in (0, 3)] == [b for i, b in enumerate(before) if i not in (0, 3)]
    assert back.versions["zh-Hans"].paragraphs[0].sentences[0].text.endswith("！")


def test_cli_round_trip(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "r.xlsx"
    result = runner.invoke(main, ["export", "d1", "--corpus", str(CORPUS), "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["import", str(out), "--format", "xlsx", "--corpus", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Imported d1 into")


def test_a_sheet_that_is_not_ours_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["source", "target"])
    book.save(tmp_path / "other.xlsx")
    with pytest.raises(InputError, match=r"other.xlsx:1: not an aligner review sheet"):
        import_files([tmp_path / "other.xlsx"], "xlsx", tmp_path / "c")
    assert not (tmp_path / "c").exists()


def test_a_broken_xlsx_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 nope")
    result = CliRunner().invoke(main, ["import", str(tmp_path / "bad.xlsx"), "--format", "xlsx", "--corpus", str(tmp_path / "c")])
    assert result.exit_code == 1
    assert "bad.xlsx: not a readable XLSX (corrupt, or encrypted with a password)" in result.output
    assert not (tmp_path / "c").exists()


def test_same_corpus_same_bytes(tmp_path: Path) -> None:
    for name in ("a.xlsx", "b.xlsx"):
        export([d1()], "xlsx", LANGS, tmp_path / name, Filters())
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_a_zip_bomb_posing_as_a_sheet_is_refused(sheet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aligner.ingest import blocks

    monkeypatch.setattr(blocks, "MAX_UNZIPPED", 1024)
    with pytest.raises(InputError, match=r"review.xlsx: \d+ MiB once unpacked \(limit \d+ MiB\); refusing a possible zip bomb: split the XLSX"):
        import_files([sheet], "xlsx", tmp_path / "c")
    assert not (tmp_path / "c").exists()


def with_en_texts(text: ParallelText, texts: list[str]) -> ParallelText:
    """The document with its first English sentences' texts replaced, in reading order."""
    new = iter(texts)
    en = text.versions["en"]
    paras = tuple(replace(p, sentences=tuple(replace(s, text=next(new, s.text)) for s in p.sentences)) for p in en.paragraphs)
    return replace(text, versions={**text.versions, "en": replace(en, paragraphs=paras)})


FORMULA_LIKE = ["=SUM(B2:B9) gives the total.", "+1 more", "It flows east.", "@home we go", "#N/A", "-5 degrees"]


def test_text_that_looks_like_a_formula_is_written_as_text_and_reads_back_exactly(tmp_path: Path) -> None:
    doc = with_en_texts(d1(), FORMULA_LIKE)
    export([doc], "xlsx", LANGS, tmp_path / "r.xlsx", Filters())
    with zipfile.ZipFile(tmp_path / "r.xlsx") as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    assert {c.data_type for row in ws.iter_rows() for c in row if isinstance(c.value, str)} == {"s"}
    en = [ws.cell(r, 3) for r in range(2, 7)]
    assert [c.value for c in en] == ["=SUM(B2:B9) gives the total.", "+1 more\nIt flows east.", "@home we go", "#N/A", "-5 degrees"]
    assert [c.quotePrefix for c in en] == [True, True, True, False, True]  # Excel keeps an edited cell text
    (back,) = import_files([tmp_path / "r.xlsx"], "xlsx", tmp_path / "c")
    same_text_and_links(doc, back, LANGS)
    assert [lk.resp for lk in links(back, "en", "zh-Hans")] == [lk.resp for lk in links(doc, "en", "zh-Hans")]


def test_a_formula_cell_as_older_exports_wrote_it_imports_as_its_text(tmp_path: Path) -> None:
    doc = with_en_texts(d1(), FORMULA_LIKE)
    export([doc], "xlsx", LANGS, tmp_path / "r.xlsx", Filters())
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    book.active["C2"] = book.active["C2"].value  # openpyxl types it a formula again, with no cached value
    book.save(tmp_path / "r.xlsx")
    assert openpyxl.load_workbook(tmp_path / "r.xlsx").active["C2"].data_type == "f"
    (back,) = import_files([tmp_path / "r.xlsx"], "xlsx", tmp_path / "c")
    same_text_and_links(doc, back, LANGS)
    assert links(back, "en", "zh-Hans")[0].resp == "machine"


def without_column(sheet: Path, name: str) -> Path:
    """The sheet with one column deleted, as a reviewer might."""
    book = openpyxl.load_workbook(sheet)
    book.active.delete_cols([c.value for c in book.active[1]].index(name) + 1)
    book.save(sheet)
    return sheet


@pytest.mark.parametrize("name", ["made by", "en ids", "confidence", "zh-Hans"])
def test_a_missing_column_is_one_line_naming_it(sheet: Path, tmp_path: Path, name: str) -> None:
    result = CliRunner().invoke(main, ["import", str(without_column(sheet, name)), "--format", "xlsx", "--corpus", str(tmp_path / "c")])
    assert result.exit_code == 1
    assert result.output == f"Error: {sheet}:1: column '{name}' is missing; keep the header the export wrote (only 'type' and 'QA findings' may go)\n"
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize("name", ["type", "QA findings"])
def test_a_sheet_without_the_columns_import_does_not_read_still_imports(sheet: Path, tmp_path: Path, name: str) -> None:
    (back,) = import_files([without_column(sheet, name)], "xlsx", tmp_path / "c")
    same_text_and_links(d1(), back, LANGS)


@pytest.mark.parametrize("value", [7, -0.5, "1.5", "nan", "inf"])
def test_a_confidence_outside_0_1_is_one_line_naming_the_row(sheet: Path, tmp_path: Path, value: object) -> None:
    book = openpyxl.load_workbook(sheet)
    book.active["F4"] = value
    book.save(sheet)
    with pytest.raises(InputError, match=rf"^{re.escape(str(sheet))}:4: confidence '{value}' is not a number from 0 to 1; write one in \[0, 1\]$"):
        import_files([sheet], "xlsx", tmp_path / "c")
    assert not (tmp_path / "c").exists()


def test_a_cell_at_excels_limit_goes_through_exactly(tmp_path: Path) -> None:
    doc = with_en_texts(d1(), ["x" * 32_767])
    export([doc], "xlsx", LANGS, tmp_path / "r.xlsx", Filters())
    (back,) = import_files([tmp_path / "r.xlsx"], "xlsx", tmp_path / "c")
    same_text_and_links(doc, back, LANGS)
    assert links(back, "en", "zh-Hans")[0].resp == "machine"


@pytest.mark.parametrize(("char", "count"), [("x", 32_768), ("𠀀", 16_384)], ids=["latin", "outside-BMP"])  # Excel counts UTF-16 units
def test_a_cell_over_excels_limit_is_refused_naming_the_sentence(tmp_path: Path, char: str, count: int) -> None:
    doc = with_en_texts(d1(), ["Rivers.", "The Yangtze is long.", "It flows east.", char * count])
    with pytest.raises(InputError, match=rf"^d1: link l3: its 'en' cell would hold 32,768 characters, more than an Excel cell's 32,767 "
                       rf"\(longest sentence en.p1.s3, {count:,} characters\); export d1 with --format xliff or jsonl, which have no such limit$"):
        export([doc], "xlsx", LANGS, tmp_path / "r.xlsx", Filters())
    assert not (tmp_path / "r.xlsx").exists()


def paragraphs(text: ParallelText, lang: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """A version's paragraphs as (id, kind, [(sentence id, text)])."""
    return [(p.id, p.kind, [(s.id, s.text) for s in p.sentences]) for p in text.versions[lang].paragraphs]


def test_a_sentence_moved_to_the_next_row_keeps_every_id_and_paragraph(sheet: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(sheet)
    ws = book.active
    first, moved = ws["C3"].value.split("\n")  # en.p1.s1, en.p1.s2 of the 2-1 link
    ws["C3"], ws["C4"] = first, f"{moved}\n{ws['C4'].value}"
    book.save(sheet)
    (back,) = import_files([sheet], "xlsx", tmp_path / "c")
    for lang in LANGS:
        assert paragraphs(back, lang) == paragraphs(d1(), lang)
    assert [(lk.src, lk.tgt, lk.resp) for lk in links(back, "en", "zh-Hans")[1:3]] == [
        (("en.p1.s1",), ("zh-Hans.p1.s1",), "person"), (("en.p1.s2", "en.p1.s3"), ("zh-Hans.p1.s2",), "person"),
    ]


def test_a_copied_row_renumbers_no_sentence_and_is_a_persons_link(sheet: Path, tmp_path: Path) -> None:
    """The copy renumbered every sentence of its paragraph after it (en.p2.s2 became en.p2.s3)."""
    book = openpyxl.load_workbook(sheet)
    ws = book.active
    ws.insert_rows(6)
    for cell in ws[5]:
        ws.cell(6, cell.column, cell.value)  # row 5 (en.p2.s1, zh-Hans.p2.s1, a machine's link) twice
    book.save(sheet)
    (back,) = import_files([sheet], "xlsx", tmp_path / "c")
    for lang in LANGS:
        before, after = paragraphs(d1(), lang), paragraphs(back, lang)
        assert after[:2] == before[:2]  # the heading and the paragraph before untouched
        first, *rest = before[2][2]
        assert after[2] == (f"{lang}.p2", "p", [first, (f"{lang}.p2.s1.1", first[1]), *rest])
    assert [(lk.src, lk.tgt, lk.resp) for lk in links(back, "en", "zh-Hans")[3:5]] == [
        (("en.p2.s1",), ("zh-Hans.p2.s1",), "machine"), (("en.p2.s1.1",), ("zh-Hans.p2.s1.1",), "person"),
    ]


def test_a_sentence_added_to_a_cell_renumbers_no_sentence(sheet: Path, tmp_path: Path) -> None:
    """The sentence after it in its paragraph was renumbered (en.p2.s2 became en.p2.s3)."""
    book = openpyxl.load_workbook(sheet)
    ws = book.active
    ws["C5"] = ws["C5"].value + "\nThey make power."  # en.p2.s1's cell
    book.save(sheet)
    (back,) = import_files([sheet], "xlsx", tmp_path / "c")
    before, after = paragraphs(d1(), "en"), paragraphs(back, "en")
    assert after[:2] == before[:2]
    assert [sid for sid, _ in after[2][2]] == ["en.p2.s1", "en.p2.s1.1", "en.p2.s2"]
    assert [t for _, t in after[2][2]] == [before[2][2][0][1], "They make power.", before[2][2][1][1]]
    assert paragraphs(back, "zh-Hans") == paragraphs(d1(), "zh-Hans")


def test_a_sentence_added_in_a_sheet_sorted_otherwise_lands_in_reading_order(sheet: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(sheet)
    ws = book.active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    for r, values in enumerate(reversed(rows), 2):  # the reviewer sorted the rows backwards
        for c, value in enumerate(values, 1):
            ws.cell(r, c).value = value  # ws.cell(r, c, None) would keep the cell's old value
    ws["C5"] = ws["C5"].value + "\nAdded one."  # now the cell of en.p1.s1 and en.p1.s2
    book.save(sheet)
    (back,) = import_files([sheet], "xlsx", tmp_path / "c")
    before, after = paragraphs(d1(), "en"), paragraphs(back, "en")
    assert [after[0], after[2]] == [before[0], before[2]]
    s1, s2, s3 = (t for _, t in before[1][2])
    assert after[1] == ("en.p1", "p", [("en.p1.s1", s1), ("en.p1.s2", s2), ("en.p1.s2.1", "Added one."), ("en.p1.s3", s3)])


def test_an_edited_id_that_would_move_its_sentence_is_one_line_naming_the_rows_and_columns(sheet: Path, tmp_path: Path) -> None:
    """en.p999.s1 moved its sentence into a new paragraph at the end in silence, its link crossing the others."""
    book = openpyxl.load_workbook(sheet)
    assert book.active["J4"].value == "en.p1.s3"
    book.active["J4"] = "en.p999.s1"
    book.save(sheet)
    result = CliRunner().invoke(main, ["import", str(sheet), "--format", "xlsx", "--corpus", str(tmp_path / "c")])
    assert (result.exit_code, result.stderr) == (1, (
        f"Error: {sheet}:4: this en–zh-Hans link and the one at {sheet}:5 cross (one comes first in en, the other in zh-Hans), "
        "and links keep the order of the text; restore the ids the export wrote in the hidden columns 'en ids', "
        "'zh-Hans ids', 'zh-Hant ids' of sheet 'alignment'\n"
    ))
    assert not (tmp_path / "c").exists()


def test_a_row_without_its_document_is_one_line_naming_the_cell(sheet: Path, tmp_path: Path) -> None:
    """A cleared doc cell split its row off into a document named after the file; an empty row is still passed over."""
    book = openpyxl.load_workbook(sheet)
    book.active["A3"] = None
    book.active.append([None] * 3)
    book.save(sheet)
    result = CliRunner().invoke(main, ["import", str(sheet), "--format", "xlsx", "--corpus", str(tmp_path / "c")])
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {sheet}:3: the 'doc' cell of sheet 'alignment' is empty; fill in the document id the export wrote there\n"
    )
    assert not (tmp_path / "c").exists()
    book.active["A3"] = "d1"
    book.save(sheet)
    (back,) = import_files([sheet], "xlsx", tmp_path / "c")
    same_text_and_links(d1(), back, LANGS)
