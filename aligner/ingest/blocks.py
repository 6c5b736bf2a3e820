"""Readers of rich input files (DOCX, ODT, EPUB, PDF, RTF, subtitles, Markdown), registered by suffix.

Each reader turns one file into `Blocks`: the title and the text blocks in reading order (with
cue times for subtitles). `document_from_blocks` then numbers them exactly as plain-text ingest
does, so a version read from a DOCX and from the same text as `.txt` gets the same ids.
Each format's library is imported inside its reader; a missing one is an error with the
install command.
"""

from __future__ import annotations

import importlib
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType

from aligner.corpus.model import Document, Metadata, Paragraph, ParagraphKind, Sentence
from aligner.errors import InputError
from aligner.ingest.langs import detect_language, squeeze
from aligner.ingest.segment import split_sentences

# suffix → (module in aligner.ingest, what the format is called in messages)
READERS: dict[str, tuple[str, str]] = {
    ".docx": ("docx", "DOCX"),
    ".odt": ("odt", "ODT"),
    ".epub": ("epub", "EPUB"),
    ".pdf": ("pdf", "PDF"),
    ".rtf": ("rtf", "RTF"),
    ".srt": ("subtitles", "SRT"),
    ".vtt": ("subtitles", "WebVTT"),
    ".md": ("markdown", "Markdown"),
    ".markdown": ("markdown", "Markdown"),
}
# Zip containers (DOCX, ODT, EPUB, XLSX): caps against zip bombs.
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_ENTRIES = 10_000
_MARKUP = (".xml", ".rels", ".opf", ".ncx", ".xhtml", ".html", ".htm")
_ENTITY = re.compile(rb"<!\s*ENTITY", re.I)
PIP_NAMES = {
    "docx": "python-docx", "odf": "odfpy", "ebooklib": "ebooklib", "pdfminer": "pdfminer.six",
    "striprtf": "striprtf", "srt": "srt", "webvtt": "webvtt-py", "markdown_it": "markdown-it-py",
    "openpyxl": "openpyxl",
}


@dataclass(frozen=True)
class Block:
    """A paragraph of the input in reading order: a heading, a footnote or a paragraph (a list
    item, a table cell); `start`/`end` are a subtitle cue's times in ms."""

    text: str
    start: int | None = None
    end: int | None = None
    kind: ParagraphKind = "p"


@dataclass(frozen=True)
class Blocks:
    """What a reader found: the title (may be empty), the body blocks, and metadata."""

    title: str
    body: list[Block]
    meta: Metadata = field(default_factory=Metadata)


def require(module: str, fmt: str) -> ModuleType:
    """Import a format's library, or fail with the pip command that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        top = module.split(".")[0]
        raise InputError(
            f"reading {fmt} needs the {PIP_NAMES.get(top, top)} package; "
            f"install it with: pip install 'aligner[formats]'"
        ) from None


def checked_zip(path: Path, fmt: str) -> zipfile.ZipFile:
    """Open a zip container after checking it is one, unencrypted, small enough once unpacked, and
    that its XML parts unpack and none declares entities (an XXE or billion-laughs attack)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise InputError(
            f"{path}: not a readable {fmt} (corrupt, or encrypted with a password); "
            f"open it in its editor and save it again without a password"
        ) from None
    try:
        _check_members(archive, path, fmt)
    except InputError:
        archive.close()
        raise
    return archive


def _check_members(archive: zipfile.ZipFile, path: Path, fmt: str) -> None:
    """Refuse a container with too many or too large members, an encrypted one, or an XML part damaged or declaring entities."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise InputError(f"{path}: {len(infos)} entries in the {fmt} archive (limit {MAX_ENTRIES}); this is not a normal {fmt}, refusing it")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        raise InputError(
            f"{path}: {total // 2**20} MiB once unpacked (limit {MAX_UNZIPPED // 2**20} MiB); "
            f"refusing a possible zip bomb: split the {fmt} into smaller files"
        )
    if any(i.flag_bits & 1 for i in infos):
        raise InputError(f"{path}: the {fmt} is encrypted; save it again without a password")
    for info in infos:  # the libraries parse XML parts with entity expansion on: refuse any
        if not info.filename.lower().endswith(_MARKUP):
            continue  # media: the libraries' own errors for a damaged one are one line
        if _ENTITY.search(read_member(archive, info.filename, path, fmt).replace(b"\x00", b"")):
            raise InputError(f"{path}: {info.filename} declares XML entities, which are refused for safety; save the {fmt} again from its editor")


def read_member(archive: zipfile.ZipFile, name: str, path: Path, fmt: str) -> bytes:
    """A member of a zip container unpacked; damaged packed data or a wrong checksum is the one-line error."""
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        raise InputError(
            f"{path}: not a readable {fmt} (its part {name} is damaged); "
            f"get a fresh copy, or let its editor repair it and save it again"
        ) from None


def reader(path: Path) -> Callable[[Path], Blocks] | None:
    """The reader for a file's suffix, or None for plain text and HTML."""
    entry = READERS.get(path.suffix.lower())
    if entry is None:
        return None
    module = importlib.import_module(f"{__package__}.{entry[0]}")
    read: Callable[[Path], Blocks] = module.read
    return read


def _sentences(pid: str, text: str, lang: str) -> tuple[Sentence, ...]:
    return tuple(Sentence(f"{pid}.s{i}", s) for i, s in enumerate(split_sentences(text, lang), 1))


def document_from_blocks(doc_id: str, lang: str | None, found: Blocks, source: str, where: str = "") -> Document:
    """Number a reader's blocks like plain-text ingest: `{lang}.head.s1`, `{lang}.p3.s2` …
    (`source` is the file's name for the TEI header; `where`, its path for messages)."""
    from aligner.ingest.text import normalize

    title = squeeze(normalize(found.title))
    body = [replace(b, text=squeeze(normalize(b.text))) for b in found.body]
    if not title and not any(b.text for b in body):
        raise InputError(f"{where or source}: no text found in the file; is it the document, and not empty?")
    lang = lang or detect_language(" ".join(b.text for b in body[:5]) or title)
    paragraphs = []
    if title:
        paragraphs.append(Paragraph(f"{lang}.head", _sentences(f"{lang}.head", title, lang), "head"))
    for n, block in enumerate(body, 1):
        sents = _sentences(f"{lang}.p{n}", block.text, lang)
        if sents:
            paragraphs.append(Paragraph(f"{lang}.p{n}", sents, block.kind, block.start, block.end))
    meta = replace(found.meta, title=found.meta.title or title, source=source)
    return Document(doc_id, lang, tuple(paragraphs), meta)
