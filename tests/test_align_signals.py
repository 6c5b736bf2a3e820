"""Cheap signals: number normalisation, dictionary overlap, length, script conversion, search."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csr_array

from aligner.align import anchors, length, lexicon, search, signals
from aligner.ingest.langs import convert

NUMBERS = [
    ("二〇一三年三月十二日", {2013: 1, 3: 1, 12: 1}),
    ("12 March 2013", {12: 1, 3: 1, 2013: 1}),
    ("第2094号", {2094: 1}),
    ("三百五十人", {350: 1}),
    ("一百零五", {105: 1}),
    ("两万", {20000: 1}),
    ("一些人一直在", {}),
    ("1,000 people and 3.5 tons", {1000: 1, 3.5: 1}),
    ("１２３", {123: 1}),
    ("twelve tribes", {12: 1}),
    ("Two, two and TWO; twenty_two", {2: 3}),  # a number word is a whole word, any case
    ("Zwölf Stämme, zwei Täler", {12: 1, 2: 1}),  # not ASCII: the Unicode word rule
]


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_numbers(text: str, expected: dict[float, int]) -> None:
    assert dict(anchors.numbers(text)) == expected


def test_dictionary_overlap() -> None:
    english = lexicon.english_words("The committee approved the budget.")
    assert english == {"committee", "approv", "budget"} or "budget" in english
    found, other, empty = lexicon.translations(["委员会批准了预算。", "今天天气很好。", ""])
    assert english & found == {"committee", "budget"}
    assert not english & other and not empty
    assert lexicon.translations(["委员会批准了预算。"], english) == [english & found]


def test_translation_matrix_is_the_same_in_either_product_order() -> None:
    """A short text and a long one take the product in different orders; the rows agree."""
    sentences = ["委员会批准了预算。", "今天天气很好。", "他们在北京签署了贸易协定。"]
    vocabulary = sorted({"committee", "budget", "weather", "today", "trade", "agreement", "sign"})
    short = lexicon.translation_matrix(sentences, vocabulary)
    copies = lexicon._index().stems.shape[0] // 5 + 1  # more headword occurrences than headwords
    long = lexicon.translation_matrix(sentences * copies, vocabulary)
    assert lexicon._words_of(sentences).nnz < lexicon._index().stems.shape[0] <= lexicon._words_of(sentences * copies).nnz
    assert short.nnz > 0 and (long != csr_array(np.vstack([short.toarray()] * copies))).nnz == 0


def test_cedict_entries_split_senses_and_glosses() -> None:
    """The direct reader gives each entry's two scripts and every gloss, "/" and ";" both separating."""
    entries = {simplified: (traditional, glosses) for traditional, simplified, glosses in lexicon.entries()}
    assert len(entries) > 100_000
    traditional, glosses = entries["预算"]
    assert traditional == "預算" and "budget" in glosses
    assert all("/" not in g and ";" not in g for _, gs in list(entries.values())[:5000] for g in gs)
    assert {"budget"} <= set(lexicon.gloss_table()["預算"])
    # 书: book/letter/document/CL:本[ben3],冊|册[ce4],部[bu4]/to write: the measure-word gloss is
    # noise, cut at its own end (the glosses are cleaned as one text, a gloss a line)
    assert entries["书"][1][-1] == "to write"
    assert set(lexicon.gloss_table()["书"]) == {"book", "letter", "document", "write"}


def _table_entry_by_entry() -> dict[str, set[str]]:
    """CC-CEDICT's headword → stems table the plain way, an entry at a time: the reference the
    index's array-built table must equal."""
    rows = [row for row in lexicon._rows() if min(len(row[0]), len(row[1])) <= lexicon.MAX_WORD]
    table: dict[str, set[str]] = {}
    for traditional, simplified, senses in rows:
        text = lexicon._NOISE.sub("", senses.replace("/", "\n").replace(";", "\n"))
        stems = lexicon.english_words(text)
        for head in {simplified, traditional}:
            if stems and len(head) <= lexicon.MAX_WORD:
                table.setdefault(head, set()).update(stems)
    return {head: stems for head, stems in table.items() if len(stems) <= lexicon._MAX_SENSES}


@pytest.fixture
def fresh_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """CC-CEDICT's index built by this code in an empty cache folder, not read from an old one."""
    cached = (lexicon._index, lexicon._heads, lexicon.headwords, lexicon.gloss_table)
    for function in cached:
        function.cache_clear()
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path))
    yield
    for function in cached:
        function.cache_clear()


