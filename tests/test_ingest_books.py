"""EPUB, RTF and Markdown as books and documents come: encrypted (DRM) or font-obfuscated EPUBs,
chapters in other encodings, footnote reference marks, broken spines; RTF footnotes, font
charsets and Unicode groups; Markdown's raw HTML and '---' lines that are no front matter."""

from __future__ import annotations

import logging
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_ingest_formats import texts

from aligner.cli import main
from aligner.errors import InputError
from aligner.ingest.text import ingest_file

ENCRYPTION = (
    '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">'
    '<enc:EncryptedData><enc:EncryptionMethod Algorithm="{algorithm}"/>'
    '<enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData></enc:EncryptedData></encryption>'
)


def chapter(body: str, encoding: str = "utf-8", bom: bool = False) -> bytes:
    """An XHTML chapter whose XML declaration names `encoding` (none with a byte order mark), in that encoding."""
    declaration = "" if bom else f'<?xml version="1.0" encoding="{encoding}"?>\n'
    page = (f'{declaration}<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
            f"<head><title>Site name</title></head><body>{body}</body></html>")
    return page.encode(encoding)


def make_epub(path: Path, chapters: list[bytes], spine: list[str] | None = None, extra: dict[str, bytes] | None = None,
              listed: dict[str, str] | None = None) -> Path:
    """An EPUB 3 zipped by hand (chapters OEBPS/chN.xhtml, manifest ids cN), so any bytes can be a chapter; `listed`
    puts other files in the manifest (href in OEBPS: media type) but not in the spine."""
    items = "".join(f'<item id="c{i}" href="ch{i}.xhtml" media-type="application/xhtml+xml"/>' for i in range(len(chapters)))
    items += "".join(f'<item id="r{i}" href="{href}" media-type="{kind}"/>' for i, (href, kind) in enumerate((listed or {}).items()))
    refs = "".join(f'<itemref idref="{idref}"/>' for idref in spine or [f"c{i}" for i in range(len(chapters))])
    opf = ('<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">'
           '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">b1</dc:identifier><dc:title>A Book</dc:title>'
           f"<dc:language>en</dc:language></metadata><manifest>{items}</manifest><spine>{refs}</spine></package>")
    container = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
                 '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("META-INF/container.xml", container)
        archive.writestr("OEBPS/content.opf", opf)
        for i, data in enumerate(chapters):
            archive.writestr(f"OEBPS/ch{i}.xhtml", data)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def sentences(path: Path) -> list[list[str]]:
    """The sentences of an ingested file, paragraph by paragraph."""
    return [found for _, _, found in texts(path)]


GOOD = [chapter("<h1>One</h1><p>First chapter text.</p>"), chapter("<h1>Two</h1><p>Second chapter text.</p>")]
NOISE = bytes((i * 151 + 7) % 256 for i in range(3000))  # what an encrypted chapter's bytes look like


