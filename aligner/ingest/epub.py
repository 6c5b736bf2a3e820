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
from aligner.ingest.runs import text_runs

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
def _toc_titles(toc: Any) -> dict[str, str]:
    """Chapter titles from the table of contents by file name (the first entry for a file)."""
    out: dict[str, str] = {}
    for entry in toc if isinstance(toc, (tuple, list)) else [toc]:  # ebooklib gives a lone Link for a table of one entry
        if isinstance(entry, (tuple, list)):
            out = {**_toc_titles(entry[1]), **out} if len(entry) > 1 else out
        elif getattr(entry, "href", None) and getattr(entry, "title", None):
            out.setdefault(entry.href.split("#")[0], entry.title)
    return out


def _chapter(xhtml: str) -> list[Block]:
    """A spine document's headings and text blocks in order: every run of text between block
    boundaries is a block, so text straight inside a <div> or <section> is read too."""
    from lxml import html

    root = html.fromstring(xhtml)
    for bad in root.xpath("//script|//style|//nav"):
        bad.drop_tree()
    return text_runs(root)


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
