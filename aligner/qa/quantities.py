"""Numbers for QA, built on `aligner.align.anchors`: adds what comparing translations needs.

`anchors.numbers` reads digits, Chinese numerals (二〇一三年三月十二日) and English number words;
this module first rewrites the forms it does not combine into digits, so both sides agree:
percentages (百分之五 → 5%), magnitudes (500万, 3.5亿, 5 million → 5000000), English number
phrases (two hundred → 200, fourscore → 80), ordinals (third, 第三 → 3), decade → 10, decades of
a century (20世纪60年代 → 1960年代, as "1960s" reads) and numbered figures (图2.1, Figure 2-1 →
2 1); what a sentence states also reads ordinals with any noun (第三批 → 3) and Roman numbers
of chapters and parts (Chapter II → 2).

A numeral fused into a CC-CEDICT word is not a quantity when the word's first sense names no
number: 百姓 "common people", 二元 "duality", 十分 "very", 第二天 "the next day". Words whose first
sense names one still count (三月 "March", 两国 "both countries", 第二 "second", 千万 "ten million").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cache

import regex

from aligner.align.anchors import chinese_numeral, numbers
from aligner.qa.cedict import lexicon

_CN_RUN = "[〇○零一二三四五六七八九两兩十拾百佰千仟万萬亿億]+"
_CN_DECIMAL = regex.compile(rf"({_CN_RUN})(?:[点點]([〇○零一二三四五六七八九]+))?")
_PERCENT_CN = regex.compile(rf"百分之\s*((?:\d+(?:\.\d+)?)|(?:{_CN_RUN}(?:[点點][〇○零一二三四五六七八九]+)?))")
_SCALES = {
    "万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000,
    "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12,
}
_MAGNITUDE = regex.compile(r"(\d+(?:\.\d+)?)\s*(万|萬|亿|億|thousand|million|billion|trillion)\b?", regex.I)
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
    "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
    "hundredth": 100, "thousandth": 1000,
}
_GROUPS = {"decade": 10, "decades": 10, "dozen": 12, "dozens": 12, "twice": 2, "thrice": 3}
_MULTIPLIERS = frozenset({"decade", "decades", "dozen", "dozens"})  # two decades → 20
_SCALE_ORDINALS = frozenset({"hundredth", "thousandth"})  # six hundredth → 600
# English words that imply a number without stating it (both → 2): enough to excuse, not to demand.
_IMPLIED = {
    "both": 2, "pair": 2, "couple": 2, "double": 2, "bilateral": 2, "twin": 2,
    "triple": 3, "trilateral": 3, "century": 100, "centuries": 100,
}
_WORD = regex.compile(r"[A-Za-z]+")
_SCALE_WORDS = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_ARTICLES = ("a", "an", "one")
_NUMBER = rf"(\d+|{_CN_RUN})"
_DECADE = regex.compile(rf"{_NUMBER}\s*世[纪紀]\s*{_NUMBER}\s*年代")
_BARE_DECADE = regex.compile(rf"(?<![\d世纪紀]\s*){_NUMBER}\s*年代")
_FIGURE = regex.compile(
    r"(?<=(?:\b(?i:Figure|Fig\.|Table|Chapter|Section|Equation)|[图圖表式章节節])\s*\d+)[.\-–](?=\d)|(?<=\d)\.(?=\d+\s*[节節章])"
)
_APPROX = regex.compile("(?<![〇○零一二两兩三四五六七八九十百千万萬亿億])([一二两兩三四五六七八])([二两兩三四五六七八九])(?![〇○零一二两兩三四五六七八九十百千万萬亿億])")
_PLURAL = regex.compile(r"\b([a-z]+?)(ies|s)\b", regex.I)
_MAX_WORD = 4
_ORDINAL_CN = regex.compile(rf"第({_CN_RUN})")
_ROMAN = regex.compile(r"\b(?:chapter|book|part|volume|section|act|article|psalm|war)\s+([IVX]+)\b", regex.I)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}  # not C or L: "Section C" is a letter
# what makes a lone numeral a count (十天, 百人), as `anchors` reads it, plus measure words
_COUNTER = regex.compile("[年月日号號岁歲章节節点點%个個位次倍天元里人篇部种種名件条條只隻头頭匹斤两兩尺肘]")


def unfused(text: str) -> str:
    """Blank out Chinese numerals that state no quantity: fused into a CC-CEDICT word whose first
    sense names no number (百姓, 二元, 十分 "very", 第二天 "the next day"; the longest word
    covering the numeral decides), or a lone numeral with neither 第 before it nor a counter after
    it (nor a digit before: 5千), as in transliterated names (利百加 Rebekah). Runs on normalised
    text, where 百分之五 and 500万 are digits already."""
    lex = lexicon()

    def blank(match: regex.Match[str]) -> str:
        s, e = match.span()
        covering = [
            text[a:b] for a in range(max(0, e - _MAX_WORD), s + 1) for b in range(e, min(len(text), a + _MAX_WORD) + 1)
            if b - a >= 2 and text[a:b] in lex.words
        ]
        lone = e - s == 1 and not _COUNTER.match(text, e) and not regex.match(r"[第\d]", text[s - 1 : s])
        if (covering and max(covering, key=len) in lex.fused) or lone:
            return "＿" * (e - s)
        return match.group()

    return regex.sub(_CN_RUN, blank, text)


def _roman(numeral: str) -> int:
    """XIV → 14."""
    values = [_ROMAN_VALUES[c] for c in numeral.upper()]
    return sum(-v if v < nxt else v for v, nxt in zip(values, [*values[1:], 0], strict=True))


def _word_number(low: str) -> int | None:
    """An English number word's value, ordinals (third → 3) and scores (fourscore → 80) included."""
    if low in _ORDINALS:
        return _ORDINALS[low]
    if low.endswith("score") and (low == "score" or word_value(low[:-5])):
        return 20 * (word_value(low[:-5]) or 1) if low != "score" else 20
    return word_value(low)


