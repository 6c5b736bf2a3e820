"""Rich inputs (DOCX, ODT, EPUB, PDF, RTF, subtitles, Markdown): each made here with its own library,
read into the same Document plain-text ingest makes; bad files are one-line errors."""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner

from aligner.cli import main
from aligner.errors import InputError
from aligner.ingest import blocks
from aligner.ingest.docx import W
from aligner.ingest.text import ingest_file

ROOT = Path(__file__).parent.parent
DOC = "000_bf7a112df29932bd"


def texts(path: Path) -> list[tuple[str, str, list[str]]]:
    """Paragraph id, kind and sentence texts of an ingested file."""
    return [(p.id, p.kind, [s.text for s in p.sentences]) for p in ingest_file(path).paragraphs]


FOOTNOTES = (
    f'<w:footnotes xmlns:w="{W}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    f'<w:footnote w:id="1"><w:p><w:r><w:t>Source: an atlas of Europe.</w:t></w:r></w:p></w:footnote></w:footnotes>'
)


def add_footnote(document: Any, paragraph: Any) -> None:
    """A footnotes part and a reference to footnote 1 at the end of `paragraph`, through python-docx's package API."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    part = Part(PackURI("/word/footnotes.xml"), content_type, FOOTNOTES.encode(), document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), "1")
    paragraph.add_run()._r.append(ref)


def make_docx(path: Path) -> Path:
    """A Word file with a title, a footnote, a heading, a table (one merged cell) and a list item."""
    document = docx.Document()
    document.add_paragraph("Rivers of Europe", style="Title")
    add_footnote(document, document.add_paragraph("The Rhine is long. It flows north."))
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
        ("en.p2", "note", ["Source: an atlas of Europe."]),
        ("en.p3", "head", ["Tributaries"]),
        ("en.p4", "p", ["Main."]),
        ("en.p5", "p", ["Neckar."]),
        ("en.p6", "p", ["Both join at Mainz."]),
        ("en.p7", "p", ["Moselle flows in at Koblenz."]),
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


def test_a_container_whose_xml_declares_entities_is_refused(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "xxe.en.docx", {
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
    })
    with pytest.raises(InputError, match=r"xxe.en.docx: word/document.xml declares XML entities, which are refused for safety"):
        ingest_file(path)


BAD_FILES = [
    ("corrupt.docx", b"PK\x03\x04 this is not really a zip", "not a readable DOCX (corrupt, or encrypted with a password)"),
    ("encrypted.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "not a readable DOCX (corrupt, or encrypted with a password)"),
    ("corrupt.odt", b"PK\x03\x04 broken", "not a readable ODT (corrupt, or encrypted with a password)"),
    ("corrupt.epub", b"PK\x03\x04 broken", "not a readable EPUB (corrupt, or encrypted with a password)"),
    ("corrupt.pdf", b"%PDF-1.4\n garbage \x00\x01", "not a readable PDF"),
    ("notrtf.rtf", b"Just text.", "not an RTF file (it does not start with {\\rtf)"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_one_line_errors(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    (tmp_path / name).write_bytes(data)
    with pytest.raises(InputError, match=re.escape(message)):
        ingest_file(tmp_path / name)


HOLLOW = [("empty.docx", {"[Content_Types].xml": b"<Types/>"}, "DOCX"), ("hollow.epub", {"mimetype": b"application/epub+zip"}, "EPUB"),
          ("hollow.odt", {"mimetype": b"application/vnd.oasis.opendocument.text"}, "ODT")]


@pytest.mark.parametrize(("name", "entries", "fmt"), HOLLOW, ids=[h[0] for h in HOLLOW])
def test_a_zip_missing_its_main_part_is_an_error(tmp_path: Path, name: str, entries: dict[str, bytes], fmt: str) -> None:
    with pytest.raises(InputError, match=f"{name}: not a readable {fmt}"):
        ingest_file(zip_with(tmp_path / name, entries))


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
        ("en.p2", "head", ["Tributaries"]),
        ("en.p3", "p", ["Main river."]),
        ("en.p4", "p", ["Cell one."]),
        ("en.p5", "p", ["Cell two."]),
    ]


def test_a_readme_in_the_seeds_folder_is_not_a_document(tmp_path: Path) -> None:
    from aligner.build import find_sources

    (tmp_path / "README.md").write_text("# About these seeds\n", encoding="utf-8")
    make_docx(tmp_path / "rivers.en.docx")
    assert list(find_sources(tmp_path)) == ["rivers"]


def test_epub_reads_chapters_in_spine_order_without_the_navigation(tmp_path: Path) -> None:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("rivers-1")
    book.set_title("Rivers of Europe")
    book.set_language("en")
    book.add_author("A. Writer")
    chapters = []
    for name, body in (("b.xhtml", "<h1>The Rhine</h1><p>The Rhine is long. It flows north.</p>"),
                       ("a.xhtml", "<h1>The Danube</h1><p>The Danube flows east.</p><ul><li>Vienna.</li></ul>"),
                       ("c.xhtml", "<p>The Elbe flows to Hamburg.</p>")):
        chapter = epub.EpubHtml(title=f"The {name[0]} chapter", file_name=name, lang="en")
        chapter.content = f"<html><body>{body}</body></html>"
        book.add_item(chapter)
        chapters.append(chapter)
    book.toc = tuple(chapters)
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *chapters]
    epub.write_epub(str(tmp_path / "rivers.en.epub"), book)
    assert texts(tmp_path / "rivers.en.epub") == [
        ("en.head", "head", ["Rivers of Europe"]),
        ("en.p1", "head", ["The Rhine"]),
        ("en.p2", "p", ["The Rhine is long.", "It flows north."]),
        ("en.p3", "head", ["The Danube"]),
        ("en.p4", "p", ["The Danube flows east."]),
        ("en.p5", "p", ["Vienna."]),
        ("en.p6", "head", ["The c chapter"]),  # no heading in the chapter: its title in the table of contents
        ("en.p7", "p", ["The Elbe flows to Hamburg."]),
    ]
    assert ingest_file(tmp_path / "rivers.en.epub").meta.author == "A. Writer"


def test_epub_reads_text_straight_inside_divs_and_line_breaks_as_spaces(tmp_path: Path) -> None:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("div-1")
    book.set_title("Divs")
    book.set_language("en")
    chapter = epub.EpubHtml(title="Start", file_name="a.xhtml", lang="en")
    chapter.content = (
        "<html><body><h1>Start</h1><div>This text lives in a div. It has two sentences.</div>"
        "<p>First line<br/>second line.</p><section>Loose words <em>here</em>.<p>A paragraph.</p>Tail text.</section>"
        "<!-- a comment --><div>Plain text after.</div></body></html>"
    )
    book.add_item(chapter)
    book.toc = (chapter,)
    book.add_item(epub.EpubNcx())
    book.spine = [chapter]
    epub.write_epub(str(tmp_path / "divs.en.epub"), book)
    assert [sentences for _, _, sentences in texts(tmp_path / "divs.en.epub")][1:] == [
        ["Start"], ["This text lives in a div.", "It has two sentences."], ["First line second line."],
        ["Loose words here."], ["A paragraph."], ["Tail text."], ["Plain text after."],
    ]


def test_odt_keeps_headings_lists_tables_and_puts_footnotes_after_their_paragraph(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, Note, NoteBody, NoteCitation, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Rivers of Europe"))
    para = P(text="The Rhine is long.")
    note = Note(noteclass="footnote", id="ftn1")
    note.addElement(NoteCitation(text="1"))
    note_body = NoteBody()
    note_body.addElement(P(text="Source: an atlas."))
    note.addElement(note_body)
    para.addElement(note)
    para.addText(" It flows north.")
    document.text.addElement(para)
    items = List()
    item = ListItem()
    item.addElement(P(text="Main river."))
    items.addElement(item)
    document.text.addElement(items)
    table = Table(name="t")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    row = TableRow()
    for words in ("Left cell.", "Right cell."):
        cell = TableCell()
        cell.addElement(P(text=words))
        row.addElement(cell)
    table.addElement(row)
    document.text.addElement(table)
    document.save(str(tmp_path / "rivers.en.odt"))
    assert texts(tmp_path / "rivers.en.odt") == [
        ("en.head", "head", ["Rivers of Europe"]),
        ("en.p1", "p", ["The Rhine is long.", "It flows north."]),
        ("en.p2", "note", ["Source: an atlas."]),
        ("en.p3", "p", ["Main river."]),
        ("en.p4", "p", ["Left cell."]),
        ("en.p5", "p", ["Right cell."]),
    ]


def test_rtf_paragraphs_and_its_code_page(tmp_path: Path) -> None:
    (tmp_path / "r.zh-Hans.rtf").write_bytes(
        b"{\\rtf1\\ansi\\ansicpg936{\\fonttbl\\f0 SimSun;}\\f0 \\'d6\\'d0\\'ce\\'c4\\'a1\\'a3\\par "
        b"\\u38271?\\u27743?\\u24456?\\u38271?\\u12290?\\par}"
    )
    assert texts(tmp_path / "r.zh-Hans.rtf") == [("zh-Hans.p1", "p", ["中文。"]), ("zh-Hans.p2", "p", ["长江很长。"])]


def make_pdf(path: Path, pages: list[list[str]], encrypt: str | None = None) -> Path:
    """A PDF drawn with reportlab: a running header and a page number on every page; '# ' lines are headings."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    width, height = A4
    for number, lines in enumerate(pages, 1):
        pdf.setFont("Helvetica", 9)
        pdf.drawString(72, height - 40, "Journal of Rivers, vol. 3")
        y = height - 120
        for line in lines:
            heading = line.startswith("# ")  # drawn larger, as a heading
            pdf.setFont("Helvetica-Bold" if heading else "Helvetica", 16 if heading else 11)
            if line:
                pdf.drawString(72, y, line.removeprefix("# "))
            y -= 28 if heading or not line else 14
        pdf.setFont("Helvetica", 9)
        pdf.drawString(width / 2, 30, str(number))
        pdf.showPage()
    pdf.save()
    return path


