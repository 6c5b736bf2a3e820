"""One document's page: its versions in rows joined by their links, with the reader's controls.

Every row is server-rendered HTML (readable without script, checkable by a parser); the script
only adds highlighting, pinning, keyboard moves, filters and layout choices.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from lxml import etree

from aligner.corpus.model import ParallelText
from aligner.corpus.rows import Row, aligned_rows
from aligner.ingest.langs import joiner
from aligner.reader.filters import LOW_CONFIDENCE, needs_review
from aligner.reader.index import Summary, lang_label, reading_order, summarize
from aligner.reader.markup import add, json_script, shell

EAGER_ROWS = 1000  # rows written as HTML; later ones are rendered by the script on demand


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
    opens: set[str] = set()
    heads: set[str] = set()
    for doc in text.versions.values():
        for para in doc.paragraphs:
            if para.sentences:
                opens.add(para.sentences[0].id)
            if para.kind == "head":
                heads.update(s.id for s in para.sentences)
    return opens, heads


def document_page(
    text: ParallelText, threshold: float = LOW_CONFIDENCE, eager: int = EAGER_ROWS
) -> etree._Element:
    """The page of one document, every version in reading order (English first).

    The first `eager` rows are HTML; the rest travel as JSON that the script renders as the
    reader scrolls or jumps, so a 30,000-sentence page still opens quickly.
    """
    return page_and_summary(text, threshold, eager)[0]


def page_and_summary(
    text: ParallelText, threshold: float = LOW_CONFIDENCE, eager: int = EAGER_ROWS
) -> tuple[etree._Element, Summary]:
    """`document_page`, and the document's summary it was made with (for the index: its rows
    are not worked out again)."""
    langs = reading_order(list(text.versions))
    rows = aligned_rows(text, langs)
    summary = summarize(text, threshold, rows)
    ids = anchor_ids(text)
    opens, heads = paragraph_marks(text)
    views = [row_view(row, langs, ids, opens, heads, threshold) for row in rows]
    root, head, body = shell(f"{summary.title} — parallel text", "../")
    joiners = {lang: joiner(lang) for lang in langs}
    json_script(head, "ui:data", {"langs": langs, "joiners": joiners, "tags": summary.tags})
    add(head, "script", src="../static/reader.js", defer="defer")
    body.set("class", "columns long" if len(views) > eager else "columns")
    _header(body, text, summary)
    main = add(body, "main", id="ui:main")
    labels = add(main, "div", cls="row labels", aria_hidden="true")
    add(labels, "span", "#", cls="gut")
    for lang in langs:
        add(labels, "span", lang_label(summary.tag(lang)), cls=f"cell c-{lang}")
    ol = add(main, "ol", cls="rows", id="ui:rows", aria_label="Aligned sentences")
    for view in views[:eager]:
        render_row(ol, view, langs, joiners, summary.tags)
    if len(views) > eager:
        add(main, "p", f"{len(views) - eager} more rows appear as you scroll.", id="ui:more", cls="more")
        json_script(body, "ui:rest", [row_json(v) for v in views[eager:]])
    return root, summary


@dataclass(frozen=True)
class RowView:
    """What a row shows: number, classes, review flag, and per version its tag and sentences."""

    n: int
    classes: str
    flag: str
    cells: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # per language: (tag, ((html id, text), …))


def row_view(
    row: Row,
    langs: list[str],
    ids: dict[tuple[str, str], str],
    opens: set[str],
    heads: set[str],
    threshold: float,
) -> RowView:
    """A row's presentation: paragraph break, review mark, heading cells."""
    first = [sents[0].id for sents in row.cells.values() if sents]
    classes = ["row"]
    if row.index and any(sid in opens for sid in first):
        classes.append("pb")
    flag = ""
    if needs_review(row, threshold):
        classes.append("review omission" if row.is_omission else "review")
        flag = "omission" if row.is_omission else f"check {row.confidence:.2f}"
    cells = []
    for lang in langs:
        sents = row.cells[lang]
        tag = "h2" if sents and all(s.id in heads for s in sents) else "div"
        cells.append((tag, tuple((ids[(lang, s.id)], s.text) for s in sents)))
    return RowView(row.index, " ".join(classes), flag, tuple(cells))


def row_json(view: RowView) -> list[object]:
    """The compact JSON form the script renders exactly as render_row does."""
    return [view.n, view.classes, view.flag, [[tag, [list(s) for s in sents]] for tag, sents in view.cells]]


def render_row(
    ol: etree._Element, view: RowView, langs: list[str], joiners: dict[str, str], tags: dict[str, str] | None = None
) -> None:
    """One list item: a gutter (number, review flag) and a cell per version, in its full
    language tag (`lang="zh-Hant-TW"`; `tags` maps version keys to them).

    reader.js `buildRow` makes the same markup from `row_json`; a browser test compares them.
    """
    li = add(ol, "li", cls=view.classes, data_n=str(view.n))
    gut = add(li, "span", str(view.n), cls="gut")
    if view.flag:
        add(gut, "span", view.flag, cls="flag")
    for lang, (tag, sents) in zip(langs, view.cells, strict=True):
        cell = add(li, tag, cls=f"cell c-{lang}", lang=(tags or {}).get(lang, lang))
        for k, (html_id, sentence) in enumerate(sents):
            span = add(cell, "span", sentence, cls="s", id=html_id, tabindex="-1")
            if k < len(sents) - 1:
                span.tail = joiners[lang]
        if not sents:
            add(cell, "span", "not in this version", cls="none", lang="en")


def _header(body: etree._Element, text: ParallelText, summary: Summary) -> None:
    """Title in every version, counts (sentences per version, rows, rows to review), and the reading controls."""
    header = add(body, "header", cls="top")
    nav = add(header, "nav", aria_label="Site")
    add(nav, "a", "All documents", href="../index.html")
    add(header, "h1", summary.title, lang=summary.tag(summary.title_lang))
    for lang in summary.langs:
        title = text.versions[lang].meta.title
        if lang != summary.title_lang and title:
            add(header, "p", title, cls="subtitle", lang=summary.tag(lang))
    sentences = [f"{lang_label(summary.tag(lang))} {n} sentences" for lang, n in summary.sentences.items()]
    facts = [summary.date, *sentences, f"{summary.rows} rows", f"{summary.review} rows to review"]
    add(header, "p", " · ".join(f for f in facts if f), cls="facts")
    tools = add(header, "div", cls="tools", role="toolbar", aria_label="Reading options")
    versions = add(tools, "fieldset", id="ui:versions")
    add(versions, "legend", "Versions")
    for lang in summary.langs:
        item = add(versions, "span", cls="version", data_lang=lang)
        label = add(item, "label")
        add(label, "input", type="checkbox", checked="checked", value=lang)
        add(label, "span", f" {lang_label(summary.tag(lang))}")
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
    add(label, "span", f" Show only what needs review ({summary.review})")
    add(check, "button", "Previous", type="button", id="ui:prev", aria_keyshortcuts="p")
    add(check, "button", "Next", type="button", id="ui:next", aria_keyshortcuts="n")
    add(header, "p", "Keys: j/k or ↓/↑ move by link, n/p next/previous to review, Esc unpins.", cls="keys")
