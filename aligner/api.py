"""The Python API for pipelines: align sentences, build and read a corpus, pair files.

    from aligner.api import align, build, documents, load, links, pair, sentences

These names and their signatures stay when the package's internals move. (They live here, not
in `aligner` itself, because `aligner.align` and `aligner.build` are already the engine package
and the build module.) Errors are `aligner.errors.AlignerError`s with a one-line message; texts
that do not look like translations of each other, or a file in another language than its
folder's, are warnings of the `aligner.api` logger (on stderr unless logging is set up).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from pathlib import Path

from aligner.align.confidence import unrelated, unrelated_warning
from aligner.build import BuildReport
from aligner.corpus.links import beads_to_links
from aligner.corpus.model import Link, ParallelText, Sentence
from aligner.errors import CorpusError, InputError
from aligner.pairing import PairReport

__all__ = [
    "BuildReport", "Link", "LinkedSentences", "PairReport", "ParallelText", "align", "build", "documents", "links",
    "load", "pair", "sentences",
]
log = logging.getLogger(__name__)


def align(
    src_sentences: Iterable[str], tgt_sentences: Iterable[str], src_lang: str, tgt_lang: str,
    encoder: str = "auto",
) -> list[Link]:  # fmt: skip
    """Align two lists of sentences; every sentence is in exactly one link, in reading order.

    A link's `src` and `tgt` hold the positions of its sentences as strings ("0", "1", …; one
    side is empty for an omission), `confidence` is in [0, 1]. Languages are BCP 47 tags (en,
    zh-Hans, zh-Hant, de …); `encoder` names the sentence encoder ("auto": the engine's choice).
    Lists that do not look like translations of each other are a warning (see the module).
    """
    from aligner.build import engine_for

    src, tgt = _sentences(src_sentences, "src_sentences"), _sentences(tgt_sentences, "tgt_sentences")
    for name, lang in (("src_lang", src_lang), ("tgt_lang", tgt_lang)):
        if not isinstance(lang, str):
            raise InputError(f"align: {name} must be a language tag such as en or zh-Hans, not {lang!r}")
    engine = engine_for(src_lang, tgt_lang, _encoder(encoder))
    beads = engine(src, tgt)
    if (share := unrelated(beads)) is not None:
        log.warning("%s", unrelated_warning("the two lists of sentences", share))
    return beads_to_links(beads, [str(i) for i in range(len(src))], [str(j) for j in range(len(tgt))])


def _sentences(value: object, name: str) -> list[str]:
    """A side's sentences as a list of strings (a generator read once). A string alone would be
    read as sentences of one character each, a set or a mapping in no order of the text's, and a
    blank sentence has nothing to align: each is refused."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InputError(f"align: {name} must be a list of sentences, not {type(value).__name__}; split the text first")
    if isinstance(value, Set | Mapping):
        raise InputError(f"align: {name} must be in reading order (a list or a tuple), not a {type(value).__name__}")
    out = list(value)
    if not all(isinstance(s, str) for s in out):
        raise InputError(f"align: {name} must hold strings, one sentence each")
    blank = next((i for i, s in enumerate(out) if not s.strip()), None)
    if blank is not None:
        raise InputError(f"align: {name}[{blank}] is blank; leave blank lines out (see sentences() to split a text)")
    return out


def _encoder(name: object) -> str:
    """The encoder option as a str; its value is checked where the engine is chosen."""
    if not isinstance(name, str):
        raise InputError(f"encoder must be one of auto, use, e5 (a str), not {name!r}")
    return name


def sentences(text: str, lang: str) -> list[str]:
    """Split a text into sentences as `build` does: paragraphs at blank lines, then each by the
    rules of its language (`lang`, a BCP 47 tag). The input `align` wants."""
    from aligner.ingest.langs import normalize_tag
    from aligner.ingest.segment import split_paragraphs, split_sentences

    if not isinstance(text, str):
        raise InputError(f"sentences: text must be a str, not {type(text).__name__}")
    if not isinstance(lang, str):
        raise InputError(f"sentences: lang must be a language tag such as en or zh-Hans, not {lang!r}")
    key = normalize_tag(lang)
    return [s for para in split_paragraphs(text) for s in split_sentences(para, key)]


def build(
    seeds: str | Path, corpus: str | Path, jobs: int | None = None, scheduler: str | None = None,
    encoder: str = "auto", quiet: bool = True, force: bool = False, prune: bool = False,
) -> BuildReport:  # fmt: skip
    """Ingest every text under `seeds` (DOC.LANG.txt …), align, and write the TEI corpus.

    `jobs` processes (default: one per core) share the documents, or the Dask cluster at
    `scheduler` (tcp://HOST:PORT) runs them; unchanged documents are skipped. Returns what was
    built, skipped and changed; the corpus is the same byte for byte however it was run.
    `force` aligns every document again (after changing the engine's code, say). Documents of
    the corpus whose seeds are gone are in `.stale` (`prune` removes those holding no person's
    work), a person's links the seeds' changes left nowhere to stand in `.dropped`.
    """
    from aligner.build import build as run
    from aligner.parallel import cores

    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int)):
        raise InputError(f"build: jobs must be a whole number of processes, not {jobs!r}")
    if scheduler is not None and not isinstance(scheduler, str):
        raise InputError(f"build: scheduler must be a Dask scheduler's address (a str such as tcp://HOST:8786), not {scheduler!r}")
    jobs = cores() if jobs is None else jobs
    report = run(_path(seeds, "seeds"), _path(corpus, "corpus"), quiet=quiet, jobs=jobs, scheduler=scheduler,
                 encoder=_encoder(encoder), force=force, prune=prune)
    for line in report.unrelated_lines():
        log.warning("%s", line)
    return report


