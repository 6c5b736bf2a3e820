"""Patterns cut into tokens: escapes and sets stay whole, groups and quantifiers are told apart."""

from __future__ import annotations

import pytest
import regex

from aligner.search.regex_tokens import group_end, tokens

CASES = [
    # pattern, its tokens as (kind, text), or None when the reader does not follow the syntax
    (r"\p{Lu}{12}(?!\w)", [("escape", r"\p{Lu}"), ("quantifier", "{12}"), ("open", "(?!"), ("escape", r"\w"), ("close", ")")]),
    (r"\w*z\d", [("escape", r"\w"), ("quantifier", "*"), ("char", "z"), ("escape", r"\d")]),
    (r"[]a\]b]+?x", [("set", r"[]a\]b]"), ("quantifier", "+?"), ("char", "x")]),  # "]" first is a member
    (r"[^]\p{L}]", [("set", r"[^]\p{L}]")]),
    (r"(?P<n>a)(?P=n)\1", [("open", "(?P<n>"), ("char", "a"), ("close", ")"), ("alone", "(?P=n)"), ("escape", r"\1")]),
    (r"(?i)a(?#c)(?>b)++|c{2,}+", [("alone", "(?i)"), ("char", "a"), ("alone", "(?#c)"), ("open", "(?>"), ("char", "b"),
                                   ("close", ")"), ("quantifier", "++"), ("bar", "|"), ("char", "c"), ("quantifier", "{2,}+")]),
    (r"(?<=a)(?<!b)(?<c>d)", [("open", "(?<="), ("char", "a"), ("close", ")"), ("open", "(?<!"), ("char", "b"), ("close", ")"),
                              ("open", "(?<c>"), ("char", "d"), ("close", ")")]),
    (r"\x41\u0041\N{BULLET}\pL\PL", [("escape", r"\x41"), ("escape", r"\u0041"), ("escape", r"\N{BULLET}"), ("escape", r"\pL"),
                                     ("escape", r"\PL")]),
    (r"(*SKIP)(*F)a", [("alone", "(*SKIP)"), ("alone", "(*F)"), ("char", "a")]),
    ("\\\\p{,2}\\{", [("escape", "\\\\"), ("char", "p"), ("quantifier", "{,2}"), ("escape", "\\{")]),  # an escaped backslash
    ("(?i:長)。", [("open", "(?i:"), ("char", "長"), ("close", ")"), ("char", "。")]),
    (r"(?x)a b", None), (r"a(?ix:b)", None), (r"(?:a){e<=1}", None), (r"[[:alpha:]]", None), (r"(a)(?(1)a|b)", None),
]


@pytest.mark.parametrize(("pattern", "expected"), CASES)
def test_tokens(pattern: str, expected: list[tuple[str, str]] | None) -> None:
    found = tokens(regex.compile(pattern))
    assert (None if found is None else [(t.kind, t.text) for t in found]) == expected
    if found is not None:
        assert "".join(t.text for t in found) == pattern


def test_a_verbose_flag_given_apart_is_not_followed() -> None:
    assert tokens(regex.compile("a b", regex.VERBOSE)) is None


@pytest.mark.parametrize(("pattern", "start", "end"), [("(a(b)c)d", 0, 6), ("(a(b)c)d", 2, 4), ("x(?=(?:y))", 1, 5)])
def test_group_end(pattern: str, start: int, end: int) -> None:
    found = tokens(regex.compile(pattern))
    assert found is not None
    assert group_end(found, start) == end
