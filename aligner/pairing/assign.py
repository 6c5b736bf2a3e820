"""Which document of side A translates which of side B: candidates, scores, one assignment.

1. Similarity: the lexical cosine plus `VECTOR` times the encoder vectors' cosine. Candidates:
   each document's `K` most similar on the other side, both ways (block by block: memory stays
   at `_BLOCK` rows of the similarity matrix, so thousands a side fit).
2. Score of a candidate pair: the similarity minus the mean of each side's `K` best (a margin,
   so a document close to everything, a hub, does not win everything), plus agreement of
   numbers and names, minus a length mismatch after the corpus's own length ratio, plus or
   minus dates.
3. One minimum-cost full matching over candidate edges (scipy's sparse LAPJV), where every document may instead stay
   unpaired at a fixed cost: a pair is made only when it beats leaving both out (`THRESHOLD`).
4. Near copies (`NEAR_COPY`: a chapter told twice, a page and its update) score almost alike
   against either's partner, so when one copy's partner is missing the other partner goes to
   either. Where the matching leaves a near copy of a paired document unpaired and it is a
   candidate of that partner, the two are weighed again with the fit of their sentence lengths
   in order (`structure`), the signal that tells copies apart.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from aligner.pairing.features import Features

K = 16  # candidates per document, each way
VECTOR = 0.5  # weight of the encoder vectors' cosine beside the lexical cosine
ORDER = 0.5  # weight of the parts' cosine in order (`order`)
THRESHOLD = 0.0  # a pair's score must exceed this to beat leaving both documents unpaired
NUMBERS = 0.05  # weight of number agreement (Dice of the multisets) where both have numbers
NAMES = 0.10  # weight of name agreement (Dice) where both have names
LENGTH = 0.1  # weight of |log length ratio| beyond the corpus's typical ratio
EVIDENCE = 0.25  # number or name overlap (Dice) above this counts for a pair, below against
DATE = 0.05  # bonus when both dates agree, penalty when both are given and differ
NEAR_COPY = 0.5  # same-side lexical cosine from which two documents are near copies of each other
STRUCTURE = 1.0  # weight of the sentence-length misfit (`structure`) when near copies compete
_BEADS = ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 0), (0, 1))  # sentences of A, of B
_BLOCK = 2048


@dataclass(frozen=True)
class Pairing:
    """Pairs as (row in A, row in B, score, confidence), and the rows left unpaired."""

    pairs: list[tuple[int, int, float, float]]
    unpaired_a: list[int]
    unpaired_b: list[int]


def candidates(fa: Features, fb: Features, k: int = K) -> tuple[dict[tuple[int, int], float], np.ndarray, np.ndarray]:
    """Candidate pairs with their similarity, and each side's mean similarity of its k nearest.

    B's nearest are taken block by block (k per block of A), a superset of its k nearest overall.
    """
    a, b = fa.vectors, fb.vectors
    k_a, k_b = min(k, len(b)), min(k, len(a))
    found: dict[tuple[int, int], float] = {}
    hub_a = np.empty(len(a))
    best_b = np.full((len(b), k_b), -np.inf)
    for start in range(0, len(a), _BLOCK):
        lexical = (fa.lexical[start : start + _BLOCK] @ fb.lexical.T).toarray()
        sims = lexical + VECTOR * (a[start : start + _BLOCK] @ b.T)  # (block, len(b))
        near_a = np.argpartition(-sims, k_a - 1, axis=1)[:, :k_a]
        hub_a[start : start + len(sims)] = np.take_along_axis(sims, near_a, axis=1).mean(axis=1)
        kb = min(k_b, len(sims))
        near_b = np.argpartition(-sims.T, kb - 1, axis=1)[:, :kb]  # (len(b), kb) rows of this block
        for rows, cols in ((np.arange(len(sims))[:, None].repeat(k_a, 1), near_a), (near_b, np.arange(len(b))[:, None].repeat(kb, 1))):
            for row, col in zip(rows.ravel(), cols.ravel(), strict=True):
                found[(start + int(row), int(col))] = float(sims[row, col])
        merged = np.concatenate([best_b, np.take_along_axis(sims.T, near_b, axis=1)], axis=1)
        best_b = -np.sort(-merged, axis=1)[:, :k_b]
    return found, hub_a, best_b.mean(axis=1)


def _dice(x: Counter[float] | frozenset[str], y: Counter[float] | frozenset[str]) -> float | None:
    """Overlap of two multisets or sets in [0, 1], None when either is empty (no evidence)."""
    if not x or not y:
        return None
    if isinstance(x, Counter) and isinstance(y, Counter):
        return 2 * sum((x & y).values()) / (sum(x.values()) + sum(y.values()))
    return 2 * len(set(x) & set(y)) / (len(x) + len(y))


def order(fa: Features, fb: Features, pairs: list[tuple[int, int]]) -> np.ndarray:
    """For each pair, the mean lexical cosine of the two texts' parts taken in order."""
    rows, cols = [i for i, _ in pairs], [j for _, j in pairs]
    total = np.zeros(len(pairs))
    for part_a, part_b in zip(fa.parts, fb.parts, strict=True):
        total += np.asarray(part_a[rows].multiply(part_b[cols]).sum(axis=1)).ravel()
    return total / max(1, len(fa.parts))


