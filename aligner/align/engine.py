"""The alignment engine: signals per sentence, coarse-to-fine banded search, calibrated beads.

1. Cheap signals: lengths, numbers, CC-CEDICT words; cheap vectors where they exist (character
   bigrams for two Chinese versions; for en–zh, e5 run on each distinct word, not on sentences).
2. A pyramid of ever finer blocks finds a narrow band; dynamic programming inside it finds the
   beads (up to 4-4 and omissions; a run of omissions on one side is one gap, cheaper by the
   sentence than lone ones); time and memory grow linearly with the text.
3. For en–zh, 1-1 links whose boundaries the first pass had no doubt about are kept as anchors
   and the sentence encoder (USE-m3 or e5, `encoders`) encodes only the other sentences; a second
   search through the anchors decides the rest. Other pairs are encoded in full first, and
   searched again once the first encoded path gives sure links. Either way the length term then
   expects the sure links' length ratio, not the whole texts' (which an omitted passage skews).
   Each sentence is encoded once, ever: vectors are cached on disk.
4. Each bead gets a calibrated confidence (see `confidence`).
"""

from __future__ import annotations

import bisect
import logging
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from scipy.sparse import csr_array

from aligner.align import anchors, boundary, fragments, length, lexicon, search, wordvec
from aligner.align.bead import Bead
from aligner.align.confidence import confidences
from aligner.align.embed import Encoder
from aligner.align.encoders import E5, Calibration, Spec, choose
from aligner.align.search import Span
from aligner.align.signals import (
    Overlap,
    Side,
    baselines,
    blocks,
    counted,
    hashed_ngrams,
    incidence,
    overlap,
    pair_table,
    prefix,
    span_column,
    span_grid,
)  # fmt: skip
from aligner.cache import collector_paused
from aligner.errors import InputTooLongError
from aligner.ingest.langs import convert, joiner, normalize_tag

log = logging.getLogger(__name__)

MAX_SIDE = 4  # most sentences on one side of a bead
FIRST_PASS_SIDE = 2  # the cheap pass only looks for sure 1-1 links: smaller beads suffice there
_TOP = 256  # coarsest level has at most this many blocks a side: full search there
_COARSE_SHAPES = ((1, 0), (0, 1), (1, 1), (1, 2), (2, 1), (2, 2))
_COARSE_MARGIN = 4  # blocks either side of the projected coarse path
_FINE_MARGIN = 4  # sentences either side of the projected path at the finest level
_WEIGHT_SMOOTH = 10.0  # characters added to each sentence's length before weighting
_MIN_RATIO_LINKS = 20  # sure 1-1 links needed to take the length ratio from them
_MAX_CHARS = 20_000  # longer "sentences" are not sentences: the input was not split


@dataclass(frozen=True)
class Weights:
    """The one configuration: how signals combine into the value of a bead."""

    threshold: float = 0.0  # similarity (in units of `scale`) above which a pair is a link
    omission: float = 0.3  # cost of leaving a sentence unaligned
    omission_run: float = 0.1  # cost of each further sentence left out next to one on its side
    length: float = 1.0  # weight of the squared log length ratio
    numbers: float = 0.25  # weight of number agreement (Dice) where numbers occur
    lexicon: float = 1.0  # weight of dictionary coverage above its chance level
    scale_hash: float = 0.5  # cosine gain of a translation for character-bigram vectors of two Chinese versions
    unrelated_hash: float = 0.07  # their typical cosine for an unrelated pair (aca, mag)
    span_power: float = 0.5  # a sentence weighs (characters + 10) ** span_power in its span's vector
    anchor_margin: float = 0.75  # how much the first pass must prefer an anchor to any local change
    boundary_tie: float = 0.25  # a boundary move the search valued this close is looked at again


WEIGHTS = Weights()


def _language(tag: str) -> str:
    """Return the primary subtag of a BCP 47 language tag, lower-cased ("zh-Hant" → "zh")."""
    return normalize_tag(tag).split("-")[0]


def encoder_for(src_lang: str, tgt_lang: str, encoder: str = "auto") -> Spec | None:
    """The sentence encoder the engine runs on a pair; None for two Chinese versions, which
    compare by characters after script conversion."""
    if _language(src_lang) == _language(tgt_lang) == "zh":
        return None
    return choose(encoder, src_lang, tgt_lang)


