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
    """Word's Title and Heading N styles, by the style's name, which Word keeps in English for its
    built-in styles whatever the UI language (a German Word's style ids are Titel, berschrift1)."""
    style = paragraph.style
    names = (style.name or "", style.style_id or "") if style is not None else ()
    return any(name.lower() == "title" or name.lower().startswith("heading") for name in names)


def _text(paragraph: Any) -> str:
    """A paragraph's text as Word shows it: every text run in order, those inside fields and
    content controls too (python-docx's `text` skips them); a tab or a line break as a space."""
    out = []
    for node in paragraph._p.iter(f"{{{W}}}t", f"{{{W}}}tab", f"{{{W}}}br", f"{{{W}}}cr"):
        out.append(node.text or "" if node.tag == f"{{{W}}}t" else " ")
    return "".join(out)


def _items(element: Any, parent: Any) -> Any:
    """The paragraphs and tables of a body or a cell, those inside content controls (w:sdt) too."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        if child.tag == f"{{{W}}}p":
            yield Paragraph(child, parent)
        elif child.tag == f"{{{W}}}tbl":
            yield Table(child, parent)
        elif child.tag == f"{{{W}}}sdt" and (content := child.find(f"{{{W}}}sdtContent")) is not None:
            yield from _items(content, parent)


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
    element = container._tc if hasattr(container, "_tc") else container.element.body
    for item in _items(element, container):
        if hasattr(item, "rows"):
            seen: set[Any] = set()  # the cell elements themselves: held, so no id is reused
            for row in item.rows:
                for cell in row.cells:
                    if cell._tc not in seen:  # a merged cell repeats across the columns and rows it spans
                        seen.add(cell._tc)
                        out += _blocks(cell, notes)
            continue
        out.append(Block(_text(item), kind="head" if _is_heading(item) else "p"))
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