def _path(value: object, name: str) -> Path:
    """A folder argument as a Path; anything but a str or a Path is one clear error."""
    if not isinstance(value, str | Path):
        raise InputError(f"{name} must be a folder (a str or a Path), not {value!r}")
    return Path(value)


def documents(corpus: str | Path) -> list[str]:
    """The ids of a corpus's documents, sorted (those `load` can be asked for)."""
    from aligner.corpus.store import doc_ids

    folder = _path(corpus, "corpus")
    if not folder.is_dir():
        raise CorpusError(f"{folder}: no such corpus folder; build one with build(seeds, corpus)")
    return doc_ids(folder)


def load(corpus: str | Path, doc_id: str) -> ParallelText:
    """One document of a corpus: its versions (`.versions[lang]`) and alignments, validated."""
    from aligner.corpus.store import load_current as read

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
    """The links between two versions of a document, in reading order, with their sentences.

    Languages are taken as `build` takes them (EN, zh-CN, zh-Hant-TW name the en, zh-Hans and
    zh-Hant versions); a pair the document does not have is an error at once, not when read.
    """
    from aligner.ingest.langs import normalize_tag

    if not isinstance(text, ParallelText):
        raise InputError(f"links: text must be a document from load(), not {type(text).__name__}")
    for name, lang in (("src_lang", src_lang), ("tgt_lang", tgt_lang)):
        if not isinstance(lang, str):
            raise InputError(f"links: {name} must be a language tag such as en or zh-Hans, not {lang!r}")
    al = text.alignment(normalize_tag(src_lang), normalize_tag(tgt_lang))
    if al is None:
        have = ", ".join(f"{a.src_lang}-{a.tgt_lang}" for a in text.alignments) or "none"
        raise CorpusError(f"{text.doc_id}: no alignment of {src_lang} with {tgt_lang} (aligned pairs: {have})")
    src, tgt = text.versions[al.src_lang].sentence_index(), text.versions[al.tgt_lang].sentence_index()
    return (LinkedSentences(lk, tuple(src[i] for i in lk.src), tuple(tgt[j] for j in lk.tgt)) for lk in al.links)


def pair(
    dir_a: str | Path, dir_b: str | Path, langs: tuple[str, str] | Sequence[str], encoder: str = "auto",
    write_seeds: str | Path | None = None,
) -> PairReport:  # fmt: skip
    """Which file of `dir_a` (in langs[0]) is the translation of which file of `dir_b` (langs[1]).

    `.pairs` holds (A file, B file, confidence), `.unpaired_a` / `.unpaired_b` the files left
    without a partner, `.off_language` the files that look written in another language than
    their folder's (each also a warning). With `write_seeds`, the pairs are copied there as
    DOC.LANG.ext for `build`.
    """
    from aligner.pairing import pair_folders
    from aligner.pairing import write_seeds as copy_pairs

    if isinstance(langs, str) or not isinstance(langs, Sequence) or len(langs) != 2 or not all(isinstance(x, str) for x in langs):
        raise InputError(f"langs {langs!r}: give the two folders' languages, e.g. ('en', 'zh-Hans')")
    report = pair_folders(_path(dir_a, "dir_a"), _path(dir_b, "dir_b"), (langs[0], langs[1]), _encoder(encoder))
    for line in report.off_language_lines("langs"):
        log.warning("%s", line)
    if write_seeds is not None:
        copy_pairs(report, _path(write_seeds, "write_seeds"))
    return report
