"""Import: parallel data in a format → documents checked in full → the TEI corpus (all or nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace as with_fields
from pathlib import Path

from aligner.corpus.model import Alignment, Change, Document, ParallelText, safe_doc_id
from aligner.corpus.store import (
    Staged,
    check_links,
    clear_stale,
    commit,
    discard,
    doc_ids,
    load,
    locked,
    make_folder,
    serialise,
    stage_changed,
)
from aligner.corpus.tei import version_file
from aligner.edit.journal import JOURNAL_FILE
from aligner.errors import AlignerError, CorpusError, InputError, OutputError
from aligner.formats import FORMATS, get
from aligner.formats.select import keep_region


def _renamed(text: ParallelText, doc_id: str) -> ParallelText:
    """The document under another id, in its versions too."""
    versions = {lang: with_fields(doc, doc_id=doc_id) for lang, doc in text.versions.items()}
    return with_fields(text, doc_id=doc_id, versions=versions)


def _ids(doc: Document) -> list[str]:
    """A version's sentence ids in order: what links point at."""
    return [s.id for s in doc.sentences()]


def merged(old: ParallelText, new: ParallelText, where: Path) -> ParallelText:
    """`new` laid over the document already in the corpus: its versions and pairs replace those
    of the same languages, and the others stay (a review sheet of two of three languages keeps
    the third's links), provided the versions they link keep their sentence ids; a version keeps
    its region (`_regioned`)."""
    pairs = {al.pair: al for al in new.alignments}
    kept = [al for al in old.alignments if al.pair not in pairs]
    for al in kept:
        for lang in al.pair:
            if lang in new.versions and _ids(new.versions[lang]) != _ids(old.versions[lang]):
                raise CorpusError(
                    f"{where}: the import changes which sentences {lang} has, and the document's "
                    f"{al.src_lang}–{al.tgt_lang} links point at them; import all its versions at once "
                    f"(export it with every language), or remove {where} to replace it whole"
                )
    alignments: list[Alignment] = [pairs.pop(al.pair, al) for al in old.alignments] + list(pairs.values())
    versions = {**old.versions, **_regioned(old, new, where)}
    return ParallelText(old.doc_id, versions, tuple(alignments), new.fingerprint, old.changes + new.changes)


def recorded(old: ParallelText, new: ParallelText, who: str, source: str) -> tuple[Change, ...]:
    """History lines for what an import laid over a document changed in its versions: the
    sentences whose text is new or changed (`en.xml#ID`), a version added or cut (`fr.xml`). A
    rebuild keeps a version a history line names as a person's work, as after `aligner edit
    correct`, so a review sheet's corrections are not undone by the seeds."""
    from aligner.edit.session import history_line

    lines = []
    for lang, doc in new.versions.items():
        file = version_file(lang)
        if lang not in old.versions:
            lines.append(history_line(who, f"imported {source}: added the {lang} version", (file,)))
            continue
        before = {(s.id, s.text) for s in old.versions[lang].sentences()}
        changed = tuple(f"{file}#{s.id}" for s in doc.sentences() if (s.id, s.text) not in before)
        if changed:
            lines.append(history_line(who, f"imported {source}: changed or added {len(changed)} {lang} sentences", changed))
        elif len(before) != sum(1 for _ in doc.sentences()):
            lines.append(history_line(who, f"imported {source}: removed {lang} sentences", (file,)))
    return tuple(lines)


def _regioned(old: ParallelText, new: ParallelText, where: Path) -> dict[str, Document]:
    """`new`'s versions, each with the region of the version it replaces where the file names
    none (a sheet of Taiwan and Hong Kong documents says zh-Hant); another region is refused."""
    fix = f"import it under another document id, or remove {where} to replace it whole"
    versions = dict(new.versions)
    for lang, doc in new.versions.items():
        if lang in old.versions:
            regions = {lang: old.versions[lang].region}
            keep_region(regions, lang, doc.region, str(where), fix)
            versions[lang] = with_fields(doc, region=regions.get(lang, ""))
    return versions


def _each_once(paths: Sequence[Path]) -> None:
    """Refuse a file named twice (by any path to it): its documents would come twice."""
    named: set[Path] = set()
    for path in paths:
        if path.resolve() in named:
            raise InputError(f"{path}: the file is given twice; name each file once")
        named.add(path.resolve())


