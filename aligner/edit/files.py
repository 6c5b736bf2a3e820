"""A document's TEI files and its journal: which version they are at, edits the journal holds
that the files do not have yet (the web editor writes behind), and writing those edits into the
files so that a kill at any moment loses nothing.

The journal (`journal.json`, replaced atomically and fsync'd) is the record an edit is safe in:
- `version`: the document's version, a new token for each edit (what a page or `--expect` carries);
- `files`: the sha256 of each TEI file the journal starts from, and `stamps` their (inode, size,
  mtime) when hashed, so that an unchanged file is not read again;
- `pending`: the edits not in the files yet (patch, direction, history line), oldest first;
- `flushing`: a write in progress: the temporary files that hold the new bytes;
- `steps` and `position`: the undo history (`journal.diff` patches).

A write (`flush`) puts the new bytes of every changed file in a temporary file (fsync'd), names
them in the journal, renames them over the files, then drops the edits written from `pending`.
Whoever takes the lock next (`state`) finishes a write that a kill cut short: the renames are
made again from the named temporary files; a write killed before it named them left the edits
pending, and they are applied again. A file changed outside the editor (a build that made other
links) voids the journal: the version is then the hash of the files.

The command line (`write_through`) stages the files first and records its edit in the same
journal write that names them: that write is the moment the edit is saved, so a full disk before
it leaves the journal and the files as they were (the edit was not made, and is made once when
tried again), and after it the edit stands. The web editor's writer and a build (`flush`) write
edits the journal holds already: a failure leaves them pending. Either says so in one line.

A journal is checked when read (`journal.read`; its undo patches when used, and all of them by the command line) and each pending edit when replayed: a damaged
one is refused in one line, before anything is written.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from aligner.corpus.model import Change, ParallelText
from aligner.corpus.store import (
    cannot_write,
    discard,
    disk_full,
    holding,
    load,
    load_links,
    serialise,
    stage,
    sync_folder,
    write_atomic,
    write_fix,
)
from aligner.edit import journal
from aligner.errors import AlignerError, OutputError

LOCK_FILE = ".lock"
Json = dict[str, Any]
# what a failed write says became of the edits (`_unwritable`)
NOT_MADE = "the edit was not made: {fix} and make it again"
KEPT = "the edits are saved in the journal, and the next edit or build of the document writes them: {fix}"


class _Held(threading.local):
    """The documents (folders) whose lock each thread holds."""

    def __init__(self) -> None:
        self.folders: set[Path] = set()


_HELD = _Held()


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the document's lock file (between processes, threads, builds and editors) for the
    block; inside a block of the same thread that holds it already, it is held on (a command
    holds it from reading the document to writing its edit, through the steps that take it too)."""
    key = folder.resolve()
    if key in _HELD.folders:
        yield
        return
    with holding(folder / LOCK_FILE):
        _HELD.folders.add(key)
        try:
            yield
        finally:
            _HELD.folders.discard(key)


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
    path = folder / journal.JOURNAL_FILE
    write_atomic(path, json.dumps(log, ensure_ascii=False, separators=(",", ":")).encode(), sync=True)
    st = path.stat()
    _READ[path] = ((st.st_ino, st.st_size, st.st_mtime_ns), log)


def state(folder: Path) -> Json:
    """The journal as it stands for the files now (the caller holds the lock): a write a kill
    cut short is finished first; files changed outside the editor give a fresh journal."""
    log = _read(folder)
    if "flushing" in log:
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
    """Complete a write the journal names: rename what is left of its temporary files, then
    count its edits as written (or forget it if the files are not what it wrote). The journal
    saying so is tidying only: if it cannot be saved, it still names the write, and whoever reads
    it next completes it again."""
    out = dict(log)
    work = out.pop("flushing")
    target = folder
    try:
        for name, (tmp, _digest) in work["files"].items():
            target = folder / name
            if (folder / tmp).exists():
                os.replace(folder / tmp, target)
        sync_folder(folder)
    except OSError as err:
        raise _unwritable(target, err, KEPT) from None
    wrote = {name: digest for name, (_tmp, digest) in work["files"].items()}
    if _hashes(folder, list(wrote)) == wrote:
        out["files"] = {**out.get("files", {}), **wrote}
        out["pending"] = [e for e in out.get("pending", []) if e["seq"] > work["upto"]]
        out["stamps"] = _stamps(folder)
    with suppress(OSError):
        save_journal(folder, out)
    return out


def _unwritable(path: Path, err: OSError, then: str) -> OutputError:
    """A write of a document's file that failed, as one line: the file, the cause, and what became
    of the edits with the fix (`then`: `NOT_MADE` or `KEPT`)."""
    return cannot_write(path, err, then.format(fix=write_fix(disk_full(err), path.parent)))


def _land(folder: Path, log: Json, upto: int, data: dict[Path, bytes], temps: dict[Path, Path], then: str) -> Json:
    """Under the lock: name a write's temporary files in the journal `log` (its edits up to number
    `upto` are in them), then rename them into place (`_finish`); the journal after it. Once named,
    they are the journal's: `temps` is emptied, so that a caller removing what is left of it after
    a failed rename leaves them for whoever reads the journal next."""
    work = {"upto": upto, "files": {path.name: [tmp.name, hashlib.sha256(data[path]).hexdigest()] for path, tmp in temps.items()}}
    try:
        save_journal(folder, {**log, "flushing": work})
    except OSError as err:
        raise _unwritable(folder / journal.JOURNAL_FILE, err, then) from None
    temps.clear()
    return _finish(folder, {**log, "flushing": work})


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
    """Under the lock: save an edit (`log` from `recorded`, `text` the document it describes) and
    write it into the TEI files, as one step. The files' new bytes go to temporary files first,
    then one journal write records the edit and names them (the moment it is saved), then they are
    renamed into place: a write that fails before that moment (a full disk) leaves the journal and
    the files as they were, and says the edit was not made; after it, the edit stands."""
    data = _serialised(folder, text, log["pending"])
    temps = stage(data, sync=True, failed=partial(_unwritable, then=NOT_MADE))
    try:
        return _land(folder, log, log["seq"], data, temps, NOT_MADE)
    finally:
        discard(temps)


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
            _land(folder, now, pending[-1]["seq"], data, temps, KEPT)
    finally:
        discard(temps)
    return True


if __name__ == "__main__":  # the web editor's background writer: python -m aligner.edit.files FOLDER DOC_ID
    os.nice(19)  # the server answering edits comes first
    try:
        flush(Path(sys.argv[1]), sys.argv[2])
    except AlignerError as failed:  # one line on the server's stderr; the server says the edits stay in the journal
        sys.exit(f"aligner: {failed}")
