"""`aligner show`: the versions of a document side by side, one row per link."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from aligner.cli import main, user_errors
from aligner.cli.options import corpus_option, json_option, langs_option
from aligner.langs import normalize_tag
from aligner.rows import Row, aligned_rows
from aligner.store import doc_ids, load


def parse_langs(value: str, available: list[str]) -> list[str]:
    """`en,zh-Hant` → tags; empty → every version, English first."""
    if not value:
        return sorted(available, key=lambda lang: (lang != "en", lang))
    return [normalize_tag(v) for v in value.split(",") if v.strip()]


def row_json(row: Row) -> dict[str, object]:
    """A row as a JSON object: sentence ids and texts per language, confidence, who made it."""
    return {
        "row": row.index,
        "confidence": row.confidence,
        "resp": row.resp,
        "omission": row.is_omission,
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
@user_errors
def show(doc_id: str | None, langs: str, corpus: Path, as_json: bool, list_docs: bool) -> None:
    """Print the versions of DOC_ID side by side, one row per link.

    Example: aligner show 000_bf7a112df29932bd --langs en,zh-Hant
    """
    if list_docs or not doc_id:
        ids = doc_ids(corpus)
        click.echo(json.dumps(ids) if as_json else "\n".join(ids) or f"No documents in {corpus}")
        return
    text = load(corpus, doc_id)
    chosen = parse_langs(langs, list(text.versions))
    rows = aligned_rows(text, chosen)
    if as_json:
        payload = {"doc_id": doc_id, "langs": chosen, "rows": [row_json(r) for r in rows]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif sys.stdout.isatty():
        _print_table(rows, chosen, text.versions[chosen[0]].meta.title)
    else:
        for row in rows:
            click.echo(f"[{row.index}] {row.confidence:.2f}{' omission' if row.is_omission else ''}")
            for lang in chosen:
                click.echo(f"  {lang}: {' '.join(s.text for s in row.cells[lang]) or '—'}")


def _print_table(rows: list[Row], langs: list[str], title: str) -> None:
    """A rich table wrapped to the terminal width; low-confidence rows and omissions in colour."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=True, expand=True)
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    for lang in langs:
        table.add_column(lang, ratio=1, overflow="fold")
    table.add_column("conf", justify="right", no_wrap=True)
    for row in rows:
        style = "red" if row.is_omission else ("yellow" if row.confidence < 0.5 else None)
        cells = [" ".join(s.text for s in row.cells[lang]) or "—" for lang in langs]
        table.add_row(str(row.index), *cells, f"{row.confidence:.2f}", style=style)
    Console().print(table)
