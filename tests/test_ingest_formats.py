"""Rich inputs (DOCX, ODT, EPUB, PDF, RTF, subtitles, Markdown): each made here with its own library,
read into the same Document plain-text ingest makes; bad files are one-line errors."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from aligner.cli import main
from aligner.errors import InputError
from aligner.ingest import blocks
from aligner.ingest.text import ingest_file

ROOT = Path(__file__).parent.parent
DOC = "000_bf7a112df29932bd"


def texts(path: Path) -> list[tuple[str, str, list[str]]]:
    """Paragraph id, kind and sentence texts of an ingested file."""
    return [(p.id, p.kind, [s.text for s in p.sentences]) for p in ingest_file(path).paragraphs]


def make_docx(path: Path) -> Path:
    """A Word file with a title, a heading, a table (one merged cell) and a list item."""
    document = docx.Document()
    document.add_paragraph("Rivers of Europe", style="Title")
    document.add_paragraph("The Rhine is long. It flows north.")
    document.add_heading("Tributaries", 1)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Main.", "Neckar."
    table.cell(1, 0).merge(table.cell(1, 1)).text = "Both join at Mainz."
    document.add_paragraph("Moselle flows in at Koblenz.", style="List Bullet")
    document.core_properties.author = "A. Writer"
    document.save(str(path))
    return path


def test_docx_keeps_title_paragraphs_tables_and_lists_in_reading_order(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "rivers.en.docx")
    assert texts(path) == [
        ("en.head", "head", ["Rivers of Europe"]),
        ("en.p1", "p", ["The Rhine is long.", "It flows north."]),
        ("en.p2", "p", ["Tributaries"]),
        ("en.p3", "p", ["Main."]),
        ("en.p4", "p", ["Neckar."]),
        ("en.p5", "p", ["Both join at Mainz."]),
        ("en.p6", "p", ["Moselle flows in at Koblenz."]),
    ]
    assert ingest_file(path).meta.author == "A. Writer"


def test_seed_article_as_docx_gives_the_same_sentences_and_ids_as_the_text() -> None:
    from_docx = ingest_file(ROOT / "tests" / "data" / "docx" / f"{DOC}.en.docx")
    from_text = ingest_file(ROOT / "seeds" / f"{DOC}.txt")
    assert from_docx.lang == from_text.lang == "en"
    assert from_docx.paragraphs == from_text.paragraphs
    assert sum(1 for _ in from_docx.sentences()) > 40


def zip_with(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def test_zip_with_too_many_entries_is_refused(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "many.docx", {f"f{i}": b"" for i in range(blocks.MAX_ENTRIES + 1)})
    with pytest.raises(InputError, match=r"many.docx: 10001 entries in the DOCX archive \(limit 10000\)"):
        ingest_file(path)


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blocks, "MAX_UNZIPPED", 2**20)
    path = zip_with(tmp_path / "bomb.docx", {"word/document.xml": b"\0" * (3 * 2**20)})
    assert path.stat().st_size < 2**15
    with pytest.raises(InputError, match=r"bomb.docx: 3 MiB once unpacked \(limit 1 MiB\); refusing a possible zip bomb"):
        ingest_file(path)


BAD_FILES = [
    ("corrupt.docx", b"PK\x03\x04 this is not really a zip", "not a readable DOCX (corrupt, or encrypted with a password)"),
    ("encrypted.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "not a readable DOCX (corrupt, or encrypted with a password)"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_one_line_errors(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    (tmp_path / name).write_bytes(data)
    with pytest.raises(InputError, match=re.escape(message)):
        ingest_file(tmp_path / name)


def test_docx_missing_its_document_part_is_an_error(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "empty.docx", {"[Content_Types].xml": b"<Types/>"})
    with pytest.raises(InputError, match="empty.docx: not a readable DOCX"):
        ingest_file(path)


def test_build_with_a_bad_file_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    make_docx(seeds / "rivers.en.docx")
    (seeds / "rivers.de.docx").write_bytes(b"PK\x03\x04 broken")
    result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--corpus", str(tmp_path / "corpora")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].endswith("rivers.de.docx: not a readable DOCX (corrupt, or encrypted with a password); open it in its editor and save it again without a password")
    assert not (tmp_path / "corpora").exists()


def test_markdown_keeps_headings_paragraphs_lists_and_tables_and_drops_code(tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    source = "# Rivers\n\nThe Rhine is **long**. It flows\n[north](http://x).\n\n## Tributaries\n\n- Main river.\n\n| Cell one. | Cell two. |\n|---|---|\n\n```\ncode()\n```\n"
    assert "<table>" in MarkdownIt("commonmark").enable("table").render(source)  # the library sees what we read
    (tmp_path / "r.en.md").write_text(source, encoding="utf-8")
    assert texts(tmp_path / "r.en.md") == [
        ("en.head", "head", ["Rivers"]),
        ("en.p1", "p", ["The Rhine is long.", "It flows north."]),
        ("en.p2", "p", ["Tributaries"]),
        ("en.p3", "p", ["Main river."]),
        ("en.p4", "p", ["Cell one."]),
        ("en.p5", "p", ["Cell two."]),
    ]


def test_a_readme_in_the_seeds_folder_is_not_a_document(tmp_path: Path) -> None:
    from aligner.build import find_sources

    (tmp_path / "README.md").write_text("# About these seeds\n", encoding="utf-8")
    make_docx(tmp_path / "rivers.en.docx")
    assert list(find_sources(tmp_path)) == ["rivers"]