def spec_for(src_lang: str, tgt_lang: str, encoder: str = "auto") -> Spec:
    """The encoder whose calibration the engine uses on a pair: two Chinese versions run no
    encoder, and their confidences keep the mapping first fitted (e5's)."""
    return encoder_for(src_lang, tgt_lang, encoder) or E5


@dataclass(frozen=True)
class Signals:
    """Everything the value of a bead depends on, for one pair of texts."""

    src: Side
    tgt: Side
    scale: float
    unrelated: float  # the vectors' typical cosine for an unrelated pair (`signals.baselines`)
    numbers: tuple[list[Counter[int | float]], list[Counter[int | float]]]
    words: tuple[csr_array, csr_array] | None  # sentences × dictionary stems, a side (`lexicon`)
    src_is_english: bool
    final: bool  # True when the vectors need no encoder pass after them


def _signals(
    src: Sequence[str], tgt: Sequence[str], langs: tuple[str, str], encoder: Encoder, quiet: bool
) -> Signals:
    """Compute the cheap signals: lengths, numbers, dictionary words and first-pass vectors.

    Two Chinese versions compare by character bigrams after conversion to Simplified (final);
    English and Chinese by encoder vectors of their words (a first pass, see `wordvec`); other
    pairs have no cheap vectors (zero-width) and go straight to the encoder.
    """
    calibration = encoder.spec.calibration
    lengths = length.char_lengths(src), length.char_lengths(tgt)
    numbers = [anchors.numbers(s) for s in src], [anchors.numbers(t) for t in tgt]
    words = None
    if set(langs) == {"en", "zh"}:
        english, chinese = (src, tgt) if langs[0] == "en" else (tgt, src)
        en_words = [lexicon.english_words(s) for s in english]
        vocabulary = sorted(frozenset().union(*en_words))  # stems the English side can match at all
        if vocabulary:  # an English side of numbers or punctuation alone has no words to look up
            en_rows = incidence(en_words, {stem: k for k, stem in enumerate(vocabulary)})
            zh_rows = lexicon.translation_matrix(chinese, vocabulary)
            words = (en_rows, zh_rows) if langs[0] == "en" else (zh_rows, en_rows)
    if langs == ("zh", "zh"):
        vecs = tuple(
            hashed_ngrams([convert(s, "t2s") for s in side], 2) for side in (src, tgt)
        )
        scale, unrelated, final = WEIGHTS.scale_hash, WEIGHTS.unrelated_hash, True
    elif words is not None:
        vecs = tuple(
            wordvec.sentence_vectors(
                [wordvec.units(s) for s in side], lambda texts: encoder.encode(texts, quiet),
                encoder.spec.dim,
            )
            for side in (src, tgt)
        )
        scale, unrelated, final = calibration.scale_words, calibration.unrelated_words, False
    else:
        vecs = np.zeros((len(src), 0), np.float32), np.zeros((len(tgt), 0), np.float32)
        scale, unrelated, final = calibration.scale, calibration.unrelated, False
    sides = Side(vecs[0], lengths[0]), Side(vecs[1], lengths[1])
    return Signals(*sides, scale, unrelated, numbers, words, langs[0] == "en", final)


def _encode_unsure(
    signals: Signals, texts: tuple[Sequence[str], Sequence[str]], sure: Sequence[Span],
    encoder: Encoder, quiet: bool,
) -> Signals:  # fmt: skip
    """Return the signals with encoder vectors for every sentence outside the sure beads (zeros there)."""
    sides = []
    for side, sentences, covered in (
        (signals.src, texts[0], {i for i0, i1, _, _ in sure for i in range(i0, i1)}),
        (signals.tgt, texts[1], {j for _, _, j0, j1 in sure for j in range(j0, j1)}),
    ):
        todo = [k for k in range(len(sentences)) if k not in covered]
        vecs = np.zeros((len(sentences), encoder.spec.dim), dtype=np.float32)
        if todo:
            vecs[todo] = encoder.encode([sentences[k] for k in todo], quiet)
        sides.append(Side(vecs, side.lengths))
    calibration = encoder.spec.calibration
    return replace(signals, src=sides[0], tgt=sides[1], scale=calibration.scale, unrelated=calibration.unrelated, final=True)


