"""Where derived data (embeddings, dictionary tables) persists between runs."""

from __future__ import annotations

import gc
import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aligner.corpus.store import write_atomic


def cache_dir() -> Path:
    """`$ALIGNER_CACHE`, else `~/.cache/aligner`."""
    env = os.environ.get("ALIGNER_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "aligner"


def cached_json(name: str, build: Callable[[], Any]) -> Any:
    """The JSON table `name` from the cache folder, else `build()` written there (seconds saved).

    A cache that cannot be written only warns: the table is built again next time, slower but right.
    """
    path = cache_dir() / name
    with collector_paused():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = build()
    try:
        write_atomic(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    except OSError as err:
        logging.getLogger(__name__).warning("table %s not cached: %s", path, err)
    return data


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