def test_pdf_headings_and_paragraphs_without_running_headers_page_numbers_or_line_end_hyphens(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "rivers.en.pdf", [
        ["# Rivers of Europe", "The Rhine is a long river. It flows from the Alps to the", "North Sea through many inter-", "national shipping routes that"],
        ["cross it. Boats carry coal.", "", "Dams hold water."],
        ["# The Danube", "The Danube flows east."],
    ])
    assert texts(path) == [
        ("en.head", "head", ["Rivers of Europe"]),
        ("en.p1", "p", ["The Rhine is a long river.", "It flows from the Alps to the North Sea through many international shipping routes that cross it.", "Boats carry coal."]),
        ("en.p2", "p", ["Dams hold water."]),
        ("en.p3", "head", ["The Danube"]),
        ("en.p4", "p", ["The Danube flows east."]),
    ]


def test_pdf_with_no_text_layer_is_an_error(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(tmp_path / "scan.en.pdf"))
    pdf.rect(50, 50, 400, 600, fill=1)  # a page that is only a picture
    pdf.showPage()
    pdf.save()
    with pytest.raises(InputError, match=r"scan.en.pdf: no text layer \(a scanned image\?\); run OCR first"):
        ingest_file(tmp_path / "scan.en.pdf")


def test_encrypted_pdf_is_an_error(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "locked.en.pdf", [["Secret text."]], encrypt="open-sesame")
    with pytest.raises(InputError, match=r"locked.en.pdf: not a readable PDF \(encrypted with a password\)"):
        ingest_file(path)


