"""Training-data filters: each unit kept or dropped with the reason, in a table."""

from __future__ import annotations

import pytest

from aligner.corpus.model import Sentence
from aligner.errors import InputError
from aligner.formats import Unit
from aligner.formats.filters import Filters, apply, check_types, parse_ratio


def unit(en: list[str], zh: list[str], conf: float = 0.9, n: int = 1) -> Unit:
    return Unit(
        "d", f"l{n}",
        {"en": tuple(Sentence(f"en.p1.s{i}", t) for i, t in enumerate(en)),
         "zh-Hans": tuple(Sentence(f"zh-Hans.p1.s{i}", t) for i, t in enumerate(zh))},
        conf, "machine",
    )


UNITS = [
    unit(["Good morning."], ["早上好。"], 0.9, 1),
    unit(["Low."], ["低。"], 0.2, 2),
    unit(["One.", "Two."], ["一二。"], 0.9, 3),
    unit(["Left out."], [], 0.9, 4),
    unit(["Good morning."], ["早上好。"], 0.8, 5),
    unit(["A very long English sentence with many words in it."], ["短。"], 0.9, 6),
]

CASES = [
    (Filters(), [1, 2, 3, 4, 5, 6], {}),
    (Filters(min_confidence=0.5), [1, 3, 4, 5, 6], {"confidence": 1}),
    (Filters(types=frozenset({"1-1"})), [1, 2, 5, 6], {"type": 2}),
    (Filters(omissions=False), [1, 2, 3, 5, 6], {"omission": 1}),
    (Filters(dedupe=True), [1, 2, 3, 4, 6], {"duplicate": 1}),
    (Filters(length_ratio=(0.1, 1.0)), [1, 2, 3, 4, 5], {"length-ratio": 1}),
    (Filters(min_confidence=0.5, types=frozenset({"1-1"}), dedupe=True), [1, 6], {"confidence": 1, "type": 2, "duplicate": 1}),
]


@pytest.mark.parametrize(("filters", "kept", "dropped"), CASES)
def test_filters(filters: Filters, kept: list[int], dropped: dict[str, int]) -> None:
    got, why = apply(UNITS, filters)
    assert [int(u.link_id[1:]) for u in got] == kept
    assert dict(why) == dropped


@pytest.mark.parametrize(("value", "expected"), [("", None), ("0.5,3", (0.5, 3.0)), ("0,0", (0.0, 0.0))])
def test_parse_ratio(value: str, expected: tuple[float, float] | None) -> None:
    assert parse_ratio(value) == expected


@pytest.mark.parametrize("value", ["3", "a,b", "3,1", "-1,2"])
def test_parse_ratio_rejects(value: str) -> None:
    with pytest.raises(InputError, match="--length-ratio"):
        parse_ratio(value)


@pytest.mark.parametrize(("types", "langs"), [({"1-1", "2-1", "0-1"}, ["en", "zh-Hans"]), ({"1-1-1", "1-2-2"}, ["en", "zh-Hans", "zh-Hant"])])
def test_check_types_takes_a_count_per_language(types: set[str], langs: list[str]) -> None:
    check_types(frozenset(types), langs)


THREE = "a type counts the sentences of each language exported, 3 here (en, zh-Hans, zh-Hant): e.g. 1-1-1 or 2-1-1, or name two languages with --langs"
TWO = "a type counts the sentences of each language exported, 2 here (en, zh-Hans): e.g. 1-1 or 2-1"


@pytest.mark.parametrize(
    ("types", "langs", "message"),
    [
        ({"1-1"}, ["en", "zh-Hans", "zh-Hant"], f"--types 1-1: {THREE}"),  # the README's example, on three versions
        ({"1-1-1", "abc"}, ["en", "zh-Hans", "zh-Hant"], f"--types abc: {THREE}"),
        ({"1-1-1"}, ["en", "zh-Hans"], f"--types 1-1-1: {TWO}"),
        ({"1--1"}, ["en", "zh-Hans"], f"--types 1--1: {TWO}"),
        ({"1-one"}, ["en", "zh-Hans"], f"--types 1-one: {TWO}"),
        ({"１-１"}, ["en", "zh-Hans"], f"--types １-１: {TWO}"),  # fullwidth digits are no link type
    ],
)
def test_check_types_refuses_what_no_link_can_be(types: set[str], langs: list[str], message: str) -> None:
    """`--types 1-1` on three versions (whose types are 1-1-1), or `--types abc`, exported nothing, with status 0."""
    with pytest.raises(InputError) as err:
        check_types(frozenset(types), langs)
    assert str(err.value) == message
