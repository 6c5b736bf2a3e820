"""DOCX (Word) → blocks: the title, then headings, paragraphs, list items and table cells in
reading order; footnotes and endnotes follow the paragraph that cites them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from aligner.corpus.model import Metadata
from aligner.errors import InputError
from aligner.ingest.blocks import Block, Blocks, checked_zip, require

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NOTE_PARTS = {"footnotes": "footnote", "endnotes": "endnote"}  # relationship type ends → element


def _is_heading(paragraph: Any) -> bool:
    """Word's Title and Heading N styles (by style id, which does not depend on the UI language)."""
    style = paragraph.style.style_id if paragraph.style is not None else ""
    return style == "Title" or style.startswith("Heading")


def _notes(document: Any) -> dict[tuple[str, str], str]:
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
                paras = ("".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in note.iter(f"{{{W}}}p"))
                out[(kind, note.get(f"{{{W}}}id", ""))] = " ".join(p for p in paras if p.strip())
    return out


def _blocks(container: Any, notes: dict[tuple[str, str], str]) -> list[Block]:
    """Paragraphs (headings marked) with the notes they cite after them; tables row by row, cell by cell."""
    out: list[Block] = []
    for item in container.iter_inner_content():
        if hasattr(item, "rows"):
            for row in item.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:  # a merged cell repeats across the columns it spans
                        seen.add(id(cell._tc))
                        out += _blocks(cell, notes)
            continue
        out.append(Block(item.text, kind="head" if _is_heading(item) else "p"))
        for kind in _NOTE_PARTS.values():
            for ref in item._p.iter(f"{{{W}}}{kind}Reference"):
                if text := notes.get((kind, ref.get(f"{{{W}}}id", ""))):
                    out.append(Block(text, kind="note"))
    return out


def read(path: Path) -> Blocks:
    """Read a DOCX; the first block is the title when it is in a Title or Heading style."""
    checked_zip(path, "DOCX").close()
    docx = require("docx", "DOCX")
    try:
        document = docx.Document(str(path))
        notes = _notes(document)
    except Exception:  # python-docx and lxml raise KeyError, ValueError or their own errors on a broken package
        raise InputError(f"{path}: not a readable DOCX (a part is missing or broken); open it in Word or LibreOffice and save it again") from None
    blocks = [b for b in _blocks(document, notes) if b.text.strip()]
    title = blocks[0].text if blocks and blocks[0].kind == "head" else ""
    props = document.core_properties
    return Blocks(title, blocks[1 if title else 0 :], Metadata(title=props.title or "", author=props.author or ""))
