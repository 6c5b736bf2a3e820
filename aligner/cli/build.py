"""`aligner build`: the main job, seeds/ → corpora/."""

from __future__ import annotations

import json
from pathlib import Path

import click

from aligner.build import build as run_build
from aligner.cli import main, user_errors, warn_unrelated
from aligner.cli.options import corpus_option, json_option, quiet_option


@main.command()
@click.option(
    "--seeds",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("seeds"),
    show_default=True,
    help="Folder of texts: DOC.txt (language detected) or DOC.LANG.txt / .html, one per version.",
)
@corpus_option
@quiet_option
@json_option
@user_errors
def build(seeds: Path, corpus: Path, quiet: bool, as_json: bool) -> None:
    """Ingest every text under SEEDS, align its versions and write the TEI corpus.

    Example: aligner build --seeds seeds --corpus corpora

    Re-running on unchanged inputs rewrites nothing; links a person made are kept.
    """
    report = run_build(seeds, corpus, quiet=quiet)
    for doc_id, pairs in report.unrelated.items():
        for pair, share in pairs.items():
            warn_unrelated(f"{doc_id}: versions {pair}", share)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        return
    click.echo(f"Corpus written to {corpus.resolve()} ({len(report.changed)} files changed)")
    for doc_id, counts in report.sentences.items():
        sents = ", ".join(f"{lang} {n}" for lang, n in sorted(counts.items()))
        click.echo(f"  {doc_id}: sentences {sents}")
        for pair, kinds in report.links[doc_id].items():
            by_type = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
            click.echo(f"    links {pair}: {sum(kinds.values())} ({by_type})")
