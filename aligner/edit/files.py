"""A document's TEI files and its journal: which version they are at, edits the journal holds
that the files do not have yet (the web editor writes behind), and writing those edits into the
files so that a kill at any moment loses nothing.

The journal (`journal.json`, replaced atomically and fsync'd) is the record an edit is safe in:
- `version`: the document's version, a new token for each edit (what a page or `--expect` carries);
- `files`: the sha256 of each TEI file the journal starts from, and `stamps` their (inode, size,
  mtime) when hashed, so that an unchanged file is not read again;
- `pending`: the edits not in the files yet (patch, direction, history line), oldest first;
- `steps` and `position`: the undo history (`journal.diff` patches).

A write (`flush`, `write_through`) is a save of the document as the store makes every save, all
or none (`store.commit`): the new bytes of every changed file and the journal that says they are
written are staged (fsync'd), one commit record names them (the moment the write is made), then
they are renamed into place. Whoever takes the lock to write next (`state`) completes a write a
kill cut short after its record (`store.recover`); a write killed before its record left the
journal as it was (its edits pending are written again) and temporary files, which the next write
removes (`store.clear_stale`). A file changed outside the editor (a build that made other
links) voids the journal: the version is then the hash of the files. (A journal an earlier
version of aligner left naming its write under `flushing` is completed the same way.)

The command line (`write_through`) records its edit in the same commit: that is the moment the
edit is saved, so a full disk before it leaves the journal and the files as they were (the edit
was not made, and is made once when tried again), and after it the edit stands. The web editor
answers once the journal holds the edit (`save_journal`) and its writer (`flush`), as a build
before it reads the document, writes the edits the journal holds: a failure leaves them pending.
Either says so in one line.

A journal is checked when read (`journal.read`; its undo patches when used, and all of them by the command line) and each pending edit when replayed: a damaged
one is refused in one line, before anything is written.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from aligner.corpus.model import Change, ParallelText
from aligner.corpus.store import (
    cannot_write,
    clear_stale,
    commit,
    discard,
    fix_for,
    load,
    load_links,
    locked,
    recover,
    roll_forward,
    serialise,
    stage,
    writable,
    write_atomic,
    writing,
)
from aligner.corpus.tei import ALIGNMENT_FILE
from aligner.edit import journal
from aligner.errors import AlignerError, OutputError

Json = dict[str, Any]
# what a failed write says became of the edits (`_unwritable`)
NOT_MADE = "the edit was not made: {fix} and make it again"
KEPT = "the edits are saved in the journal, and the next edit or build of the document writes them: {fix}"


def settled(folder: Path) -> tuple[object, ...] | None:
    """Under the lock: a token that changes whenever the document's files or journal do, or None
    while edits wait in the journal for their files (`flush` them first). A build compares the
    token before and after aligning, so an edit made meanwhile is never written over."""
    if state(folder)["pending"]:
        return None
    journal_file = folder / journal.JOURNAL_FILE
    st = journal_file.stat() if journal_file.exists() else None
    return (sorted((name, tuple(stamp)) for name, stamp in _stamps(folder).items()), st and (st.st_ino, st.st_size, st.st_mtime_ns))


def _stamps(folder: Path) -> dict[str, list[int]]:
    """(inode, size, mtime in ns) of each TEI file: a cheap sign that one changed."""
    return {p.name: [st.st_ino, st.st_size, st.st_mtime_ns] for p in folder.glob("*.xml") for st in [p.stat()]}


def _hashes(folder: Path, names: Iterator[str] | list[str] | None = None) -> dict[str, str]:
    """sha256 (hex) of the TEI files, or of the ones named."""
    paths = [folder / n for n in names] if names is not None else sorted(folder.glob("*.xml"))
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.exists()}


def version_of(hashes: dict[str, str]) -> str:
    """A version for files no journal speaks for: a hash of their hashes by name."""
    digest = hashlib.sha256()
    for name in sorted(hashes):
        digest.update(name.encode() + b"\0" + bytes.fromhex(hashes[name]))
    return digest.hexdigest()[:16]


def save_journal(folder: Path, log: Json) -> None:
    """Replace the journal atomically, on disk before returning (fsync); kept as read (`_read`),
    so that the next edit does not parse and check again what it has just written."""
    writable(folder)
    path = folder / journal.JOURNAL_FILE
    write_atomic(path, _dumped(log), sync=True)
    _remember(path, log)


def _dumped(log: Json) -> bytes:
    """A journal's bytes as written: compact JSON, UTF-8."""
    return json.dumps(log, ensure_ascii=False, separators=(",", ":")).encode()


def _remember(path: Path, log: Json) -> None:
    """Keep a journal just written as read (`_read`)."""
    st = path.stat()
    _READ[path] = ((st.st_ino, st.st_size, st.st_mtime_ns), log)


