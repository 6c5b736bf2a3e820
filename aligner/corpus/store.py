"""The TEI store: a corpus folder with one folder per document holding its TEI files.

`corpora/<doc-id>/<lang>.xml` for each language version and `corpora/<doc-id>/align.xml` for
the links. Every write is atomic (temp file, then rename) and skipped when the bytes are the same.

A document's save is all or none, whoever makes it (a build, an import, an edit with its journal):
1. `stage`: each new file's bytes in a temporary file beside it, fsync'd;
2. `commit`, under the document's lock (`locked`): one atomic write of a small record
   (`COMMIT_FILE`, fsync'd with its folder) names every rename, with the sha256 of the file it
   replaces and of the bytes it puts: that write is the moment the save is made;
3. the renames (and removals), the folder fsync'd, and the record removed.
A kill or a failure before the record leaves the files as they were; after it, whoever next holds
the lock to write rolls the record forward (`recover`), unless a file it names is neither what it
replaces nor what it puts (changed by hand since): then it is dropped, with a warning. The next
edit or import removes the temporary files a writer killed before its record left (`clear_stale`:
those no live writer holds). Readers take the lock shared (making the lock file if there is none,
so that a reader and a writer always share one) and see the committed state (`committed`): a
record's staged files stand in for the files they replace; nothing else is written.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple, TextIO, TypeVar

from aligner.corpus.model import DOC_ID, Alignment, Document, ParallelText, checked_id
from aligner.corpus.tei import (
    ALIGNMENT_FILE,
    alignments_to_tei,
    changes_of,
    document_to_tei,
    fingerprint_of,
    read_alignments,
    read_document,
    version_file,
)
from aligner.errors import AlignerError, CorpusError, LanguageError, OutputError

log = logging.getLogger(__name__)

_FREE_SPACE = "free some disk space"  # the fix for a write that failed for want of space (`disk_full`)
LOCK_FILE = ".lock"  # a document's lock (`locked`): builds, imports, editors and readers share it
COMMIT_FILE = "commit.json"  # a document's save being made: the renames it stands for (`commit`)
Failed = Callable[[Path, OSError], OutputError]  # a failed write of a path → its one-line error
_T = TypeVar("_T")


def _umask() -> int:
    """The process umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes | Iterable[bytes], sync: bool = False, tag: str = "") -> bool:
    """Write bytes (or blocks of bytes, as they come) through a temp file in the same folder and
    rename; False if `data` is bytes equal to the file's.
    `sync`: the bytes reach the disk (fsync) before the rename, and the rename before returning.
    `tag` marks the temp file's name, so the writer's run can clear what a killed process left.

    A path that is not a regular file (/dev/null, a pipe) is written through, never replaced:
    renaming over it would put a plain file in place of the device. A write that fails raises
    `OutputError`, which names the path and the fix.
    """
    try:
        return _write_atomic(path, data, sync, tag)
    except OutputError:
        raise
    except OSError as err:
        raise cannot_write(path, err) from None