@cache
def word_value(word: str) -> int | None:
    """The value `anchors.numbers` gives an English number word (three → 3), or None."""
    found = numbers(word)
    return int(next(iter(found))) if len(found) == 1 and sum(found.values()) == 1 else None


def _english_phrase(tokens: list[str]) -> int:
    """two hundred and five → 205; five million → 5000000."""
    total = current = 0
    for tok in tokens:
        low = tok.lower()
        value = 1 if low in _ARTICLES else (_word_number(low) or _GROUPS.get(low, 0))
        if low in _SCALE_WORDS or low in _SCALE_ORDINALS or low in _MULTIPLIERS:
            current = max(current, 1) * value
            if value >= 1000:
                total, current = total + current, 0
        else:
            current += value
    return total + current


def _units_after_tens(run: list[regex.Match[str]]) -> bool:
    """The run ends "twenty and one": the one is part of the number (621 in six hundred twenty and one)."""
    words = [m.group().lower() for m in run[-3:]]
    return len(words) == 3 and words[1:] == ["and", "one"] and (word_value(words[0]) or 0) in range(20, 100, 10)


def _ends_number(run: list[regex.Match[str]], low: str) -> bool:
    """The next word starts a new number: after an ordinal, or an ordinal right after a unit
    (three tenth deals: a fraction), while "thirty and first" and "twenty-first" go on."""
    last = run[-1].group().lower()
    if any(m.group().lower() in _ORDINALS.keys() - _SCALE_ORDINALS for m in run):
        return low not in ("and", *_ARTICLES)
    return low in _ORDINALS.keys() - _SCALE_ORDINALS and (word_value(last) or 10) < 10


def _rewrite_english(text: str) -> str:
    """Runs of number words and ordinals become digits: 'two hundred' → '200', 'third' → '3'."""
    out: list[str] = []
    pos = 0
    run: list[regex.Match[str]] = []

    def flush() -> None:
        nonlocal pos
        # "a" joins only a scale word or "and": "a hundred" is 100, "one and forty" 41, but "a second son" 2
        while run and run[0].group().lower() in _ARTICLES and (len(run) == 1 or run[1].group().lower() not in (*_SCALE_WORDS, "and")):
            run.pop(0)
        if run and any(m.group().lower() not in (*_ARTICLES, "and") for m in run):
            while run and run[-1].group().lower() in ("and", *_ARTICLES) and not _units_after_tens(run):
                run.pop()
            if run:
                out.append(text[pos : run[0].start()])
                out.append(str(_english_phrase([m.group() for m in run if m.group().lower() != "and"])))
                pos = run[-1].end()
        run.clear()

    previous = ""
    for match in _WORD.finditer(text):
        low = match.group().lower()
        unit = low == "second" and previous == "per"  # ten frames per second
        previous = low
        numeric = not unit and (low in _SCALE_WORDS or _word_number(low) is not None or (low in _MULTIPLIERS and bool(run)))
        joins = low in ("and", *_ARTICLES) and (run or low != "and")
        if numeric or joins:
            if run and (text[run[-1].end() : match.start()].strip(" -") or _ends_number(run, low)):
                flush()  # twenty-five is one number; "nineteenth and twentieth", "three tenths" are two
            run.append(match)
        else:
            flush()
            if low in _GROUPS:
                out.append(text[pos : match.start()] + str(_GROUPS[low]))
                pos = match.end()
    flush()
    out.append(text[pos:])
    return "".join(out)