def state(folder: Path) -> Json:
    """The journal as it stands for the files now (the caller holds the lock): a write a kill
    cut short is completed first (holding the lock to read, nothing is written: readers see it
    made); files changed outside the editor give a fresh journal."""
    recover(folder)
    log = _read(folder)
    if "flushing" in log and writing(folder):
        log = _finish(folder, log)
    stamps = _stamps(folder)
    hashes = log["files"] if "files" in log and log.get("stamps") == stamps else _hashes(folder)
    valid = hashes == log["files"] if "files" in log else version_of(hashes) == log["version"]
    if not valid:
        return {"version": version_of(hashes), "files": hashes, "stamps": stamps, "pending": [], "seq": 0, "position": 0, "steps": []}
    return {"pending": [], "seq": 0, **log, "files": hashes, "stamps": stamps}


_READ: dict[Path, tuple[tuple[int, int, int], Json]] = {}


def _read(folder: Path) -> Json:
    """The journal, parsed again only when the file was replaced (it holds up to 200 undo steps;
    callers never change what they are given)."""
    path = folder / journal.JOURNAL_FILE
    try:
        st = path.stat()
    except FileNotFoundError:
        return journal.read(folder)
    stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
    hit = _READ.get(path)
    if hit is None or hit[0] != stamp:
        hit = _READ[path] = (stamp, journal.read(folder))
    return hit[1]


def _finish(folder: Path, log: Json) -> Json:
    """Complete a write an earlier version of aligner named in the journal (`flushing`: its
    temporary files and their sha256) as a commit record is completed (`store.roll_forward`:
    each file must still be the one the journal starts from, or what the write puts), then count
    its edits as written; a write that cannot be completed is dropped, with a warning, its edits
    left pending. The journal saying so is tidying only: if it cannot be saved, it still names
    the write, and whoever reads it next completes it again."""
    out = dict(log)
    work = out.pop("flushing")
    was = log.get("files", {})
    record = {"files": {name: {"tmp": tmp, "now": digest, "was": was.get(name)} for name, (tmp, digest) in work["files"].items()}}
    if roll_forward(folder, record, partial(_unwritable, then=KEPT)):
        out["files"] = {**out.get("files", {}), **{name: digest for name, (_tmp, digest) in work["files"].items()}}
        out["pending"] = [e for e in out.get("pending", []) if e["seq"] > work["upto"]]
        out["stamps"] = _stamps(folder)
    with suppress(OSError):
        save_journal(folder, out)
    return out


def _unwritable(path: Path, err: OSError, then: str) -> OutputError:
    """A write of a document's file that failed, as one line: the file, the cause, and what became
    of the edits with the fix (`then`: `NOT_MADE` or `KEPT`)."""
    return cannot_write(path, err, then.format(fix=fix_for(err, path.parent)))


def _land(folder: Path, log: Json, upto: int, data: dict[Path, bytes], temps: dict[Path, Path], then: str) -> Json:
    """Under the lock, once what killed writers left is cleared (`store.clear_stale`, by the
    caller): write the staged files (`temps`, their bytes `data`: the edits of the journal `log`
    up to number `upto`) and the journal saying they are written, as one save (`store.commit`);
    the journal after it. The journal is staged here, first of the files (a failed rename after
    it leaves the edits saved in the journal), and discarded here when the save fails before its
    record (the caller discards `temps`; once the record names them, the files are the record's,
    for whoever takes the lock next, and `store.discard` leaves them)."""
    path = folder / journal.JOURNAL_FILE
    wrote = {file.name: hashlib.sha256(data[file]).hexdigest() for file in temps}
    stamps = {**_stamps(folder), **{file.name: _stamp(tmp) for file, tmp in temps.items()}}  # a rename keeps them
    after = {**log, "files": {**log.get("files", {}), **wrote}, "pending": [e for e in log["pending"] if e["seq"] > upto], "stamps": stamps}
    staged = stage({path: _dumped(after)}, sync=True, failed=partial(_unwritable, then=then))
    try:
        commit(folder, {**staged, **temps}, failed=partial(_unwritable, then=then), stuck=partial(_unwritable, then=KEPT))
    finally:
        discard(staged)
    with suppress(OSError):
        _remember(path, after)
    return after


def _stamp(path: Path) -> list[int]:
    """A file's (inode, size, mtime in ns), as the journal's `stamps` keep it (`_stamps`)."""
    st = path.stat()
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def _edited(pending: list[Json]) -> set[str]:
    """The versions pending edits change (each edit changes align.xml, with its history line)."""
    return {part["lang"] for e in pending for part in e["patch"]["versions"]}


def _serialised(folder: Path, text: ParallelText, pending: list[Json]) -> dict[Path, bytes]:
    """The bytes of the TEI files pending edits change, by path (each validated against its schema)."""
    return serialise(folder.parent, replace(text, versions={lang: text.versions[lang] for lang in _edited(pending)}))


