"""Where derived data (embeddings, dictionary tables) persists between runs."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """`$ALIGNER_CACHE`, else `~/.cache/aligner`."""
    env = os.environ.get("ALIGNER_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "aligner"
