"""Moses: one plain-text file per language, line-aligned (`OUT.en`, `OUT.zh-Hans`, `OUT.zh-Hant-TW`).

A unit's sentences are joined as the language writes them (a space for English, nothing for
Chinese). Reading turns each line pair into a 1-1 link; an empty line is an omission.
"""

from __future__ import annotations

import logging
from pathlib import Path

from aligner.corpus.model import Metadata, ParallelText, Sentence
from aligner.errors import InputError
from aligner.formats import Batch, Unit, one_line, parallel_text
from aligner.ingest.langs import split_tag
from aligner.ingest.text import NOT_IN_XML

log = logging.getLogger(__name__)


def a_folder(out: Path) -> InputError:
    """The error for an output that is a folder: Moses writes files named PREFIX.LANG."""
    return InputError(f"{out}: is a folder, and Moses writes a file a language named PREFIX.LANG; give a prefix inside it, e.g. -o {out / 'corpus'}")


def write(batch: Batch, out: Path) -> dict[Path, bytes]:
    """`OUT.LANG` for each language, one unit per line; OUT a folder is refused (the files went beside it)."""
    if out.is_dir():
        raise a_folder(out)
    return {
        out.with_name(f"{out.name}.{batch.tag(lang)}"): "".join(one_line(u.text(lang)) + "\n" for u in batch.units).encode()
        for lang in batch.langs
    }


_FILE_TYPES = frozenset("txt text csv tsv xml tmx xlf htm html doc md srt vtt out src tgt".split())  # suffixes that name no language


def _lang_of(path: Path) -> tuple[str, str]:
    """The version key and region from the file suffix (`corpus.zh-Hant-TW` → zh-Hant, TW)."""
    suffix = path.name.rsplit(".", 1)[-1] if "." in path.name else ""
    try:
        if suffix.lower() in _FILE_TYPES:
            raise InputError(suffix)
        return split_tag(suffix)
    except InputError:
        raise InputError(f"{path}: no language suffix; name Moses files PREFIX.LANG such as corpus.en, corpus.zh-Hans") from None


def _lines(path: Path) -> list[str]:
    """The file's lines: split at newlines only (a U+2028 inside a line is text, as for Moses
    tools), CRLF ends and a byte order mark removed."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()
        return [line.removesuffix("\r") for line in lines]
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from None
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: byte {err.start}: not UTF-8; convert the file to UTF-8") from None


def _xml_safe(path: Path, lines: list[str]) -> list[str]:
    """The lines without the characters XML cannot hold (U+0007, U+001B, U+FFFE: web-crawled data
    is full of them), removed as ingest removes them, but a separator (U+000B, a line break Word
    writes; U+000C) a space so words stay apart; one warning for the file names the first line."""
    found = [(n, ch) for n, line in enumerate(lines, 1) for ch in NOT_IN_XML.findall(line)]
    if not found:
        return lines
    codes = ", ".join(sorted({f"U+{ord(ch):04X}" for _, ch in found}))
    log.warning(
        "%s:%d: removed %d characters XML cannot hold (%s) from %d lines, the first here",
        path, found[0][0], len(found), codes, len({n for n, _ in found}),
    )
    return [NOT_IN_XML.sub(lambda m: " " if m.group().isspace() else "", line) for line in lines]


def read(paths: list[Path], resp: str | None = None) -> list[ParallelText]:
    """One document from a set of line-aligned files (doc id from the common prefix)."""
    if len(paths) < 2:
        raise InputError(f"{' '.join(map(str, paths))}: Moses import needs two or more files, one per language")
    tags = [_lang_of(p) for p in paths]
    langs = [lang for lang, _ in tags]
    twin = next(((i, j) for i in range(len(langs)) for j in range(i + 1, len(langs)) if langs[i] == langs[j]), None)
    if twin is not None:
        raise InputError(
            f"{paths[twin[0]]} and {paths[twin[1]]} are both {langs[twin[0]]} versions; give one file per version"
            " (two regions of one script go in two documents)"
        )
    lines = [_xml_safe(p, _lines(p)) for p in paths]
    if not any(line.strip() for rows in lines for line in rows):
        raise InputError(f"{' '.join(map(str, paths))}: the files hold no text; give the line-aligned files of the corpus")
    for path, rows in zip(paths[1:], lines[1:], strict=True):
        if len(rows) != len(lines[0]):
            raise InputError(
                f"{paths[0]} has {len(lines[0])} lines but {path} has {len(rows)}; Moses files must be line-aligned"
            )
    doc_id = paths[0].name.rsplit(".", 1)[0]
    placed = [
        (Unit(doc_id, f"l{n}", {lang: (Sentence("", rows[n].strip()),) if rows[n].strip() else () for lang, rows in zip(langs, lines, strict=True)}, 1.0, resp or "machine"),
         f"{paths[0]}:{n + 1}")
        for n in range(len(lines[0]))
    ]
    metas = {lang: Metadata(source=p.name, note=f"imported from {p.name} (Moses)") for lang, p in zip(langs, paths, strict=True)}
    regions = {lang: region for lang, region in tags if region}
    return [parallel_text(doc_id, [(u, where) for u, where in placed if any(u.cells.values())], metas, "imported from Moses files", regions)]