class Scorer:
    """Bead values over a whole band: similarity of span vectors plus overlaps, per bead shape."""

    def __init__(
        self,
        src: Side,
        tgt: Side,
        scale: float,
        unrelated: float,
        band: search.Band,
        overlaps: Sequence[tuple[Overlap, float, float]] = (),
    ) -> None:
        rng = np.random.default_rng(0)
        self.n, self.m = len(src.lengths), len(tgt.lengths)
        self.band = band
        src_weights, tgt_weights = _weights(src), _weights(tgt)
        src_vecs = src.vecs * src_weights[:, None].astype(np.float32)  # a span's vector: a sum
        tgt_vecs = tgt.vecs * tgt_weights[:, None].astype(np.float32)
        self._span_norms = {"src": _span_norms(src_vecs), "tgt": _span_norms(tgt_vecs)}
        self.src_len, self.tgt_len = prefix(src.lengths), prefix(tgt.lengths)
        self.src_base = prefix(baselines(src.vecs, tgt.vecs, rng, unrelated) * src_weights)
        self.tgt_base = prefix(baselines(tgt.vecs, src.vecs, rng, unrelated) * tgt_weights)
        self.ratio = length.length_ratio(src.lengths, tgt.lengths)
        self.scale = scale
        self.overlaps = overlaps  # (table, weight, chance level)
        self.dots = pair_table(self.n, self.m, band, MAX_SIDE, src_vecs, tgt_vecs)
        self._similarity: dict[tuple[int, int], np.ndarray] = {}

    def similarity(self, a: int, b: int) -> np.ndarray:
        """Return the combined similarity of src[i-a:i] and tgt[j-b:j] for every band cell."""
        if (a, b) in self._similarity:
            return self._similarity[(a, b)]
        src_norm = self._span_norms["src"][a][:, None]
        tgt_norm, tgt_base, lt = self._target_terms(b)
        norms = np.maximum(src_norm * tgt_norm, 1e-9)
        cos = self.dots.sums(a, b) / norms
        base = 0.5 * (  # a span's unrelated level: its parts' levels, weighted as its vector
            span_column(self.src_base, a) / np.maximum(src_norm, 1e-9) + tgt_base
        )
        sim = (cos - base) / self.scale
        ls = span_column(self.src_len, a)
        sim -= WEIGHTS.length * length.log_ratio(ls, lt, self.ratio) ** 2
        for table, weight, chance in self.overlaps:
            value, has = table.score(a, b, self.band)
            sim += np.where(has, weight * (value - chance), 0.0)
        self._similarity[(a, b)] = sim
        return sim

    def fit_ratio(self, links: Sequence[Span]) -> bool:
        """Take the expected length ratio from sure 1-1 links instead of the whole texts' totals
        (which an omitted passage skews); False, and no change, with fewer than `_MIN_RATIO_LINKS`."""
        if len(links) < _MIN_RATIO_LINKS:
            return False
        spans = np.array(links, dtype=np.int64).reshape(-1, 4)
        ls = self.src_len[spans[:, 1]] - self.src_len[spans[:, 0]]
        lt = self.tgt_len[spans[:, 3]] - self.tgt_len[spans[:, 2]]
        self.ratio = length.linked_ratio(ls, lt, self.ratio)
        self._similarity.clear()
        return True

    def _target_terms(self, b: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return, per band cell, for the span of b targets ending there: its summed vector's
        length, its unrelated level over that length, and its characters."""
        tgt_norm = self._span_norms["tgt"][b][self.band.targets]
        tgt_base = span_grid(self.tgt_base, b, self.band) / np.maximum(tgt_norm, 1e-9)
        return tgt_norm, tgt_base, span_grid(self.tgt_len, b, self.band)

    def similarities(self, beads: np.ndarray) -> np.ndarray:
        """Return the similarity of src[i0:i1] and tgt[j0:j1] for each row (i0, i1, j0, j1) of
        an int array of links; NaN for a bead outside the band."""
        i0, i1, j0, j1 = beads.T
        a, b = i1 - i0, j1 - j0
        k = j1 - self.band.lo[np.clip(i1, 0, self.n)]
        inside = (i0 >= 0) & (i1 <= self.n) & (j0 >= 0) & (j1 <= self.m) & (k >= 0) & (k < self.band.width)
        inside &= (a >= 1) & (a <= MAX_SIDE) & (b >= 1) & (b <= MAX_SIDE)  # the shapes the search scores
        out = np.full(len(beads), np.nan)
        # a before a + 1 for each b: the pair tables then add one row to sums they kept
        for shape in sorted(set(zip(a[inside].tolist(), b[inside].tolist(), strict=True))):
            rows = np.flatnonzero(inside & (a == shape[0]) & (b == shape[1]))
            out[rows] = self.similarity(*shape)[i1[rows], k[rows]]
        return out

    def values(self, a: int, b: int) -> np.ndarray:
        """Return bead values per band cell: similarity above threshold, or the omission cost."""
        if a == 0 or b == 0:
            return np.full((self.n + 1, self.band.width), -WEIGHTS.omission)
        return self.similarity(a, b) - WEIGHTS.threshold


def _weights(side: Side) -> np.ndarray:
    """Return each sentence's weight in the vector of a span: longer sentences say more."""
    weights = (side.lengths + _WEIGHT_SMOOTH) ** WEIGHTS.span_power
    return weights / max(float(np.mean(weights)), 1e-9)


def _span_norms(vecs: np.ndarray) -> dict[int, np.ndarray]:
    """Return, per span size, the length of the summed vector of the span ending at 0 … n.

    |v[e-s] + … + v[e-1]|² is the sum of the span's dot products of neighbours at distance
    0 … s-1: prefix sums of a few numbers a row, not of the vectors (which took 2 s on the Bible).
    """
    n = len(vecs)
    ends = np.arange(n + 1)
    near = [prefix(np.einsum("ij,ij->i", vecs[: n - d], vecs[d:]).astype(np.float64)) for d in range(MAX_SIDE)]
    norms = {}
    for size in range(1, MAX_SIDE + 1):
        start = np.maximum(ends - size, 0)
        squared = np.zeros(n + 1)
        for d in range(size):
            stop = np.maximum(ends - d, start)  # pairs (k, k + d) with both inside the span
            squared += (1.0 if d == 0 else 2.0) * (near[d][stop] - near[d][start])
        norms[size] = np.sqrt(np.maximum(squared, 0.0))
    return norms


def _chance(src: csr_array, tgt: csr_array, src_is_english: bool) -> float:
    """Return the dictionary coverage of random sentence pairs: the level that means nothing."""
    rng = np.random.default_rng(1)
    xs, ys = rng.integers(0, src.shape[0], 300), rng.integers(0, tgt.shape[0], 300)
    found = float(src[xs].multiply(tgt[ys]).sum())
    total = float((src[xs] if src_is_english else tgt[ys]).sum())
    return found / total if total else 0.0


def _overlaps(signals: Signals, band: search.Band) -> list[tuple[Overlap, float, float]]:
    """Build the number and dictionary overlap tables inside the finest band."""
    nums = signals.numbers
    sizes = [sum(c.values()) for c in nums[0]], [sum(c.values()) for c in nums[1]]
    items = [counted(c) for c in nums[0]], [counted(c) for c in nums[1]]
    columns = {item: k for k, item in enumerate(set().union(*items[0], *items[1]))}
    counts = incidence(items[0], columns), incidence(items[1], columns)
    tables = [
        (
            overlap(*counts, sizes, band, 0.5, MAX_SIDE),
            WEIGHTS.numbers,
            0.0,  # reward only: numbers written out on one side only (two, 两个) are common
        )
    ]
    if signals.words is not None:
        src, tgt = signals.words
        english = src if signals.src_is_english else tgt
        en_sizes = np.diff(english.indptr).tolist()
        zero = [0] * (tgt if signals.src_is_english else src).shape[0]
        table = overlap(
            src, tgt,
            (en_sizes, zero) if signals.src_is_english else (zero, en_sizes),
            band, 1.0 if signals.src_is_english else 0.0, MAX_SIDE,
        )  # fmt: skip
        tables.append((table, WEIGHTS.lexicon, _chance(src, tgt, signals.src_is_english)))
    return tables


def _pyramid(signals: Signals) -> search.Band:
    """Search coarse-to-fine on blocks of 2^k sentences; return the band for the finest search."""
    levels = [(signals.src, signals.tgt)]
    while max(len(levels[-1][0].lengths), len(levels[-1][1].lengths)) > _TOP:
        levels.append((blocks(levels[-1][0]), blocks(levels[-1][1])))
    band = search.full_band(len(levels[-1][0].lengths), len(levels[-1][1].lengths))
    for level in range(len(levels) - 1, 0, -1):
        src, tgt = levels[level]
        n, m = len(src.lengths), len(tgt.lengths)
        scorer = Scorer(src, tgt, signals.scale, signals.unrelated, band)
        path = search.best_path(n, m, band, _COARSE_SHAPES, scorer.values)
        finer_n, finer_m = len(levels[level - 1][0].lengths), len(levels[level - 1][1].lengths)
        margin = _FINE_MARGIN if level == 1 else _COARSE_MARGIN
        band = search.band_around(path, 2, finer_n, finer_m, margin)
    return band


def align(
    src: Sequence[str],
    tgt: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    *,
    quiet: bool = True,
    cache_dir: Path | None = None,
    encoder: str = "auto",
    keep: Sequence[Span] = (),
) -> list[Bead]:
    """Align two versions of a text sentence by sentence; every sentence is in exactly one bead.

    `encoder` is a name of `encoders.CHOICES`; `auto` takes USE-m3 where it covers both languages.
    Sentences without words are left out of the search and come back as omissions (`fragments`).
    `keep` holds beads (i0, i1, j0, j1: ends exclusive, in order, disjoint, a sentence or more a
    side), a person's links: the result holds each as it is, and the search decides the rest
    around them with the whole texts' signals, counting them as sure links (`_align`).
    """
    _check(src, tgt)  # before fragments are dropped: an error's index is a place in `src` or `tgt`
    src_kept = sorted({*fragments.kept(src), *(i for i0, i1, _, _ in keep for i in range(i0, i1))})
    tgt_kept = sorted({*fragments.kept(tgt), *(j for _, _, j0, j1 in keep for j in range(j0, j1))})
    kept = [
        (bisect.bisect_left(src_kept, i0), bisect.bisect_left(src_kept, i1),
         bisect.bisect_left(tgt_kept, j0), bisect.bisect_left(tgt_kept, j1))
        for i0, i1, j0, j1 in keep
    ]  # fmt: skip
    with collector_paused():
        beads = _align(
            [src[k] for k in src_kept], [tgt[k] for k in tgt_kept], src_lang, tgt_lang, quiet,
            Encoder(spec_for(src_lang, tgt_lang, encoder), cache_dir), kept,
        )  # fmt: skip
    return fragments.restore(beads, src_kept, tgt_kept, len(src), len(tgt))


def _check(src: Sequence[str], tgt: Sequence[str]) -> None:
    """Reject input that cannot be sentences (a whole unsplit file on one line), naming its side and index."""
    for side, name in ((src, "source"), (tgt, "target")):
        for index, text in enumerate(side):
            if len(text) > _MAX_CHARS:
                raise InputTooLongError(
                    f"{name} sentence {index} has {len(text)} characters (limit {_MAX_CHARS}):"
                    " split the text into sentences first", name, index
                )


_WIDEST_KEPT = 4  # times the searched band's width that beads to keep may widen it to (`FarFromPath`)


class FarFromPath(Exception):
    """Beads to keep lie so far from the path the search would take that one band holding them
    would be too wide (its width holds for every row: memory and time grow with it): the caller
    aligns the text stretch by stretch around them instead (`links._aligned`)."""


def _align(
    src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str,
    quiet: bool, encoder: Encoder, keep: Sequence[Span],
) -> list[Bead]:  # fmt: skip
    """Align two versions of a text (see `align`).

    The beads `keep` are sure links from the start: every search goes through them (the band is
    widened to hold them), they are never encoded nor moved by the boundary check, and they count
    as sure in their neighbours' confidence, as the first pass's anchors do.
    """
    langs = _language(src_lang), _language(tgt_lang)
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]
    calibration = encoder.spec.calibration
    if langs != ("zh", "zh"):  # two Chinese versions are compared without the encoder
        encoder.warm_up()
    signals = _signals(src, tgt, langs, encoder, quiet)
    encoded = signals.src.vecs.shape[1] == 0
    if encoded:  # no cheap vectors: encode everything first
        signals = _encode_unsure(signals, (src, tgt), (), encoder, quiet)
    searched = _pyramid(signals)
    band = search.widened(searched, keep)
    if band.width > _WIDEST_KEPT * searched.width:
        raise FarFromPath(f"beads to keep widen the band from {searched.width} to {band.width} positions a row")
    kept = dict.fromkeys(keep, 1.0)
    log.info("finest band: %d positions a row for %d x %d sentences", band.width, n, m)
    overlaps = _overlaps(signals, band)
    scorer = Scorer(signals.src, signals.tgt, signals.scale, signals.unrelated, band, overlaps)
    shapes = search.shapes_up_to(MAX_SIDE if signals.final else FIRST_PASS_SIDE)
    path = search.best_path(n, m, band, shapes, scorer.values, keep, WEIGHTS.omission_run)
    sure = kept
    if not signals.final:  # cheap first pass: keep what it is sure of, encode the rest
        sure = _anchors(path, scorer, calibration, kept) | kept
        log.info("cheap pass anchors %d of %d beads", len(sure), len(path))
        signals = _encode_unsure(signals, (src, tgt), list(sure), encoder, quiet)
        scorer = Scorer(signals.src, signals.tgt, signals.scale, signals.unrelated, band, overlaps)
        scorer.fit_ratio(list(sure))
        path = search.best_path(
            n, m, band, search.shapes_up_to(MAX_SIDE), scorer.values, sorted(sure), WEIGHTS.omission_run
        )
        encoded = True
    elif encoded and scorer.fit_ratio(list(_anchors(path, scorer, calibration, kept) | kept)):
        path = search.best_path(n, m, band, shapes, scorer.values, keep, WEIGHTS.omission_run)
    if encoded:
        path = _refine(path, scorer, (src, tgt), langs, encoder, quiet, kept)
    return [
        Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), conf)
        for (i0, i1, j0, j1), conf in zip(
            path,
            confidences(
                path, scorer.similarities, calibration,
                _margins(path, scorer) if calibration.link[4] else np.zeros(len(path)), sure,
            ),  # fmt: skip
            strict=True,
        )
    ]


