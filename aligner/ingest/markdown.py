"""Markdown → blocks: the first heading as title (when the text starts with one), then headings,
paragraphs, list items, quotes and table cells in reading order; code blocks are left out."""

from __future__ import annotations

from pathlib import Path

from aligner.corpus.model import Metadata
from aligner.errors import InputError
from aligner.ingest.blocks import Block, Blocks, require

_TEXT_OPENERS = {"heading_open", "paragraph_open", "th_open", "td_open"}
_INLINE = {"text", "code_inline", "softbreak", "hardbreak"}  # link and emphasis markers carry no text


def read(path: Path) -> Blocks:
    """Read a Markdown file (CommonMark with tables) as blocks."""
    from aligner.ingest.text import decode

    markdown_it = require("markdown_it", "Markdown")
    try:
        source = decode(path.read_bytes(), str(path))
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from None
    tokens = markdown_it.MarkdownIt("commonmark").enable("table").parse(source)
    texts: list[tuple[str, bool]] = []
    for opener, inline in zip(tokens, tokens[1:], strict=False):
        if opener.type in _TEXT_OPENERS and inline.type == "inline":
            words = "".join(" " if c.type.endswith("break") else c.content for c in inline.children or () if c.type in _INLINE)
            texts.append((words, opener.type == "heading_open"))
    texts = [(t, head) for t, head in texts if t.strip()]
    title = texts[0][0] if texts and texts[0][1] else ""
    return Blocks(title, [Block(t, kind="head" if head else "p") for t, head in texts[1 if title else 0 :]], Metadata())
