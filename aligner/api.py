"""The Python API for pipelines: align sentences, build and read a corpus, pair files.

    from aligner.api import align, build, load, links, pair

These names and their signatures stay when the package's internals move. (They live here, not
in `aligner` itself, because `aligner.align` and `aligner.build` are already the engine package
and the build module.) Errors are `aligner.errors.AlignerError`s with a one-line message.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from aligner.build import BuildReport
from aligner.corpus.links import beads_to_links
from aligner.corpus.model import Link, ParallelText, Sentence
from aligner.errors import CorpusError, InputError
from aligner.pairing import PairReport

__all__ = [
    "BuildReport", "Link", "LinkedSentences", "PairReport", "ParallelText", "align", "build", "links", "load", "pair",
]


def align(
    src_sentences: Iterable[str], tgt_sentences: Iterable[str], src_lang: str, tgt_lang: str,
    encoder: str = "auto",
) -> list[Link]:  # fmt: skip
    """Align two lists of sentences; every sentence is in exactly one link, in reading order.

    A link's `src` and `tgt` hold the positions of its sentences as strings ("0", "1", …; one
    side is empty for an omission), `confidence` is in [0, 1]. Languages are BCP 47 tags (en,
    zh-Hans, zh-Hant, de …); `encoder` names the sentence encoder ("auto": the engine's choice).
    """
    from aligner.build import engine_for

    src, tgt = _sentences(src_sentences, "src_sentences"), _sentences(tgt_sentences, "tgt_sentences")
    for name, lang in (("src_lang", src_lang), ("tgt_lang", tgt_lang)):
        if not isinstance(lang, str):
            raise InputError(f"align: {name} must be a language tag such as en or zh-Hans, not {lang!r}")
    engine = engine_for(src_lang, tgt_lang, encoder)
    beads = engine(src, tgt)
    return beads_to_links(beads, [str(i) for i in range(len(src))], [str(j) for j in range(len(tgt))])


def _sentences(value: object, name: str) -> list[str]:
    """A side's sentences as a list of strings (a generator read once); a string alone would be
    read as sentences of one character each, so it is refused."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InputError(f"align: {name} must be a list of sentences, not {type(value).__name__}; split the text first")
    out = list(value)
    if not all(isinstance(s, str) for s in out):
        raise InputError(f"align: {name} must hold strings, one sentence each")
    return out


def build(
    seeds: str | Path, corpus: str | Path, jobs: int | None = None, scheduler: str | None = None,
    encoder: str = "auto", quiet: bool = True, force: bool = False,
) -> BuildReport:  # fmt: skip
    """Ingest every text under `seeds` (DOC.LANG.txt …), align, and write the TEI corpus.

    `jobs` processes (default: one per core) share the documents, or the Dask cluster at
    `scheduler` (tcp://HOST:PORT) runs them; unchanged documents are skipped. Returns what was
    built, skipped and changed; the corpus is the same byte for byte however it was run.
    `force` aligns every document again (after changing the engine's code, say).
    """
    from aligner.build import build as run
    from aligner.parallel import cores

    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int)):
        raise InputError(f"build: jobs must be a whole number of processes, not {jobs!r}")
    jobs = cores() if jobs is None else jobs
    return run(_path(seeds, "seeds"), _path(corpus, "corpus"), quiet=quiet, jobs=jobs, scheduler=scheduler, encoder=encoder, force=force)


def _path(value: object, name: str) -> Path:
    """A folder argument as a Path; anything but a str or a Path is one clear error."""
    if not isinstance(value, str | Path):
        raise InputError(f"{name} must be a folder (a str or a Path), not {value!r}")
    return Path(value)


def load(corpus: str | Path, doc_id: str) -> ParallelText:
    """One document of a corpus: its versions (`.versions[lang]`) and alignments, validated."""
    from aligner.corpus.store import load as read

    if not isinstance(doc_id, str):
        raise InputError(f"load: doc_id must be a document's id (a str), not {doc_id!r}")
    return read(_path(corpus, "corpus"), doc_id)


@dataclass(frozen=True)
class LinkedSentences:
    """One link of a pair with the sentences it joins on each side."""

    link: Link
    src: tuple[Sentence, ...]
    tgt: tuple[Sentence, ...]


def links(text: ParallelText, src_lang: str, tgt_lang: str) -> Iterator[LinkedSentences]:
    """The links between two versions of a document, in reading order, with their sentences."""
    if not isinstance(text, ParallelText):
        raise InputError(f"links: text must be a document from load(), not {type(text).__name__}")
    al = text.alignment(src_lang, tgt_lang)
    if al is None:
        have = ", ".join(f"{a.src_lang}-{a.tgt_lang}" for a in text.alignments) or "none"
        raise CorpusError(f"{text.doc_id}: no alignment of {src_lang} with {tgt_lang} (aligned pairs: {have})")
    src, tgt = text.versions[al.src_lang].sentence_index(), text.versions[al.tgt_lang].sentence_index()
    for lk in al.links:
        yield LinkedSentences(lk, tuple(src[i] for i in lk.src), tuple(tgt[j] for j in lk.tgt))


def pair(
    dir_a: str | Path, dir_b: str | Path, langs: tuple[str, str] | Sequence[str], encoder: str = "auto",
    write_seeds: str | Path | None = None,
) -> PairReport:  # fmt: skip
    """Which file of `dir_a` (in langs[0]) is the translation of which file of `dir_b` (langs[1]).

    `.pairs` holds (A file, B file, confidence), `.unpaired_a` / `.unpaired_b` the files left
    without a partner. With `write_seeds`, the pairs are copied there as DOC.LANG.ext for `build`.
    """
    from aligner.pairing import pair_folders
    from aligner.pairing import write_seeds as copy_pairs

    if isinstance(langs, str) or not isinstance(langs, Sequence) or len(langs) != 2 or not all(isinstance(x, str) for x in langs):
        raise InputError(f"langs {langs!r}: give the two folders' languages, e.g. ('en', 'zh-Hans')")
    report = pair_folders(_path(dir_a, "dir_a"), _path(dir_b, "dir_b"), (langs[0], langs[1]), encoder)
    if write_seeds is not None:
        copy_pairs(report, _path(write_seeds, "write_seeds"))
    return report
