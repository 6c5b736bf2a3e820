"""`aligner export`: documents of the TEI corpus → TMX, Moses, TSV/CSV, JSONL or XCES."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from aligner.cli import main, report_skipped, user_errors
from aligner.cli.options import Confidence, corpus_option, json_option, language_tags
from aligner.corpus.store import load_readable
from aligner.formats import FORMATS
from aligner.formats.export import export as run_export
from aligner.formats.export import shared_langs
from aligner.formats.filters import Filters, parse_ratio
from aligner.formats.moses import a_folder


@main.command()
@click.argument("target")
@click.option("--format", "fmt", required=True, type=click.Choice([n for n, f in FORMATS.items() if f.writes]),
              help="tmx (one file), moses (OUT.LANG per language), tsv, csv, jsonl, xlsx, xliff, srt, vtt (one file), xces (a folder).")
@click.option("--langs", default="", callback=language_tags, help="Languages in column order, comma-separated (default: all, English first); "
              "zh-Hant-HK takes Hong Kong versions only, zh-Hant every Traditional one.")
@click.option("-o", "--output", "out", required=True, type=click.Path(),
              help="Output file (tmx, tsv, csv, jsonl, xlsx, xliff, srt, vtt), file prefix (moses) or folder (xces).")
@click.option("--min-confidence", type=Confidence(), default=0.0, show_default=True, help="Leave out links below this confidence.")
@click.option("--types", default="", help="Keep only these link types, comma-separated: a count of sentences per language exported, e.g. 1-1,2-1 for two languages, 1-1-1 for three.")
@click.option("--no-omissions", is_flag=True, help="Leave out links with an empty side.")
@click.option("--dedupe", is_flag=True, help="Leave out repeats of an identical sentence pair.")
@click.option("--tmx-langs", type=click.Choice(["legacy", "bcp47"]), default="legacy", show_default=True,
              help="TMX language codes: legacy zh-CN/zh-TW (OmegaT, Trados, memoQ) or bcp47 zh-Hans/zh-Hant.")
@click.option("--xliff-version", type=click.Choice(["2.1", "1.2"]), default="2.1", show_default=True,
              help="XLIFF version to write (1.2 for older CAT tools).")
@click.option("--length-ratio", default="", help="MIN,MAX bounds on each version's length in characters over the first's.")
@corpus_option
@json_option
@user_errors
def export(
    target: str, fmt: str, langs: str, out: str, min_confidence: float, types: str, no_omissions: bool,
    dedupe: bool, tmx_langs: str, xliff_version: str, length_ratio: str, corpus: Path, as_json: bool,
) -> None:
    """Export TARGET (a document id or a corpus folder) to a parallel-data format.

    Example: aligner export corpora/ --format tmx --langs en,zh-Hans -o en-zh.tmx

    TMX writes zh-CN/zh-TW for zh-Hans/zh-Hant by default (what CAT tools such as OmegaT and
    Trados expect); --tmx-langs bcp47 writes zh-Hans/zh-Hant. Import reads both. TMX and Moses need every
    language in a unit, so links with an empty side are skipped and counted on stderr.
    xlsx is a review sheet (a row per link, a column per language, confidence, type, QA
    findings, who made the link); after review, aligner import --format xlsx reads it back.
    xliff (2.1, or 1.2 with --xliff-version 1.2) is bilingual: give two languages.
    srt and vtt write one subtitle document's second language on the first's cue times.
    XCES is read by OpusTools: opus_read -d NAME -s en -t zh-Hans -af OUT/en-zh-Hans.xml -dl OUT -p raw.
    Same corpus and options, same bytes. In a corpus folder, a document that cannot be read is
    skipped with a message, the rest is exported, and the exit status is 1.
    -o /dev/stdout writes the data to standard output; the report (the "Wrote" line or --json)
    then goes to standard error, after the notes. An output path that is a symbolic link is
    written through: the file it leads to is replaced, the link stays.
    """
    if fmt == "moses" and out.endswith(("/", os.sep)):  # a folder not made yet: `Path` drops the slash
        raise a_folder(Path(out))
    texts, skipped = load_readable(target, corpus)
    every, some = shared_langs(texts)
    chosen = langs.split(",") if langs else every
    if not langs and some:
        click.echo(f"Left out {', '.join(some)}: not in every document; name it in --langs to export the documents that have it", err=True)
    filters = Filters(
        min_confidence=min_confidence,
        types=frozenset(t.strip() for t in types.split(",") if t.strip()),
        omissions=not no_omissions,
        dedupe=dedupe,
        length_ratio=parse_ratio(length_ratio),
    )
    report = run_export(texts, fmt, chosen, Path(out), filters, tmx_langs, xliff_version)
    if not as_json:
        for doc_id, missing in report.lacking.items():
            click.echo(f"Skipped document {doc_id}: it has no {', '.join(missing)} version", err=True)
        for key, tags in report.mixed.items():
            click.echo(f"Note: {key} is {', '.join(tags)} in different documents; name one in --langs to export one region", err=True)
        for reason, n in sorted(report.dropped.items()):
            what = "omissions (a side is empty; not representable)" if reason == "omission" and FORMATS[fmt].needs_all_langs else reason
            click.echo(f"Skipped {n} units: {what}", err=True)
    report_skipped(skipped, final=False)
    if as_json:
        said = json.dumps(report.as_json() | {"skipped": skipped}, ensure_ascii=False, indent=2)
    else:
        said = f"Wrote {report.units} units to {', '.join(map(str, report.files))}"
    click.echo(said, err=_on_stdout(report.files))  # the data's stream holds the data alone
    if skipped:
        sys.exit(1)


def _on_stdout(files: list[Path]) -> bool:
    """Whether one of the files written is standard output (-o /dev/stdout, or a pipe, terminal or
    file it is), where the report would land in the data (a line after a TMX's </tmx>)."""
    try:
        out = os.fstat(1)
    except OSError:  # no stdout
        return False
    return any(os.path.exists(file) and os.path.samestat(os.stat(file), out) for file in files)
