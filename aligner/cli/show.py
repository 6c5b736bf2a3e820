"""`aligner show`: the versions of a document side by side, one row per link."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from aligner.cli import main, user_errors
from aligner.cli.options import (
    corpus_option,
    json_option,
    langs_option,
    threshold_option,
    usage_checked,
)
from aligner.corpus.model import ParallelText, Sentence
from aligner.corpus.rows import Row, aligned_rows
from aligner.corpus.store import doc_ids, load_current, require_corpus
from aligner.formats.select import check_region, choose, english_first, tags_of
from aligner.ingest.langs import joiner
from aligner.reader.filters import (
    LOW_CONFIDENCE,
    confidence,
    grep_pattern,
    needs_review,
    parse_range,
    select_rows,
)

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text

MIN_COLUMN = 8  # cells a version's column needs in the table: four wide characters, or a short word


def parse_langs(value: str, text: ParallelText) -> list[str]:
    """`en,zh-Hant` → the document's version keys in column order; empty → every version, English
    first. A tag names the version within it (`select.within`): zh-Hant-HK is not a Taiwan version,
    zh is the one Chinese version."""
    tags = tags_of(text)
    if not value:
        return english_first(tags)
    chosen = choose(value, [tags])
    for asked, key in chosen.items():
        if key in tags:  # a version missing altogether is `aligned_rows`' error
            check_region(asked, key, tags[key])
    return list(chosen.values())


def none_left(doc_id: str, total: int, window: slice | None, only_review: bool, grep: bool) -> str:
    """Why the filters left no row of a document's `total`: a --range past them, or none to review or with the word."""
    if window is not None and (window.start or 0) >= total:
        return f"{doc_id} has {total} rows, numbered from 0; --range starts at row {window.start}, past them"
    wanted = [want for want, asked in (("needs review", only_review), ("holds the --grep word", grep)) if asked]
    return f"no row of {doc_id}{' in --range' if window else ''} {' and '.join(wanted)}" if wanted else ""


def row_json(row: Row, threshold: float = LOW_CONFIDENCE) -> dict[str, object]:
    """A row as a JSON object: sentence ids and texts per language, confidence, who made it."""
    return {
        "row": row.index,
        "confidence": confidence(row),
        "resp": row.resp,
        "omission": row.is_omission,
        "review": needs_review(row, threshold),
        "cells": {
            lang: [{"id": s.id, "text": s.text} for s in sents] for lang, sents in row.cells.items()
        },
    }


