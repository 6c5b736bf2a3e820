"""`aligner qa`: check every link of every language pair and report what looks wrong."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from aligner.cli import main, report_skipped, user_errors
from aligner.cli.options import corpus_option, json_option
from aligner.corpus.store import load_readable, write_atomic
from aligner.qa import report
from aligner.qa.config import load_config
from aligner.qa.registry import all_checks
from aligner.qa.run import run_qa
from aligner.reader.markup import serialize


@main.command()
@click.argument("target", required=False)
@corpus_option
@json_option
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), help="TOML file switching checks off and setting thresholds (default: ./aligner-qa.toml if present).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), help="Also write the report as one HTML page.")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), help="Exit with status 2 when a finding is this severe (for CI).")
@click.option("--list-checks", is_flag=True, help="List the checks and their thresholds.")
@user_errors
def qa(
    target: str | None, corpus: Path, as_json: bool, config_path: Path | None, html_path: Path | None,
    fail_on: str | None, list_checks: bool,
) -> None:
    """Check the translations of TARGET (a document id or a corpus folder) link by link.

    Reports omissions, numbers and names that disagree, untranslated or wrong-language text,
    Simplified/Traditional mix-ups and conversion slips, punctuation and the region's quotation marks, inconsistent terms and
    weak links, each with severity, sentence ids, both texts and the reason.

    Example: aligner qa 000_bf7a112df29932bd --fail-on error --html qa.html

    In a corpus folder, a document that cannot be read is skipped with a message and the exit
    status is 1 (2 when --fail-on fails).
    """
    checks = all_checks()
    if list_checks:
        if as_json:
            click.echo(json.dumps([{"name": c.name, "family": c.family, "summary": c.summary, "settings": c.defaults} for c in checks.values()], ensure_ascii=False, indent=2))
            return
        for c in checks.values():
            params = " ".join(f"{k}={v:g}" for k, v in c.defaults.items())
            click.echo(f"{c.name:16} {c.family:12} {c.summary}{'  [' + params + ']' if params else ''}")
        return
    target = target or str(corpus)  # no TARGET: the whole --corpus
    config = load_config(config_path, checks)
    texts, skipped = load_readable(target, corpus)
    findings = run_qa(texts, config)
    title = f"Translation QA: {target}"
    if html_path is not None:
        write_atomic(html_path, serialize(report.html_report(findings, title)))
    if as_json:
        click.echo(json.dumps(report.as_json(findings, config.enabled(checks)) | {"skipped": skipped}, ensure_ascii=False, indent=2))
    elif sys.stdout.isatty():
        report.print_table(findings, title)
    else:
        click.echo("\n".join(report.plain(f) for f in findings) or "No findings.")
    report_skipped(skipped, final=False)
    if report.failing(findings, fail_on):  # type: ignore[arg-type]
        sys.exit(2)
    if skipped:
        sys.exit(1)
