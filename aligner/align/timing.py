"""Alignment by subtitle timing: sentences whose cue times overlap most are linked.

Two subtitle files of one film align far better by time than by text. Each sentence gets a time
span (its cue's, shared among the cue's sentences in proportion to their length); a dynamic
programme over beads of up to three sentences a side (omissions too) maximises the summed
intersection-over-union of the beads' spans. Only target sentences within `SLACK_MS` of a source
sentence are considered, so time and memory grow linearly with the film's length. A constant
offset between the two files (a different cut or frame start) and a frame-rate change (25 against
23.976 or 24 fps) are found first, by trying each rate with shifts of up to 10 s.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

from aligner.align.bead import Bead
from aligner.corpus.model import Document

Span = tuple[int, int]  # start and end in milliseconds
SHAPES = ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 0), (0, 1))
SLACK_MS = 10_000
SHIFTS_MS = range(-10_000, 10_001, 500)  # coarse, then refined in 50 ms steps around the best
SCALES = (1.0, 25 / 23.976, 23.976 / 25, 25 / 24, 24 / 25, 30 / 29.97, 29.97 / 30)


def sentence_spans(doc: Document) -> list[Span] | None:
    """Each sentence's time span, its cue's split by sentence length; None if any paragraph is untimed."""
    spans: list[Span] = []
    for para in doc.paragraphs:
        if para.start is None or para.end is None:
            return None
        total = sum(len(s.text) for s in para.sentences) or 1
        at = float(para.start)
        for sent in para.sentences:
            end = at + (para.end - para.start) * len(sent.text) / total
            spans.append((round(at), round(end)))
            at = end
    return spans


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _iou(a: Span, b: Span) -> float:
    union = max(a[1], b[1]) - min(a[0], b[0])
    return _overlap(a, b) / union if union > 0 else 0.0


def _merged(spans: Sequence[Span], i: int, n: int) -> Span:
    return (spans[i][0], max(s[1] for s in spans[i : i + n]))


def total_overlap(src: Sequence[Span], tgt: Sequence[Span], shift: int) -> int:
    """Summed overlap of two sorted span lists with the target moved by `shift` ms (one sweep)."""
    total, j = 0, 0
    for start, end in src:
        while j < len(tgt) and tgt[j][1] + shift <= start:
            j += 1
        k = j
        while k < len(tgt) and tgt[k][0] + shift < end:
            total += _overlap((start, end), (tgt[k][0] + shift, tgt[k][1] + shift))
            k += 1
    return total


def best_map(src: Sequence[Span], tgt: Sequence[Span]) -> list[Span]:
    """The target re-timed by the frame-rate scale and shift that overlap the source most
    (no change wins ties)."""
    best = (-1, 0, 0), 1.0, 0
    for rank, scale in enumerate(SCALES):
        scaled = [(round(a * scale), round(b * scale)) for a, b in tgt]
        for shift in SHIFTS_MS:
            key = (total_overlap(src, scaled, shift), -rank, -abs(shift))
            best = max(best, (key, scale, shift))
    _, scale, coarse = best
    scaled = [(round(a * scale), round(b * scale)) for a, b in tgt]
    shift = max(range(coarse - 450, coarse + 451, 50), key=lambda s: (total_overlap(src, scaled, s), -abs(s)))
    return [(a + shift, b + shift) for a, b in scaled]


def align_by_time(src: Sequence[Span], tgt: Sequence[Span]) -> list[Bead]:
    """Beads covering every sentence in order, maximising the summed IoU of their time spans."""
    tgt = best_map(src, tgt) if src and tgt else tgt
    best: dict[tuple[int, int], tuple[float, tuple[int, int], tuple[int, int]]] = {(0, 0): (0.0, (0, 0), (0, 0))}
    for i, (lo, hi) in enumerate(_band(src, tgt)):
        for j in range(lo, hi + 1):
            if (i, j) not in best:
                continue
            score = best[(i, j)][0]
            for di, dj in SHAPES:
                if i + di > len(src) or j + dj > len(tgt):
                    continue
                gain = _iou(_merged(src, i, di), _merged(tgt, j, dj)) if di and dj else 0.0
                if di and dj and gain == 0.0:
                    continue  # sentences that never share the screen are not linked
                key = (i + di, j + dj)
                if key not in best or best[key][0] < score + gain:
                    best[key] = (score + gain, (i, j), (di, dj))
    if (len(src), len(tgt)) not in best:  # the band missed the corner: join the rest as omissions
        return _omissions(src, tgt)
    beads: list[Bead] = []
    at = (len(src), len(tgt))
    while at != (0, 0):
        _, prev, (di, dj) = best[at]
        beads.append(_bead(src, tgt, *prev, di, dj))
        at = prev
    return beads[::-1]


def _band(src: Sequence[Span], tgt: Sequence[Span]) -> list[tuple[int, int]]:
    """For each source position (and the end), the target positions within SLACK_MS of it."""
    starts = [t[0] for t in tgt]
    band = [
        (max(0, bisect.bisect_left(starts, a - SLACK_MS) - 3), min(len(tgt), bisect.bisect_right(starts, b + SLACK_MS) + 3))
        for a, b in src
    ]
    band.append((band[-1][0] if band else 0, len(tgt)))
    band[0] = (0, band[0][1])
    return band


def _bead(src: Sequence[Span], tgt: Sequence[Span], i: int, j: int, di: int, dj: int) -> Bead:
    """A bead with its IoU as confidence; an omission is surer the less it overlaps anything."""
    if di and dj:
        return Bead(tuple(range(i, i + di)), tuple(range(j, j + dj)), round(_iou(_merged(src, i, di), _merged(tgt, j, dj)), 4))
    own, other = (src[i], tgt) if di else (tgt[j], src)
    length = max(1, own[1] - own[0])
    covered = max((_overlap(own, o) for o in other), default=0)
    return Bead(tuple(range(i, i + di)), tuple(range(j, j + dj)), round(1 - covered / length, 4))


def _omissions(src: Sequence[Span], tgt: Sequence[Span]) -> list[Bead]:
    return [Bead((i,), (), 0.0) for i in range(len(src))] + [Bead((), (j,), 0.0) for j in range(len(tgt))]


Aligner = Callable[[Sequence[str], Sequence[str]], list[Bead]]


def timed_engine(src: Document, tgt: Document) -> Aligner | None:
    """An engine aligning stretches of two subtitle versions by time, or None unless both are timed.

    It is called with the texts of consecutive stretches in reading order (between a person's
    links), so each stretch is found from where the last one ended.
    """
    src_spans, tgt_spans = sentence_spans(src), sentence_spans(tgt)
    if not src_spans or not tgt_spans:
        return None
    src_texts = [s.text for s in src.sentences()]
    tgt_texts = [s.text for s in tgt.sentences()]
    cursor = [0, 0]

    def engine(a: Sequence[str], b: Sequence[str]) -> list[Bead]:
        i = _find(src_texts, a, cursor[0])
        j = _find(tgt_texts, b, cursor[1])
        cursor[0], cursor[1] = i + len(a), j + len(b)
        return align_by_time(src_spans[i : i + len(a)], tgt_spans[j : j + len(b)])

    return engine


def _find(texts: Sequence[str], run: Sequence[str], start: int) -> int:
    """Where `run` occurs in `texts` at or after `start` (`start` for an empty run)."""
    for k in range(start, len(texts) - len(run) + 1):
        if list(texts[k : k + len(run)]) == list(run):
            return k
    return start


def timing_signature(src_lang: str, tgt_lang: str) -> str:
    """What made the links of a pair aligned by time, for the TEI header."""
    from aligner import __version__

    return f"aligner {__version__} subtitle timing; {src_lang}-{tgt_lang}; cue time overlap (IoU), frame rate and offset fitted"
