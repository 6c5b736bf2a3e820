"""Compaction of the embedding cache: its shards merged into sorted segments (`cachefiles`).

Every encoder call adds a shard, and every process reads the keys of every shard it meets, so a
long-used cache (a site's archive: a shard or two a document) means many thousands of small
files and minutes of indexing at each worker's start. A compaction merges the shards, with each
segment not more than twice the size of what it has taken so far, into a new segment: segment
sizes grow geometrically, so a cache holds O(log n) segments and a vector is rewritten O(log n)
times (a log-structured merge). A key stored twice is kept once.

It is safe while other processes read and write the cache: the new segment is renamed into place
before any file it merged is removed, so every key is in some file at every moment; a reader that
finds a shard gone lists the folder again and finds the segment; a process that mapped a segment
keeps reading it after its removal. Two compactions at once at worst store a key twice, which the
next one merges.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from aligner.align.cachefiles import Mapped, open_file, segment_chunks
from aligner.align.keyindex import prefixes
from aligner.corpus.store import write_atomic
from aligner.progress import SILENT, Progress

STALE = 3600  # seconds without a write after which a temp file is a killed writer's
STALE_COMPACT = 600  # the same for a compaction's segment, written without pause
BATCH = 4096  # shards merged at most by one segment: each is mapped while it is written
BLOCK = 65536  # vectors gathered and written at a time
AUTO = 1024  # shards in a folder from which a build compacts it when it ends


@dataclass
class Compaction:
    """What one compaction of a model's folder did."""

    folder: str
    shards: int = 0  # shards merged
    segments: int = 0  # segments merged
    written: int = 0  # segments written
    vectors: int = 0  # vectors in the segments written
    duplicates: int = 0  # vectors dropped because another file held the same key
    skipped: int = 0  # files left as they are: not whole, gone, or of another dimension
    stale: int = 0  # temp files of killed writers removed

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def model_folders(root: Path) -> list[Path]:
    """The folders of a cache root that hold embedding files (one a model)."""
    if not root.is_dir():
        return []
    return sorted(f for f in root.iterdir() if f.is_dir() and (any(f.glob("*.vec")) or any(f.glob("*.seg"))))


def compact(folder: Path, at_least: int = 1, bar: Progress = SILENT) -> Compaction:
    """Merge a model folder's shards (when it holds at least `at_least`) into segments; `bar`
    advances by the shards done."""
    report = Compaction(str(folder), stale=clear_stale(folder))
    names = sorted(folder.glob("*.vec"))
    if len(names) < max(1, at_least):
        return report
    skipped: set[Path] = set()  # a file every batch meets is counted once
    for start in range(0, len(names), BATCH):
        shards = _opened(names[start : start + BATCH], skipped)
        if shards:
            _merge(folder, shards, report, skipped)
        bar.advance(len(names[start : start + BATCH]))
    report.skipped = len(skipped)
    return report


def _opened(paths: list[Path], skipped: set[Path]) -> list[Mapped]:
    """The files that map as whole ones; the others are added to `skipped`."""
    files = []
    for path in paths:
        mapped = open_file(path)
        if mapped is None:
            skipped.add(path)
        else:
            files.append(mapped)
    return files


def _merge(folder: Path, shards: list[Mapped], report: Compaction, skipped: set[Path]) -> None:
    """Write the shards, with the segments the size rule takes, as one segment; remove them.
    Files of another dimension than the first shard's are added to `skipped`."""
    dim = shards[0].dim
    segments = sorted(_opened(sorted(folder.glob("*.seg")), skipped), key=lambda seg: seg.count)
    skipped.update(f.path for f in shards + segments if f.dim != dim)
    files = [shard for shard in shards if shard.dim == dim]
    taken = sum(shard.count for shard in files)
    for segment in (seg for seg in segments if seg.dim == dim):
        if segment.count > 2 * taken:
            break
        files.append(segment)
        taken += segment.count
    keys, source, row = _distinct(files)
    report.duplicates += taken - len(keys)
    path = folder / (hashlib.sha256(keys.tobytes()).hexdigest()[:32] + ".seg")
    write_atomic(path, segment_chunks(keys, _rows(files, source, row, dim), dim), tag="compact")
    for merged in files:  # only now: until the rename every key was in its own file
        if merged.path != path:
            merged.path.unlink(missing_ok=True)
    report.shards += sum(1 for f in files if f.prefixes is None)
    report.segments += sum(1 for f in files if f.prefixes is not None and f.path != path)
    report.written += 1
    report.vectors += len(keys)


def _distinct(files: list[Mapped]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every distinct key of the files in ascending prefix order, with the file and row it is
    read from (the first file that holds it)."""
    keys = np.concatenate([f.keys for f in files])
    source = np.repeat(np.arange(len(files)), [f.count for f in files])
    row = np.concatenate([np.arange(f.count) for f in files])
    order = np.lexsort((prefixes(keys[:, 8:]), prefixes(keys)))  # equal keys side by side, first file first
    keys = keys[order]
    again = np.zeros(len(keys), bool)
    again[1:] = (keys[1:] == keys[:-1]).all(axis=1)
    keep = order[~again]
    return keys[~again], source[keep], row[keep]


def _rows(files: list[Mapped], source: np.ndarray, row: np.ndarray, dim: int) -> Iterator[np.ndarray]:
    """The vectors at (`source`, `row`), a block at a time, each file's rows gathered at once."""
    for start in range(0, len(source), BLOCK):
        src, at = source[start : start + BLOCK], row[start : start + BLOCK]
        block = np.empty((len(src), dim), np.float32)
        order = np.argsort(src, kind="stable")
        cuts = np.flatnonzero(np.diff(src[order])) + 1
        for part in np.split(order, cuts):
            if len(part):
                block[part] = files[int(src[part[0]])].vecs[at[part]]
        yield block


def clear_stale(folder: Path) -> int:
    """Remove the temp files in a cache folder that no writer has touched for `STALE` seconds
    (writers killed between writing and renaming), a compaction's after `STALE_COMPACT` (it
    writes its segment block after block, so a pause that long is a killed one); return how many."""
    now, removed = time.time(), 0
    for tmp in folder.glob(".*.tmp"):
        try:
            if now - tmp.stat().st_mtime > (STALE_COMPACT if ".compact." in tmp.name else STALE):
                tmp.unlink()
                removed += 1
        except FileNotFoundError:  # renamed or removed by its writer meanwhile
            continue
    return removed
