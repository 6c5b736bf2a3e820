"""The joined scan finds, sentence by sentence, exactly what searching each sentence alone finds."""

from __future__ import annotations

import time

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.search.regex_scan import Alphabet, Scan, join, joinable

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
    # widened for the joined scan (lookarounds, anchors, atomic groups, possessive repeats): candidates checked alone
    (r"(?<!\S)\p{Lu}\w+", [0, 1, 2]),
    (r"(?<=\.)\n?It", []),  # the lookbehind would see "long." of the sentence before
    (r"(?<=\n)line", [4]),
    (r"(?<!o)ne$", []),
    (r"\w+(?=\.$)", [1, 2]),
    (r"\w+(?!\w|\.)$", [0, 4]),
    (r"(?!\p{Lu}(?=h))\p{Lu}\w", [0, 1, 2]),  # a lookahead nested in a negative one goes with it
    (r"\A\p{Lu}", [0, 1, 2]),
    (r"\A$", [3]),
    (r"\.\Z", [1, 2]),
    (r"o\Z|\Ai", [4]),
    (r"(?>\w+)\.", [1, 2]),
    (r"\w++\.", [1, 2]),
    (r"(?i)\Athe", [1]),
    (r"(?i)(?<=\bthe )y", [1]),
    (r"(?=(\w))\1{2}", [7]),  # a capture inside the lookaround: not widened, sentence by sentence
    (r"t(?i)HE", []),  # flags set later hold from there on: "The" has no lowercase "t"
    (r"T(?i)HE", [1]),
]


def reference(pattern: str, sentences: list[str], limit: int) -> list[int]:
    return [i for i, s in enumerate(sentences) if regex.search(pattern, s)][:limit]


def first_hits(pattern: str, sentences: list[str], limit: int, alphabet: bool = True) -> list[int]:
    """The scan's answer, on the sentences' alphabet (atoms, needles, ranges) or without one."""
    text, starts, loose = join(sentences)
    scan: Scan | None = Scan.of(regex.compile(pattern))
    if alphabet and scan is not None:
        scan = scan.on(Alphabet.of(sentences))
    return [] if scan is None else scan.first_hits(text, starts, set(loose), limit)


@pytest.mark.parametrize("alphabet", [True, False])
@pytest.mark.parametrize(("pattern", "expected"), PATTERNS)
def test_joined_scan_equals_searching_each_sentence(pattern: str, expected: list[int], alphabet: bool) -> None:
    assert reference(pattern, SENTENCES, 100) == expected
    for limit in (1, 2, 100):
        assert first_hits(pattern, SENTENCES, limit, alphabet) == expected[:limit]


@pytest.mark.parametrize(
    ("pattern", "joined", "exact"),
    [
        (r"\p{Lu}{12}", r"\p{Lu}{12}", True),
        (r"\p{Lu}{12}(?!\w)", r"\p{Lu}{12}(?:)", False),
        (r"(?<=\s)z\Z", r"(?:)z(?:$)", False),
        (r"(?>a)b*+", r"(?:a)b*", False),
        (r"(?=(a))\1", None, False),  # a capture inside a lookaround: no wider pattern
        (r"\Ga", None, False),  # \G: not joinable, and not widened
        (r"(?<=a)\Kb", None, False),
        (r"(?r)(?=a)a", None, False),  # reversed search: the wider pattern is not joinable either
    ],
)
def test_what_the_joined_scan_runs(pattern: str, joined: str | None, exact: bool) -> None:
    scan = Scan.of(regex.compile(pattern))
    assert (scan.joined.pattern if scan.joined else None, scan.exact) == (joined, exact)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\p{Lu}{12}", True), (r"[A-Z]\d{3}", True), (r"(foo|bar)baz?", True), (r"^a\b.$", True),
        (r"\p{Han}{2,}", True), (r"a{2}b{1,}c{,3}", True), (r"(?i)x", True), (r"(?i:x)y", True), (r"\\A", True),
        (r"x(?=y)", False), (r"x(?!y)", False), (r"(?<=y)x", False), (r"(?<!y)x", False), (r"\Ax", False),
        (r"x\Z", False), (r"\Gx", False), (r"a\Kb", False), (r"(?>a)", False), (r"a++", False), (r"a?+", False),
        (r"(*SKIP)a", False), (r"(a)?(?(1)a|b)", False), (r"(?:ab){e<=1}", False), (r"(?r)a", False),
        (r"(?-i:a)", False), (r"(?w)\ba", False), (r"(?x)a", False), (r"(?b)a", False), (r"a(?i)b", False),
        (r"(?i)ab", True), (r"(a)(?1)", True),
    ],
)
def test_joinable(pattern: str, expected: bool) -> None:
    assert joinable(regex.compile(pattern)) is expected


# 38 sentences: "z" 9 times in 6 of them, "Z" once, digits 3 times: at most 9 is rare (RARE 4)
RARE_Z = ["plain words", "fizz 1", "buzz", "z", "the end z", "zz9 top", *["filler line"] * 30, "a\nz", "Z 2"]


