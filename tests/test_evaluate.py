"""The scorer's definitions (strict and lax P/R/F1, verse merging) on hand-computed examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.errors import InputError
from aligner.evaluate import format_links, merge_by_unit, parse_links, read_links, score

GOLD = "[0]:[0]\n[1, 2]:[1, 2, 3]\n[3]:[]\n"

# (predicted, strict P, strict R, lax P, lax R), worked out by hand against GOLD:
# gold links with both sides: [0]:[0] and [1,2]:[1,2,3]; the omission counts for precision only.
CASES = [
    ("[0]:[0]\n[1, 2]:[1, 2, 3]\n[3]:[]\n", 1.0, 1.0, 1.0, 1.0),
    ("[0]:[0]\n[1]:[1, 2]\n[2]:[3]\n[3]:[]\n", 2 / 4, 1 / 2, 1.0, 1.0),
    ("[0]:[0]\n[1, 2]:[1, 2, 3]\n[3]:[4]\n", 2 / 3, 1.0, 2 / 3, 1.0),
    ("[0, 1]:[0]\n[2]:[1, 2, 3]\n[3]:[]\n", 1 / 3, 0.0, 1.0, 1.0),
    ("[0]:[1]\n[1]:[0]\n[2, 3]:[2, 3]\n", 0.0, 0.0, 1 / 3, 1 / 2),
]


@pytest.mark.parametrize(("predicted", "ps", "rs", "pl", "rl"), CASES)
def test_strict_and_lax(predicted: str, ps: float, rs: float, pl: float, rl: float) -> None:
    result = score(parse_links(GOLD), parse_links(predicted)).as_dict()
    assert result["precision_strict"] == pytest.approx(ps)
    assert result["recall_strict"] == pytest.approx(rs)
    assert result["precision_lax"] == pytest.approx(pl)
    assert result["recall_lax"] == pytest.approx(rl)
    f1 = 2 * ps * rs / (ps + rs) if ps + rs else 0.0
    assert result["f1_strict"] == pytest.approx(f1)


def test_counts_are_summed_over_files_before_dividing() -> None:
    gold = parse_links(GOLD)
    perfect = score(gold, gold)
    half = score(gold, parse_links("[0]:[0]\n[1]:[1, 2]\n[2]:[3]\n[3]:[]\n"))
    pooled = (perfect + half).as_dict()
    assert pooled["precision_strict"] == pytest.approx((3 + 2) / (3 + 4))
    assert pooled["recall_strict"] == pytest.approx((2 + 1) / (2 + 2))


def test_round_trip_and_third_field(tmp_path: Path) -> None:
    links = [((0, 1), (2,)), ((2,), ()), ((), (3,))]
    text = format_links(links)
    assert text == "[0, 1]:[2]\n[2]:[]\n[]:[3]\n"
    path = tmp_path / "x.align"
    path.write_text(text.replace("[2]\n", "[2]:0.93\n", 1))
    assert read_links(path) == links


def test_bad_line_names_file_and_line() -> None:
    with pytest.raises(InputError, match=r"x.align, line 2: expected '\[0, 1\]:\[2\]'"):
        parse_links("[0]:[0]\n0-0\n", "x.align")


def test_verse_merging() -> None:
    verses_src = ["v1", "v2", "v2", "v3"]
    verses_tgt = ["v1", "v2", "v2", "v2", "v3"]
    predicted = parse_links("[0]:[0]\n[1]:[1, 2]\n[2]:[3]\n[3]:[4]\n")
    merged = merge_by_unit(predicted, verses_src, verses_tgt)
    assert merged == [((0,), (0,)), ((1, 2), (1, 2, 3)), ((3,), (4,))]
    gold = merge_by_unit(
        parse_links("[0]:[0]\n[1, 2]:[1, 2, 3]\n[3]:[4]\n"), verses_src, verses_tgt
    )
    assert score(gold, merged).as_dict()["f1_strict"] == 1.0


def test_a_gold_file_with_a_byte_order_mark_reads_as_the_texts_do(tmp_path: Path) -> None:
    path = tmp_path / "001.align"
    path.write_bytes("\ufeff[0]:[0]\r\n[1, 2]:[1]\r\n".encode())
    assert read_links(path) == [((0,), (0,)), ((1, 2), (1,))]
