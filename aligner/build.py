"""The main job: ingest every file under a seeds folder, align the versions, write the TEI corpus."""

from __future__ import annotations

import difflib
import functools
import itertools
import json
import logging
import secrets
import shutil
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path

from aligner import __version__
from aligner.align.bead import Bead
from aligner.align.timing import timed_engine, timing_signature
from aligner.cache import cache_dir
from aligner.corpus.links import Aligner, align_keeping_person_links, person_links
from aligner.corpus.model import Alignment, Change, Document, Link, ParallelText, Sentence, reverse
from aligner.corpus.store import (
    LOCK_FILE,
    Partial,
    as_recorded,
    clear_temporaries,
    doc_ids,
    load,
    load_links,
    load_partial,
    locked,
    make_folder,
    restored,
    save,
    writing,
)
from aligner.corpus.tei import ALIGNMENT_FILE, document_to_tei, version_file
from aligner.corpus.triangle import carry, contradictions, derive, show_link
from aligner.edit.files import flush, saved_digests, settled
from aligner.edit.journal import JOURNAL_FILE
from aligner.errors import AlignerError, CorpusError, InputError, InputTooLongError
from aligner.fingerprint import engine_config, fingerprint, person_part
from aligner.ingest.blocks import READERS
from aligner.ingest.langs import is_region
from aligner.ingest.text import HTML_SUFFIXES, ingest_file, source_of
from aligner.parallel import run_tasks

log = logging.getLogger(__name__)

INPUT_SUFFIXES = (".txt", *HTML_SUFFIXES, *READERS)
META_SUFFIX = ".meta.json"
_TRIES = 3  # alignments of a document that edits keep overtaking before the build gives up
COMPACT_EVERY = 128  # documents between a build's looks at its cache (compacted from `compaction.AUTO` shards)

# a version and its sentence the engine refused as too long → the error naming it (`naming_too_long`)
TooLong = Callable[[Document, Sentence], AlignerError]


@dataclass(frozen=True)
class DroppedLink:
    """A link a person made that a build could not keep: its pair, its sentences (ids and texts,
    as the person linked them) and why."""

    pair: tuple[str, str]
    src: tuple[Sentence, ...]
    tgt: tuple[Sentence, ...]
    why: str

    def shown(self) -> str:
        """The link as the warning and the summary show it: `en.p2.s2 | zh-Hans.p2.s2`."""
        return " | ".join(" ".join(s.id for s in side) or "-" for side in (self.src, self.tgt))

    def as_json(self) -> dict[str, object]:
        return {
            "pair": "-".join(self.pair),
            "src": [s.id for s in self.src], "tgt": [s.id for s in self.tgt],
            "src_text": [s.text for s in self.src], "tgt_text": [s.text for s in self.tgt],
            "why": self.why,
        }  # fmt: skip


@dataclass(frozen=True)
class StaleDocument:
    """A document of the corpus that no seed names any more (removed or renamed), left in place."""

    doc_id: str
    folder: Path
    keeps: str  # what in it `--prune` will not remove (a person's work), "" when nothing
    renamed_to: str = ""  # the document built now from texts that are (almost) its own

    @property
    def fix(self) -> str:
        """What the summary says of it, with what to do."""
        if not self.keeps:
            holds = "no person's work in it: --prune removes it"
            if self.renamed_to:
                return f"looks renamed to {self.renamed_to} (its texts are those of {self.renamed_to}; {holds}): remove {self.folder}"
            return f"no seed any more, but still in the corpus ({holds}): remove {self.folder}, or put its seeds back ({self.doc_id}.LANG.txt)"
        if self.renamed_to:
            return (
                f"looks renamed to {self.renamed_to} (its texts are those of {self.renamed_to}, which was built without"
                f" what {self.doc_id} holds: {self.keeps}): to keep that, name the seeds {self.doc_id}.* again and"
                f" remove {self.folder.with_name(self.renamed_to)}; else remove {self.folder}"
            )  # fmt: skip
        return f"no seed any more, but still in the corpus, with {self.keeps}: remove {self.folder}, or put its seeds back ({self.doc_id}.LANG.txt)"

    def as_json(self) -> dict[str, object]:
        return {
            "doc_id": self.doc_id, "folder": str(self.folder), "keeps": self.keeps, "prunable": not self.keeps,
            "renamed_to": self.renamed_to or None, "fix": self.fix,
        }  # fmt: skip


