"""The unit of a sentence alignment: which source and target sentences translate each other."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bead:
    """Source and target sentence indices (0-based, consecutive) linked, with a confidence in [0, 1].

    An omission has one empty side; its confidence is how sure the engine is that the sentence
    has no counterpart.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    confidence: float = 1.0
