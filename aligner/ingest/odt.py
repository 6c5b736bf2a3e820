"""ODT (OpenDocument text) → blocks: headings, paragraphs, list items and table cells in reading
order; footnotes and endnotes follow the paragraph that cites them; text in symbol fonts as DOCX reads it."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any

from aligner.corpus.model import Metadata
from aligner.errors import InputError
from aligner.ingest.blocks import Block, Blocks, checked_zip, require
from aligner.ingest.symbol_font import font_text, warn_left_out

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
DRAW_NS = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE_NS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO_NS = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
SVG_NS = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
_BLOCKS = {"p", "h"}
# Not the document's text: what tracked changes deleted, and indexes generated from the headings.
_SKIPPED = {"tracked-changes", "table-of-content", "alphabetical-index", "illustration-index", "table-index",
            "object-index", "user-index", "bibliography"}
_SPACES = {"s": " ", "tab": "\t", "line-break": "\n"}
# Inside a paragraph but not its text: a comment (its author, date and words) and where it ends, a ruby's reading.
_DROPPED = {(OFFICE_NS, "annotation"), (OFFICE_NS, "annotation-end"), (TEXT_NS, "ruby-text")}
log = logging.getLogger(__name__)


def _children(node: Any, qname: tuple[str, str]) -> list[Any]:
    """The child elements of `node` named `qname` (namespace, local name)."""
    return [child for child in node.childNodes if getattr(child, "qname", None) == qname]


def _family_name(font_family: str) -> str:
    """A font family as svg:font-family or fo:font-family gives it ("'Wingdings 2'", or a list), unquoted: the first."""
    return font_family.split(",")[0].strip().strip("'\"")


class _Fonts:
    """The font of text (its Western font) as the ODF styles give it, only to tell text in a symbol font: the
    style of each span around it, then its paragraph's (each through style:parent-style-name), then the
    default paragraph style; a style:font-name is a face of office:font-face-decls. Indexed once a file."""

    def __init__(self, document: Any) -> None:
        """Index the font faces, the styles (content.xml's automatic ones first, as the body means them) and the default."""
        faces = _children(document.fontfacedecls, (STYLE_NS, "font-face"))
        self._faces = {face.attributes.get((STYLE_NS, "name")): _family_name(face.attributes.get((SVG_NS, "font-family"), ""))
                       for face in faces}
        self._styles: dict[tuple[str, str], Any] = {}
        for style in _children(document.automaticstyles, (STYLE_NS, "style")) + _children(document.styles, (STYLE_NS, "style")):
            key = (style.attributes.get((STYLE_NS, "family"), ""), style.attributes.get((STYLE_NS, "name"), ""))
            self._styles.setdefault(key, style)
        defaults = [d for d in _children(document.styles, (STYLE_NS, "default-style"))
                    if d.attributes.get((STYLE_NS, "family")) == "paragraph"]
        self._default = next((font for d in defaults if (font := self._declared(d)) is not None), "")
        self._found: dict[tuple[str, str], str | None] = {}

    def _declared(self, style: Any) -> str | None:
        """The font a style's text properties name (style:font-name before fo:font-family); None if they name none."""
        for properties in _children(style, (STYLE_NS, "text-properties")):
            if name := properties.attributes.get((STYLE_NS, "font-name")):
                return self._faces.get(name) or name  # a face declared only in content.xml, which odfpy drops, by its name
            if family := properties.attributes.get((FO_NS, "font-family")):
                return _family_name(family)
        return None

    def _style(self, key: tuple[str, str]) -> str | None:
        """The font a style (family, name) names, else its parent's, and so on; None if none does (or the chain loops)."""
        if key not in self._styles:
            return None
        if key not in self._found:
            self._found[key] = None  # a style:parent-style-name loop ends here
            style = self._styles[key]
            found = self._declared(style)
            if found is None and (parent := style.attributes.get((STYLE_NS, "parent-style-name"))):
                found = self._style((key[0], parent))
            self._found[key] = found
        return self._found[key]

    def paragraph(self, paragraph: Any) -> str:
        """The font of a paragraph's text outside spans that name one: its style's, else the default paragraph style's."""
        found = self._style(("paragraph", paragraph.attributes.get((TEXT_NS, "style-name"), "")))
        return self._default if found is None else found

    def span(self, element: Any, font: str) -> str:
        """The font of the text in an element of a paragraph: its text style's (text:style-name), else `font`, its surroundings'."""
        found = self._style(("text", element.attributes.get((TEXT_NS, "style-name"), "")))
        return font if found is None else found


def _inline(node: Any, apart: list[Block], left_out: Counter[str], fonts: _Fonts, font: str) -> str:
    """The text of a paragraph, text in a symbol font (`font` the paragraph's, each span's by `fonts`) by
    its table, the symbols left out counted in `left_out`; the notes it cites (their citation marks
    dropped) and the text of frames (a text box) and shapes anchored in it go to `apart`, as blocks of their own."""
    out = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            out.append(font_text(font, str(child.data), left_out))
        elif child.qname in _DROPPED:
            continue
        elif child.qname[0] == DRAW_NS:
            for para in _paragraphs(child):
                _append(para, apart, left_out, fonts)
        elif child.qname[0] == TEXT_NS and child.qname[1] == "note":
            body = [n for n in child.childNodes if n.qname[1] == "note-body"]
            notes = (_inline(p, apart, left_out, fonts, fonts.paragraph(p)) for b in body for p in _paragraphs(b))
            apart.append(Block(" ".join(notes), kind="note"))
        elif child.qname[0] == TEXT_NS and child.qname[1] in _SPACES:
            out.append(_SPACES[child.qname[1]])
        else:
            out.append(_inline(child, apart, left_out, fonts, fonts.span(child, font)))
    return "".join(out)


def _append(para: Any, out: list[Block], left_out: Counter[str], fonts: _Fonts) -> None:
    """Append a paragraph's block (a heading for text:h or a Title style), then those anchored in it."""
    apart: list[Block] = []
    head = para.qname[1] == "h" or str(para.getAttribute("stylename") or "").startswith("Title")
    out.append(Block(_inline(para, apart, left_out, fonts, fonts.paragraph(para)), kind="head" if head else "p"))
    out += apart


def _paragraphs(node: Any) -> list[Any]:
    """Every text:p and text:h below `node`, in document order, not descending into notes."""
    found = []
    for child in node.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        if child.qname[0] == TEXT_NS and child.qname[1] in _BLOCKS:
            found.append(child)
        elif not (child.qname[0] == TEXT_NS and child.qname[1] in {"note", *_SKIPPED}):
            found += _paragraphs(child)
    return found


def read(path: Path) -> Blocks:
    """Read an ODT; a first heading (or Title-style paragraph) is the title."""
    checked_zip(path, "ODT").close()
    opendocument = require("odf.opendocument", "ODT")
    try:
        document = opendocument.load(str(path))
    except Exception:  # odfpy raises KeyError or XML errors on a broken package
        raise InputError(f"{path}: not a readable ODT (a part is missing or broken); open it in LibreOffice and save it again") from None
    blocks: list[Block] = []
    left_out: Counter[str] = Counter()
    fonts = _Fonts(document)
    for para in _paragraphs(document.text):
        _append(para, blocks, left_out, fonts)
    warn_left_out(log, path, left_out)
    blocks = [b for b in blocks if b.text.strip()]
    title = blocks[0].text if blocks and blocks[0].kind == "head" else ""
    return Blocks(title, blocks[1 if title else 0 :], Metadata(title=title, author=_author(document)))


def _author(document: Any) -> str:
    """The document's author from its meta.xml (dc:creator, else meta:initial-creator)."""
    from odf import dc, meta

    for kind in (dc.Creator, meta.InitialCreator):
        found = document.meta.getElementsByType(kind)
        if found and str(found[0]).strip():
            return str(found[0]).strip()
    return ""