@dataclass
class BuildReport:
    """What a build did: per document, sentences per language and links by pair and type."""

    corpus: Path
    sentences: dict[str, dict[str, int]] = field(default_factory=dict)
    links: dict[str, dict[str, Counter[str]]] = field(default_factory=dict)
    changed: list[Path] = field(default_factory=list)
    # per document, the pairs that do not look like translations: share of sentences linked
    unrelated: dict[str, dict[str, float]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # documents whose fingerprint had not changed
    encoders: dict[str, dict[str, str]] = field(default_factory=dict)  # per document, pair → encoder
    compacted: list[dict[str, object]] = field(default_factory=list)  # the cache merges, during and at the end
    dropped: dict[str, list[DroppedLink]] = field(default_factory=dict)  # per document, the person's links it lost
    stale: list[StaleDocument] = field(default_factory=list)  # documents of the corpus with no seed, left in place
    pruned: list[str] = field(default_factory=list)  # documents with no seed and no person's work, removed (`prune`)

    def add(self, result: DocumentResult) -> None:
        """Take in one document's result."""
        self.sentences[result.doc_id] = result.sentences
        self.links[result.doc_id] = {pair: Counter(kinds) for pair, kinds in result.links.items()}
        self.changed += result.changed
        self.encoders[result.doc_id] = result.encoders
        if result.unrelated:
            self.unrelated[result.doc_id] = result.unrelated
        if result.skipped:
            self.skipped.append(result.doc_id)
        if result.dropped:
            self.dropped[result.doc_id] = list(result.dropped)

    def unrelated_lines(self) -> list[str]:
        """A warning for each pair of versions that do not look like translations (`unrelated`),
        for the command line and the API alike."""
        from aligner.align.confidence import unrelated_warning

        return [unrelated_warning(f"{doc_id}: versions {pair}", share) for doc_id, pairs in self.unrelated.items() for pair, share in pairs.items()]

    def as_json(self) -> dict[str, object]:
        return {
            "corpus": str(self.corpus),
            "documents": len(self.sentences),
            "sentences": self.sentences,
            "links": {d: {p: dict(c) for p, c in pairs.items()} for d, pairs in self.links.items()},
            "changed": [str(p) for p in self.changed],
            "unrelated": self.unrelated,
            "skipped": self.skipped,
            "encoders": self.encoders,
            "cache_compacted": self.compacted,
            "person_links_dropped": {d: [lk.as_json() for lk in links] for d, links in self.dropped.items()},
            "stale": [doc.as_json() for doc in self.stale],
            "pruned": self.pruned,
        }


@dataclass(frozen=True)
class DocumentTask:
    """One document of a build: its input files, the corpus it goes to, and the engine options."""

    doc_id: str
    paths: tuple[Path, ...]
    corpus: Path
    encoder: str = "auto"
    quiet: bool = True
    force: bool = False  # align even when the fingerprint says nothing changed
    run: str = ""  # the build's tag on its temp files, cleared when it ends (see `clear_temporaries`)


@dataclass(frozen=True)
class DocumentResult:
    """What building one document did (small and picklable: it travels back from a worker)."""

    doc_id: str
    sentences: dict[str, int]  # version's full tag (zh-Hant-TW) → sentences
    links: dict[str, dict[str, int]]  # pair → link type → count
    changed: tuple[Path, ...]
    unrelated: dict[str, float]  # pairs that do not look like translations: share linked
    skipped: bool
    encoders: dict[str, str]  # pair → the sentence encoder that made its links ("none": characters)
    dropped: tuple[DroppedLink, ...] = ()  # the person's links the build could not keep


def find_sources(seeds: Path) -> dict[str, list[Path]]:
    """Input files under `seeds`, grouped by document id."""
    if not seeds.is_dir():
        raise InputError(f"{seeds}: no such folder; give the folder holding the texts to ingest")
    groups: dict[str, list[Path]] = {}
    for path in texts_in(seeds):
        groups.setdefault(source_of(path).doc_id, []).append(path)
    if not groups:
        raise InputError(f"{seeds}: no files to ingest (.txt, .html or one of {', '.join(READERS)})")
    return groups


def texts_in(folder: Path) -> list[Path]:
    """The texts to ingest under `folder`, sorted: input suffix, not `not_a_text`, each `a_file`; the rest `passed_over`."""
    texts = []
    for path in sorted(p for p in folder.rglob("*") if not not_a_text(p)):
        if path.suffix.lower() in INPUT_SUFFIXES:
            texts.append(a_file(path))
        else:
            passed_over(path)
    return texts


# formats of texts that are not read but would be once saved or named otherwise: suffix → how
_CONVERTIBLE = {
    ".doc": "old Word files (.doc) are not read; save it as .docx (Word: File › Save As › Word Document)",
}


def passed_over(path: Path) -> None:
    """Refuse a file not read that would be once converted (`_CONVERTIBLE`); warn of another named as a version (DOC.LANG.csv)."""
    if not path.is_file():
        return
    if (how := _CONVERTIBLE.get(path.suffix.lower())) is not None:
        raise InputError(f"{path}: {how}, or move it out of the folder")
    if _tagged(path):
        log.warning("%s: not read: %s is none of the formats read (%s); convert it to one, or move it out of the folder",
                    path, path.suffix, ", ".join(INPUT_SUFFIXES))


def _tagged(path: Path) -> bool:
    """Whether a file is named as a version of a document, DOC.LANG.ext (as `source_of` reads a .txt's name)."""
    try:
        return source_of(path.with_suffix(".txt")).lang is not None
    except InputError:  # no name a text could have (a typo for a tag, a space in it): a file of another kind
        return False


def a_file(path: Path) -> Path:
    """`path`, named as a text to ingest, if it is a file: a folder (or a broken link, a pipe) of
    such a name is an error, as a text that cannot be read is, not a text silently left out."""
    if not path.is_file():
        what = "a folder" if path.is_dir() else "not a file (a broken link, a pipe or a device)"
        raise InputError(f"{path}: {what}, but named as a text to ingest; rename it, or move it out of the seeds folder")
    return path


def not_a_text(path: Path) -> bool:
    """Hidden files and the folder's own README (README.md, README.txt) are not texts to ingest."""
    return path.name.startswith(".") or path.stem.upper() == "README"


def read_sidecar(path: Path) -> dict[str, str]:
    """Metadata a person wrote beside a text (`NAME.meta.json`: translator, note, source, region)."""
    side = path.with_name(path.name.rsplit(".", 1)[0] + META_SUFFIX)
    if not side.exists():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8-sig"))  # Notepad writes a byte order mark
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise InputError(f"{side}: not valid JSON ({err}); fix the metadata file") from None
    allowed = {"translator", "note", "source", "region"}
    if not isinstance(data, dict) or not set(data) <= allowed:
        raise InputError(f"{side}: expected an object with keys among {sorted(allowed)}")
    return {k: str(v) for k, v in data.items()}


def sidecar_region(path: Path, doc: Document, value: str) -> str:
    """The region a sidecar gives (`"region": "TW"`), checked against the one in the file name."""
    region = value.strip().upper()
    if not is_region(region):
        raise InputError(f"{path}: sidecar region '{value}' is not a region code; use TW, HK, MO, CN or another ISO 3166 code")
    if doc.region and doc.region != region:
        raise InputError(f"{path}: the name says {doc.tag} but the sidecar says region {region}; make them agree")
    return region


class Ingested(dict[str, Document]):
    """A document's versions by language, as read from its files, with the file of each (`origin`)."""

    def __init__(self) -> None:
        super().__init__()
        self.origin: dict[str, Path] = {}


def ingest_versions(doc_id: str, paths: Iterable[Path]) -> Ingested:
    """Ingest each file of a document, one version a file; two files of the same language are a collision."""
    versions = Ingested()
    origin = versions.origin
    for path in paths:
        doc = ingest_file(path, doc_id)
        if doc.lang in versions:
            had = versions[doc.lang]
            fix = (
                f"two regions of one script ({had.tag}, {doc.tag}) go in two documents: give one file another"
                f" document name (e.g. {doc_id}-{doc.region.lower()}.{doc.tag}.txt)"
            ) if had.region and doc.region and had.region != doc.region else (
                "rename one of them or tag its language in the name (NAME.LANG.txt)"
            )  # fmt: skip
            raise CorpusError(f"{path}: document '{doc_id}' already has a version tagged {had.tag} (from {origin[doc.lang]}); {fix}")
        extra = read_sidecar(path)
        if "region" in extra:
            doc = replace(doc, region=sidecar_region(path, doc, extra.pop("region")))
        if extra:
            doc = replace(doc, meta=replace(doc.meta, **extra))
        versions[doc.lang], origin[doc.lang] = doc, path
    return versions


def alignment_plan(langs: Iterable[str]) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """Which pairs to align directly and which to derive through a pivot.

    Two scripts of one language (zh-Hans, zh-Hant) align directly, being the surest pair; every
    other version aligns to the pivot (English when present), and the remaining pairs are derived
    through it (`aligner.corpus.triangle.derive`) so that the three link groups cannot contradict each other.
    """
    langs = sorted(langs, key=lambda lang: (lang != "en", lang))
    direct: list[tuple[str, str]] = []
    derived: list[tuple[str, str, str]] = []
    if len(langs) < 2:
        return direct, derived
    pivot = langs[0]
    reached = {pivot}
    for lang in langs[1:]:
        sibling = next((r for r in sorted(reached) if r != pivot and _same_language(r, lang)), None)
        if sibling:
            direct.append((sibling, lang))
            derived.append((pivot, sibling, lang))
        else:
            direct.append((pivot, lang))
        reached.add(lang)
    for a in langs[1:]:
        for b in langs[1:]:
            if a < b and (a, b) not in direct and (b, a) not in direct:
                derived.append((a, pivot, b))
    return direct, derived


def _same_language(a: str, b: str) -> bool:
    return a.split("-")[0] == b.split("-")[0]


def engine_signature(src_lang: str, tgt_lang: str, encoder: str = "auto") -> str:
    """What made the machine links of a pair, the sentence encoder named, so that a result can be
    reproduced."""
    from aligner.align.engine import encoder_for

    spec = encoder_for(src_lang, tgt_lang, encoder)
    if spec is None:
        signals = "character bigrams after OpenCC conversion, length; no sentence encoder"
    else:
        words = ", CC-CEDICT" if {src_lang.split("-")[0], tgt_lang.split("-")[0]} == {"en", "zh"} else ""
        signals = f"sentence encoder {spec.name}: {spec.description}{words}, numbers, length"
    return f"aligner {__version__} engine; {src_lang}-{tgt_lang}; {signals}"


def encoder_name(src_lang: str, tgt_lang: str, encoder: str) -> str:
    """The name of the sentence encoder the engine runs on a pair; "none" for two Chinese versions."""
    from aligner.align.engine import encoder_for

    spec = encoder_for(src_lang, tgt_lang, encoder)
    return spec.name if spec else "none"


def engine_for(src_lang: str, tgt_lang: str, encoder: str = "auto", quiet: bool = True) -> Aligner:
    """The engine as a function of two sentence lists, with the encoder asked for."""
    from aligner.align.engine import align

    return functools.partial(align, src_lang=src_lang, tgt_lang=tgt_lang, quiet=quiet, encoder=encoder)


def naming_too_long(engine: Aligner, versions: tuple[Document, Document], too_long: TooLong) -> Aligner:
    """`engine` aligning sentences of `versions`, raising `too_long(version, sentence)` for the one it
    refuses as too long: the text at the error's index, on its side, of those it was given."""

    def run(src: Sequence[str], tgt: Sequence[str]) -> Sequence[Bead]:
        try:
            return engine(src, tgt)
        except InputTooLongError as err:
            doc, texts = (versions[0], src) if err.side == "source" else (versions[1], tgt)
            raise too_long(doc, next(s for s in doc.sentences() if s.text == texts[err.index])) from None

    return run


def align_text(
    text: ParallelText, previous: ParallelText | None, quiet: bool, encoder: str = "auto",
    too_long: TooLong | None = None,
) -> ParallelText:  # fmt: skip
    """Align every pair of versions, keeping the links a person made in the previous build.

    A pair is derived as soon as the two it comes from are made. Pairs of one language's scripts
    go first, then the pivot's pairs with such a language, so that when the second pair a derived
    pair comes from is aligned, the person's links of the derived pair can be carried onto it.
    `too_long` makes the error for a sentence the engine refuses as too long (`naming_too_long`).
    """

    def engine_of(a: str, b: str) -> Aligner:
        engine = engine_for(a, b, encoder, quiet)
        return naming_too_long(engine, (text.versions[a], text.versions[b]), too_long) if too_long else engine

    direct, derived = alignment_plan(text.versions)
    done: dict[tuple[str, str], Alignment] = {}
    pending = list(derived)
    for a, b in sorted(direct, key=lambda pair: _direct_order(pair, text.versions)):
        engine = engine_of(a, b)
        fixed = person_links(previous.alignment(a, b) if previous else None)
        mine = {x for lk in fixed for x in (*lk.src, *lk.tgt)}
        fixed += [lk for lk in _carried(previous, derived, done, (a, b)) if not mine & {*lk.src, *lk.tgt}]
        timed = timed_engine(text.versions[a], text.versions[b])  # two subtitle versions: by cue times
        links = align_keeping_person_links(text.versions[a], text.versions[b], fixed, timed or engine)
        links = _keep_said(links, previous.alignment(a, b) if previous else None)
        done[(a, b)] = Alignment(a, b, links, timing_signature(a, b) if timed else engine_signature(a, b, encoder))
        for triple in [t for t in pending if _made(done, t[0], t[1]) and _made(done, t[1], t[2])]:
            engine = engine_of(triple[0], triple[2])
            done[(triple[0], triple[2])] = _derived(text, previous, done, triple, engine, encoder)
            pending.remove(triple)
    return replace(text, alignments=tuple(done[p] for p in sorted(done)))


def _keep_said(links: tuple[Link, ...], before: Alignment | None) -> tuple[Link, ...]:
    """Machine links made again exactly as before keep the XLIFF notes and state they had (a
    person's links keep theirs, being kept whole)."""
    said = {(lk.src, lk.tgt): lk for lk in before.links if lk.notes or lk.state} if before else {}
    return tuple(
        replace(lk, notes=said[lk.src, lk.tgt].notes, state=said[lk.src, lk.tgt].state)
        if lk.resp == "machine" and (lk.src, lk.tgt) in said else lk
        for lk in links
    )


def _direct_order(pair: tuple[str, str], langs: Iterable[str]) -> int:
    """0 for two scripts of one language, 1 for a pair with a language written in two scripts, else 2."""
    if _same_language(*pair):
        return 0
    scripts = Counter(lang.split("-")[0] for lang in langs)
    return 1 if any(scripts[lang.split("-")[0]] > 1 for lang in pair) else 2


def _made(done: dict[tuple[str, str], Alignment], a: str, b: str) -> bool:
    return (a, b) in done or (b, a) in done


def _derived(
    text: ParallelText, previous: ParallelText | None, done: dict[tuple[str, str], Alignment],
    triple: tuple[str, str, str], engine: Aligner, encoder: str,
) -> Alignment:  # fmt: skip
    """The pair a↔b derived through the pivot, checked against the two pairs it comes from."""
    a, pivot, b = triple
    legs = _oriented(done, a, pivot), _oriented(done, pivot, b)
    person = person_links(previous.alignment(a, b) if previous else None)
    versions = text.versions[a], text.versions[pivot], text.versions[b]
    al = derive(*legs, versions, engine, person, engine_signature(a, b, encoder))
    for lk in sorted(set(person) - set(al.links), key=person.index):
        log.warning("%s: person link %s of %s↔%s dropped: it contradicts the links through %s", text.doc_id, show_link(lk), a, b, pivot)
    problems = contradictions(*legs, al)
    if problems:
        raise CorpusError(f"{text.doc_id}: {problems[0]} ({len(problems)} in all); this is a bug, please report it")
    return al


def _oriented(done: dict[tuple[str, str], Alignment], a: str, b: str) -> Alignment:
    """The alignment of a pair already made, seen from `a`."""
    return done[(a, b)] if (a, b) in done else reverse(done[(b, a)])


def _carried(
    previous: ParallelText | None, derived: list[tuple[str, str, str]],
    done: dict[tuple[str, str], Alignment], pair: tuple[str, str],
) -> list[Link]:  # fmt: skip
    """Links a person made in a derived pair, carried onto `pair` (one of the two it is derived
    from) through the other one, if that is aligned already."""
    carried: list[Link] = []
    for a, pivot, b in derived if previous else ():
        if pivot not in pair:
            continue
        near = pair[0] if pair[1] == pivot else pair[1]
        far = {a: b, b: a}.get(near)
        if far is None or not _made(done, far, pivot):
            continue
        links = carry(person_links(previous.alignment(near, far)), _oriented(done, far, pivot))  # type: ignore[union-attr]
        carried += links if pair == (near, pivot) else [replace(lk, src=lk.tgt, tgt=lk.src) for lk in links]
    return carried


def build_document(task: DocumentTask) -> DocumentResult:
    """Ingest, align and write one document, or skip it when its fingerprint has not changed.

    Depends on nothing but the task and the files it names, so it runs the same in any process:
    the unit of `--jobs` and of a Dask cluster. Its files are saved all or none (`store.save`), so a
    build killed half-way redoes the document or finds it done.
    """
    ingested = ingest_versions(task.doc_id, task.paths)
    folder = task.corpus / task.doc_id
    make_folder(folder)
    with _removed_if_left_empty(folder):
        for _ in range(_TRIES):  # an edit saved while the document was aligned: align it again
            seen, previous, older = _previous(task, folder, ingested)
            if seen is None:
                continue
            versions = keep_edited(dict(ingested), previous)
            previous, dropped = followed(previous, versions) if previous else (None, [])
            tei = {lang: document_to_tei(doc) for lang, doc in versions.items()}
            config = _config(versions, task.encoder)
            if previous is not None and not task.force and not dropped and _unchanged(previous, tei, folder, config):
                text, write = previous, older  # a file in an older TEI form is rewritten
            else:
                changes = previous.changes if previous else ()
                text = align_text(ParallelText(task.doc_id, versions, changes=changes), previous, task.quiet, task.encoder,
                                  functools.partial(_too_long, ingested, folder))
                dropped += lost(previous, text)
                text = replace(text, changes=text.changes + dropped_history(dropped))
                text, write = replace(text, fingerprint=fingerprint(tei, person_part(text.alignments), config)), True
            with locked(folder):
                if settled(folder) == seen:
                    changed = save(task.corpus, text, task.run) if write else []
                    break
        else:
            raise CorpusError(f"{folder}: edited again each time it was aligned ({_TRIES} times); build it when the edits are done")
    return DocumentResult(
        task.doc_id,
        {d.tag: sum(1 for _ in d.sentences()) for d in text.versions.values()},
        {f"{al.src_lang}-{al.tgt_lang}": dict(Counter(lk.kind for lk in al.links)) for al in text.alignments},
        tuple(changed),
        _unrelated(text),
        skipped=text is previous,
        encoders={
            f"{al.src_lang}-{al.tgt_lang}": encoder_name(al.src_lang, al.tgt_lang, task.encoder)
            for al in text.alignments
        },
        dropped=tuple(dropped),
    )


@contextmanager
def _removed_if_left_empty(folder: Path) -> Iterator[None]:
    """Remove the document folder when the block fails leaving nothing in it but the lock the
    build took, so that no reader takes a failed build for a document without versions."""
    try:
        yield
    except BaseException:
        with suppress(OSError):  # the build's own error is the one to tell
            if {p.name for p in folder.iterdir()} <= {LOCK_FILE}:
                (folder / LOCK_FILE).unlink(missing_ok=True)
                folder.rmdir()
        raise


def _too_long(ingested: Ingested, folder: Path, doc: Document, sent: Sentence) -> InputError:
    """The error for a sentence the engine refused as too long, its text not split into sentences:
    its file (the seed it was read from, else the corpus's), place and length, with the fix."""
    para, k = next((para, k) for para in doc.paragraphs for k, s in enumerate(para.sentences, 1) if s.id == sent.id)
    where = "the title" if para.kind == "head" else f"paragraph {para.id.rsplit('.p', 1)[-1]}"
    file = ingested.origin[doc.lang] if ingested.get(doc.lang) is doc else folder / version_file(doc.lang)
    return InputError(
        f"{file}: {where}, sentence {k} ({sent.id}) has {len(sent.text)}"
        " characters, too many for one sentence: the text is not split into sentences; end each with . ? ! or 。"
        " and put a blank line between paragraphs"
    )


def _previous(task: DocumentTask, folder: Path, ingested: Ingested) -> tuple[tuple[object, ...] | None, ParallelText | None, bool]:
    """The document as the corpus holds it, with the token of its files (`settled`; None when an
    edit came between the flush and the read), and whether a file is in an older TEI form. A
    version whose file is missing or cannot be read is the one ingested now (`_ingested_again`)."""
    if (folder / JOURNAL_FILE).exists():
        flush(folder, task.doc_id)  # edits the web editor has in its journal but not yet in the files
    with locked(folder):
        seen = settled(folder)
        if not (folder / ALIGNMENT_FILE).exists():
            return seen, None, False
        part = load_partial(task.corpus, task.doc_id)
        saved = saved_digests(folder) if part.lost else {}
    return seen, _ingested_again(task, folder, part, ingested, saved) if part.lost else part.text, part.upgraded


def _ingested_again(task: DocumentTask, folder: Path, part: Partial, ingested: Ingested, saved: dict[str, str]) -> ParallelText:
    """The document with the versions whose file is missing or damaged (`load_partial`) as ingested
    now, and their links back when what is ingested is the version they were made on: the bytes
    the journal recorded for its file (`saved_digests`: an edit wrote the document last), or
    those align.xml's fingerprint was made from (a build wrote it last: the fingerprint made
    again from the other versions' files, the lost ones ingested again and every link is the
    same). Else the links into them are dropped, saying how many a person made. A warning each."""
    again = {lang: document_to_tei(ingested[lang]) for lang in part.lost if lang in ingested}
    same = as_recorded(part, again, saved)
    if len(same) < len(part.lost) and set(again) == set(part.lost):
        config = _config([*part.text.versions, *part.lost], task.encoder)
        if part.text.fingerprint == fingerprint({**part.tei, **again}, person_part(part.links), config):
            same = set(again)
    for lang, why in sorted(part.lost.items()):
        path = folder / version_file(lang)
        person = sum(lk.resp == "person" for al in part.links if lang in al.pair for lk in al.links)
        made = f"{person} of them made by a person, lost: review the alignment" if person else "none made by a person"
        if lang in same:
            log.warning("%s: %s; ingested again from its input, the very version its links were made on: they are kept", path, why)
        elif lang in ingested:
            log.warning("%s: %s; ingested again from its input, which is not the version its links were made on: they are dropped (%s)", path, why, made)
        else:
            log.warning("%s: %s, and no input has this version: it leaves the corpus with its links (%s)", path, why, made)
    return restored(part, {lang: ingested[lang] for lang in same}, folder / ALIGNMENT_FILE)


def _config(langs: Iterable[str], encoder: str) -> dict[str, str]:
    """The engine configuration a build of these versions records in the fingerprint."""
    direct, derived = alignment_plan(langs)
    pairs = direct + [(a, b) for a, _, b in derived]
    return engine_config({(a, b): engine_signature(a, b, encoder) for a, b in pairs}, encoder)


def keep_edited(versions: dict[str, Document], previous: ParallelText | None) -> dict[str, Document]:
    """The ingested versions, except those whose sentences a person edited (`aligner edit`: split,
    joined or corrected): their stored text and segmentation stand, the input is not read again,
    nor missed when it is gone (a person's work is never lost)."""
    if previous is None:
        return versions
    edited = {t.split("#", 1)[0].removesuffix(".xml") for c in standing(previous.changes) for t in c.target if not t.startswith("#")}
    for lang in sorted(edited & set(previous.versions)):
        if lang in versions:
            log.warning("%s: %s sentences were edited by hand; keeping them rather than the input file's", previous.doc_id, lang)
        else:
            log.warning("%s: %s has no input file any more, but its sentences were edited by hand: it stays; put its"
                        " file back in the seeds, or remove the document's folder to build it from the inputs alone",
                        previous.doc_id, lang)
        versions[lang] = previous.versions[lang]
    return versions


def followed(previous: ParallelText, versions: dict[str, Document]) -> tuple[ParallelText, list[DroppedLink]]:
    """The previous build's links moved onto the versions read now. Sentence ids are positions, so
    after a sentence was added or removed in an input file an id may name another sentence: each
    id follows its sentence's text (the longest common run of texts, as `diff` finds it; a sentence
    edited only slightly, `same_sentence`, is still the one it was). A link made by a person whose
    sentences are gone or rewritten is dropped, with a warning, never left on other sentences, and
    returned (for the report and the document's history: `dropped_history`). A version no longer
    among the inputs goes, with a warning."""
    moved = {lang: _ids_moved(previous.versions[lang], doc) for lang, doc in versions.items() if lang in previous.versions}
    for lang in sorted(set(previous.versions) - set(versions)):
        log.warning("%s: %s is no longer among the inputs; its version and links leave the corpus", previous.doc_id, lang)
    alignments, dropped = [], []
    for al in previous.alignments:
        src, tgt = moved.get(al.src_lang, {}), moved.get(al.tgt_lang, {})
        links = []
        for lk in al.links:
            if all(x in src for x in lk.src) and all(x in tgt for x in lk.tgt):
                links.append(replace(lk, src=tuple(src[x] for x in lk.src), tgt=tuple(tgt[x] for x in lk.tgt)))
            elif lk.resp == "person":
                gone = al.src_lang if al.src_lang not in versions else al.tgt_lang if al.tgt_lang not in versions else ""
                why = f"{gone} is no longer among the inputs" if gone else "its sentences changed in the input files (rewritten, split, joined or removed)"
                dropped.append(_dropped(previous, al.pair, lk, why))
                log.warning("%s: a link made by a person (%s) is dropped: %s; review the alignment", previous.doc_id, dropped[-1].shown(), why)
        alignments.append(replace(al, links=tuple(links)))
    return replace(previous, alignments=tuple(alignments)), dropped


def lost(previous: ParallelText | None, text: ParallelText) -> list[DroppedLink]:
    """The person's links of `previous` (moved onto the sentences read now: `followed`) that
    aligning `text` did not keep: in a pair aligned directly, one that crosses or overlaps another
    a person made (`align_keeping_person_links` keeps the first; warned of here); in a derived pair,
    one that contradicts the two pairs it comes from (`_derived` warns of it)."""
    if previous is None:
        return []
    pivots = {frozenset((a, b)): pivot for a, pivot, b in alignment_plan(text.versions)[1]}
    dropped = []
    for al in previous.alignments:
        now = text.alignment(*al.pair)
        kept = {(lk.src, lk.tgt) for lk in person_links(now)}
        for lk in person_links(al) if now else ():
            if (lk.src, lk.tgt) in kept:
                continue
            pivot = pivots.get(frozenset(al.pair))
            why = f"it contradicts the links through {pivot}" if pivot else "it crosses or overlaps another link a person made"
            dropped.append(_dropped(text, al.pair, lk, why))
            if not pivot:
                log.warning("%s: a link made by a person (%s) is dropped: %s; review the alignment", text.doc_id, dropped[-1].shown(), why)
    return dropped


def _dropped(text: ParallelText, pair: tuple[str, str], lk: Link, why: str) -> DroppedLink:
    """A person's link of `text` as the report and the history tell of it: its sentences with their texts."""
    sides = []
    for lang, ids in zip(pair, (lk.src, lk.tgt), strict=True):
        index = text.versions[lang].sentence_index() if lang in text.versions else {}
        sides.append(tuple(index.get(x, Sentence(x, "")) for x in ids))
    return DroppedLink(pair, sides[0], sides[1], why)


BUILD_WHO = "aligner build"  # the name under which a build writes in a document's history


def dropped_history(dropped: Sequence[DroppedLink]) -> tuple[Change, ...]:
    """A history line for each link of a person a build dropped, as `aligner edit DOC history`
    shows it, under BUILD_WHO. It names the pair's link group, never a version (`keep_edited`
    would take a version named for one a person edited)."""
    from aligner.edit.session import history_line

    def quoted(side: tuple[Sentence, ...]) -> str:
        text = " ".join(s.text for s in side)
        return f"“{text[:60]}…”" if len(text) > 61 else f"“{text}”"

    return tuple(
        history_line(BUILD_WHO, f"{a}–{b}: dropped a link a person made, {lk.shown()} ({quoted(lk.src)} | {quoted(lk.tgt)}): {lk.why}",
                     (f"#{a}--{b}",))
        for lk in dropped for a, b in [lk.pair]
    )  # fmt: skip


def _ids_moved(old: Document, new: Document) -> dict[str, str]:
    """Each sentence id of `old` whose text is in `new` at the matching place → its id there; in
    a stretch of sentences that changed between two that did not, a sentence edited only slightly
    (`same_sentence`) → the id of what it became."""
    before, after = list(old.sentences()), list(new.sentences())
    if [(s.id, s.text) for s in before] == [(s.id, s.text) for s in after]:
        return {s.id: s.id for s in before}
    texts = [s.text for s in before], [s.text for s in after]
    moved: dict[str, str] = {}
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, *texts, autojunk=False).get_opcodes():
        if tag == "equal":
            moved |= {before[i1 + k].id: after[j1 + k].id for k in range(i2 - i1)}
        elif tag == "replace":
            moved |= {before[i1 + i].id: after[j1 + j].id for i, j in _edited(texts[0][i1:i2], texts[1][j1:j2])}
    return moved


