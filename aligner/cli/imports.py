"""`aligner import`: TMX, Moses, InterText or XCES files → documents in the TEI corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from aligner.cli import main, user_errors
from aligner.cli.options import (
    corpus_option,
    json_option,
    language_tags,
    who_option,
    who_or_default,
)
from aligner.formats import FORMATS
from aligner.formats.imports import Untouched, import_files
from aligner.ingest.langs import normalize_tag


@main.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", required=True, type=click.Choice([n for n, f in FORMATS.items() if f.reads]),
              help="tmx files; moses files PREFIX.LANG (one per language); intertext or xces alignment files; xlsx review sheets; xliff 1.2 or 2.x.")
@click.option("--resp", type=click.Choice(["person", "machine"]), default=None,
              help="Who made the links (default: TMX person, InterText from each link's status, Moses/XCES machine, XLSX person for rows changed or marked 'person', XLIFF person unless its notes say machine).")
@click.option("--langs", default="", callback=language_tags, help="InterText only: source and target language, e.g. en,zh-Hans (default: detected).")
@click.option("--replace", is_flag=True, help="Lay the files over documents already in the corpus, changing only what they change: the sentences and links a file of ours holds are replaced as edited, those it does not hold (left out by the export's filters, TMX's omissions, a sheet row deleted) stay and the summary counts them; a file without our ids (another tool's, Moses) replaces its versions whole; other versions and pairs stay. Changed sentences go in the history as WHO's, and a rebuild keeps them.")
@who_option("With --replace: the name the history records")
@corpus_option
@json_option
@user_errors
def import_(files: tuple[Path, ...], fmt: str, resp: str | None, langs: str, replace: bool, who: str | None, corpus: Path, as_json: bool) -> None:
    """Import parallel data FILES into the TEI corpus, with their alignment.

    Example: aligner import en-zh.tmx --format tmx --corpus corpora

    Every file is read and checked before anything is written.
    """
    tags = [normalize_tag(t) for t in langs.split(",") if t.strip()]
    named = who_or_default(who) if replace else ""  # only --replace records a name in the history: looked up only then
    untouched: dict[str, Untouched] = {}
    texts = import_files(files, fmt, corpus, resp=resp, langs=tags, replace=replace, who=named, untouched=untouched)
    report = [
        {
            "doc_id": t.doc_id,
            "sentences": {lang: sum(1 for _ in d.sentences()) for lang, d in t.versions.items()},
            "links": {f"{a.src_lang}-{a.tgt_lang}": len(a.links) for a in t.alignments},
            "not_in_file": {"sentences": (kept := untouched.get(t.doc_id, Untouched())).sentences, "links": kept.links},
        }
        for t in texts
    ]
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for item in report:
        sents = ", ".join(f"{lang} {n}" for lang, n in item["sentences"].items())  # type: ignore[attr-defined]
        links = ", ".join(f"{pair} {n}" for pair, n in item["links"].items())  # type: ignore[attr-defined]
        click.echo(f"Imported {item['doc_id']} into {corpus}: sentences {sents}; links {links}{_kept_note(item['not_in_file'])}")  # type: ignore[arg-type]


def _kept_note(kept: dict[str, Any]) -> str:
    """What the summary says of what a document kept because the file did not hold it (an export
    filtered, TMX leaving out omissions, a review sheet's row deleted), so no one takes it for gone."""
    if not kept["sentences"] and not kept["links"]:
        return ""
    sents = ", ".join(f"{lang} {n}" for lang, n in kept["sentences"].items())
    return f"; kept as they were, not in the file: sentences {sents or 'none'}; links {kept['links']}"
