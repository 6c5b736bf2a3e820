"""XLSX review sheet: layout for reviewers, export → import round trip, a reviewer's edits become a person's links."""

from __future__ import annotations

import re
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
