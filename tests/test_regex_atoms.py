"""Required atoms: one-character items every match holds, or nothing when unsure."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.search.regex_atoms import required_atoms

CASES = [
    # pattern, the texts of its required atoms
    (r"\pL\d", [r"\pL", r"\d"]),
    (r"\w*z\d", ["z", r"\d"]),
    (r"\P{L}{4}", [r"\P{L}"]),
    (r"\p{Lu}{12}(?!\w)", [r"\p{Lu}"]),  # not what a lookaround looks at
    (r"^\x41\N{BULLET}\.$", [r"\x41", r"\N{BULLET}", r"\."]),  # not ^, $ nor "."
    (r"[^x]{2}|", []),  # an alternative at the top: none
    (r"(a|b)c", ["c"]),
    (r"(\d)+x?", [r"\d"]),  # inside a plain group repeated at least once
    (r"(?:ab){0,2}c{1}d{,3}e{0}f{2,}", ["c", "f"]),
    (r"(?P<n>a(?:b))(?>c)", ["a", "b", "c"]),
    (r"(?i:z)y", ["y"]),  # a group setting flags: its atoms would need them
    (r"(?i)Z", ["Z"]),  # flags at the start: the caller compiles atoms with them
    (r"(?i)a(?-i)b", []),  # flags set later hold from there on: "a" is still case-insensitive
    (r"\w(?a)\w", []),
    (r"a(?i)b", []),
    (r"(a)\Kb\b\1", ["a", "b"]),  # zero-width escapes and back references are not atoms
    (r"a(*SKIP)b", []),
    (r"(?V1i)s", []),  # full case folding: one character may match two
    (r"(?x)a b", []),
]


@pytest.mark.parametrize(("pattern", "expected"), CASES)
def test_required_atoms(pattern: str, expected: list[str]) -> None:
    assert required_atoms(regex.compile(pattern)) == expected


_PIECES = st.sampled_from(["a", "b", "1", ".", r"\d", r"\s", r"\w", "[ab]", "[^a]", "a+", "b?", r"\d*", "(?:a|b)", "(a1)",
                           "(?:b1){1,2}", "(?=a)", "(?<!b)", "(?i:A)", "A", r"\b", "$", "a{0,2}", "(?i)", "(?-i)", "(?a)"])


@settings(max_examples=500, deadline=None)
@given(pieces=st.lists(_PIECES, min_size=1, max_size=4), flags=st.sampled_from(["", "(?i)", "(?a)"]),
       text=st.text(alphabet="aAb1 é", max_size=6))
def test_every_match_holds_each_atom(pieces: list[str], flags: str, text: str) -> None:
    pattern = regex.compile(flags + "".join(pieces))
    if pattern.search(text):
        for atom in required_atoms(pattern):
            assert regex.search(atom, text, flags=pattern.flags)
