"""Numbers as anchors: digits, Chinese numerals, English number and month words, normalised.

二〇一三年三月十二日 and 12 March 2013 both give {2013, 3, 12}; 第2094号 gives {2094}. The value 1
is ignored: "a"/"one"/一 are too common to anchor anything.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import regex

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {
    "零": 0,
    "○": 0,
    "两": 2,
    "兩": 2,
}
_CN_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CN_NUMERAL = regex.compile("[〇○零一二三四五六七八九两兩十拾百佰千仟万萬亿億]+")
_ARABIC = regex.compile(r"\d+(?:[,.]\d{3})*(?:\.\d+)?")
# Context that makes a lone Chinese numeral a number rather than part of a word (一些, 一直).
_CN_COUNTER = regex.compile("^[年月日号號岁歲章节節点點%个個位次倍天元里人]")

_EN_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_DE_FR_WORDS = {
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "zwölf": 12,
    "hundert": 100,
    "tausend": 1000,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "douze": 12,
    "cent": 100,
    "mille": 1000,
}
_NUMBER_WORDS = _EN_WORDS | _DE_FR_WORDS
_WORD = regex.compile(r"\w+")  # a number word is a whole run of word characters
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]+")  # the same runs in ASCII text, by the faster engine


def chinese_numeral(text: str) -> int:
    """Return the value of a Chinese numeral: 二〇一三 = 2013, 三百五十 = 350, 十二 = 12, 两万 = 20000."""
    if all(c in _CN_DIGIT for c in text):  # digit by digit, as in years
        return int("".join(str(_CN_DIGIT[c]) for c in text))
    total = section = digit = 0
    for char in text:
        if char in _CN_DIGIT:
            digit = _CN_DIGIT[char]
        elif char in _CN_UNIT:
            section += (digit or 1) * _CN_UNIT[char]
            digit = 0
        else:
            total += (section + digit) * _CN_BIG[char]
            section = digit = 0
    return total + section + digit


def numbers(text: str) -> Counter[int | float]:
    """Return the multiset of numbers a sentence mentions, whatever script writes them.

    Plain ASCII (most English, German or French sentences) needs no normalising and has no
    Chinese numerals, and its words are runs of [A-Za-z0-9_]: it skips those steps.
    """
    plain = text.isascii()
    if not plain:
        text = unicodedata.normalize("NFKC", text)
    found: Counter[int | float] = Counter()
    for match in _ARABIC.finditer(text):
        raw = match.group()
        value = float(raw.replace(",", "")) if "." in raw.replace(",", "") else None
        if value is None or not regex.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw):
            found[value if value is not None else int(raw.replace(",", ""))] += 1
        else:  # 1.000 or 1,000 as a thousands separator
            found[int(regex.sub(r"[.,]", "", raw))] += 1
    for match in () if plain else CN_NUMERAL.finditer(text):
        raw = match.group()
        lone = len(raw) == 1 and raw not in "十百千万萬亿億"
        if lone and not _CN_COUNTER.match(text[match.end() :]):
            continue
        found[chinese_numeral(raw)] += 1
    words = (_ASCII_WORD if plain else _WORD).findall(text.lower())
    if not _NUMBER_WORDS.keys().isdisjoint(words):  # most sentences have no number word
        found.update(_NUMBER_WORDS[word] for word in words if word in _NUMBER_WORDS)
    found.pop(1, None)
    found.pop(0, None)
    return found