def test_sections_and_notes_survive_tei_and_are_valid_tei_all(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from aligner.corpus.tei import document_to_tei, tei_to_document

    doc = ingest_file(make_docx(tmp_path / "rivers.en.docx"))
    data = document_to_tei(doc)
    assert b'<note xml:id="en.p2" type="footnote">' in data
    assert b'<div type="section">\n          <head xml:id="en.p3">' in data
    assert tei_to_document(data, doc.doc_id, "x") == doc
    tei_all = ROOT / "tests" / "data" / "tei" / "tei_all.rng"
    if shutil.which("jing") and tei_all.exists():
        (tmp_path / "en.xml").write_bytes(data)
        result = subprocess.run(["jing", str(tei_all), str(tmp_path / "en.xml")], capture_output=True, text=True, timeout=300)
        assert result.stdout == ""


def test_seed_article_built_from_docx_has_the_links_of_the_text_build(tmp_path: Path) -> None:
    import shutil

    from aligner.build import build
    from aligner.corpus.store import load

    for name, english in (("txt", f"{DOC}.txt"), ("docx", None)):
        seeds = tmp_path / name / "seeds"
        shutil.copytree(ROOT / "seeds", seeds)
        if english is None:
            (seeds / f"{DOC}.txt").unlink()
            shutil.copy(ROOT / "tests" / "data" / "docx" / f"{DOC}.en.docx", seeds)
        build(seeds, tmp_path / name / "corpora")
    from_text, from_docx = (load(tmp_path / n / "corpora", DOC) for n in ("txt", "docx"))
    assert from_docx.versions["en"].paragraphs == from_text.versions["en"].paragraphs
    assert from_docx.alignments == from_text.alignments


def test_an_epub_whose_table_of_contents_is_one_entry_reads(tmp_path: Path) -> None:
    from ebooklib import epub

    from aligner.ingest.epub import _toc_titles

    assert _toc_titles(epub.Link("a.xhtml", "Start", "a")) == {"a.xhtml": "Start"}
    assert _toc_titles([epub.Link("a.xhtml#x", "Start", "a"), (epub.Section("Part"), [epub.Link("b.xhtml", "Two", "b")])]) == {
        "a.xhtml": "Start", "b.xhtml": "Two",
    }


def test_a_chinese_pdf_paragraph_cut_by_a_page_break_is_joined(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # built into reportlab: no font file
    pdf = canvas.Canvas(str(tmp_path / "talks.zh-Hans.pdf"), pagesize=A4)
    for lines in (["第一段的第一句。谈判各方都表示关切，"], ["而且谈判也多次中断。", "", "第二段。"]):
        pdf.setFont("STSong-Light", 11)
        for k, line in enumerate(lines):
            if line:
                pdf.drawString(72, A4[1] - 120 - 20 * k, line)
        pdf.showPage()
    pdf.save()
    assert [sentences for _, _, sentences in texts(tmp_path / "talks.zh-Hans.pdf")] == [
        ["第一段的第一句。", "谈判各方都表示关切，而且谈判也多次中断。"], ["第二段。"],
    ]


def test_markdown_front_matter_is_metadata_and_a_wrapped_chinese_line_has_no_space(tmp_path: Path) -> None:
    path = tmp_path / "report.zh-Hans.md"
    path.write_text('---\ntitle: "年度报告"\nauthor: 张三\n---\n\n公司在2023年实现了\n强劲增长。\n\n第二段。\n', encoding="utf-8")
    doc = ingest_file(path)
    assert (doc.meta.title, doc.meta.author) == ("年度报告", "张三")
    assert [[s.text for s in p.sentences] for p in doc.paragraphs] == [["年度报告"], ["公司在2023年实现了强劲增长。"], ["第二段。"]]


def test_odt_leaves_out_deleted_text_and_indexes_reads_frames_apart_and_the_author(tmp_path: Path) -> None:
    from odf import dc
    from odf.draw import Frame, TextBox
    from odf.namespaces import TEXTNS
    from odf.opendocument import OpenDocumentText
    from odf.text import ChangedRegion, Deletion, H, IndexBody, P, TableOfContent, TrackedChanges

    document = OpenDocumentText()
    document.meta.addElement(dc.Creator(text="Ann Writer"))
    changes = TrackedChanges()
    region = ChangedRegion(check_grammar=False)  # odfpy cannot take its required text:id as an argument
    region.setAttrNS(TEXTNS, "id", "ct1")
    deletion = Deletion()
    deletion.addElement(P(text="This deleted sentence must not appear."))
    region.addElement(deletion)
    changes.addElement(region)
    document.text.addElement(changes)
    toc = TableOfContent(name="toc")
    toc_body = IndexBody()
    toc_body.addElement(P(text="Introduction 1"))
    toc.addElement(toc_body)
    document.text.addElement(toc)
    document.text.addElement(H(outlinelevel=1, text="Introduction"))
    anchor = P(text="Anchor paragraph.")
    frame = Frame(anchortype="paragraph", width="5cm", height="2cm")
    box = TextBox()
    box.addElement(P(text="Text in a frame."))
    frame.addElement(box)
    anchor.addElement(frame)
    document.text.addElement(anchor)
    document.save(str(tmp_path / "intro.en.odt"))
    assert [sentences for _, _, sentences in texts(tmp_path / "intro.en.odt")] == [["Introduction"], ["Anchor paragraph."], ["Text in a frame."]]
    assert ingest_file(tmp_path / "intro.en.odt").meta.author == "Ann Writer"


def test_docx_reads_content_controls_fields_merged_rows_once_and_localised_headings(tmp_path: Path) -> None:
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import nsdecls, qn

    document = docx.Document()
    document.styles["Heading 1"].style_id = "berschrift1"  # as a German Word names it
    document.add_heading("Markets", 1)
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).merge(table.cell(2, 0)).text = "Europe is our largest market."
    for row, words in enumerate(("Sales rose.", "Costs fell.", "Profit held.")):
        table.cell(row, 1).text = words
    field = document.add_paragraph("See page ")
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), "PAGEREF intro")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "7"
    run.append(text)
    simple.append(run)
    field._p.append(simple)
    field.add_run(" for details.")
    control = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtContent><w:p><w:r><w:t>Inside a content control.</w:t></w:r></w:p></w:sdtContent></w:sdt>')
    document.element.body.insert(len(document.element.body) - 1, control)  # before the section properties
    document.save(str(tmp_path / "markets.en.docx"))
    assert texts(tmp_path / "markets.en.docx") == [
        ("en.head", "head", ["Markets"]),
        ("en.p1", "p", ["Europe is our largest market."]),
        ("en.p2", "p", ["Sales rose."]),
        ("en.p3", "p", ["Costs fell."]),
        ("en.p4", "p", ["Profit held."]),
        ("en.p5", "p", ["See page 7 for details."]),
        ("en.p6", "p", ["Inside a content control."]),
    ]


