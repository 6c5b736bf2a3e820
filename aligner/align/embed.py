"""Sentence embeddings from the chosen encoder (`aligner.align.encoders`), cached on disk by text hash.

The cache is a directory of shard files (`<model>/<digest>.npz`, each holding `keys` and
`vecs`); a run writes one new shard with what it encoded, atomically, so a re-run of the same
texts encodes nothing and concurrent runs never see half-written files.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from aligner.align.encoders import Spec
from aligner.cache import cache_dir as default_cache_dir
from aligner.corpus.store import write_atomic
from aligner.progress import progress

log = logging.getLogger(__name__)

_BATCH = 256  # texts per call: the model groups them by length and runs batches on both cores


def text_key(text: str, model_id: str) -> bytes:
    """Return the sha256 digest of model id and text: the cache key of one embedding."""
    return hashlib.sha256(f"{model_id}\0{text}".encode()).digest()


class EmbeddingCache:
    """Embeddings on disk keyed by `text_key`, loaded lazily, extended by atomic shard writes."""

    def __init__(self, directory: Path, model_id: str) -> None:
        self.directory = directory / model_id
        self.model_id = model_id
        self._vecs: dict[bytes, np.ndarray] | None = None

    def _load(self) -> dict[bytes, np.ndarray]:
        """Read every shard once; unreadable shards are skipped (a later write replaces them)."""
        if self._vecs is None:
            self._vecs = {}
            for shard in sorted(self.directory.glob("*.npz")):
                try:
                    with np.load(shard) as data:
                        keys, vecs = data["keys"], data["vecs"]
                except (OSError, ValueError, KeyError):
                    continue
                # numpy's fixed-width bytes drop trailing NULs: pad the digests back
                self._vecs.update(zip((bytes(k).ljust(32, b"\0") for k in keys), vecs, strict=True))
        return self._vecs

    def get(self, key: bytes) -> np.ndarray | None:
        """Return the cached vector for `key`, or None."""
        return self._load().get(key)

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
        self._load().update(zip(keys, vecs, strict=True))


class Encoder:
    """Encode sentences with one encoder, each distinct text once, through an `EmbeddingCache`."""

    def __init__(self, spec: Spec, cache_dir: Path | None = None) -> None:
        self.spec = spec
        self.cache = EmbeddingCache(cache_dir or default_cache_dir(), spec.model_id)
        self.encoded = 0  # texts sent to the model by this encoder (0 on a warm re-run)

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Run the model on texts (loaded on first use, once a process)."""
        return self.spec.load()(texts)

    def encode(self, texts: Sequence[str], quiet: bool = True) -> np.ndarray:
        """Return L2-normalised vectors, shape (len(texts), dim); encode only uncached texts."""
        keys = [text_key(t, self.cache.model_id) for t in texts]
        missing: dict[bytes, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if self.cache.get(key) is None:
                missing[key] = text
        if missing:
            # Texts of similar length together fill the model's equal-length batches.
            todo = sorted(missing.items(), key=lambda kv: len(kv[1]))
            new_keys: list[bytes] = []
            new_vecs: list[np.ndarray] = []
            with progress("encoding sentences", len(todo), quiet) as bar:
                for start in range(0, len(todo), _BATCH):
                    chunk = todo[start : start + _BATCH]
                    new_vecs.append(self._embed([text for _, text in chunk]))
                    new_keys.extend(key for key, _ in chunk)
                    bar.advance(len(chunk))
                    if len(new_keys) >= 2048:  # persist as we go: an interrupted run keeps work
                        self.cache.put(new_keys, np.concatenate(new_vecs))
                        new_keys, new_vecs = [], []
            self.cache.put(new_keys, np.concatenate(new_vecs) if new_vecs else np.empty((0, self.spec.dim)))
            self.encoded += len(todo)
        out = np.empty((len(texts), self.spec.dim), dtype=np.float32)
        for row, key in enumerate(keys):
            vec = self.cache.get(key)
            out[row] = vec if vec is not None else 0.0
        return out
