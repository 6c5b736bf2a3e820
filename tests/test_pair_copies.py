"""Pairing with near copies on one side (a chapter told twice, a page and its update) and the
partner of one of them missing: the partner that is there goes to the copy whose sentence
lengths fit it, not to the copy whose words happen to score a little higher."""

from __future__ import annotations

from collections import Counter

import numpy as np
from scipy.sparse import csr_matrix

from aligner.pairing.assign import NEAR_COPY, assign, structure
from aligner.pairing.features import PARTS, Features


def side(rows: list[list[float]], sentence_lengths: list[list[float]]) -> Features:
    """Features of documents given by their lexical rows (normalised here) and sentence lengths."""
    lexical = np.array(rows, np.float64)
    lexical /= np.linalg.norm(lexical, axis=1, keepdims=True)
    matrix = csr_matrix(lexical)
    return Features(
        vectors=np.zeros((len(rows), 1)),
        lexical=matrix,
        parts=(matrix,) * PARTS,
        numbers=[Counter() for _ in rows],
        names=[frozenset() for _ in rows],
        lengths=np.array([sum(s) for s in sentence_lengths], np.float64),
        sentence_lengths=[np.array(s, np.float64) for s in sentence_lengths],
        dates=["" for _ in rows],
    )


# Terms: two the copies share, one only the first copy has, one only the second, two of an
# unrelated document. B's first document translates the second copy, but also shares a word
# with the first copy (as Psalm 53's Chinese shares "shamed" with the English Psalm 14).
COPY_1 = [1.0, 1.0, 0.5, 0.0, 0.0, 0.0]
COPY_2 = [1.0, 1.0, 0.0, 0.3, 0.0, 0.0]
OTHER = [0.0, 0.0, 0.0, 0.0, 1.0, 1.0]
TRANSLATION_OF_COPY_2 = [1.0, 1.0, 0.4, 0.3, 0.0, 0.0]
TRANSLATION_OF_OTHER = [0.0, 0.0, 0.0, 0.0, 1.0, 0.9]
EVEN, UNEVEN = [47.0, 47.0, 46.0], [40.0, 80.0, 20.0]  # 140 characters each


def test_the_copy_whose_sentences_fit_gets_the_partner() -> None:
    fa = side([COPY_1, COPY_2, OTHER], [EVEN, UNEVEN, EVEN])
    fb = side([TRANSLATION_OF_COPY_2, TRANSLATION_OF_OTHER], [UNEVEN, EVEN])
    assert float(fa.lexical[0].multiply(fa.lexical[1]).sum()) >= NEAR_COPY
    words = (fa.lexical @ fb.lexical.T).toarray()
    assert words[0, 0] > words[1, 0]  # by words alone the first copy would win
    assert structure(fa.sentence_lengths[1], fb.sentence_lengths[0], 0.0) == 0.0
    result = assign(fa, fb)
    assert sorted((i, j) for i, j, _, _ in result.pairs) == [(1, 0), (2, 1)]
    assert result.unpaired_a == [0] and result.unpaired_b == []


def test_a_document_that_is_no_copy_does_not_take_the_partner() -> None:
    unlike = [1.0, 0.0, 0.0, 0.0, 0.0, 1.0]  # shares one term with the translation, too few to be a copy
    fa = side([TRANSLATION_OF_COPY_2, unlike, OTHER], [EVEN, UNEVEN, EVEN])
    fb = side([TRANSLATION_OF_COPY_2, TRANSLATION_OF_OTHER], [UNEVEN, EVEN])
    assert float(fa.lexical[0].multiply(fa.lexical[1]).sum()) < NEAR_COPY
    result = assign(fa, fb)
    assert sorted((i, j) for i, j, _, _ in result.pairs) == [(0, 0), (2, 1)]
    assert result.unpaired_a == [1]


def test_structure_prefers_the_same_sentence_lengths_in_order() -> None:
    lengths = np.array(UNEVEN)
    assert structure(lengths, lengths, 0.0) == 0.0
    assert structure(lengths, lengths[::-1].copy(), 0.0) > structure(lengths, lengths, 0.0)
    doubled = np.array([20.0, 20.0, 40.0, 40.0, 10.0, 10.0])  # each sentence split in two, as Chinese often is
    assert structure(lengths, doubled, 0.0) < structure(lengths, doubled[::-1].copy(), 0.0)
    assert structure(2 * lengths, lengths, float(np.log(2))) == 0.0  # after the corpus's length ratio