def test_rtf_line_breaks_stay_in_their_paragraph_and_table_cells_are_blocks(tmp_path: Path) -> None:
    path = tmp_path / "t.en.rtf"
    path.write_bytes(b"{\\rtf1\\ansi\\ansicpg1252 {\\fonttbl{\\f0 Arial;}}\\f0 First line\\line second line.\\par\n"
                     b"\\trowd\\cellx1000\\cellx2000 Region\\cell Sales\\cell\\row\nEnd.\\par}")
    assert [sentences for _, _, sentences in texts(path)] == [["First line second line."], ["Region"], ["Sales"], ["End."]]


def damage(path: Path, member: str) -> Path:
    """Flip a byte in the middle of a member's packed data, as a bad download or disk would."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    data = bytearray(path.read_bytes())
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    data[info.header_offset + 30 + name_length + extra_length + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def make_odt(path: Path, *paragraphs: Any) -> Path:
    """An ODT of the given odfpy paragraphs (a string is a plain paragraph)."""
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for para in paragraphs:
        document.text.addElement(P(text=para) if isinstance(para, str) else para)
    document.save(str(path))
    return path


def make_epub(path: Path) -> Path:
    """An EPUB of one chapter."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("one")
    book.set_title("One")
    chapter = epub.EpubHtml(title="Start", file_name="a.xhtml", lang="en")
    chapter.content = "<html><body><p>The only chapter of this book.</p></body></html>"
    book.add_item(chapter)
    book.spine = [chapter]
    epub.write_epub(str(path), book)
    return path


