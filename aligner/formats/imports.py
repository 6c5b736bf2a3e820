"""Import: parallel data in a format → documents checked in full → the TEI corpus (all or nothing)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as with_fields
from pathlib import Path
from typing import Any

from aligner.corpus.model import (
    Alignment,
    Change,
    Document,
    Link,
    ParallelText,
    Sentence,
    reverse,
    safe_doc_id,
)
from aligner.corpus.rows import Row, aligned_rows
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
from aligner.corpus.triangle import positions
from aligner.edit.journal import JOURNAL_FILE
from aligner.errors import AlignerError, CorpusError, InputError, OutputError
from aligner.formats import FORMATS, Imported, document_from_sentences, free_id, get, plain
from aligner.formats.select import keep_region


def _renamed(text: ParallelText, doc_id: str) -> ParallelText:
    """The document under another id, in its versions too."""
    versions = {lang: with_fields(doc, doc_id=doc_id) for lang, doc in text.versions.items()}
    return with_fields(text, doc_id=doc_id, versions=versions)


def _ids(doc: Document) -> list[str]:
    """A version's sentence ids in order: what links point at."""
    return [s.id for s in doc.sentences()]


@dataclass(frozen=True)
class Untouched:
    """What an import laid over a document kept as it was because the file did not hold it (an
    export filtered, TMX leaving out omissions, a review sheet's row deleted): sentences by version
    and links, for the summary."""

    sentences: dict[str, int] = field(default_factory=dict)
    links: int = 0


Held = dict[str, set[str]]  # per version: the ids of the document's sentences the file held, and so replaces
Renames = dict[str, dict[str, str]]  # per version: a sentence id the file gave → the id it takes


def _held(old: ParallelText, new: Imported, where: Path) -> Held:
    """Per version of the file the document has, the ids of its sentences the file named as
    exported; an id the document lacks is refused (an edited id, or a document changed since)."""
    out: Held = {}
    for lang, named in new.held.items():
        if lang not in old.versions:
            continue
        have = old.versions[lang].sentence_index()
        stray = next((sid for sid in named if sid not in have), None)
        if stray is not None:
            raise CorpusError(
                f"{named[stray]}: {lang} sentence '{stray}' is not one of document '{old.doc_id}' in {where.parent}, so the "
                f"import cannot tell which sentence it replaces; restore the id the export wrote {new.ids_in}, or export the document again"
            )
        out[lang] = set(named)
    return out


def _recovered(old: ParallelText, new: ParallelText, held: Held) -> Renames:
    """Ids for sentences the file gave without ours (a <target> whose <mrk> marks a CAT tool
    dropped), from the document's links to the other side of their link, whose ids it named: the
    sentences those links join on this side are the ones the file held (noted in `held`), in order;
    more sentences than they get new ids after the last (`free_id`)."""
    renames: Renames = {}
    named = {lang: set(ids) for lang, ids in held.items()}  # before any is recovered
    taken = {s.id for doc in (*old.versions.values(), *new.versions.values()) for s in doc.sentences()}
    for al in new.alignments:
        was = old.alignment(*al.pair)
        for side, lang in enumerate(al.pair):
            other = al.pair[1 - side]
            if was is None or other not in named:
                continue
            linking = {sid: w for w in was.links for sid in (w.src, w.tgt)[1 - side]}  # the document's link of each `other` sentence
            for lk in al.links:
                mine, theirs = (lk.src, lk.tgt)[side], (lk.src, lk.tgt)[1 - side]
                fresh = [sid for sid in mine if sid not in named.get(lang, ()) and sid not in renames.get(lang, {})]
                if not fresh or not theirs or not set(theirs) <= named[other]:
                    continue
                ws = dict.fromkeys(linking[sid] for sid in theirs if sid in linking)
                gave = [sid for w in ws for sid in (w.src, w.tgt)[side] if sid not in held.get(lang, ())]
                if gave:
                    held.setdefault(lang, set()).update(gave)
                    renames.setdefault(lang, {}).update(
                        {sid: gave[n] if n < len(gave) else free_id(gave[-1], taken) for n, sid in enumerate(fresh)}
                    )
    return renames


def _clashing(old: ParallelText, new: ParallelText, held: Held, renames: Renames) -> None:
    """Add to `renames` a new id (`free_id`: after it) for each sentence the file gave whose id is
    that of a sentence of the document it did not hold, which stays, or one another takes."""
    for lang, doc in new.versions.items():
        if lang not in old.versions:
            continue
        moved = renames.setdefault(lang, {})
        kept, targets = {s.id for s in old.versions[lang].sentences()} - held[lang], set(moved.values())
        taken = kept | targets | {moved.get(s.id, s.id) for s in doc.sentences()}
        for s in doc.sentences():
            if s.id not in moved and (s.id in kept or s.id in targets):
                moved[s.id] = free_id(s.id, taken)


