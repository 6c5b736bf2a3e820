"""EPUB 2/3 → blocks: the book's title, then each spine document's headings, paragraphs and list
items in spine (reading) order. A book whose chapters are encrypted (DRM) is refused."""

from __future__ import annotations

import codecs
import logging
import posixpath
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree, html

from aligner.corpus.model import Metadata
from aligner.errors import InputError
from aligner.formats.xmlfile import xml_root
from aligner.ingest.blocks import Block, Blocks, checked_zip, require
from aligner.ingest.runs import tree_blocks
from aligner.ingest.text import decode

log = logging.getLogger(__name__)

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_DECLARED = re.compile(rb"""\A\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']""")  # a BOM goes first
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}  # as browsers read these labels
_ENCRYPTION = "META-INF/encryption.xml"
_XMLENC = "http://www.w3.org/2001/04/xmlenc#"


def _toc_titles(toc: Any) -> dict[str, str]:
    """Chapter titles from the table of contents by file name (the first entry for a file)."""
    out: dict[str, str] = {}
    for entry in toc if isinstance(toc, (tuple, list)) else [toc]:  # ebooklib gives a lone Link for a table of one entry
        if isinstance(entry, (tuple, list)):
            out = {**_toc_titles(entry[1]), **out} if len(entry) > 1 else out
        elif getattr(entry, "href", None) and getattr(entry, "title", None):
            out.setdefault(entry.href.split("#")[0], entry.title)
    return out


def _chapter_text(data: bytes, where: str) -> str:
    """A spine document's text by its byte order mark, else its XML declaration's encoding, else as a text file (UTF-8 first); never replaced."""
    declared = _DECLARED.match(data)
    if declared is None:
        return decode(data, where)
    label = declared.group(1).decode("ascii")
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        raise InputError(f"{where}: its XML declaration names an unknown encoding, {label}; save the chapter as UTF-8") from None
    if codec.startswith(("utf-16", "utf-32")):  # a declaration that reads as ASCII is in neither
        return decode(data, where)
    try:
        return data.decode(_SUPERSETS.get(codec, codec))
    except UnicodeDecodeError as err:
        raise InputError(f"{where}: byte {err.start}: not {label}, the encoding its XML declaration names; save the chapter as UTF-8") from None


def _chapter(text: str) -> list[Block]:
    """A spine document's blocks; one without elements (empty, or a comment alone) has none."""
    try:
        return tree_blocks(html.fromstring(_DECLARATION.sub("", text)))  # lxml refuses a str that declares its encoding
    except etree.ParserError:
        return []


def _encrypted(archive: zipfile.ZipFile, path: Path) -> set[str]:
    """The parts META-INF/encryption.xml lists as encrypted (fonts obfuscated, or DRM), by path in the archive."""
    try:
        data = archive.read(_ENCRYPTION)
    except KeyError:
        return set()
    root = xml_root(path, data, f"{path}: {_ENCRYPTION}")
    return {posixpath.normpath(unquote(ref.get("URI", "")).lstrip("/")) for ref in root.iter(f"{{{_XMLENC}}}CipherReference")}


def _book(epub: Any, path: Path) -> tuple[Any, str]:
    """The book as ebooklib's `epub` module reads it, and the folder of its package file in the archive."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ebooklib warns about options it will change
            reader = epub.EpubReader(str(path), {"ignore_ncx": True})
            book = reader.load()
            reader.process()
    except Exception:  # ebooklib raises KeyError, EpubException or lxml errors on a broken book
        raise InputError(f"{path}: not a readable EPUB (its container or package file is missing or broken); check it with epubcheck or export it again") from None
    return book, reader.opf_dir


def read(path: Path) -> Blocks:
    """Read an EPUB's spine; navigation and cover pages add nothing, and an entry missing from the manifest is a warning."""
    with checked_zip(path, "EPUB") as archive:
        encrypted = _encrypted(archive, path)
    epub = require("ebooklib.epub", "EPUB")
    book, folder = _book(epub, path)
    body: list[Block] = []
    titles = _toc_titles(book.toc)
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None:
            log.warning("%s: the spine names '%s', which the manifest does not hold; that part is left out", path, idref)
            continue
        if isinstance(item, epub.EpubNav):
            continue  # the table of contents repeats the chapter titles
        name = posixpath.normpath(posixpath.join(folder, item.get_name()))
        if name in encrypted:
            raise InputError(f"{path}: its chapters are encrypted (DRM; {_ENCRYPTION} lists {name}), so their text cannot be read; give a DRM-free copy")
        content = item.content  # its bytes as stored: ebooklib's get_content() parses them again as UTF-8
        chapter = _chapter(_chapter_text(content, f"{path}: {name}")) if content.strip() else []
        if chapter and chapter[0].kind != "head" and titles.get(item.get_name()):
            chapter.insert(0, Block(titles[item.get_name()], kind="head"))  # a chapter titled only in the table of contents
        body += chapter
    titles = book.get_metadata("DC", "title")
    authors = book.get_metadata("DC", "creator")
    title = titles[0][0] if titles else ""
    if body and title and body[0].text == title:
        body = body[1:]  # the title page repeats the title
    return Blocks(title, body, Metadata(title=title, author=authors[0][0] if authors else ""))
