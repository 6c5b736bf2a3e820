"""Sentence embeddings from the chosen encoder (`aligner.align.encoders`), cached on disk by text hash.

The cache is a directory of shard files (`<model>/<digest>.npz`, each holding `keys` and
`vecs`); a run writes new shards with what it encoded, atomically, so a re-run of the same
texts encodes nothing and concurrent runs never see half-written files.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from aligner.align.encoders import Spec
from aligner.cache import cache_dir as default_cache_dir
from aligner.corpus.store import write_atomic
from aligner.errors import AlignerError
from aligner.progress import progress

log = logging.getLogger(__name__)

_BATCH = 256  # texts per call: the model groups them by length and runs batches on both cores


def text_key(text: str, model_id: str) -> bytes:
    """Return the sha256 digest of model id and text: the cache key of one embedding."""
    return hashlib.sha256(f"{model_id}\0{text}".encode()).digest()


class EmbeddingCache:
    """Embeddings on disk keyed by `text_key`, extended by atomic shard writes.

    Only the shards' keys are read to know what is cached (once a process per shard, shared by
    every cache object on the same folder); vectors are read from the shards a call needs. So a
    worker that aligns thousands of documents neither reads the whole cache again for each one
    nor holds every vector ever cached, and sees the shards other workers write.
    """

    def __init__(self, directory: Path, model_id: str) -> None:
        self.directory = directory / model_id
        self.model_id = model_id
        self._where = _INDEX.setdefault(self.directory, {})  # key → (shard, row)
        self._known = _SHARDS.setdefault(self.directory, set())  # the shards indexed
        self._fresh: dict[bytes, np.ndarray] = {}  # vectors put that could not be written

    def _refresh(self) -> None:
        """Index the keys of shards not indexed yet; unreadable shards are skipped."""
        known = self._known
        for shard in sorted(self.directory.glob("*.npz")):
            if shard.name in known:
                continue
            try:
                with np.load(shard) as data:
                    keys = data["keys"]
            except (OSError, ValueError, KeyError):
                continue
            known.add(shard.name)
            # numpy's fixed-width bytes drop trailing NULs: pad the digests back
            self._where.update((bytes(k).ljust(32, b"\0"), (shard.name, row)) for row, k in enumerate(keys))

    def holds_any(self) -> bool:
        """Whether any vector is cached (known in this process, else one shard on disk)."""
        return bool(self._where) or any(self.directory.glob("*.npz"))

    def _shards_of(self, keys: Sequence[bytes]) -> dict[str, tuple[list[int], list[int]]]:
        """Return, per shard, the positions in `keys` of the keys it holds and their rows there
        (keys held in memory, because their shard could not be written, are left out)."""
        if not self._where.keys() >= set(keys).difference(self._fresh):
            self._refresh()  # only for keys not indexed yet: listing thousands of shards costs
        wanted: dict[str, tuple[list[int], list[int]]] = {}
        where, fresh = self._where, self._fresh
        for position, key in enumerate(keys):
            if key in where and key not in fresh:
                shard, row = where[key]
                positions, rows = wanted.setdefault(shard, ([], []))
                positions.append(position)
                rows.append(row)
        return wanted

    def _vectors(self, shard: str) -> np.ndarray | None:
        """Return the vectors of one shard, or None when it cannot be read."""
        try:
            with np.load(self.directory / shard) as data:
                return np.asarray(data["vecs"])
        except (OSError, ValueError, KeyError):
            return None

    def read(self, keys: Sequence[bytes], out: np.ndarray) -> np.ndarray:
        """Copy the cached vector of each key into its row of `out`; return which rows were found.

        Each shard is read once, its rows copied in one step: a text of 30,000 sentences reads
        its vectors from a few dozen shards.
        """
        found = np.zeros(len(keys), bool)
        if self._fresh:
            for position, key in enumerate(keys):
                if key in self._fresh:
                    out[position] = self._fresh[key]
                    found[position] = True
        for shard, (positions, rows) in self._shards_of(keys).items():
            vecs = self._vectors(shard)
            if vecs is not None:
                out[positions] = vecs[rows]
                found[positions] = True
        return found

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """Return the cached vectors of those keys that are cached, reading each shard once."""
        found = {key: self._fresh[key] for key in keys if key in self._fresh}
        for shard, (positions, rows) in self._shards_of(keys).items():
            vecs = self._vectors(shard)
            if vecs is not None:
                found.update((keys[position], vecs[row]) for position, row in zip(positions, rows, strict=True))
        return found

    def get(self, key: bytes) -> np.ndarray | None:
        """Return the cached vector for `key`, or None."""
        return self.get_many([key]).get(key)

    def put(self, keys: Sequence[bytes], vecs: np.ndarray) -> None:
        """Store new vectors as one shard, written to a temporary file and renamed into place."""
        if not keys:
            return
        name = hashlib.sha256(b"".join(keys)).hexdigest()[:32] + ".npz"
        buffer = io.BytesIO()
        np.savez(buffer, keys=np.array(keys, dtype="S32"), vecs=vecs.astype(np.float32))
        try:
            write_atomic(self.directory / name, buffer.getvalue())
        except OSError as err:  # a cache that cannot be written only costs time on the next run
            log.warning("embedding cache %s not written: %s", self.directory, err)
            self._fresh.update(zip(keys, vecs, strict=True))  # ... not in this one
            return
        self._known.add(name)  # read back from the file when asked: a long text's vectors stay out of memory
        self._where.update((key, (name, row)) for row, key in enumerate(keys))


_LOADING = threading.Lock()  # one model load a process, whichever thread asks first
_INDEX: dict[Path, dict[bytes, tuple[str, int]]] = {}  # per cache folder: where each key is
_SHARDS: dict[Path, set[str]] = {}  # per cache folder: the shards indexed


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
