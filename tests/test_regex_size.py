"""The size a regular expression compiles to, counted on its text before `regex` compiles it."""

from __future__ import annotations

import pytest

from aligner.search.regex_size import size

SIZES = [
    # pattern, items: characters, escapes and sets one each; a repeat multiplies what it repeats by its least count
    ("abc", 3),
    (r"\p{Han}{3}", 3),
    ("[a{]{3}", 3),
    (r"a\{5000\}", 7),  # escaped braces are characters
    ("a{99999999}", 99999999),
    ("a{5000000,}", 5000000),
    ("a{3,7}", 3),
    ("a{0,99999999}", 1),  # the greatest count costs nothing to compile
    ("x{0}", 1),
    ("a*b+c?", 3),
    ("(ab){2,9}", 4),
    ("(a{1000}){1000}", 1000000),  # nested counts multiply
    ("(?:(?:a){1000}){1000}", 1000000),
    ("(?:x|y){1000000}", 2000000),  # every alternative is compiled
    ("(?i)ab{10}", 12),
    ("(?x)(a{1000}){1000}", 19 * 1000 * 1000),  # verbose: not read, so its length times every count
    ("(", 0),  # unbalanced: the compiler's error, not a crash here
    (")a{3}", 4),
]


@pytest.mark.parametrize(("pattern", "items"), SIZES)
def test_size(pattern: str, items: int) -> None:
    assert size(pattern) == items
