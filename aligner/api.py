"""The Python API for pipelines: align sentences, build and read a corpus, pair files.

    from aligner.api import align, build, load, links, pair

These names and their signatures stay when the package's internals move. (They live here, not
in `aligner` itself, because `aligner.align` and `aligner.build` are already the engine package
and the build module.) Errors are `aligner.errors.AlignerError`s with a one-line message.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from aligner.build import BuildReport
from aligner.corpus.links import beads_to_links
from aligner.corpus.model import Link, ParallelText, Sentence
from aligner.errors import CorpusError

__all__ = ["BuildReport", "Link", "LinkedSentences", "ParallelText", "align", "build", "links", "load"]


def align(
    src_sentences: Sequence[str], tgt_sentences: Sequence[str], src_lang: str, tgt_lang: str,
    encoder: str = "auto",
) -> list[Link]:  # fmt: skip
    """Align two lists of sentences; every sentence is in exactly one link, in reading order.

    A link's `src` and `tgt` hold the positions of its sentences as strings ("0", "1", …; one
    side is empty for an omission), `confidence` is in [0, 1]. Languages are BCP 47 tags (en,
    zh-Hans, zh-Hant, de …); `encoder` names the sentence encoder ("auto": the engine's choice).
    """
    from aligner.build import engine_for

    engine = engine_for(src_lang, tgt_lang, encoder)
    beads = engine(list(src_sentences), list(tgt_sentences))
    return beads_to_links(beads, [str(i) for i in range(len(src_sentences))], [str(j) for j in range(len(tgt_sentences))])


def build(
    seeds: str | Path, corpus: str | Path, jobs: int | None = None, scheduler: str | None = None,
    encoder: str = "auto", quiet: bool = True,
) -> BuildReport:  # fmt: skip
    """Ingest every text under `seeds` (DOC.LANG.txt …), align, and write the TEI corpus.

    `jobs` processes (default: one per core) share the documents, or the Dask cluster at
    `scheduler` (tcp://HOST:PORT) runs them; unchanged documents are skipped. Returns what was
    built, skipped and changed; the corpus is the same byte for byte however it was run.
    """
    from aligner.build import build as run
    from aligner.parallel import cores

    jobs = cores() if jobs is None else jobs
    return run(Path(seeds), Path(corpus), quiet=quiet, jobs=jobs, scheduler=scheduler, encoder=encoder)


def load(corpus: str | Path, doc_id: str) -> ParallelText:
    """One document of a corpus: its versions (`.versions[lang]`) and alignments, validated."""
    from aligner.corpus.store import load as read

    return read(Path(corpus), doc_id)


@dataclass(frozen=True)
class LinkedSentences:
    """One link of a pair with the sentences it joins on each side."""

    link: Link
    src: tuple[Sentence, ...]
    tgt: tuple[Sentence, ...]


def links(text: ParallelText, src_lang: str, tgt_lang: str) -> Iterator[LinkedSentences]:
    """The links between two versions of a document, in reading order, with their sentences."""
    al = text.alignment(src_lang, tgt_lang)
    if al is None:
        have = ", ".join(f"{a.src_lang}-{a.tgt_lang}" for a in text.alignments) or "none"
        raise CorpusError(f"{text.doc_id}: no alignment of {src_lang} with {tgt_lang} (aligned pairs: {have})")
    src, tgt = text.versions[al.src_lang].sentence_index(), text.versions[al.tgt_lang].sentence_index()
    for lk in al.links:
        yield LinkedSentences(lk, tuple(src[i] for i in lk.src), tuple(tgt[j] for j in lk.tgt))
