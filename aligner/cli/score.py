"""`aligner score`: BLEU, chrF++ (chrF for a target written without spaces) and TER of candidate translations against the corpus's reference."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click

from aligner import score as scoring
from aligner.cli import main, user_errors
from aligner.cli.options import corpus_option, json_option, language_tag
from aligner.corpus.model import ParallelText
from aligner.corpus.store import resolve
from aligner.errors import InputError
from aligner.formats.select import check_region, key_of, tags_of


def parse_candidate(value: str) -> tuple[str, Path]:
    """`NAME=PATH` or `PATH` (named by its file or folder name)."""
    name, sep, path = value.partition("=")
    if sep and not name.strip():
        raise InputError(f"-c {value}: the system has no name; write NAME=PATH, or the path alone")
    return (name, Path(path)) if sep else (Path(value).stem, Path(value))


def candidate_docs(path: Path, texts: list[ParallelText], src: str, tgt: str) -> list[list[str]]:
    """A file for one document, or a folder of `<doc-id>.txt` / `<doc-id>.xml` for a corpus."""
    if not path.is_dir():
        if len(texts) != 1:
            raise InputError(f"{path}: one file for {len(texts)} documents; give a folder with one <doc-id>.txt per document")
        return [scoring.candidate_lines(path, texts[0], src, tgt)]
    docs = []
    for text in texts:
        found = [p for p in (path / f"{text.doc_id}.txt", path / f"{text.doc_id}.xml") if p.exists()]
        if not found:
            raise InputError(f"{path}: no {text.doc_id}.txt or {text.doc_id}.xml for document {text.doc_id}")
        docs.append(scoring.candidate_lines(found[0], text, src, tgt))
    return docs


def version_key(asked: str, texts: list[ParallelText], option: str) -> str:
    """The version key a tag names in the documents (`select.key_of`), refused where a document's
    version is of another region (--lang zh-Hant-HK against a Taiwan reference)."""
    key = key_of(asked, [tags_of(text) for text in texts], option)
    for text in texts:
        if key in text.versions:
            check_region(asked, key, text.versions[key].tag, option, text.doc_id)
    return key


@main.command()
@click.argument("target")
@click.option("-c", "--candidate", "candidates", multiple=True, required=True, metavar="[NAME=]PATH", help="A system's output: a file (one line per source sentence) or TEI version; a folder of <doc-id>.txt for a corpus. Repeat for several systems; the first is the baseline.")
@click.option("--lang", "tgt", default="zh-Hans", show_default=True, callback=language_tag, help="The reference version to score against.")
@click.option("--src", default="en", show_default=True, callback=language_tag, help="The source version the candidate lines follow.")
@click.option("--simplify", is_flag=True, help="Convert zh-Hant (or mixed) output and reference to Simplified first, so scores compare across scripts.")
@click.option("--worst", "n_worst", type=click.IntRange(min=0), default=10, show_default=True, help="How many of the lowest-scoring segments to show per system.")
@click.option("--samples", type=click.IntRange(min=1), default=1000, show_default=True, help="Bootstrap resamples when comparing systems.")
@corpus_option
@json_option
@user_errors
def score(target: str, candidates: tuple[str, ...], tgt: str, src: str, simplify: bool, n_worst: int,
          samples: int, corpus: Path, as_json: bool) -> None:
    """Score candidate translations of TARGET (a document id or a corpus folder) with sacrebleu.

    Example: aligner score 000_bf7a112df29932bd -c mt=out.txt -c human=post.txt --lang zh-Hans

    BLEU, chrF2++ and TER; for a reference written without spaces between words (Chinese,
    Japanese, Thai …) chrF2, character n-grams alone, since chrF++'s words, split at spaces,
    would be whole sentences (--json names it in "chrf_metric"). Both sides are width-folded
    first, for every metric: full-width letters and digits score as their ASCII forms (ＧＰＵ２０２４
    as GPU2024, １，２５０ as 1,250); CJK punctuation (，。：) is kept. The signatures say so
    (|width:folded).
    """
    texts = resolve(target, corpus)
    tgt, src = version_key(tgt, texts, "--lang"), version_key(src, texts, "--src")
    named = [parse_candidate(c) for c in candidates]
    twice = next((name for name, n in Counter(name for name, _ in named).items() if n > 1), None)
    if twice is not None:  # their scores would merge under one name, and the baseline could vanish
        raise InputError(f"-c: two systems are named '{twice}'; name each one: -c NAME=PATH")
    docs = {name: candidate_docs(path, texts, src, tgt) for name, path in named}
    warnings = [w for name, d in docs.items() for w in scoring.language_warnings(name, [x for doc in d for x in doc], tgt)]
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    report = scoring.score(scoring.segments(texts, docs, src, tgt), tgt, simplify, samples)
    if as_json:
        payload = {
            "chrf_metric": report.chrf,
            "signatures": report.signatures,
            "systems": [s.__dict__ for s in report.scores],
            "warnings": warnings,
            "worst": {s.name: [dict(zip(("id", "source", "output", "reference", "chrf"), r, strict=True)) for r in scoring.worst(report, s.name, n_worst)] for s in report.scores},
            "segments": {name: dict(zip(report.segments.ids, vals, strict=True)) for name, vals in report.per_segment.items()},
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    _print(report, n_worst)


def _print(report: scoring.Report, n_worst: int) -> None:
    """The ranked table, the signatures, and each system's worst segments beside the reference."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"Systems, best {report.chrf} first")
    for col in ("system", "BLEU", report.chrf, "TER", f"p (BLEU/{report.chrf}/TER vs baseline)"):
        table.add_column(col, justify="left" if col == "system" else "right")

    def cell(value: float, ci: float | None) -> str:
        return f"{value:.2f}" + (f" ± {ci:.2f}" if ci is not None else "")

    def p(value: float | None) -> str:
        return "—" if value is None else f"{value:.4f}{'*' if value < 0.05 else ''}"

    for s in report.scores:
        table.add_row(s.name, cell(s.bleu, s.bleu_ci), cell(s.chrf, s.chrf_ci), cell(s.ter, s.ter_ci),
                      " / ".join(p(v) for v in (s.p_bleu, s.p_chrf, s.p_ter)))
    console.print(table)
    for metric, sig in report.signatures.items():
        console.print(f"{metric}: {sig}", markup=False)
    for s in report.scores:
        worst = Table(title=f"{s.name}: worst segments", show_lines=True, expand=True)
        for col in ("segment", report.chrf, "output", "reference"):
            worst.add_column(col, ratio=None if col in ("segment", report.chrf) else 1, overflow="fold")
        for seg_id, _src, out, ref, value in scoring.worst(report, s.name, n_worst):
            worst.add_row(seg_id, f"{value:.1f}", out, ref)
        console.print(worst)
