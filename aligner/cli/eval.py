"""`aligner eval`: align every text of a gold set and print strict and lax precision, recall, F1."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from aligner.align.confidence import unrelated
from aligner.align.encoders import choose
from aligner.align.engine import align
from aligner.cli import main, user_errors, warn_unrelated
from aligner.cli.options import encoder_option, json_option, language_tag, quiet_option
from aligner.corpus.store import write_atomic
from aligner.evaluate import (
    FileResult,
    format_links,
    gold_files,
    merge_by_unit,
    read_gold,
    score,
    texts_of,
    unit_ids,
)  # fmt: skip

_FIELDS = (
    "precision_strict",
    "recall_strict",
    "f1_strict",
    "precision_lax",
    "recall_lax",
    "f1_lax",
)


@main.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--src-lang", default="en", show_default=True, callback=language_tag, help="Language of src/ texts.")
@click.option("--tgt-lang", default="zh", show_default=True, callback=language_tag, help="Language of tgt/ texts.")
@click.option(
    "--save",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write predicted .align files here.",
)
@click.option(
    "--verses", nargs=2, type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Verse id per line of source and target: merge links within a verse before scoring.",
)  # fmt: skip
@encoder_option
@json_option
@quiet_option
@user_errors
def eval_command(
    gold_dir: Path, src_lang: str, tgt_lang: str, save: Path | None,
    verses: tuple[Path, Path] | None, encoder: str, as_json: bool, quiet: bool,
) -> None:  # fmt: skip
    """Score the aligner on a gold set (folders src/, tgt/, gold/*.align).

    Example: aligner eval ../shared/gold/bible --verses ../shared/gold/bible/src.verse ../shared/gold/bible/tgt.verse
    """
    started = time.perf_counter()
    results = []
    for gold_path in gold_files(gold_dir):
        src, tgt = texts_of(gold_dir, gold_path.stem)
        gold = read_gold(gold_path, len(src), len(tgt))
        beads = align(src, tgt, src_lang, tgt_lang, quiet=quiet, encoder=encoder)
        if (share := unrelated(beads)) is not None:
            warn_unrelated(f"{gold_dir}/src/{gold_path.stem} and tgt/{gold_path.stem}", share)
        predicted = [(b.src, b.tgt) for b in beads]
        if save is not None:
            write_atomic(save / gold_path.name, format_links(predicted).encode("utf-8"))
        if verses is not None:
            src_ids, tgt_ids = unit_ids(verses[0], len(src)), unit_ids(verses[1], len(tgt))
            gold = merge_by_unit(gold, src_ids, tgt_ids)
            predicted = merge_by_unit(predicted, src_ids, tgt_ids)
        results.append(FileResult(gold_path.stem, score(gold, predicted)))
    total = results[0].score
    for result in results[1:]:
        total = total + result.score
    elapsed = time.perf_counter() - started
    if as_json:
        report = {
            "files": {r.name: r.score.as_dict() for r in results},
            "overall": total.as_dict(),
            "encoder": choose(encoder, src_lang, tgt_lang).name,
            "seconds": round(elapsed, 1),
        }
        click.echo(json.dumps(report, indent=1))
        return
    click.echo(f"{'file':<10}" + "".join(f"{name:>18}" for name in _FIELDS))
    for name, value in [(r.name, r.score) for r in results] + [("overall", total)]:
        numbers = value.as_dict()
        click.echo(f"{name:<10}" + "".join(f"{numbers[f]:>18.4f}" for f in _FIELDS))
    click.echo(f"elapsed {elapsed:.1f} s")
