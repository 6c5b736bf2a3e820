"""Language tags and script detection: BCP 47 tags, Han by Unicode property, Simplified vs Traditional."""

from __future__ import annotations

from functools import lru_cache

import regex

from aligner.errors import LanguageError

HAN = regex.compile(r"\p{Han}")  # any Han character, Extension B included
_LATIN = regex.compile(r"\p{Latin}")

# Tags people type for Chinese, as (version key, region): the key is the tag without its region.
_ALIASES = {
    "zh-cn": ("zh-Hans", "CN"), "zh-sg": ("zh-Hans", "SG"),
    "zh-tw": ("zh-Hant", "TW"), "zh-hk": ("zh-Hant", "HK"), "zh-mo": ("zh-Hant", "MO"),
}
REGION_NAMES = {"TW": "Taiwan", "HK": "Hong Kong", "MO": "Macau", "CN": "mainland China", "SG": "Singapore"}


def is_region(subtag: str) -> bool:
    """A BCP 47 region subtag: two letters (TW, HK) or three digits (419)."""
    return (len(subtag) == 2 and subtag.isalpha()) or (len(subtag) == 3 and subtag.isdigit())


def _is_script(subtag: str) -> bool:
    """A BCP 47 script subtag: four letters (Hant, Latn)."""
    return len(subtag) == 4 and subtag.isalpha()


def split_tag(tag: str) -> tuple[str, str]:
    """(version key, region) of a BCP 47 tag: zh-TW → (zh-Hant, TW), zh-Hant-HK → (zh-Hant, HK), en → (en, '').

    The key names the version's file and sentence ids (zh-Hant.xml, zh-Hant.p1.s1), so a
    region added later does not rename anything; the region says whose usage the text follows.
    """
    low = tag.strip().replace("_", "-").lower()
    if low in _ALIASES:
        return _ALIASES[low]
    parts = low.split("-")
    if not parts[0].isalpha() or not 2 <= len(parts[0]) <= 3 or not all(parts[1:]):
        raise LanguageError(f"'{tag}' is not a language tag; use a BCP 47 tag such as en, zh-Hans, zh-Hant-TW")
    subtags = [parts[0]] + [p.title() if len(p) == 4 else p.upper() for p in parts[1:]]
    at = 2 if len(subtags) > 1 and _is_script(subtags[1]) else 1
    region = subtags.pop(at) if len(subtags) > at and is_region(subtags[at]) else ""
    return "-".join(subtags), region


def normalize_tag(tag: str) -> str:
    """The version key of a language tag (zh-CN → zh-Hans, zh-Hant-TW → zh-Hant, EN → en)."""
    return split_tag(tag)[0]


def full_tag(key: str, region: str) -> str:
    """The BCP 47 tag of a version: its key with the region in place (zh-Hant + TW → zh-Hant-TW)."""
    if not region:
        return key
    head, *rest = key.split("-")
    at = 1 if rest and _is_script(rest[0]) else 0
    return "-".join([head, *rest[:at], region, *rest[at:]])


def region_name(region: str) -> str:
    """A region's name for people: TW → Taiwan; an unknown code stays as it is."""
    return REGION_NAMES.get(region, region)


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
