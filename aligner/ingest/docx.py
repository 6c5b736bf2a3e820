"""DOCX (Word) → blocks: the title, then paragraphs, list items and table cells in reading order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aligner.corpus.model import Metadata
from aligner.errors import InputError
from aligner.ingest.blocks import Block, Blocks, checked_zip, require


def _is_heading(paragraph: Any) -> bool:
    """Word's Title and Heading N styles (by style id, which does not depend on the UI language)."""
    style = paragraph.style.style_id if paragraph.style is not None else ""
    return style == "Title" or style.startswith("Heading")


def _texts(container: Any) -> list[tuple[str, bool]]:
    """Paragraph texts with a heading flag, tables read row by row, cell by cell."""
    out: list[tuple[str, bool]] = []
    for item in container.iter_inner_content():
        if hasattr(item, "rows"):
            for row in item.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:  # a merged cell repeats across the columns it spans
                        seen.add(id(cell._tc))
                        out += _texts(cell)
        else:
            out.append((item.text, _is_heading(item)))
    return out


def read(path: Path) -> Blocks:
    """Read a DOCX; the first block is the title when it is in a Title or Heading style."""
    checked_zip(path, "DOCX").close()
    docx = require("docx", "DOCX")
    try:
        document = docx.Document(str(path))
    except Exception:  # python-docx raises KeyError, ValueError or its own errors on a broken package
        raise InputError(f"{path}: not a readable DOCX (a part is missing or broken); open it in Word or LibreOffice and save it again") from None
    texts = [(t, head) for t, head in _texts(document) if t.strip()]
    title = texts[0][0] if texts and texts[0][1] else ""
    body = [Block(t) for t, _ in texts[1 if title else 0 :]]
    props = document.core_properties
    meta = Metadata(title=props.title or "", author=props.author or "")
    return Blocks(title, body, meta)
