"""Markdown → blocks: the first heading as title (when the text starts with one), then headings,
paragraphs, list items, quotes and table cells in reading order; code blocks are left out, and
a YAML front matter gives the title (when no heading does) and the author."""

from __future__ import annotations

import re
from pathlib import Path

from aligner.corpus.model import Metadata
from aligner.errors import InputError
from aligner.ingest.blocks import Block, Blocks, require

_TEXT_OPENERS = {"heading_open", "paragraph_open", "th_open", "td_open"}
_INLINE = {"text", "code_inline", "softbreak", "hardbreak"}  # link and emphasis markers carry no text
_FRONT = re.compile(r"\A\ufeff?---[ \t]*\n(?P<body>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def read(path: Path) -> Blocks:
    """Read a Markdown file (CommonMark with tables) as blocks."""
    from aligner.ingest.text import decode

    markdown_it = require("markdown_it", "Markdown")
    try:
        source = decode(path.read_bytes(), str(path))
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from None
    front, source = _front_matter(source)
    tokens = markdown_it.MarkdownIt("commonmark").enable("table").parse(source)
    texts: list[tuple[str, bool]] = []
    for opener, inline in zip(tokens, tokens[1:], strict=False):
        if opener.type in _TEXT_OPENERS and inline.type == "inline":
            # a line break as a newline: ingest joins it with a space, or with nothing inside Chinese
            words = "".join("\n" if c.type.endswith("break") else c.content for c in inline.children or () if c.type in _INLINE)
            texts.append((words, opener.type == "heading_open"))
    texts = [(t, head) for t, head in texts if t.strip()]
    title = texts[0][0] if texts and texts[0][1] else ""
    body = [Block(t, kind="head" if head else "p") for t, head in texts[1 if title else 0 :]]
    if front.get("title") and not title:
        title = front["title"]
    return Blocks(title, body, Metadata(title=title, author=front.get("author", "")))


def _front_matter(source: str) -> tuple[dict[str, str], str]:
    """A YAML front matter block (between '---' lines at the very start) as its plain `key: value`
    lines, and the text after it: the block is metadata for static-site tools, not text."""
    match = _FRONT.match(source)
    if match is None:
        return {}, source
    pairs = (line.split(":", 1) for line in match.group("body").splitlines() if ":" in line)
    return {key.strip().lower(): value.strip().strip("'\"") for key, value in pairs}, source[match.end() :]
