"""A document open for editing: its version, saving an edit (atomically, validated, with a TEI
`<change>` and a journal step), undo and redo.

The version is a hash of the document's TEI files: an edit made on another version than the one
stored is refused (`StaleError`), so two editors never overwrite each other. A lock file in the
document folder makes check-and-write one step between processes.
"""

from __future__ import annotations

import fcntl
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from aligner.corpus.model import Change, ParallelText
from aligner.corpus.store import doc_ids, load, serialise, write_atomic
from aligner.edit import journal
from aligner.edit.ops import Result
from aligner.errors import CorpusError, EditError, StaleError

LOCK_FILE = ".lock"
_DOC_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}")


Stamp = tuple[int, int, int]  # (inode, size, mtime in ns) of a file: a cheap sign that it changed


@dataclass(frozen=True)
class Opened:
    """A document as loaded, with the version it was loaded at and what its files were then."""

    corpus: Path
    text: ParallelText
    version: str
    digests: dict[str, bytes]  # file name → sha256 of its bytes
    stamps: dict[str, Stamp]


def folder_of(corpus: Path, doc_id: str) -> Path:
    """The folder of a document id from a user or a request; anything that could reach outside
    the corpus (`..`, a slash, an absolute or encoded path, a symlink) is refused."""
    if not _DOC_ID.fullmatch(doc_id) or ".." in doc_id:
        raise CorpusError(f"'{doc_id}' is not a document id: ids are letters, digits, '_', '.' and '-'; see `aligner show --list`")
    folder = corpus / doc_id
    if folder.is_symlink() or not folder.is_dir() or folder.resolve().parent != corpus.resolve():
        known = ", ".join(doc_ids(corpus)) or "none"
        raise CorpusError(f"{folder}: no such document in {corpus} (documents: {known})")
    return folder


def version_of(digests: dict[str, bytes]) -> str:
    """A document's version: a hash of its TEI files' hashes by name."""
    digest = hashlib.sha256()
    for name in sorted(digests):
        digest.update(name.encode() + b"\0" + digests[name])
    return digest.hexdigest()[:16]


def _stamps(folder: Path) -> dict[str, Stamp]:
    return {p.name: (st.st_ino, st.st_size, st.st_mtime_ns) for p in folder.glob("*.xml") for st in [p.stat()]}


def _digests(folder: Path) -> dict[str, bytes]:
    return {p.name: hashlib.sha256(p.read_bytes()).digest() for p in folder.glob("*.xml")}


def disk_version(opened: Opened, folder: Path) -> str:
    """The version of the files stored now (hashed again only if a file's stamp changed)."""
    return opened.version if _stamps(folder) == opened.stamps else version_of(_digests(folder))


def open_document(corpus: Path, doc_id: str) -> Opened:
    """Load a document for editing, with its version."""
    folder = folder_of(corpus, doc_id)
    with _locked(folder):
        digests = _digests(folder)
        return Opened(corpus, load(corpus, doc_id), version_of(digests), digests, _stamps(folder))


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the document's lock file (between processes) for the block."""
    with open(folder / LOCK_FILE, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _check(opened: Opened, folder: Path, expected: str | None) -> None:
    """Refuse an edit made on another version than the one stored."""
    now = disk_version(opened, folder)
    for seen in (expected, opened.version):
        if seen is not None and seen != now:
            raise StaleError(
                f"{opened.text.doc_id}: the document changed since version {seen} (now {now}), "
                "by another editor or a build; reload it and make the edit again"
            )


def _save(opened: Opened, after: ParallelText, step_what: str, target: tuple[str, ...], who: str) -> Opened:
    """Write the edited document with a new `<change>` (only the files that changed; each validated
    against its schema, then written atomically). The caller holds the lock."""
    change = Change(datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), who, step_what, target)
    after = replace(after, changes=opened.text.changes + (change,))
    changed = {lang: doc for lang, doc in after.versions.items() if doc is not opened.text.versions.get(lang) and doc != opened.text.versions.get(lang)}
    files = serialise(opened.corpus, replace(after, versions=changed))
    for path, data in files.items():
        write_atomic(path, data)
    digests = {**opened.digests, **{p.name: hashlib.sha256(d).digest() for p, d in files.items()}}
    folder = folder_of(opened.corpus, opened.text.doc_id)
    return Opened(opened.corpus, after, version_of(digests), digests, _stamps(folder))


def commit(opened: Opened, result: Result, who: str, expected: str | None = None) -> Opened:
    """Save an edit made on `opened` (refused if the document changed since), with its history
    line and an undo step."""
    folder = folder_of(opened.corpus, opened.text.doc_id)
    with _locked(folder):
        _check(opened, folder, expected)
        if result.text == opened.text:
            return opened  # nothing to save, nor to undo
        patch = journal.diff(opened.text, result.text)
        log = journal.read(folder)
        if log["version"] != opened.version:
            log = {"version": "", "position": 0, "steps": []}  # the files changed outside the editor
        saved = _save(opened, result.text, result.what, result.target, who)
        step = {"what": result.what, "target": list(result.target), "patch": patch}
        journal.write(folder, journal.record(log, step, saved.version))
    return saved


def undo(opened: Opened, who: str, expected: str | None = None) -> tuple[Opened, str]:
    """Take back the last edit; returns the document and what was undone."""
    return _move(opened, who, expected, back=True)


def redo(opened: Opened, who: str, expected: str | None = None) -> tuple[Opened, str]:
    """Make again the last edit undone; returns the document and what was redone."""
    return _move(opened, who, expected, back=False)


def _move(opened: Opened, who: str, expected: str | None, back: bool) -> tuple[Opened, str]:
    folder = folder_of(opened.corpus, opened.text.doc_id)
    with _locked(folder):
        _check(opened, folder, expected)
        log = journal.read(folder)
        if log["steps"] and log["version"] != opened.version:
            raise EditError(f"{opened.text.doc_id}: the files changed outside the editor since the last edit (a build?); there is nothing to {'undo' if back else 'redo'}")
        pos = log["position"]
        if (back and pos == 0) or (not back and pos >= len(log["steps"])):
            raise EditError(f"{opened.text.doc_id}: nothing to {'undo' if back else 'redo'}")
        step = log["steps"][pos - 1 if back else pos]
        text = journal.apply(opened.text, step["patch"], forward=not back)
        what = f"{'undid' if back else 'redid'}: {step['what']}"
        saved = _save(opened, text, what, tuple(step["target"]), who)
        journal.write(folder, {"version": saved.version, "position": pos - 1 if back else pos + 1, "steps": log["steps"]})
    return saved, what


def history(opened: Opened) -> list[Change]:
    """Every change people made, oldest first."""
    return list(opened.text.changes)


def check_writable(corpus: Path) -> None:
    """An error if the corpus folder does not exist."""
    if not corpus.is_dir():
        raise EditError(f"{corpus}: no such corpus folder; run `aligner build` first or give --corpus")