def change(who: str, what: str, target: tuple[str, ...], when: str) -> list[Any]:
    """A history line as the journal keeps it."""
    return [when, who, what, list(target)]


def replay(folder: Path, text: ParallelText, pending: list[Json]) -> ParallelText:
    """The document with the journal's pending edits applied, history lines included; an edit
    that does not apply is a damaged journal, refused before anything is written."""
    for entry in pending:
        try:
            text = journal.apply(text, entry["patch"], forward=entry["forward"])
        except journal.Mismatch as err:
            raise journal.unreadable(folder / journal.JOURNAL_FILE, f"pending edit {entry['seq']}: {err}") from None
        when, who, what, target = entry["change"]
        text = replace(text, changes=text.changes + (Change(when, who, what, tuple(target)),))
    return text


def recorded(log: Json, patch: Json, forward: bool, line: list[Any], position: int, steps: list[Json]) -> Json:
    """The journal after an edit, an undo or a redo: a new version, the edit pending, the undo history."""
    seq = log["seq"] + 1
    entry = {"seq": seq, "patch": patch, "forward": forward, "change": line}
    steps = steps[-journal.LIMIT :]
    return {**log, "version": secrets.token_hex(8), "seq": seq, "pending": [*log["pending"], entry],
            "position": min(position, len(steps)), "steps": steps}


def open_text(folder: Path, doc_id: str) -> tuple[ParallelText, Json]:
    """A document as its journal says it is (files and pending edits), with the journal."""
    with locked(folder):
        log = state(folder)
        text = load(folder.parent, doc_id)
    return replay(folder, text, log["pending"]), log


def write_through(folder: Path, log: Json, text: ParallelText) -> Json:
    """Under the lock, once what killed writers left is cleared (`store.clear_stale`): save an edit (`log` from `recorded`, `text` the document it describes) and
    write it into the TEI files, as one step. The files' new bytes and the journal recording the
    edit go to temporary files first, then one commit record names them (the moment it is saved),
    then they are renamed into place (`_land`): a write that fails before that moment (a full
    disk) leaves the journal and the files as they were, and says the edit was not made; after
    it, the edit stands."""
    writable(folder)
    data = _serialised(folder, text, log["pending"])
    temps = stage(data, sync=True, failed=partial(_unwritable, then=NOT_MADE))
    try:
        return _land(folder, log, log["seq"], data, temps, NOT_MADE)
    finally:
        discard(temps)


def has_pending(folder: Path) -> bool:
    """Whether the journal holds edits its writer has not put in the files yet, read without the
    lock (a reader's question: `flush` decides under it)."""
    try:
        return bool(journal.read(folder).get("pending"))  # not kept (`_read`'s cache): a reader may look at every document
    except AlignerError:  # a damaged journal: `flush` says so
        return True


def flush(folder: Path, doc_id: str) -> bool:
    """Write the journal's pending edits into the TEI files (the web editor's writer, and a build
    before it reads them). False when there was nothing to write, or another writer or a build
    came first; a failed write leaves the edits pending in the journal."""
    with locked(folder):
        log = state(folder)
    pending = log["pending"]
    if not pending:
        return False
    # link edits only rewrite align.xml: the versions need not be read
    text = replay(folder, load(folder.parent, doc_id) if _edited(pending) else load_links(folder.parent, doc_id), pending)
    data = _serialised(folder, text, pending)
    temps = stage(data, sync=True, failed=partial(_unwritable, then=KEPT))
    try:
        with locked(folder):
            now = state(folder)
            if now["files"] != log["files"] or now["pending"][: len(pending)] != pending:
                return False  # written meanwhile, or the files changed under us
            clear_stale(folder)  # what writers killed before their commit left (`state` completed the others)
            _land(folder, now, pending[-1]["seq"], data, temps, KEPT)
    finally:
        discard(temps)
    return True


def saved_digests(folder: Path) -> dict[str, str]:
    """Under the lock: the sha256 of each TEI file as the last edit wrote them (the journal's
    `files`), when `align.xml` is still the one that edit wrote; else none (a build or an import
    wrote the document since, or there is no journal). What a build checks a version it ingests
    again against, its file lost."""
    recorded: dict[str, str] = _read(folder).get("files", {})
    if _hashes(folder, [ALIGNMENT_FILE]).get(ALIGNMENT_FILE) != recorded.get(ALIGNMENT_FILE, ""):
        return {}
    return dict(recorded)


if __name__ == "__main__":  # the web editor's background writer: python -m aligner.edit.files FOLDER DOC_ID
    os.nice(19)  # the server answering edits comes first
    try:
        flush(Path(sys.argv[1]), sys.argv[2])
    except AlignerError as failed:  # one line on the server's stderr; the server says the edits stay in the journal
        sys.exit(f"aligner: {failed}")
