"""Sentences without words: left out of the search, given back as omissions or inside a bead."""

from __future__ import annotations

from pathlib import Path

from aligner.align import fragments
from aligner.align.bead import Bead
from aligner.align.engine import align


def test_restore_maps_beads_back_and_places_the_left_out_in_order() -> None:
    # sources 0 1 2 3 4, of which 1 and 4 are left out; targets 0 1 2, of which 0 is left out
    beads = [Bead((0,), (0,), 0.9), Bead((1, 2), (1,), 0.8)]  # over kept sources 0 2 3, targets 1 2
    restored = fragments.restore(beads, [0, 2, 3], [1, 2], 5, 3)
    assert [(b.src, b.tgt, b.confidence) for b in restored] == [
        ((), (0,), fragments.CONFIDENCE),  # before the first link's target
        ((0,), (1,), 0.9),
        ((1,), (), fragments.CONFIDENCE),
        ((2, 3), (2,), 0.8),
        ((4,), (), fragments.CONFIDENCE),
    ]


def test_restore_puts_a_left_out_sentence_inside_the_bead_that_spans_it() -> None:
    restored = fragments.restore([Bead((0, 1), (0,), 0.7)], [0, 2], [0], 3, 1)
    assert [(b.src, b.tgt) for b in restored] == [((0, 1, 2), (0,))]


def test_restore_of_everything_left_out_is_omissions() -> None:
    restored = fragments.restore([], [], [], 2, 1)
    assert [(b.src, b.tgt) for b in restored] == [((0,), ()), ((1,), ()), ((), (0,))]


def test_ocr_debris_between_translations_is_an_omission_not_part_of_a_link(tmp_path: Path) -> None:
    de = ["Wir steigen früh am Morgen zur Hütte auf.", "V", "Am Abend erreichen wir den Gipfel.", ".-^ !"]
    fr = ["Nous montons tôt le matin à la cabane.", "Le soir, nous atteignons le sommet.", "» ."]
    beads = align(de, fr, "de", "fr", cache_dir=tmp_path)
    assert [(b.src, b.tgt) for b in beads] == [
        ((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), ()), ((), (2,))
    ]
    assert all(b.confidence == fragments.CONFIDENCE for b in beads if not (b.src and b.tgt))