def score(
    i: int, j: int, similarity: float, in_order: float, fa: Features, fb: Features,
    hubs: tuple[np.ndarray, np.ndarray], ratio: float,
) -> float:  # fmt: skip
    """The value of pairing A's document i with B's document j (higher is better)."""
    value = similarity - (hubs[0][i] + hubs[1][j]) / 2 + ORDER * in_order
    if (numbers := _dice(fa.numbers[i], fb.numbers[j])) is not None:
        value += NUMBERS * (numbers - EVIDENCE)
    if (names := _dice(fa.names[i], fb.names[j])) is not None:
        value += NAMES * (names - EVIDENCE)
    if fa.lengths[i] and fb.lengths[j]:
        value -= LENGTH * abs(math.log(fa.lengths[i] / fb.lengths[j]) - ratio)
    if fa.dates[i] and fb.dates[j]:
        value += DATE if fa.dates[i] == fb.dates[j] else -DATE
    return value


def assign(fa: Features, fb: Features) -> Pairing:
    """The pairing of A's documents with B's that maximises the summed scores (see the module)."""
    found, hub_a, hub_b = candidates(fa, fb)
    both = (fa.lengths > 0).any() and (fb.lengths > 0).any()
    ratio = float(np.log(np.median(fa.lengths[fa.lengths > 0]) / np.median(fb.lengths[fb.lengths > 0]))) if both else 0.0
    keys = list(found)
    scores = {
        (i, j): score(i, j, found[(i, j)], in_order, fa, fb, (hub_a, hub_b), ratio)
        for (i, j), in_order in zip(keys, order(fa, fb, keys), strict=True)
    }
    chosen = near_copies(scores, _match(scores, len(fa.lengths), len(fb.lengths)), fa, fb, ratio)
    best_a: dict[int, list[float]] = {}
    best_b: dict[int, list[float]] = {}
    for (i, j), value in scores.items():
        best_a.setdefault(i, []).append(value)
        best_b.setdefault(j, []).append(value)
    pairs = []
    for i, j in sorted(chosen):
        value = scores[(i, j)]
        rivals = sorted(best_a[i], reverse=True)[1:2] + sorted(best_b[j], reverse=True)[1:2] + [THRESHOLD]
        pairs.append((i, j, value, _confidence(value - max(rivals))))
    paired_a, paired_b = {i for i, _ in chosen}, {j for _, j in chosen}
    return Pairing(
        pairs,
        [i for i in range(len(fa.lengths)) if i not in paired_a],
        [j for j in range(len(fb.lengths)) if j not in paired_b],
    )


