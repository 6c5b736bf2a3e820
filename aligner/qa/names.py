"""Latin-script names, acronyms and codes (UN, CICIR, A380) missing from the translation.

An acronym may be translated: UN is 联合国. It counts as present when the translation has a
word that CC-CEDICT glosses with it or whose gloss it abbreviates. An ordinary English word set
in capitals (the King James Bible's LORD, headings) is not an acronym: one CC-CEDICT does not
list as an acronym, either a function word (THE, OF in a heading) or one whose stem glosses at
least ten headwords (LORD, GOD, TIME; not RAND).
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
_COMMON = 10  # headwords an English stem must gloss to count as an ordinary word
# a unit written after a number (500Km, 75-76GHz, CP-16-mm): the number is the numbers check's
_UNIT = regex.compile(r"[-\s]?(?:km|Km|KM|cm|mm|kg|mg|GHz|MHz|kHz|Hz|KB|MB|GB|TB|kW|MW|mph)$")


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
    words = lexicon().acronyms.get(wanted, frozenset()) | lexicon().acronyms.get(wanted + "A", frozenset())
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
                strict = both_zh or any(_CODE.fullmatch(t) for t in lost)
                yield view.finding(
                    "names", "error" if strict else "warning",
                    f"{', '.join(lost)} not in the {pair.tgt_lang} text (nor a known translation of it)",
                )
