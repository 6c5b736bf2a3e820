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
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path
from typing import Any

from aligner.corpus.model import Change, ParallelText
from aligner.corpus.store import (
    holding,
    load,
    load_links,
    serialise,
    sync_folder,
    temporary,
    write_atomic,
)
from aligner.edit import journal

LOCK_FILE = ".lock"
Json = dict[str, Any]


def locked(folder: Path) -> AbstractContextManager[None]:
    """Hold the document's lock file (between processes, builds and editors) for the block."""
    return holding(folder / LOCK_FILE)


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
    """Replace the journal atomically, on disk before returning (fsync)."""
    write_atomic(folder / journal.JOURNAL_FILE, json.dumps(log, ensure_ascii=False, separators=(",", ":")).encode(), sync=True)


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
    count its edits as written (or forget it if the files are not what it wrote)."""
    out = dict(log)
    work = out.pop("flushing")
    for name, (tmp, _digest) in work["files"].items():
        if (folder / tmp).exists():
            os.replace(folder / tmp, folder / name)
    sync_folder(folder)
    wrote = {name: digest for name, (_tmp, digest) in work["files"].items()}
    if _hashes(folder, list(wrote)) == wrote:
        out["files"] = {**out.get("files", {}), **wrote}
        out["pending"] = [e for e in out.get("pending", []) if e["seq"] > work["upto"]]
        out["stamps"] = _stamps(folder)
    save_journal(folder, out)
    return out


def change(who: str, what: str, target: tuple[str, ...], when: str) -> list[Any]:
    """A history line as the journal keeps it."""
    return [when, who, what, list(target)]


def replay(text: ParallelText, pending: list[Json]) -> ParallelText:
    """The document with the journal's pending edits applied, history lines included."""
    for entry in pending:
        text = journal.apply(text, entry["patch"], forward=entry["forward"])
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
    return replay(text, log["pending"]), log


def flush(folder: Path, doc_id: str, known: tuple[ParallelText, int] | None = None) -> bool:
    """Write the journal's pending edits into the TEI files (each validated against its schema);
    `known`: the document with the pending edits up to a number applied, when the caller has it.
    False when there was nothing to write, or another writer or a build came first."""
    with locked(folder):
        log = state(folder)
    pending = log["pending"]
    if not pending:
        return False
    langs = {part["lang"] for e in pending for part in e["patch"]["versions"]}
    if known is not None and known[1] == pending[-1]["seq"]:
        text = known[0]
    else:  # link edits only rewrite align.xml: the versions need not be read
        text = replay(load(folder.parent, doc_id) if langs else load_links(folder.parent, doc_id), pending)
    data = serialise(folder.parent, replace(text, versions={lang: text.versions[lang] for lang in langs}))
    temps = {path.name: temporary(path, payload, sync=True) for path, payload in data.items()}
    try:
        with locked(folder):
            now = state(folder)
            if now["files"] != log["files"] or now["pending"][: len(pending)] != pending:
                return False  # written meanwhile, or the files changed under us
            work = {"upto": pending[-1]["seq"], "files": {name: [tmp.name, hashlib.sha256(data[folder / name]).hexdigest()] for name, tmp in temps.items()}}
            save_journal(folder, {**now, "flushing": work})
            _finish(folder, {**now, "flushing": work})
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
    return True


if __name__ == "__main__":  # the web editor's background writer: python -m aligner.edit.files FOLDER DOC_ID
    os.nice(19)  # the server answering edits comes first
    flush(Path(sys.argv[1]), sys.argv[2])
