"""The TEI store: a corpus folder with one folder per document holding its TEI files.

`corpora/<doc-id>/<lang>.xml` for each language version and `corpora/<doc-id>/align.xml` for
the links. Every write is atomic (temp file, then rename) and skipped when the bytes are the same.
"""

from __future__ import annotations

import errno
import fcntl
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from aligner.corpus.model import ParallelText, checked_id
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

_FREE_SPACE = "free some disk space"  # the fix for a write that failed for want of space (`disk_full`)


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


def _fix(err: OSError) -> str:
    """What a user can do about a failed write to a path they chose, by its cause."""
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "choose a folder you may write to"
    if disk_full(err):
        return f"{_FREE_SPACE} or write elsewhere"
    return "choose another path"


def write_all(files: Mapping[Path, bytes]) -> list[Path]:
    """Write several files all or none (the files of a Moses or XCES export, of an import): each
    goes to a temp file beside it (`stage`), and they are renamed into place only when every one
    was written; return those that changed. A failure raises `OutputError` and leaves no file."""
    changed: dict[Path, bytes] = {}
    through: list[Path] = []  # not regular files (/dev/stdout): written as `write_atomic` does
    try:
        for path, data in files.items():
            if path.is_dir():
                raise IsADirectoryError(errno.EISDIR, "a folder of that name is in the way")
            if path.exists() and not path.is_file():
                through.append(path)
            elif not (path.exists() and path.read_bytes() == data):
                path.parent.mkdir(parents=True, exist_ok=True)
                changed[path] = data
    except OSError as err:
        raise cannot_write(path, err) from None
    temps = stage(changed)
    for path, tmp in temps.items():
        os.replace(tmp, path)
    for path in through:
        write_atomic(path, files[path])
    return [*temps, *through]


def stage(
    files: Mapping[Path, bytes], sync: bool = False, failed: Callable[[Path, OSError], OutputError] = cannot_write
) -> dict[Path, Path]:
    """Each file's bytes in a temporary file beside it (`temporary`, fsync'd if `sync`), by the
    file's path: all or none, a write that fails removes those made and raises `failed(path, err)`."""
    temps: dict[Path, Path] = {}
    for path, data in files.items():
        try:
            temps[path] = temporary(path, data, sync)
        except OSError as err:
            discard(temps)
            raise failed(path, err) from None
    return temps


def discard(temps: Mapping[Path, Path]) -> None:
    """Remove the temporary files `stage` made (those not renamed into place yet)."""
    for tmp in temps.values():
        tmp.unlink(missing_ok=True)


