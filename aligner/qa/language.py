"""Untranslated text (the target copies the source) and text in the wrong language (an English
sentence in the Chinese version).

Both compare the words a translator translates: URLs, e-mail addresses and code-like tokens
(H100, A380, file_name.py) stay as they are in any language, so they are taken out first. A
Chinese sentence with product names, acronyms and a URL in it (据TrendForce的报告，Nvidia的H100
GPU仍然供不应求。) is Chinese; it is in the wrong language when it has more Latin words than Han
characters (an English word says about what one to two Han characters say), or when it is
Japanese (kana make a fifth of its kana and Han characters). A Japanese version writes Han
characters too: it is judged on Latin words as a Chinese one is.
"""

from __future__ import annotations

from collections.abc import Iterator
from difflib import SequenceMatcher

import regex

from aligner.ingest.langs import HAN, han_ratio
from aligner.qa.findings import Finding
from aligner.qa.pairs import LinkView, PairView
from aligner.qa.registry import Params, check

_LATIN_WORD = regex.compile(r"\p{Latin}{2,}")
# a word, with its apostrophes (don't, Nvidia's): what the Latin side of a text is counted in
_WORD = regex.compile(r"\p{Latin}+(?:['’]\p{Latin}+)*")
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
# left as they are in every language: URLs, e-mail addresses, and code-like tokens (letters with
# digits or underscores: H100, MI300X, file_name; dotted or slashed paths: config.toml, /usr/bin)
_VERBATIM = regex.compile(
    r"(?:https?|ftp)://[!-~]+|www\.[!-~]+"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    r"|(?<![\p{Latin}\d_])(?:[\p{Latin}\d_.~-]*[/\\]){2,}[\p{Latin}\d_.-]*"  # paths: /usr/bin/env, docs/api/index.md
    r"|(?<![\p{Latin}\d_])[\p{Latin}\d_-]{2,}(?:\.[a-z\d_][\p{Latin}\d_-]+)+(?![\p{Latin}\d_])"  # dotted: setup.py, numpy.linalg
    r"|(?<![\p{Latin}\d_])(?=[\p{Latin}\d_-]*[\p{Latin}_])(?=[\p{Latin}\d_-]*[\d_])[\p{Latin}\d_]+(?:-[\p{Latin}\d_]+)*(?![\p{Latin}\d_])"
)


def prose(text: str) -> str:
    """The text without what no translator translates: URLs, e-mail addresses, code-like tokens."""
    return _VERBATIM.sub(" ", text)


def copied_share(src: str, tgt: str) -> float:
    """How much of the target is the source copied (1.0 when identical), URLs, e-mail addresses
    and code-like tokens left out (a translation keeps them)."""
    return SequenceMatcher(None, prose(src), prose(tgt), autojunk=False).ratio()


def wordy(text: str, chinese: bool) -> bool:
    """Enough text to judge its language: three Latin words, or four Han characters."""
    return len(HAN.findall(text)) >= 4 if chinese else len(_LATIN_WORD.findall(text)) >= 3


def foreign_script(text: str, lang: str) -> str:
    """The script that makes `text` another language than `lang`, or "": Latin letters in a
    Chinese or Japanese version with more Latin words than Han characters (URLs, e-mail addresses
    and code-like tokens left out), Japanese kana in a Chinese version, Han characters in another
    version mostly written in them."""
    if lang.startswith(("zh", "ja")):
        words = prose(text)
        han, kana = len(HAN.findall(words)), len(_KANA.findall(words))
        if wordy(words, False) and len(_WORD.findall(words)) > han + kana:
            return "Latin letters"
        return "Japanese kana" if lang.startswith("zh") and kana >= 2 and 5 * kana >= han + kana else ""
    return "Han characters" if han_ratio(text) > 0.3 and wordy(text, True) else ""


def wrong_script(text: str, lang: str) -> bool:
    """Whether `text` is written in another script than its version's language (`foreign_script`)."""
    return bool(foreign_script(text, lang))


def translated_links(pairs: list[PairView]) -> Iterator[tuple[PairView, LinkView]]:
    """Every link of the pairs whose versions are different languages (not zh-Hans ↔ zh-Hant)."""
    for pair in pairs:
        if not (pair.src_lang.startswith("zh") and pair.tgt_lang.startswith("zh")) and pair.src_lang != pair.tgt_lang:
            yield from ((pair, view) for view in pair.links)


@check("untranslated", "a translation that equals or mostly copies its source", copied=0.7)
def untranslated(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for pair, view in translated_links(pairs):
        src, tgt = view.src_text, view.tgt_text
        if src and tgt and wordy(prose(src), pair.src_lang.startswith("zh")):
            share = copied_share(src, tgt)
            if share >= params["copied"]:
                yield view.finding("untranslated", "error", f"the {pair.tgt_lang} text copies the source ({share:.0%} the same)")


@check("wrong-language", "text in another language than its version (English in the Chinese version)", copied=0.7)
def wrong_language(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for pair, view in translated_links(pairs):
        src, tgt = view.src_text, view.tgt_text
        script = foreign_script(tgt, pair.tgt_lang) if tgt else ""
        if script and not (src and copied_share(src, tgt) >= params["copied"]):
            yield view.finding("wrong-language", "error", f"the {pair.tgt_lang} text is written in {script}: wrong language")
