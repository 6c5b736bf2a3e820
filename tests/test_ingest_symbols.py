"""Text in symbol fonts: Word's Insert › Symbol (w:sym), DOCX runs (whatever style or default gives
them the font), ODT spans and RTF text in the Symbol font read as the characters they show (its "a"
is α); glyph fonts (Wingdings…) left out with one warning a file."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from test_ingest_books import sentences
from test_ingest_formats import docx_with, para, zip_with

from aligner.ingest.docx import W
from aligner.ingest.symbol_font import _SYMBOL, symbol_char


def sym(font: str, code: str) -> str:
    """A w:sym: character `code` (hex) of `font`, as Word's Insert › Symbol writes it."""
    return f'<w:sym w:font="{font}" w:char="{code}"/>'


def text(words: str) -> str:
    """A w:t keeping its spaces."""
    return f'<w:t xml:space="preserve">{words}</w:t>'


def run(font: str, words: str) -> str:
    """A run of `words` in `font`."""
    return f'<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>{text(words)}</w:r>'


def test_docx_symbol_font_characters_are_read_and_glyph_fonts_left_out_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = docx_with(tmp_path / "s.en.docx", "".join((
        para(f"{text('The ')}{sym('Symbol', 'F061')}{text(' coefficient is ')}{sym('Symbol', 'F0A3')}{text(' 0.5 as x ')}"
             f"{sym('Symbol', 'F0AE')}{text(' 0.')}"),
        para(text("Signs: ") + "".join(sym("Symbol", code) for code in ("F022", "F0B1", "F0D6", "F0E5", "F0F2", "F041", "F057", "0044", "F0E6"))
             + text(".")),  # F0E6, a piece of a tall bracket, has no character
        f"<w:p><w:r>{text('Angle ')}</w:r>{run('Symbol', 'q')}<w:r>{text(' is small.')}</w:r></w:p>",
        para(f"{text('Done ')}{sym('Wingdings', 'F0FC')}{text(' here.')}"),
        f"<w:p><w:r>{text('Smile ')}</w:r>{run('Wingdings', 'J')}<w:r>{text('please.')}</w:r></w:p>",
    )))
    with caplog.at_level(logging.WARNING, logger="aligner.ingest.docx"):
        assert sentences(path) == [
            ["The α coefficient is ≤ 0.5 as x → 0."], ["Signs: ∀±√∑∫ΑΩΔ."], ["Angle θ is small."], ["Done here."], ["Smile please."],
        ]
    assert caplog.messages == [f"{path}: 3 symbol(s) with no Unicode character left out (1 in Symbol, 2 in Wingdings)"]


def test_the_symbol_table_has_a_character_or_none_for_each_code() -> None:
    """The table is written 16 codes a line from 0x20 to 0xFF: one missing or doubled would shift the codes after it."""
    assert len(_SYMBOL) == 0x100 - 0x20
    codes = (0x20, 0x40, 0x61, 0x7E, 0xA0, 0xBF, 0xC0, 0xE5, 0xF5, 0xFF)
    assert [symbol_char("Symbol", code) for code in codes] == [" ", "≅", "α", "∼", "€", "↵", "ℵ", "∑", "⌡", None]


def styled(style: str, words: str) -> str:
    """A run of `words` in the character style `style`."""
    return f'<w:r><w:rPr><w:rStyle w:val="{style}"/></w:rPr>{text(words)}</w:r>'


def styled_para(style: str, words: str) -> str:
    """A w:p in the paragraph style `style`: one run of `words`."""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r>{text(words)}</w:r></w:p>'


def style(kind: str, style_id: str, properties: str = "", based_on: str = "") -> str:
    """A w:style of `kind` (paragraph, character) giving runs `properties` (w:rPr's content), based on another if
    given; the paragraph style Normal is the default one."""
    default = ' w:default="1"' if style_id == "Normal" else ""
    parent = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (f'<w:style w:type="{kind}"{default} w:styleId="{style_id}"><w:name w:val="{style_id}"/>{parent}'
            f"<w:rPr>{properties}</w:rPr></w:style>")


def fonts(**names: str) -> str:
    """A w:rFonts naming fonts by attribute: ascii="Symbol", asciiTheme="minorHAnsi" (the theme's body font)."""
    return "<w:rFonts" + "".join(f' w:{slot}="{name}"' for slot, name in names.items()) + "/>"


