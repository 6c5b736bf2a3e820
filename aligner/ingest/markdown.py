"""Markdown → blocks: the first heading as title (when the text starts with one), then headings,
paragraphs, list items, quotes, table cells and the text of raw HTML blocks in reading order;
code blocks are left out, and a YAML front matter gives the title (when no heading does) and
the author."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import html

from aligner.corpus.model import Metadata
from aligner.errors import InputError
from aligner.ingest.blocks import Block, Blocks, require
from aligner.ingest.runs import tree_blocks

_TEXT_OPENERS = {"heading_open", "paragraph_open", "th_open", "td_open"}
_INLINE = {"text", "code_inline", "softbreak", "hardbreak"}  # link and emphasis markers carry no text
_FRONT = re.compile(r"\A\ufeff?---[ \t]*\n(?P<body>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_KEY = re.compile(r"[A-Za-z_][\w.-]*[ \t]*:(?:[ \t]|$)")  # a YAML `key: value` line, not prose with a colon
_MORE = re.compile(r"[ \t]|- |-$|#")  # a YAML value's next line (indented, a list item) or a comment


def read(path: Path) -> Blocks:
    """Read a Markdown file (CommonMark with tables) as blocks."""
    from aligner.ingest.text import decode

    markdown_it = require("markdown_it", "Markdown")
    try:
        source = decode(path.read_bytes(), str(path))
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from None
    front, source = _front_matter(source)
    texts = [(t, head) for t, head in _texts(markdown_it.MarkdownIt("commonmark").enable("table").parse(source)) if t.strip()]
    title = texts[0][0] if texts and texts[0][1] else ""
    body = [Block(t, kind="head" if head else "p") for t, head in texts[1 if title else 0 :]]
    if front.get("title") and not title:
        title = front["title"]
    return Blocks(title, body, Metadata(title=title, author=front.get("author", "")))


def _texts(tokens: list[Any]) -> list[tuple[str, bool]]:
    """Each block's text and whether it is a heading, in reading order; a raw HTML block's (`<details>` …) without its tags."""
    out: list[tuple[str, bool]] = []
    for opener, inline in zip(tokens, [*tokens[1:], None], strict=True):
        if opener.type == "html_block":
            out += [(b.text, b.kind == "head") for b in tree_blocks(html.fromstring(f"<div>{opener.content}</div>"))]
        elif opener.type in _TEXT_OPENERS and inline is not None and inline.type == "inline":
            # a line break as a newline: ingest joins it with a space, or with nothing inside Chinese
            words = "".join("\n" if c.type.endswith("break") else c.content for c in inline.children or () if c.type in _INLINE)
            out.append((words, opener.type == "heading_open"))
    return out


def _front_matter(source: str) -> tuple[dict[str, str], str]:
    """A YAML front matter's `key: value` lines and the text after it; '---' lines around other lines are thematic breaks."""
    match = _FRONT.match(source)
    if match is None:
        return {}, source
    lines = [line for line in match.group("body").splitlines() if line.strip()]
    if not (lines and _KEY.match(lines[0]) and all(_KEY.match(line) or _MORE.match(line) for line in lines)):
        return {}, f"{source[: match.end('body')]}\n{source[match.end('body') :]}"  # a blank line: the closing '---' is no heading underline
    pairs = (line.split(":", 1) for line in lines if ":" in line)
    return {key.strip().lower(): value.strip().strip("'\"") for key, value in pairs}, source[match.end() :]
