"""Where derived data (embeddings, dictionary tables) persists between runs."""

from __future__ import annotations

import contextlib
import gc
import io
import json
import logging
import os
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from aligner.corpus.store import write_atomic

T = TypeVar("T")


def cache_dir() -> Path:
    """`$ALIGNER_CACHE`, else `~/.cache/aligner`."""
    env = os.environ.get("ALIGNER_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "aligner"


def tables(root: Path) -> dict[str, int]:
    """The derived tables kept in a cache folder (`cached_json`, `cached_arrays`: the CC-CEDICT
    index and QA table), by name, with their bytes; the encoders' folders are not tables."""
    sizes = {}
    with contextlib.suppress(OSError):  # no folder; or a file replaced while listed
        for entry in sorted(os.scandir(root), key=lambda entry: entry.name):
            if entry.is_file(follow_symlinks=False) and not entry.name.startswith("."):
                sizes[entry.name] = entry.stat().st_size
    return sizes


def cached_json(name: str, build: Callable[[], Any], replaces: Sequence[str] = ()) -> Any:
    """The JSON table `name` from the cache folder, else `build()` written there (seconds saved).

    A cache that cannot be written only warns: the table is built again next time, slower but right.
    When the table is written, the cache files matching a glob of `replaces` (its older versions
    and formats) are removed: no release leaves its tables behind for good.
    """
    return _cached(name, json.loads, build, lambda data: json.dumps(data, ensure_ascii=False).encode("utf-8"), replaces)


def cached_arrays(name: str, build: Callable[[], dict[str, np.ndarray]], replaces: Sequence[str] = ()) -> dict[str, np.ndarray]:
    """The named arrays of `name` (.npz, no pickles) from the cache folder, else `build()` written
    there (`replaces` as in `cached_json`)."""
    return _cached(name, _arrays, build, _npz, replaces)


def _cached(
    name: str, read: Callable[[bytes], T], build: Callable[[], T], write: Callable[[T], bytes], replaces: Sequence[str]
) -> T:
    """`read` of the cache file `name`, else `build()`, whose `write` form is then put there in
    place of the files matching `replaces`."""
    path = cache_dir() / name
    with collector_paused():
        try:
            return read(path.read_bytes())
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            data = build()
    log = logging.getLogger(__name__)
    try:
        write_atomic(path, write(data))
    except OSError as err:
        log.warning("table %s not cached: %s", path, err)
        return data
    for old in sorted({old for pattern in replaces for old in path.parent.glob(pattern)} - {path}):
        try:
            old.unlink(missing_ok=True)
        except OSError as err:
            log.warning("older table %s left in place: %s", old, err)
    return data


def _arrays(raw: bytes) -> dict[str, np.ndarray]:
    """The arrays of an .npz file's bytes."""
    with np.load(io.BytesIO(raw), allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def _npz(arrays: dict[str, np.ndarray]) -> bytes:
    """The bytes of an .npz file of the arrays."""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    return buffer.getvalue()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while many small, long-lived, acyclic objects are
    made: every collection walked them again (measured: about 2 s of a 30 s Bible alignment, a
    third of the time of reading or building a CC-CEDICT table)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