# A link a person made stays on a sentence an input file changed only slightly: the same text once
# case, spaces and punctuation are set aside (a comma added), or one character (a letter, a 字)
# added, dropped or replaced in a text still half alike (a typo, in a title too), or a character
# similarity (`difflib` ratio of the texts so reduced) of SAME_SENTENCE or more: about a tenth
# changed. Measured on the seed article (54 sentences a version, en, zh-Hans, zh-Hant): two
# different sentences are at most 0.53 alike, a sentence with its second half rewritten 0.45–0.77,
# a paraphrase 0.39–0.52; one word replaced 0.82–0.98 (median 0.94; 80 % kept), a clause added
# 0.71–0.95 (median 0.86–0.89; 25–45 % kept); one letter or 字 replaced 0.91–0.99, an added comma 1.
SAME_SENTENCE = 0.9
_BAND = 8  # how far from its place, counted from either end of a changed stretch, an edited sentence is looked for


def _bare(text: str) -> str:
    """A sentence's text as edits are compared: NFKC, case folded, without spaces, punctuation or
    invisible characters."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if unicodedata.category(ch)[0] not in "PZC")


def _alike(x: str, y: str) -> float:
    """How alike two texts already `_bare` are as one sentence edited: 1.0 when they are equal (so
    differ only in case, spaces or punctuation), else their character similarity, 0 when not the
    same sentence (see SAME_SENTENCE). The cheap upper bounds of difflib's ratio turn most
    pairs down before the ratio itself is worked out."""
    if x == y:
        return 1.0
    total = len(x) + len(y)
    matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
    for bound in (matcher.real_quick_ratio, matcher.quick_ratio):
        ratio = bound()
        if ratio < SAME_SENTENCE and not (ratio >= 0.5 and total - round(ratio * total) <= 2):
            return 0.0
    apart = total - 2 * sum(size for *_, size in matcher.get_matching_blocks())  # characters added or dropped
    ratio = 1 - apart / total
    return ratio if ratio >= SAME_SENTENCE or (apart <= 2 and ratio >= 0.5) else 0.0


def same_sentence(a: str, b: str) -> bool:
    """Whether `b` is `a` edited only slightly (a typo fixed, a comma added): see SAME_SENTENCE."""
    return _alike(_bare(a), _bare(b)) > 0


def _edited(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """In a stretch of sentences that changed (`old` became `new`), the pairs (i, j), in order,
    of an old sentence and what it was edited into (`_alike`): of the chains of such pairs that
    keep the order, the most alike. A sentence is looked for within _BAND places of its own,
    counted from either end of the stretch, so a long stretch costs its length, not its square."""
    n, m = len(old), len(new)
    xs, ys = [_bare(t) for t in old], [_bare(t) for t in new]
    rows: dict[int, list[tuple[int, float]]] = {}
    for i in range(n):
        for j in sorted({j for d in (0, m - n) for j in range(max(i + d - _BAND, 0), min(i + d + _BAND + 1, m))}):
            if score := _alike(xs[i], ys[j]):
                rows.setdefault(i, []).append((j, score))
    Chain = tuple[float, tuple[int, int] | None]  # how alike a chain is in all, and its last pair
    tree: list[Chain] = [(0.0, None)] * (m + 1)  # a Fenwick tree: the best chain ending at a column ≤ j

    def best_before(j: int) -> Chain:
        found, k = tree[0], j
        while k > 0:
            found, k = max(found, tree[k], key=lambda chain: chain[0]), k - (k & -k)
        return found

    def put(j: int, chain: Chain) -> None:
        k = j + 1
        while k <= m:
            tree[k], k = max(tree[k], chain, key=lambda c: c[0]), k + (k & -k)

    back: dict[tuple[int, int], tuple[int, int] | None] = {}
    for i, cells in sorted(rows.items()):
        chains = [(j, best_before(j), score) for j, score in cells]  # all of a row first: one pair a row
        for j, (total, last), score in chains:
            back[(i, j)] = last
            put(j, (total + score, (i, j)))
    pairs, pair = [], best_before(m)[1]
    while pair is not None:
        pairs.append(pair)
        pair = back[pair]
    return pairs[::-1]


def standing(changes: Iterable[Change]) -> list[Change]:
    """The changes people made that stand, oldest first: an undo takes back the latest standing
    one, a redo brings back the latest taken back (an edit undone leaves the version as read)."""
    kept: list[Change] = []
    taken: list[Change] = []
    for change in changes:
        if change.who == BUILD_WHO:  # a build's record (`dropped_history`), no edit to take back
            continue
        if change.what.startswith("undid: "):
            taken += kept[-1:]
            del kept[-1:]
        elif change.what.startswith("redid: "):
            kept += taken[-1:]
            del taken[-1:]
        else:
            kept.append(change)
            taken.clear()
    return kept


def _unchanged(previous: ParallelText, tei: dict[str, bytes], folder: Path, config: dict[str, str]) -> bool:
    """Whether the corpus holds exactly these versions, aligned from them with this configuration."""
    on_disk = {p.name for p in folder.glob("*.xml")} - {ALIGNMENT_FILE}
    if on_disk != {version_file(lang) for lang in tei}:
        return False
    if any((folder / version_file(lang)).read_bytes() != data for lang, data in tei.items()):
        return False
    return previous.fingerprint == fingerprint(tei, person_part(previous.alignments), config)


def _unrelated(text: ParallelText) -> dict[str, float]:
    """The pairs of a document that do not look like translations, with their share linked."""
    from aligner.align.confidence import unrelated

    shares = {f"{al.src_lang}-{al.tgt_lang}": unrelated(al.links) for al in text.alignments}
    return {pair: share for pair, share in shares.items() if share is not None}


def build(
    seeds: Path, corpus: Path, quiet: bool = True, jobs: int = 1, scheduler: str | None = None,
    encoder: str = "auto", force: bool = False, prune: bool = False,
) -> BuildReport:  # fmt: skip
    """Ingest `seeds`, align, and write `corpus`; unchanged documents are skipped and keep their
    files byte-identical. `jobs` processes share the documents (or a Dask cluster at `scheduler`);
    the corpus is the same byte for byte whichever runs it. `force` aligns every document again.
    The documents of the corpus no seed names any more are reported (`stale_documents`); `prune`
    removes those that hold nothing of a person's (`prune_stale`)."""
    from aligner.align.encoders import CHOICES
    if encoder not in CHOICES:  # before anything is made: a bad option left an empty corpus folder
        raise InputError(f"unknown encoder '{encoder}'; choose one of {', '.join(CHOICES)}")
    if scheduler:  # workers run elsewhere, in another folder: give them absolute paths
        from aligner.cluster import check_address

        check_address(scheduler)
        seeds, corpus = seeds.resolve(), corpus.resolve()
    sources = find_sources(seeds)
    had = set(doc_ids(corpus))
    one = len(sources) == 1  # a single document shows the engine's own progress instead
    run, started = f"build-{secrets.token_hex(4)}", time.time()
    tasks = [DocumentTask(d, tuple(paths), corpus, encoder, quiet or not one, force, run) for d, paths in sources.items()]
    if scheduler:  # workers write into it: make it here, so a worker that cannot see it says so
        make_folder(corpus)
    shared = ([seeds], [corpus])  # every worker must read the seeds and write the corpus and its cache
    report = BuildReport(corpus)
    done = itertools.count(1)

    def compact_now() -> None:  # every COMPACT_EVERY documents, so a long build never piles up shards
        if next(done) % COMPACT_EVERY == 0:
            report.compacted += compact_cache()

    for result in run_tasks(build_document, tasks, jobs, "aligning documents", quiet or one, scheduler, shared, compact_now):
        report.add(result)
    for doc_id in sources:  # every task has ended: a temp file tagged `run` is a killed worker's,
        clear_temporaries(corpus / doc_id, run)  # and one of another build, older than this one, a killed build's
        clear_temporaries(corpus / doc_id, "build-*", older=started)
    report.stale = stale_documents(corpus, sources, set(sources) - had)
    if prune:
        report.pruned, report.stale = prune_stale(report.stale)
    report.compacted += compact_cache()
    return report


