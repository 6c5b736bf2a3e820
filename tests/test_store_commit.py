"""A document's save is all or none, whoever makes it (build, import, edit): its files are staged
(fsync'd), one commit record names the renames, then they are made; whoever writes the document
next completes a save cut short, or drops one whose files changed since, and removes what a killed
writer left; readers see the committed state. Also: an empty align.xml is refused, a damaged or
removed version file is ingested again keeping its links when it is the same, a lock that cannot
be taken is one line (and does not stop readers), and a failed write of a corpus file says what
to do. Each failure is injected (a write or rename that fails, a state a kill leaves written by
hand, a temporary file removed at a given moment); one test races: a reader holds the lock while
a writer (another open file of the lock, as another process would take it) tries it, and the other
way round, when no lock file was there before (an imported document's)."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NoReturn

import pytest
from click.testing import CliRunner
from edit_fixtures import engine_for, three_versions

from aligner.build import build
from aligner.cli import main
from aligner.corpus import store
from aligner.corpus.model import ParallelText
from aligner.corpus.store import load, save, serialise
from aligner.edit.journal import JOURNAL_FILE
from aligner.errors import CorpusError, OutputError, SchemaError

DOC = "000_bf7a112df29932bd"
COMMIT_FILE = "commit.json"  # a document's save being made (`store.COMMIT_FILE`)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Killed(BaseException):
    """The process killed at that moment (nothing after it runs but `finally` blocks)."""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def edit(corpus: Path, *args: str, doc: str = "doc", pair: str = "en,zh-Hans") -> tuple[int, str]:
    return run("edit", doc, "--corpus", str(corpus), "--pair", pair, "--who", "tester", *args)


def files(folder: Path) -> dict[str, bytes]:
    """The document's files (not the lock), by name."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != ".lock"}


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def failing(code: int) -> Any:
    def fail(*args: object, **kwargs: object) -> NoReturn:
        raise OSError(code, os.strerror(code))

    return fail