DAMAGED = [("r.en.docx", make_docx, "word/document.xml", "DOCX"), ("r.en.odt", lambda p: make_odt(p, "A sentence."), "content.xml", "ODT"),
           ("r.en.epub", make_epub, "EPUB/a.xhtml", "EPUB")]


@pytest.mark.parametrize(("name", "make", "member", "fmt"), DAMAGED, ids=[d[3] for d in DAMAGED])
def test_a_damaged_part_of_a_zip_container_is_a_one_line_error(tmp_path: Path, name: str, make: Any, member: str, fmt: str) -> None:
    path = damage(make(tmp_path / name), member)
    with pytest.raises(InputError, match=re.escape(f"{name}: not a readable {fmt} (its part {member} is damaged); get a fresh copy")):
        ingest_file(path)


def docx_with(path: Path, body: str) -> Path:
    """A Word file whose body is `body` (WordprocessingML with the w, mc, m and v prefixes) before the section properties."""
    from docx.oxml import parse_xml

    document = docx.Document()
    namespaces = (f'xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
                  'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" xmlns:v="urn:schemas-microsoft-com:vml" '
                  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
    for element in parse_xml(f"<w:body {namespaces}>{body}</w:body>"):
        document.element.body.insert(len(document.element.body) - 1, element)
    document.save(str(path))
    return path


def para(xml: str) -> str:
    """A w:p of runs (`xml` holds the run content: <w:t>…</w:t> and the like)."""
    return f"<w:p><w:r>{xml}</w:r></w:p>"


def cell(text: str, properties: str = "") -> str:
    """A table cell holding one paragraph."""
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{para(f'<w:t>{text}</w:t>')}</w:tc>"


def sdt(xml: str) -> str:
    """`xml` inside a content control."""
    return f"<w:sdt><w:sdtPr/><w:sdtContent>{xml}</w:sdtContent></w:sdt>"


WIDE = '<w:gridSpan w:val="5"/>'  # wider than the table's grid


def test_docx_reads_a_merge_without_a_start_and_rows_and_cells_in_content_controls(tmp_path: Path) -> None:
    path = docx_with(tmp_path / "t.en.docx", (
        "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
        f"<w:tr>{cell('Merged from nowhere.', '<w:vMerge/>')}{cell('Right one.')}</w:tr>"
        f"{sdt('<w:tr>' + cell('Row in a control.') + cell('Right two.') + '</w:tr>')}"
        f"<w:tr>{sdt(cell('Cell in a control.'))}{cell('Wide cell.', WIDE)}</w:tr></w:tbl>"
    ))
    assert [sentences for _, _, sentences in texts(path)] == [
        ["Merged from nowhere."], ["Right one."], ["Row in a control."], ["Right two."], ["Cell in a control."], ["Wide cell."],
    ]


def test_docx_that_python_docx_fails_on_while_walking_is_a_one_line_error(tmp_path: Path) -> None:
    path = docx_with(tmp_path / "s.en.docx", "<w:p><w:pPr><w:pStyle/></w:pPr><w:r><w:t>A style without a name.</w:t></w:r></w:p>")
    with pytest.raises(InputError, match=r"s.en.docx: not a readable DOCX \(a part is missing or broken\)"):
        ingest_file(path)


TEXT_BOX = (
    "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent>"  # the wps shape's wrappers left out
    "<w:p><w:r><w:t>Boxed text.</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Boxed text.</w:t></w:r></w:p>"
    "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>"
)


def test_docx_text_as_word_shows_it(tmp_path: Path) -> None:
    path = docx_with(tmp_path / "w.en.docx", "".join((
        para(f'<w:t xml:space="preserve">Before the box. </w:t>{TEXT_BOX}<w:t>After the box.</w:t>'),
        '<w:p><w:moveFrom w:id="1" w:author="A"><w:r><w:t>This moved sentence appears once.</w:t></w:r></w:moveFrom></w:p>',
        para("<w:t>Middle.</w:t>"),
        '<w:p><w:moveTo w:id="2" w:author="A"><w:r><w:t>This moved sentence appears once.</w:t></w:r></w:moveTo></w:p>',
        para('<w:t>An e</w:t><w:noBreakHyphen/><w:t xml:space="preserve">mail costs </w:t><w:sym w:font="Cambria Math" w:char="2265"/>'
             '<w:t xml:space="preserve"> 5 </w:t><w:sym w:font="Wingdings" w:char="F04A"/><w:t>cents.</w:t>'),
        '<w:customXml w:element="x"><w:p><w:r><w:t>In custom XML.</w:t></w:r></w:p></w:customXml>',
        '<w:p><w:r><w:t xml:space="preserve">The formula </w:t></w:r><m:oMath><m:r><m:t>E=mc2</m:t></m:r></m:oMath>'
        '<w:r><w:t xml:space="preserve"> is famous.</w:t></w:r></w:p>',
    )))
    assert [sentences for _, _, sentences in texts(path)] == [
        ["Before the box.", "After the box."], ["Boxed text."], ["Middle."], ["This moved sentence appears once."],
        ["An e-mail costs ≥ 5 cents."], ["In custom XML."], ["The formula E=mc2 is famous."],
    ]


def test_docx_says_an_embedded_document_is_left_out(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = docx_with(tmp_path / "c.en.docx", para("<w:t>Kept.</w:t>") + '<w:altChunk r:id="rId99"/>')
    assert [sentences for _, _, sentences in texts(path)] == [["Kept."]]
    assert caplog.messages == [f"{path}: 1 embedded document(s) (w:altChunk) left out; to read them, open the file in Word and save it again"]


def test_odt_leaves_out_comments_and_ruby_readings_and_reads_shapes_apart(tmp_path: Path) -> None:
    from odf.dc import Creator, Date
    from odf.draw import CustomShape
    from odf.office import Annotation
    from odf.text import P, Ruby, RubyBase, RubyText

    commented = P(text="A sentence with a comment.")
    comment = Annotation()
    for part in (Creator(text="Jane Reviewer"), Date(text="2024-01-02T10:00:00"), P(text="Check this wording.")):
        comment.addElement(part)
    commented.addElement(comment)
    commented.addText(" And the rest.")
    ruby = Ruby()
    ruby.addElement(RubyBase(text="漢字"))
    ruby.addElement(RubyText(text="かんじ"))
    reading = P()
    reading.addElement(ruby)
    reading.addText("を勉強します。")
    shape = CustomShape()
    shape.addElement(P(text="Shape text."))
    anchor = P(text="Shape follows:")
    anchor.addElement(shape)
    anchor.addText(" end.")
    path = make_odt(tmp_path / "c.en.odt", commented, reading, anchor)
    assert texts(path) == [
        ("en.p1", "p", ["A sentence with a comment.", "And the rest."]),
        ("en.p2", "p", ["漢字を勉強します。"]),
        ("en.p3", "p", ["Shape follows: end."]),
        ("en.p4", "p", ["Shape text."]),
    ]