def _rename(text: ParallelText, renames: Renames) -> ParallelText:
    """The document with its sentences' ids changed as `renames` says, in its links too."""
    def ids(lang: str, sids: Iterable[str]) -> tuple[str, ...]:
        return tuple(renames.get(lang, {}).get(sid, sid) for sid in sids)

    versions = {
        lang: with_fields(doc, paragraphs=tuple(
            with_fields(p, sentences=tuple(map(Sentence, ids(lang, (s.id for s in p.sentences)), (s.text for s in p.sentences))))
            for p in doc.paragraphs
        ))
        for lang, doc in text.versions.items()
    }
    alignments = tuple(
        with_fields(al, links=tuple(with_fields(lk, src=ids(al.src_lang, lk.src), tgt=ids(al.tgt_lang, lk.tgt)) for lk in al.links))
        for al in text.alignments
    )
    return with_fields(text, versions=versions, alignments=alignments)


def _laid(old: Document, new: Document, kept: list[Sentence]) -> Document:
    """A version laid over: the file's sentences and the document's it did not hold (`kept`), in the
    order of their ids; the old version where that is what it had, else its paragraphs rebuilt,
    each keeping its kind and timing (a cue's), and its metadata (a file has none)."""
    sentences = [*new.sentences(), *kept]
    if sorted((s.id, s.text) for s in sentences) == sorted((s.id, s.text) for s in old.sentences()):
        return with_fields(old, region=new.region)
    built = document_from_sentences(old.doc_id, old.lang, sentences, old.meta)
    was = {p.id: p for p in old.paragraphs}
    paragraphs = tuple(with_fields(was[p.id], sentences=p.sentences) if p.id in was else p for p in built.paragraphs)
    return with_fields(old, paragraphs=paragraphs, region=new.region)


def _row_ids(row: Row) -> tuple[tuple[str, ...], ...]:
    """A row's sentence ids, by language: the same in the file and the document, it is the same row."""
    return tuple(tuple(s.id for s in cell) for cell in row.cells.values())


def _changed(row: Row, was: Row, notes: bool) -> dict[str, Any]:
    """What a file changed of a row it gave back with the same sentences, to set on each of the
    document's links in it: confidence (to the 3 decimals exports write), who made it, and, when the
    format keeps them (`notes`: XLIFF), its notes and state."""
    out: dict[str, Any] = {}
    if round(row.confidence, 3) != round(was.confidence, 3):
        out["confidence"] = row.confidence
    if row.resp != was.resp:
        out["resp"] = row.resp
    if notes and (row.notes, row.state) != (was.notes, was.state):
        out |= {"notes": row.notes, "state": row.state}
    return out


def _interleaved(olds: list[Link], news: list[Link], pos: tuple[dict[str, int], dict[str, int]]) -> tuple[Link, ...]:
    """Links in reading order (`pos`: each side's sentence positions): the document's in their
    order, each of the file's before the first of them it comes before."""
    def first(lk: Link, side: int) -> int | None:
        return min((pos[side][sid] for sid in (lk.src, lk.tgt)[side]), default=None)

    def before(x: Link, y: Link) -> bool:
        for side in (0, 1):
            if (fx := first(x, side)) is not None and (fy := first(y, side)) is not None:
                return fx < fy
        return False

    out, i = [], 0
    for lk in news:
        while i < len(olds) and not before(lk, olds[i]):
            out.append(olds[i])
            i += 1
        out.append(lk)
    return tuple(out + olds[i:])


def _links(
    old: ParallelText, new: ParallelText, versions: Mapping[str, Document], held: Held, notes: bool, *, match: bool,
) -> dict[tuple[str, str], tuple[Link, ...]]:
    """The links of each pair of the file laid over the document's: a row the file gave back with
    the sentences it had keeps the document's links (with what the file changed of it: `_changed`),
    as rows pool the links of three versions; the file's links for the rows it changed; and the
    document's links of sentences the file did not hold. Rows are matched only where every version
    kept its ids (`match`): ids numbered afresh name other sentences."""
    langs = list(new.versions)
    was = aligned_rows(old, langs) if match else []
    row_of = {(lang, s.id): n for n, row in enumerate(was) for lang, cell in row.cells.items() for s in cell}
    by_ids = {_row_ids(row): n for n, row in enumerate(was)}
    rows = aligned_rows(new, langs)
    matched = {n: m for n, row in enumerate(rows) if (m := by_ids.get(_row_ids(row))) is not None}
    changes = {m: _changed(rows[n], was[m], notes) for n, m in matched.items()}
    new_row_of = {(lang, s.id): n for n, row in enumerate(rows) for lang, cell in row.cells.items() for s in cell}
    out = {}
    for al in new.alignments:
        a, b = al.pair
        ours = old.alignment(a, b)
        olds = []
        for lk in ours.links if ours else ():
            keys = [(a, sid) for sid in lk.src] + [(b, sid) for sid in lk.tgt]
            if (m := row_of.get(keys[0])) in changes:
                olds.append(with_fields(lk, **changes[m]))
            elif _unheld(lk, (a, b), held):
                olds.append(lk)
        news = [lk for lk in al.links if new_row_of[(a, lk.src[0]) if lk.src else (b, lk.tgt[0])] not in matched]
        pos = (positions(versions[a])[0], positions(versions[b])[0])
        out[al.pair] = _interleaved(olds, news, pos)
    return out