def _documents(paths: Sequence[Path], fmt: str, resp: str | None, langs: Sequence[str]) -> list[ParallelText]:
    """The documents of the files, each under a plain id (`safe_doc_id`). A format whose files hold
    whole documents is read a file at a time, so one document is never made of two files (the
    same sheet twice doubled every sentence): a file given twice, or a document id that comes
    twice, is refused naming the files."""
    _each_once(paths)
    read = get(fmt, "read")
    kwargs = {"langs": list(langs)} if fmt == "intertext" else {}
    groups = [[path] for path in paths] if FORMATS[fmt].whole else [list(paths)]
    texts: list[ParallelText] = []
    came: dict[str, str] = {}  # document id → the file (or files) it came from
    for group in groups:
        where = ", ".join(map(str, group))
        found: list[ParallelText] = read(group, resp=resp, **kwargs)  # type: ignore[assignment]
        for text in found:
            text = _renamed(text, safe) if (safe := safe_doc_id(text.doc_id)) != text.doc_id else text
            if text.doc_id in came:
                raise CorpusError(
                    f"{where}: document '{text.doc_id}' comes twice in these files (first from {came[text.doc_id]}); "
                    "import one file at a time, the later with --replace, which adds its languages to the document"
                )
            came[text.doc_id] = where
            texts.append(text)
    return texts


def import_files(
    paths: Sequence[Path], fmt: str, corpus: Path, resp: str | None = None,
    langs: Sequence[str] = (), replace: bool = False, who: str = "import",
) -> list[ParallelText]:
    """Read the files, check every document (links, TEI schema), then write them all.

    Each document is serialised once: the checked bytes are the bytes written. A document id
    that is not a plain name is made one (`safe_doc_id`); two documents of one id are an error.

    A document id already in the corpus is an error unless `replace`, which lays the import
    over it (`merged`) and records what it changed in the versions as `who`'s (`recorded`).
    It is read under its lock, once the work pending on it is done (a save cut short completed,
    edits the web editor holds in its journal written: `_current`).

    Every document's files are staged (fsync'd) before any is written, so that a full disk writes
    none; then each is saved as one step (`store.commit`) under its lock, unless it changed since
    it was read (an edit or a build meanwhile), which is refused rather than written over.
    """
    texts = _documents(paths, fmt, resp, langs)
    existing = set(doc_ids(corpus))
    planned: list[tuple[Path, dict[Path, bytes], object]] = []
    for n, text in enumerate(texts):
        folder = corpus / text.doc_id
        seen: object = None  # a new document: no files of a document in its folder when written
        if text.doc_id in existing:
            if not replace:
                raise CorpusError(f"{corpus / text.doc_id}: document '{text.doc_id}' exists; use --replace to overwrite it")
            seen, old = _current(corpus, text.doc_id)
            if old:
                text = merged(old, text, corpus / text.doc_id)
                texts[n] = text = with_fields(text, changes=text.changes + recorded(old, text, who, ", ".join(p.name for p in paths)))
        check_links(text, Path(text.doc_id))
        planned.append((folder, serialise(corpus, text), seen))
    staged: list[tuple[Path, Staged, object]] = []
    try:
        for folder, files, seen in planned:
            make_folder(folder)
            staged.append((folder, stage_changed(files), seen))  # checked unchanged since under the lock, below
        for folder, _, seen in staged:  # every document checked before the first is written
            with locked(folder, transient=True):
                _unchanged_since(folder, seen)
        written: list[str] = []
        for folder, put, seen in staged:
            with locked(folder, transient=True):  # a document the import makes gets no file of its own
                try:
                    _unchanged_since(folder, seen)
                except CorpusError as err:
                    raise CorpusError(f"{err} (imported before it: {', '.join(written)})" if written else str(err)) from None
                clear_stale(folder)  # what writers killed before their commit left
                commit(folder, put.temps, sums=put.sums)
            written.append(folder.name)
    finally:
        for _, put, _ in staged:
            discard(put.temps)
    return texts


def _current(corpus: Path, doc_id: str) -> tuple[object, ParallelText | None]:
    """A document an import is laid over, as it is once the work pending on it is done, and the
    token of its files then (`files.settled`); None for a document that cannot be read (it is
    replaced whole)."""
    from aligner.edit import files

    folder = corpus / doc_id
    unwritten: AlignerError | None = None  # why the journal's pending edits could not be written
    try:
        if (folder / JOURNAL_FILE).exists():
            files.flush(folder, doc_id)  # edits the web editor holds in its journal, not yet in the files
    except OutputError:
        raise
    except AlignerError as err:  # a broken document: replaced whole, unless edits wait for it in the journal
        unwritten = err
    with locked(folder, transient=True):
        seen = files.settled(folder)  # a save cut short is completed first
        if seen is None and unwritten is not None:
            raise CorpusError(f"{folder}: the edits pending in its journal cannot be replayed, so the import would lose them: {unwritten}")
        if seen is None:
            raise CorpusError(f"{folder}: edits of the document are being written (an editor is open on it); import again in a moment")
        try:
            return seen, load(corpus, doc_id)
        except AlignerError:  # a broken document is replaced whole
            return seen, None


def _unchanged_since(folder: Path, seen: object) -> None:
    """Under the document's lock: refuse to write a document changed since the import read it
    (`seen`: the token of its files, None for a document that was not there)."""
    from aligner.edit import files

    now = files.settled(folder)  # a save cut short is completed first
    if (now == seen) if seen is not None else not any(folder.glob("*.xml")):
        return
    raise CorpusError(f"{folder}: the document changed while the import read it (an edit, a build or another import); import again")
