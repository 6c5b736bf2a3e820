"""Scores equal sacrebleu's own command line on the same plain files; bad candidates fail clearly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from qa_fixtures import CLEAN, parallel

from aligner import score as scoring
from aligner.cli import main
from aligner.corpus.store import save
from aligner.ingest.langs import convert

# A candidate per line of the English source: some exact, some paraphrased, one poor.
CANDIDATE = [
    "针对第三次核试验，联合国安理会通过了第2094号决议。",
    "美国更依赖大棒，喜欢对该国实施制裁。",
    "2011年初，部长警告说导弹五年内可能打到本土。",
    "问题是两国为什么一起实施制裁？",
    "2013年3月12日，出口增长5%，达到500万美元。",
    "双方要密切合作落实决议。",
    "中国必须在出口管制方面做更多。",
    "风险在增加。",
    "他们说软件在发射后推出。",
    "日期是二〇一三年三月十二日。",
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    save(tmp_path / "corpus", parallel(CLEAN))
    (tmp_path / "cand.txt").write_text("\n".join(CANDIDATE) + "\n", encoding="utf-8")
    return tmp_path / "corpus"


def sacrebleu_cli(ref: Path, hyp: Path) -> dict[str, float]:
    """sacrebleu's own corpus scores for zh: BLEU (zh tokeniser), chrF (word order 0: Chinese has no
    spaces to split words at), TER (Asian support, which sacrebleu applies only with its normalisation)."""
    out = subprocess.run(
        [sys.executable, "-m", "sacrebleu", str(ref), "-i", str(hyp), "-m", "bleu", "chrf", "ter",
         "--tokenize", "zh", "--chrf-word-order", "0", "--ter-normalized", "--ter-asian-support", "-b", "-w", "6"],
        capture_output=True, text=True, check=True,
    ).stdout
    return dict(zip(("bleu", "chrf", "ter"), json.loads(out), strict=True))


def test_corpus_scores_equal_sacrebleu_command_line(corpus: Path, tmp_path: Path) -> None:
    ref = tmp_path / "ref.txt"
    ref.write_text("\n".join(row[1] for row in CLEAN) + "\n", encoding="utf-8")
    expected = sacrebleu_cli(ref, tmp_path / "cand.txt")
    text = parallel(CLEAN)
    segs = scoring.segments([text], {"cand": [CANDIDATE]}, "en", "zh-Hans")
    (got,) = scoring.score(segs, "zh-Hans").scores
    assert (round(got.bleu, 6), round(got.chrf, 6), round(got.ter, 6)) == pytest.approx(
        (expected["bleu"], expected["chrf"], expected["ter"]), abs=1e-6
    )


def test_traditional_scores_match_simplified_after_t2s(corpus: Path) -> None:
    text = parallel(CLEAN)
    hant = [convert(c, "s2t") for c in CANDIDATE]
    simp = scoring.score(scoring.segments([text], {"c": [CANDIDATE]}, "en", "zh-Hans"), "zh-Hans").scores[0]
    trad = scoring.score(scoring.segments([text], {"c": [hant]}, "en", "zh-Hant"), "zh-Hant", simplify=True)
    assert trad.signatures["BLEU"].endswith("|script:t2s")
    assert abs(trad.scores[0].chrf - simp.chrf) < 5  # only regional vocabulary differs


def test_several_systems_ranked_with_bootstrap(corpus: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(reversed(CANDIDATE)) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", "doc", "--corpus", str(corpus), "-c", f"bad={bad}",
                                       "-c", f"good={tmp_path / 'cand.txt'}", "--json", "--samples", "100", "--worst", "1"])
    data = json.loads(result.output)
    assert [s["name"] for s in data["systems"]] == ["good", "bad"]
    assert data["systems"][0]["p_bleu"] < 0.05 and data["systems"][0]["bleu_ci"] is not None
    assert "tok:zh" in data["signatures"]["BLEU"]
    assert data["worst"]["good"][0]["id"] == "doc:en.s7"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (CANDIDATE[:8], "8 lines but doc has 10 en sentences; give one translated line per source sentence"),
        (CANDIDATE + ["多余"], "11 lines but doc has 10 en sentences"),
        ([], "the candidate is empty"),
    ],
)
def test_bad_candidates_are_one_line_errors(corpus: Path, tmp_path: Path, lines: list[str], message: str) -> None:
    cand = tmp_path / "x.txt"
    cand.write_text("\n".join(lines), encoding="utf-8")
    result = CliRunner().invoke(main, ["score", "doc", "--corpus", str(corpus), "-c", str(cand)])
    assert result.exit_code == 1 and message in result.output and result.output.count("\n") == 1


def test_wrong_language_candidate_warns(corpus: Path, tmp_path: Path) -> None:
    cand = tmp_path / "en.txt"
    cand.write_text("\n".join(row[0] for row in CLEAN) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", "doc", "--corpus", str(corpus), "-c", str(cand), "--json"])
    assert "looks like en, not zh-Hans" in result.stderr if hasattr(result, "stderr") else True
    assert json.loads(result.stdout)["warnings"] == ["en: the candidate looks like en, not zh-Hans"]


def test_missing_reference_language(corpus: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["score", "doc", "--corpus", str(corpus), "-c", str(tmp_path / "cand.txt"), "--lang", "fr"])
    assert result.exit_code == 1
    assert "doc: no fr reference (it has en, zh-Hans, zh-Hant); choose the reference with --lang" in result.output


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["a={p}", "a={p}"], "Error: -c: two systems are named 'a'; name each one: -c NAME=PATH\n"),
        (["{p}", "{p}"], "Error: -c: two systems are named 'cand'; name each one: -c NAME=PATH\n"),
        (["={p}"], "Error: -c ={p}: the system has no name; write NAME=PATH, or the path alone\n"),
    ],
)
def test_systems_must_have_distinct_names(corpus: Path, tmp_path: Path, names: list[str], message: str) -> None:
    cand = tmp_path / "cand.txt"
    cand.write_text("\n".join(CANDIDATE) + "\n", encoding="utf-8")
    args = [x for name in names for x in ("-c", name.format(p=cand))]
    result = CliRunner().invoke(main, ["score", "doc", "--corpus", str(corpus), *args])
    assert (result.exit_code, result.output) == (1, message.format(p=cand))


def test_a_regional_reference_must_be_the_region_asked_for(corpus: Path, tmp_path: Path) -> None:
    """--lang zh-Hant-HK scored a Taiwan reference as if it were Hong Kong's; zh-Hant-TW and zh-Hant score it."""
    from dataclasses import replace

    text = parallel(CLEAN)
    save(corpus, replace(text, versions={**text.versions, "zh-Hant": replace(text.versions["zh-Hant"], region="TW")}))
    cand = tmp_path / "trad.txt"
    cand.write_text("\n".join(convert(line, "s2t") for line in CANDIDATE) + "\n", encoding="utf-8")

    def run(lang: str) -> Result:
        return CliRunner().invoke(main, ["score", "doc", "--corpus", str(corpus), "-c", str(cand), "--lang", lang, "--json"])

    wrong = run("zh-Hant-HK")
    assert (wrong.exit_code, wrong.output) == (
        1, "Error: doc: --lang zh-Hant-HK: this document's zh-Hant version is zh-Hant-TW; ask for zh-Hant-TW or zh-Hant\n")
    assert all(run(lang).exit_code == 0 for lang in ("zh-Hant-TW", "zh-TW", "zh-Hant"))
    assert run("zh").output == "Error: --lang zh: stands for zh-Hans and zh-Hant here; name one of them\n"


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("gb18030", b"")])
def test_a_candidate_is_decoded_as_align_reads_a_text(corpus: Path, tmp_path: Path, encoding: str, bom: bytes) -> None:
    """A UTF-8 byte order mark stayed in the first segment (BLEU 70.89 against 70.94 without it);
    UTF-16 and GB18030 candidates were refused as not UTF-8."""
    plain = json.loads(CliRunner().invoke(main, ["score", "doc", "--corpus", str(corpus), "-c", str(tmp_path / "cand.txt"), "--json"]).output)
    other = tmp_path / "other.txt"
    other.write_bytes(bom + ("\n".join(CANDIDATE) + "\n").encode(encoding))
    result = CliRunner().invoke(main, ["score", "doc", "--corpus", str(corpus), "-c", f"cand={other}", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["systems"] == plain["systems"]


def test_a_document_without_the_source_version_names_the_option(tmp_path: Path) -> None:
    """A document without an en version was a KeyError traceback."""
    for tag, lines in (("zh-Hans", ["一。", "二。", "三。"]), ("zh-Hant-TW", ["一。", "二。", "三。"])):
        (tmp_path / f"mo.{tag}").write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = str(tmp_path / "cs")
    imported = CliRunner().invoke(main, ["import", str(tmp_path / "mo.zh-Hans"), str(tmp_path / "mo.zh-Hant-TW"),
                                         "--format", "moses", "--corpus", corpus])  # fmt: skip
    assert imported.exit_code == 0, imported.output
    (tmp_path / "cand.txt").write_text("一。\n二。\n三。\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", "mo", "--corpus", corpus, "-c", str(tmp_path / "cand.txt")])
    assert (result.exit_code, result.output) == (1, (
        "Error: mo: no en source (it has zh-Hans, zh-Hant); choose with --src the version the candidate lines"
        " translate, one line per sentence\n"
    ))
    chosen = CliRunner().invoke(main, ["score", "mo", "--corpus", corpus, "-c", str(tmp_path / "cand.txt"),
                                       "--src", "zh-Hans", "--lang", "zh-Hant", "--json"])  # fmt: skip
    assert chosen.exit_code == 0, chosen.output


@pytest.mark.parametrize("name", ["missing.txt", "missing.xml"])
def test_a_missing_candidate_is_one_line(corpus: Path, tmp_path: Path, name: str) -> None:
    result = CliRunner().invoke(main, ["score", "doc", "--corpus", str(corpus), "-c", str(tmp_path / name)])
    assert (result.exit_code, result.output) == (
        1, f"Error: {tmp_path / name}: cannot read the candidate (No such file or directory); give a system's output file\n")


def test_chinese_ter_counts_characters_not_whole_sentences() -> None:
    """TER on Chinese compared whole unsegmented sentences: one character changed (仍然 → 依然)
    cost a whole word's edit in a two-'word' sentence (TER 50); it must cost one character's."""
    ref = ["据报告，这种芯片仍然供不应求。"]
    hyp = ["据报告，这种芯片依然供不应求。"]
    ter = scoring.metrics("zh-Hans")["TER"]
    assert 0 < ter.corpus_score(hyp, [ref]).score < 15  # type: ignore[attr-defined]


def _wide(text: str) -> str:
    """`text` with its ASCII letters and digits full-width (2094 → ２０９４), as some translators type them."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def test_a_candidate_in_full_width_letters_and_digits_scores_as_in_half_width(corpus: Path, tmp_path: Path) -> None:
    """第２０９４号 and ２０１３年３月１２日 against the reference's 第2094号 and 2013年3月12日 lowered
    every metric (BLEU 48.0 → 41.8, chrF 48.5 → 35.0, TER 32.7 → 35.6): widths are folded on both
    sides before scoring."""
    wide = tmp_path / "wide.txt"
    wide.write_text("\n".join(map(_wide, CANDIDATE)) + "\n", encoding="utf-8")
    assert sum(c != w for c, w in zip(CANDIDATE, map(_wide, CANDIDATE), strict=True)) == 3  # three lines hold digits

    def run(path: Path) -> Any:
        result = CliRunner().invoke(main, ["score", "doc", "--corpus", str(corpus), "-c", f"mt={path}", "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    narrow, folded = run(tmp_path / "cand.txt"), run(wide)
    assert folded["systems"] == narrow["systems"] and folded["segments"] == narrow["segments"]
    assert all(sig.endswith("|width:folded") for sig in folded["signatures"].values())


def test_widths_fold_in_the_reference_too_and_chinese_punctuation_stays() -> None:
    """A pair differing only in width scored BLEU 24.0, chrF 18.9, TER 28.6; it scores as the
    identical pair, whichever side is full-width. The Chinese comma ， is Chinese's own mark, not
    a width of the ASCII comma: it is kept."""
    ref = "据TrendForce报告，2024年第三季度GPU出货量达到1,250万颗。"
    wide = "据ＴｒｅｎｄＦｏｒｃｅ报告，２０２４年第三季度ＧＰＵ出货量达到１，２５０万颗。"

    def scores(refs: tuple[str, ...], hyps: tuple[str, ...]) -> tuple[float, float, float]:
        segs = scoring.Segments(("d:1",), ("TrendForce says…",), refs, {"mt": hyps})
        (got,) = scoring.score(segs, "zh-Hans").scores
        return got.bleu, got.chrf, got.ter

    assert scores((ref,), (wide,)) == scores((wide,), (ref,)) == scores((ref,), (ref,)) == pytest.approx((100, 100, 0))
    assert scoring.fold_width(wide) == ref
    assert scores((ref,), (ref.replace("，", ", "),))[0] < 100  # an ASCII comma is another mark


def test_a_target_written_without_spaces_is_scored_with_chrf_and_says_so(corpus: Path, tmp_path: Path) -> None:
    """chrF++ split Chinese into 'words' at spaces, so a word was a whole sentence: every sentence
    not matched whole lost a seventh of its score (one character changed: 59.6, chrF 69.5). A
    Chinese target is scored with chrF (word order 0), named in the table and in --json."""
    from sacrebleu.metrics import CHRF

    ref, hyp = "据报告，这种芯片仍然供不应求。", "据报告，这种芯片依然供不应求。"
    report = scoring.score(scoring.Segments(("d:1",), ("It is still short.",), (ref,), {"mt": (hyp,)}), "zh-Hans")
    assert report.chrf == "chrF2" and "nw:0" in report.signatures["chrF2"]
    assert report.scores[0].chrf == pytest.approx(CHRF(word_order=0).sentence_score(hyp, [ref]).score) == pytest.approx(69.53, abs=0.01)
    result = CliRunner().invoke(main, ["score", "doc", "--corpus", str(corpus), "-c", str(tmp_path / "cand.txt"), "--json"])
    assert json.loads(result.output)["chrf_metric"] == "chrF2"
    table = CliRunner().invoke(main, ["score", "doc", "--corpus", str(corpus), "-c", str(tmp_path / "cand.txt"), "--worst", "0"])
    assert "Systems, best chrF2 first" in table.output and "chrF2++" not in table.output
    english = tmp_path / "en.txt"
    english.write_text("\n".join(row[0] for row in CLEAN) + "\n", encoding="utf-8")
    spaced = CliRunner().invoke(main, ["score", "doc", "--corpus", str(corpus), "-c", str(english), "--lang", "en",
                                       "--src", "zh-Hans", "--json"])  # fmt: skip
    assert json.loads(spaced.output)["chrf_metric"] == "chrF2++" and "nw:2" in json.loads(spaced.output)["signatures"]["chrF2++"]
