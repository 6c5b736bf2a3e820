"""A widened pattern matches every text the pattern matches: lookarounds, anchors, atomic and possessive removed."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from aligner.search.regex_widen import widen

CASES = [
    # pattern, its widened text (None: nothing to remove, or not safely removable)
    (r"\p{Lu}{12}(?!\w)", r"\p{Lu}{12}(?:)"),
    (r"(?<=\s)z", "(?:)z"),
    (r"(?<!\w)x{2}+(?=\d)", "(?:)x{2}(?:)"),
    (r"(?=a)*b", "(?:)*b"),  # an empty group keeps a quantifier from attaching to what came before
    (r"\Aab\Z", "(?:^)ab(?:$)"),
    (r"a\z", "a(?:$)"),
    (r"(?>a+)b++c?+d*+", "(?:a+)b+c?d*"),
    (r"(?!a(?=b))c", "(?:)c"),  # the nested lookahead goes with the negative one
    (r"[(?=a)]\(?=b\)", None),  # in a set, or escaped: no lookaround
    (r"(?=(?:a|(?i:b)))c", "(?:)c"),
    (r"(?=(a))\1", None),  # a capture: removing it would break \1
    (r"(?=(?P<n>a))b", None),
    (r"(?=(?i)a)b", None),  # a flag setting: would change the flags of the rest
    (r"abc", None),
    (r"\Ga", None),  # not removable: left for the caller to refuse
    (r"(?x) (?= a ) b", None),
]


@pytest.mark.parametrize(("pattern", "expected"), CASES)
def test_widen(pattern: str, expected: str | None) -> None:
    assert widen(regex.compile(pattern)) == expected


_PIECES = st.sampled_from(["a", "b", ".", r"\s", r"\w", "[ab]", "a+", "b?", "(?:a|b)", "(a)", r"\1",
                           "(?=a)", "(?!b)", "(?<=a)", "(?<!\\s)", "(?=a(?!b))", "(?!a(?=b))", r"\A", r"\Z",
                           "(?>a+)", "a*+", "b++", "(?i:A)", r"\b", "^", "$"])


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(_PIECES, min_size=1, max_size=5), flags=st.sampled_from(["", "(?i)", "(?s)"]),
       text=st.text(alphabet="ab A.\n", max_size=8))
def test_a_widened_pattern_matches_every_text_the_pattern_matches(pieces: list[str], flags: str, text: str) -> None:
    try:
        pattern = regex.compile(flags + "".join(pieces))
    except regex.error:
        reject()  # \1 before its group
    wide = widen(pattern)
    if wide is not None and pattern.search(text):
        assert regex.search(wide, text, flags=pattern.flags | regex.MULTILINE)
