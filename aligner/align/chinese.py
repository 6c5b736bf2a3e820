"""Chinese script: Simplified/Traditional detection and OpenCC conversion to compare the two."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import regex

_HAN = regex.compile(r"\p{Han}")


@functools.cache
def _converter(config: str) -> object:
    """Return a cached OpenCC converter (building one reads its dictionaries)."""
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Return text with Traditional characters converted to Simplified (t2s)."""
    return _converter("t2s").convert(text)  # type: ignore[attr-defined,no-any-return]


def is_traditional(sentences: Sequence[str]) -> bool:
    """Guess the script of a text: Traditional when converting to Simplified changes ≥ 1 % of Han."""
    han = changed = 0
    for sentence in sentences:
        simplified = to_simplified(sentence)
        for before, after in zip(sentence, simplified):
            if _HAN.match(before):
                han += 1
                changed += before != after
    return han > 0 and changed >= 0.01 * han


def han_ratio(sentences: Sequence[str]) -> float:
    """Return the share of Han characters among non-space characters (0.0 for empty text)."""
    text = "".join("".join(sentences).split())
    return len(_HAN.findall(text)) / len(text) if text else 0.0
