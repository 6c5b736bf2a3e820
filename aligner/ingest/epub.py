"""EPUB 2/3 → blocks: the book's title, then each spine document's headings, paragraphs and list
items in spine (reading) order."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

from aligner.corpus.model import Metadata
from aligner.errors import InputError
from aligner.ingest.blocks import Block, Blocks, checked_zip, require

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BLOCKS = (*_HEADINGS, "p", "li", "blockquote", "td", "th", "dt", "dd", "pre")


def _toc_titles(toc: Any) -> dict[str, str]:
    """Chapter titles from the table of contents by file name (the first entry for a file)."""
    out: dict[str, str] = {}
    for entry in toc:
        if isinstance(entry, (tuple, list)):
            out = {**_toc_titles(entry[1]), **out} if len(entry) > 1 else out
        elif getattr(entry, "href", None) and getattr(entry, "title", None):
            out.setdefault(entry.href.split("#")[0], entry.title)
    return out


def _chapter(xhtml: str) -> list[Block]:
    """A spine document's headings and text blocks in order (a block inside another counts once)."""
    from lxml import html

    root = html.fromstring(xhtml)
    for bad in root.xpath("//script|//style|//nav"):
        bad.drop_tree()
    out = []
    for node in root.iter(*_BLOCKS):
        if any(True for _ in node.iterdescendants(*_BLOCKS)):
            continue  # a list item holding paragraphs: the paragraphs are read
        text = " ".join(node.text_content().split())
        if text:
            out.append(Block(text, kind="head" if node.tag in _HEADINGS else "p"))
    return out


def read(path: Path) -> Blocks:
    """Read an EPUB's spine; navigation and cover pages without text add nothing."""
    checked_zip(path, "EPUB").close()
    epub = require("ebooklib.epub", "EPUB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ebooklib warns about options it will change
            book = epub.read_epub(str(path), {"ignore_ncx": True})
    except Exception:  # ebooklib raises KeyError, EpubException or lxml errors on a broken book
        raise InputError(f"{path}: not a readable EPUB (its container or package file is missing or broken); check it with epubcheck or export it again") from None
    body: list[Block] = []
    titles = _toc_titles(book.toc)
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or isinstance(item, epub.EpubNav):
            continue  # the table of contents repeats the chapter titles
        content = _DECLARATION.sub("", item.get_content().decode("utf-8", "replace"))
        chapter = _chapter(content) if content.strip() else []
        if chapter and chapter[0].kind != "head" and titles.get(item.get_name()):
            chapter.insert(0, Block(titles[item.get_name()], kind="head"))  # a chapter titled only in the table of contents
        body += chapter
    titles = book.get_metadata("DC", "title")
    authors = book.get_metadata("DC", "creator")
    title = titles[0][0] if titles else ""
    if body and title and body[0].text == title:
        body = body[1:]  # the title page repeats the title
    return Blocks(title, body, Metadata(title=title, author=authors[0][0] if authors else ""))
