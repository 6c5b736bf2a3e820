"""Text in symbol fonts: Word's Insert › Symbol (w:sym), runs and RTF text in the Symbol font read as
the characters they show (its "a" is α); glyph fonts (Wingdings…) left out with one warning a file."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from test_ingest_books import sentences
from test_ingest_formats import docx_with, para


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