def structure(a: np.ndarray, b: np.ndarray, ratio: float) -> float:
    """How badly two texts' sentence lengths, in reading order, fit as a translation: the cheapest
    monotone sequence of beads (Gale–Church-like; A's lengths divided by the corpus ratio), each
    bead costing its length mismatch plus 1 unless it is one sentence to one, per sentence.

    Row by row: the beads that take a sentence of A come from earlier rows at once; runs of
    sentences of B alone are one running minimum (a row of 0-1 beads costs their sum)."""
    ends_a = np.concatenate([[0.0], np.cumsum(a / math.exp(ratio))])
    ends_b = np.concatenate([[0.0], np.cumsum(b)])
    n, m = len(a), len(b)
    cost = np.full((n + 1, m + 1), np.inf)
    cost[0, 0] = 0.0
    inserts = np.concatenate([[0.0], np.cumsum(b / np.sqrt(b + 1) + 1)])
    for i in range(n + 1):
        row = cost[i]
        for da, db in _BEADS:
            if 0 < da <= i:
                x, y = ends_a[i] - ends_a[i - da], ends_b[db:] - ends_b[: m + 1 - db]
                step = np.abs(x - y) / np.sqrt(x + y + 1) + ((da, db) != (1, 1))
                np.minimum(row[db:], cost[i - da, : m + 1 - db] + step, out=row[db:])
        row[:] = inserts + np.minimum.accumulate(row - inserts)
    return float(cost[n, m]) / max(1, n + m)


def near_copies(
    scores: dict[tuple[int, int], float], chosen: set[tuple[int, int]], fa: Features, fb: Features, ratio: float,
) -> set[tuple[int, int]]:  # fmt: skip
    """The pairs, with a partner handed to an unpaired near copy of its document when the copy's
    score plus the fit of sentence lengths (`structure`) beats the document's (step 4 above)."""
    of_a, of_b = dict(chosen), {j: i for i, j in chosen}

    def value(i: int, j: int) -> float:
        return scores[(i, j)] - STRUCTURE * structure(fa.sentence_lengths[i], fb.sentence_lengths[j], ratio)

    for x, y in sorted(scores):
        if x not in of_a and y in of_b and _copies(fa, of_b[y], x):
            old = (of_b[y], y)
        elif y not in of_b and x in of_a and _copies(fb, of_a[x], y):
            old = (x, of_a[x])
        else:
            continue
        if value(x, y) > value(*old):
            del of_a[old[0]], of_b[old[1]]
            of_a[x], of_b[y] = y, x
    return set(of_a.items())


def _copies(side: Features, i: int, k: int) -> bool:
    """Whether two documents of one side are near copies (their lexical cosine, `NEAR_COPY`)."""
    return float(side.lexical[i].multiply(side.lexical[k]).sum()) >= NEAR_COPY


def _confidence(margin: float) -> float:
    """How sure a pair is, from how far its score beats the best rival of either document."""
    return round(1 / (1 + math.exp(-margin / 0.02)), 3)


def _match(scores: dict[tuple[int, int], float], n: int, m: int) -> set[tuple[int, int]]:
    """The pairs of a minimum-cost full matching in which each document may instead stay
    unpaired at cost -THRESHOLD/2 (rows: A, then stand-ins for B; columns: B, then for A)."""
    rows: list[int] = [*range(n), *(n + j for j in range(m))]
    cols: list[int] = [*(m + i for i in range(n)), *range(m)]
    values: list[float] = [-THRESHOLD / 2] * (n + m)
    for (i, j), value in scores.items():
        rows += [i, n + j]  # the pair, and its stand-ins matched to each other at no cost
        cols += [j, m + i]
        values += [-value, 0.0]
    shift = 1.0 - min(values)  # strictly positive weights: a stored zero would be no edge
    graph = coo_matrix((np.array(values) + shift, (rows, cols)), shape=(n + m, m + n)).tocsr()
    matched = min_weight_full_bipartite_matching(graph)[1]
    return {(i, int(matched[i])) for i in range(n) if matched[i] < m}
