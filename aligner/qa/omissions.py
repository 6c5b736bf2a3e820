"""Omissions and additions (a link with an empty side) and partial omissions (a long source
against a target far shorter than the pair's usual length ratio in this document)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import replace

from aligner.ingest.langs import han_ratio, joiner, worded
from aligner.qa.findings import Finding
from aligner.qa.pairs import LinkView, PairView
from aligner.qa.registry import Params, check

_HAN_WEIGHT = 3.0  # a Han character carries about as much as three Latin letters


def length_units(text: str) -> float:
    """A length comparable across scripts: letters and digits, Han characters weighted."""
    chars = sum(1 for c in text if not c.isspace())
    return chars * (_HAN_WEIGHT if han_ratio(text) >= 0.5 else 1.0)


def log_ratio(view: LinkView) -> float:
    """log(target length / source length) of a link with both sides."""
    return math.log(max(length_units(view.tgt_text), 1.0) / max(length_units(view.src_text), 1.0))


def robust_spread(values: list[float], floor: float) -> tuple[float, float]:
    """Median and scaled median absolute deviation (a standard deviation robust to outliers)."""
    median = statistics.median(values)
    mad = statistics.median(abs(v - median) for v in values) * 1.4826
    return median, max(mad, floor)


def one_sided(pairs: list[PairView], side: str) -> Iterator[tuple[PairView, LinkView]]:
    """Links with only their `side` ('src' or 'tgt'): the other side linked to nothing. A line
    without words (a lone "»", OCR debris; `langs.worded`) has nothing to translate: left out."""
    for pair in pairs:
        for view in pair.links:
            src, tgt = bool(view.link.src), bool(view.link.tgt)
            if (src, tgt) == (side == "src", side == "tgt") and worded(view.src_text if src else view.tgt_text):
                yield pair, view


@check("omission", "a source sentence with nothing linked in the translation")
def omissions(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for pair, view in one_sided(pairs, "src"):
        yield view.finding("omission", "error", f"not translated: no {pair.tgt_lang} sentence is linked to this one")


@check("addition", "a translated sentence linked to nothing in the source")
def additions(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for pair, view in one_sided(pairs, "tgt"):
        yield view.finding("addition", "warning", f"added: no {pair.src_lang} sentence is linked to this one")


@check(
    "partial-omission",
    "a long source whose translation is far shorter than the document's usual ratio",
    deviations=3.5,
    floor=0.12,
    min_source=60,
    min_links=8,
)
def partial_omissions(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    pooled: dict[tuple[str, str], list[float]] = {}
    for pair in pairs:
        pooled.setdefault((pair.src_lang, pair.tgt_lang), []).extend(
            log_ratio(v) for v in pair.links if v.link.src and v.link.tgt
        )
    for pair in pairs:
        full = [v for v in pair.links if v.link.src and v.link.tgt]
        ratios = [log_ratio(v) for v in full]
        if len(ratios) < params["min_links"]:
            ratios = pooled[(pair.src_lang, pair.tgt_lang)]
            if len(ratios) < params["min_links"]:
                continue
        median, spread = robust_spread(ratios, params["floor"])
        limit = median - params["deviations"] * spread
        for view in full:
            ratio = log_ratio(view)
            if length_units(view.src_text) >= params["min_source"] and ratio < limit:
                yield view.finding(
                    "partial-omission",
                    "warning",
                    f"translation is {math.exp(ratio - median):.0%} of the length this pair's ratio predicts "
                    f"(limit {math.exp(limit - median):.0%}): part of the sentence may be missing",
                )


def without_edges(parts: Sequence[str], lang: str) -> tuple[str, str]:
    """A merged side's text without its first sentence, and without its last."""
    join = joiner(lang)
    return join.join(parts[1:]), join.join(parts[:-1])


@check(
    "joined-omission",
    "an edge sentence of a merged link that the link's translation matches better without",
    gain=0.033,
)
def joined_omissions(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    """A sentence left untranslated is often joined to its neighbour's link rather than left
    alone. Its sign: the link's joined source matches the translation better without it. `gain`
    is in units of the encoder's typical translation gain (`Calibration.scale`; 0.033 of USE's
    is 0.02 cosine), measured in `tests/benchmarks/qa_dropped.py`."""
    yield from joined_edges(pairs, params["gain"], "src")


@check(
    "joined-addition",
    "an edge sentence of a merged translation that the link's source matches better without",
    gain=0.1,
)
def joined_additions(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    """The same sign on the translation's side: a sentence the translator added (a note, a
    caption) joined to a neighbouring link. Translators split sentences far more often than
    they drop them, and the part of a split sentence at a link's edge often matches the source
    less than the rest: at the source side's gain the check named 52 translated sentences in
    three clean texts; at 0.1, 3 (`qa_dropped.py --side tgt`)."""
    yield from joined_edges(pairs, params["gain"], "tgt")


def joined_edges(pairs: list[PairView], gain: float, side: str) -> Iterator[Finding]:
    """Findings on the edge sentences of links merged on `side` ('src' or 'tgt') whose removal
    raises the cosine of that side with the other by more than `gain` of the encoder's scale."""
    source = side == "src"

    def parts(view: LinkView) -> tuple[str, ...]:
        return view.src_sentences if source else view.tgt_sentences

    merged = [[v for v in pair.links if len(parts(v)) >= 2 and (v.link.tgt if source else v.link.src)] for pair in pairs]
    if not any(merged):
        return  # nothing to check: the encoder is not even imported
    from aligner.align.embed import Encoder
    from aligner.align.encoders import Spec
    from aligner.align.engine import encoder_for

    groups: dict[Spec, list[tuple[PairView, LinkView]]] = {}
    for pair, views in zip(pairs, merged, strict=True):
        spec = encoder_for(pair.src_lang, pair.tgt_lang)
        if spec is not None:  # two Chinese versions compare by characters: no vectors
            groups.setdefault(spec, []).extend((pair, v) for v in views)
    for spec, found in groups.items():
        cuts = [without_edges(parts(v), pair.src_lang if source else pair.tgt_lang) for pair, v in found]
        texts = sorted({t for (_, v), cut in zip(found, cuts, strict=True) for t in (v.src_text, v.tgt_text, *cut)})
        vectors = dict(zip(texts, Encoder(spec).encode(texts), strict=True))
        for (pair, view), cut in zip(found, cuts, strict=True):
            whole, other = (view.src_text, view.tgt_text) if source else (view.tgt_text, view.src_text)
            full = float(vectors[whole] @ vectors[other])
            kept = [float(vectors[t] @ vectors[other]) for t in cut]  # without first, without last
            if max(kept) - full <= gain * spec.calibration.scale:
                continue
            edge = 0 if kept[0] >= kept[1] else -1
            lang = pair.tgt_lang if source else pair.src_lang
            if source:
                reason = f"may not be translated: joined to a neighbour's link, whose {lang} side matches"
            else:
                reason = f"may be added: joined to a neighbour's link, whose {lang} side matches"
            finding = view.finding(
                f"joined-{'omission' if source else 'addition'}", "warning",
                f"{reason} the rest of the link better without it (similarity {full:.2f} → {max(kept):.2f})",
            )  # fmt: skip
            if source:
                yield replace(finding, src_ids=(view.link.src[edge],), src_text=view.src_sentences[edge])
            else:
                yield replace(finding, tgt_ids=(view.link.tgt[edge],), tgt_text=view.tgt_sentences[edge])
