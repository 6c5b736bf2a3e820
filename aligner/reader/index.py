"""The site's index: one line per document with its title, date, versions, rows and the rows to review."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from lxml import etree

from aligner.corpus.model import ParallelText
from aligner.corpus.rows import Row, aligned_rows
from aligner.corpus.tei import LANGUAGE_NAMES, language_name
from aligner.errors import CorpusError
from aligner.ingest.langs import normalize_tag
from aligner.reader.filters import LOW_CONFIDENCE, needs_review
from aligner.reader.markup import add, shell

_SAFE_ID = re.compile(r"\w[\w.-]*")


@dataclass(frozen=True)
class Summary:
    """What the index says about one document."""

    doc_id: str
    title: str
    title_lang: str
    date: str
    langs: tuple[str, ...]
    sentences: dict[str, int]
    rows: int  # the rows a reader sees: sentences of every version joined by their links
    review: int  # rows that need review: a version missing, or a weak machine link (`needs_review`)
    tags: dict[str, str] = field(default_factory=dict)  # version key → its full tag (zh-Hant → zh-Hant-TW)

    def tag(self, lang: str) -> str:
        """A version's full BCP 47 tag, region included."""
        return self.tags.get(lang, lang)


def reading_order(langs: list[str]) -> list[str]:
    """Versions in the order a reader sees them by default: English first, then by tag."""
    return sorted(langs, key=lambda lang: (lang != "en", lang))


def summarize(text: ParallelText, threshold: float = LOW_CONFIDENCE, rows: Sequence[Row] | None = None) -> Summary:
    """Counts for the index and the page header; `rows` are the document's in reading order,
    when the caller has them (they are made again otherwise)."""
    langs = tuple(reading_order(list(text.versions)))
    titled = [lang for lang in langs if text.versions[lang].meta.title]
    title_lang = titled[0] if titled else langs[0] if langs else "en"
    meta = text.versions[title_lang].meta if text.versions else None
    rows = aligned_rows(text, list(langs)) if rows is None else rows
    return Summary(
        doc_id=text.doc_id,
        title=(meta.title if meta and meta.title else text.doc_id),
        title_lang=title_lang if titled else "en",
        date=next((text.versions[lang].meta.date for lang in langs if text.versions[lang].meta.date), ""),
        langs=langs,
        sentences={lang: sum(1 for _ in text.versions[lang].sentences()) for lang in langs},
        rows=len(rows),
        review=sum(1 for row in rows if needs_review(row, threshold)),
        tags={lang: text.versions[lang].tag for lang in langs},
    )


def page_name(doc_id: str) -> str:
    """Where a document's page lives, relative to the site root (ids are plain file names)."""
    if not _SAFE_ID.fullmatch(doc_id):
        raise CorpusError(f"document id '{doc_id}' cannot name a page; use letters, digits, '.', '_' or '-'")
    return f"docs/{doc_id}.html"


def lang_label(tag: str) -> str:
    """`English (en)`, `Chinese (Traditional script, Taiwan) (zh-Hant-TW)`: the name readers know
    and the tag tools use."""
    return f"{language_name(tag)} ({tag})" if normalize_tag(tag) in LANGUAGE_NAMES else tag


def index_page(summaries: list[Summary], threshold: float, published: Collection[str] | None = None) -> etree._Element:
    """The index page: a table of documents linking to their pages; a document whose page is
    not among `published` (default: all are) is listed without a link, with how to write it."""
    root, _head, body = shell("Parallel texts", "")
    header = add(body, "header", cls="top")
    add(header, "h1", "Parallel texts")
    main = add(body, "main")
    if not summaries:
        add(main, "p", "No documents in this corpus yet; run `aligner build` first.")
        return root
    table = add(main, "table", cls="index")
    add(table, "caption", f"{len(summaries)} documents; a row is to review when a version is missing from it"
                          f" or a machine link in it has a confidence below {threshold:g}")
    heads = add(add(table, "thead"), "tr")
    for label in ("Title", "Date", "Versions", "Sentences", "Rows", "To review"):
        add(heads, "th", label, scope="col")
    tbody = add(table, "tbody")
    for s in summaries:
        tr = add(tbody, "tr")
        cell = add(tr, "td")
        linked = published is None or s.doc_id in published
        title = add(cell, "a", href=quote(page_name(s.doc_id))) if linked else cell
        add(title, "span", s.title, lang=s.tag(s.title_lang))
        add(cell, "div", s.doc_id if linked else f"{s.doc_id}: no page yet; write it with `aligner html {s.doc_id} -o SITE`", cls="id")
        add(tr, "td", s.date or "—")
        add(tr, "td", ", ".join(map(s.tag, s.langs)))
        add(tr, "td", " · ".join(f"{s.tag(lang)} {n}" for lang, n in s.sentences.items()), cls="num")
        add(tr, "td", str(s.rows), cls="num")
        add(tr, "td", f"{s.review} ({s.review / s.rows:.0%})" if s.rows else "—", cls="num")
    return root
