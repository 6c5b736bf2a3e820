"""Language tags and script detection: BCP 47 tags, Han by Unicode property, Simplified vs Traditional."""

from __future__ import annotations

from functools import lru_cache

import regex

from aligner.errors import LanguageError

HAN = regex.compile(r"\p{Han}")  # any Han character, Extension B included
_LATIN = regex.compile(r"\p{Latin}")

# Tags people type, and the BCP 47 tag we store.
_ALIASES = {
    "zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-hans": "zh-Hans", "zh-hans-cn": "zh-Hans",
    "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-mo": "zh-Hant", "zh-hant": "zh-Hant",
    "zh-hant-tw": "zh-Hant", "zh": "zh",
}


def normalize_tag(tag: str) -> str:
    """Canonical BCP 47 form of a language tag (zh-CN → zh-Hans, EN → en)."""
    low = tag.strip().replace("_", "-").lower()
    if low in _ALIASES:
        return _ALIASES[low]
    parts = low.split("-")
    if not parts[0].isalpha() or not 2 <= len(parts[0]) <= 3:
        raise LanguageError(f"'{tag}' is not a language tag; use a BCP 47 tag such as en, zh-Hans, zh-Hant")
    return "-".join([parts[0]] + [p.title() if len(p) == 4 else p.upper() for p in parts[1:]])


def is_chinese(char: str) -> bool:
    """True for a Han character (any CJK block, Extension B included)."""
    return bool(HAN.match(char))


def han_ratio(text: str) -> float:
    """Share of Han characters among the letters of a text."""
    han = len(HAN.findall(text))
    latin = len(_LATIN.findall(text))
    return han / (han + latin) if han + latin else 0.0


@lru_cache(maxsize=4)
def converter(config: str) -> object:
    """An OpenCC converter for a config such as s2t, t2s or s2twp, built once."""
    import opencc

    return opencc.OpenCC(config)


def convert(text: str, config: str) -> str:
    """Convert Chinese text with OpenCC (s2t, t2s, s2twp …)."""
    return converter(config).convert(text)  # type: ignore[attr-defined]


def chinese_script(text: str) -> str:
    """'zh-Hans', 'zh-Hant', or 'zh' when the text uses only characters shared by both."""
    han = "".join(HAN.findall(text))
    simplified_only = sum(a != b for a, b in zip(han, convert(han, "s2t"), strict=False))
    traditional_only = sum(a != b for a, b in zip(han, convert(han, "t2s"), strict=False))
    if simplified_only == traditional_only:
        return "zh"
    return "zh-Hans" if simplified_only > traditional_only else "zh-Hant"


def detect_language(text: str) -> str:
    """Guess en or zh-Hans/zh-Hant from the script of a text (enough to tell our versions apart)."""
    if han_ratio(text) >= 0.5:
        script = chinese_script(text)
        return script if script != "zh" else "zh-Hans"
    return "en"


_NO_SPACE = regex.compile(r"^(zh|ja|lzh|yue|wuu|th|lo|km|my)\b", regex.IGNORECASE)


def joiner(lang: str) -> str:
    """How a language joins sentences: nothing for Chinese, Japanese, Thai …; a space otherwise."""
    return "" if _NO_SPACE.match(lang) else " "
