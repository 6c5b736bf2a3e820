"""One document's page: its versions in rows joined by their links, with the reader's controls.

Every row is server-rendered HTML (readable without script, checkable by a parser); the script
only adds highlighting, pinning, keyboard moves, filters and layout choices.
"""

from __future__ import annotations

from collections import Counter

from lxml import etree

from aligner.model import ParallelText
from aligner.reader.filters import LOW_CONFIDENCE, needs_review
from aligner.reader.index import Summary, lang_label, summarize
from aligner.reader.markup import add, json_script, shell
from aligner.rows import Row, aligned_rows

_NO_SPACES = {"zh", "ja"}  # languages written without spaces between sentences


def anchor_ids(text: ParallelText) -> dict[tuple[str, str], str]:
    """The HTML id (and URL fragment) of each sentence: its own id, `lang:id` where versions share ids."""
    seen = Counter(s.id for doc in text.versions.values() for s in doc.sentences())
    return {
        (lang, s.id): s.id if seen[s.id] == 1 else f"{lang}:{s.id}"
        for lang, doc in text.versions.items()
        for s in doc.sentences()
    }


def paragraph_marks(text: ParallelText) -> tuple[set[str], set[str]]:
    """Sentence ids that open a paragraph, and those in a heading."""
    opens, heads = set(), set()
    for doc in text.versions.values():
        for para in doc.paragraphs:
            if para.sentences:
                opens.add(para.sentences[0].id)
            if para.kind == "head":
                heads.update(s.id for s in para.sentences)
    return opens, heads


def document_page(text: ParallelText, threshold: float = LOW_CONFIDENCE) -> etree._Element:
    """The page of one document, every version in reading order (English first)."""
    summary = summarize(text, threshold)
    langs = list(summary.langs)
    rows = aligned_rows(text, langs)
    root, head, body = shell(f"{summary.title} — parallel text", "../")
    review = sum(1 for r in rows if needs_review(r, threshold))
    json_script(head, "ui:data", {"doc": text.doc_id, "langs": langs, "threshold": threshold})
    add(head, "script", src="../static/reader.js", defer="defer")
    body.set("class", "columns")
    _header(body, text, summary, review)
    main = add(body, "main", id="ui:main")
    labels = add(main, "div", cls="row labels", aria_hidden="true")
    add(labels, "span", "#", cls="gut")
    for lang in langs:
        add(labels, "span", lang_label(lang), cls=f"cell c-{lang}")
    ol = add(main, "ol", cls="rows", id="ui:rows", aria_label="Aligned sentences")
    ids = anchor_ids(text)
    opens, heads = paragraph_marks(text)
    for row in rows:
        _row(ol, row, langs, ids, opens, heads, threshold)
    return root


def _header(body: etree._Element, text: ParallelText, summary: Summary, review: int) -> None:
    """Title in every version, counts, and the reading controls."""
    header = add(body, "header", cls="top")
    nav = add(header, "nav", aria_label="Site")
    add(nav, "a", "All documents", href="../index.html")
    add(header, "h1", summary.title, lang=summary.title_lang)
    for lang in summary.langs:
        title = text.versions[lang].meta.title
        if lang != summary.title_lang and title:
            add(header, "p", title, cls="subtitle", lang=lang)
    facts = [summary.date, f"{summary.links} links", f"{review} rows to review"]
    facts[1:1] = [f"{lang_label(lang)} {n} sentences" for lang, n in summary.sentences.items()]
    add(header, "p", " · ".join(f for f in facts if f), cls="facts")
    tools = add(header, "div", cls="tools", role="toolbar", aria_label="Reading options")
    versions = add(tools, "fieldset", id="ui:versions")
    add(versions, "legend", "Versions")
    for lang in summary.langs:
        item = add(versions, "span", cls="version", data_lang=lang)
        label = add(item, "label")
        add(label, "input", type="checkbox", checked="checked", value=lang)
        add(label, "span", f" {lang_label(lang)}")
        add(item, "button", "←", type="button", cls="move", data_step="-1", aria_label=f"Move {lang} left")
        add(item, "button", "→", type="button", cls="move", data_step="1", aria_label=f"Move {lang} right")
    layout = add(tools, "fieldset", id="ui:layout")
    add(layout, "legend", "Layout")
    for value, text_label in (("columns", "Columns"), ("interleaved", "Interleaved")):
        label = add(layout, "label")
        box = add(label, "input", type="radio", name="layout", value=value)
        if value == "columns":
            box.set("checked", "checked")
        add(label, "span", f" {text_label}")
    check = add(tools, "fieldset", id="ui:review")
    add(check, "legend", "Review")
    label = add(check, "label")
    add(label, "input", type="checkbox", id="ui:review-only")
    add(label, "span", f" Show only what needs review ({review})")
    add(check, "button", "Previous", type="button", id="ui:prev", aria_keyshortcuts="p")
    add(check, "button", "Next", type="button", id="ui:next", aria_keyshortcuts="n")
    add(header, "p", "Keys: j/k or ↓/↑ move by link, n/p next/previous to review, Esc unpins.", cls="keys")


def _row(
    ol: etree._Element,
    row: Row,
    langs: list[str],
    ids: dict[tuple[str, str], str],
    opens: set[str],
    heads: set[str],
    threshold: float,
) -> None:
    """One list item: a gutter (number, review flag) and a cell per version."""
    first = [sents[0].id for sents in row.cells.values() if sents]
    classes = ["row"]
    if row.index and any(sid in opens for sid in first):
        classes.append("pb")
    flag = ""
    if needs_review(row, threshold):
        classes.append("review omission" if row.is_omission else "review")
        flag = "omission" if row.is_omission else f"check {row.confidence:.2f}"
    li = add(ol, "li", cls=" ".join(classes), data_n=str(row.index))
    gut = add(li, "span", str(row.index), cls="gut")
    if flag:
        add(gut, "span", flag, cls="flag")
    for lang in langs:
        sents = row.cells[lang]
        tag = "h2" if sents and all(s.id in heads for s in sents) else "div"
        cell = add(li, tag, cls=f"cell c-{lang}", lang=lang)
        for k, s in enumerate(sents):
            span = add(cell, "span", s.text, cls="s", id=ids[(lang, s.id)], tabindex="-1")
            if k < len(sents) - 1 and lang.split("-")[0] not in _NO_SPACES:
                span.tail = " "
        if not sents:
            add(cell, "span", "not in this version", cls="none", lang="en")
