"""The scorer's definitions (strict and lax P/R/F1, verse merging) on hand-computed examples;
texts and gold files read as the gold format counts lines, and checked."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from aligner.errors import InputError
from aligner.evaluate import (
    format_links,
    merge_by_unit,
    parse_links,
    read_gold,
    read_lines,
    read_links,
    score,
    texts_of,
)

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


@pytest.mark.parametrize("inside", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\r"])
def test_a_text_line_ends_at_newline_alone(tmp_path: Path, inside: str) -> None:
    """str.splitlines also ended a line at U+2028, NEL, \\x0b …: every index after it shifted (strict F1 0.79 → 0.05)."""
    path = tmp_path / "001"
    path.write_text(f"One.\nTwo{inside}still two.\r\nThree.\n", encoding="utf-8", newline="")
    assert read_lines(path) == ["One.", f"Two{inside}still two.", "Three."]
    path.write_text("One.\n\nThree.", encoding="utf-8")  # a blank line is a line; no newline after the last
    assert read_lines(path) == ["One.", "", "Three."]


def gold_set(root: Path, gold: str, src: str = "A.\nB.\nC.\n", tgt: str = "甲。\n乙。\n") -> Path:
    """A gold set of one text, `001`, in `root`."""
    for side, text in (("src", src), ("tgt", tgt), ("gold", gold)):
        (root / side).mkdir(parents=True, exist_ok=True)
        (root / side / ("001.align" if side == "gold" else "001")).write_text(text, encoding="utf-8")
    return root / "gold" / "001.align"


def test_a_link_outside_the_texts_names_the_gold_line(tmp_path: Path) -> None:
    path = gold_set(tmp_path, "[0]:[0]\n\n[1, 2]:[1]\n[3]:[]\n")
    with pytest.raises(InputError, match=re.escape(f"{path}, line 4: link [3]:[] is outside the texts (3 source, 2 target lines)")):
        read_gold(path, *map(len, texts_of(tmp_path, "001")))


@pytest.mark.parametrize("side", ["src", "tgt"])
def test_an_empty_text_is_named_as_empty(tmp_path: Path, side: str) -> None:
    """It was "link [0]:[0] is outside the texts (0 source …): the gold file does not belong to these texts"."""
    gold_set(tmp_path, "[0]:[0]\n", **{side: "\n"})
    with pytest.raises(InputError, match=re.escape(f"{tmp_path / side / '001'}: the file is empty; put the {side} text of gold/001.align in it")):
        texts_of(tmp_path, "001")


def test_a_gold_file_without_links_is_refused(tmp_path: Path) -> None:
    """It scored 0.0000 everywhere, in silence."""
    path = gold_set(tmp_path, "\n\n")
    with pytest.raises(InputError, match=re.escape(f"{path}: no links; a gold file holds a link a line")):
        read_gold(path, 3, 2)


def test_a_sentence_in_two_gold_links_is_named_with_both_lines(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Duplicated and overlapping links passed in silence; they are scored as given (Text+Berg's gold has one), and said."""
    path = gold_set(tmp_path, "[0]:[0]\n[1, 2]:[1]\n[2]:[]\n[0]:[0]\n")
    with caplog.at_level(logging.WARNING):
        assert read_gold(path, 3, 2) == [((0,), (0,)), ((1, 2), (1,)), ((2,), ()), ((0,), (0,))]
    assert caplog.messages == [f"{path}, line 3: source sentence 2 is in this link and in the one at line 2 (3 sentences are in more "
                               "than one link); a sentence belongs to one gold link: scored as the file is, but fix it to score right"]


@pytest.mark.parametrize(("files", "message"), [
    ({"src": ""}, "{root}/src/001: the file is empty; put the src text of gold/001.align in it, a sentence a line"),
    ({"gold": ""}, "{root}/gold/001.align: no links; a gold file holds a link a line, e.g. [0]:[0] (nothing to score against)"),
    ({"gold": "[0]:[0]\n[1]:[7]\n"}, "{root}/gold/001.align, line 2: link [1]:[7] is outside the texts (3 source, 2 target lines): "
                                      "the gold file does not belong to these texts"),
])
def test_eval_refuses_a_gold_set_it_cannot_score_in_one_line(tmp_path: Path, files: dict[str, str], message: str) -> None:
    from click.testing import CliRunner

    from aligner.cli import main

    gold_set(tmp_path, **{"gold": "[0]:[0]\n", **files})
    result = CliRunner().invoke(main, ["eval", str(tmp_path)])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"Error: {message.format(root=tmp_path)}\n")
