"""`aligner search`: a parallel concordance of the corpus, keyword in context with aligned sentences."""

from __future__ import annotations

import json
from pathlib import Path

import click

from aligner.cli import main, report_skipped, user_errors
from aligner.cli.options import corpus_option, json_option, language_tag
from aligner.ingest.langs import split_tag
from aligner.search.index import Hit, find


@main.command()
@click.argument("query")
@click.option("--lang", default="", callback=language_tag, help="Match only sentences of the versions within this tag: zh (every Chinese version), zh-Hant (every Traditional one, zh-Hant-TW and zh-Hant-HK alike), zh-Hant-HK (Hong Kong's only), en.")
@click.option("--regex", "use_regex", is_flag=True, help="QUERY is a regular expression (Python regex syntax, matched within one sentence); literals and rare characters every match needs narrow the search first.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="At most this many matching sentences.")
@corpus_option
@json_option
@user_errors
def search(query: str, lang: str, use_regex: bool, limit: int, corpus: Path, as_json: bool) -> None:
    """Find QUERY in the corpus; show each match in context with its aligned sentences.

    Example: aligner search '"the earth"' --lang en --corpus corpora

    QUERY uses FTS5 syntax: words, "a phrase", AND, OR, NOT, prefix*. Chinese needs no word
    breaks, and Simplified finds Traditional (and the reverse); Latin words and numbers inside
    Chinese are words, and full-width forms and either script's quote marks match their plain
    forms. A number matches however its digits are grouped: 1250 finds 1,250, 1 250, １，２５０
    and German 1.250 (a sentence's point or comma before three digits is read as its language
    writes decimals: English 1.250 inches is a decimal); a query's 1.250 or 1,250 finds both
    numbers it can mean; decimals stay apart (2,480.5 is not 24805). --regex matches the text as
    written. The index is corpus/.search.sqlite,
    refreshed when a TEI file changes; delete it at will: a damaged one is made anew, and where it
    cannot be written (a read-only folder) a temporary one serves each search. A document that
    cannot be read is left out of the index and named on stderr, and the exit status is 1, until
    its files change.
    A hit in a version with a region shows its full tag after its id, e.g. (zh-Hant-HK).
    """
    found = find(corpus, query, lang or None, use_regex, limit)
    hits = found.hits
    if as_json:
        click.echo(json.dumps([h.as_json() for h in hits], ensure_ascii=False, indent=2))
    elif not hits:
        click.echo(f"No match for {query} in {corpus}")
    else:
        for hit in hits:
            left, key, right = hit.kwic()
            click.echo(f"{place(hit)}: {left}{click.style(key, bold=True, fg='yellow')}{right}")
            for other, texts in hit.aligned.items():
                click.echo(f"    {other}: {' '.join(texts)}")
    report_skipped(found.unreadable)


def place(hit: Hit) -> str:
    """Where a hit is: document and sentence id, and the version's full tag when it has a region,
    since the id's key (zh-Hant.p1.s1) is the same for Taiwan's version and Hong Kong's."""
    where = f"{hit.doc_id} {hit.sid}"
    return f"{where} ({hit.lang})" if split_tag(hit.lang)[1] else where
