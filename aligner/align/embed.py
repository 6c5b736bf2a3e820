"""Sentence embeddings from the chosen encoder (`aligner.align.encoders`), cached on disk by text hash.

The cache is a directory of files per model (`<model>/`, formats in `aligner.align.cachefiles`):
a run writes new shards with what it encoded, atomically, so a re-run of the same texts encodes
nothing and concurrent runs never see half-written files; compaction
(`aligner.align.compaction`) merges shards into sorted segments, which a lookup searches
through a memory map.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
from collections.abc import Generator, Sequence
from pathlib import Path

import numpy as np

from aligner.align.cachefiles import (
    Mapped,
    convert_npz,
    key_rows,
    open_file,
    read_keys,
    read_rows,
    shard_bytes,
    unit_rows,
)
from aligner.align.encoders import Spec
from aligner.align.keyindex import KeyIndex, places, prefixes, unpack
from aligner.cache import cache_dir as default_cache_dir
from aligner.corpus.store import write_atomic
from aligner.errors import AlignerError
from aligner.progress import progress

log = logging.getLogger(__name__)

_BATCH = 256  # texts per call: the model groups them by length and runs batches on both cores
_LISTINGS = 3  # listings of the folder a lookup may make while compactions move keys under it


def text_key(text: str, model_id: str) -> bytes:
    """Return the sha256 digest of model id and text: the cache key of one embedding."""
    return hashlib.sha256(f"{model_id}\0{text}".encode()).digest()


class EmbeddingCache:
    """Embeddings on disk keyed by `text_key`, extended by atomic shard writes.

    Only the shards' keys are read to know what is cached (once a process per shard, shared by
    every cache object on the same folder, kept as a `KeyIndex` of 16 bytes a key); segments are
    searched through memory maps; vectors are read from the files a call needs. So a worker that
    aligns thousands of documents neither reads the whole cache again for each one nor holds
    every vector or digest ever cached, and sees the files other workers write.
    """

    def __init__(self, directory: Path, model_id: str, unit: bool = False) -> None:
        self.directory = directory / model_id
        self.model_id = model_id
        self.unit = unit  # the vectors are an encoder's, L2-normalised: one read that is not is damaged
        self._folder = _FOLDERS.setdefault(self.directory, _Folder())
        self._fresh: dict[bytes, np.ndarray] = {}  # vectors put that could not be written

    def _refresh(self) -> bool:
        """Index the keys of shards not indexed yet and map new segments (unreadable files are
        skipped); return whether there was any, or a file listed had gone before it was read (a
        compaction removed it: its keys are in a segment that a new listing shows)."""
        folder, before, vanished = self._folder, len(self._folder.known), False
        files = self._listing(folder.known)
        for old in files["npz"]:  # once a process, even when it cannot be converted
            folder.known.add(old.name)
            convert_npz(old)
            if (converted := old.with_suffix(".vec")).exists():
                files["vec"].append(converted)
        for shard in sorted(files["vec"]):
            if shard.name not in folder.known:
                if (keys := read_keys(shard)) is not None:
                    folder.add(shard.name, keys)
                else:
                    vanished |= not shard.exists()
        mapped = len(folder.segments)
        for path in files["seg"]:
            if (segment := open_file(path)) is not None:
                folder.known.add(path.name)
                folder.segments.append(segment)
            else:
                vanished |= not path.exists()
        if len(folder.segments) > mapped:  # segments merged into a newer one: unmapped, so their space is freed
            folder.segments = [segment for segment in folder.segments if segment.path.exists()]
        return vanished or len(folder.known) > before

    def _listing(self, known: set[str]) -> dict[str, list[Path]]:
        """The folder's cache files not in `known`, by kind (npz, vec, seg), in name order, from
        one reading of the folder (on 14,286 shards, 0.12 s with a glob a kind; 0.07 s with
        Paths made for every name)."""
        files: dict[str, list[Path]] = {"npz": [], "vec": [], "seg": []}
        try:
            names = sorted(entry.name for entry in os.scandir(self.directory) if entry.name not in known)
        except OSError:  # no folder yet, or one that cannot be read: nothing cached
            return files
        for name in names:
            kind = name.rpartition(".")[2]
            if kind in files and not name.startswith("."):
                files[kind].append(self.directory / name)
        return files

    def holds_any(self) -> bool:
        """Whether any vector is cached (known in this process, else one file on disk)."""
        return bool(self._folder.known) or any(any(self.directory.glob(f"*.{kind}")) for kind in ("vec", "seg", "npz"))

    def _shards_of(self, asked: list[int], matrix: np.ndarray) -> tuple[dict[str, tuple[list[int], list[int]]], list[int]]:
        """The positions in `asked` (of keys `matrix`, rows of bytes) whose keys the index places
        in a shard still there, with their rows, per shard; and the other positions."""
        found = self._folder.index.find(prefixes(matrix[asked]))
        hit = np.flatnonzero(found >= 0)
        shards, rows = unpack(found[hit])
        groups: dict[str, tuple[list[int], list[int]]] = {}
        elsewhere = [asked[k] for k in np.flatnonzero(found < 0).tolist()]
        for k, shard, row in zip(hit.tolist(), shards.tolist(), rows.tolist(), strict=True):
            name = self._folder.names[shard]
            if name in self._folder.gone:
                elsewhere.append(asked[k])
                continue
            positions, at = groups.setdefault(name, ([], []))
            positions.append(asked[k])
            at.append(row)
        return groups, elsewhere

    def _found(self, asked: list[int], matrix: np.ndarray) -> Generator[tuple[list[int], np.ndarray], None, list[int]]:
        """Yield the positions in `asked` found in the files known, with their vectors, a file at
        a time; return the positions not found.

        Each shard is opened once, its rows copied in one step: a text of 30,000 sentences reads
        its vectors from a few dozen shards. A row whose stored key is not the one asked for (two
        keys sharing the index's prefix) is not found: it is encoded again, never mistaken. A
        shard that has gone (merged into a segment) is not asked again.
        """
        groups, missing = self._shards_of(asked, matrix)
        for shard, (positions, rows) in groups.items():
            got = read_rows(self.directory / shard, rows, matrix[positions])
            if got is None:
                self._folder.gone.add(shard)
                missing.extend(positions)
                continue
            vecs, same = got
            whole = self._whole(self.directory / shard, vecs)
            self._folder.unreachable.update(bytes(matrix[p]) for p, ok in zip(positions, whole.tolist(), strict=True) if not ok)
            same &= whole
            yield [p for p, ok in zip(positions, same.tolist(), strict=True) if ok], vecs[same]
            missing.extend(p for p, ok in zip(positions, same.tolist(), strict=True) if not ok)
        for segment in self._folder.segments:
            if not missing:
                break
            hit = np.zeros(len(missing), bool)
            for held, vecs in segment.lookup(matrix[missing]):
                whole = self._whole(segment.path, vecs)
                yield [missing[k] for k in held[whole].tolist()], vecs[whole]
                hit[held[whole]] = True
            missing = [m for m, h in zip(missing, hit.tolist(), strict=True) if not h]
        return missing

    def _whole(self, path: Path, vecs: np.ndarray) -> np.ndarray:
        """Which of the vectors read from a file to use: all, unless they are an encoder's
        (`unit`), of which one that is not finite or not of unit length is damaged (NaN vectors
        stopped a build with a traceback; zeros gave wrong confidences) and read as missing, so
        encoded again. The file is named once a process."""
        whole = unit_rows(vecs) if self.unit else np.ones(len(vecs), bool)
        if not whole.all() and path.name not in self._folder.damaged:
            self._folder.damaged.add(path.name)
            log.warning(
                "embedding cache %s: %d of the vectors read are damaged (not finite or not of unit length), so encoded "
                "again; remove the file to stop this (the cache only saves time)", path, int(len(whole) - whole.sum()),
            )  # fmt: skip
        return whole

    def _held(self) -> dict[bytes, np.ndarray]:
        """The vectors held in memory rather than read from the files: those put while the cache
        could not be written, and those encoded again for damaged ones of a shard (the index
        leads a key to the first shard that held it: the damaged one)."""
        return self._fresh | self._folder.mended if self._folder.mended else self._fresh

    def _from_disk(self, keys: Sequence[bytes]) -> Generator[tuple[list[int], np.ndarray], None, None]:
        """The positions in `keys` found on disk, and their vectors, a file at a time (keys held in
        memory, `_held`, are left out). The folder is listed again only when a key is not found
        in the files known: listing thousands of shards costs."""
        matrix = key_rows(keys)
        held = self._held()
        missing = [position for position, key in enumerate(keys) if key not in held]
        if missing:
            missing = yield from self._found(missing, matrix)
        listings = 0
        while missing and listings < _LISTINGS and self._refresh():
            listings += 1
            missing = yield from self._found(missing, matrix)

    def read(self, keys: Sequence[bytes], out: np.ndarray) -> np.ndarray:
        """Copy the cached vector of each key into its row of `out`; return which rows were found."""
        found = np.zeros(len(keys), bool)
        if held := self._held():
            for position, key in enumerate(keys):
                if key in held:
                    out[position] = held[key]
                    found[position] = True
        for positions, vecs in self._from_disk(keys):
            out[positions] = vecs
            found[positions] = True
        return found

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """Return the cached vectors of those keys that are cached, reading each shard once."""
        held = self._held()
        found = {key: held[key] for key in keys if key in held}
        for positions, vecs in self._from_disk(keys):
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
            if not self._folder.unwritable:  # said once a process: a build writes a shard an encoder call
                log.warning("embedding cache %s not written: %s; what this run encodes is kept in memory only", self.directory, err)
            self._folder.unwritable = True
            self._fresh.update(zip(keys, vecs, strict=True))  # ... not in this one
            return
        if name not in self._folder.known:  # read back from the file when asked: a long text's vectors stay out of memory
            self._folder.add(name, key_rows(keys))
        if self._folder.unreachable:
            self._folder.mended.update((key, vec.copy()) for key, vec in zip(keys, vecs, strict=True) if key in self._folder.unreachable)


class _Folder:
    """What a process knows of one cache folder: the shards indexed, and where each key is."""

    def __init__(self) -> None:
        self.names: list[str] = []  # shard names by number
        self.known: set[str] = set()  # shards indexed, segments mapped, old `.npz` shards already tried
        self.gone: set[str] = set()  # shards indexed but since removed (merged into a segment)
        self.damaged: set[str] = set()  # files found holding damaged vectors (named once)
        self.unreachable: set[bytes] = set()  # keys whose vector in a shard is damaged: the index leads to it
        self.mended: dict[bytes, np.ndarray] = {}  # ... and their vectors encoded again (`EmbeddingCache._held`)
        self.unwritable = False  # a shard could not be written (said once)
        self.index = KeyIndex()
        self.segments: list[Mapped] = []

    def add(self, name: str, keys: np.ndarray) -> None:
        """Index a shard's keys (rows of 32 bytes) under its next number."""
        self.known.add(name)
        self.names.append(name)
        self.index.add(prefixes(keys), places(len(self.names) - 1, len(keys)))


_LOADING = threading.Lock()  # one model load a process, whichever thread asks first
_FOLDERS: dict[Path, _Folder] = {}  # per cache folder: what this process has indexed


class Encoder:
    """Encode sentences with one encoder, each distinct text once, through an `EmbeddingCache`."""

    def __init__(self, spec: Spec, cache_dir: Path | None = None) -> None:
        self.spec = spec
        self.cache = EmbeddingCache(cache_dir or default_cache_dir(), spec.model_id, unit=True)
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