RENAMED = 0.9  # the share of two documents' sentences that pair off (`_ids_moved`) for one to look renamed to the other


def stale_documents(corpus: Path, seeded: Iterable[str], new: Iterable[str]) -> list[StaleDocument]:
    """The documents of the corpus a build made (their `align.xml` has its fingerprint; one that
    `aligner import` wrote has none) that no seed names any more, left in place, each with what in
    it is a person's (`_keeps`) and, when its texts are (almost) those of a document `new` in
    this build, that one's id (`_renamed_to`)."""
    seeded = set(seeded)
    stale = []
    for doc_id in doc_ids(corpus):
        if doc_id in seeded:
            continue
        try:
            links = load_links(corpus, doc_id)
        except AlignerError:
            stale.append(StaleDocument(doc_id, corpus / doc_id, "an align.xml that cannot be read"))
            continue
        if links.fingerprint:
            stale.append(StaleDocument(doc_id, corpus / doc_id, _keeps(corpus / doc_id, links)))
    return _renamed_to(corpus, stale, sorted(new)) if stale else stale


def _keeps(folder: Path, links: ParallelText) -> str:
    """What of a person's a document folder holds, in a few words ("" when nothing): links a person
    made, lines of history (edits; a build's record of links it dropped), a journal of edits."""
    if folder.is_symlink():
        return "a symbolic link for its folder"
    mine = sum(len(person_links(al)) for al in links.alignments)
    held = [
        f"{mine} link{'s' * (mine != 1)} made by a person" if mine else "",
        f"{len(links.changes)} line{'s' * (len(links.changes) != 1)} of history" if links.changes else "",
        "a journal of edits" if (folder / JOURNAL_FILE).exists() else "",
    ]  # fmt: skip
    return f"a person's work ({', '.join(h for h in held if h)})" if any(held) else ""


