"""Required literals of a regular expression: what every match must contain, or nothing when unsure."""

from __future__ import annotations

import pytest
import regex

from aligner.regex_literals import required_literals

CASES = [
    # pattern, literals every match contains (longest first)
    (r"\bcomputers?\b", ["computer"]),
    (r"(?>abc)def", ["abcdef"]),  # groups join their neighbours
    (r"(abc)+xy", ["abc"]),  # a repeat of at least one keeps its inside, cuts the run
    (r"(abc)*xyz", ["xyz"]),  # an optional repeat keeps nothing
    (r"a{2,}bcd", ["bcd"]),
    (r"the \w+ of israel", [" of israel", "the "]),
    ("以色列人", ["以色列人"]),
    ("(?i)kiwi fruit", [" fru"]),  # case-insensitive: cut at i (İ, ı) and non-ASCII
    ("(?i:abcd)efg", ["abcd", "efg"]),
    ('say "hi" now', ['say "hi" now']),
    # nothing certain: alternatives, lookarounds, too short, and syntax `regex` reads differently
    (r"(abc)def|x", []),
    (r"x(?=abc)", []),
    (r"ab.cd", []),
    (r"(?:foo){e<=1}", []),  # fuzzy match in `regex`, literal braces in `re`
    (r"[[:alpha:]]abc", []),  # POSIX class in `regex`, a set and "]" in `re`
    (r"\p{Han}abc", []),  # `re` cannot read it
    ("(", []),
]


@pytest.mark.parametrize(("pattern", "expected"), CASES)
def test_required_literals(pattern: str, expected: list[str]) -> None:
    assert required_literals(pattern) == expected


@pytest.mark.parametrize(
    ("pattern", "text"),
    [(r"\bcomputers?\b", "Computers and a computer."), ("(?>abc)def", "xxabcdefyy"), ("(abc)+xy", "abcabcxy"),
     ("(?i)kiwi fruit", "KİWİ FRUIT"), (r"the \w+ of israel", "all the children of israel")],
)
def test_every_match_contains_the_literals(pattern: str, text: str) -> None:
    match = regex.search(pattern, text)
    assert match is not None
    assert all(lit.casefold() in text.casefold() for lit in required_literals(pattern))