def killed_after(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """os.replace puts a file named `name` in place, and the process is killed right after."""
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        real(src, dst)
        if Path(dst).name == name:
            raise Killed

    monkeypatch.setattr(os, "replace", replace)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    save(tmp_path, three_versions())
    return tmp_path


def changed(text: ParallelText, sid: str, new: str) -> ParallelText:
    """The document with one English sentence's text changed (a new en.xml and, by its history, align.xml)."""
    from dataclasses import replace

    from aligner.corpus.model import Change

    en = text.versions["en"]
    paras = tuple(replace(p, sentences=tuple(replace(s, text=new) if s.id == sid else s for s in p.sentences)) for p in en.paragraphs)
    return replace(text, versions={**text.versions, "en": replace(en, paragraphs=paras)},
                   changes=text.changes + (Change("2024-01-01T00:00:00Z", "tester", f"corrected {sid}", (f"en.xml#{sid}",)),))


# 1. all or none, durable


def test_a_save_killed_between_its_renames_is_completed_by_the_next_writer(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """en.xml renamed into place, align.xml not: the record names what is left; the next writer
    completes it (before: new en.xml with the old align.xml, read as the document)."""
    folder = corpus / "doc"
    after = changed(load(corpus, "doc"), "en.p1.s1", "Uno.")
    killed_after(monkeypatch, "en.xml")
    with pytest.raises(Killed):
        save(corpus, after)
    monkeypatch.undo()
    assert (folder / COMMIT_FILE).exists() and len(temporaries(folder)) == 1  # align.xml's, still to rename
    assert load(corpus, "doc") == after  # readers: the save made
    assert edit(corpus, "history")[0] == 0  # a writer takes the lock: completes it
    assert files(folder) == {name.name: data for name, data in serialise(corpus, after).items()}
    assert not (folder / COMMIT_FILE).exists() and temporaries(folder) == []


def test_a_save_that_fails_before_its_record_changes_nothing(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """align.xml cannot be staged (a full disk, a file size limit): en.xml is not written either
    (before: the new en.xml was renamed into place, the old align.xml left)."""
    folder = corpus / "doc"
    before = files(folder)
    real = store.temporary

    def align_too_large(path: Path, *args: Any, **kwargs: Any) -> Path:
        return failing(errno.EFBIG)() if path.name == "align.xml" else real(path, *args, **kwargs)

    monkeypatch.setattr(store, "temporary", align_too_large)
    with pytest.raises(OutputError, match=r"align\.xml: cannot write \(File too large\); raise the limit .*\(ulimit -f\)"):
        save(corpus, changed(load(corpus, "doc"), "en.p1.s1", "Uno."))
    assert files(folder) == before and temporaries(folder) == []


def test_the_staged_files_and_the_record_are_on_disk_before_the_first_rename(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fsync of each staged file, then the record renamed and the folder fsync'd (the commit
    point), and only then the renames, the folder fsync'd again after them (before: no fsync)."""
    folder = corpus / "doc"
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        events.append(("replace", str(src)))
        events.append(("into", str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    save(corpus, changed(load(corpus, "doc"), "en.p1.s1", "Uno."))
    monkeypatch.undo()
    record = events.index(("into", str(folder / COMMIT_FILE)))
    renames = [k for k, (what, path) in enumerate(events) if what == "into" and Path(path).name in ("en.xml", "align.xml")]
    staged = [events[k - 1][1] for k in renames]  # each rename's source: the file staged for en.xml, for align.xml
    assert len(renames) == 2 and record < renames[0]
    assert all(".xml." in path for path in staged) and len(set(staged)) == 2
    assert all(("fsync", path) in events[:record] for path in staged)  # each staged file's bytes on disk
    assert ("fsync", str(folder)) in events[record:renames[0]]  # the record durable before any rename
    assert ("fsync", str(folder)) in events[renames[-1]:]  # and the renames after them


def test_a_save_over_a_save_cut_short_completes_it_first(corpus: Path) -> None:
    """A save killed between its renames (en.xml new, align.xml staged), then the document saved
    as it was before: its files are those of that save, all of them (before: what changed was
    judged before the cut-short save was completed, so its align.xml was renamed in after the
    check and stayed, with the old en.xml)."""
    folder = corpus / "doc"
    before = load(corpus, "doc")
    cut_short(corpus)
    assert save(corpus, before) == [folder / "en.xml", folder / "align.xml"]
    assert files(folder) == {path.name: data for path, data in serialise(corpus, before).items()}
    assert load(corpus, "doc") == before and not (folder / COMMIT_FILE).exists() and temporaries(folder) == []


# 2. an import under the lock, after the pending work; a pending rename only over what it recorded


def sheet(corpus: Path, tmp_path: Path, old: str, new: str) -> Path:
    """The document's en–zh-Hans pair exported as a review sheet, one English sentence's text changed."""
    import openpyxl

    assert run("export", "doc", "--corpus", str(corpus), "--format", "xlsx", "--langs", "en,zh-Hans", "-o", str(tmp_path / "r.xlsx"))[0] == 0
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    cells = [c for row in book.worksheets[0].iter_rows() for c in row if c.value == old]
    assert len(cells) == 1
    cells[0].value = new
    book.save(tmp_path / "r2.xlsx")
    return tmp_path / "r2.xlsx"


def test_an_import_after_an_edit_killed_mid_save_keeps_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit killed once its journal was renamed into place; a review sheet exported (it shows
    the edit) and imported over the document; then any edit: the import's text and history stand
    with the edit's (before: the edit's stale renames were laid over the import's files at the
    next edit, the import silently undone)."""
    corpus = tmp_path / "c"
    save(corpus, three_versions())
    folder = corpus / "doc"
    killed_after(monkeypatch, JOURNAL_FILE)
    with pytest.raises(Killed):
        CliRunner().invoke(main, ["edit", "doc", "--corpus", str(corpus), "--who", "alice", "correct", "en.p1.s1", "Uno."], catch_exceptions=False)
    monkeypatch.undo()
    assert (folder / COMMIT_FILE).exists()
    review = sheet(corpus, tmp_path, "Four <b>bold</b>.", "Four, in bold.")
    assert run("import", str(review), "--format", "xlsx", "--corpus", str(corpus), "--replace", "--who", "Ann")[0] == 0
    assert edit(corpus, "confirm", "0")[0] == 0
    text = load(corpus, "doc")
    sentences = text.versions["en"].sentence_index()
    assert (sentences["en.p1.s1"].text, sentences["en.p2.s1"].text) == ("Uno.", "Four, in bold.")
    assert [(c.who, c.what) for c in text.changes] == [
        ("alice", "corrected the text of en sentence en.p1.s1: “One.” → “Uno.”"), ("Ann", "imported r2.xlsx: changed or added 1 en sentences"),
        ("tester", "en–zh-Hans: confirmed link 0: now [en.p1.s1 | zh-Hans.p1.s1]"),
    ]
    assert temporaries(folder) == [] and not (folder / COMMIT_FILE).exists()


def test_an_import_writes_under_the_documents_lock(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process trying the lock while the import commits finds it taken (before: no lock)."""
    import aligner.formats.imports

    review = sheet(corpus, tmp_path, "Four <b>bold</b>.", "Four, in bold.")
    real, tried = aligner.formats.imports.commit, []

    def commit(folder: Path, *args: Any, **kwargs: Any) -> None:
        with open(folder / ".lock") as other:  # another open file: as another process would take it
            with pytest.raises(BlockingIOError):
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        tried.append(folder.name)
        real(folder, *args, **kwargs)

    monkeypatch.setattr(aligner.formats.imports, "commit", commit)
    assert run("import", str(review), "--format", "xlsx", "--corpus", str(corpus), "--replace")[0] == 0
    assert tried == ["doc"]


def test_an_import_writes_the_editors_pending_edits_first(corpus: Path, tmp_path: Path) -> None:
    """Edits the web editor holds in its journal only: written before the import reads the
    document, so neither is lost (before: the import's files voided the journal's edits)."""
    from aligner.edit import session
    from aligner.edit.ops import link_edit

    review = sheet(corpus, tmp_path, "Four <b>bold</b>.", "Four, in bold.")
    opened = session.open_document(corpus, "doc")
    session.commit(opened, link_edit(opened.text, ("en", "zh-Hant"), "confirm", 0, engine_for), "web", write_behind=True)
    assert run("import", str(review), "--format", "xlsx", "--corpus", str(corpus), "--replace", "--who", "Ann")[0] == 0
    text = load(corpus, "doc")
    assert [c.who for c in text.changes] == ["web", "Ann"]
    assert text.alignment("en", "zh-Hant").links[0].resp == "person"  # type: ignore[union-attr]  # a pair the sheet does not hold


def test_an_import_over_pending_edits_that_cannot_be_replayed_says_so(corpus: Path, tmp_path: Path) -> None:
    """The web editor's pending edit does not apply (a damaged journal): the import is refused
    naming that error, not an editor at work (before: 'an editor is open on it; import again in
    a moment', which no wait mends)."""
    from aligner.edit import session
    from aligner.edit.ops import link_edit

    folder = corpus / "doc"
    review = sheet(corpus, tmp_path, "Four <b>bold</b>.", "Four, in bold.")
    opened = session.open_document(corpus, "doc")
    session.commit(opened, link_edit(opened.text, ("en", "zh-Hant"), "confirm", 0, engine_for), "web", write_behind=True)
    log = json.loads((folder / JOURNAL_FILE).read_text(encoding="utf-8"))
    log["pending"][0]["patch"]["links"][0]["pair"] = ["en", "fr"]
    (folder / JOURNAL_FILE).write_text(json.dumps(log), encoding="utf-8")
    before = files(folder)
    assert run("import", str(review), "--format", "xlsx", "--corpus", str(corpus), "--replace") == (1, (
        f"Error: {folder}: the edits pending in its journal cannot be replayed, so the import would lose them: "
        f"{folder / JOURNAL_FILE}: not a readable journal (pending edit 1: doc has no en-fr links); delete it to start "
        "a new undo history — the TEI files keep every edit written to them\n"))
    assert files(folder) == before


def test_a_pending_rename_over_a_file_changed_since_is_dropped_with_a_warning(corpus: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A journal of an earlier version naming a write (`flushing`) whose file was replaced since
    (by an import that took no lock): the import's file stays (before: the stale bytes were
    renamed over it), the edit's temporary file goes, and a warning says so."""
    folder = corpus / "doc"
    assert edit(corpus, "confirm", "0")[0] == 0
    log = json.loads((folder / JOURNAL_FILE).read_text(encoding="utf-8"))
    stale = store.temporary(folder / "align.xml", b"<stale/>")
    log["flushing"] = {"upto": log["seq"], "files": {"align.xml": [stale.name, sha256(b"<stale/>")]}}
    (folder / JOURNAL_FILE).write_text(json.dumps(log), encoding="utf-8")
    imported = changed(load(corpus, "doc"), "en.p1.s1", "Uno.")
    for path, data in serialise(corpus, imported).items():  # as an import that took no lock wrote them
        path.write_bytes(data)
    caplog.set_level(logging.WARNING)
    assert edit(corpus, "history")[0] == 0
    assert load(corpus, "doc").changes == imported.changes and temporaries(folder) == []
    assert f"{folder}: a save cut short is dropped, not completed: align.xml changed since the save was recorded" in caplog.text


def test_a_commit_record_whose_file_changed_since_is_dropped_with_a_warning(corpus: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = corpus / "doc"
    before, text = files(folder), load(corpus, "doc")
    tmp = store.temporary(folder / "align.xml", b"<new/>")
    record = {"files": {"align.xml": {"tmp": tmp.name, "was": sha256(b"<what was there>"), "now": sha256(b"<new/>")}}}
    (folder / COMMIT_FILE).write_text(json.dumps(record), encoding="utf-8")
    assert load(corpus, "doc") == text  # readers: the document as it is, the record cannot be completed
    caplog.set_level(logging.WARNING)
    assert edit(corpus, "history")[0] == 0
    assert files(folder) == before  # the record and its staged file gone, the files as they were
    assert "a save cut short is dropped, not completed: align.xml changed since the save was recorded" in caplog.text


# 3. an empty align.xml


@pytest.mark.parametrize("command", [["show", "doc"], ["export", "doc", "--format", "tsv", "-o"], ["qa", "doc"], ["edit", "doc", "history"]])
def test_an_empty_alignment_file_is_refused_in_one_line(corpus: Path, tmp_path: Path, command: list[str]) -> None:
    """As a truncated one is (before: read as no links, the history gone, exit 0)."""
    (corpus / "doc" / "align.xml").write_bytes(b"")
    status, out = run(*command, *([str(tmp_path / "o.tsv")] if command[-1] == "-o" else []), "--corpus", str(corpus))
    assert (status, out.count("\n")) == (1, 1), out
    assert out.startswith(f"Error: {corpus / 'doc' / 'align.xml'}:1: malformed XML: Document is empty")
    with pytest.raises(SchemaError):
        store.load_partial(corpus, "doc")


# 4. readers see the committed state


def cut_short(corpus: Path) -> ParallelText:
    """The state a save killed between its renames leaves, written by hand: en.xml new, align.xml
    still the old one, its new bytes staged and named by the commit record; the document saved."""
    folder = corpus / "doc"
    after = changed(load(corpus, "doc"), "en.p1.s1", "Uno.")
    new = {path.name: data for path, data in serialise(corpus, after).items()}
    old = files(folder)
    tmp = folder / ".align.xml.k1ll3d.tmp"
    tmp.write_bytes(new["align.xml"])
    (folder / "en.xml").write_bytes(new["en.xml"])
    entries = {"en.xml": {"tmp": ".en.xml.gone.tmp", "was": sha256(old["en.xml"]), "now": sha256(new["en.xml"])},
               "align.xml": {"tmp": tmp.name, "was": sha256(old["align.xml"]), "now": sha256(new["align.xml"])}}
    (folder / COMMIT_FILE).write_text(json.dumps({"files": entries}), encoding="utf-8")
    return after


@pytest.mark.parametrize("lock", ["file", "folder"], ids=["lock", "no-lock"])
def test_readers_see_a_save_cut_short_as_made(corpus: Path, lock: str) -> None:
    """show, export, qa: the document as the save made it, never its new en.xml with its old
    align.xml (before: exit 0 with the history and links of the old save); without the lock (a
    read-only corpus) too, writing nothing."""
    after = cut_short(corpus)
    folder = corpus / "doc"
    if lock == "folder":
        (folder / ".lock").unlink(missing_ok=True)
        (folder / ".lock").mkdir()
    state = files(folder)
    assert load(corpus, "doc").changes == after.changes
    out = corpus.parent / "o.tsv"
    assert run("export", "doc", "--corpus", str(corpus), "--format", "tsv", "-o", str(out))[0] == 0
    assert "Uno." in out.read_text(encoding="utf-8")
    assert run("show", "doc", "--corpus", str(corpus), "--json")[0] == 0
    assert files(folder) == state  # readers write nothing
    if lock == "file":
        assert edit(corpus, "history")[0] == 0  # the next writer completes it
        assert not (folder / COMMIT_FILE).exists() and temporaries(folder) == [] and load(corpus, "doc") == after


def test_a_new_document_whose_first_save_was_cut_short_after_its_record_is_listed_and_read(tmp_path: Path) -> None:
    """Killed right after the commit record of its first save: no LANG.xml in place yet, but the
    save is made: the corpus lists the document and readers read it (before: not a document)."""
    text = three_versions()
    folder = tmp_path / "doc"
    folder.mkdir()
    entries = {}
    for path, data in serialise(tmp_path, text).items():
        tmp = folder / f".{path.name}.k1ll3d.tmp"
        tmp.write_bytes(data)
        entries[path.name] = {"tmp": tmp.name, "was": None, "now": sha256(data)}
    (folder / COMMIT_FILE).write_text(json.dumps({"files": entries}), encoding="utf-8")
    assert store.doc_ids(tmp_path) == ["doc"] and run("show", "--list", "--corpus", str(tmp_path)) == (0, "doc\n")
    assert store.resolve(str(tmp_path), tmp_path) == [text]


@pytest.mark.parametrize("times", [1, 3])
def test_a_file_renamed_under_a_reader_without_the_lock_is_read_again_then_refused_in_one_line(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, times: int
) -> None:
    """No lock to take (`.lock` a folder: as a corpus that cannot hold one), and a save renames a
    file the reader was about to read: it reads the document again, and after three tries says
    so in one line (before: a traceback, FileNotFoundError)."""
    folder = corpus / "doc"
    text = load(corpus, "doc")
    (folder / ".lock").unlink()
    (folder / ".lock").mkdir()
    real, reads = store.committed, []

    def renamed_under(where: Path) -> dict[str, Path]:
        reads.append(where)
        found = real(where)
        gone = {name: where / f".{name}.renamed.tmp" for name in ("en.xml", "align.xml")}
        return {**found, **gone} if len(reads) <= times else found

    monkeypatch.setattr(store, "committed", renamed_under)
    if times < 3:
        assert load(corpus, "doc") == text and len(reads) == times + 1
    else:
        assert run("show", "doc", "--corpus", str(corpus)) == (1, (
            f"Error: {folder}: the document's files changed each time it was read (3 times), being saved without its lock "
            "(.lock); read it again once the save is done\n"))
        reads.clear()
        with pytest.raises(CorpusError, match="changed each time it was read"):
            store.load_links(corpus, "doc")


# 5. the lock: readers and writers wait for each other; one that cannot be taken


def test_a_reader_and_a_writer_wait_for_each_other_when_no_lock_file_was_there(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No `.lock` (an import removes the one it made): a reader makes it and holds it shared, so
    a writer (another open file of it, as another process takes it) waits for the reader, and a
    reader waits for a writer, seeing the save whole (before: the reader read without a lock,
    and could take a new en.xml with an old align.xml, or a file renamed under it)."""
    folder = corpus / "doc"
    text = load(corpus, "doc")
    after = changed(text, "en.p1.s1", "Uno.")
    (folder / ".lock").unlink()
    inside, go_on = threading.Event(), threading.Event()
    real = store.committed

    def paused(where: Path) -> dict[str, Path]:
        inside.set()
        assert go_on.wait(10)
        return real(where)

    monkeypatch.setattr(store, "committed", paused)
    with ThreadPoolExecutor(1) as reader:
        read = reader.submit(load, corpus, "doc")
        assert inside.wait(10)  # the reader is reading
        with open(folder / ".lock", "a") as writer:
            with pytest.raises(BlockingIOError):
                fcntl.flock(writer, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held by the reader
            go_on.set()
            assert read.result(10) == text
            fcntl.flock(writer, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free once read
            monkeypatch.undo()
            read = reader.submit(load, corpus, "doc")
            time.sleep(0.3)
            assert not read.done()  # waits for the writer
            new = serialise(corpus, after)
            for name in ("en.xml", "align.xml"):  # one file, then the other: a save half made, had the reader not waited
                (folder / name).write_bytes(new[folder / name])
            (folder / ".lock").unlink()  # as an import's lock ends: the reader takes the lock file made anew
            fcntl.flock(writer, fcntl.LOCK_UN)
        assert read.result(10) == after


@pytest.fixture
def lock_folder(corpus: Path) -> Path:
    """`.lock` made a folder: the lock cannot be taken."""
    folder = corpus / "doc"
    (folder / ".lock").unlink(missing_ok=True)
    (folder / ".lock").mkdir()
    return folder


def test_an_edit_without_its_lock_is_one_line_and_reading_works(corpus: Path, lock_folder: Path) -> None:
    """confirm: one line naming the folder and the fix, nothing written; history and show read
    (before: a traceback for each)."""
    before = files(lock_folder)
    assert edit(corpus, "confirm", "0") == (1, f"Error: {lock_folder}: cannot lock the document: {lock_folder / '.lock'} is a folder, "
                                               "where its lock file goes; remove that folder\n")
    assert files(lock_folder) == before
    status, out = edit(corpus, "history")
    assert status == 0 and out.startswith("doc: no edits yet")
    assert run("show", "doc", "--corpus", str(corpus))[0] == 0


def test_a_lock_file_a_read_only_folder_cannot_hold_is_one_line(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = corpus / "doc"
    (folder / ".lock").unlink(missing_ok=True)
    real = open

    def read_only(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if Path(path).name == ".lock" and mode != "r":
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(store, "open", read_only, raising=False)
    assert edit(corpus, "confirm", "0") == (1, f"Error: {folder}: cannot make the document's lock file .lock (Read-only file system); "
                                               f"make {folder} writable\n")
    assert edit(corpus, "history")[0] == 0


def test_the_editor_server_without_the_lock_shows_and_refuses_edits_in_one_line(corpus: Path, lock_folder: Path) -> None:
    from starlette.testclient import TestClient

    from aligner.reader.editor import make_app
    from aligner.reader.hosts import hosts_for

    app, editor = make_app(corpus, engine_for, hosts_for("127.0.0.1", 8123), "tester")
    client = TestClient(app, base_url="http://127.0.0.1:8123")
    rows = client.get("/api/rows/doc?pair=en,zh-Hans")
    assert rows.status_code == 200
    answer = client.post("/api/edit/doc", json={"op": "confirm", "n": 0, "pair": "en,zh-Hans", "version": rows.json()["version"]},
                         headers={"origin": "http://127.0.0.1:8123", "x-aligner-token": editor.token})
    assert answer.status_code == 500
    assert answer.json() == {"error": f"{lock_folder}: cannot lock the document: {lock_folder / '.lock'} is a folder, where its lock file goes; remove that folder"}


# 6. what killed writers left


@pytest.mark.parametrize("changes", [True, False], ids=["edit", "edit-changing-nothing"])
def test_the_next_writer_removes_what_killed_writers_left_but_not_what_a_live_one_staged(corpus: Path, changes: bool) -> None:
    folder = corpus / "doc"
    if not changes:
        assert edit(corpus, "confirm", "0")[0] == 0  # confirmed already: the next confirm saves nothing
    left = [folder / ".align.xml.x1y2z3w4.tmp", folder / ".en.xml.a1b2c3d4.tmp"]  # as a killed import or edit leaves them
    for path in left:
        path.write_bytes(b"cut short")
    live = store.stage({folder / "zh-Hans.xml": b"being written"})  # staged by a writer that has not committed yet
    try:
        status, out = edit(corpus, "confirm", "0")
        assert status == 0 and ("no link changed" in out) != changes
        assert temporaries(folder) == [live[folder / "zh-Hans.xml"].name]
    finally:
        store.discard(live)
    assert temporaries(folder) == []


def test_a_staged_file_another_writer_clears_before_it_is_held_is_made_again(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another writer's `clear_stale` runs between the making of a temporary file and its hold,
    and removes it: the save makes it again and is made (before: 'en.xml: cannot write (No such
    file or directory); make … writable', a fix that does not apply)."""
    folder = corpus / "doc"
    after = changed(load(corpus, "doc"), "en.p1.s1", "Uno.")
    real, cleared = store.tempfile.mkstemp, list[Path]()

    def cleared_at_once(*args: Any, **kwargs: Any) -> tuple[int, str]:
        made = real(*args, **kwargs)
        if not cleared:
            cleared.extend(store.clear_stale(folder))  # as another writer holding the lock to write would
        return made

    monkeypatch.setattr(store.tempfile, "mkstemp", cleared_at_once)
    save(corpus, after)
    monkeypatch.undo()
    assert len(cleared) == 1 and cleared[0].name.startswith(".en.xml.")
    assert files(folder) == {path.name: data for path, data in serialise(corpus, after).items()} and temporaries(folder) == []


# 7. a failed write of a corpus file says what to do


@pytest.mark.parametrize(("code", "fix"), [
    (errno.EFBIG, "raise the limit on the size of files this process may write (ulimit -f), or free some disk space"),
    (errno.ENOSPC, "free some disk space"),
    (errno.EACCES, "make {folder} writable"),
])  # fmt: skip
def test_a_corpus_file_that_cannot_be_written_says_what_to_do(corpus: Path, monkeypatch: pytest.MonkeyPatch, code: int, fix: str) -> None:
    """Not 'choose another path': the user chose no path (before, for File too large)."""
    folder = corpus / "doc"
    monkeypatch.setattr(store, "temporary", failing(code))
    with pytest.raises(OutputError) as caught:
        save(corpus, changed(load(corpus, "doc"), "en.p1.s1", "Uno."))
    assert str(caught.value) == f"{folder / 'en.xml'}: cannot write ({os.strerror(code)}); {fix.format(folder=folder)}"


# builds, with the engine: all or none (1), a damaged or lost version file ingested again, a lock that cannot be taken (5)


def person_texts(corpus: Path) -> set[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """The links a person made, by their sentences' texts (what a link is about, whatever the ids)."""
    text = load(corpus, DOC)
    texts = {lang: {s.id: s.text for s in doc.sentences()} for lang, doc in text.versions.items()}
    return {(f"{al.src_lang}-{al.tgt_lang}", tuple(texts[al.src_lang][x] for x in lk.src), tuple(texts[al.tgt_lang][x] for x in lk.tgt))
            for al in text.alignments for lk in al.links if lk.resp == "person"}


def confirmed(work: Path) -> set[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    for pair in ("en,zh-Hans", "en,zh-Hant"):
        assert edit(work / "corpus", "confirm", "3", doc=DOC, pair=pair)[0] == 0
    mine = person_texts(work / "corpus")
    assert len(mine) == 2
    return mine


@pytest.mark.parametrize("stop", ["full disk", "killed between renames"])
def test_a_build_stopped_while_saving_never_moves_a_persons_links(work: Path, monkeypatch: pytest.MonkeyPatch, stop: str) -> None:
    """A paragraph added to the English input shifts its ids; the build that writes it is stopped
    after its en.xml (a file size limit on align.xml, or a kill between the renames); the next
    build keeps the person's links on their sentences (before: new en.xml with the old align.xml,
    read as the previous build's: the links moved onto other sentences, still the person's)."""
    corpus, folder = work / "corpus", work / "corpus" / DOC
    mine = confirmed(work)
    seed = work / "seeds" / f"{DOC}.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("The UN Security Council", "A paragraph added later.\n\nThe UN Security Council", 1), encoding="utf-8")
    if stop == "full disk":
        real = store.temporary

        def align_too_large(path: Path, *args: Any, **kwargs: Any) -> Path:
            return failing(errno.EFBIG)() if path.name == "align.xml" else real(path, *args, **kwargs)

        monkeypatch.setattr(store, "temporary", align_too_large)
        before = files(folder)
        status, out = run("build", "--seeds", str(work / "seeds"), "--corpus", str(corpus), "-q", "-j", "1")
        assert status == 1 and out == (f"Error: {folder / 'align.xml'}: cannot write (File too large); raise the limit on the size of files "
                                       "this process may write (ulimit -f), or free some disk space\n")
        assert files(folder) == before
    else:
        killed_after(monkeypatch, "en.xml")
        with pytest.raises(Killed):
            build(work / "seeds", corpus)
    monkeypatch.undo()
    assert run("build", "--seeds", str(work / "seeds"), "--corpus", str(corpus), "-q", "-j", "1")[0] == 0
    assert person_texts(corpus) == mine
    assert "A paragraph added later." in [s.text for s in load(corpus, DOC).versions["en"].sentences()]


@pytest.mark.parametrize("damage", [b"garbage, not XML", b"", "truncated"])
def test_a_damaged_version_file_is_ingested_again_keeping_its_links(work: Path, caplog: pytest.LogCaptureFixture, damage: bytes | str) -> None:
    """After edits (the journal records every file): the version ingested again is the one the
    links were made on, so they stay (before: 'fix the file or rebuild it', and a rebuild failed
    the same way)."""
    corpus, folder = work / "corpus", work / "corpus" / DOC
    mine = confirmed(work)
    en = folder / "en.xml"
    good = en.read_bytes()
    en.write_bytes(good[: len(good) // 2] if damage == "truncated" else damage)  # type: ignore[arg-type]
    assert run("show", DOC, "--corpus", str(corpus))[0] == 1  # readers still refuse it
    assert run("build", "--seeds", str(work / "seeds"), "--corpus", str(corpus), "-q", "-j", "1")[0] == 0
    assert en.read_bytes() == good and person_texts(corpus) == mine
    assert f"{en}: cannot be read (" in caplog.text
    assert "ingested again from its input, the very version its links were made on: they are kept" in caplog.text


def test_a_damaged_version_of_a_document_a_build_wrote_last_is_checked_by_the_fingerprint(work: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A build after the edits rewrote align.xml (the journal no longer speaks for the files):
    align.xml's fingerprint, made again with the version ingested again, says it is the same."""
    from aligner.edit.files import saved_digests

    corpus, folder = work / "corpus", work / "corpus" / DOC
    mine = confirmed(work)
    assert run("build", "--seeds", str(work / "seeds"), "--corpus", str(corpus), "-q", "-j", "1")[0] == 0
    assert saved_digests(folder) == {}
    hant = folder / "zh-Hant.xml"
    good = hant.read_bytes()
    hant.write_bytes(good[:100])
    assert run("build", "--seeds", str(work / "seeds"), "--corpus", str(corpus), "-q", "-j", "1")[0] == 0
    assert hant.read_bytes() == good and person_texts(corpus) == mine
    assert "the very version its links were made on: they are kept" in caplog.text


def test_a_version_file_lost_when_its_input_changed_drops_its_links_saying_a_person_made_them(work: Path, caplog: pytest.LogCaptureFixture) -> None:
    corpus, folder = work / "corpus", work / "corpus" / DOC
    mine = confirmed(work)
    (folder / "en.xml").unlink()
    seed = work / "seeds" / f"{DOC}.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("toughest", "harshest"), encoding="utf-8")
    assert run("build", "--seeds", str(work / "seeds"), "--corpus", str(corpus), "-q", "-j", "1")[0] == 0
    assert person_texts(corpus) == set() and mine
    assert (f"{folder / 'en.xml'}: missing; ingested again from its input, which is not the version its links were made on: "
            "they are dropped (2 of them made by a person, lost: review the alignment)") in caplog.text


def test_a_build_without_the_lock_is_one_line_and_one_with_nothing_to_write_runs(work: Path) -> None:
    corpus, folder = work / "corpus", work / "corpus" / DOC
    (folder / ".lock").unlink(missing_ok=True)
    (folder / ".lock").mkdir()
    assert run("build", "--seeds", str(work / "seeds"), "--corpus", str(corpus), "-q", "-j", "1")[0] == 0  # unchanged: read only
    seed = work / "seeds" / f"{DOC}.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("toughest", "harshest"), encoding="utf-8")
    assert run("build", "--seeds", str(work / "seeds"), "--corpus", str(corpus), "-q", "-j", "1") == (
        1, f"Error: {folder}: cannot lock the document: {folder / '.lock'} is a folder, where its lock file goes; remove that folder\n")


def test_a_missing_corpus_or_document_is_named_briefly(tmp_path: Path) -> None:
    """A missing corpus folder was "no such document … (documents: none)"; a corpus of thousands
    of documents listed every id in one line."""
    import pytest

    from aligner.corpus.store import load
    from aligner.errors import CorpusError

    with pytest.raises(CorpusError, match=r"nope: no such corpus folder \(missing\); give the folder `aligner build` wrote"):
        load(tmp_path / "nope", "doc")
    (tmp_path / "file").write_text("x")
    with pytest.raises(CorpusError, match=r"file: no such corpus folder \(a file\)"):
        load(tmp_path / "file", "doc")
    for k in range(12):
        (tmp_path / "c" / f"d{k:02d}").mkdir(parents=True)
        (tmp_path / "c" / f"d{k:02d}" / "en.xml").write_text("<TEI/>")
    with pytest.raises(CorpusError, match=r"\(documents: d00, d01, d02, d03, d04, d05, d06, d07, d08, d09 and 2 more \(aligner show --list\)\)$"):
        load(tmp_path / "c", "nope")


def test_readers_see_the_edits_a_killed_editor_left_in_its_journal(corpus: Path, tmp_path: Path) -> None:
    """The browser editor answers once its journal holds an edit and writes the files behind; a
    server killed before that left show, export and the API reading the alignment from before
    the edit (exit 0, nothing said) while the history listed it as done."""
    from aligner import api
    from aligner.edit import session
    from aligner.edit.ops import link_edit

    opened = session.open_document(corpus, "doc")
    session.commit(opened, link_edit(opened.text, ("en", "zh-Hant"), "confirm", 0, engine_for), "web", write_behind=True)
    assert load(corpus, "doc").alignment("en", "zh-Hant").links[0].resp == "machine"  # type: ignore[union-attr]  # the files lag
    code, shown = run("show", "doc", "--corpus", str(corpus), "--langs", "en,zh-Hant", "--json")
    assert code == 0 and json.loads(shown)["rows"][0]["resp"] == "person"
    assert api.load(corpus, "doc").alignment("en", "zh-Hant").links[0].resp == "person"  # type: ignore[union-attr]
    assert [c.who for c in load(corpus, "doc").changes] == ["web"]  # written, as the editor's writer would


def test_a_reader_that_cannot_write_pending_edits_says_what_it_lacks(corpus: Path, caplog: pytest.LogCaptureFixture) -> None:
    from aligner.corpus.store import load_current
    from aligner.edit import session
    from aligner.edit.ops import link_edit

    opened = session.open_document(corpus, "doc")
    session.commit(opened, link_edit(opened.text, ("en", "zh-Hant"), "confirm", 0, engine_for), "web", write_behind=True)
    log = json.loads((corpus / "doc" / JOURNAL_FILE).read_text(encoding="utf-8"))
    log["pending"][0]["patch"]["links"][0]["pair"] = ["en", "fr"]  # a damaged journal: the edit cannot be replayed
    (corpus / "doc" / JOURNAL_FILE).write_text(json.dumps(log), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        text = load_current(corpus, "doc")
    assert text.alignment("en", "zh-Hant").links[0].resp == "machine"  # type: ignore[union-attr]
    assert "edits made in the editor are not in its files yet and cannot be written now" in caplog.text


def test_a_reader_of_a_journal_with_nothing_pending_takes_no_lock(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every document edited once keeps a journal (its undo steps): a reader of it must not take
    the document's lock to write (held against builds and editors) when nothing is pending."""
    import aligner.edit.files
    from aligner.corpus.store import load_current

    assert edit(corpus, "confirm", "1")[0] == 0  # the command line writes its edits through
    flushed: list[Path] = []
    monkeypatch.setattr(aligner.edit.files, "flush", lambda folder, doc_id: flushed.append(folder))
    links = load_current(corpus, "doc").alignment("en", "zh-Hans").links  # type: ignore[union-attr]
    assert [lk.resp for lk in links].count("person") == 1 and flushed == []


def test_search_finds_what_the_editor_left_pending(corpus: Path) -> None:
    """The index is refreshed from the files it tracks; an edit the editor's journal held but its
    writer had not put in the files changed none of them, so search kept the old text."""
    from aligner.edit import session
    from aligner.edit.ops import sentence_edit
    from aligner.search.index import search

    assert search(corpus, "zebraword") == []  # the index made before the edit
    opened = session.open_document(corpus, "doc")
    edited = sentence_edit(opened.text, "en", "correct", "en.p1.s1", engine_for, new_text="One zebraword.")
    session.commit(opened, edited, "web", write_behind=True)
    assert [hit.sid for hit in search(corpus, "zebraword")] == ["en.p1.s1"]