@contextmanager
def holding(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file `lock` (made if missing) for the block, between processes."""
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_WRITE, _READ = "write", "read"


class _Held(threading.local):
    """The documents (folders) whose lock each thread holds, and how: to write, to read, or
    without the lock, which could not be taken (its refusal: the block may read, not write)."""

    def __init__(self) -> None:
        self.modes: dict[Path, str | OutputError] = {}


_HELD = _Held()


@contextmanager
def locked(folder: Path, shared: bool = False, transient: bool = False) -> Iterator[None]:
    """Hold the document's lock file for the block (between processes and threads): exclusive to
    write, `shared` to read (readers see no save half made). Inside a block of the same thread
    that holds it already, it is held on (a command holds it from reading a document to writing
    it, through the steps that take it too). `transient`: a lock file this hold made is removed
    as it ends, still held (an import leaves nothing of its own in a document it makes); whoever
    waited on it then takes the file made anew (each hold checks that the file it locked is the
    one in place).

    A lock file that cannot be made nor opened (a read-only folder without one, `.lock` a folder):
    the block runs without it, to read only (a read-only corpus can be shown, exported, its history read);
    a write in it is refused (`writable`) with one line naming the folder and the fix.
    """
    key = folder.resolve()
    held = _HELD.modes.get(key)
    if held is not None:
        if held == _READ and not shared:
            raise RuntimeError(f"{folder}: the document's lock is held to read; it cannot be taken to write inside that block")
        yield
        return
    lock = folder / LOCK_FILE
    made = transient and not shared and not lock.exists()
    while True:
        handle, mode = _lock_file(folder, shared)
        if handle is None:
            break
        try:
            fcntl.flock(handle, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        except BaseException:
            handle.close()
            raise
        if _in_place(handle.fileno(), lock):
            break
        handle.close()  # removed by its holder meanwhile (`transient`): take the one in place now
    _HELD.modes[key] = mode
    try:
        yield
    finally:
        del _HELD.modes[key]
        if handle is not None:
            if made:
                lock.unlink(missing_ok=True)
            handle.close()  # and the lock goes with it


def _in_place(fd: int, path: Path) -> bool:
    """Whether an open file (a lock file, a temporary file) is the one at its path (not removed
    nor replaced since it was opened)."""
    try:
        mine, there = os.fstat(fd), os.stat(path)
    except FileNotFoundError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def _lock_file(folder: Path, shared: bool) -> tuple[TextIO | None, str | OutputError]:
    """The document's lock file opened (made if missing, to read as to write: a reader that found
    none would wait for no writer), with the mode of the hold; None and the refusal when it cannot
    be (a reader then takes the lock file there if it can open it, else reads without it: a
    read-only corpus)."""
    lock = folder / LOCK_FILE
    try:
        return open(lock, "a"), _READ if shared else _WRITE  # closed by `locked`
    except OSError as err:
        if shared:  # cannot be made (a read-only folder) or opened (a folder): the one there, else none
            try:
                return open(lock), _READ
            except OSError:
                return None, _READ
        if isinstance(err, PermissionError) and lock.is_file():  # a lock file of another user's: locked all the same
            with suppress(OSError):
                return open(lock), _WRITE
        if lock.is_dir():
            refusal = f"{folder}: cannot lock the document: {lock} is a folder, where its lock file goes; remove that folder"
        else:
            refusal = f"{folder}: cannot make the document's lock file {LOCK_FILE} ({cause(lock, err)}); make {folder} writable"
        return None, OutputError(err.errno or errno.EACCES, refusal)


def writable(folder: Path) -> None:
    """Refuse a write into a document whose lock could not be taken (`locked`), with its one line."""
    mode = _HELD.modes.get(folder.resolve())
    if isinstance(mode, OutputError):
        raise OutputError(mode.errno, str(mode))
    if mode != _WRITE:
        raise RuntimeError(f"{folder}: written without holding the document's lock to write")


def writing(folder: Path) -> bool:
    """Whether this thread holds the document's lock to write."""
    return _HELD.modes.get(folder.resolve()) == _WRITE


def make_folder(path: Path) -> None:
    """Create a folder and its parents; a failure is an `OutputError` naming the path and the fix."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(err.errno, f"{path}: cannot create the folder ({cause(path, err)}); {_fix(err)}") from None


def cannot_write(path: Path, err: OSError, fix: str = "") -> OutputError:
    """A failed write as one line naming the path, the cause and `fix` (by default what a user who
    chose the path can do: `_fix`); an OSError still, with the failure's errno."""
    return OutputError(err.errno or errno.EIO, f"{path}: cannot write ({cause(path, err)}); {fix or _fix(err)}")


def cause(path: Path, err: OSError) -> str:
    """Why a write failed: a file where the path needs a folder, else the system's reason (of an
    `OutputError`, whose text is a whole message, the reason for its errno)."""
    if err.errno in (errno.ENOENT, errno.ENOTDIR, errno.EEXIST):
        ancestor = next((parent for parent in path.parents if parent.exists()), None)
        if ancestor is not None and not ancestor.is_dir():
            return f"{ancestor} is a file, not a folder"
    if isinstance(err, OutputError) and err.errno:
        return os.strerror(err.errno)
    return err.strerror or str(err)


def disk_full(err: OSError) -> bool:
    """Whether a write failed for want of space: a full disk, or a quota reached."""
    return err.errno in (errno.ENOSPC, errno.EDQUOT)


def write_fix(full: bool, folder: Path) -> str:
    """What a user can do about a failed write into `folder`, a place they did not choose (a
    document's folder, the corpus): free some disk space when it is `full`, else make it writable."""
    return _FREE_SPACE if full else f"make {folder} writable"


def fix_for(err: OSError, folder: Path) -> str:
    """`write_fix` by the failure's cause, for a write into `folder` of the corpus: a file larger
    than the process may write (`ulimit -f`) is the limit to raise."""
    if err.errno == errno.EFBIG:
        return f"raise the limit on the size of files this process may write (ulimit -f), or {_FREE_SPACE}"
    return write_fix(disk_full(err), folder)


def corpus_failed(path: Path, err: OSError) -> OutputError:
    """A failed write of a corpus file (a path the user did not choose), naming what to do."""
    return cannot_write(path, err, fix_for(err, path.parent))


def _fix(err: OSError) -> str:
    """What a user can do about a failed write to a path they chose, by its cause."""
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "choose a folder you may write to"
    if disk_full(err):
        return f"{_FREE_SPACE} or write elsewhere"
    return "choose another path"


