"""Length agreement: a translation's length is roughly proportional to its source's."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_SMOOTH = 10.0  # characters added to both sides so that short sentences are not over-penalised


def char_lengths(sentences: Sequence[str]) -> np.ndarray:
    """Return each sentence's length in non-space characters, as floats (shape (n,))."""
    return np.array([len("".join(s.split())) for s in sentences], dtype=np.float64)


def length_ratio(src_len: np.ndarray, tgt_len: np.ndarray) -> float:
    """Return the whole texts' target/source character ratio (1.0 when either side is empty): the
    first guess, before sure links give `linked_ratio`."""
    total_src, total_tgt = float(src_len.sum()), float(tgt_len.sum())
    if total_src <= 0 or total_tgt <= 0:
        return 1.0
    return total_tgt / total_src


def linked_ratio(src_len: np.ndarray, tgt_len: np.ndarray, ratio: float) -> float:
    """Return the target/source ratio at which sure links' median `log_ratio` is 0, starting from
    `ratio`: the ratio of what is translated, which a passage one side leaves out does not skew
    as it skews the whole texts' (`length_ratio`). The smoothing moves the median, so a few steps."""
    for _ in range(4):
        ratio *= float(np.exp(np.median(log_ratio(src_len, tgt_len, ratio))))
    return ratio


def log_ratio(src_len: np.ndarray, tgt_len: np.ndarray, ratio: float) -> np.ndarray:
    """Return log of target length over expected target length (0 means the expected length)."""
    return np.log((tgt_len + _SMOOTH * ratio) / (ratio * (src_len + _SMOOTH)))
