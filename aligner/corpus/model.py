"""The one data model: documents in several language versions, their sentences, and links.

Readers and writers of every format convert to and from these frozen dataclasses; nothing else
in the package handles raw XML.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from aligner.errors import CorpusError
from aligner.ingest.langs import full_tag

# A document id names the document's folder in the corpus: letters, digits, '_', '.' and '-',
# never a path (no separator; '.' and '..' cannot start one). Build, import, show and the editor
# take the same ids.
DOC_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}")


_OUTSIDE_ID = re.compile(r"[^A-Za-z0-9_.-]+")


def safe_doc_id(raw: str) -> str:
    """A document id (`DOC_ID`) for an id from a file: the last part of a path-like one (`../../x`
    → x, `docs/ch1.html` → ch1.html, `C:\\My Docs\\a b.docx` → a_b.docx), other characters than
    letters, digits, '_', '.' and '-' as '_'; one with none of those left (报告) becomes `doc-`
    and a digest of it, the same each time."""
    name = _OUTSIDE_ID.sub("_", re.split(r"[/\\]", raw.strip())[-1]).strip("._-")[:200]
    if not DOC_ID.fullmatch(name) or not re.search(r"[A-Za-z0-9]", name):
        name = "doc-" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return name


def checked_id(doc_id: str) -> str:
    """A document id from a user or a request, refused unless it is one (`DOC_ID`)."""
    if not DOC_ID.fullmatch(doc_id):
        raise CorpusError(f"'{doc_id}' is not a document id: ids are letters, digits, '_', '.' and '-'; see `aligner show --list`")
    return doc_id

ParagraphKind = Literal["head", "p", "note"]  # note: a footnote of the source, after its paragraph
Resp = Literal["machine", "person"]


@dataclass(frozen=True)
class Sentence:
    """One sentence of one language version, with its stable id (an XML NCName)."""

    id: str
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph, a heading (`kind="head"`: the title, or a section's heading) or a note, as a run of sentences.

    `start`/`end` are a subtitle cue's times in milliseconds (None for text that has no timing).
    """

    id: str
    sentences: tuple[Sentence, ...]
    kind: ParagraphKind = "p"
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Metadata:
    """What the page says about the text, plus what we say about where this version comes from."""

    title: str = ""
    date: str = ""  # ISO 8601 (YYYY-MM-DD) when known
    author: str = ""
    affiliation: str = ""
    source: str = ""  # where the text came from: a file name, a URL, a publisher
    translator: str = ""  # for translations: who or what produced this version
    note: str = ""  # free text for the header, e.g. "translation prepared for this corpus"


@dataclass(frozen=True)
class Document:
    """One language version of a text.

    `lang` is the version's key, a BCP 47 tag without region (en, zh-Hans, zh-Hant): it names
    the file and the sentence ids. `region` says whose usage the text follows (TW, HK, or ""),
    and `tag` is the whole language (zh-Hant-TW), the one to show and to write into TEI.
    """

    doc_id: str
    lang: str
    paragraphs: tuple[Paragraph, ...]
    meta: Metadata = field(default_factory=Metadata)
    region: str = ""

    @property
    def tag(self) -> str:
        """The version's full BCP 47 tag: its key with the region (zh-Hant-TW)."""
        return full_tag(self.lang, self.region)

    def sentences(self) -> Iterator[Sentence]:
        """Every sentence in reading order, heading first."""
        for para in self.paragraphs:
            yield from para.sentences

    def sentence_index(self) -> dict[str, Sentence]:
        """Sentences by id."""
        return {s.id: s for s in self.sentences()}


@dataclass(frozen=True)
class Note:
    """A note on a link from a translator or a CAT tool (an XLIFF unit's note), kept for export."""

    text: str
    category: str = ""  # XLIFF 2 @category, 1.2 @from
    about: str = ""  # the version it is about (XLIFF appliesTo/annotates source or target), "" for the link


@dataclass(frozen=True)
class State:
    """A CAT tool's state of a link, as its XLIFF file gave it, so that export gives it back."""

    value: str = ""  # 2.x initial, translated, reviewed, final; 1.2 new … signed-off, x-…
    sub: str = ""  # 2.x subState (prefix:value), 1.2 state-qualifier
    approved: str = ""  # 1.2 trans-unit@approved: yes, no, or "" when the file did not say


@dataclass(frozen=True)
class Link:
    """A bead joining sentences of two versions; one side may be empty (an omission).

    `confidence` is in [0, 1]; `resp` says whether a machine proposed it or a person made or
    confirmed it (links a person made survive re-alignment). `notes` and `state` are what a
    CAT tool's XLIFF said of the unit the link came from.
    """

    src: tuple[str, ...]
    tgt: tuple[str, ...]
    confidence: float = 1.0
    resp: Resp = "machine"
    notes: tuple[Note, ...] = ()
    state: State | None = None

    @property
    def kind(self) -> str:
        """The bead type as the field writes it: 1-1, 2-1, 1-0 …"""
        return f"{len(self.src)}-{len(self.tgt)}"


@dataclass(frozen=True)
class Alignment:
    """The links between two language versions of one document, in reading order."""

    src_lang: str
    tgt_lang: str
    links: tuple[Link, ...]
    signature: str = ""  # how the machine links were made (engine, model, parameters)

    @property
    def pair(self) -> tuple[str, str]:
        return (self.src_lang, self.tgt_lang)


@dataclass(frozen=True)
class Change:
    """One edit a person made to a document: when (ISO 8601, UTC), who, what, and which sentences
    (`lang.xml#id`) or link groups (`#en--zh-Hans`) it touched."""

    when: str
    who: str
    what: str
    target: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParallelText:
    """A document in all its language versions, with the alignments between them."""

    doc_id: str
    versions: Mapping[str, Document]
    alignments: tuple[Alignment, ...] = ()
    fingerprint: str = ""  # what the last build aligned from (`aligner.fingerprint`); "" when unknown
    changes: tuple[Change, ...] = ()  # what people changed by hand, oldest first (the TEI revisionDesc)

    def __repr__(self) -> str:
        """A summary, not every sentence (a notebook cell showing a document printed 37,000
        characters for a 54-sentence article)."""
        versions = ", ".join(f"{lang}: {sum(1 for _ in doc.sentences())} sentences" for lang, doc in self.versions.items())
        links = ", ".join(f"{al.src_lang}-{al.tgt_lang}: {len(al.links)} links" for al in self.alignments)
        return f"ParallelText({self.doc_id!r}, versions {{{versions}}}, alignments {{{links}}}, {len(self.changes)} changes)"

    def alignment(self, src_lang: str, tgt_lang: str) -> Alignment | None:
        """The alignment for a pair, turned around if it is stored the other way."""
        for al in self.alignments:
            if al.pair == (src_lang, tgt_lang):
                return al
            if al.pair == (tgt_lang, src_lang):
                return reverse(al)
        return None


def reverse(al: Alignment) -> Alignment:
    """The same alignment seen from the other side."""
    links = tuple(replace(lk, src=lk.tgt, tgt=lk.src) for lk in al.links)
    return Alignment(al.tgt_lang, al.src_lang, links, al.signature)
