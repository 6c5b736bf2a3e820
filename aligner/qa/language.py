"""Untranslated text (the target copies the source) and text in the wrong language (an English
sentence in the Chinese version)."""

from __future__ import annotations

from collections.abc import Iterator
from difflib import SequenceMatcher

import regex

from aligner.ingest.langs import HAN, han_ratio
from aligner.qa.findings import Finding
from aligner.qa.pairs import LinkView, PairView
from aligner.qa.registry import Params, check

_LATIN_WORD = regex.compile(r"\p{Latin}{2,}")


def copied_share(src: str, tgt: str) -> float:
    """How much of the target is the source copied (1.0 when identical)."""
    return SequenceMatcher(None, src, tgt, autojunk=False).ratio()


def wordy(text: str, chinese: bool) -> bool:
    """Enough text to judge its language: three Latin words, or four Han characters."""
    return len(HAN.findall(text)) >= 4 if chinese else len(_LATIN_WORD.findall(text)) >= 3


def wrong_script(text: str, lang: str) -> bool:
    """A Chinese version mostly in Latin letters, or another version mostly in Han characters."""
    if lang.startswith("zh"):
        return han_ratio(text) < 0.5 and wordy(text, False)
    return han_ratio(text) > 0.3 and wordy(text, True)


def translated_links(pairs: list[PairView]) -> Iterator[tuple[PairView, LinkView]]:
    """Every link of the pairs whose versions are different languages (not zh-Hans ↔ zh-Hant)."""
    for pair in pairs:
        if not (pair.src_lang.startswith("zh") and pair.tgt_lang.startswith("zh")) and pair.src_lang != pair.tgt_lang:
            yield from ((pair, view) for view in pair.links)


@check("untranslated", "a translation that equals or mostly copies its source", copied=0.7)
def untranslated(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for pair, view in translated_links(pairs):
        src, tgt = view.src_text, view.tgt_text
        if src and tgt and wordy(src, pair.src_lang.startswith("zh")):
            share = copied_share(src, tgt)
            if share >= params["copied"]:
                yield view.finding("untranslated", "error", f"the {pair.tgt_lang} text copies the source ({share:.0%} the same)")


@check("wrong-language", "text in another language than its version (English in the Chinese version)", copied=0.7)
def wrong_language(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for pair, view in translated_links(pairs):
        src, tgt = view.src_text, view.tgt_text
        if tgt and wrong_script(tgt, pair.tgt_lang) and not (src and copied_share(src, tgt) >= params["copied"]):
            script = "Latin letters" if pair.tgt_lang.startswith("zh") else "Han characters"
            yield view.finding("wrong-language", "error", f"the {pair.tgt_lang} text is written in {script}: wrong language")