def _refine(
    path: list[Span], scorer: Scorer, texts: tuple[Sequence[str], Sequence[str]],
    langs: tuple[str, str], encoder: Encoder, quiet: bool, kept: Collection[Span],
) -> list[Span]:  # fmt: skip
    """Move sentences across bead boundaries where the encoder, on joined text, prefers it; never
    across a boundary of a `kept` bead."""

    def joined(side: Sequence[str], lang: str) -> Callable[[int, int], str]:
        return lambda start, end: joiner(lang).join(side[start:end])

    def similarity(beads: np.ndarray) -> np.ndarray:
        """The scorer's similarities, NaN for a kept bead: as for a bead off the band, the check
        then weighs no move across its boundaries."""
        out = scorer.similarities(beads)
        out[[span in kept for span in map(tuple, beads.tolist())]] = np.nan
        return out

    refined = boundary.refine(
        path, similarity if kept else scorer.similarities,
        (joined(texts[0], langs[0]), joined(texts[1], langs[1])),
        lambda joined: encoder.encode(joined, quiet),
        most=MAX_SIDE, tie=WEIGHTS.boundary_tie, gain=encoder.spec.calibration.boundary_gain,
    )  # fmt: skip
    moved = sum(a != b for a, b in zip(path, refined, strict=True))
    log.info("boundary check moved %d of %d beads", moved, len(path))
    return refined