def _renamed_to(corpus: Path, stale: list[StaleDocument], new: list[str]) -> list[StaleDocument]:
    """`stale` with each document whose texts are (almost) those of one of `new` marked as renamed
    to it: RENAMED of the sentences of the two pair off, the same or edited only slightly."""
    loaded: dict[str, ParallelText | None] = {}

    def text_of(doc_id: str) -> ParallelText | None:
        if doc_id not in loaded:
            try:
                loaded[doc_id] = load(corpus, doc_id)
            except AlignerError:  # a document that cannot be read is no one's new name
                loaded[doc_id] = None
        return loaded[doc_id]

    marked = []
    for doc in stale:
        old = text_of(doc.doc_id) if new else None
        shares = [(share, d) for d in new if old and (now := text_of(d)) and (share := _shared(old, now)) >= RENAMED]
        marked.append(replace(doc, renamed_to=max(shares)[1]) if shares else doc)
    return marked


def _shared(old: ParallelText, new: ParallelText) -> float:
    """The share of the sentences of two documents (of the larger) that pair off, version by
    version: the same text, or one edited only slightly (`_ids_moved`)."""
    total = max(sum(1 for doc in text.versions.values() for _ in doc.sentences()) for text in (old, new))
    langs = sorted(set(old.versions) & set(new.versions))
    texts = [{(lang, _bare(s.text)) for lang in langs for s in text.versions[lang].sentences()} for text in (old, new)]
    if not total or len(texts[0] & texts[1]) < total / 2:  # not half the same (`_bare`): no need to look closer
        return 0.0
    return sum(len(_ids_moved(old.versions[lang], new.versions[lang])) for lang in langs) / total


