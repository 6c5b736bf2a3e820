"""Word vectors for the first pass: how sentences are cut into words and how words are weighed."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.align import wordvec

UNITS = [
    ("The Committee met in Geneva.", ["the", "committee", "met", "in", "geneva"]),
    ("委员会在日内瓦举行会议。", ["委员会", "在", "日内瓦", "举行", "会议"]),
    ("It cost 2,000 francs.", ["it", "cost", "francs"]),  # numbers are anchors, not words
    ("联合国UNESCO开会", ["联合国", "unesco", "开会"]),
    ("Müller's CAFÉ: naïve", ["müller", "s", "café", "naïve"]),
    ("", []),
]


@pytest.mark.parametrize("text", ["snake_case x2y O'Brien", "ALL-CAPS\tand\nlines 3rd", "  ", "a_b__c 1_000"])
def test_ascii_text_gives_the_words_of_the_general_rule(text: str) -> None:
    """Plain ASCII takes a faster path: it must cut exactly as the Unicode rule does."""
    assert wordvec.units(text) == [run.lower() for run in wordvec._UNIT.findall(text)]


@pytest.mark.parametrize(("text", "expected"), UNITS)
def test_units(text: str, expected: list[str]) -> None:
    assert wordvec.units(text) == expected


def test_rare_words_weigh_more() -> None:
    weights = wordvec.idf([["the", "ark"], ["the", "flood"], ["the"]])
    assert weights["ark"] > weights["the"] > 0


def fake_encode(texts: list[str]) -> np.ndarray:
    """One axis per word plus a shared part, as e5's vectors all share a large common direction."""
    vocabulary = ["ark", "flood", "the", "方舟", "洪水"]
    axis = {"方舟": "ark", "洪水": "flood"}
    out = np.full((len(texts), len(vocabulary)), 3.0)
    for row, text in enumerate(texts):
        out[row, vocabulary.index(axis.get(text, text))] += 1.0
    return out


def test_shared_part_is_taken_out() -> None:
    """With the common part left in, every pair would look alike; without it, only translations."""
    en = wordvec.sentence_vectors([["the", "ark"], ["the", "flood"]], fake_encode, 5)
    zh = wordvec.sentence_vectors([["方舟"], ["洪水"]], fake_encode, 5)
    similar = en @ zh.T
    assert similar[0, 0] > 0.5 > similar[0, 1]
    assert similar[1, 1] > 0.5 > similar[1, 0]
    assert np.allclose(np.linalg.norm(en, axis=1), 1.0)


def test_sentence_without_words_is_zero() -> None:
    vecs = wordvec.sentence_vectors([["ark"], [], ["flood"]], fake_encode, 5)
    assert not vecs[1].any() and vecs[0].any() and vecs[2].any()


def test_no_words_at_all_encodes_nothing() -> None:
    def fail(texts: list[str]) -> np.ndarray:
        raise AssertionError("nothing to encode")

    assert wordvec.sentence_vectors([[], []], fail, 7).shape == (2, 7)
    assert not wordvec.sentence_vectors([[], []], fail, 7).any()
