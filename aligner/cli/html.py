"""`aligner html`: write the reader as a static site, one page per document."""

from __future__ import annotations

import json
from pathlib import Path

import click

from aligner.cli import main, report_skipped, user_errors
from aligner.cli.options import corpus_option, json_option, quiet_option, threshold_option
from aligner.corpus.store import load_readable
from aligner.reader.site import build_site


@main.command()
@click.argument("target", required=False)
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder to write the site into.")
@threshold_option
@corpus_option
@quiet_option
@json_option
@user_errors
def html(target: str | None, out_dir: Path, threshold: float, corpus: Path, quiet: bool, as_json: bool) -> None:
    """Write a static reader site for TARGET (a document id or a corpus folder) into OUT.

    The site needs no network: open OUT/index.html in a browser or put OUT on any static host.
    A document that cannot be read is skipped with a message, and the exit status is 1.

    Example: aligner html corpora -o site
    """
    texts, skipped = load_readable(target or str(corpus), corpus)  # no TARGET: the whole --corpus
    written = build_site(texts, out_dir, threshold, quiet)
    if as_json:
        report = {"out": str(out_dir), "documents": [t.doc_id for t in texts], "written": [str(p) for p in written], "skipped": skipped}
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(f"Site written to {out_dir}: {len(texts)} documents, {len(written)} files changed; open {out_dir / 'index.html'}")
    report_skipped(skipped)