@main.command()
@click.argument("doc_id", required=False)
@langs_option
@corpus_option
@json_option
@click.option("--list", "list_docs", is_flag=True, help="List the documents in the corpus.")
@click.option("--only-review", is_flag=True, help="Only rows that need review: weak links and omissions.")
@click.option("--range", "window", metavar="START:END", callback=usage_checked(parse_range), help="Only rows START to END-1, e.g. 10:40 (either end may be left out).")
@click.option("--grep", "pattern", metavar="WORD", callback=usage_checked(grep_pattern), help="Only rows where a version contains WORD (Chinese also in its other script), highlighted.")
@threshold_option
@click.option("--pager/--no-pager", default=None, help="Page long output (default: on a terminal, when it is taller than the screen).")
@user_errors
def show(
    doc_id: str | None,
    langs: str,
    corpus: Path,
    as_json: bool,
    list_docs: bool,
    only_review: bool,
    window: slice | None,
    pattern: re.Pattern[str] | None,
    threshold: float,
    pager: bool | None,
) -> None:
    """Print the versions of DOC_ID side by side, one row per link.

    Plain text when the output is not a terminal; a table (paged when long) when it is.

    Example: aligner show 000_bf7a112df29932bd --only-review --grep sanction
    """
    if list_docs or not doc_id:
        ids = listed(corpus)
        click.echo(json.dumps(ids) if as_json else "\n".join(ids) or f"No documents in {corpus}")
        return
    text = load_current(corpus, doc_id)
    chosen = parse_langs(langs, text)
    every = aligned_rows(text, chosen)
    rows = select_rows(every, only_review, window, pattern, threshold)
    if not rows and (why := none_left(doc_id, len(every), window, only_review, pattern is not None)):
        click.echo(f"Note: {why}", err=True)
    labels = {lang: text.versions[lang].tag for lang in chosen}
    if as_json:
        payload = {"doc_id": doc_id, "langs": chosen, "tags": labels, "rows": [row_json(r, threshold) for r in rows]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif sys.stdout.isatty():
        _print_rows(rows, chosen, text.versions[chosen[0]].meta.title, pattern, threshold, pager, labels)
    else:
        for row in rows:
            click.echo(plain_row(row, chosen, threshold, labels))


def listed(corpus: Path) -> list[str]:
    """The documents `show` accepts, in id order (`doc_ids`); a corpus folder that is not there
    is the store's error, as for `show DOC`."""
    require_corpus(corpus)
    return doc_ids(corpus)


def cell_text(sentences: Sequence[Sentence], lang: str) -> str:
    """A version's sentences in a row as one text, joined as the language writes them (no space
    between Chinese or Japanese sentences), as the reading site does."""
    return joiner(lang).join(s.text for s in sentences)


def plain_row(row: Row, langs: list[str], threshold: float = LOW_CONFIDENCE, labels: Mapping[str, str] | None = None) -> str:
    """A row as lines of plain text: `[n] confidence [omission|review]` (no confidence for a row
    of one version: it has no link), then one line per version, named by its full tag
    (`labels`: zh-Hant → zh-Hant-TW)."""
    mark = " omission" if row.is_omission else (" review" if needs_review(row, threshold) else "")
    sure = confidence(row)
    lines = [f"[{row.index}]{'' if sure is None else f' {sure:.2f}'}{mark}"]
    lines += [f"  {(labels or {}).get(lang, lang)}: {cell_text(row.cells[lang], lang) or '—'}" for lang in langs]
    return "\n".join(lines)


def _print_rows(
    rows: list[Row], langs: list[str], title: str, pattern: re.Pattern[str] | None, threshold: float, pager: bool | None,
    labels: Mapping[str, str],
) -> None:
    """The rows on a terminal: a table wrapped to its width, or stacked as plain rows when a
    version's column would be narrower than `MIN_COLUMN` (a wide character in a column of one
    cell printed nothing); rows to review in colour, matches highlighted; paged when long."""
    from rich.console import Console

    console = Console()
    table = _table(rows, langs, title, pattern, threshold, labels)
    fits = min(_version_widths(table, console)) >= MIN_COLUMN
    shown: RenderableType = table if fits else _stacked(rows, langs, pattern, threshold, labels)
    height = shutil.get_terminal_size().lines
    if pager or (pager is None and len(rows) * 3 > height):
        with _less_shows_colours(), console.pager(styles=True):
            console.print(shown)
    else:
        console.print(shown)


def _style(row: Row, threshold: float) -> str | None:
    """The colour of a row: red for an omission, yellow for a weak link."""
    return "red" if row.is_omission else ("yellow" if needs_review(row, threshold) else None)


def _marked(text: str, pattern: re.Pattern[str] | None, style: str | None = None) -> Text:
    """Text with the --grep matches highlighted."""
    from rich.text import Text

    marked = Text(text, style=style or "")
    if pattern is not None:
        marked.highlight_regex(pattern, style="bold black on bright_yellow")
    return marked


def _table(
    rows: list[Row], langs: list[str], title: str, pattern: re.Pattern[str] | None, threshold: float, labels: Mapping[str, str]
) -> Table:
    """The rows as a rich table, a column per version, filling the terminal's width."""
    from rich.table import Table

    table = Table(title=title, show_lines=True, expand=True)
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    for lang in langs:
        table.add_column(labels.get(lang, lang), ratio=1, overflow="fold")
    table.add_column("conf", justify="right", no_wrap=True)
    for row in rows:
        sure = confidence(row)
        cells = [_marked(cell_text(row.cells[lang], lang) or "—", pattern) for lang in langs]
        table.add_row(str(row.index), *cells, "" if sure is None else f"{sure:.2f}", style=_style(row, threshold))
    return table


def _version_widths(table: Table, console: Console) -> list[int]:
    """The cells of text each version's column gets on this console, less the padding of a
    cell: rich's own layout (its `_calculate_column_widths`, which `Table` renders with; an
    estimate of ours gave 3 cells where rich gave 1)."""
    widths = table._calculate_column_widths(console, console.options)
    return [width - 2 for width in widths[1:-1]]


def _stacked(
    rows: list[Row], langs: list[str], pattern: re.Pattern[str] | None, threshold: float, labels: Mapping[str, str]
) -> Text:
    """The rows as `plain_row` writes them, one under another, coloured and highlighted as in the table."""
    from rich.text import Text

    return Text("\n").join(_marked(plain_row(row, langs, threshold, labels), pattern, _style(row, threshold)) for row in rows)


@contextmanager
def _less_shows_colours() -> Iterator[None]:
    """$LESS set to `-R` for the pager while it runs, unless the user has set $LESS: plain `less`
    (pydoc's pager when $PAGER is not set) shows colours as raw escape codes."""
    if "LESS" in os.environ:
        yield
        return
    os.environ["LESS"] = "-R"
    try:
        yield
    finally:
        os.environ.pop("LESS", None)
