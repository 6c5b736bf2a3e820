"""DOCX (Word) → blocks: the title, then headings, paragraphs, list items and table cells in
reading order; text boxes and the footnotes and endnotes a paragraph cites follow it."""

from __future__ import annotations

import logging
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from aligner.corpus.model import Metadata
from aligner.errors import InputError
from aligner.ingest.blocks import Block, Blocks, checked_zip, require
from aligner.ingest.symbol_font import font_text, is_symbol_font, symbol_text, warn_left_out

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_NOTE_PARTS = {"footnotes": "footnote", "endnotes": "endnote"}  # relationship type ends → element
_REFERENCES = {f"{{{W}}}{kind}Reference": kind for kind in _NOTE_PARTS.values()}  # w:footnoteReference → footnote
_TEXT = {f"{{{W}}}t", f"{{{MATH}}}t"}  # an equation's text is read as written (E=mc2)
_SPACES = {f"{{{W}}}tab", f"{{{W}}}ptab", f"{{{W}}}br", f"{{{W}}}cr"}
# Inside a paragraph but not its text: properties (their w:tab is a tab stop), text deleted or
# moved away by tracked changes, and the older copy of a text box that Word writes beside it.
_SKIPPED = {f"{{{W}}}pPr", f"{{{W}}}rPr", f"{{{W}}}del", f"{{{W}}}moveFrom", f"{{{MC}}}Fallback"}
_BOX = f"{{{W}}}txbxContent"
_WRAPPERS = {f"{{{W}}}sdt", f"{{{W}}}sdtContent", f"{{{W}}}customXml"}  # around paragraphs, tables, rows or cells
P, R, TBL, TR, TC = (f"{{{W}}}{tag}" for tag in ("p", "r", "tbl", "tr", "tc"))
# A theme font as w:asciiTheme names it ("minorHAnsi"): the theme's major (headings) or minor (body) font, for a script
_THEME_FONTS = {f"{level}{script}": f"{{{A}}}{level}Font/{{{A}}}{face}" for level in ("major", "minor")
                for script, face in (("Ascii", "latin"), ("HAnsi", "latin"), ("EastAsia", "ea"), ("Bidi", "cs"))}
log = logging.getLogger(__name__)


def _is_heading(paragraph: Any) -> bool:
    """Word's Title and Heading N styles, by the style's name, which Word keeps in English for its
    built-in styles whatever the UI language (a German Word's style ids are Titel, berschrift1)."""
    style = paragraph.style
    names = (style.name or "", style.style_id or "") if style is not None else ()
    return any(name.lower() == "title" or name.lower().startswith("heading") for name in names)


def _symbol(sym: Any, left_out: Counter[str]) -> str:
    """A w:sym's character: a symbol font's code by its table (Symbol's F061 is α), any other
    font's as the Unicode character it is; one with none (a Wingdings glyph, a private-use code)
    is left out and counted in `left_out`."""
    font = sym.get(f"{{{W}}}font", "")
    try:
        char = chr(int(sym.get(f"{{{W}}}char", ""), 16))
    except ValueError:
        return ""
    if is_symbol_font(font):
        return symbol_text(font, char, left_out)
    if unicodedata.category(char) in {"Co", "Cs", "Cn", "Cc"}:  # a code known only to its font
        left_out[font] += 1
        return ""
    return char


def _theme_fonts(theme: Any) -> dict[str, str]:
    """A theme's fonts by the names w:asciiTheme and its like give them ("minorHAnsi": the body's Latin font)."""
    scheme = theme.find(f"{{{A}}}themeElements/{{{A}}}fontScheme")
    if scheme is None:
        return {}
    return {name: face.get("typeface", "") for name, path in _THEME_FONTS.items() if (face := scheme.find(path)) is not None}


class _Fonts:
    """The font of a run's text (its w:ascii font) as Word resolves it, only to tell text in a symbol font: the run's
    own properties, then its character style, its paragraph's style (each through w:basedOn), then the document's
    defaults; a theme font (w:asciiTheme) is the theme's. styles.xml and the theme are read once a file."""

    def __init__(self, styles: Any, theme: Any) -> None:
        """Index the styles part's styles and the theme's fonts (either part may be missing: None)."""
        self._styles = {} if styles is None else {style.get(f"{{{W}}}styleId"): style for style in styles.iterfind(f"{{{W}}}style")}
        self._theme = {} if theme is None else _theme_fonts(theme)
        defaults = None if styles is None else styles.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr")
        self._default = self._declared(defaults) or ""
        self._normal = next((name for name, style in self._styles.items() if style.get(f"{{{W}}}type") == "paragraph"
                             and style.get(f"{{{W}}}default") in {"1", "true", "on"}), None)
        self._found: dict[str, str | None] = {}

    def _declared(self, properties: Any) -> str | None:
        """The font run properties (w:rPr) name, a theme font before a named one as Word takes them; None if they name none."""
        fonts = None if properties is None else properties.find(f"{{{W}}}rFonts")
        if fonts is None:
            return None
        return self._theme.get(fonts.get(f"{{{W}}}asciiTheme", "")) or fonts.get(f"{{{W}}}ascii") or None

    def _style(self, style_id: str | None) -> str | None:
        """The font a style names, else the style it is based on, and so on; None if none does (or the chain loops)."""
        if style_id is None or style_id not in self._styles:
            return None
        if style_id not in self._found:
            self._found[style_id] = None  # a w:basedOn loop ends here
            style = self._styles[style_id]
            found = self._declared(style.find(f"{{{W}}}rPr"))
            if found is None and (based_on := style.find(f"{{{W}}}basedOn")) is not None:
                found = self._style(based_on.get(f"{{{W}}}val"))
            self._found[style_id] = found
        return self._found[style_id]

    def paragraph(self, paragraph: Any) -> str:
        """The font of a paragraph's runs that name none themselves: its style's (the default paragraph style's if it
        names none the file has), else the document's default."""
        style = paragraph.find(f"{{{W}}}pPr/{{{W}}}pStyle")
        style_id = None if style is None else style.get(f"{{{W}}}val")
        found = self._style(style_id if style_id in self._styles else self._normal)
        return self._default if found is None else found

    def run(self, run: Any, paragraph_font: str) -> str:
        """The font of a run's text: its own properties', its character style's, else its paragraph's (`paragraph_font`)."""
        properties = run.find(f"{{{W}}}rPr")
        found = self._declared(properties)
        if found is None and properties is not None and (style := properties.find(f"{{{W}}}rStyle")) is not None:
            found = self._style(style.get(f"{{{W}}}val"))
        return paragraph_font if found is None else found


