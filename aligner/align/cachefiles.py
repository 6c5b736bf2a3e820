"""The embedding cache's files: shards, which each encoder call adds, and sorted segments, which
compaction (`aligner.align.compaction`) merges shards into.

A shard (`<digest>.vec`) is a 16-byte header (`SHARD_MAGIC`, then the number of vectors and
their dimension as little-endian uint32), the 32-byte keys, then the vectors as little-endian
float32 rows: its keys are read without its vectors, and a lookup reads only the rows it wants.
Every process indexes the keys of every shard it meets (`aligner.align.keyindex`).

A segment (`<digest>.seg`) has the same header (`SEGMENT_MAGIC`), then each key's first 8
bytes as little-endian uint64 in ascending order, the 32-byte keys in that order, then the rows.
A process finds keys in it by binary search through a memory map, so it reads and indexes none
of its keys beforehand: a segment of millions of vectors costs a worker's start nothing.

Shards of the older `.npz` form (keys and vectors as two arrays) are converted the first time a
process indexes the folder, so an upgrade keeps the cache.
"""

from __future__ import annotations

import logging
import mmap
import os
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from aligner.align.keyindex import prefixes
from aligner.corpus.store import write_atomic

log = logging.getLogger(__name__)

SHARD_MAGIC = b"ALNVEC1\0"
SEGMENT_MAGIC = b"ALNSEG1\0"
HEADER = len(SHARD_MAGIC) + 8
_MAGICS = {".vec": SHARD_MAGIC, ".seg": SEGMENT_MAGIC}
KEY = 32  # bytes of a key (a sha256 digest)
_ROWS_A_BLOCK = 256  # segment rows copied before their pages are dropped from resident memory
_ROWS_CHECKED = 65536  # rows a check of a whole file (`Mapped.damaged`) reads at a time
UNIT_TOLERANCE = 1e-3  # how far from 1 an encoder's L2-normalised float32 vector's length may be (they are within 1e-6)


def key_rows(keys: Sequence[bytes]) -> np.ndarray:
    """Keys as rows of 32 bytes (uint8), the form the files store them in."""
    return np.frombuffer(b"".join(keys), np.uint8).reshape(len(keys), KEY)


def header(magic: bytes, count: int, dim: int) -> bytes:
    """The 16 bytes that open a shard or a segment of `count` vectors of `dim` floats."""
    return magic + np.array([count, dim], "<u4").tobytes()


def shard_bytes(keys: Sequence[bytes], vecs: np.ndarray) -> bytes:
    """Return the bytes of a shard holding `vecs` under `keys` (see the module's docstring)."""
    return header(SHARD_MAGIC, len(keys), vecs.shape[1]) + b"".join(keys) + np.ascontiguousarray(vecs, "<f4").tobytes()


def convert_npz(path: Path) -> None:
    """Rewrite a shard of the older `.npz` form (arrays `keys` and `vecs`) as a `.vec` shard of the
    same name and remove it; one that cannot be read or written is left as it is."""
    try:
        with np.load(path) as data:
            # numpy's fixed-width bytes drop trailing NULs: pad the digests back
            keys = [bytes(key).ljust(KEY, b"\0") for key in data["keys"]]
            vecs = np.asarray(data["vecs"], np.float32)
        write_atomic(path.with_suffix(".vec"), shard_bytes(keys, vecs))
        path.unlink(missing_ok=True)
    except FileNotFoundError:  # another process converted it first
        return
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as err:
        log.warning("old embedding cache shard %s not converted: %s", path, err)


def _shape(raw: bytes, magic: bytes, size: int) -> tuple[int, int] | None:
    """A file's count and dimension from its first bytes, or None unless it is a whole file of
    that kind (not foreign, not cut short)."""
    if len(raw) < HEADER or not raw.startswith(magic):
        return None
    count, dim = np.frombuffer(raw, "<u4", 2, len(magic)).tolist()
    return (count, dim) if size == _size(magic, count, dim) else None


def _size(magic: bytes, count: int, dim: int) -> int:
    """The bytes of a whole shard or segment (by its magic) of `count` vectors of `dim` floats."""
    return HEADER + count * (KEY + 4 * dim + (8 if magic == SEGMENT_MAGIC else 0))