def write_all(files: Mapping[Path, bytes]) -> list[Path]:
    """Write several files all or none (the files of a Moses or XCES export): each goes to a temp
    file beside the file its symbolic links lead to (`_followed`: the link stays a link), and they
    are renamed into place only when every one was written; return those written. What is not a
    regular file (/dev/stdout, a FIFO, a device) is written through, never replaced (`_through`),
    after the others. A failure raises `OutputError` and leaves no file; a reader that went away
    (`aligner export … -o /dev/stdout | head`) raises `BrokenPipeError`, as output to stdout does."""
    changed: dict[Path, bytes] = {}
    through: dict[Path, Path] = {}  # the path given → where its links lead
    try:
        for path, data in files.items():
            if path.is_dir():
                raise IsADirectoryError(errno.EISDIR, "a folder of that name is in the way")
            place = _followed(path)
            if _through(place):
                through[path] = place
            elif not (place.is_file() and place.read_bytes() == data):
                place.parent.mkdir(parents=True, exist_ok=True)
                changed[place] = data
    except OSError as err:
        raise cannot_write(path, err) from None
    temps = stage(changed)
    try:
        for place, tmp in temps.items():
            try:
                os.replace(tmp, place)
            except OSError as err:
                raise cannot_write(place, err) from None
    finally:
        discard(temps)  # what is left of them after a failed rename; and their holds
    for path, place in through.items():
        try:
            _write_through(place, files[path])
        except BrokenPipeError:
            raise
        except OSError as err:
            raise cannot_write(path, err) from None
    return [*temps, *through]


def _followed(path: Path) -> Path:
    """`path` with its symbolic links followed, up to a link in /proc (/dev/stdout →
    /proc/self/fd/1), which names an open file of a process rather than a place: it is kept."""
    for _ in range(40):  # the kernel's limit on links in a path
        folder = Path(os.path.realpath(path.parent))
        path = folder / path.name
        if _in_proc(folder) or not path.is_symlink():
            return path
        path = folder / os.readlink(path)
    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP))


def _in_proc(path: Path) -> bool:
    """Whether a path lies in /proc, where no file can be made (a rename there fails)."""
    return path.parts[:2] == ("/", "proc")


def _through(place: Path) -> bool:
    """Whether a file (its links followed: `_followed`) is written through rather than replaced:
    a device, a FIFO or socket, what a /proc link names (a process's open file: a pipe, a
    terminal, the file a shell redirected stdout to), which a rename would put a plain file in place of."""
    return _in_proc(place) or (place.exists() and not place.is_file())


def _write_through(place: Path, data: bytes | Iterable[bytes]) -> None:
    """Write `data` (or its blocks) into a file as it is (`_through`): through this process's own
    descriptor when `place` names one (/proc/PID/fd/1 for /dev/stdout: at its offset, so that a
    shell's `>>` appends and what it wrote before stays), else through the path opened for writing."""
    if place.parent == Path(f"/proc/{os.getpid()}/fd") and place.name.isdigit():
        for block in _blocks(data):
            view = memoryview(block)
            while view:
                view = view[os.write(int(place.name), view) :]
        return
    with place.open("wb") as out:
        for block in _blocks(data):
            out.write(block)


def stage(files: Mapping[Path, bytes], sync: bool = False, failed: Failed = cannot_write, tag: str = "") -> dict[Path, Path]:
    """Each file's bytes in a temporary file beside it (`temporary`, fsync'd if `sync`, named with
    `tag`), by the file's path: all or none, a write that fails removes those made and raises
    `failed(path, err)`. Each is held (a shared lock on it) until a commit record names it
    (`commit`) or it is discarded (`discard`), so that `clear_stale` leaves it be meanwhile."""
    temps: dict[Path, Path] = {}
    _STAGING.on = True
    try:
        for path, data in files.items():
            try:
                temps[path] = temporary(path, data, sync, tag)
            except OSError as err:
                discard(temps)
                raise failed(path, err) from None
    finally:
        _STAGING.on = False
    return temps


def discard(temps: Mapping[Path, Path]) -> None:
    """Remove the temporary files `stage` made that are still this process's (held: no commit
    record names them, `commit`), and let them go; those a record names are left to it."""
    for tmp in temps.values():
        if tmp in _HOLDS:
            tmp.unlink(missing_ok=True)
    release(temps)


_HOLDS: dict[Path, int] = {}  # staged temporary files → the descriptor of the shared lock on each (`stage`)
_STAGING = threading.local()  # set while this thread stages: `temporary` holds what it makes from the start


def release(temps: Mapping[Path, Path]) -> None:
    """Let staged temporary files go (their locks): renamed into place, named by a commit record, or removed."""
    for tmp in temps.values():
        fd = _HOLDS.pop(tmp, None)
        if fd is not None:
            os.close(fd)


def _write_atomic(path: Path, data: bytes | Iterable[bytes], sync: bool, tag: str) -> bool:
    """`write_atomic`, its OSErrors as they come; a symbolic link is followed (`_followed`: the file
    it leads to is replaced, the link stays) and what is not a regular file written through."""
    path = _followed(path)
    if _through(path):
        _write_through(path, data)
        return True
    if isinstance(data, bytes) and path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary(path, data, sync, tag)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if sync:
        sync_folder(path.parent)
    return True