@pytest.mark.usefixtures("fresh_index")
def test_table_decoded_from_the_index_is_the_one_built_entry_by_entry(tmp_path: Path) -> None:
    """Only the numeric index is cached: the headwords and the gloss table read back from it are
    CC-CEDICT's table, every headword with its stems, none garbled (the stems are a set: their
    order follows string hashing, which differs between processes)."""
    built = _table_entry_by_entry()
    decoded = lexicon.gloss_table()
    assert decoded.keys() == built.keys()
    assert all(set(decoded[head]) == stems and len(decoded[head]) == len(stems) for head, stems in built.items())
    heads = lexicon.headwords()
    assert heads == frozenset(built)
    assert {"预算", "預算", "委员会", "书"} <= heads and all(1 <= len(h) <= lexicon.MAX_WORD for h in heads)
    assert list(tmp_path.glob("cedict-*-index-*.npz"))  # built here, by this code


def test_length_ratio() -> None:
    src, tgt = length.char_lengths(["abcd efgh", ""]), length.char_lengths(["abcd", "ab"])
    assert list(src) == [8.0, 0.0]
    assert length.length_ratio(src, tgt) == pytest.approx(6 / 8)
    assert length.log_ratio(np.array([10.0]), np.array([20.0]), 2.0)[0] == pytest.approx(0.0)


def test_traditional_to_simplified() -> None:
    assert convert("關於人類的思想", "t2s") == "关于人类的思想"


def test_band_projection_is_monotone_and_connects_the_ends() -> None:
    band = search.band_around([(0, 1, 0, 1), (1, 2, 1, 3), (2, 3, 3, 3)], 2, 6, 6, 1)
    assert band.lo[0] == 0 and band.lo[-1] + band.width > 6
    assert (np.diff(band.lo) >= 0).all()


def test_search_finds_one_to_two_and_omissions() -> None:
    sim = np.full((4, 4), -1.0)
    for x, y in [(0, 0), (1, 1), (1, 2), (3, 3)]:
        sim[x, y] = 1.0

    def values(a: int, b: int) -> np.ndarray:
        grid = np.full((5, 5), -0.1)  # full band: cell (i, k) ends at target k
        if a and b:
            for i in range(a, 5):
                for j in range(b, 5):
                    c = sim[i - a : i, j - b : j]
                    grid[i, j] = c[c > 0].sum() - (c < 0).sum() - 0.5 * (a + b - 2)
        return grid

    path = search.best_path(4, 4, search.full_band(4, 4), search.shapes_up_to(2), values)
    assert path == [(0, 1, 0, 1), (1, 2, 1, 3), (2, 3, 3, 3), (3, 4, 3, 4)]


def _reference_best(
    n: int, m: int, band: search.Band, shapes: Sequence[search.BeadShape], values: search.ValueFn
) -> float:
    """Best path value by plain dynamic programming over the band's cells, one cell at a time."""
    grids = {shape: values(*shape) for shape in shapes}
    best = {(0, 0): 0.0}
    for i in range(n + 1):
        for j in range(int(band.lo[i]), min(int(band.lo[i]) + band.width, m + 1)):
            for a, b in shapes:
                if (i - a, j - b) in best:
                    value = best[(i - a, j - b)] + grids[(a, b)][i, j - band.lo[i]]
                    best[(i, j)] = max(best.get((i, j), -np.inf), value)
    return best[(n, m)]