def _margins(path: Sequence[Span], scorer: Scorer, only: np.ndarray | None = None) -> np.ndarray:
    """Return each bead's `boundary.margins`, how much the search preferred it to a local change;
    0 for the beads `only` leaves out (their changes may need bead shapes not scored yet)."""
    beads = search.spans(path)
    return boundary.margins(beads, scorer.similarities, MAX_SIDE, WEIGHTS.omission, WEIGHTS.threshold, only)


def _anchors(
    path: Sequence[Span], scorer: Scorer, calibration: Calibration, person: Mapping[Span, float] | None = None
) -> dict[Span, float]:
    """Return the first-pass beads kept without the encoder, with their confidence.

    An anchor is a 1-1 link at least `anchor` similar that the search preferred by at least
    `anchor_margin` to moving a sentence across either of its boundaries or absorbing a
    neighbouring omission (`boundary.margin`). On aca and mag 5 of 1,683 such beads were not
    gold links, on Bible 006 7 of 11,642 crossed a verse. Requiring 1-1 neighbours instead kept
    7,118 on the Bible, so e5 encoded a fifth more sentence tokens. The similarity floor matters
    where the margin cannot: a text of one link has no local change to weigh it against. The
    beads in `person` (a person's links) are sure in the confidences the anchors' come from.
    """

    beads = search.spans(path)
    one_one = (beads[:, 1] - beads[:, 0] == 1) & (beads[:, 3] - beads[:, 2] == 1)
    similarity = np.full(len(beads), np.nan)
    similarity[one_one] = scorer.similarities(beads[one_one])
    similar = one_one & (np.nan_to_num(similarity) >= calibration.anchor)
    margins = _margins(path, scorer, similar)  # only an anchor's own confidence is kept
    kept = [span for span, ok, margin in zip(path, similar, margins, strict=True) if ok and margin >= WEIGHTS.anchor_margin]
    first = dict(zip(path, confidences(path, scorer.similarities, calibration, margins, person), strict=True))
    return {span: first[span] for span in kept}
