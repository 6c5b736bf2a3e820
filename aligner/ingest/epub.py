"""EPUB 2/3 → blocks: the book's title, then each spine document's headings, paragraphs and list
items in spine (reading) order."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from aligner.corpus.model import Metadata
from aligner.errors import InputError
from aligner.ingest.blocks import Block, Blocks, checked_zip, require

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def read(path: Path) -> Blocks:
    """Read an EPUB's spine; navigation and cover pages without text add nothing."""
    from aligner.ingest.text import html_to_text

    checked_zip(path, "EPUB").close()
    epub = require("ebooklib.epub", "EPUB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ebooklib warns about options it will change
            book = epub.read_epub(str(path), {"ignore_ncx": True})
    except Exception:  # ebooklib raises KeyError, EpubException or lxml errors on a broken book
        raise InputError(f"{path}: not a readable EPUB (its container or package file is missing or broken); check it with epubcheck or export it again") from None
    body: list[Block] = []
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or isinstance(item, epub.EpubNav):
            continue  # the table of contents repeats the chapter titles
        content = _DECLARATION.sub("", item.get_content().decode("utf-8", "replace"))
        if content.strip():
            body += [Block(t) for t in html_to_text(content).split("\n\n") if t]
    titles = book.get_metadata("DC", "title")
    authors = book.get_metadata("DC", "creator")
    title = titles[0][0] if titles else ""
    if body and title and body[0].text == title:
        body = body[1:]  # the title page repeats the title
    return Blocks(title, body, Metadata(title=title, author=authors[0][0] if authors else ""))