def defaults(properties: str) -> str:
    """The w:docDefaults giving runs `properties` (w:rPr's content)."""
    return f"<w:docDefaults><w:rPrDefault><w:rPr>{properties}</w:rPr></w:rPrDefault></w:docDefaults>"


PACKAGE = "http://schemas.openxmlformats.org/package/2006"
RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {"/word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
         "/word/styles.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
         "/word/theme/theme1.xml": "application/vnd.openxmlformats-officedocument.theme+xml"}


def relationships(*targets: tuple[str, str]) -> bytes:
    """A relationships part: each (type, target)."""
    found = "".join(f'<Relationship Id="rId{i}" Type="{RELATIONSHIP}/{kind}" Target="{target}"/>'
                    for i, (kind, target) in enumerate(targets))
    return f'<Relationships xmlns="{PACKAGE}/relationships">{found}</Relationships>'.encode()


def word_file(path: Path, body: str, styles: str, minor_font: str = "Calibri") -> Path:
    """A Word file zipped by hand, its parts related as Word relates them: `body`'s paragraphs, `styles` (w:docDefaults
    and w:style elements) as its styles part, and a theme whose body (minor) font is `minor_font`, its headings' Cambria."""
    types = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in PARTS.items())
    faces = "".join(f'<a:{level}Font><a:latin typeface="{face}"/><a:ea typeface=""/><a:cs typeface=""/></a:{level}Font>'
                    for level, face in (("major", "Cambria"), ("minor", minor_font)))
    return zip_with(path, {
        "[Content_Types].xml": (f'<Types xmlns="{PACKAGE}/content-types"><Default Extension="rels" '
                                f'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>{types}</Types>').encode(),
        "_rels/.rels": relationships(("officeDocument", "word/document.xml")),
        "word/_rels/document.xml.rels": relationships(("styles", "styles.xml"), ("theme", "theme/theme1.xml")),
        "word/document.xml": f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'.encode(),
        "word/styles.xml": f'<w:styles xmlns:w="{W}">{styles}</w:styles>'.encode(),
        "word/theme/theme1.xml": ('<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office">'
                                  f'<a:themeElements><a:fontScheme name="Office">{faces}</a:fontScheme></a:themeElements></a:theme>').encode(),
    })