def _cn_value(raw: str) -> float:
    """三点五 → 3.5, 二十 → 20, 12.5 → 12.5."""
    if regex.fullmatch(r"\d+(?:\.\d+)?", raw):
        return float(raw)
    match = _CN_DECIMAL.fullmatch(raw)
    if match is None:
        return float(chinese_numeral(raw))
    whole = chinese_numeral(match.group(1))
    frac = match.group(2)
    return whole + (float("0." + str(chinese_numeral(frac))) if frac else 0.0)


def _digits(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _sub(pattern: regex.Pattern[str], text: str, fn: Callable[[regex.Match[str]], str]) -> str:
    return pattern.sub(fn, text)


def normalise(text: str) -> str:
    """Rewrite percentages, magnitudes, ordinals and English number phrases as digits."""
    text = unicodedata.normalize("NFKC", text)
    text = _sub(_PERCENT_CN, text, lambda m: _digits(_cn_value(m.group(1))) + "%")
    text = _sub(_DECADE, text, lambda m: _digits((_cn_value(m.group(1)) - 1) * 100 + _cn_value(m.group(2))) + "年代")
    text = _FIGURE.sub(" ", text)
    text = regex.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    text = _sub(_MAGNITUDE, text, lambda m: " " + _digits(float(m.group(1)) * _SCALES[m.group(2).lower()]) + " ")
    return _rewrite_english(text)


def _approximate(text: str) -> str:
    """Two neighbouring numerals are a range, not one number: 一两次 "once or twice" → 1或2次."""

    def split(m: regex.Match[str]) -> str:
        a, b = chinese_numeral(m.group(1)), chinese_numeral(m.group(2))
        return f"{a}或{b}" if b == a + 1 else m.group()

    return _APPROX.sub(split, text)


def stated(text: str) -> set[float]:
    """The numbers a sentence states (digits, numerals with a counter, dates, number words),
    not numerals fused into words (百姓)."""
    text = _approximate(unfused(normalise(text)))
    text = _sub(_ORDINAL_CN, text, lambda m: "第" + _digits(_cn_value(m.group(1))))
    text = _sub(_ROMAN, text, lambda m: m.group().removesuffix(m.group(1)) + str(_roman(m.group(1))))
    return {float(v) for v in numbers(text)}


@cache
def _sense_numbers(sense: str) -> set[float]:
    """The numbers a CC-CEDICT sense names ("second son" → 2)."""
    return stated(sense)


def mentioned(text: str) -> set[float]:
    """Every number a sentence could be read as mentioning: what it states, plus every Chinese
    numeral (两国, 六方), words whose first CC-CEDICT sense names a number (次子 "second son") and
    English words that imply one (both, bilateral, century, fifties)."""
    norm = normalise(text)
    found = stated(text)
    found.update(float(chinese_numeral(m.group())) for m in regex.finditer(_CN_RUN, _approximate(norm)))
    counting = lexicon().counting  # words whose first sense names a number: 次子 "second son"
    for size in range(2, _MAX_WORD + 1):
        for start in range(len(norm) - size + 1):
            if (sense := counting.get(norm[start : start + size])) is not None:
                found |= _sense_numbers(sense)
    for m in _PLURAL.finditer(norm):  # rulers of fifties, tens, thousands; the seventies
        one = m.group(1) + ("y" if m.group(2).lower() == "ies" else "")
        value = word_value(one.lower()) or _SCALE_WORDS.get(one.lower())
        if value:
            found.update((value, 1900 + value, 2000 + value) if m.group(2).lower() == "ies" and value % 10 == 0 else (value,))
    for m in _BARE_DECADE.finditer(norm):  # 60年代 is the 1960s or the 2060s
        decade = _cn_value(m.group(1))
        found.update((decade, 1900 + decade, 2000 + decade) if decade < 100 else (decade,))
    found.update(float(m.group(1)) for m in regex.finditer(r"\b\d\d(\d0)s\b", norm))  # the 1960s are the 60s
    found.update(float(v) for w, v in _IMPLIED.items() if regex.search(rf"\b{w}\b", norm, regex.I))
    if regex.search("[双雙俩倆对對]", norm):
        found.add(2.0)
    found.update((0.0, 1.0))
    return found


def in_digits(text: str) -> set[float]:
    """The numbers written with digits (after normalising percentages and magnitudes)."""
    norm = normalise(text)
    return {float(v) for m in regex.finditer(r"\d+(?:\.\d+)?", norm) for v in numbers(m.group())}