def merged(old: ParallelText, new: ParallelText, where: Path, notes: bool = False) -> tuple[ParallelText, Untouched]:
    """`new` laid over the document already in the corpus, changing only what the file changed, and
    what it kept as it was because the file did not hold it.

    A file of ours (its sentence ids the document's, `Imported.held`) replaces the sentences it
    held, as edited, and keeps those it did not (an export filtered, TMX leaving out omissions, a
    review sheet's row deleted): a row deleted by mistake loses nothing, and one meant to go goes by
    emptying its cells. Its rows keep the document's links where they come back with their
    sentences (`_links`). A file naming no id of ours (another tool's, Moses) replaces the versions
    it has whole. Pairs it has not stay (a review sheet of two of three languages keeps the third's
    links), provided the versions they link keep their sentence ids; a version laid over keeps its
    metadata and paragraphs' timing (`_laid`), and every version its region (`_regioned`)."""
    held = _held(old, new, where) if isinstance(new, Imported) else {}
    renames = _recovered(old, new, held) if held else {}
    anew = {lang for lang in new.versions if lang in old.versions and not held.get(lang)}
    for lang in anew:  # ids numbered afresh: the version is replaced whole
        held[lang] = {s.id for s in old.versions[lang].sentences()}
    _clashing(old, new, held, renames)
    new = _rename(new, renames)
    laid = {
        lang: _laid(old.versions[lang], doc, [s for s in old.versions[lang].sentences() if s.id not in held[lang]])
        if lang in old.versions and lang not in anew else doc
        for lang, doc in new.versions.items()
    }
    versions = {**old.versions, **_regioned(old, with_fields(new, versions=laid), where)}
    pairs = _links(old, new, versions, held, notes, match=not anew and all(lang in old.versions for lang in new.versions))
    kept = [al for al in old.alignments if al.pair not in pairs and al.pair[::-1] not in pairs]
    for al in kept:
        for lang in al.pair:
            if lang in new.versions and _ids(versions[lang]) != _ids(old.versions[lang]):
                raise CorpusError(
                    f"{where}: the import changes which sentences {lang} has, and the document's "
                    f"{al.src_lang}–{al.tgt_lang} links point at them; import all its versions at once "
                    f"(export it with every language), or remove {where} to replace it whole"
                )
    alignments = [_turned(al, pairs) for al in old.alignments] + [
        Alignment(*al.pair, pairs[al.pair], al.signature) for al in new.alignments if old.alignment(*al.pair) is None
    ]
    untouched = Untouched(
        {lang: n for lang in new.versions if lang in old.versions and (n := len(_ids(old.versions[lang])) - len(held[lang]))},
        sum(1 for al in old.alignments if al.pair in pairs or al.pair[::-1] in pairs for lk in al.links if _unheld(lk, al.pair, held)),
    )
    same = versions == dict(old.versions) and tuple(alignments) == old.alignments  # what the last build made stands
    fingerprint = old.fingerprint if same else new.fingerprint
    return ParallelText(old.doc_id, versions, tuple(alignments), fingerprint, old.changes + new.changes), untouched


def _unheld(lk: Link, pair: tuple[str, str], held: Held) -> bool:
    """Whether the file held none of a link's sentences: it stays as it was."""
    return not any(sid in held.get(lang, ()) for lang, side in zip(pair, (lk.src, lk.tgt), strict=True) for sid in side)


def _turned(al: Alignment, pairs: Mapping[tuple[str, str], tuple[Link, ...]]) -> Alignment:
    """A pair of the document with the links laid over it (`pairs`, by the file's order of the two
    versions), stored the way round it was; one the file has not, as it was."""
    if al.pair in pairs:
        return with_fields(al, links=pairs[al.pair])
    if al.pair[::-1] in pairs:
        return reverse(Alignment(*al.pair[::-1], pairs[al.pair[::-1]], al.signature))
    return al


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
    langs: Sequence[str] = (), replace: bool = False, who: str = "import", untouched: dict[str, Untouched] | None = None,
) -> list[ParallelText]:
    """Read the files, check every document (links, TEI schema), then write them all.

    Each document is serialised once: the checked bytes are the bytes written. A document id
    that is not a plain name is made one (`safe_doc_id`); two documents of one id are an error.

    A document id already in the corpus is an error unless `replace`, which lays the import
    over it (`merged`) and records what it changed in the versions as `who`'s (`recorded`);
    what it kept because the file did not hold it goes in `untouched`, by document, when given.
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
                text, kept = merged(old, text, corpus / text.doc_id, FORMATS[fmt].notes)
                text = with_fields(text, changes=text.changes + recorded(old, text, who, ", ".join(p.name for p in paths)))
                if untouched is not None and (kept.sentences or kept.links):
                    untouched[text.doc_id] = kept
        texts[n] = text = plain(text)
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
