"""`aligner align` and `aligner eval` through click's CliRunner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.cli import main

DATA = Path(__file__).parent / "data" / "align"


@pytest.fixture()
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path / "cache"))
    return CliRunner()


def test_align_formats(runner: CliRunner) -> None:
    args = ["align", str(DATA / "report.zh-Hans"), str(DATA / "report.zh-Hant"),
            "--src-lang", "zh-Hans", "--tgt-lang", "zh-Hant", "--presplit"]  # fmt: skip
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output == (DATA / "report.hans-hant.gold").read_text()
    tsv = runner.invoke(main, [*args, "--format", "tsv"]).output.splitlines()
    assert tsv[1].split("\t")[:2] == ["会议讨论了来年的预算，预算未经修改即获批准。",
                                       "會議討論了來年的預算。預算未經修改即獲得批准。"]  # fmt: skip  # Chinese joins with nothing
    records = json.loads(runner.invoke(main, [*args, "--format", "json"]).output)
    assert records[5] == {"src": [6], "tgt": [], "confidence": records[5]["confidence"],
                          "src_text": ["译者注：本文有删节。"], "tgt_text": []}  # fmt: skip


def test_align_tsv_keeps_three_columns_when_a_sentence_holds_a_tab(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.en").write_text("Name\tAge are the two columns.\nThe rest is plain.\n", encoding="utf-8")
    (tmp_path / "a.de").write_text("Name\tAlter sind die zwei Spalten.\nDer Rest ist einfach.\n", encoding="utf-8")
    result = runner.invoke(main, ["align", str(tmp_path / "a.en"), str(tmp_path / "a.de"), "--src-lang", "en",
                                  "--tgt-lang", "de", "--presplit", "--format", "tsv"])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [len(row) for row in rows] == [3, 3] and rows[0][:2] == ["Name Age are the two columns.", "Name Alter sind die zwei Spalten."]


def test_align_reads_the_encodings_build_reads(runner: CliRunner, tmp_path: Path) -> None:
    """GB18030 Chinese, UTF-16 and UTF-8 with a byte order mark (dropped, not kept as text)."""
    args = ["--src-lang", "zh-Hans", "--tgt-lang", "zh-Hant", "--presplit", "--format", "json"]
    expected = runner.invoke(main, ["align", str(DATA / "report.zh-Hans"), str(DATA / "report.zh-Hant"), *args]).output
    hans, hant = (DATA / "report.zh-Hans").read_text(encoding="utf-8"), (DATA / "report.zh-Hant").read_text(encoding="utf-8")
    for src_codec, tgt_codec in (("gb18030", "gb18030"), ("utf-8-sig", "utf-16")):
        src, tgt = tmp_path / f"src-{src_codec}.txt", tmp_path / f"tgt-{tgt_codec}.txt"
        src.write_bytes(hans.encode(src_codec))
        tgt.write_bytes(hant.encode(tgt_codec))
        result = runner.invoke(main, ["align", str(src), str(tgt), *args])
        assert result.exit_code == 0, result.output
        assert result.output == expected


def test_align_splits_paragraphs(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    tgt = tmp_path / "b.txt"
    src.write_text("委员会举行会议。会议讨论了预算。\n\n感谢阅读。\n", encoding="utf-8")
    tgt.write_text("委員會舉行會議。會議討論了預算。\n\n感謝閱讀。\n", encoding="utf-8")
    out = tmp_path / "out.align"
    result = runner.invoke(main, ["align", str(src), str(tgt), "--src-lang", "zh", "--tgt-lang", "zh",
                                  "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert out.read_text() == "[0]:[0]\n[1]:[1]\n[2]:[2]\n"


def test_align_bad_language_is_one_line(runner: CliRunner) -> None:
    result = runner.invoke(main, ["align", str(DATA / "report.en"), str(DATA / "report.zh-Hans"),
                                  "--src-lang", "english", "--tgt-lang", "zh"])  # fmt: skip
    assert result.exit_code == 2  # a misused option
    assert result.output == (
        "Error: Invalid value for '--src-lang': 'english' is not a language tag; use a BCP 47 tag such as en, zh-Hans, zh-Hant-TW;"
        " see `main align --help`\n"
    )


def test_align_warns_when_texts_are_not_translations(runner: CliRunner, tmp_path: Path) -> None:
    src, tgt = tmp_path / "recipe.en", tmp_path / "stars.zh"
    src.write_text("Chop the onions finely.\nFry them in butter until golden.\n"
                   "Add the rice and stir for two minutes.\nPour in the hot stock slowly.\n")  # fmt: skip
    tgt.write_text("恒星在核心中聚变氢。\n银河系包含数千亿颗恒星。\n黑洞的引力连光都无法逃脱。\n"
                   "天文学家用望远镜观测遥远的星系。\n", encoding="utf-8")  # fmt: skip
    result = runner.invoke(main, ["align", str(src), str(tgt), "--src-lang", "en", "--tgt-lang", "zh",
                                  "--presplit", "--format", "json"])  # fmt: skip
    assert result.exit_code == 0
    assert result.stderr == (
        f"Warning: {src} and {tgt} do not look like translations of each other: only 0% of their"
        " sentences are in links of confidence ≥ 0.5; check that both files hold the same text in"
        " the languages given\n"
    )
    records = json.loads(result.stdout)  # the beads are still written, every one unsure
    assert sorted(i for r in records for i in r["src"]) == [0, 1, 2, 3]
    assert all(r["confidence"] < 0.5 for r in records)
    translated = runner.invoke(main, ["align", str(DATA / "report.en"), str(DATA / "report.zh-Hans"),
                                      "--src-lang", "en", "--tgt-lang", "zh-Hans", "--presplit"])  # fmt: skip
    assert translated.exit_code == 0 and translated.stderr == ""


def _gold_set(root: Path) -> Path:
    """A one-file gold set in the layout of the shared gold folders."""
    for sub in ("src", "tgt", "gold"):
        (root / sub).mkdir(parents=True)
    shutil.copy(DATA / "report.zh-Hans", root / "src" / "001")
    shutil.copy(DATA / "report.zh-Hant", root / "tgt" / "001")
    shutil.copy(DATA / "report.hans-hant.gold", root / "gold" / "001.align")
    return root


def test_eval_reports_scores_and_saves(runner: CliRunner, tmp_path: Path) -> None:
    gold = _gold_set(tmp_path / "set")
    result = runner.invoke(main, ["eval", str(gold), "--src-lang", "zh-Hans", "--tgt-lang", "zh-Hant",
                                  "--save", str(tmp_path / "out"), "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # a translation: no warning
    report = json.loads(result.output)
    assert report["overall"]["f1_strict"] == 1.0
    assert (tmp_path / "out" / "001.align").read_text() == (
        DATA / "report.hans-hant.gold"
    ).read_text()
    table = runner.invoke(main, ["eval", str(gold), "--src-lang", "zh", "--tgt-lang", "zh"]).output
    assert table.splitlines()[2].startswith("overall") and "1.0000" in table


def test_eval_warns_about_a_pair_that_is_not_a_translation(runner: CliRunner, tmp_path: Path) -> None:
    gold = _gold_set(tmp_path / "set")
    lines = len((gold / "tgt" / "001").read_text(encoding="utf-8").splitlines())
    stars = ["恒星在核心中聚变氢。", "银河系包含数千亿颗恒星。", "黑洞的引力连光都无法逃脱。",
             "天文学家用望远镜观测遥远的星系。", "宇宙大约有一百三十八亿年的历史。"]  # fmt: skip
    (gold / "tgt" / "001").write_text("".join(f"{stars[k % 5]}\n" for k in range(lines)), encoding="utf-8")
    (gold / "src" / "001").write_text((DATA / "report.en").read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(main, ["eval", str(gold), "--src-lang", "en", "--tgt-lang", "zh", "--json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        f"Warning: {gold}/src/001 and tgt/001 do not look like translations of each other: only "
    )
    assert json.loads(result.stdout)["overall"]["f1_strict"] < 0.5


def test_eval_mismatched_gold_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    gold = _gold_set(tmp_path / "set")
    (gold / "gold" / "001.align").write_text("[0]:[0]\n[1]:[40]\n")
    result = runner.invoke(main, ["eval", str(gold), "--src-lang", "zh", "--tgt-lang", "zh"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "link [1]:[40] is outside the texts (8 source, 7 target lines)" in result.output


def test_eval_empty_folder_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["eval", str(tmp_path)])
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: {tmp_path}: no gold/*.align files: give a folder with src/, tgt/, gold/\n"
    )


@pytest.mark.parametrize("content", ["", "   \n\n"])
def test_align_refuses_a_file_with_no_text(runner: CliRunner, tmp_path: Path, content: str) -> None:
    (tmp_path / "empty.en").write_text(content, encoding="utf-8")
    (tmp_path / "x.zh").write_text("你好。\n", encoding="utf-8")
    result = runner.invoke(main, ["align", str(tmp_path / "empty.en"), str(tmp_path / "x.zh"), "--src-lang", "en", "--tgt-lang", "zh-Hans"])
    assert (result.exit_code, result.output) == (
        1, f"Error: {tmp_path / 'empty.en'}: no text to align (the file is empty or blank); give the file that holds the text\n"
    )


def test_a_file_not_split_into_sentences_is_named(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "long.en").write_text("word " * 5000 + "\n", encoding="utf-8")
    (tmp_path / "x.zh").write_text("你好。\n", encoding="utf-8")
    result = runner.invoke(main, ["align", str(tmp_path / "long.en"), str(tmp_path / "x.zh"), "--src-lang", "en", "--tgt-lang", "zh-Hans", "--presplit"])
    assert (result.exit_code, result.output) == (
        1, f"Error: {tmp_path / 'long.en'}: source sentence 0 has 25000 characters (limit 20000): split the text into sentences first\n"
    )