def shape_of(path: Path) -> tuple[int, int] | None:
    """A shard's (`.vec`) or segment's (`.seg`) count and dimension, or None unless it is a whole
    file of that kind (not foreign, not cut short, not gone)."""
    try:
        with path.open("rb") as file:
            return _shape(file.read(HEADER), _MAGICS.get(path.suffix, SHARD_MAGIC), os.fstat(file.fileno()).st_size)
    except OSError:
        return None


def read_keys(path: Path) -> np.ndarray | None:
    """Return a shard's keys as rows of 32 bytes, or None when it is not a whole shard (foreign,
    cut short, gone)."""
    try:
        with path.open("rb") as shard:
            shape = _shape(shard.read(HEADER), SHARD_MAGIC, os.fstat(shard.fileno()).st_size)
            if shape is None:
                return None
            raw = shard.read(shape[0] * KEY)
    except OSError:
        return None
    return np.frombuffer(raw, np.uint8).reshape(shape[0], KEY)


def unit_rows(vecs: np.ndarray) -> np.ndarray:
    """Which rows are finite vectors of unit length, as every encoder's L2-normalised vectors
    are: a row that is not (NaN, zeros, a file damaged by hand or by the disk) is a damaged one."""
    lengths = np.einsum("ij,ij->i", vecs, vecs)  # NaN or inf where a value is
    return np.abs(lengths - 1.0) <= 2 * UNIT_TOLERANCE  # |v|² - 1 ≈ 2(|v| - 1) near 1; False for NaN