def test_an_epub_whose_chapters_are_encrypted_is_refused_in_one_line(tmp_path: Path) -> None:
    drm = ENCRYPTION.format(algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc", uri="OEBPS/ch1.xhtml").encode()
    book = make_epub(tmp_path / "drm.en.epub", [GOOD[0], NOISE], extra={"META-INF/encryption.xml": drm})
    with pytest.raises(InputError, match=re.escape(f"{book}: its chapters are encrypted (DRM; META-INF/encryption.xml lists OEBPS/ch1.xhtml)")):
        ingest_file(book)
    (tmp_path / "plain.zh-Hans.txt").write_text("第一章。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["align", str(book), str(tmp_path / "plain.zh-Hans.txt"), "--src-lang", "en", "--tgt-lang", "zh-Hans"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # no traceback
    assert result.output.strip().endswith("; give a DRM-free copy") and len(result.output.strip().splitlines()) == 1


def test_an_epub_whose_fonts_alone_are_obfuscated_reads_as_usual(tmp_path: Path) -> None:
    """The font is in the manifest, as in a real book: only encrypted spine documents refuse it."""
    fonts = ENCRYPTION.format(algorithm="http://www.idpf.org/2008/embedding", uri="OEBPS/fonts/serif.otf").encode()
    book = make_epub(tmp_path / "fonts.en.epub", GOOD, extra={"META-INF/encryption.xml": fonts, "OEBPS/fonts/serif.otf": NOISE},
                     listed={"fonts/serif.otf": "font/otf"})
    assert sentences(book) == [["A Book"], ["One"], ["First chapter text."], ["Two"], ["Second chapter text."]]


def test_a_malformed_encryption_xml_is_one_line_naming_the_book_and_its_line(tmp_path: Path) -> None:
    book = make_epub(tmp_path / "broken.en.epub", GOOD, extra={"META-INF/encryption.xml": b"<encryption>\n<EncryptedData></encryption>"})
    with pytest.raises(InputError, match=re.escape(f"{book}: META-INF/encryption.xml:2: malformed XML: ") + r"[^\n]*; fix the file$"):
        ingest_file(book)


def test_epub_chapters_are_decoded_by_their_xml_declaration_or_byte_order_mark(tmp_path: Path) -> None:
    book = make_epub(tmp_path / "zh.zh-Hans.epub", [
        chapter("<h1>第一章</h1><p>这是第一章的内容。</p>", encoding="gb18030"),
        chapter("<p>我们学习中文。</p>", encoding="utf-16", bom=True),  # the spec allows UTF-16
        chapter("<p>臺灣的山很高。</p>", encoding="big5"),
        chapter("<p>朱镕基说。</p>", encoding="gbk").replace(b'"gbk"', b'"gb2312"'),  # GBK labelled GB2312 reads as browsers read it
        b"<!-- nothing but a comment -->",
    ])
    assert sentences(book) == [["A Book"], ["第一章"], ["这是第一章的内容。"], ["我们学习中文。"], ["臺灣的山很高。"], ["朱镕基说。"]]


def test_an_epub_chapter_that_does_not_decode_is_an_error_naming_it(tmp_path: Path) -> None:
    bad = chapter("<p>Caf\u00e9 au lait.</p>", encoding="latin-1").replace(b'encoding="latin-1"', b'encoding="utf-8"')
    book = make_epub(tmp_path / "bad.fr.epub", [GOOD[0], bad])
    with pytest.raises(InputError, match=re.escape(f"{book}: OEBPS/ch1.xhtml: byte ") + r"\d+: not utf-8, the encoding its XML declaration names"):
        ingest_file(book)


def test_epub_footnote_reference_marks_are_dropped_and_the_notes_kept(tmp_path: Path) -> None:
    book = make_epub(tmp_path / "notes.en.epub", [chapter(
        '<p>The war ended in 1945.<sup><a href="#n1" epub:type="noteref">12</a></sup> Peace followed soon.</p>'
        '<p>Trade grew<a href="#n2" role="doc-noteref">13</a> at once.</p>'
        '<aside epub:type="footnote" id="n1"><p>12. See the archive.</p></aside>'
    )])
    assert sentences(book)[1:] == [["The war ended in 1945.", "Peace followed soon."], ["Trade grew at once."], ["12. See the archive."]]


def test_a_spine_entry_missing_from_the_manifest_is_left_out_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    book = make_epub(tmp_path / "gap.en.epub", GOOD, spine=["c0", "lost-chapter", "c1"])
    with caplog.at_level(logging.WARNING, logger="aligner.ingest.epub"):
        assert sentences(book) == [["A Book"], ["One"], ["First chapter text."], ["Two"], ["Second chapter text."]]
    assert caplog.messages == [f"{book}: the spine names 'lost-chapter', which the manifest does not hold; that part is left out"]


def test_rtf_footnotes_follow_their_paragraph_as_docx_notes_do(tmp_path: Path) -> None:
    path = tmp_path / "notes.en.rtf"
    path.write_bytes(rb"{\rtf1\ansi\ansicpg1252 The Rhine is long.{\super\chftn}{\footnote\pard\plain{\super\chftn} Source: an atlas.}"
                     rb" It flows north.\par The Main joins it.\par}")
    assert texts(path) == [
        ("en.p1", "p", ["The Rhine is long.", "It flows north."]),
        ("en.p2", "note", ["Source: an atlas."]),
        ("en.p3", "p", ["The Main joins it."]),
    ]


def test_rtf_bytes_are_read_in_their_fonts_charset(tmp_path: Path) -> None:
    path = tmp_path / "fonts.rtf"
    path.write_bytes(rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times;}{\f1\fcharset134 SimSun;}{\f2\fcharset204 Arial;}"
                     rb"{\f3\fcharset136 MingLiU;}}\f0 Caf\'e9.\par{\f1 \'d6\'d0\'ce\'c4\'ce\'c4\'b1\'be\'a1\'a3}\par"
                     rb"{\f2 \'cf\'f0\'e8\'e2\'e5\'f2.}\par{\f3 \'a5\'78\'c6\'57\'a1\'43}\par"
                     rb"\uc2\u20013\'d6\'d0\u25991\'ce\'c4 end.\par}")  # a \u's fallback bytes are skipped
    assert sentences(path) == [["Café."], ["中文文本。"], ["Привет."], ["台灣。"], ["中文 end."]]


def test_rtf_keeps_the_unicode_version_of_a_upr_group(tmp_path: Path) -> None:
    path = tmp_path / "upr.rtf"
    path.write_bytes(rb"{\rtf1\ansi {\upr{\f0 Plain fallback.}{\*\ud{Unicode version \u20013?.}}}\par}")
    assert sentences(path) == [["Unicode version 中."]]


def test_rtf_bytes_that_are_not_text_in_their_charset_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.rtf"
    path.write_bytes(rb"{\rtf1\ansi{\fonttbl{\f1\fcharset134 SimSun;}}\f1 \'d6\'d0\'ce\par}")
    at = path.read_bytes().index(rb"\'ce")  # a lead byte with no second byte
    with pytest.raises(InputError, match=re.escape(f"{path}: byte {at}: \\'ce is not gbk text (its font's charset")):
        ingest_file(path)


def test_markdown_keeps_the_text_of_raw_html_blocks(tmp_path: Path) -> None:
    path = tmp_path / "html.en.md"
    path.write_text(
        '# Title\n\n<p align="center">Centered intro.</p>\n\n<details>\n<summary>Click to expand</summary>\n\n'
        "Hidden paragraph.\n\n</details>\n\n<div>\nRaw div text.\n</div>\n\n<script>var x = 1;</script>\n\n<!-- a comment -->\n",
        encoding="utf-8",
    )
    assert sentences(path) == [["Title"], ["Centered intro."], ["Click to expand"], ["Hidden paragraph."], ["Raw div text."]]


def test_markdown_dashes_around_prose_are_thematic_breaks_not_front_matter(tmp_path: Path) -> None:
    prose = tmp_path / "hr.en.md"
    prose.write_text("---\nThe opening paragraph: it is real text.\n---\n\nSecond paragraph.\n", encoding="utf-8")
    assert texts(prose) == [("en.p1", "p", ["The opening paragraph: it is real text."]), ("en.p2", "p", ["Second paragraph."])]
    yaml = tmp_path / "fm.en.md"
    yaml.write_text("---\ntitle: A Report\nauthor: Jo\ntags:\n  - x\n# a comment\n---\n\nBody text.\n", encoding="utf-8")
    doc = ingest_file(yaml)
    assert (doc.meta.title, doc.meta.author, [[s.text for s in p.sentences] for p in doc.paragraphs]) == ("A Report", "Jo", [["A Report"], ["Body text."]])
