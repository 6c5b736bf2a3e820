"""The boundary check: one sentence moves to the neighbouring bead where joined text says so."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.align.boundary import moves, refine

MOVES = [
    # beads a, b; most a side; expected (left, right) pairs
    ((0, 1, 0, 1), (1, 2, 1, 3), 4, [((0, 1, 0, 2), (1, 2, 2, 3))]),
    ((0, 2, 0, 1), (2, 3, 1, 2), 4, [((0, 1, 0, 1), (1, 3, 1, 2))]),
    ((0, 1, 0, 2), (1, 2, 2, 3), 2, [((0, 1, 0, 1), (1, 2, 1, 3))]),
    ((0, 1, 0, 2), (1, 2, 2, 4), 2, []),  # a 1-3 bead exceeds 2 a side
    ((0, 1, 0, 0), (1, 2, 0, 2), 4, []),  # an omission has no boundary to move
]


@pytest.mark.parametrize(("a", "b", "most", "expected"), MOVES)
def test_moves(a, b, most, expected) -> None:
    assert moves(a, b, most) == expected


UNIT = {  # joined text → vector: tgt[1] belongs with src[0]
    "S0": (1.0, 0.0),
    "S1": (0.0, 1.0),
    "T0 T1": (1.0, 0.0),
    "T2": (0.0, 1.0),
    "T0": (0.8, 0.6),
    "T1 T2": (0.6, 0.8),
}


def _texts(prefix: str):
    return lambda start, end: " ".join(f"{prefix}{k}" for k in range(start, end))


def _encode(texts: list[str]) -> np.ndarray:
    return np.array([UNIT.get(t, (0.0, 0.0)) for t in texts])


PATH = [(0, 1, 0, 1), (1, 2, 1, 3)]


def test_sentence_moves_where_joined_text_fits() -> None:
    flat = lambda i, a, b, j: 1.0  # noqa: E731 - the search saw a tie
    got = refine(PATH, flat, (_texts("S"), _texts("T")), _encode, most=4, tie=1.0, gain=0.01)
    assert got == [(0, 1, 0, 2), (1, 2, 2, 3)]


def test_clear_choice_of_the_search_is_kept() -> None:
    def clear(i: int, a: int, b: int, j: int) -> float:
        return 5.0 if (i, a, b, j) in {(1, 1, 1, 1), (2, 1, 2, 3)} else 0.0

    got = refine(PATH, clear, (_texts("S"), _texts("T")), _encode, most=4, tie=1.0, gain=0.01)
    assert got == PATH


def test_small_gain_is_not_enough() -> None:
    flat = lambda i, a, b, j: 1.0  # noqa: E731
    got = refine(PATH, flat, (_texts("S"), _texts("T")), _encode, most=4, tie=1.0, gain=0.5)
    assert got == PATH


def test_off_band_beads_are_left_alone() -> None:
    off = lambda i, a, b, j: None  # noqa: E731
    got = refine(PATH, off, (_texts("S"), _texts("T")), _encode, most=4, tie=1.0, gain=0.01)
    assert got == PATH
