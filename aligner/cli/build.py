"""`aligner build`: the main job, seeds/ → corpora/."""

from __future__ import annotations

import json
from pathlib import Path

import click

from aligner.build import BuildReport
from aligner.build import build as run_build
from aligner.cli import main, user_errors
from aligner.cli.options import (
    corpus_option,
    encoder_option,
    json_option,
    quiet_option,
    usage_checked,
)
from aligner.cluster import check_address
from aligner.parallel import cores


def _address(value: str) -> str:
    """`value`, when it is a Dask scheduler address (`cluster.check_address`); without the
    distributed package it passes, and the build says how to install it."""
    try:
        check_address(value)
    except ImportError:
        pass
    return value


@main.command()
@click.option(
    "--seeds",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("seeds"),
    show_default=True,
    help="Folder of texts: DOC.txt (language detected) or DOC.LANG.txt / .html, one per version.",
)
@corpus_option
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=cores(), show_default="all cores",
    help="Align this many documents at once, each in its own process.",
)
@click.option(
    "--scheduler", metavar="tcp://HOST:PORT", callback=usage_checked(_address),
    help="Run the documents on this Dask cluster instead; seeds, corpus and cache must be on storage every worker sees.",
)
@encoder_option
@click.option("--force", is_flag=True, help="Align every document again, even those whose fingerprint is unchanged.")
@click.option(
    "--prune", is_flag=True,
    help="Remove the corpus's documents that no seed names any more and that hold no person's work (those that do stay, named in the summary).",
)
@quiet_option
@json_option
@user_errors
def build(
    seeds: Path, corpus: Path, jobs: int, scheduler: str | None, encoder: str, force: bool, prune: bool, quiet: bool,
    as_json: bool,
) -> None:  # fmt: skip
    """Ingest every text under SEEDS, align its versions and write the TEI corpus.

    Example: aligner build --seeds seeds --corpus corpora --jobs 4

    A document whose texts, a person's links and the engine configuration are unchanged is
    skipped (its fingerprint is in align.xml), so a re-run, or one after a killed build, does
    only what is left. Links a person made are kept; one whose sentences changed more than
    slightly is dropped, and the summary, --json and the document's history say so. Documents
    of the corpus that no seed names any more are listed (--prune removes those without a
    person's work). The corpus is the same byte for byte whatever --jobs or --scheduler.
    """
    given = click.get_current_context().get_parameter_source("jobs") is not click.core.ParameterSource.DEFAULT
    if scheduler and given:
        click.echo("Warning: --jobs is not used with --scheduler: the cluster's workers run the documents", err=True)
    report = run_build(seeds, corpus, quiet=quiet, jobs=jobs, scheduler=scheduler, encoder=encoder, force=force, prune=prune)
    for line in report.unrelated_lines():
        click.echo(f"Warning: {line}", err=True)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        return
    click.echo(f"Corpus written to {corpus.resolve()} ({', '.join(_counts(report))})")
    for doc_id, counts in report.sentences.items():
        sents = ", ".join(f"{lang} {n}" for lang, n in sorted(counts.items()))
        click.echo(f"  {doc_id}: sentences {sents}")
        for pair, kinds in report.links[doc_id].items():
            by_type = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
            click.echo(f"    links {pair}: {sum(kinds.values())} ({by_type})")
        for lk in report.dropped.get(doc_id, ()):
            click.echo(f"    dropped a link made by a person, {'-'.join(lk.pair)} {lk.shown()}: {lk.why} (in `aligner edit {doc_id} history`)")
    for doc in report.stale:  # with --prune, only those that hold a person's work are left
        click.echo(f"  {doc.doc_id}: {'not removed (--prune): ' if prune else ''}{doc.fix}")
    for doc_id in report.pruned:
        click.echo(f"  {doc_id}: removed (--prune): no seed names it, and it held no person's work")


def _counts(report: BuildReport) -> list[str]:
    """The summary's first line after the corpus: files changed, documents skipped, links of a
    person dropped, documents with no seed, left and removed."""
    dropped = sum(len(links) for links in report.dropped.values())
    return [
        f"{len(report.changed)} files changed",
        *([f"{len(report.skipped)} documents unchanged and skipped"] if report.skipped else []),
        *([f"{dropped} link{'s' * (dropped != 1)} made by a person dropped"] if dropped else []),
        *([f"{len(report.stale)} document{'s' * (len(report.stale) != 1)} with no seed left in place"] if report.stale else []),
        *([f"{len(report.pruned)} document{'s' * (len(report.pruned) != 1)} with no seed removed"] if report.pruned else []),
    ]