def prune_stale(stale: list[StaleDocument]) -> tuple[list[str], list[StaleDocument]]:
    """Remove the documents of `stale` that hold nothing of a person's (`_keeps`, looked at again
    under the document's lock, so that an edit made meanwhile keeps it): the folder is renamed out
    of the corpus's sight, then deleted. The ids removed, and the documents left."""
    removed, left = [], []
    for doc in stale:
        gone = None
        if not doc.keeps:
            with locked(doc.folder):
                if not writing(doc.folder):  # its lock could not be made: nothing is removed unlocked
                    log.warning("%s: not removed (its lock file cannot be made)", doc.folder)
                    left.append(doc)
                    continue
                try:
                    keeps = _keeps(doc.folder, load_links(doc.folder.parent, doc.doc_id))
                except AlignerError:
                    keeps = "an align.xml that cannot be read"
                if not keeps:
                    gone = doc.folder.with_name(f".{doc.doc_id}.pruned-{secrets.token_hex(4)}")
                    try:
                        doc.folder.rename(gone)
                    except OSError as err:
                        log.warning("%s: not removed (%s)", doc.folder, err)
                        gone = None
            doc = replace(doc, keeps=keeps)
        if gone is None:
            left.append(doc)
            continue
        removed.append(doc.doc_id)
        try:
            shutil.rmtree(gone)
        except OSError as err:
            log.warning("%s: removed from the corpus, but not deleted (%s); delete it by hand", gone, err)
    return removed, left


def compact_cache() -> list[dict[str, object]]:
    """Merge the shards of the embedding cache's folders that hold `compaction.AUTO` or more (a
    build of many documents leaves a shard or two a document), so that the processes after, and
    the workers still running, index and list few files; what was merged, per folder."""
    from aligner.align.compaction import AUTO, compact, model_folders

    reports = []
    for folder in model_folders(cache_dir()):
        try:
            reports.append(compact(folder, at_least=AUTO))
        except OSError as err:  # as any cache write: a failure costs the next run time, not this build
            log.warning("embedding cache %s not compacted: %s", folder, err)
    return [r.as_json() for r in reports if r.written]
