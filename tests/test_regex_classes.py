"""Property escapes rewritten as ranges find, on text of a known alphabet, exactly what the escapes find."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.search.regex_classes import specialize
from aligner.search.regex_scan import SEPARATOR, Alphabet, Scan, join

SENTENCES = [
    "The LORD spake unto MOSES, saying: 42 cubits.",
    "ABCDEFGHIJKLMNOPQRSTUVW YZ",  # no X anywhere: \p{Lu} may still be [A-Z]
    "神说：要有光，就有了光。",
    "長江 3 KM",
    "line one\nline two",
    "",
    "-_[]^\\",
]
ALPHABET = Alphabet.of(SENTENCES)

REWRITES = [
    # pattern, its rewrite on ALPHABET (the pattern itself: left as written)
    (r"\p{Lu}{12}", r"[\U00000041-\U0000005a]{12}"),
    (r"\p{Lu}{2,}\s", r"[\U00000041-\U0000005a]{2,}[\U0000000a-\U00000020]"),  # "\n" and " ": the only spaces
    (r"[\p{Lu}\d]{3}", r"[\U00000041-\U0000005a\U00000032-\U00000034]{3}"),  # digits 2, 3, 4 only
    (r"[\d\p{Lu}]", r"[\U00000032-\U00000034\U00000041-\U0000005a]"),  # an escape at the end of a class
    (r"\d\D", r"[\U00000032-\U00000034][^\U00000032-\U00000034]"),  # non-digits: all but one run
    (r"\w\W", r"\w\W"),
    (r"\S+\s", r"[\U0000002c-\U0000ff1a]+[\U0000000a-\U00000020]"),  # the spaces come first
    (r"(?a)\d", r"(?a)\d"),
    (r"[^\p{Lu}]+", r"[^\U00000041-\U0000005a]+"),
    (r"[]\p{Lu}]", r"[]\U00000041-\U0000005a]"),  # "]" first: a member, not the end
    (r"\p{Han}+", r"[\U00004e86-\U00009577]+"),
    (r"\P{Han}{3}", r"[^\U00004e86-\U00009577]{3}"),
    (r"\p{Greek}|x", r"[\U0010ffff]|x"),  # no such character in the text: a character it lacks
    (r"[\p{Greek}a]", r"[\U0010ffffa]"),
    (r"\pL{4}", r"\pL{4}"),  # letters and punctuation interleave: several ranges, left as written
    (r"\P{L}{4}", r"\P{L}{4}"),
    (r"[\P{L}x]", r"[\P{L}x]"),
    (r"\\p{Lu}", r"\\p{Lu}"),  # an escaped backslash, then the letters p{Lu}
    (r"(?i)\p{Lu}", r"(?i)\p{Lu}"),
    (r"(?x) \p{Lu} ", r"(?x) \p{Lu} "),
    (r"[[:upper:]\p{Lu}]", r"[[:upper:]\p{Lu}]"),
    (r"[-\p{Lu}]", r"[-\p{Lu}]"),  # a "-" next to the escape: not spliced
    (r"[\p{Lu}-]", r"[\p{Lu}-]"),
    (r"\N{LATIN CAPITAL LETTER A}\p{Lu}", r"\N{LATIN CAPITAL LETTER A}[\U00000041-\U0000005a]"),
]


def spans(pattern: str, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in regex.finditer(pattern, text, flags=regex.MULTILINE)]


@pytest.mark.parametrize(("pattern", "expected"), REWRITES)
def test_a_rewrite_matches_what_the_escape_matches_on_its_alphabet(pattern: str, expected: str) -> None:
    rewritten = specialize(regex.compile(pattern), ALPHABET.chars)
    assert rewritten == expected
    text = SEPARATOR.join(SENTENCES)
    assert spans(rewritten, text) == spans(pattern, text)
    for sentence in SENTENCES:
        assert spans(rewritten, sentence) == spans(pattern, sentence)


@pytest.mark.parametrize("pattern", [r"\p{Lu}{2}", r"\P{Han}{3}", r"[\p{Lu}\d]{3}", r"\p{Han}+", r"\p{Greek}|S"])
def test_the_joined_scan_on_an_alphabet_finds_what_each_sentence_finds(pattern: str) -> None:
    compiled = regex.compile(pattern)
    text, starts, loose = join(SENTENCES)
    scan = Scan.of(compiled).on(ALPHABET)
    assert scan is not None and scan.joined is not None and scan.joined.pattern != pattern
    assert scan.first_hits(text, starts, set(loose), 100) == [i for i, s in enumerate(SENTENCES) if compiled.search(s)]


CHARS = "aZXé É1 .\n-]^長光。\U00020000"
PATTERNS = [r"\p{Lu}+", r"\P{Lu}\p{Ll}", r"[\p{Lu}\d]{2}", r"[^\p{L}]", r"\p{Han}", r"\P{Han}+$", r"\pN\s", r"[\p{Han}.]",
            r"\p{Greek}", r"\P{Greek}{2}", r"\p{Lu}\b", r"\d\D", r"\w+\W", r"[^\s\d]\S", r"\D$"]


@settings(max_examples=300, deadline=None)
@given(sentences=st.lists(st.text(alphabet=CHARS, max_size=8), min_size=1, max_size=6), pattern=st.sampled_from(PATTERNS))
def test_a_rewrite_matches_what_the_escape_matches_on_generated_text(sentences: list[str], pattern: str) -> None:
    text = SEPARATOR.join(sentences)
    rewritten = specialize(regex.compile(pattern), "".join(sorted(set(text) | {SEPARATOR})))
    assert spans(rewritten, text) == spans(pattern, text)