def test_docx_symbol_font_of_a_character_or_paragraph_style_is_read_as_a_run_s_own(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A run's font is its own properties', else its character style's, else its paragraph style's, each style's
    through the styles it is based on."""
    styles = "".join((
        defaults(fonts(ascii="Times New Roman")), style("paragraph", "Normal"),
        style("character", "Sym", fonts(ascii="Symbol")), style("character", "Greek", "<w:i/>", based_on="Sym"),
        style("character", "Plain", fonts(ascii="Arial")), style("character", "Dings", fonts(ascii="Wingdings")),
        style("paragraph", "Maths", fonts(ascii="Symbol"), based_on="Normal"), style("paragraph", "Formula", "<w:b/>", based_on="Maths"),
    ))
    path = word_file(tmp_path / "s.en.docx", "".join((
        f"<w:p><w:r>{text('Angle ')}</w:r>{styled('Sym', 'q')}<w:r>{text(' is small.')}</w:r></w:p>",
        f"<w:p><w:r>{text('Sum ')}</w:r>{styled('Greek', 'S')}<w:r>{text(' of all.')}</w:r></w:p>",
        f'<w:p><w:pPr><w:pStyle w:val="Formula"/></w:pPr>{styled("Plain", "Ratio ")}<w:r>{text("p £ 4")}</w:r>{run("Arial", " holds.")}</w:p>',
        f'<w:p><w:r>{text("Own ")}</w:r><w:r><w:rPr><w:rStyle w:val="Plain"/>{fonts(ascii="Symbol")}</w:rPr>{text("b")}</w:r>'
        f"<w:r>{text(' here.')}</w:r></w:p>",
        f"<w:p><w:r>{text('Smile ')}</w:r>{styled('Dings', 'J')}<w:r>{text('please.')}</w:r></w:p>",
        para(text("Plain a stays.")),
    )), styles)
    with caplog.at_level(logging.WARNING, logger="aligner.ingest.docx"):
        assert sentences(path) == [
            ["Angle θ is small."], ["Sum Σ of all."], ["Ratio π ≤ 4 holds."], ["Own β here."], ["Smile please."], ["Plain a stays."],
        ]
    assert caplog.messages == [f"{path}: 1 symbol(s) with no Unicode character left out (1 in Wingdings)"]


def test_docx_symbol_font_of_the_document_defaults_is_read_where_no_style_names_a_font(tmp_path: Path) -> None:
    """A paragraph with no style (or one the file lacks) is in the default paragraph style, Normal here; one whose
    style names no font is in the document's default font (w:docDefaults)."""
    styles = defaults(fonts(ascii="Symbol")) + style("paragraph", "Normal", fonts(ascii="Times New Roman")) + style("paragraph", "Bare")
    path = word_file(tmp_path / "d.en.docx", para(text("Plain a stays.")) + styled_para("Bare", "a £ b")
                     + styled_para("Missing", "Missing b stays."), styles)
    assert sentences(path) == [["Plain a stays."], ["α ≤ β"], ["Missing b stays."]]


def test_docx_symbol_font_of_the_theme_is_read_where_a_theme_font_is_named(tmp_path: Path) -> None:
    """w:asciiTheme="minorHAnsi" is the theme's body (minor) Latin font, whatever w:ascii names beside it;
    majorHAnsi is its headings' font."""
    styles = (defaults(fonts(ascii="Times New Roman", asciiTheme="minorHAnsi")) + style("paragraph", "Normal")
              + style("paragraph", "Quote", fonts(asciiTheme="majorHAnsi"), based_on="Normal"))
    path = word_file(tmp_path / "t.en.docx", para(text("a £ b")) + styled_para("Quote", "Quoted a stays."), styles, minor_font="Symbol")
    assert sentences(path) == [["α ≤ β"], ["Quoted a stays."]]


FONTS = (rb"{\fonttbl{\f0\froman\fcharset0 Times New Roman;}{\f3\froman\fcharset2{\*\panose 05050102010706020507}Symbol;}"
         rb"{\f4\fnil\fcharset2 Wingdings;}{\f5\fnil\fcharset2 Fancy Dings;}}")


def test_rtf_text_in_the_symbol_font_is_read_as_its_characters(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "s.en.rtf"
    path.write_bytes(rb"{\rtf1\ansi\ansicpg1252\deff0" + FONTS + rb"\f0 The {\f3 a} coefficient is {\f3 \'b3} 0.5.\par "
                     rb"Sum {\f3 \'e5 S} and {\f3\uc1\u-3999\'61} once.\par}")  # \u-3999 is U+F061, as Word writes a symbol
    with caplog.at_level(logging.WARNING, logger="aligner.ingest.rtf"):
        assert sentences(path) == [["The α coefficient is ≥ 0.5."], ["Sum ∑ Σ and α once."]]
    assert caplog.messages == []


def test_rtf_glyph_fonts_are_left_out_with_one_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "g.en.rtf"
    path.write_bytes(rb"{\rtf1\ansi\deff0" + FONTS + rb"\f0 Done {\f4 \'fc}here.\par Smile {\f4 J}please {\f5 x}now.\par}")
    with caplog.at_level(logging.WARNING, logger="aligner.ingest.rtf"):
        assert sentences(path) == [["Done here."], ["Smile please now."]]
    assert caplog.messages == [f"{path}: 3 symbol(s) with no Unicode character left out (1 in Fancy Dings, 2 in Wingdings)"]


def test_rtf_symbol_fields_give_their_character_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "f.en.rtf"
    path.write_bytes(rb"{\rtf1\ansi\deff0" + FONTS + rb"\f0 "
                     rb'Empty {\field{\*\fldinst SYMBOL 97 \\f "Symbol" \\s 12}{\fldrslt\f3\fs24}} result.\par '  # as Word writes it
                     rb'Full {\field{\*\fldinst {\f3 SYMBOL 0xB3 \\f "Symbol" \\s 12}}{\fldrslt {\f3\fs24 \'b3}}} result.\par '
                     rb'Tick {\field{\*\fldinst SYMBOL 252 \\f "Wingdings" \\s 12}{\fldrslt\f4\fs24 \'fc}} gone.\par}')
    with caplog.at_level(logging.WARNING, logger="aligner.ingest.rtf"):
        assert sentences(path) == [["Empty α result."], ["Full ≥ result."], ["Tick gone."]]
    assert caplog.messages == [f"{path}: 1 symbol(s) with no Unicode character left out (1 in Wingdings)"]


def test_rtf_list_bullets_in_glyph_fonts_are_not_worth_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Word writes each list item's bullet as {\\listtext …} in Wingdings or Symbol: decoration, dropped without a warning."""
    path = tmp_path / "l.en.rtf"
    path.write_bytes(rb"{\rtf1\ansi\deff0" + FONTS + rb"\f0 "
                     rb"{\listtext\pard\plain\f4\fs20 \'a7\tab}First item here.\par "
                     rb"{\listtext\pard\plain\f3\fs20 \'b7\tab}Second item here.\par}")
    with caplog.at_level(logging.WARNING, logger="aligner.ingest.rtf"):
        found = sentences(path)
    assert [" ".join(s).strip(" •\t") for s in found] == ["First item here.", "Second item here."]
    assert caplog.messages == []


def odt_style(family: str, name: str, parent: str = "", **properties: str) -> Any:
    """An ODF style of `family` (paragraph, text) with text `properties` (odfpy's names: fontname, fontfamily…)."""
    from odf.style import Style, TextProperties

    found = Style(name=name, family=family, **({"parentstylename": parent} if parent else {}))
    found.addElement(TextProperties(**properties))
    return found


def odt_para(*parts: str | tuple[str, str], style: str = "") -> Any:
    """A text:p in the paragraph style `style`, of plain text and (text style, text) spans."""
    from odf.text import P, Span

    found = P(stylename=style) if style else P()
    for part in parts:
        if isinstance(part, tuple):
            found.addElement(Span(stylename=part[0], text=part[1]))
        else:
            found.addText(part)
    return found


def test_odt_symbol_font_text_is_read_and_glyph_fonts_left_out_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Styles as LibreOffice writes them: a span's font is its text style's (through style:parent-style-name), else its
    paragraph style's, else the default paragraph style's; style:font-name names a font face, whose family counts."""
    from odf.opendocument import OpenDocumentText
    from odf.style import DefaultStyle, FontFace, TextProperties

    document = OpenDocumentText()
    for name, family in (("Liberation Serif", "'Liberation Serif'"), ("Greek face", "Symbol"), ("Wingdings 2", "'Wingdings 2'")):
        document.fontfacedecls.addElement(FontFace(name=name, fontfamily=family))
    default = DefaultStyle(family="paragraph")
    default.addElement(TextProperties(fontname="Liberation Serif"))
    document.styles.addElement(default)
    for named in (odt_style("paragraph", "Maths", fontname="Greek face"), odt_style("paragraph", "Formula", "Maths"),
                  odt_style("text", "Greek", fontname="Greek face"), odt_style("text", "Slanted", "Greek", fontstyle="italic"),
                  odt_style("text", "Plain", fontname="Liberation Serif")):
        document.styles.addElement(named)
    for automatic in (odt_style("paragraph", "P1", "Formula", fontsize="14pt"), odt_style("text", "T1", fontname="Wingdings 2"),
                      odt_style("text", "T2", fontfamily="Symbol")):
        document.automaticstyles.addElement(automatic)
    for paragraph in (odt_para("Angle ", ("Slanted", "q"), " is small."), odt_para("Sum ", ("T2", "S"), " of all."),
                      odt_para(("Plain", "Ratio "), "p £ 4", ("Plain", " holds."), style="P1"),
                      odt_para("So x ", ("Greek", "\uf0b3"), " 0."), odt_para("Smile ", ("T1", "J"), "please.")):
        document.text.addElement(paragraph)
    path = tmp_path / "s.en.odt"
    document.save(str(path))
    with caplog.at_level(logging.WARNING, logger="aligner.ingest.odt"):
        assert sentences(path) == [["Angle θ is small."], ["Sum Σ of all."], ["Ratio π ≤ 4 holds."], ["So x ≥ 0."], ["Smile please."]]
    assert caplog.messages == [f"{path}: 1 symbol(s) with no Unicode character left out (1 in Wingdings 2)"]