def _blocks(data: bytes | Iterable[bytes]) -> Iterable[bytes]:
    """The blocks to write: bytes as one block, an iterable of blocks as it comes."""
    return [data] if isinstance(data, bytes) else data


def temporary(path: Path, data: bytes | Iterable[bytes], sync: bool = False, tag: str = "") -> Path:
    """The bytes (or the blocks of bytes, written as they come) in a new temporary file beside
    `path` (hidden, with the usual mode, named with `tag` if given), fsync'd if `sync`; a failed
    write leaves nothing behind. Made by `stage`, it is held (a shared lock on it) before a byte
    is written, until `release`: between its making and its hold another writer's `clear_stale`
    may take it for a killed writer's and remove it, so a file no longer in place once held is
    made again (`_held_new`)."""
    prefix = f".{path.name}.{tag}." if tag else f".{path.name}."
    if getattr(_STAGING, "on", False):
        fd, tmp, held = _held_new(path.parent, prefix)
    else:
        (fd, tmp), held = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp"), -1
    try:
        with os.fdopen(fd, "wb") as out:
            for block in _blocks(data):
                out.write(block)
            if sync:
                out.flush()
                os.fsync(out.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give it the usual mode
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        if held >= 0:
            os.close(held)
        raise
    if held >= 0:
        _HOLDS[Path(tmp)] = held
    return Path(tmp)


def _held_new(folder: Path, prefix: str) -> tuple[int, str, int]:
    """A new temporary file in `folder` (`mkstemp`), held (a shared lock on a second descriptor),
    and still the file at its path once held: a `clear_stale` that took it between the two
    (made, not yet held) removed it, and another is made. Its descriptor, path and hold."""
    while True:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".tmp")
        held = -1
        try:
            held = os.dup(fd)
            fcntl.flock(held, fcntl.LOCK_SH)
            if _in_place(fd, Path(tmp)):
                return fd, tmp, held
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            os.close(fd)
            if held >= 0:
                os.close(held)
            raise
        os.close(fd)  # removed by a writer's `clear_stale` before it was held: make another
        os.close(held)


def sync_folder(folder: Path) -> None:
    """Make the renames done in a folder durable (fsync of the directory)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def serialise(corpus: Path, text: ParallelText) -> dict[Path, bytes]:
    """A document's TEI files (validated against the schema) by their path in the corpus, unwritten."""
    folder = corpus / text.doc_id
    files = {folder / version_file(lang): document_to_tei(doc) for lang, doc in text.versions.items()}
    files[folder / ALIGNMENT_FILE] = alignments_to_tei(text.doc_id, text.alignments, text.fingerprint, text.changes)
    return files


def save(corpus: Path, text: ParallelText, tag: str = "") -> list[Path]:
    """Write a document's versions and alignment into the corpus and remove the files of versions
    it no longer has, all or none (`commit`, under the document's lock, once a save cut short is
    completed: `recover`); return the files that changed or went. `tag` names the temp files (see
    `write_atomic`)."""
    files = serialise(corpus, text)
    folder = corpus / text.doc_id
    make_folder(folder)
    with locked(folder):
        writable(folder)
        recover(folder)  # first: what is changed or gone is said of the files as that save left them
        gone = [path for path in sorted(folder.glob("*.xml")) if path not in files]
        staged = stage_changed(files, tag)
        try:
            commit(folder, staged.temps, gone, sums=staged.sums, tag=tag)
        finally:
            discard(staged.temps)
    return [*staged.temps, *gone]


Sums = Mapping[Path, tuple[str | None, str]]  # a file → the sha256 of the file it replaces (None: none) and of its new bytes


class Staged(NamedTuple):
    """The files of a save whose bytes are new, staged (`stage_changed`): what `commit` takes."""

    temps: dict[Path, Path]  # each file → its temporary file (`stage`)
    sums: dict[Path, tuple[str | None, str]]  # each file → the sha256 of the file in place then (None: none) and of its new bytes


def stage_changed(files: Mapping[Path, bytes], tag: str = "") -> Staged:
    """The files among `files` whose bytes are not those in place, staged (fsync'd, named with
    `tag`: `stage`; a failure is `corpus_failed`'s), with the sha256 of what each replaces and of
    what it puts, for `commit` (under the lock, or before it with the files checked unchanged
    since when it is taken: an import's)."""
    sums = {path: (was, now) for path, data in files.items() if (was := _digest(path)) != (now := _sha256(data))}
    return Staged(stage({path: files[path] for path in sums}, sync=True, failed=corpus_failed, tag=tag), sums)


def _sha256(data: bytes) -> str:
    """The sha256 of bytes, in hex: what a commit record names a file's bytes by."""
    return hashlib.sha256(data).hexdigest()


def _digest(path: Path) -> str | None:
    """The sha256 of a file's bytes; None when there is no file."""
    try:
        return _sha256(path.read_bytes())
    except FileNotFoundError:
        return None
    except OSError:
        return "unreadable"  # a folder, say: what no save put nor replaced


