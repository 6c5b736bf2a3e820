"""Text in symbol fonts, for the DOCX, ODT and RTF readers: the Symbol font's codes as the Unicode
characters they show (its "a" is α), and glyph fonts (Wingdings…), whose codes have none, left
out and counted for one warning per file."""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

# Fonts whose codes are glyphs of their own, not characters: Symbol, read through _SYMBOL, and glyph fonts.
_SYMBOL_FONTS = frozenset({
    "symbol", "wingdings", "wingdings 2", "wingdings 3", "webdings", "marlett", "zapfdingbats", "zapf dingbats",
    "itc zapf dingbats", "monotype sorts", "ms outlook", "bookshelf symbol 7", "mt extra",
})
# The Symbol font's codes 0x20-0xFF, 16 a line, "\0" where there is no character: the Unicode
# Consortium's "Adobe Symbol Encoding to Unicode" (unicode.org/Public/MAPPINGS/VENDORS/ADOBE/symbol.txt,
# v1.0 2011), but Δ Ω μ as the Greek letters (the table also lists ∆ Ω µ), the serif and sans-serif
# ® © ™ (0xD2-0xD4, 0xE2-0xE4) as the usual signs and ⟨ ⟩ (0xE1, 0xF1) as U+27E8/U+27E9 (its
# U+2329/U+232A become CJK brackets under NFC); the Corporate Use pieces of tall brackets, integrals,
# arrows and radicals (0x60, 0xBD, 0xBE, 0xE6-0xEF, 0xF4, 0xF6-0xFE) have no character.
_SYMBOL = (
    " !∀#∃%&∋()∗+,−./"  # 0x20
    "0123456789:;<=>?"
    "≅ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟ"  # 0x40
    "ΠΘΡΣΤΥςΩΞΨΖ[∴]⊥_"
    "\0αβχδεφγηιϕκλμνο"  # 0x60
    "πθρστυϖωξψζ{|}∼\0"
    + "\0" * 32  # 0x80-0x9F
    + "€ϒ′≤⁄∞ƒ♣♦♥♠↔←↑→↓"  # 0xA0
    "°±″≥×∝∂•÷≠≡≈…\0\0↵"
    "ℵℑℜ℘⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉"  # 0xC0
    "∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓"
    "◊⟨®©™∑\0\0\0\0\0\0\0\0\0\0"  # 0xE0
    "\0⟩∫⌠\0⌡\0\0\0\0\0\0\0\0\0\0"
)
# A symbol font's codes in text: a byte but the space (a space in every font), or 0xF000 + a byte as Word writes them
_CODE = re.compile("[\x21-\xff\uf020-\uf0ff]")


def is_symbol_font(name: str) -> bool:
    """Whether text in the font `name` is codes of the font's own glyphs (Symbol, Wingdings…), not characters."""
    return name.strip().casefold() in _SYMBOL_FONTS


def symbol_char(font_name: str, code: int) -> str | None:
    """The character `code` (a byte, or 0xF000 + a byte as Word writes it) shows in the font `font_name`:
    Symbol's from Adobe's table; None for a glyph font (Wingdings…), whose glyphs have no Unicode
    meaning, or a code with no character."""
    byte = code - 0xF000 if 0xF000 <= code <= 0xF0FF else code
    if font_name.strip().casefold() != "symbol" or not 0x20 <= byte <= 0xFF:
        return None
    char = _SYMBOL[byte - 0x20]
    return None if char == "\0" else char


def symbol_text(font_name: str, text: str, left_out: Counter[str]) -> str:
    """`text` in the symbol font `font_name` as Unicode: each code by `symbol_char`, other characters
    (spaces, a real α) as they are; a code with no character is left out and counted in
    `left_out` under the font's name."""

    def char(code: re.Match[str]) -> str:
        found = symbol_char(font_name, ord(code[0]))
        if found is None:
            left_out[font_name] += 1
        return found or ""

    return _CODE.sub(char, text)


def font_text(font_name: str, text: str, left_out: Counter[str]) -> str:
    """`text` as it shows in the font `font_name`: by `symbol_text` in a symbol font, else as it is."""
    return symbol_text(font_name, text, left_out) if is_symbol_font(font_name) else text


def warn_left_out(log: logging.Logger, path: Path, left_out: Counter[str]) -> None:
    """One warning for a file's symbols left out (`symbol_text`), by font, if any were."""
    if left_out:
        fonts = ", ".join(f"{count} in {font or 'a font with no name'}" for font, count in sorted(left_out.items()))
        log.warning("%s: %d symbol(s) with no Unicode character left out (%s)", path, left_out.total(), fonts)
