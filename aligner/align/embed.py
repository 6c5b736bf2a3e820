"""Sentence embeddings from the chosen encoder (`aligner.align.encoders`), cached on disk by text hash.

The cache is a directory of shard files (`<model>/<digest>.vec`); a run writes new shards with
what it encoded, atomically, so a re-run of the same texts encodes nothing and concurrent runs
never see half-written files. A shard is a 16-byte header (`_MAGIC`, then the number of vectors
and their dimension as little-endian uint32), the 32-byte keys, then the vectors as
little-endian float32 rows: its keys are read without its vectors, and a lookup reads only the
rows it wants (through a memory map). Shards of the older `.npz` form (keys and vectors as two
arrays) are converted the first time a process indexes the folder, so an upgrade keeps the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import mmap
import os
import threading
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from aligner.align.encoders import Spec
from aligner.align.keyindex import KeyIndex, places, prefixes, unpack
from aligner.cache import cache_dir as default_cache_dir
from aligner.corpus.store import write_atomic
from aligner.errors import AlignerError
from aligner.progress import progress

log = logging.getLogger(__name__)

_BATCH = 256  # texts per call: the model groups them by length and runs batches on both cores
_MAGIC = b"ALNVEC1\0"
_HEADER = len(_MAGIC) + 8
_KEY = 32  # bytes of a key (a sha256 digest)


def text_key(text: str, model_id: str) -> bytes:
    """Return the sha256 digest of model id and text: the cache key of one embedding."""
    return hashlib.sha256(f"{model_id}\0{text}".encode()).digest()


class EmbeddingCache:
    """Embeddings on disk keyed by `text_key`, extended by atomic shard writes.

    Only the shards' keys are read to know what is cached (once a process per shard, shared by
    every cache object on the same folder, kept as a `KeyIndex` of 16 bytes a key); vectors are
    read from the shards a call needs. So a worker that aligns thousands of documents neither
    reads the whole cache again for each one nor holds every vector or digest ever cached, and
    sees the shards other workers write.
    """

    def __init__(self, directory: Path, model_id: str) -> None:
        self.directory = directory / model_id
        self.model_id = model_id
        self._folder = _FOLDERS.setdefault(self.directory, _Folder())
        self._fresh: dict[bytes, np.ndarray] = {}  # vectors put that could not be written

    def _refresh(self) -> None:
        """Index the keys of shards not indexed yet; unreadable shards are skipped."""
        folder = self._folder
        for old in self.directory.glob("*.npz"):
            if old.name not in folder.known:  # once a process, even when it cannot be converted
                folder.known.add(old.name)
                convert_npz(old)
        for shard in sorted(self.directory.glob("*.vec")):
            if shard.name in folder.known:
                continue
            keys = read_keys(shard)
            if keys is not None:
                folder.add(shard.name, keys)

    def holds_any(self) -> bool:
        """Whether any vector is cached (known in this process, else one shard on disk)."""
        return bool(self._folder.names) or any(self.directory.glob("*.vec")) or any(self.directory.glob("*.npz"))

    def _shards_of(self, keys: Sequence[bytes], matrix: np.ndarray) -> dict[str, tuple[list[int], list[int]]]:
        """Return, per shard, the positions in `keys` (`matrix`: the same as rows of bytes) of
        the keys it may hold and their rows there (keys held in memory, because their shard
        could not be written, are left out)."""
        asked = [position for position, key in enumerate(keys) if key not in self._fresh]
        if not asked:
            return {}
        wanted = prefixes(matrix[asked])
        found = self._folder.index.find(wanted)
        if (found < 0).any():  # only for keys not indexed yet: listing thousands of shards costs
            self._refresh()
            found = self._folder.index.find(wanted)
        hit = np.flatnonzero(found >= 0)
        shards, rows = unpack(found[hit])
        groups: dict[str, tuple[list[int], list[int]]] = {}
        for k, shard, row in zip(hit.tolist(), shards.tolist(), rows.tolist(), strict=True):
            positions, at = groups.setdefault(self._folder.names[shard], ([], []))
            positions.append(asked[k])
            at.append(row)
        return groups

    def _from_shards(self, keys: Sequence[bytes]) -> Iterator[tuple[list[int], np.ndarray]]:
        """The positions in `keys` found in the shards, and their vectors, a shard at a time.

        Each shard is opened once, its rows copied in one step: a text of 30,000 sentences reads
        its vectors from a few dozen shards. A row whose stored key is not the one asked for (two
        keys sharing the index's prefix) is left out: it is encoded again, never mistaken.
        """
        matrix = key_rows(keys)
        for shard, (positions, rows) in self._shards_of(keys, matrix).items():
            got = read_rows(self.directory / shard, rows, matrix[positions])
            if got is not None:
                vecs, same = got
                yield [p for p, ok in zip(positions, same.tolist(), strict=True) if ok], vecs[same]

    def read(self, keys: Sequence[bytes], out: np.ndarray) -> np.ndarray:
        """Copy the cached vector of each key into its row of `out`; return which rows were found."""
        found = np.zeros(len(keys), bool)
        if self._fresh:
            for position, key in enumerate(keys):
                if key in self._fresh:
                    out[position] = self._fresh[key]
                    found[position] = True
        for positions, vecs in self._from_shards(keys):
            out[positions] = vecs
            found[positions] = True
        return found

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """Return the cached vectors of those keys that are cached, reading each shard once."""
        found = {key: self._fresh[key] for key in keys if key in self._fresh}
        for positions, vecs in self._from_shards(keys):
            found.update(zip([keys[p] for p in positions], vecs, strict=True))
        return found

    def get(self, key: bytes) -> np.ndarray | None:
        """Return the cached vector for `key`, or None."""
        return self.get_many([key]).get(key)

    def put(self, keys: Sequence[bytes], vecs: np.ndarray) -> None:
        """Store new vectors as one shard, written to a temporary file and renamed into place."""
        if not keys:
            return
        name = hashlib.sha256(b"".join(keys)).hexdigest()[:32] + ".vec"
        try:
            write_atomic(self.directory / name, shard_bytes(keys, vecs))
        except OSError as err:  # a cache that cannot be written only costs time on the next run
            log.warning("embedding cache %s not written: %s", self.directory, err)
            self._fresh.update(zip(keys, vecs, strict=True))  # ... not in this one
            return
        if name not in self._folder.known:  # read back from the file when asked: a long text's vectors stay out of memory
            self._folder.add(name, key_rows(keys))


class _Folder:
    """What a process knows of one cache folder: the shards indexed, and where each key is."""

    def __init__(self) -> None:
        self.names: list[str] = []  # shard names by number
        self.known: set[str] = set()  # shards indexed, and old `.npz` shards already tried
        self.index = KeyIndex()

    def add(self, name: str, keys: np.ndarray) -> None:
        """Index a shard's keys (rows of 32 bytes) under its next number."""
        self.known.add(name)
        self.names.append(name)
        self.index.add(prefixes(keys), places(len(self.names) - 1, len(keys)))


def shard_bytes(keys: Sequence[bytes], vecs: np.ndarray) -> bytes:
    """Return the bytes of a shard holding `vecs` under `keys` (see the module's docstring)."""
    header = _MAGIC + np.array([len(keys), vecs.shape[1]], "<u4").tobytes()
    return header + b"".join(keys) + np.ascontiguousarray(vecs, "<f4").tobytes()


def convert_npz(path: Path) -> None:
    """Rewrite a shard of the older `.npz` form (arrays `keys` and `vecs`) as a `.vec` shard of the
    same name and remove it; one that cannot be read or written is left as it is."""
    try:
        with np.load(path) as data:
            # numpy's fixed-width bytes drop trailing NULs: pad the digests back
            keys = [bytes(key).ljust(_KEY, b"\0") for key in data["keys"]]
            vecs = np.asarray(data["vecs"], np.float32)
        write_atomic(path.with_suffix(".vec"), shard_bytes(keys, vecs))
        path.unlink(missing_ok=True)
    except FileNotFoundError:  # another process converted it first
        return
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as err:
        log.warning("old embedding cache shard %s not converted: %s", path, err)


def read_keys(path: Path) -> np.ndarray | None:
    """Return a shard's keys as rows of 32 bytes, or None when it is not a whole shard (foreign,
    cut short)."""
    try:
        with path.open("rb") as shard:
            header = shard.read(_HEADER)
            if len(header) < _HEADER or not header.startswith(_MAGIC):
                return None
            count, dim = np.frombuffer(header[len(_MAGIC) :], "<u4").tolist()
            if os.fstat(shard.fileno()).st_size != _HEADER + count * (_KEY + 4 * dim):
                return None
            raw = shard.read(count * _KEY)
    except OSError:
        return None
    return np.frombuffer(raw, np.uint8).reshape(count, _KEY)


def key_rows(keys: Sequence[bytes]) -> np.ndarray:
    """Keys as rows of 32 bytes (uint8), the form shards store them in."""
    return np.frombuffer(b"".join(keys), np.uint8).reshape(len(keys), _KEY)


def read_rows(path: Path, rows: Sequence[int], keys: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Return the shard's vectors at `rows` and whether each row's stored key is the one in
    `keys` (rows of 32 bytes), or None when it cannot be read; only those rows' pages are read (a memory map of the
    file, made without numpy's `memmap`, which cost 0.1 ms a call: a small document's lookup
    opens a dozen shards)."""
    try:
        with path.open("rb") as shard, mmap.mmap(shard.fileno(), 0, access=mmap.ACCESS_READ) as data:
            count, dim = np.frombuffer(data, "<u4", 2, len(_MAGIC)).tolist()
            at = np.asarray(rows, np.intp)
            stored = np.frombuffer(data, np.uint8, count * _KEY, _HEADER).reshape(count, _KEY)[at]
            vecs = np.frombuffer(data, "<f4", count * dim, _HEADER + count * _KEY).reshape(count, dim)
            picked = vecs[at]  # copies: the map closes below
            del vecs
    except (OSError, ValueError, IndexError):
        return None
    return picked, (stored == keys).all(axis=1)


_LOADING = threading.Lock()  # one model load a process, whichever thread asks first
_FOLDERS: dict[Path, _Folder] = {}  # per cache folder: what this process has indexed


class Encoder:
    """Encode sentences with one encoder, each distinct text once, through an `EmbeddingCache`."""

    def __init__(self, spec: Spec, cache_dir: Path | None = None) -> None:
        self.spec = spec
        self.cache = EmbeddingCache(cache_dir or default_cache_dir(), spec.model_id)
        self.encoded = 0  # texts sent to the model by this encoder (0 on a warm re-run)

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Run the model on texts (loaded on first use, once a process)."""
        with _LOADING:
            model = self.spec.load()
        return model(texts)

    def warm_up(self) -> None:
        """Start loading the model in a background thread when the cache holds no vector at all.

        Such a first run needs the model for every text, and reading its weights (zlib, numpy)
        leaves the GIL free, so the load overlaps the work before the first encoding (on an
        empty cache, building the CC-CEDICT table). A failed load is left for `_embed` to report.
        """
        if self.cache.holds_any():
            return

        def load() -> None:
            with _LOADING, contextlib.suppress(AlignerError):
                self.spec.load()

        # not a daemon: an interrupted run waits the fraction of a second the load takes, rather
        # than have the interpreter stop under a thread that is reading a file
        threading.Thread(target=load, name="model load").start()

    def encode(self, texts: Sequence[str], quiet: bool = True) -> np.ndarray:
        """Return L2-normalised vectors, shape (len(texts), dim); encode only uncached texts."""
        keys = [text_key(t, self.cache.model_id) for t in texts]
        out = np.zeros((len(texts), self.spec.dim), dtype=np.float32)
        found = self.cache.read(keys, out)
        if found.all():
            return out
        rows_of: dict[bytes, list[int]] = {}  # each text missing, once: the rows that want it
        for row in np.flatnonzero(~found).tolist():
            rows_of.setdefault(keys[row], []).append(row)
        # Texts of similar length together fill the model's equal-length batches.
        todo = sorted(rows_of, key=lambda key: len(texts[rows_of[key][0]]))
        new_keys: list[bytes] = []
        new_vecs: list[np.ndarray] = []
        with progress("encoding sentences", len(todo), quiet) as bar:
            for start in range(0, len(todo), _BATCH):
                chunk = todo[start : start + _BATCH]
                vecs = self._embed([texts[rows_of[key][0]] for key in chunk])
                for key, vec in zip(chunk, vecs, strict=True):
                    out[rows_of[key]] = vec
                new_vecs.append(vecs)
                new_keys.extend(chunk)
                bar.advance(len(chunk))
                if len(new_keys) >= 2048:  # persist as we go: an interrupted run keeps work
                    self.cache.put(new_keys, np.concatenate(new_vecs))
                    new_keys, new_vecs = [], []
        self.cache.put(new_keys, np.concatenate(new_vecs) if new_vecs else np.empty((0, self.spec.dim)))
        self.encoded += len(todo)
        return out