def _stuck(path: Path, err: OSError) -> OutputError:
    """A save's rename that failed after its commit record was written."""
    return cannot_write(path, err, f"the save is recorded in {path.parent / COMMIT_FILE}, and the next command that writes "
                                   f"the document completes it: {fix_for(err, path.parent)}")


def commit(folder: Path, temps: Mapping[Path, Path], remove: Iterable[Path] = (), failed: Failed = corpus_failed,
           stuck: Failed = _stuck, sums: Sums | None = None, tag: str = "") -> None:  # fmt: skip
    """Under the document's lock held to write: put the files `stage` made (`temps`, file → its
    temporary file) in place and remove `remove`, as one step. The commit record is written first
    (fsync'd, with the folder): every rename, with the sha256 of the file it replaces and of the
    bytes it puts (`sums`, by file, when the caller has them: `stage_changed`; else read here);
    from then on the temporary files are the record's (let go: `discard` leaves them) and the
    save stands. Then the renames, the folder fsync'd, and the record removed.

    A failure before the record raises `failed(path, err)`: nothing changed (the caller discards
    `temps`). A failure after it raises `stuck(path, err)`: the save is recorded, and whoever next
    takes the lock to write completes it (`recover`). `tag` names the record's temp file as `stage`
    named the others, so that a writer killed while writing it leaves one its run clears."""
    writable(folder)
    recover(folder)  # a save cut short before this one comes first
    sums = sums or {}
    entries: dict[str, dict[str, str | None]] = {}
    for path, tmp in temps.items():
        if not tmp.is_file():  # removed under us: the record would name what is not there
            raise failed(path, FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT)))
        was, now = sums[path] if path in sums else (_digest(path), _digest(tmp))
        entries[path.name] = {"tmp": tmp.name, "was": was, "now": now}
    for path in remove:
        if path.exists():
            entries[path.name] = {"tmp": None, "was": _digest(path), "now": None}
    if not entries:
        return
    record = folder / COMMIT_FILE
    try:
        write_atomic(record, json.dumps({"files": entries}, separators=(",", ":")).encode(), sync=True, tag=tag)
    except OSError as err:
        raise failed(record, err) from None
    release(temps)  # the record's now
    _apply(folder, {name: (folder / str(entry["tmp"]) if entry["tmp"] else None) for name, entry in entries.items()}, stuck)
    with suppress(OSError):  # tidying: a record of a save made is dropped by whoever reads it next
        record.unlink()


def _apply(folder: Path, plan: Mapping[str, Path | None], stuck: Failed) -> None:
    """Bring the folder's files to `plan` (name → the file holding its new bytes, None: no file),
    then make it durable (fsync of the folder); a failure raises `stuck(file, err)`."""
    target = folder
    try:
        for name, source in plan.items():
            target = folder / name
            if source is None:
                target.unlink(missing_ok=True)
            elif source != target:
                os.replace(source, target)
        target = folder
        sync_folder(folder)
    except OSError as err:
        raise stuck(target, err) from None


