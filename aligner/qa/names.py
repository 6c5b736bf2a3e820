"""Latin-script names, acronyms and codes (UN, CICIR, A380) missing from the translation.

An acronym may be translated: UN is 联合国. It counts as present when the translation has a
word that CC-CEDICT glosses with it or whose gloss it abbreviates. An ordinary English word set
in capitals (the King James Bible's LORD, headings) is not an acronym: one CC-CEDICT does not
list as an acronym, either a function word (THE, OF in a heading) or one whose stem glosses at
least ten headwords (LORD, GOD, TIME; not RAND).

Some abbreviations are translated as a rule and CC-CEDICT does not give the word: currency
prefixes (NT$ 新台币, HK$ 港元, US$ 美元), reporting periods (Q1 第一季度 or 第一季, H1 上半年) and
company titles in each region's usage (CEO 首席执行官 on the mainland, 執行長 in Taiwan, 行政總裁 in
Hong Kong): `TRANSLATED` adds them. A reporting period (Q1–Q4, H1, H2, FY2024) is written out in
words by translators, so it is not held to as strictly as a code (A380, H1N1) is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import cache

import regex

from aligner.align.lexicon import english_words, gloss_table, stem
from aligner.qa.cedict import lexicon
from aligner.qa.findings import Finding
from aligner.qa.language import wrong_script
from aligner.qa.pairs import PairView
from aligner.qa.registry import Params, check

_ACRONYM = regex.compile(r"(?<![\p{L}\d])\p{Lu}(?:\.?\p{Lu})+\.?(?![\p{L}\d])")
_CODE = regex.compile(r"(?<![\p{L}\d])(?=[\p{L}-]*\d)(?=[\d-]*\p{L})[\p{Latin}\d]+(?:-[\p{Latin}\d]+)*(?![\p{L}\d])")
_LATIN_WORD = regex.compile(r"\p{Latin}[\p{Latin}\d.'’&-]*\p{Latin}|\p{Latin}")
# a reporting period: a quarter, a half year, a fiscal year (translated in words, not a code)
_PERIOD = regex.compile(r"Q[1-4]|H[12]|FY(?:\d{2}){1,2}")
_COMMON = 10  # headwords an English stem must gloss to count as an ordinary word
# a unit written after a number (500Km, 75-76GHz, CP-16-mm): the number is the numbers check's
_UNIT = regex.compile(r"[-\s]?(?:km|Km|KM|cm|mm|kg|mg|GHz|MHz|kHz|Hz|KB|MB|GB|TB|kW|MW|mph)$")


def _words(*groups: str) -> frozenset[str]:
    return frozenset(w for group in groups for w in group.split())


# Translations a translator is expected to use that CC-CEDICT does not list under the
# abbreviation, in both scripts (the lexicon's form: abbreviation → words).
TRANSLATED: dict[str, frozenset[str]] = {
    # currency prefixes and codes: NT$2.3 billion is 23亿新台币, 新臺幣23億元
    "NT": _words("新台币 台币 新臺幣 新台幣 臺幣 台幣"),
    "NTD": _words("新台币 台币 新臺幣 新台幣 臺幣 台幣"),
    "HK": _words("港元 港币 港圆 港幣 港圓 香港"),
    "HKD": _words("港元 港币 港圆 港幣 港圓"),
    "US": _words("美元 美金"),
    "USD": _words("美元 美金"),
    # reporting periods
    "Q1": _words("第一季 第一季度 一季度 首季 头季 頭季 1季度 第1季"),
    "Q2": _words("第二季 第二季度 二季度 2季度 第2季"),
    "Q3": _words("第三季 第三季度 三季度 3季度 第3季"),
    "Q4": _words("第四季 第四季度 四季度 4季度 第4季 末季"),
    "H1": _words("上半年 上半财年 上半財年"),
    "H2": _words("下半年 下半财年 下半財年"),
    # titles: the mainland's, Taiwan's and Hong Kong's usual words
    "CEO": _words("首席执行官 执行长 行政总裁 总裁", "首席執行官 執行長 行政總裁 總裁"),
    "CFO": _words("首席财务官 财务长 财务总监", "首席財務官 財務長 財務總監"),
    "CTO": _words("首席技术官 技术长 技术总监", "首席技術官 技術長 技術總監"),
    "COO": _words("首席运营官 营运长 运营长 营运总监", "首席營運官 首席運營官 營運長 運營長 營運總監"),
}


@cache
def _gloss_counts() -> Counter[str]:
    """How many CC-CEDICT headwords each English stem glosses."""
    return Counter(s for stems in gloss_table().values() for s in set(stems))


def capitalised_word(token: str) -> bool:
    """An ordinary English word in capitals (LORD, TIME), not an acronym (NASA, UN, RAND)."""
    letters = token.rstrip(".")
    if not letters.isalpha() or letters in lexicon().acronyms:
        return False
    function_word = not english_words(letters.lower())  # THE, OF in a heading
    return function_word or (len(letters) >= 3 and _gloss_counts()[stem(letters.lower())] >= _COMMON)


def key(token: str) -> str:
    """U.S. → US: how tokens are compared."""
    return token.replace(".", "").upper()


def tokens(text: str, chinese: bool) -> list[str]:
    """The Latin tokens a translation must keep: acronyms and codes; in Chinese text, any Latin word."""
    codes = [_UNIT.sub("", c) for c in _CODE.findall(text)]
    codes = [c for c in codes if any(ch.isupper() for ch in c)]  # not 12-week, 1920s, 20th, 500Km
    acronyms = [a if "." in a[:-1] else a.rstrip(".") for a in _ACRONYM.findall(text)]  # NATO. ends a sentence; U.S. keeps its dots
    found = [a for a in acronyms if not capitalised_word(a)] + codes
    if chinese:
        found += [w for w in _LATIN_WORD.findall(text) if len(w) > 1]
    return list(dict.fromkeys(found))


def kept(token: str, target: str) -> bool:
    """The target writes the token, or a word CC-CEDICT gives for it (UN → 联合国)."""
    wanted = key(token)
    if any(key(t) == wanted for t in _LATIN_WORD.findall(target)):
        return True
    if wanted in regex.sub(r"[.\s]", "", target).upper():
        return True
    acronyms = lexicon().acronyms
    words = acronyms.get(wanted, frozenset()) | acronyms.get(wanted + "A", frozenset()) | TRANSLATED.get(wanted, frozenset())
    return any(w in target for w in words)


@check("names", "a Latin-script name, acronym or code of the source missing from the translation")
def missing_names(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for pair in pairs:
        src_zh = pair.src_lang.startswith("zh")
        both_zh = src_zh and pair.tgt_lang.startswith("zh")
        for view in pair.links:
            if not (view.link.src and view.link.tgt) or any(
                wrong_script(text, lang) for text, lang in ((view.src_text, pair.src_lang), (view.tgt_text, pair.tgt_lang))
            ):
                continue  # text in the wrong language is another check's finding
            lost = [t for t in tokens(view.src_text, src_zh) if not kept(t, view.tgt_text)]
            if lost:
                strict = both_zh or any(_CODE.fullmatch(t) and not _PERIOD.fullmatch(t) for t in lost)
                yield view.finding(
                    "names", "error" if strict else "warning",
                    f"{', '.join(lost)} not in the {pair.tgt_lang} text (nor a known translation of it)",
                )
