"""`aligner pair`: which file of one folder translates which file of another."""

from __future__ import annotations

import json
from pathlib import Path

import click

from aligner.cli import main, user_errors
from aligner.cli.options import encoder_option, json_option, usage_checked
from aligner.errors import LanguageError


def _langs(value: str) -> tuple[str, str]:
    """`en,zh-Hans` → the version keys of DIR_A's and DIR_B's languages (`folder_languages`)."""
    from aligner.pairing import folder_languages

    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2 or not all(parts):
        raise LanguageError(f"{value}: give the two folders' languages, e.g. --langs en,zh-Hans")
    return folder_languages((parts[0], parts[1]))


@main.command("pair")
@click.argument("dir_a", type=click.Path(path_type=Path))
@click.argument("dir_b", type=click.Path(path_type=Path))
@click.option("--langs", required=True, callback=usage_checked(_langs), help="Languages of DIR_A and DIR_B, comma-separated: en,zh-Hans.")
@click.option(
    "--write-seeds", type=click.Path(file_okay=False, path_type=Path),
    help="Copy the pairs into this folder as DOC.LANG.ext, ready for `aligner build --seeds`.",
)  # fmt: skip
@encoder_option
@json_option
@user_errors
def pair_command(dir_a: Path, dir_b: Path, langs: tuple[str, str], write_seeds: Path | None, encoder: str, as_json: bool) -> None:
    """Decide which document of DIR_A is the translation of which document of DIR_B.

    Example: aligner pair crawl/en crawl/zh --langs en,zh-Hans --write-seeds seeds

    Prints one line per pair (A file, B file, confidence) and, on stderr, the files left without
    a partner and those that look written in another language than --langs gives their folder.
    Nothing is written unless --write-seeds is given.
    """
    from aligner.pairing import pair_keys
    from aligner.pairing import write_seeds as copy_pairs

    report = pair_keys(dir_a, dir_b, langs, encoder)
    for line in report.off_language_lines("--langs"):
        click.echo(f"Warning: {line}", err=True)
    written = copy_pairs(report, write_seeds) if write_seeds else []
    if as_json:
        click.echo(json.dumps({**report.as_json(), "written": [str(p) for p in written]}, ensure_ascii=False, indent=2))
        return
    for a, b, confidence in report.pairs:
        click.echo(f"{a}\t{b}\t{confidence:.3f}")
    for side, files in (("A", report.unpaired_a), ("B", report.unpaired_b)):
        for path in files:
            click.echo(f"unpaired in {side}: {path}", err=True)
    click.echo(
        f"{len(report.pairs)} pairs; {len(report.unpaired_a)} files of {dir_a} and {len(report.unpaired_b)} of"
        f" {dir_b} without a partner" + (f"; {len(written)} files written to {write_seeds}" if written else ""),
        err=True,
    )