def _record(folder: Path) -> dict[str, Any] | None:
    """The commit record of a save cut short (None: there is none), {} when it cannot be read."""
    try:
        data = json.loads((folder / COMMIT_FILE).read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    fits = isinstance(files, dict) and all(
        _plain(name) and isinstance(e, dict) and all(k in e for k in ("tmp", "was", "now"))
        and (e["tmp"] is None or _plain(e["tmp"])) and (e["tmp"] is None) == (e["now"] is None)
        for name, e in files.items()
    )
    return {"files": files} if fits else {}


def _plain(name: object) -> bool:
    """A file name of the folder itself (a record naming another place is not followed)."""
    return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name and "\\" not in name and "\0" not in name


def _plan(folder: Path, record: Mapping[str, Any]) -> tuple[dict[str, Path | None], str]:
    """What completing a commit record does: each file it names → the file holding its new bytes
    (itself when it has them already, the staged file when not), or None (no file); and "" — or
    why it cannot be completed: a file that is neither what the record replaces nor what it puts,
    or a staged file missing or not what it recorded."""
    if not record:
        return {}, "the record cannot be read"
    plan: dict[str, Path | None] = {}
    for name, entry in record["files"].items():
        target = folder / name
        now = _digest(target)
        if now == entry["now"]:
            plan[name] = target if now else None
        elif now != entry["was"]:
            return {}, f"{name} changed since the save was recorded"
        elif entry["tmp"] is None:
            plan[name] = None
        elif _digest(folder / entry["tmp"]) != entry["now"]:
            return {}, f"the new {name} it names ({entry['tmp']}) is missing or not what it recorded"
        else:
            plan[name] = folder / entry["tmp"]
    return plan, ""


def roll_forward(folder: Path, record: Mapping[str, Any], stuck: Failed = _stuck) -> bool:
    """Under the lock held to write: complete the renames of a commit record (`_plan`), or, when
    it cannot be completed, drop it with a warning (its staged files removed, the files as they
    are); whether it was completed."""
    plan, why = _plan(folder, record)
    if why:
        log.warning("%s: a save cut short is dropped, not completed: %s; the document's files stay as they are", folder, why)
        for entry in record.get("files", {}).values():
            if isinstance(entry, dict) and _plain(entry.get("tmp")):
                (folder / entry["tmp"]).unlink(missing_ok=True)
        return False
    _apply(folder, plan, stuck)
    return True


def recover(folder: Path) -> None:
    """Under the lock held to write: complete a save that a kill or a failure cut short after its
    commit record was written, or drop it (`roll_forward`); then the record goes. Without the
    lock to write (a read-only corpus), nothing: readers see the committed state (`committed`)."""
    if not writing(folder):
        return
    record = _record(folder)
    if record is not None:
        roll_forward(folder, record)
        with suppress(FileNotFoundError):
            (folder / COMMIT_FILE).unlink()


def clear_stale(folder: Path) -> list[Path]:
    """Under the lock held to write, once the saves cut short are completed (`recover`, and the
    journal's, `files.state`): remove the temporary files of the document that no live writer
    holds (`stage`): what a writer killed before its commit left (an edit's, an import's; a build
    clears its own, `clear_temporaries`). Returns those removed. One a writer has just made and
    not held yet may go too: that writer, finding it gone once held, makes another (`_held_new`)."""
    if not writing(folder):
        return []
    stale = []
    for path in sorted(folder.glob(".*.tmp")):
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held: a writer staged it and has not committed it yet
            continue
        else:
            path.unlink(missing_ok=True)
            stale.append(path)
        finally:
            os.close(fd)
    return stale


def committed(folder: Path) -> dict[str, Path]:
    """The document's TEI files as its last save left them, by name: each the file holding its
    bytes, which is the staged file a commit record names when a kill cut the save short before
    renaming it (`_plan`; a record that cannot be completed leaves the files as they are)."""
    files = {p.name: p for p in folder.glob("*.xml")}
    record = _record(folder)
    if record is None:
        return files
    plan, why = _plan(folder, record)
    for name, source in plan.items() if not why else ():
        if not name.endswith(".xml"):
            continue
        if source is None:
            files.pop(name, None)
        else:
            files[name] = source
    return dict(sorted(files.items()))


def clear_temporaries(folder: Path, tag: str, older: float | None = None) -> list[Path]:
    """Remove the temp files tagged `tag` (a glob: `build-*` for every build) in a folder, what
    writers were killed between writing and renaming left; with `older`, only those last
    written before that time (a build still running writes and renames its own in a moment)."""
    stale = []
    for path in sorted(folder.glob(f".*.{tag}.*.tmp")) if tag else []:
        try:
            if older is None or path.stat().st_mtime < older:
                path.unlink()
                stale.append(path)
        except FileNotFoundError:  # renamed or removed by its writer meanwhile
            continue
    return stale


def load(corpus: Path, doc_id: str) -> ParallelText:
    """Read one document (all versions and links) from the corpus, validating every file."""
    return load_upgraded(corpus, doc_id)[0]


def load_upgraded(corpus: Path, doc_id: str) -> tuple[ParallelText, bool]:
    """Read one document as `load` does, and say whether any of its files was in an older TEI
    form that the reader brought up to date (saving the document would rewrite it)."""
    read = _read(corpus, doc_id)
    text = read.text
    if not text.versions:
        raise CorpusError(
            f"{corpus / doc_id}: the document has no versions (no LANG.xml; a failed or stopped build leaves such a "
            "folder); remove the folder and build the document again"
        )
    if not read.aligned:  # every save writes one, a document of one version too: not "nothing aligned"
        raise CorpusError(f"{corpus / doc_id / ALIGNMENT_FILE}: missing, so its links are unknown; run `aligner build` to align the document again")
    check_links(text, corpus / doc_id / ALIGNMENT_FILE)
    return text, read.upgraded


class Partial(NamedTuple):
    """A build's read of the document it rebuilds (`load_partial`); a document read (`_read`)."""

    text: ParallelText  # the versions read, and the links between them (checked; as `_read` gives it: every link, unchecked)
    upgraded: bool  # a file was in an older TEI form
    lost: dict[str, str]  # versions left out, by language: why ("missing", or what is wrong with the file)
    links: tuple[Alignment, ...]  # every link group align.xml holds, those into lost versions too (unchecked)
    tei: dict[str, bytes]  # the bytes of each version file read, by language
    aligned: bool = True  # the document has its align.xml


def load_partial(corpus: Path, doc_id: str) -> Partial:
    """A build's read of the document it rebuilds: `load_upgraded`'s, but a version whose file is
    missing or cannot be read (damaged, truncated, empty) is left out with its links rather than
    refused (the build ingests it again, and may put them back: `restored`)."""
    read = _read(corpus, doc_id, tolerant=True)
    text, lost = read.text, dict(read.lost)
    for lang in sorted({lang for al in text.alignments for lang in al.pair} - set(text.versions) - set(lost)):
        lost[lang] = "missing"
    kept = replace(text, alignments=tuple(al for al in text.alignments if set(al.pair) <= set(text.versions)))
    check_links(kept, corpus / doc_id / ALIGNMENT_FILE)
    return read._replace(text=kept, lost=lost)


def restored(part: Partial, versions: Mapping[str, Document], where: Path) -> ParallelText:
    """The document of a partial read with `versions` put in for lost ones, and the links between
    the versions it then has back (checked)."""
    have = {**part.text.versions, **versions}
    text = replace(part.text, versions=have, alignments=tuple(al for al in part.links if set(al.pair) <= set(have)))
    check_links(text, where)
    return text


def as_recorded(part: Partial, again: Mapping[str, bytes], recorded: Mapping[str, str]) -> set[str]:
    """The lost versions of a partial read whose bytes made again (`again`, by language) are those
    `recorded` (sha256 by file name) says the document held, provided every version read is as
    recorded too (the record is of the document as it is, less what was lost)."""
    if not recorded or any(recorded.get(version_file(lang)) != _sha256(data) for lang, data in part.tei.items()):
        return set()
    return {lang for lang, data in again.items() if lang in part.lost and recorded.get(version_file(lang)) == _sha256(data)}


def _some(ids: list[str], shown: int = 10) -> str:
    """A list of document ids for a message: the first `shown`, and how many more (a corpus of
    3,000 documents made a message of 26,000 characters)."""
    more = f" and {len(ids) - shown} more (aligner show --list)" if len(ids) > shown else ""
    return ", ".join(ids[:shown]) + more if ids else "none"


def _read(corpus: Path, doc_id: str, tolerant: bool = False) -> Partial:
    """One document's versions and links as its last save left them (`committed`, read under the
    document's lock, shared), unchecked (`text` and `links` hold every link), and whether any
    file was in an older TEI form. With `tolerant`, a version file that cannot be read is left
    out, with why (`lost`)."""
    folder = corpus / checked_id(doc_id)
    if not folder.is_dir():
        require_corpus(corpus)
        raise CorpusError(f"{folder}: no such document in {corpus} (documents: {_some(doc_ids(corpus))})")
    return _settled_read(folder, lambda files: _read_files(folder, doc_id, files, tolerant))


_TRIES = 3  # reads of a document whose files a save renamed under them before one is refused (`_settled_read`)


def _settled_read(folder: Path, read: Callable[[dict[str, Path]], _T]) -> _T:
    """`read` of the document's files as its last save left them (`committed`), under its lock
    held shared; read again when a file it was to read went meanwhile (renamed by a save: only
    without the lock, a corpus that cannot hold one), and after `_TRIES` reads one line."""
    for _ in range(_TRIES):
        with locked(folder, shared=True):
            try:
                return read(committed(folder))
            except FileNotFoundError:
                continue
    raise CorpusError(f"{folder}: the document's files changed each time it was read ({_TRIES} times), being saved without "
                      f"its lock ({LOCK_FILE}); read it again once the save is done")


def _read_files(folder: Path, doc_id: str, files: Mapping[str, Path], tolerant: bool) -> Partial:
    """`_read` of the document's files, each name → the file holding its bytes (`committed`)."""
    versions, tei, lost = {}, {}, {}
    upgraded = False
    for name, source in files.items():
        path = folder / name
        if name == ALIGNMENT_FILE:
            continue
        data = source.read_bytes()
        try:
            doc, older = read_document(data, doc_id, str(path))
        except LanguageError as err:  # a tag written before tags were checked whole (en-XX-FOO)
            raise CorpusError(f"{path}: {err}; remove the document's folder and build it again from inputs named so") from None
        except AlignerError as err:
            if not tolerant:
                raise
            lost[path.stem] = f"cannot be read ({_reason(err, path)})"
            continue
        upgraded |= older
        if path.stem == doc.tag != doc.lang:  # written before regions left the key (en-GB.xml): keep its name
            doc = replace(doc, lang=path.stem, region="")
        versions[doc.lang], tei[doc.lang] = doc, data
    links, older = _links_of(folder, files.get(ALIGNMENT_FILE))
    return Partial(replace(links, versions=versions), upgraded or older, lost, links.alignments, tei, ALIGNMENT_FILE in files)


def _reason(err: AlignerError, path: Path) -> str:
    """What is wrong with a file, from its one-line error: without the file's name and the fix."""
    said = str(err).removeprefix(f"{path}:")
    said = (said.rsplit("; ", 1)[0] if "; " in said else said).strip()
    return f"line {said}" if said[:1].isdigit() else said


def load_links(corpus: Path, doc_id: str) -> ParallelText:
    """One document's links, build fingerprint and history, without its versions (validated):
    all that writing `align.xml` again needs."""
    folder = corpus / doc_id
    return _settled_read(folder, lambda files: _links_of(folder, files.get(ALIGNMENT_FILE))[0])


def _links_of(folder: Path, source: Path | None) -> tuple[ParallelText, bool]:
    """The document of a folder with its `align.xml` (read from `source`, the file holding its
    bytes; None: there is none) and no versions; and whether the file was in an older TEI form.
    An empty file is refused as a damaged one is: it holds no links, but a document's links and
    history are never silently none."""
    if source is None:
        return ParallelText(folder.name, {}), False
    data = source.read_bytes()
    alignments, older = read_alignments(data, str(folder / ALIGNMENT_FILE))
    return ParallelText(folder.name, {}, alignments, fingerprint_of(data), changes_of(data)), older


def check_links(text: ParallelText, where: Path) -> None:
    """Every link must point at sentences that exist in the versions it names."""
    for al in text.alignments:
        for side, lang in ((0, al.src_lang), (1, al.tgt_lang)):
            doc = text.versions.get(lang)
            if doc is None:
                raise CorpusError(f"{where}: links point into {version_file(lang)}, which is missing; rebuild the document")
            ids = doc.sentence_index()
            for lk in al.links:
                for sid in (lk.src, lk.tgt)[side]:
                    if sid not in ids:
                        raise CorpusError(f"{where}: a link points at '{sid}', which {version_file(lang)} does not have; fix or rebuild the alignment")


def require_corpus(corpus: Path) -> None:
    """Refuse, in one line, a corpus folder that is not there (or is a file)."""
    if not corpus.is_dir():
        raise CorpusError(f"{corpus}: no such corpus folder ({'a file' if corpus.exists() else 'missing'}); give the folder `aligner build` wrote")


def doc_ids(corpus: Path) -> list[str]:
    """The documents in a corpus folder, sorted: its folders named as document ids (`DOC_ID`; a
    folder `报告` or `.hid` is none) holding TEI files (or a commit record: a first save a kill cut
    short after its record is a document, its files the record's, `committed`)."""
    if not corpus.is_dir():
        return []
    return sorted(p.name for p in corpus.iterdir()
                  if p.is_dir() and DOC_ID.fullmatch(p.name) and (any(p.glob("*.xml")) or (p / COMMIT_FILE).is_file()))


def load_current(corpus: Path, doc_id: str) -> ParallelText:
    """`load` for a reader (show, export, qa, the reading site, search): the edits the browser
    editor's journal holds but its writer has not put in the files yet (within seconds; or never,
    the server killed) are written first, as the next writer would (`edit.files.flush`); where they
    cannot be (a read-only corpus, a damaged journal), a warning says what is read lacks them."""
    from aligner.edit.journal import JOURNAL_FILE

    folder = corpus / checked_id(doc_id)
    if (folder / JOURNAL_FILE).is_file():
        from aligner.edit.files import flush, has_pending

        try:
            if has_pending(folder):
                flush(folder, doc_id)
        except AlignerError as err:
            log.warning("%s: edits made in the editor are not in its files yet and cannot be written now, so what is read lacks them: %s", folder, err)
    return load(corpus, doc_id)


def load_all(corpus: Path) -> Iterator[ParallelText]:
    """Every document of the corpus, in id order (`load_current`)."""
    for doc_id in doc_ids(corpus):
        yield load_current(corpus, doc_id)


def load_readable(target: str, corpus: Path) -> tuple[list[ParallelText], list[str]]:
    """The documents a target names (`resolve`), but in a corpus folder a document that cannot be
    read is skipped, with its reason returned, so one broken file does not stop a whole archive."""
    path = Path(target)
    names_document = len(path.parts) == 1 and (corpus / target).is_dir()
    if names_document or not path.is_dir() or (path / ALIGNMENT_FILE).exists():
        return resolve(target, corpus), []
    texts, skipped = [], []
    for doc_id in doc_ids(path):
        try:
            texts.append(load_current(path, doc_id))
        except AlignerError as err:
            skipped.append(str(err))
    if skipped and not texts:
        raise CorpusError(f"{path}: no document here can be read ({len(skipped)} tried); the first: {skipped[0]}")
    if not texts:
        raise CorpusError(f"{path}: no documents here; run `aligner build` first")
    return texts, skipped


def resolve(target: str, corpus: Path) -> list[ParallelText]:
    """A doc id, a document folder or a corpus folder → the documents it names (`load_current`)."""
    path = Path(target)
    if not path.is_absolute() and len(path.parts) == 1 and (corpus / target).is_dir():
        return [load_current(corpus, target)]
    if path.is_dir() and (path / ALIGNMENT_FILE).exists():
        return [load_current(path.parent, path.name)]
    if path.is_dir():
        docs = list(load_all(path))
        if not docs:
            raise CorpusError(f"{path}: no documents here; run `aligner build` first")
        return docs
    raise CorpusError(f"{target}: not a document id in {corpus} nor a corpus folder; see `aligner show --list`")