def _write_atomic(path: Path, data: bytes | Iterable[bytes], sync: bool, tag: str) -> bool:
    """`write_atomic`, its OSErrors as they come."""
    if path.exists() and not path.is_file():
        with path.open("wb") as out:
            for block in _blocks(data):
                out.write(block)
        return True
    if isinstance(data, bytes) and path.exists() and path.read_bytes() == data:
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
    write leaves nothing behind."""
    prefix = f".{path.name}.{tag}." if tag else f".{path.name}."
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
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
        raise
    return Path(tmp)


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
    """Write a document's versions and alignment into the corpus, then remove the files of versions
    it no longer has (`align.xml`, written last, links none of them); return the files that changed
    or went. `tag` names the temp files (see `write_atomic`)."""
    files = serialise(corpus, text)
    written = [path for path, data in files.items() if write_atomic(path, data, tag=tag)]
    return written + [_removed(path) for path in sorted((corpus / text.doc_id).glob("*.xml")) if path not in files]


def _removed(path: Path) -> Path:
    """Remove a file of the corpus; a failure is an `OutputError` naming the path and the fix."""
    try:
        path.unlink(missing_ok=True)
    except OSError as err:
        raise OutputError(err.errno, f"{path}: cannot remove ({cause(path, err)}); {_fix(err)}") from None
    return path


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
    text, upgraded = _read(corpus, doc_id)
    if not text.versions:
        raise CorpusError(
            f"{corpus / doc_id}: the document has no versions (no LANG.xml; a failed or stopped build leaves such a "
            "folder); remove the folder and build the document again"
        )
    check_links(text, corpus / doc_id / ALIGNMENT_FILE)
    return text, upgraded


def load_partial(corpus: Path, doc_id: str) -> tuple[ParallelText, bool, list[str]]:
    """A build's read of the document it rebuilds: `load_upgraded`'s, but versions whose file is
    missing are left out with their links rather than refused, their languages listed third."""
    text, upgraded = _read(corpus, doc_id)
    missing = sorted({lang for al in text.alignments for lang in al.pair} - set(text.versions))
    text = replace(text, alignments=tuple(al for al in text.alignments if set(al.pair) <= set(text.versions)))
    check_links(text, corpus / doc_id / ALIGNMENT_FILE)
    return text, upgraded, missing


def _read(corpus: Path, doc_id: str) -> tuple[ParallelText, bool]:
    """One document's versions and links as its files hold them, unchecked, and whether any file
    was in an older TEI form."""
    folder = corpus / checked_id(doc_id)
    if not folder.is_dir():
        known = ", ".join(doc_ids(corpus)) or "none"
        raise CorpusError(f"{folder}: no such document in {corpus} (documents: {known})")
    versions = {}
    upgraded = False
    for path in sorted(folder.glob("*.xml")):
        if path.name == ALIGNMENT_FILE:
            continue
        try:
            doc, older = read_document(path.read_bytes(), doc_id, str(path))
        except LanguageError as err:  # a tag written before tags were checked whole (en-XX-FOO)
            raise CorpusError(f"{path}: {err}; remove the document's folder and build it again from inputs named so") from None
        upgraded |= older
        if path.stem == doc.tag != doc.lang:  # written before regions left the key (en-GB.xml): keep its name
            doc = replace(doc, lang=path.stem, region="")
        versions[doc.lang] = doc
    links, older = _links_of(folder)
    return replace(links, versions=versions), upgraded or older


def load_links(corpus: Path, doc_id: str) -> ParallelText:
    """One document's links, build fingerprint and history, without its versions (validated):
    all that writing `align.xml` again needs."""
    return _links_of(corpus / doc_id)[0]


def _links_of(folder: Path) -> tuple[ParallelText, bool]:
    """The document of a folder with its `align.xml` read and no versions; and whether the file
    was in an older TEI form."""
    align_path = folder / ALIGNMENT_FILE
    data = align_path.read_bytes() if align_path.exists() else b""
    alignments, older = read_alignments(data, str(align_path)) if data else ((), False)
    return ParallelText(folder.name, {}, alignments, fingerprint_of(data) if data else "", changes_of(data) if data else ()), older


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


def doc_ids(corpus: Path) -> list[str]:
    """The documents in a corpus folder, sorted."""
    if not corpus.is_dir():
        return []
    return sorted(p.name for p in corpus.iterdir() if p.is_dir() and any(p.glob("*.xml")))


def load_all(corpus: Path) -> Iterator[ParallelText]:
    """Every document of the corpus, in id order."""
    for doc_id in doc_ids(corpus):
        yield load(corpus, doc_id)


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
            texts.append(load(path, doc_id))
        except AlignerError as err:
            skipped.append(str(err))
    if skipped and not texts:
        raise CorpusError(f"{path}: no document here can be read ({len(skipped)} tried); the first: {skipped[0]}")
    if not texts:
        raise CorpusError(f"{path}: no documents here; run `aligner build` first")
    return texts, skipped


def resolve(target: str, corpus: Path) -> list[ParallelText]:
    """A doc id, a document folder or a corpus folder → the documents it names."""
    path = Path(target)
    if not path.is_absolute() and len(path.parts) == 1 and (corpus / target).is_dir():
        return [load(corpus, target)]
    if path.is_dir() and (path / ALIGNMENT_FILE).exists():
        return [load(path.parent, path.name)]
    if path.is_dir():
        docs = list(load_all(path))
        if not docs:
            raise CorpusError(f"{path}: no documents here; run `aligner build` first")
        return docs
    raise CorpusError(f"{target}: not a document id in {corpus} nor a corpus folder; see `aligner show --list`")
