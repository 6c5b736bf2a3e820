"""Required literals of a regular expression: what every match must contain, or nothing when unsure."""

from __future__ import annotations

import pytest
import regex

from aligner.regex_literals import required_literals

CASES = [
    # pattern, clauses every match satisfies (each a tuple of alternatives; single literals first, longest first)
    (r"\bcomputers?\b", [("computer",)]),
    (r"(?>abc)def", [("abcdef",)]),  # groups join their neighbours
    (r"(abc)+xy", [("abc",)]),  # a repeat of at least one keeps its inside, cuts the run
    (r"(abc)*xyz", [("xyz",)]),  # an optional repeat keeps nothing
    (r"a{2,}bcd", [("bcd",)]),
    (r"the \w+ of israel", [(" of israel",), ("the ",)]),
    ("以色列人", [("以色列人",)]),
    ("(?i)kiwi fruit", [(" fru",)]),  # case-insensitive: cut at i (İ, ı) and non-ASCII
    ("(?i:abcd)efg", [("abcd",), ("efg",)]),
    ('say "hi" now', [('say "hi" now',)]),
    # alternatives: one literal of each branch, or nothing when a branch has none
    (r"(cat|dog)s", [("cat", "dog")]),
    (r"(foo|bar)baz?", [("bar", "foo")]),
    (r"(?:(abc|def)|ghi)x", [("abc", "def", "ghi")]),  # nested alternatives unite
    (r"abc.*xyz|uvw", [("abc", "uvw")]),  # a branch of several literals is represented by one
    (r"cats|catz", [("cat",)]),  # a shared prefix is a plain run
    (r"(abc)def|x", []),
    (r"(abcd|ef)gh", []),
    (r"(?:以色列|摩西)人", []),  # 摩西 is too short to look up (runs do not reach past a branch)
    # nothing certain: lookarounds, too short, and syntax `regex` reads differently
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
     ("(?i)kiwi fruit", "KİWİ FRUIT"), (r"the \w+ of israel", "all the children of israel"),
     (r"(cat|dog)s", "hot dogs"), (r"(?:(abc|def)|ghi)x", "ghix")],
)
def test_every_match_contains_the_literals(pattern: str, text: str) -> None:
    match = regex.search(pattern, text)
    assert match is not None
    clauses = required_literals(pattern)
    assert clauses
    assert all(any(lit.casefold() in text.casefold() for lit in clause) for clause in clauses)
