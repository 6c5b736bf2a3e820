"""The joined scan finds, sentence by sentence, exactly what searching each sentence alone finds."""

from __future__ import annotations

import time

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.regex_scan import Scan, join, joinable

SENTENCES = [
    "Rivers of China",
    "The Yangtze is long.",
    "It flows east.",
    "",
    "line one\nline two",  # holds the separator: searched alone
    "长江很长，向东流。",
    "長江很長，向東流。",
    "  padded  ",
    "神说：要有光，就有了光。",
]

PATTERNS = [
    # pattern, sentence indices with a match (the per-sentence reference, checked below too)
    (r"^R[a-z]+s\b", [0]),  # the very first sentence
    (r"光。$", [8]),  # the very last sentence
    (r"^\p{Lu}", [0, 1, 2]),
    (r"\.$", [1, 2]),
    (r"^$", [3]),
    (r"(?i)^t\w+", [1]),
    (r"\.\s+\p{Lu}", []),  # would run from "long." over the separator into "It"
    (r"(?s)long.*flows", []),
    (r"\n", [4]),
    (r"^line two", []),  # after the "\n" inside a sentence: not a sentence start
    (r"(?m)^line two", [4]),
    (r"one$", []),
    (r"\s+$", [7]),
    (r"^\s", [7]),
    (r"[^x]*", list(range(9))),  # matches everywhere, even empty
    (r"", list(range(9))),
    (r"\p{Han}{2}，", [5, 6, 8]),
    (r"[長长]江", [5, 6]),
    (r"\bis\b", [1]),
    (r"(?<=\p{Han})。", [5, 6, 8]),  # lookbehind: sentence by sentence
    (r"\Ar|\AI", [2]),
    (r"s\Z", []),
    (r"(?>\s*)$", list(range(9))),
    (r"\s*+$", list(range(9))),
    (r"(?r)\.", [1, 2]),
    (r"(?:lonk){e<=1}", [1]),
    (r"(?x) l o n g", [1]),
]


def reference(pattern: str, sentences: list[str], limit: int) -> list[int]:
    return [i for i, s in enumerate(sentences) if regex.search(pattern, s)][:limit]


def first_hits(pattern: str, sentences: list[str], limit: int) -> list[int]:
    text, starts, loose = join(sentences)
    return Scan.of(regex.compile(pattern)).first_hits(text, starts, set(loose), limit)


@pytest.mark.parametrize(("pattern", "expected"), PATTERNS)
def test_joined_scan_equals_searching_each_sentence(pattern: str, expected: list[int]) -> None:
    assert reference(pattern, SENTENCES, 100) == expected
    for limit in (1, 2, 100):
        assert first_hits(pattern, SENTENCES, limit) == expected[:limit]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\p{Lu}{12}", True), (r"[A-Z]\d{3}", True), (r"(foo|bar)baz?", True), (r"^a\b.$", True),
        (r"\p{Han}{2,}", True), (r"a{2}b{1,}c{,3}", True), (r"(?i)x", True), (r"(?i:x)y", True), (r"\\A", True),
        (r"x(?=y)", False), (r"x(?!y)", False), (r"(?<=y)x", False), (r"(?<!y)x", False), (r"\Ax", False),
        (r"x\Z", False), (r"\Gx", False), (r"a\Kb", False), (r"(?>a)", False), (r"a++", False), (r"a?+", False),
        (r"(*SKIP)a", False), (r"(a)?(?(1)a|b)", False), (r"(?:ab){e<=1}", False), (r"(?r)a", False),
        (r"(?-i:a)", False), (r"(?w)\ba", False), (r"(?x)a", False), (r"(?b)a", False),
    ],
)
def test_joinable(pattern: str, expected: bool) -> None:
    assert joinable(regex.compile(pattern)) is expected


RARE_Z = ["plain words", "fizz 1", "buzz", "z", "the end z", "zz9 top", *[f"filler {n}" for n in range(30)], "a\nz"]


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [(r"\w*z\d", ("z",)), (r"z$", ("z",)), (r"^z", ("z",)), (r"(?<=\s)z", ("z",)), (r"(?:fi|bu)zz", ("zz",)),
     (r"(?i)z", ()), (r"a(?i:b)z", ()), (r"a\nz", ()), (r"\p{L}z", ()), (r"[zZ]\d", ())],
)
def test_a_rare_literal_limits_the_search_to_the_sentences_holding_it(pattern: str, literals: tuple[str, ...]) -> None:
    assert Scan.of(regex.compile(pattern)).literals == literals
    for limit in (1, 2, 100):
        assert first_hits(pattern, RARE_Z, limit) == reference(pattern, RARE_Z, limit)


class _SlowAfterOne:
    """A joined pattern that finds its first match, then runs out of time."""

    def __init__(self, pattern: regex.Pattern[str]) -> None:
        self.pattern, self.calls = pattern, 0

    def search(self, text: str, pos: int, timeout: float) -> regex.Match[str] | None:
        self.calls += 1
        if self.calls > 1:
            raise TimeoutError("regex timed out")
        return self.pattern.search(text, pos, timeout=timeout)


@pytest.mark.parametrize(("pattern", "expected"), [(r"^\p{Lu}", [0, 1, 2]), (r"\.$", [1, 2]), (r"\p{Han}{2}，", [5, 6, 8])])
def test_a_scan_out_of_time_finishes_sentence_by_sentence(pattern: str, expected: list[int]) -> None:
    compiled = regex.compile(pattern)
    text, starts, loose = join(SENTENCES)
    scan = Scan(compiled, _SlowAfterOne(regex.compile(pattern, regex.MULTILINE)), time.monotonic() + 1)  # type: ignore[arg-type]
    assert scan.first_hits(text, starts, set(loose), 100) == expected
    assert scan.joined is None
    assert scan.first_hits(text, starts, set(loose), 100) == expected


@settings(max_examples=300, deadline=None)
@given(
    sentences=st.lists(st.text(alphabet="ab A.\n長光。", max_size=6), min_size=1, max_size=8),
    pattern=st.sampled_from([r"^a", r"a$", r"^$", r"(?i)a\.", r"\.\s*A", r"(?s)b.b", r"\s", r"[^b]+$", r"\bab\b",
                             r"\p{Han}+", r"A\s+a", r"b*", r"(?m)^b", r"a\n", r"\W$"]),
    limit=st.integers(1, 9),
)
def test_joined_scan_equals_searching_each_sentence_on_generated_text(sentences: list[str], pattern: str, limit: int) -> None:
    assert first_hits(pattern, sentences, limit) == reference(pattern, sentences, limit)
