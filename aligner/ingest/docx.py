"""DOCX (Word) → blocks: the title, then headings, paragraphs, list items and table cells in
reading order; text boxes and the footnotes and endnotes a paragraph cites follow it."""

from __future__ import annotations

import logging
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from aligner.corpus.model import Metadata
from aligner.errors import InputError
from aligner.ingest.blocks import Block, Blocks, checked_zip, require
from aligner.ingest.symbol_font import is_symbol_font, symbol_text, warn_left_out

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
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


def _font(run: Any) -> str:
    """The font a run's properties name for its text (w:rFonts w:ascii), if any."""
    fonts = run.find(f"{{{W}}}rPr/{{{W}}}rFonts")
    return "" if fonts is None else fonts.get(f"{{{W}}}ascii", "")


def _inline(element: Any, apart: list[Any], left_out: Counter[str], font: str = "") -> str:
    """A paragraph's text as Word shows it, in fields, links and content controls too: a tab or a
    line break as a space, a non-breaking hyphen as "-", a symbol as its character, text in a
    symbol font (a run's `font`) by its table; the text boxes and note references met go to
    `apart`, in order, and the symbols left out are counted in `left_out`."""
    out = []
    for child in element:
        if child.tag in _TEXT:
            text = child.text or ""
            out.append(symbol_text(font, text, left_out) if is_symbol_font(font) else text)
        elif child.tag in _SPACES:
            out.append(" ")
        elif child.tag == f"{{{W}}}noBreakHyphen":
            out.append("-")
        elif child.tag == f"{{{W}}}sym":
            out.append(_symbol(child, left_out))
        elif child.tag == _BOX or child.tag in _REFERENCES:
            apart.append(child)
        elif child.tag not in _SKIPPED:
            out.append(_inline(child, apart, left_out, _font(child) if child.tag == R else font))
    return "".join(out)


def _within(element: Any, tags: set[str]) -> Iterator[Any]:
    """The children of `element` with one of `tags`, those inside content controls (w:sdt) and custom XML too."""
    for child in element:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _within(child, tags)


def _notes(document: Any, left_out: Counter[str]) -> dict[tuple[str, str], str]:
    """Footnote and endnote texts by (kind, id), read from their parts without resolving anything."""
    out: dict[tuple[str, str], str] = {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for rel in document.part.rels.values():
        kind = _NOTE_PARTS.get(rel.reltype.rsplit("/", 1)[-1])
        if kind is None or rel.is_external:
            continue
        root = etree.fromstring(rel.target_part.blob, parser)
        for note in root.iterfind(f"{{{W}}}{kind}"):
            if note.get(f"{{{W}}}type") in (None, "normal"):
                paras = (_inline(p, [], left_out) for p in note.iter(P))
                out[(kind, note.get(f"{{{W}}}id", ""))] = " ".join(p for p in paras if p.strip())
    return out


def _blocks(element: Any, document: Any, notes: dict[tuple[str, str], str], left_out: Counter[str]) -> list[Block]:
    """The paragraphs (headings marked) of a body, a cell or a text box, each followed by its text
    boxes and the notes it cites; tables row by row, each cell (w:tc) once, however far it spans."""
    from docx.text.paragraph import Paragraph

    out: list[Block] = []
    for item in _within(element, {P, TBL}):
        if item.tag == TBL:
            for row in _within(item, {TR}):
                for cell in _within(row, {TC}):
                    out += _blocks(cell, document, notes, left_out)
            continue
        apart: list[Any] = []
        out.append(Block(_inline(item, apart, left_out), kind="head" if _is_heading(Paragraph(item, document)) else "p"))
        for node in apart:
            if node.tag == _BOX:
                out += _blocks(node, document, notes, left_out)
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
        blocks = [b for b in _blocks(body, document, _notes(document, left_out), left_out) if b.text.strip()]
        props = document.core_properties
        meta = Metadata(title=props.title or "", author=props.author or "")
    except Exception:  # python-docx and lxml raise KeyError, ValueError or their own errors on a broken package
        raise InputError(f"{path}: not a readable DOCX (a part is missing or broken); open it in Word or LibreOffice and save it again") from None
    if chunks := len(body.findall(f".//{{{W}}}altChunk")):
        log.warning("%s: %d embedded document(s) (w:altChunk) left out; to read them, open the file in Word and save it again", path, chunks)
    warn_left_out(log, path, left_out)
    title = blocks[0].text if blocks and blocks[0].kind == "head" else ""
    return Blocks(title, blocks[1 if title else 0 :], meta)
