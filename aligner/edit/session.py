"""A document open for editing: its version, saving an edit (with a TEI `<change>`, an undo
step and its journal record, `files`), undo and redo.

The version is the journal's (a new token for each edit; the files' hash when no journal speaks
for them): an edit made on another version than the one stored is refused (`StaleError`), so two
editors never overwrite each other. The journal's lock file makes check-and-write one step between
processes; the command line holds it from reading the document to saving (`held`), so that edits
made at the same time are made in turn. The command line writes the journal record and the TEI
files as one step (a full disk leaves both as they were: `files.write_through`); the web editor
answers once the journal holds the edit and lets a background writer bring the files up to it
(`write_behind`).
"""

from __future__ import annotations

import unicodedata
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from aligner.corpus.model import Change, ParallelText, checked_id
from aligner.corpus.store import clear_stale, doc_ids, locked
from aligner.edit import files, journal
from aligner.edit.ops import Result
from aligner.errors import CorpusError, EditError, StaleError
from aligner.ingest.text import NOT_IN_XML


@dataclass(frozen=True)
class Opened:
    """A document as loaded (journal edits included), with the version it was loaded at."""

    corpus: Path
    text: ParallelText
    version: str
    pending: int = 0  # the journal's number of its last edit not yet in the files (0: none)

def folder_of(corpus: Path, doc_id: str) -> Path:
    """The folder of a document id from a user or a request; anything that could reach outside
    the corpus (`..`, a slash, an absolute or encoded path, a symlink) is refused."""
    folder = corpus / checked_id(doc_id)
    if folder.is_symlink() or not folder.is_dir() or folder.resolve().parent != corpus.resolve():
        known = ", ".join(doc_ids(corpus)) or "none"
        raise CorpusError(f"{folder}: no such document in {corpus} (documents: {known})")
    return folder


def current_version(corpus: Path, doc_id: str) -> str:
    """The version of a document as stored now (journal and files)."""
    folder = folder_of(corpus, doc_id)
    with locked(folder):
        return str(files.state(folder)["version"])


def open_document(corpus: Path, doc_id: str) -> Opened:
    """Load a document for editing, with its version; edits its journal holds that the files do
    not have yet are applied."""
    text, log = files.open_text(folder_of(corpus, doc_id), doc_id)
    return Opened(corpus, text, log["version"], log["pending"][-1]["seq"] if log["pending"] else 0)


def _check(opened: Opened, now: str, expected: str | None) -> None:
    """Refuse an edit made on another version than the one stored."""
    for seen in (expected, opened.version):
        if seen is not None and seen != now:
            raise StaleError(
                f"{opened.text.doc_id}: the document changed since version {seen} (now {now}), "
                "by another editor or a build; reload it and make the edit again"
            )


def history_line(who: str, what: str, target: tuple[str, ...]) -> Change:
    """A history line for an edit made now; a name the history cannot hold is refused before
    anything is written (a control character, a byte that was not UTF-8, or no name at all)."""
    if not who.strip() or any(unicodedata.category(ch) in ("Cc", "Cs") for ch in who) or NOT_IN_XML.search(who):
        raise EditError(f"--who {who!r}: not a name the history can keep; give a plain name (letters, digits, spaces)")
    return Change(datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), who, what, target)


def held(corpus: Path, doc_id: str) -> AbstractContextManager[None]:
    """Hold a document's lock for a whole command (read, edit, save): command-line edits of one
    document made at the same time are made one after another, each on what the one before left."""
    return locked(folder_of(corpus, doc_id))


def _store(folder: Path, opened: Opened, after: ParallelText, log: files.Json, write_behind: bool) -> Opened:
    """Save an edit, undo or redo (the caller holds the lock): its journal record alone when
    `write_behind` (`files.flush` brings the TEI files up to it), else the record and the files as
    one step (`files.write_through`: a full disk leaves both as they were); the document saved."""
    if write_behind:
        files.save_journal(folder, log)
    else:
        files.write_through(folder, log, after)
    return Opened(opened.corpus, after, log["version"], log["seq"] if write_behind else 0)


def commit(opened: Opened, result: Result, who: str, expected: str | None = None, write_behind: bool = False) -> Opened:
    """Save an edit made on `opened` (refused if the document changed since), with its history
    line and an undo step; `write_behind`: the TEI files are left to `files.flush`."""
    folder = folder_of(opened.corpus, opened.text.doc_id)
    with locked(folder):
        log = files.state(folder)
        clear_stale(folder)  # what writers killed before their commit left, even when this edit changes nothing
        _check(opened, log["version"], expected)
        if result.text == opened.text:
            return opened  # nothing to save, nor to undo
        line = history_line(who, result.what, result.target)
        patch = journal.diff(opened.text, result.text)
        after = replace(result.text, changes=opened.text.changes + (line,))
        steps = [*log["steps"][: log["position"]], {"what": result.what, "target": list(result.target), "patch": patch}]
        new_log = files.recorded(log, patch, True, files.change(who, result.what, result.target, line.when), len(steps), steps)
        return _store(folder, opened, after, new_log, write_behind)


def undo(opened: Opened, who: str, expected: str | None = None, write_behind: bool = False) -> tuple[Opened, str]:
    """Take back the last edit; returns the document and what was undone."""
    return _move(opened, who, expected, True, write_behind)


def redo(opened: Opened, who: str, expected: str | None = None, write_behind: bool = False) -> tuple[Opened, str]:
    """Make again the last edit undone; returns the document and what was redone."""
    return _move(opened, who, expected, False, write_behind)


def _move(opened: Opened, who: str, expected: str | None, back: bool, write_behind: bool) -> tuple[Opened, str]:
    """Undo (`back`) or redo the step at the journal's position; a step that does not apply to the
    document (a damaged journal) is refused before anything is written."""
    folder = folder_of(opened.corpus, opened.text.doc_id)
    with locked(folder):
        log = files.state(folder)
        clear_stale(folder)  # what writers killed before their commit left
        _check(opened, log["version"], expected)
        pos = log["position"]
        if (back and pos == 0) or (not back and pos >= len(log["steps"])):
            raise EditError(f"{opened.text.doc_id}: nothing to {'undo' if back else 'redo'}")
        k = pos - 1 if back else pos
        step = log["steps"][k]
        try:
            text = journal.apply(opened.text, step["patch"], forward=not back)
        except journal.Mismatch as err:
            raise journal.unreadable(folder / journal.JOURNAL_FILE, f"its undo step {k + 1} does not apply: {err}") from None
        what = f"{'undid' if back else 'redid'}: {step['what']}"
        line = history_line(who, what, tuple(step["target"]))
        after = replace(text, changes=opened.text.changes + (line,))
        new_log = files.recorded(log, step["patch"], not back, files.change(who, what, line.target, line.when), pos - 1 if back else pos + 1, log["steps"])
        return _store(folder, opened, after, new_log, write_behind), what


def history(opened: Opened) -> list[Change]:
    """Every change people made, oldest first."""
    return list(opened.text.changes)


def check_writable(corpus: Path) -> None:
    """An error if the corpus folder does not exist."""
    if not corpus.is_dir():
        raise EditError(f"{corpus}: no such corpus folder; run `aligner build` first or give --corpus")
