"""Chinese scripts: OpenCC conversion so that Simplified and Traditional versions compare."""

from __future__ import annotations

import functools


@functools.cache
def _converter(config: str) -> object:
    """Return a cached OpenCC converter (building one reads its dictionaries)."""
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Return text with Traditional characters converted to Simplified (t2s)."""
    return _converter("t2s").convert(text)  # type: ignore[attr-defined,no-any-return]
