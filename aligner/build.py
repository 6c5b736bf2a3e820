"""The main job: ingest every file under a seeds folder, align the versions, write the TEI corpus."""

from __future__ import annotations

import functools
import itertools
import json
import logging
import secrets
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from aligner import __version__
from aligner.align.bead import Bead
from aligner.align.search import Span
from aligner.align.timing import timed_engine, timing_signature
from aligner.cache import cache_dir
from aligner.corpus.follow import (
    DroppedLink,
    InputChanged,
    dropped_history,
    dropped_link,
    followed,
    keep_edited,
    lost,
)
from aligner.corpus.links import Aligner, align_keeping_person_links, person_links
from aligner.corpus.model import Alignment, Document, Link, ParallelText, Sentence, reverse
from aligner.corpus.stale import StaleDocument, prune_stale, stale_documents
from aligner.corpus.store import (
    COMMIT_FILE,
    LOCK_FILE,
    Partial,
    as_recorded,
    cannot_write,
    clear_temporaries,
    doc_ids,
    fix_for,
    load_partial,
    locked,
    make_folder,
    restored,
    save,
    temporary,
    writable,
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
from aligner.parallel import pooled, run_tasks

log = logging.getLogger(__name__)

INPUT_SUFFIXES = (".txt", *HTML_SUFFIXES, *READERS)
META_SUFFIX = ".meta.json"
_TRIES = 3  # alignments of a document that edits keep overtaking before the build gives up
COMPACT_EVERY = 128  # documents between a build's looks at its cache (compacted from `compaction.AUTO` shards)
LOOK_HERE = 1.0  # seconds a build with worker processes to start spends first finding unchanged documents itself: about what starting them costs

# a version and its sentence the engine refused as too long → the error naming it (`naming_too_long`)
TooLong = Callable[[Document, Sentence], AlignerError]


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
    inputs_changed: dict[str, list[InputChanged]] = field(default_factory=dict)  # per document, inputs a person's edits hold back
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
        if result.inputs_changed:
            self.inputs_changed[result.doc_id] = list(result.inputs_changed)

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
            "inputs_changed": {d: [change.as_json() for change in changes] for d, changes in self.inputs_changed.items()},
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
    inputs_changed: tuple[InputChanged, ...] = ()  # inputs changed beyond a version a person's edits keep (`keep_edited`)


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


def naming_too_long(engine: Aligner, versions: tuple[Document, Document], too_long: TooLong, around_kept: bool = False) -> Aligner:
    """`engine` aligning sentences of `versions`, raising `too_long(version, sentence)` for the one it
    refuses as too long: the text at the error's index, on its side, of those it was given. With
    `around_kept` (a build) it takes the engine's signature and passes on the beads a person made
    (`keep`), so an engine that takes them aligns the whole texts around them
    (`links.align_keeping_person_links`); without (the editor, which answers at once), each stretch
    between them is aligned alone."""

    def run(src: Sequence[str], tgt: Sequence[str], **keep: Sequence[Span]) -> Sequence[Bead]:
        try:
            return engine(src, tgt, **keep)  # type: ignore[call-arg]  # `keep` only where the signature has it
        except InputTooLongError as err:
            doc, texts = (versions[0], src) if err.side == "source" else (versions[1], tgt)
            raise too_long(doc, next(s for s in doc.sentences() if s.text == texts[err.index])) from None

    return functools.wraps(engine)(run) if around_kept else lambda src, tgt: run(src, tgt)  # a signature without `keep`


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
        return naming_too_long(engine, (text.versions[a], text.versions[b]), too_long, around_kept=True) if too_long else engine

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
    build killed half-way redoes the document or finds it done. One it could not save is refused
    before it is aligned (`_refuse_unsavable`).
    """
    ingested = ingest_versions(task.doc_id, task.paths)
    folder = task.corpus / task.doc_id
    make_folder(folder)
    with _removed_if_left_empty(folder):
        for _ in range(_TRIES):  # an edit saved while the document was aligned: align it again
            look = _look(task, folder, ingested)
            if look is None:
                continue
            if look.kept is not None:
                text, dropped, write = look.kept, look.dropped, look.older  # a file in an older TEI form is rewritten
            else:
                _refuse_unsavable(folder, task.run)
                (text, dropped), write = _aligned(task, folder, ingested, look), True
            changed = _saved(task, folder, look.seen, text, write)
            if changed is not None:
                return _result(task, text, changed, text is look.kept, dropped, look.inputs_changed)
        raise CorpusError(f"{folder}: edited again each time it was aligned ({_TRIES} times); build it when the edits are done")


def unchanged_document(task: DocumentTask) -> DocumentResult | None:
    """`build_document`'s result for a document the corpus holds unchanged (`_look`), found
    without aligning, so that a build with nothing to align starts no worker; None for one to
    align, not built yet, or edited meanwhile: `build_document`'s to do."""
    folder = task.corpus / task.doc_id
    if task.force or not (folder / ALIGNMENT_FILE).exists():
        return None
    look = _look(task, folder, ingest_versions(task.doc_id, task.paths))
    if look is None or look.kept is None:
        return None
    changed = _saved(task, folder, look.seen, look.kept, look.older)
    return None if changed is None else _result(task, look.kept, changed, True, look.dropped, look.inputs_changed)


class _Found(NamedTuple):
    """A document as the corpus holds it, read before it is built again (`_previous`)."""

    seen: tuple[object, ...] | None  # the token of its files (`settled`); None: an edit came between the flush and the read
    text: ParallelText | None  # None: not built yet
    older: bool  # a file is in an older TEI form
    tei: dict[str, bytes] | None  # its version files' bytes as read; None when one was lost or a save cut short
    dropped: list[DroppedLink]  # a person's links into lost versions not ingested again as they were (`_ingested_again`)


class _Look(NamedTuple):
    """One try at building a document: the versions to write, and whether the corpus holds them already."""

    seen: tuple[object, ...]  # the token of its files when read (`settled`)
    previous: ParallelText | None  # as the corpus holds it, its links moved onto the versions read now (`followed`)
    kept: ParallelText | None  # `previous` when nothing changed (`_unchanged`): nothing to align
    older: bool  # a file is in an older TEI form
    versions: dict[str, Document]  # the versions to align (`keep_edited`)
    tei: dict[str, bytes]  # their TEI
    config: dict[str, str]  # the engine configuration (`_config`)
    dropped: list[DroppedLink]  # the person's links dropped before aligning (`_ingested_again`, `followed`)
    inputs_changed: tuple[InputChanged, ...]  # inputs changed beyond versions a person's edits keep (`keep_edited`)


def _look(task: DocumentTask, folder: Path, ingested: Ingested) -> _Look | None:
    """What building the document is to write, and whether the corpus holds it unchanged; None
    when an edit came between the flush and the read (`_previous`)."""
    found = _previous(task, folder, ingested)
    if found.seen is None:
        return None
    versions, inputs = keep_edited(dict(ingested), found.text)
    previous, dropped = followed(found.text, versions) if found.text else (None, [])
    dropped = found.dropped + dropped
    tei = {lang: document_to_tei(doc) for lang, doc in versions.items()}
    config = _config(versions, task.encoder)
    same = previous is not None and not task.force and not dropped and _unchanged(previous, tei, found.tei, folder, config)
    return _Look(found.seen, previous, previous if same else None, found.older, versions, tei, config, dropped, tuple(inputs))


def _aligned(task: DocumentTask, folder: Path, ingested: Ingested, look: _Look) -> tuple[ParallelText, list[DroppedLink]]:
    """The document aligned, keeping the person's links it can, with its fingerprint; and the
    person's links it dropped, each a line of its history too (`dropped_history`)."""
    previous = look.previous
    changes = previous.changes if previous else ()
    text = align_text(ParallelText(task.doc_id, look.versions, changes=changes), previous, task.quiet, task.encoder,
                      functools.partial(_too_long, ingested, folder))
    dropped = look.dropped + lost(previous, text, alignment_plan(text.versions)[1])
    text = replace(text, changes=text.changes + dropped_history(dropped))
    return replace(text, fingerprint=fingerprint(look.tei, person_part(text.alignments), look.config)), dropped


def _saved(task: DocumentTask, folder: Path, seen: tuple[object, ...], text: ParallelText, write: bool) -> list[Path] | None:
    """Under the document's lock, while its files are as they were read (`seen`): `text` saved when
    `write`, and the files that changed; None when an edit came in between (try again)."""
    with locked(folder):
        if settled(folder) != seen:
            return None
        return save(task.corpus, text, task.run) if write else []


def _refuse_unsavable(folder: Path, tag: str) -> None:
    """Before aligning a document, refuse it in one line if it could not be saved, as the save
    would once it was aligned: its lock not taken to write (`store.writable`: `.lock` a folder, a
    read-only folder with none) or its folder not writable (a temporary file, tagged `tag`, cannot
    be made in it)."""
    with locked(folder):
        writable(folder)
        try:
            temporary(folder / ALIGNMENT_FILE, b"", tag=tag).unlink()
        except OSError as err:
            raise cannot_write(folder, err, fix_for(err, folder)) from None


def _result(
    task: DocumentTask, text: ParallelText, changed: list[Path], skipped: bool, dropped: list[DroppedLink],
    inputs_changed: tuple[InputChanged, ...] = (),
) -> DocumentResult:  # fmt: skip
    """What building a document did, as the report takes it."""
    return DocumentResult(
        task.doc_id,
        {d.tag: sum(1 for _ in d.sentences()) for d in text.versions.values()},
        {f"{al.src_lang}-{al.tgt_lang}": dict(Counter(lk.kind for lk in al.links)) for al in text.alignments},
        tuple(changed),
        _unrelated(text),
        skipped=skipped,
        encoders={
            f"{al.src_lang}-{al.tgt_lang}": encoder_name(al.src_lang, al.tgt_lang, task.encoder)
            for al in text.alignments
        },
        dropped=tuple(dropped),
        inputs_changed=inputs_changed,
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


def _previous(task: DocumentTask, folder: Path, ingested: Ingested) -> _Found:
    """The document as the corpus holds it (`_Found`). A version whose file is missing or cannot
    be read is the one ingested now (`_ingested_again`)."""
    if (folder / JOURNAL_FILE).exists():
        flush(folder, task.doc_id)  # edits the web editor has in its journal but not yet in the files
    with locked(folder):
        seen = settled(folder)
        if not (folder / ALIGNMENT_FILE).exists():
            return _Found(seen, None, False, None, [])
        part = load_partial(task.corpus, task.doc_id)
        saved = saved_digests(folder) if part.lost else {}
        cut_short = (folder / COMMIT_FILE).exists()  # the files read are a save's that is not all in place
    if not part.lost:
        return _Found(seen, part.text, part.upgraded, None if cut_short else part.tei, [])
    text, dropped = _ingested_again(task, folder, part, ingested, saved)
    return _Found(seen, text, part.upgraded, None, dropped)


def _ingested_again(
    task: DocumentTask, folder: Path, part: Partial, ingested: Ingested, saved: dict[str, str],
) -> tuple[ParallelText, list[DroppedLink]]:  # fmt: skip
    """The document with the versions whose file is missing or damaged (`load_partial`) as ingested
    now, and their links back when what is ingested is the version they were made on: the bytes
    the journal recorded for its file (`saved_digests`: an edit wrote the document last), or
    those align.xml's fingerprint was made from (a build wrote it last: the fingerprint made
    again from the other versions' files, the lost ones ingested again and every link is the
    same). Else the links into them are dropped, saying how many a person made, a warning each
    version; and those a person made are returned (for the report and the history, as `followed`'s)."""
    again = {lang: document_to_tei(ingested[lang]) for lang in part.lost if lang in ingested}
    same = as_recorded(part, again, saved)
    if len(same) < len(part.lost) and set(again) == set(part.lost):
        config = _config([*part.text.versions, *part.lost], task.encoder)
        if part.text.fingerprint == fingerprint({**part.tei, **again}, person_part(part.links), config):
            same = set(again)
    gone = {}  # the lost versions whose links go → why, as the report says it
    for lang, why in sorted(part.lost.items()):
        path = folder / version_file(lang)
        person = sum(lk.resp == "person" for al in part.links if lang in al.pair for lk in al.links)
        made = f"{person} of them made by a person, lost: review the alignment" if person else "none made by a person"
        if lang in same:
            log.warning("%s: %s; ingested again from its input, the very version its links were made on: they are kept", path, why)
        elif lang in ingested:
            log.warning("%s: %s; ingested again from its input, which is not the version its links were made on: they are dropped (%s)", path, why, made)
            gone[lang] = f"{path.name} {why}, and its input, ingested again, is not the version the link was made on"
        else:
            log.warning("%s: %s, and no input has this version: it leaves the corpus with its links (%s)", path, why, made)
            gone[lang] = f"{path.name} {why}, and no input has this version"
    dropped = [
        dropped_link(part.text, al.pair, lk, next(gone[lang] for lang in al.pair if lang in gone))
        for al in part.links if gone.keys() & set(al.pair) for lk in person_links(al)
    ]  # fmt: skip
    return restored(part, {lang: ingested[lang] for lang in same}, folder / ALIGNMENT_FILE), dropped


def _config(langs: Iterable[str], encoder: str) -> dict[str, str]:
    """The engine configuration a build of these versions records in the fingerprint."""
    direct, derived = alignment_plan(langs)
    pairs = direct + [(a, b) for a, _, b in derived]
    return engine_config({(a, b): engine_signature(a, b, encoder) for a, b in pairs}, encoder)


def _unchanged(previous: ParallelText, tei: dict[str, bytes], held: dict[str, bytes] | None, folder: Path, config: dict[str, str]) -> bool:
    """Whether the corpus holds exactly these versions (`held`: its version files' bytes as read,
    None when they are not all in place), aligned from them with this configuration."""
    if held != tei or {p.name for p in folder.glob("*.xml")} - {ALIGNMENT_FILE} != {version_file(lang) for lang in tei}:
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

    looked = _unchanged_here(tasks, compact_now) if not scheduler and pooled(jobs, len(tasks)) else {}
    rest = [task for task in tasks if task.doc_id not in looked]
    results = iter(run_tasks(build_document, rest, jobs, "aligning documents", quiet or one, scheduler, shared, compact_now))
    for task in tasks:  # in task order, wherever each was built
        report.add(looked[task.doc_id] if task.doc_id in looked else next(results))
    for doc_id in sources:  # every task has ended: a temp file tagged `run` is a killed worker's,
        clear_temporaries(corpus / doc_id, run)  # and one of another build, older than this one, a killed build's
        clear_temporaries(corpus / doc_id, "build-*", older=started)
    report.stale = stale_documents(corpus, sources, set(sources) - had)
    if prune:
        report.pruned, report.stale = prune_stale(report.stale)
    report.compacted += compact_cache()
    return report


def _unchanged_here(tasks: Sequence[DocumentTask], after_each: Callable[[], None]) -> dict[str, DocumentResult]:
    """The documents found unchanged in this process (`unchanged_document`), by id, looked at in
    order for LOOK_HERE seconds before any worker process is started, so that a build with
    nothing (or one document) to align starts none; `after_each` runs after each one found. What
    looking at a document logs is said only when it is found unchanged (or the look fails): one
    left to a worker is looked at there again, and said there."""
    found = {}
    deadline = time.monotonic() + LOOK_HERE
    for task in tasks:
        if time.monotonic() >= deadline:
            break
        with _held_back() as held:
            result = unchanged_document(task)
            held.discard = result is None
        if result is not None:
            found[task.doc_id] = result
            after_each()
    return found


class _Held(logging.Handler):
    """The records logged under `aligner` in a `_held_back` block."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.discard = False  # set in the block: its records are not said at its end

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _held_back() -> Iterator[_Held]:
    """Hold back what is logged under `aligner` in the block, and say it at the block's end unless
    the block discards it (`_Held.discard`)."""
    top, held = logging.getLogger("aligner"), _Held()
    propagates, top.propagate = top.propagate, False
    top.addHandler(held)
    try:
        yield held
    finally:
        top.removeHandler(held)
        top.propagate = propagates
        for record in [] if held.discard else held.records:
            logging.getLogger(record.name).handle(record)


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
