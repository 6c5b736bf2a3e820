"""`aligner show`: the versions of a document side by side, one row per link."""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

import click

from aligner.cli import main, user_errors
from aligner.cli.options import (
    corpus_option,
    json_option,
    langs_option,
    threshold_option,
    usage_checked,
)
from aligner.corpus.model import ParallelText
from aligner.corpus.rows import Row, aligned_rows
from aligner.corpus.store import doc_ids, load
from aligner.formats.select import check_region, choose, english_first, tags_of
from aligner.reader.filters import (
    LOW_CONFIDENCE,
    grep_pattern,
    needs_review,
    parse_range,
    select_rows,
)


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
        "confidence": row.confidence,
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
        ids = doc_ids(corpus)
        click.echo(json.dumps(ids) if as_json else "\n".join(ids) or f"No documents in {corpus}")
        return
    text = load(corpus, doc_id)
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
        _print_table(rows, chosen, text.versions[chosen[0]].meta.title, pattern, threshold, pager, labels)
    else:
        for row in rows:
            click.echo(plain_row(row, chosen, threshold, labels))


def plain_row(row: Row, langs: list[str], threshold: float = LOW_CONFIDENCE, labels: Mapping[str, str] | None = None) -> str:
    """A row as lines of plain text: `[n] confidence [omission|review]`, then one line per version,
    named by its full tag (`labels`: zh-Hant → zh-Hant-TW)."""
    mark = " omission" if row.is_omission else (" review" if needs_review(row, threshold) else "")
    lines = [f"[{row.index}] {row.confidence:.2f}{mark}"]
    lines += [f"  {(labels or {}).get(lang, lang)}: {' '.join(s.text for s in row.cells[lang]) or '—'}" for lang in langs]
    return "\n".join(lines)


def _print_table(
    rows: list[Row], langs: list[str], title: str, pattern: re.Pattern[str] | None, threshold: float, pager: bool | None,
    labels: Mapping[str, str],
) -> None:
    """A rich table wrapped to the terminal width; rows to review in colour, matches highlighted."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_lines=True, expand=True)
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    for lang in langs:
        table.add_column(labels.get(lang, lang), ratio=1, overflow="fold")
    table.add_column("conf", justify="right", no_wrap=True)
    for row in rows:
        style = "red" if row.is_omission else ("yellow" if needs_review(row, threshold) else None)
        cells = [Text(" ".join(s.text for s in row.cells[lang]) or "—") for lang in langs]
        if pattern is not None:
            for cell in cells:
                cell.highlight_regex(pattern, style="bold black on bright_yellow")
        table.add_row(str(row.index), *cells, f"{row.confidence:.2f}", style=style)
    console = Console()
    height = shutil.get_terminal_size().lines
    if pager or (pager is None and len(rows) * 3 > height):
        with console.pager(styles=True):
            console.print(table)
    else:
        console.print(table)
