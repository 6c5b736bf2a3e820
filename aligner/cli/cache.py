"""`aligner cache`: what the cache folder holds (encoders' vectors, dictionary tables), and the
compaction of the vectors into sorted segments."""

from __future__ import annotations

import json
from pathlib import Path

import click

from aligner.cache import cache_dir, tables
from aligner.cli import main, user_errors
from aligner.cli.options import json_option, quiet_option
from aligner.errors import InputError


def _root(value: Path | None) -> Path:
    """The cache folder asked for (default `$ALIGNER_CACHE`, else ~/.cache/aligner); it must exist."""
    root = value or cache_dir()
    if not root.is_dir():
        raise InputError(f"{root}: no cache folder there; give the one builds use with --cache (or $ALIGNER_CACHE)")
    return root


cache_option = click.option(
    "--cache", "root", type=click.Path(file_okay=False, path_type=Path),
    help="The cache folder (default: $ALIGNER_CACHE, else ~/.cache/aligner).",
)  # fmt: skip


@main.group("cache")
def cache_group() -> None:
    """The embedding cache: what it holds; its many small shards merged into sorted segments."""


@cache_group.command("info")
@cache_option
@json_option
@user_errors
def info(root: Path | None, as_json: bool) -> None:
    """Per encoder: vectors cached, in how many shards and segments, their size on disk, and the
    files holding damaged vectors (every vector is read); then the dictionary tables kept there."""
    from aligner.align.cachefiles import damaged_files, describe
    from aligner.align.compaction import model_folders

    folder = _root(root)
    found = model_folders(folder)
    models, damaged, kept = [describe(f) for f in found], {f.name: damaged_files(f) for f in found}, tables(folder)
    if as_json:
        click.echo(json.dumps({"cache": str(folder), "models": models, "damaged": damaged, "tables": kept}, indent=2))
        return
    click.echo(f"Cache folder {folder}: {(sum(int(m['bytes']) for m in models) + sum(kept.values())) / 1e6:.1f} MB")
    for m in models:
        broken = f"; {m['unreadable']} unreadable files (cut short or foreign), passed over" if m["unreadable"] else ""
        click.echo(f"  {m['model']}: {m['vectors']} vectors in {m['shards']} shards and {m['segments']} segments, {int(m['bytes']) / 1e6:.1f} MB{broken}")
        for name, count in damaged[str(m["model"])].items():
            click.echo(f"    damaged: {name}: {count} vectors not finite or not of unit length, encoded again when read; remove the file")
    for name, size in kept.items():
        click.echo(f"  table {name}: {size / 1e6:.1f} MB")
    if not models and not kept:
        click.echo("  empty: nothing cached yet (a build fills it)")


@cache_group.command("compact")
@cache_option
@quiet_option
@json_option
@user_errors
def compact_command(root: Path | None, quiet: bool, as_json: bool) -> None:
    """Merge every encoder's shards into sorted segments, safely while builds run.

    Example: ALIGNER_CACHE=/shared/aligner-cache aligner cache compact

    Each encoder call writes a small shard, and every process reads the keys of every shard; a
    segment is searched in place instead. A build compacts by itself when it ends with
    1,024 shards or more in a folder.
    """
    from aligner.align.compaction import compact, model_folders
    from aligner.progress import progress

    folder = _root(root)
    folders = model_folders(folder)
    total = sum(len(list(f.glob("*.vec"))) for f in folders)
    with progress("merging cache shards", total, quiet) as bar:
        reports = [compact(f, bar=bar) for f in folders]
    if as_json:
        click.echo(json.dumps({"compacted": [r.as_json() for r in reports]}, indent=2))
        return
    if not folders:
        click.echo(f"{folder}: no encoder's vectors cached yet; nothing to compact")
    for r in reports:
        skipped = f", {r.skipped} unreadable files left" if r.skipped else ""
        if not r.shards:
            click.echo(f"{r.folder}: no shards to merge; nothing to do{skipped}")
            continue
        click.echo(
            f"{r.folder}: {r.shards} shards and {r.segments} segments merged into {r.written} segments"
            f" ({r.vectors} vectors, {r.duplicates} stored twice){skipped}"
        )
