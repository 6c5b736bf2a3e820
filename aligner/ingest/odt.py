"""ODT (OpenDocument text) → blocks: headings, paragraphs, list items and table cells in reading
order; footnotes and endnotes follow the paragraph that cites them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aligner.corpus.model import Metadata
from aligner.errors import InputError
from aligner.ingest.blocks import Block, Blocks, checked_zip, require

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
DRAW_NS = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_BLOCKS = {"p", "h"}
# Not the document's text: what tracked changes deleted, and indexes generated from the headings.
_SKIPPED = {"tracked-changes", "table-of-content", "alphabetical-index", "illustration-index", "table-index",
            "object-index", "user-index", "bibliography"}
_SPACES = {"s": " ", "tab": "\t", "line-break": "\n"}
# Inside a paragraph but not its text: a comment (its author, date and words) and where it ends, a ruby's reading.
_DROPPED = {(OFFICE_NS, "annotation"), (OFFICE_NS, "annotation-end"), (TEXT_NS, "ruby-text")}


def _inline(node: Any, apart: list[Block]) -> str:
    """The text of a paragraph; the notes it cites (their citation marks dropped) and the text of
    frames (a text box) and shapes anchored in it go to `apart`, as blocks of their own."""
    out = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            out.append(str(child.data))
        elif child.qname in _DROPPED:
            continue
        elif child.qname[0] == DRAW_NS:
            for para in _paragraphs(child):
                _append(para, apart)
        elif child.qname[0] == TEXT_NS and child.qname[1] == "note":
            body = [n for n in child.childNodes if n.qname[1] == "note-body"]
            apart.append(Block(" ".join(_inline(p, apart) for b in body for p in _paragraphs(b)), kind="note"))
        elif child.qname[0] == TEXT_NS and child.qname[1] in _SPACES:
            out.append(_SPACES[child.qname[1]])
        else:
            out.append(_inline(child, apart))
    return "".join(out)


def _append(para: Any, out: list[Block]) -> None:
    """Append a paragraph's block (a heading for text:h or a Title style), then those anchored in it."""
    apart: list[Block] = []
    head = para.qname[1] == "h" or str(para.getAttribute("stylename") or "").startswith("Title")
    out.append(Block(_inline(para, apart), kind="head" if head else "p"))
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
    for para in _paragraphs(document.text):
        _append(para, blocks)
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