Z6 = [1, 2, 3, 4, 5, 36]  # the sentences of RARE_Z holding a "z"


@pytest.mark.parametrize(
    ("pattern", "searched"),
    [
        (r"\w*z\d", [1, 5, 37]),  # the rarer of "z" and a digit: sentences with a digit
        (r"z$", Z6), (r"^z", Z6), (r"(?<=\s)z", Z6), (r"(?:fi|bu)zz", Z6), (r"\p{L}z", Z6),
        (r"(?i)Bu", [2]), (r"a\nz", [0, 36]), (r"(\d)", [1, 5, 37]), (r"\d{1,}", [1, 5, 37]), (r"(?r)\d", [1, 5, 37]),
        (r"(?i)z", None), (r"[zZ]\s", None),  # "z" or "Z": 10 times, not rare
        (r"z?\d?e", None),  # optional items: only "e", in too many sentences
        (r"\w*z\d|x", None), (r"\d*r", None), (r"(?i:z)\S", None), (r"(?:z|\d)\S", None),  # no atom
        (r"\d{0,2}\p{Ll}", None),
    ],
)
def test_a_rare_atom_limits_the_search_to_the_sentences_holding_it(pattern: str, searched: list[int] | None) -> None:
    scan = Scan.of(regex.compile(pattern)).on(Alphabet.of(RARE_Z))
    assert scan is not None
    needle = scan.needle
    assert (None if needle is None else [i for i, s in enumerate(RARE_Z) if needle.search(s)]) == searched
    for limit in (1, 2, 100):
        assert first_hits(pattern, RARE_Z, limit) == reference(pattern, RARE_Z, limit)


@pytest.mark.parametrize("pattern", [r"x\d", r"\p{Han}\d", r"(?i)q", r"\w*q\d", r"(x)y+\p{Han}", r"[ä-ü]"])
def test_no_sentence_is_searched_when_none_holds_an_atom(pattern: str) -> None:
    assert Scan.of(regex.compile(pattern)).on(Alphabet.of(RARE_Z)) is None
    assert reference(pattern, RARE_Z, 100) == []


@pytest.mark.parametrize(
    ("sentences", "counts"),
    [(["ab", "ba", ""], {"\n": 3, "a": 2, "b": 2}), (["長江\n"], {"\n": 2, "江": 1, "長": 1}), ([], {"\n": 0})],
)
def test_an_alphabet_counts_each_character_and_a_separator_per_sentence(sentences: list[str], counts: dict[str, int]) -> None:
    alphabet = Alphabet.of(sentences)
    assert (dict(zip(alphabet.chars, alphabet.counts, strict=True)), alphabet.sentences) == (counts, len(sentences))
    assert alphabet.chars == "".join(sorted(counts))


@pytest.mark.parametrize(
    ("atom", "count"), [(r"\d", 1), ("z", 1), ("(?i)z", 2), (r"\p{Lu}", 1), (r"\p{Han}", 1), (r"\p{Greek}", 0), ("[^z]", 8), (r"\s", 3)]
)
def test_an_alphabet_counts_what_an_atom_matches(atom: str, count: int) -> None:
    assert Alphabet.of(["ab1", "Zz", "長"]).occurrences(regex.compile(atom)) == count


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
    scan = Scan(compiled, _SlowAfterOne(regex.compile(pattern, regex.MULTILINE)), True, time.monotonic() + 1)  # type: ignore[arg-type]
    assert scan.first_hits(text, starts, set(loose), 100) == expected
    assert scan.joined is None
    assert scan.first_hits(text, starts, set(loose), 100) == expected


@settings(max_examples=500, deadline=None)
@given(
    sentences=st.lists(st.text(alphabet="ab A.\n長光。z1", max_size=6), min_size=1, max_size=8),
    pattern=st.sampled_from([
        r"^a", r"a$", r"^$", r"(?i)a\.", r"\.\s*A", r"(?s)b.b", r"\s", r"[^b]+$", r"\bab\b", r"\p{Han}+", r"A\s+a", r"b*",
        r"(?m)^b", r"a\n", r"\W$",
        # widened (lookarounds, anchors, atomic, possessive), and with rare atoms (z, 1)
        r"(?<=a)b", r"(?<!\w)a", r"(?<=\n)a", r"(?<=^)b", r"a(?=\.)", r"a(?!b)$", r"(?!a(?=b))\w\b", r"(?i)(?<=b)A", r"\Ab",
        r"a\Z", r"\A$", r"(?>a+)b", r"a*+b", r"\w++$", r"(?<=光)。\Z", r"z\d", r"\w*z", r"(?i)Z\s", r"(?<!z)1", r"(z)\1",
        r"\Az|1$", r"\d(?=\n)", r"(?=(a))\1",
    ]),
    limit=st.integers(1, 9),
    alphabet=st.booleans(),
)
def test_joined_scan_equals_searching_each_sentence_on_generated_text(
    sentences: list[str], pattern: str, limit: int, alphabet: bool
) -> None:
    assert first_hits(pattern, sentences, limit, alphabet) == reference(pattern, sentences, limit)
