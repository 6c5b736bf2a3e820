"""`aligner html`: write the reader as a static site, one page per document."""

from __future__ import annotations

import json
from pathlib import Path

import click

from aligner.cli import main, report_skipped, user_errors
from aligner.cli.options import corpus_option, json_option, quiet_option, threshold_option
from aligner.corpus.store import doc_ids, load_readable
from aligner.reader.site import build_site, corpus_of, remove_withdrawn


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
    Its index lists every document of the corpus, also when TARGET is one document (only its
    page is written again); the pages it wrote for documents no longer in the corpus are removed.
    A document that cannot be read is skipped with a message, and the exit status is 1.

    Example: aligner html corpora -o site
    """
    folder, whole = corpus_of(target, corpus)
    texts, skipped = load_readable(target or str(corpus), corpus)  # no TARGET: the whole --corpus
    listed, unread = (texts, []) if whole else load_readable(str(folder), folder)
    removed = remove_withdrawn(out_dir, set(doc_ids(folder)))
    written = build_site(texts, out_dir, threshold, quiet, listed)
    for page in removed:
        click.echo(f"Removed {page}: {page.stem} is no longer in {folder}", err=True)
    for reason in unread:  # another document the index cannot list: said, but not a failure of this page's writing
        click.echo(f"Left out of the index: {reason}", err=True)
    if as_json:
        report = {"out": str(out_dir), "documents": [t.doc_id for t in texts], "written": [str(p) for p in written],
                  "removed": [str(p) for p in removed], "skipped": skipped, "unlisted": unread}  # fmt: skip
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(f"Site written to {out_dir}: {len(texts)} documents, {len(written)} files changed; open {out_dir / 'index.html'}")
    report_skipped(skipped)