def _inline(element: Any, apart: list[Any], left_out: Counter[str], fonts: _Fonts, font: str) -> str:
    """A paragraph's text as Word shows it, in fields, links and content controls too: a tab or a
    line break as a space, a non-breaking hyphen as "-", a symbol as its character, text in a
    symbol font (`font` the paragraph's, each run's by `fonts`) by its table; the text boxes and
    note references met go to `apart`, in order, and the symbols left out are counted in `left_out`."""
    out = []
    for child in element:
        if child.tag in _TEXT:
            out.append(font_text(font, child.text or "", left_out))
        elif child.tag in _SPACES:
            out.append(" ")
        elif child.tag == f"{{{W}}}noBreakHyphen":
            out.append("-")
        elif child.tag == f"{{{W}}}sym":
            out.append(_symbol(child, left_out))
        elif child.tag == _BOX or child.tag in _REFERENCES:
            apart.append(child)
        elif child.tag not in _SKIPPED:
            out.append(_inline(child, apart, left_out, fonts, fonts.run(child, font) if child.tag == R else font))
    return "".join(out)


def _within(element: Any, tags: set[str]) -> Iterator[Any]:
    """The children of `element` with one of `tags`, those inside content controls (w:sdt) and custom XML too."""
    for child in element:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _within(child, tags)


def _parts(document: Any, kinds: Collection[str]) -> Iterator[tuple[str, Any]]:
    """The parts the document relates of `kinds` (a relationship type's last word: "footnotes", "styles"), each
    with its kind, parsed without resolving anything."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for rel in document.part.rels.values():
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind in kinds and not rel.is_external:
            yield kind, etree.fromstring(rel.target_part.blob, parser)


def _fonts(document: Any) -> _Fonts:
    """The document's fonts, from its styles part and theme, as far as telling symbol fonts."""
    found = dict(_parts(document, ("styles", "theme")))
    return _Fonts(found.get("styles"), found.get("theme"))


def _notes(document: Any, left_out: Counter[str], fonts: _Fonts) -> dict[tuple[str, str], str]:
    """Footnote and endnote texts by (kind, id)."""
    out: dict[tuple[str, str], str] = {}
    for part, root in _parts(document, _NOTE_PARTS):
        kind = _NOTE_PARTS[part]
        for note in root.iterfind(f"{{{W}}}{kind}"):
            if note.get(f"{{{W}}}type") in (None, "normal"):
                paras = (_inline(p, [], left_out, fonts, fonts.paragraph(p)) for p in note.iter(P))
                out[(kind, note.get(f"{{{W}}}id", ""))] = " ".join(p for p in paras if p.strip())
    return out


def _blocks(element: Any, document: Any, notes: dict[tuple[str, str], str], left_out: Counter[str], fonts: _Fonts) -> list[Block]:
    """The paragraphs (headings marked) of a body, a cell or a text box, each followed by its text
    boxes and the notes it cites; tables row by row, each cell (w:tc) once, however far it spans."""
    from docx.text.paragraph import Paragraph

    out: list[Block] = []
    for item in _within(element, {P, TBL}):
        if item.tag == TBL:
            for row in _within(item, {TR}):
                for cell in _within(row, {TC}):
                    out += _blocks(cell, document, notes, left_out, fonts)
            continue
        apart: list[Any] = []
        words = _inline(item, apart, left_out, fonts, fonts.paragraph(item))
        out.append(Block(words, kind="head" if _is_heading(Paragraph(item, document)) else "p"))
        for node in apart:
            if node.tag == _BOX:
                out += _blocks(node, document, notes, left_out, fonts)
            elif text := notes.get((_REFERENCES[node.tag], node.get(f"{{{W}}}id", ""))):
                out.append(Block(text, kind="note"))
    return out


def read(path: Path) -> Blocks:
    """Read a DOCX; the first block is the title when it is in a Title or Heading style."""
    checked_zip(path, "DOCX").close()
    docx = require("docx", "DOCX")
    try:
        document = docx.Document(str(path))
        body = document.element.body
        left_out: Counter[str] = Counter()
        fonts = _fonts(document)
        blocks = [b for b in _blocks(body, document, _notes(document, left_out, fonts), left_out, fonts) if b.text.strip()]
        props = document.core_properties
        meta = Metadata(title=props.title or "", author=props.author or "")
    except Exception:  # python-docx and lxml raise KeyError, ValueError or their own errors on a broken package
        raise InputError(f"{path}: not a readable DOCX (a part is missing or broken); open it in Word or LibreOffice and save it again") from None
    if chunks := len(body.findall(f".//{{{W}}}altChunk")):
        log.warning("%s: %d embedded document(s) (w:altChunk) left out; to read them, open the file in Word and save it again", path, chunks)
    warn_left_out(log, path, left_out)
    title = blocks[0].text if blocks and blocks[0].kind == "head" else ""
    return Blocks(title, blocks[1 if title else 0 :], meta)