@pytest.mark.parametrize("seed", range(6))
def test_banded_search_finds_the_best_path_a_plain_search_finds(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(6, 14)), int(rng.integers(6, 14))
    diagonal = [(i, i + 1, i * m // n, (i + 1) * m // n) for i in range(n)]
    band = search.band_around(diagonal, 1, n, m, 2)  # narrow: rows start at different targets
    assert band.width < m + 1
    shapes = search.shapes_up_to(3)
    tables = {shape: rng.normal(size=(n + 1, band.width)) for shape in shapes}
    path = search.best_path(n, m, band, shapes, lambda a, b: tables[(a, b)])
    got = sum(tables[(i1 - i0, j1 - j0)][i1, j1 - band.lo[i1]] for i0, i1, j0, j1 in path)
    assert path[0][0] == path[0][2] == 0 and (path[-1][1], path[-1][3]) == (n, m)
    assert all(p[1] == q[0] and p[3] == q[2] for p, q in zip(path, path[1:], strict=False))
    assert got == pytest.approx(_reference_best(n, m, band, shapes, lambda a, b: tables[(a, b)]))


@pytest.mark.parametrize("seed", range(6))
def test_search_through_fixed_beads_finds_the_best_path_that_keeps_them(seed: int) -> None:
    """Beads the path must go through cut the search into stretches searched side by side; the
    result is the best path of the plain search once every other bead touching their sentences
    is forbidden (and theirs cost nothing)."""
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(8, 16)), int(rng.integers(8, 16))
    diagonal = [(i, i + 1, i * m // n, (i + 1) * m // n) for i in range(n)]
    band = search.band_around(diagonal, 1, n, m, 2)
    shapes = search.shapes_up_to(3)
    tables = {shape: rng.normal(size=(n + 1, band.width)) for shape in shapes}
    candidates = [bead for bead in diagonal if bead[3] > bead[2]]
    picked = sorted(rng.choice(len(candidates), size=3, replace=False).tolist())
    through = [candidates[k] for k in picked]
    if seed % 3 == 1:  # two fixed beads side by side: an empty stretch between them
        through = [bead for bead in candidates if bead[0] in (3, 4)]
    if seed % 3 == 2:  # a fixed bead of two source sentences: a row inside it is searched by no stretch
        i0, j0 = 3, diagonal[3][2]
        through = [(i0, i0 + 2, j0, j0 + 1), *(bead for bead in candidates if bead[0] >= 7)][:2]
        assert all(int(band.lo[i]) <= j < int(band.lo[i]) + band.width for i, j in ((3, j0), (5, j0 + 1)))
    path = search.best_path(n, m, band, shapes, lambda a, b: tables[(a, b)], through)
    assert all(bead in path for bead in through)
    assert path[0][0] == path[0][2] == 0 and (path[-1][1], path[-1][3]) == (n, m)
    assert all(p[1] == q[0] and p[3] == q[2] for p, q in zip(path, path[1:], strict=False))
    got = sum(tables[(i1 - i0, j1 - j0)][i1, j1 - band.lo[i1]] for i0, i1, j0, j1 in path if (i0, i1, j0, j1) not in through)
    constrained = _kept(tables, band, through)
    assert got == pytest.approx(_reference_best(n, m, band, shapes, lambda a, b: constrained[(a, b)]))


def _kept(
    tables: dict[search.BeadShape, np.ndarray], band: search.Band, through: Sequence[search.Span]
) -> dict[search.BeadShape, np.ndarray]:
    """The tables of a plain search that must keep the beads `through`: theirs cost nothing,
    every other bead touching their sentences is forbidden."""
    kept = {}
    for (a, b), table in tables.items():
        grid = table.copy()
        for i in range(len(grid)):
            for k in range(band.width):
                j = int(band.lo[i]) + k
                bead = (i - a, i, j - b, j)
                touches = any(
                    (bead[0] < i1 and i0 < bead[1]) or (bead[2] < j1 and j0 < bead[3]) for i0, i1, j0, j1 in through
                )
                grid[i, k] = 0.0 if bead in through else -np.inf if touches else grid[i, k]
        kept[(a, b)] = grid
    return kept


def _affine_value(path: Sequence[search.Span], tables: dict[search.BeadShape, np.ndarray], band: search.Band, extend: float) -> float:
    """A path's value when an omission right after one of the same shape is worth -extend."""
    total, before = 0.0, None
    for i0, i1, j0, j1 in path:
        shape = (i1 - i0, j1 - j0)
        run = shape in search.OMISSIONS and shape == before
        total += -extend if run else tables[shape][i1, j1 - band.lo[i1]]
        before = shape
    return total


def _reference_affine(
    n: int, m: int, band: search.Band, tables: dict[search.BeadShape, np.ndarray], extend: float
) -> float:
    """Best path value with affine omissions, by plain dynamic programming: per cell, the best
    value of the paths ending there in each bead shape."""
    best: dict[tuple[int, int], dict[search.BeadShape | None, float]] = {(0, 0): {None: 0.0}}
    for i in range(n + 1):
        for j in range(int(band.lo[i]), min(int(band.lo[i]) + band.width, m + 1)):
            ending = best.setdefault((i, j), {})
            for a, b in tables:
                for last, value in best.get((i - a, j - b), {}).items():
                    run = (a, b) in search.OMISSIONS and last == (a, b)
                    gain = -extend if run else tables[(a, b)][i, j - band.lo[i]]
                    ending[(a, b)] = max(ending.get((a, b), -np.inf), value + gain)
    return max(best[(n, m)].values())


@pytest.mark.parametrize("seed", range(8))
def test_search_with_affine_omissions_finds_the_best_path(seed: int) -> None:
    """Runs of omissions cost their opening once: the search finds the best path under that
    rule, also through fixed beads (odd seeds), on tables where omissions are competitive."""
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(6, 13)), int(rng.integers(6, 13))
    diagonal = [(i, i + 1, i * m // n, (i + 1) * m // n) for i in range(n)]
    band = search.band_around(diagonal, 1, n, m, 3)
    shapes = search.shapes_up_to(2)
    tables = {shape: rng.normal(-0.5, 1.0, size=(n + 1, band.width)) for shape in shapes}
    for omission in search.OMISSIONS:
        tables[omission] = rng.uniform(-0.9, -0.6, size=(n + 1, band.width))
    extend = float(rng.uniform(0.0, 0.3))
    middle = diagonal[n // 2]
    through = [middle] if seed % 2 and middle[3] > middle[2] else []
    path = search.best_path(n, m, band, shapes, lambda a, b: tables[(a, b)], through, extend=extend)
    assert path[0][0] == path[0][2] == 0 and (path[-1][1], path[-1][3]) == (n, m)
    assert all(p[1] == q[0] and p[3] == q[2] for p, q in zip(path, path[1:], strict=False))
    assert all(bead in path for bead in through)
    kept = _kept(tables, band, through)
    assert _affine_value(path, kept, band, extend) == pytest.approx(_reference_affine(n, m, band, kept, extend))


def test_affine_omissions_leave_a_dropped_passage_out_instead_of_pairing_it() -> None:
    """Two unrelated sentences on each side between two translations: pairing them (-0.5 each)
    beats four omissions at 0.4 each, but not two runs that cost 0.4 + 0.05 each."""
    pairs = np.full((5, 5), -0.5)
    pairs[1, 1] = pairs[4, 4] = 2.0

    def values(a: int, b: int) -> np.ndarray:
        if a == 0 or b == 0:
            return np.full((5, 5), -0.4)
        return pairs if (a, b) == (1, 1) else np.full((5, 5), -3.0)

    band, shapes = search.full_band(4, 4), search.shapes_up_to(2)
    assert search.best_path(4, 4, band, shapes, values) == [(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 3), (3, 4, 3, 4)]
    gaps = search.best_path(4, 4, band, shapes, values, extend=0.05)
    assert gaps[0] == (0, 1, 0, 1) and gaps[-1] == (3, 4, 3, 4)
    assert len(gaps) == 6 and all((i1 - i0) + (j1 - j0) == 1 for i0, i1, j0, j1 in gaps[1:-1])  # four omissions


def test_a_run_of_target_omissions_is_followed_back_through_a_cell_another_bead_won() -> None:
    """At cell (1, 2) pairing s0 with t1 beats the run that left t1 out, but the run's next step
    (t2, at -0.05) still extends that run, not the pairing: the path must keep the run."""
    pairs = np.full((3, 5), -5.0)
    pairs[1, 1], pairs[1, 2], pairs[2, 4] = 2.0, 2.1, 2.0  # s0-t0, s0-t1, s1-t3

    def values(a: int, b: int) -> np.ndarray:
        if a == 0 or b == 0:
            return np.full((3, 5), -0.6)
        return pairs if (a, b) == (1, 1) else np.full((3, 5), -5.0)

    path = search.best_path(2, 4, search.full_band(2, 4), search.shapes_up_to(2), values, extend=0.05)
    assert path == [(0, 1, 0, 1), (1, 1, 1, 2), (1, 1, 2, 3), (1, 2, 3, 4)]


@pytest.mark.parametrize(
    ("through", "message"),
    [
        ([(1, 1, 0, 1)], "covers no source sentence"),
        ([(2, 3, 2, 3), (0, 1, 0, 1)], "out of order"),
        ([(0, 1, 4, 5)], "outside the band"),
    ],
)
def test_search_refuses_fixed_beads_it_cannot_go_through(through: list[search.Span], message: str) -> None:
    band = search.band_around([(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 3), (3, 4, 3, 4)], 1, 4, 6, 1)
    with pytest.raises(ValueError, match=message):
        search.best_path(4, 6, band, search.shapes_up_to(1), lambda a, b: np.zeros((5, band.width)), through)


def test_search_refuses_a_forbidden_omission() -> None:
    """Runs of 0-1 beads are summed along rows: a -inf among them would poison the sums."""

    def values(a: int, b: int) -> np.ndarray:
        grid = np.zeros((3, 3))
        grid[1, 1] = -np.inf if (a, b) == (0, 1) else 0.0
        return grid

    with pytest.raises(ValueError, match="not finite"):
        search.best_path(2, 2, search.full_band(2, 2), search.shapes_up_to(1), values)


@pytest.mark.parametrize("block", [1, 3, 256])
def test_pair_table_in_blocks_holds_every_band_pair_product(monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    """Block products cut to the band give each pair's dot product, and zero outside the reach."""
    monkeypatch.setattr(signals, "_BLOCK", block)
    rng = np.random.default_rng(2)
    n, m = 9, 12
    src, tgt = rng.normal(size=(n, 4)), rng.normal(size=(m, 4))
    band = search.band_around([(0, 3, 0, 4), (3, 6, 4, 8), (6, 9, 8, 12)], 1, n, m, 1)
    table = signals.pair_table(n, m, band, 2, src, tgt)
    for x in range(n):
        for k in range(table.cum.shape[1] - 1):
            y = int(table.off[x]) + k
            value = table.cum[x, k + 1] - table.cum[x, k]
            assert value == pytest.approx(float(src[x] @ tgt[y]) if y < m and value != 0 else 0.0)
    # a one-source one-target span sum is the single product, wherever the band allows it
    sums = table.sums(1, 1)
    for i in range(1, n + 1):
        for k in range(band.width):
            j = int(band.lo[i]) + k
            if 1 <= j <= m:
                assert sums[i, k] == pytest.approx(float(src[i - 1] @ tgt[j - 1]))


def test_incidence_product_counts_shared_items_and_multisets_share_their_minimum() -> None:
    columns = {item: k for k, item in enumerate("abc")}  # "d" has no column: left out
    src = signals.incidence([{"a", "b"}, set()], columns)
    tgt = signals.incidence([{"b", "c"}, {"a", "b", "d"}], columns)
    assert (src @ tgt.T).toarray().tolist() == [[1, 2], [0, 0]]
    x, y = signals.counted(Counter({3: 2, 7: 1})), signals.counted(Counter({3: 3, 8: 1}))
    numbered = {item: k for k, item in enumerate(set(x) | set(y))}
    product = signals.incidence([x], numbered) @ signals.incidence([y], numbered).T
    assert product.toarray()[0, 0] == 2  # the 3 twice on one side, three times on the other


@pytest.mark.parametrize("n", [1, 4, 7])
def test_blocks_pair_consecutive_sentences_and_leave_an_odd_last_one_alone(n: int) -> None:
    rng = np.random.default_rng(n)
    side = signals.Side(rng.normal(size=(n, 3)).astype(np.float32), rng.random(n) * 10)
    half = signals.blocks(side)
    assert len(half.lengths) == (n + 1) // 2
    for k in range(len(half.lengths)):
        pair = slice(2 * k, min(2 * k + 2, n))
        summed = side.vecs[pair].sum(axis=0)
        assert half.lengths[k] == pytest.approx(side.lengths[pair].sum())
        assert half.vecs[k] == pytest.approx(summed / np.linalg.norm(summed), abs=1e-6)


def test_a_short_texts_unrelated_level_leaves_out_the_rows_that_may_be_its_translation() -> None:
    eye = np.eye(3, dtype=np.float32)  # row k's translation is row k: cosine 1, all others 0
    rng = np.random.default_rng(0)
    levels = signals.baselines(eye, eye, rng, prior=0.1)
    # row 0 sees row 2 (cosine 0) and 4 rows' worth of the prior; row 1 has no row far enough
    assert levels.tolist() == pytest.approx([0.4 / 5, 0.1, 0.4 / 5])
    assert signals.baselines(eye[:1], eye[:1], rng, prior=0.1).tolist() == pytest.approx([0.1])  # one sentence: the prior
    unencoded = np.vstack([eye[:2], np.zeros((1, 3), np.float32)])
    assert signals.baselines(unencoded, eye, rng, prior=0.1)[2] == 0.0  # no vector, no level
    long = np.random.default_rng(1).normal(size=(100, 8)).astype(np.float32)
    drawn = np.random.default_rng(2).integers(0, 100, size=signals._SAMPLE)
    expected = (long @ long[drawn].T).mean(axis=1)  # a long text: random rows, the prior unused
    assert signals.baselines(long, long, np.random.default_rng(2), prior=5.0) == pytest.approx(expected)


def test_the_length_ratio_is_the_linked_sentences_not_one_a_left_out_passage_skews() -> None:
    rng = np.random.default_rng(1)
    src = rng.integers(40, 200, size=60).astype(np.float64)  # English sentences
    tgt = np.round(src * 0.35 * np.exp(rng.normal(0, 0.15, size=60)))  # their Chinese translations
    whole = length.length_ratio(np.append(src, [900.0, 1200.0]), tgt)  # a passage the translation leaves out
    assert whole < 0.31
    assert length.linked_ratio(src, tgt, whole) == pytest.approx(0.35, abs=0.01)
    assert length.linked_ratio(src, src * 0.5, 1.0) == pytest.approx(0.5, abs=0.005)