def read_rows(path: Path, rows: Sequence[int], keys: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Return the shard's vectors at `rows` and whether each row's stored key is the one in
    `keys` (rows of 32 bytes), or None when it cannot be read (gone: compacted); only those rows'
    pages are read (a memory map of the file, made without numpy's `memmap`, which cost 0.1 ms a
    call: a small document's lookup opens a dozen shards)."""
    try:
        with path.open("rb") as shard, mmap.mmap(shard.fileno(), 0, access=mmap.ACCESS_READ) as data:
            count, dim = np.frombuffer(data, "<u4", 2, len(SHARD_MAGIC)).tolist()
            at = np.asarray(rows, np.intp)
            stored = np.frombuffer(data, np.uint8, count * KEY, HEADER).reshape(count, KEY)[at]
            vecs = np.frombuffer(data, "<f4", count * dim, HEADER + count * KEY).reshape(count, dim)
            picked = vecs[at]  # copies: the map closes below
            del vecs
    except (OSError, ValueError, IndexError):
        return None
    return picked, (stored == keys).all(axis=1)


class Mapped:
    """A shard's or a segment's keys and vectors as arrays over a memory map of the file: pages
    are read when used, and a file removed after it was mapped stays readable (POSIX)."""

    def __init__(self, path: Path, count: int, dim: int, sorted_keys: bool) -> None:
        with path.open("rb") as file:
            self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) if count else None
        self.path, self.count, self.dim = path, count, dim
        data = self._map if self._map is not None else bytes(HEADER)
        at = HEADER
        self.prefixes = np.frombuffer(data, "<u8", count, at) if sorted_keys else None
        at += 8 * count if sorted_keys else 0
        self.keys = np.frombuffer(data, np.uint8, count * KEY, at).reshape(count, KEY)
        self._rows_at = at + count * KEY  # where the vectors start
        self.vecs = np.frombuffer(data, "<f4", count * dim, self._rows_at).reshape(count, dim)

    def find(self, keys: np.ndarray) -> np.ndarray:
        """The row of each key (rows of 32 bytes) in this segment, -1 where it holds none."""
        if self.prefixes is None or not self.count or not len(keys):
            return np.full(len(keys), -1, np.int64)
        wanted = prefixes(keys)
        first = np.searchsorted(self.prefixes, wanted)
        at = np.minimum(first, self.count - 1)
        hit = (self.prefixes[at] == wanted) & (self.keys[at] == keys).all(axis=1)
        found = np.where(hit, at, -1)
        shared = np.flatnonzero(~hit & (self.prefixes[at] == wanted))  # the prefix held by other keys too
        for k, start in zip(shared.tolist(), first[shared].tolist(), strict=True):
            end = int(np.searchsorted(self.prefixes, wanted[k], side="right"))
            same = np.flatnonzero((self.keys[start:end] == keys[k]).all(axis=1))
            found[k] = start + int(same[0]) if len(same) else -1
        return found

    def lookup(self, keys: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """The positions in `keys` (rows of 32 bytes) this segment holds and their vectors
        (copied), a block at a time, in file order.

        After each block its pages are dropped from this process's resident memory (they stay
        in the page cache): a lookup reads pages all over a large segment, the system maps up to
        64 kB of neighbouring pages with each one read, and a mapping kept for the process's life
        would count them all in its RSS (blocks of 4,096 rows still raised Bible 006's peak by
        75 MB).
        """
        rows = self.find(keys)
        held = np.flatnonzero(rows >= 0)
        held = held[np.argsort(rows[held])]
        row_bytes = 4 * self.dim
        for block in np.array_split(held, max(1, len(held) // _ROWS_A_BLOCK)):
            if len(block):
                at = rows[block]
                yield block, self.vecs[at]
                self._release(self._rows_at + int(at.min()) * row_bytes, self._rows_at + (int(at.max()) + 1) * row_bytes)
        self._release(0, self._rows_at)  # the prefixes and keys the search read

    def damaged(self) -> int:
        """How many of the file's vectors are not finite ones of unit length (`unit_rows`), read
        a block at a time, their pages dropped after each."""
        bad, row_bytes = 0, 4 * self.dim
        for start in range(0, self.count, _ROWS_CHECKED):
            end = min(start + _ROWS_CHECKED, self.count)
            bad += int(end - start - np.count_nonzero(unit_rows(self.vecs[start:end])))
            self._release(self._rows_at + start * row_bytes, self._rows_at + end * row_bytes)
        return bad

    def _release(self, begin: int, end: int) -> None:
        """Drop the pages of bytes [begin, end) from resident memory (where the system can)."""
        if self._map is None or not hasattr(mmap, "MADV_DONTNEED"):
            return
        first = begin - begin % mmap.PAGESIZE
        self._map.madvise(mmap.MADV_DONTNEED, first, min(end, len(self._map)) - first)


def open_file(path: Path) -> Mapped | None:
    """Map a shard (`.vec`) or a segment (`.seg`), or None when it is not a whole one or is gone."""
    shape = shape_of(path)
    try:
        return None if shape is None else Mapped(path, *shape, sorted_keys=path.suffix == ".seg")
    except (OSError, ValueError):
        return None


def segment_chunks(keys: np.ndarray, rows: Iterator[np.ndarray], dim: int) -> Iterator[bytes]:
    """The bytes of a segment holding `keys` (rows of 32 bytes, already in ascending prefix
    order) and the vectors `rows` yields in the same order, block by block: a merge of millions
    of vectors never holds them all."""
    yield header(SEGMENT_MAGIC, len(keys), dim)
    yield np.ascontiguousarray(prefixes(keys), "<u8").tobytes()
    yield np.ascontiguousarray(keys).tobytes()
    for block in rows:
        yield np.ascontiguousarray(block, "<f4").tobytes()


def describe(folder: Path) -> dict[str, int | str]:
    """A model folder's shards, segments, vectors and bytes, from the files' headers, and how many
    of its files are not whole ones (cut short, foreign): a lookup and a compaction pass them by."""
    read = {kind: [shape_of(path) for path in folder.glob(f"*{kind}") if not path.name.startswith(".")] for kind in _MAGICS}
    shapes = {kind: [shape for shape in found if shape] for kind, found in read.items()}
    return {
        "model": folder.name, "shards": len(shapes[".vec"]), "segments": len(shapes[".seg"]),
        "vectors": sum(count for found in shapes.values() for count, _ in found),
        "bytes": sum(_size(_MAGICS[kind], count, dim) for kind, found in shapes.items() for count, dim in found),
        "unreadable": sum(shape is None for found in read.values() for shape in found),
    }  # fmt: skip


def damaged_files(folder: Path) -> dict[str, int]:
    """The whole shards and segments of a model's folder that hold vectors which are not finite
    ones of unit length, by name, with how many (every vector is read): a lookup reads those as
    missing, and encodes them again."""
    found = sorted(path for kind in _MAGICS for path in folder.glob(f"*{kind}") if not path.name.startswith("."))
    counts = {path.name: mapped.damaged() for path in found if (mapped := open_file(path)) is not None}
    return {name: count for name, count in counts.items() if count}
