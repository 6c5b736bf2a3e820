"""`aligner align`: align two versions (plain text, or any input format ingest reads) and print the beads."""

from __future__ import annotations

import json
from pathlib import Path

import click

from aligner.align.confidence import unrelated
from aligner.align.engine import align as align_texts
from aligner.cli import main, user_errors, warn_unrelated
from aligner.cli.options import encoder_option, language_tag, quiet_option
from aligner.corpus.model import Document
from aligner.corpus.store import write_atomic
from aligner.errors import InputError, InputTooLongError
from aligner.evaluate import format_links, read_lines
from aligner.ingest.blocks import reader


def _sentences(path: Path, lang: str, presplit: bool) -> list[str]:
    """Read a file as one sentence a line, or split its blank-line paragraphs into sentences."""
    lines = read_lines(path)
    if presplit:
        return lines
    from aligner.ingest.segment import split_paragraphs, split_sentences

    return [s for p in split_paragraphs("\n".join(lines)) for s in split_sentences(p, lang)]


def _rich(path: Path, lang: str) -> Document | None:
    """An HTML page or a DOCX, PDF, subtitle … file read as a version (None for plain text, read
    line by line)."""
    from aligner.ingest.text import HTML_SUFFIXES, ingest_file

    if reader(path) is None and path.suffix.lower() not in HTML_SUFFIXES:
        return None
    from aligner.ingest.langs import normalize_tag

    return ingest_file(path, lang=normalize_tag(lang))


def _join(sentences: list[str], lang: str) -> str:
    """One side of a bead as one TSV cell: its sentences joined as the language writes them (a
    space for English, nothing for Chinese), on one line without tabs."""
    from aligner.formats import one_line
    from aligner.ingest.langs import joiner

    return one_line(joiner(lang).join(s.strip() for s in sentences))


@main.command("align")
@click.argument("src", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("tgt", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--src-lang", required=True, callback=language_tag, help="BCP 47 language of SRC: en, zh-Hans, zh-Hant, zh, de…"
)
@click.option("--tgt-lang", required=True, callback=language_tag, help="BCP 47 language of TGT.")
@click.option("--presplit", is_flag=True, help="The files hold one sentence a line already.")
@click.option(
    "--format", "fmt", type=click.Choice(["align", "tsv", "json"]), default="align", show_default=True,
    help="align: [0, 1]:[2] lines; tsv: source, target, confidence; json: all of it.",
)  # fmt: skip
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here, not stdout.",
)
@encoder_option
@quiet_option
@user_errors
def align_command(
    src: Path, tgt: Path, src_lang: str, tgt_lang: str, presplit: bool, fmt: str,
    output: Path | None, encoder: str, quiet: bool,
) -> None:  # fmt: skip
    """Align two versions of a text sentence by sentence.

    Example: aligner align book.en.txt book.zh.txt --src-lang en --tgt-lang zh-Hans --format tsv

    Word, OpenDocument, EPUB, PDF, RTF, Markdown and subtitle files are read by their suffix;
    two subtitle files (.srt, .vtt) are aligned by cue times.
    """
    from aligner.align.timing import timed_engine

    src_doc, tgt_doc = _rich(src, src_lang), _rich(tgt, tgt_lang)
    src_sents = [s.text for s in src_doc.sentences()] if src_doc else _sentences(src, src_lang, presplit)
    tgt_sents = [s.text for s in tgt_doc.sentences()] if tgt_doc else _sentences(tgt, tgt_lang, presplit)
    for path, sents in ((src, src_sents), (tgt, tgt_sents)):
        if not any(s.strip() for s in sents):
            raise InputError(f"{path}: no text to align (the file is empty or blank); give the file that holds the text")
    timed = timed_engine(src_doc, tgt_doc) if src_doc and tgt_doc else None
    if timed:
        beads = timed(src_sents, tgt_sents)
    else:
        try:
            beads = align_texts(src_sents, tgt_sents, src_lang, tgt_lang, quiet=quiet, encoder=encoder)
        except InputTooLongError as err:
            raise InputError(f"{src if err.side == 'source' else tgt}: {err}") from None
    if (share := unrelated(beads)) is not None:
        warn_unrelated(f"{src} and {tgt}", share)
    if fmt == "align":
        text = format_links((b.src, b.tgt) for b in beads)
    elif fmt == "tsv":
        text = "".join(
            f"{_join([src_sents[i] for i in b.src], src_lang)}\t{_join([tgt_sents[j] for j in b.tgt], tgt_lang)}"
            f"\t{b.confidence:.3f}\n"
            for b in beads
        )
    else:
        records = [
            {
                "src": list(b.src),
                "tgt": list(b.tgt),
                "confidence": round(b.confidence, 4),
                "src_text": [src_sents[i] for i in b.src],
                "tgt_text": [tgt_sents[j] for j in b.tgt],
            }  # fmt: skip
            for b in beads
        ]
        text = json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text.encode("utf-8"))
