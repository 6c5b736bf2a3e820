"""The boundary check: one sentence moves to the neighbouring bead where joined text says so."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.align.boundary import margins, moves, refine, values
from aligner.align.search import spans

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
    pairs, ok = moves(spans([a, b]), most)
    assert [(tuple(left), tuple(right)) for left, right in pairs[0][ok[0]].tolist()] == expected


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
    flat = lambda beads: np.ones(len(beads))  # noqa: E731 - the search saw a tie
    got = refine(PATH, flat, (_texts("S"), _texts("T")), _encode, most=4, tie=1.0, gain=0.01)
    assert got == [(0, 1, 0, 2), (1, 2, 2, 3)]


def test_clear_choice_of_the_search_is_kept() -> None:
    clear = _table({(1, 1, 1, 1): 5.0, (2, 1, 2, 3): 5.0}, default=0.0)

    got = refine(PATH, clear, (_texts("S"), _texts("T")), _encode, most=4, tie=1.0, gain=0.01)
    assert got == PATH


def test_small_gain_is_not_enough() -> None:
    flat = lambda beads: np.ones(len(beads))  # noqa: E731
    got = refine(PATH, flat, (_texts("S"), _texts("T")), _encode, most=4, tie=1.0, gain=0.5)
    assert got == PATH


def test_off_band_beads_are_left_alone() -> None:
    off = lambda beads: np.full(len(beads), np.nan)  # noqa: E731
    got = refine(PATH, off, (_texts("S"), _texts("T")), _encode, most=4, tie=1.0, gain=0.01)
    assert got == PATH


def _table(links: dict[tuple[int, int, int, int], float], default: float = np.nan):
    """A similarity function from a table of (i, a, b, j) → similarity, off the band elsewhere."""
    return lambda beads: np.array([links.get((i1, i1 - i0, j1 - j0, j1), default) for i0, i1, j0, j1 in beads.tolist()])


def test_value_counts_links_above_threshold_and_charges_omissions() -> None:
    similarity = _table({(1, 1, 1, 1): 2.0, (3, 2, 1, 2): 1.5})
    beads = [(0, 1, 0, 1), (1, 3, 1, 2), (3, 4, 2, 2)]  # a 1-1, a 2-1 and a left-out sentence
    got = values(similarity, spans(beads), omission=0.3, threshold=0.5)
    assert got.tolist() == pytest.approx([2.0 - 0.5, 1.5 - 0.5, -0.3])
    assert np.isnan(values(similarity, spans([(0, 2, 0, 1)]))).all()  # off the band: unknown


# Bead 1 links src[2] and tgt[1], after a 2-1 bead and before the left-out tgt[2].
MIDDLE = [(0, 2, 0, 1), (2, 3, 1, 2), (3, 3, 2, 3), (3, 4, 3, 4)]


def test_margin_is_the_value_lost_by_the_best_local_change() -> None:
    similarity = _table({
        (2, 2, 1, 1): 2.0, (3, 1, 1, 2): 1.0,  # the 2-1 bead and bead 1
        (1, 1, 1, 1): 1.2, (3, 2, 1, 2): 0.6,  # src[1] moved into bead 1
        (3, 1, 2, 3): 0.5,  # tgt[2] absorbed into bead 1
    })  # fmt: skip
    got = margins(spans(MIDDLE), similarity, 4, omission=0.3, threshold=0.0)
    # the move loses 3.0 - 1.8 = 1.2, absorbing the omission loses 0.7 - 0.5 = 0.2
    assert got[1] == pytest.approx(0.2)
    assert got[0] == pytest.approx(1.2)  # only one boundary


def test_margin_ignores_changes_off_the_band_and_beyond_the_largest_bead() -> None:
    similarity = _table({(2, 2, 1, 1): 2.0, (3, 1, 1, 2): 1.0})
    assert margins(spans(MIDDLE), similarity, 4, omission=0.3, threshold=0.0)[1] == float("inf")  # no change is on the band
    wide = [(0, 1, 0, 4), (1, 2, 4, 5)]  # tgt[4] moved left would make a 1-5 bead: not a change
    sim = _table({(1, 1, 4, 4): 2.0, (2, 1, 1, 5): 1.0, (1, 1, 3, 3): 0.5, (2, 1, 2, 5): 0.1})
    assert margins(spans(wide), sim, 4, omission=0.0, threshold=0.0)[1] == pytest.approx(3.0 - 0.6)


def test_margins_of_chosen_beads_only_look_up_their_own_boundaries() -> None:
    """The first pass wants the margins of its 1-1 links alone: changes elsewhere may need bead
    shapes it never scored, so they are not looked up."""
    table = _table({
        (2, 2, 1, 1): 2.0, (3, 1, 1, 2): 1.0, (1, 1, 1, 1): 1.2, (3, 2, 1, 2): 0.6,
        (3, 1, 2, 3): 0.5, (4, 1, 1, 4): 0.9,
    })  # fmt: skip
    asked: list[tuple[int, ...]] = []

    def recording(beads: np.ndarray) -> np.ndarray:
        asked.extend(map(tuple, beads.tolist()))
        return table(beads)

    only = np.array([False, True, False, False])
    got = margins(spans(MIDDLE), recording, 4, omission=0.3, threshold=0.0, only=only)
    assert got.tolist() == pytest.approx([0.0, 0.2, 0.0, 0.0])
    assert (3, 4, 2, 4) not in asked  # the omission and the last link: no wanted bead there
    assert (2, 3, 1, 3) in asked  # bead 1 absorbing the omission after it
