"""QA checks on small three-version fixtures: each row plants one error (or none) and names the
check that must fire, and every other check must stay silent on it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from qa_fixtures import CLEAN, TECH, parallel

from aligner.cli import main
from aligner.corpus.model import Alignment, Document, Link, Paragraph, ParallelText, Sentence
from aligner.corpus.store import save
from aligner.errors import InputError
from aligner.qa.config import QAConfig, load_config
from aligner.qa.quantities import stated
from aligner.qa.registry import all_checks
from aligner.qa.run import run_qa

DATA = Path(__file__).parent / "data" / "qa"

# (check, row of CLEAN to spoil, language spoiled, the spoiled text)
PLANTED = [
    ("numbers", 0, "zh-Hans", "针对第三次核试验，联合国安理会通过了第2049号决议。"),
    ("numbers", 0, "zh-Hant", "針對第五次核試驗，聯合國安理會通過了第2094號決議。"),
    ("numbers", 4, "zh-Hans", "2013年3月12日，出口增长了百分之七，达到500万美元。"),
    ("numbers", 4, "zh-Hant", "2013年3月21日，出口增長了百分之五，達到500萬美元。"),
    ("numbers", 4, "en", "Exports grew by 5 percent on 12 March 2013, reaching $50 million."),
    ("names", 0, "zh-Hant", "針對第三次核試驗，安理會通過了第2094號決議。"),
    ("untranslated", 1, "zh-Hans", "The U.S. relies more on sticks and prefers to exert sanctions on the country."),
    ("wrong-language", 1, "zh-Hant", "The United States prefers sticks to carrots, as everyone knows."),
    ("wrong-language", 1, "zh-Hant", "美國は制裁を好み、その国に圧力をかけている。"),  # Japanese
    ("script-mix", 2, "zh-Hant", "早在2011年初，部长就曾警告飛彈可能在五年內打到本土。"),
    ("script-mix", 2, "zh-Hans", "早在2011年初，部長就曾警告导弹可能在五年内打到本土。"),
    ("conversion", 8, "zh-Hant", "他們說，該軟體在火箭髮射後推出。"),
    ("conversion", 8, "zh-Hant", "他們說，該軟體在火箭發射后推出。"),
    ("half-width", 3, "zh-Hans", "问题在于,两国为何携手实施制裁?"),
    ("unbalanced", 1, "zh-Hant", "美國更多依賴「大棒，偏好對該國施加制裁。"),
    ("question", 3, "zh-Hans", "问题在于，两国为何携手实施制裁。"),
    ("omission addition", 6, "zh-Hans", ""),  # the zh-Hant sentence is then an addition
    ("partial-omission", 7, "zh-Hans", "风险正与日俱增。"),
    ("low-confidence", 5, "confidence", "0.1"),
]

QUANTITIES = [
    ("二〇一三年三月十二日", {2013, 3, 12}),
    ("March 12, 2013", {2013, 3, 12}),
    ("第三次", {3}),
    ("the third test", {3}),
    ("百分之五", {5}),
    ("5%", {5}),
    ("2,094", {2094}),
    ("500万美元", {5_000_000}),
    ("$5 million", {5_000_000}),
    ("two hundred and five", {205}),
    ("百分之三点五", {3.5}),
]


def test_clean_rows_have_no_findings() -> None:
    assert run_qa([parallel(CLEAN)]) == []


@pytest.mark.parametrize(("check", "row", "lang", "text"), PLANTED)
def test_planted_error_is_found_by_its_check_alone(check: str, row: int, lang: str, text: str) -> None:
    rows = list(CLEAN)
    confidence = {}
    if lang == "confidence":
        confidence = {row: float(text)}
    else:
        k = ("en", "zh-Hans", "zh-Hant").index(lang)
        rows[row] = tuple(text if i == k else t for i, t in enumerate(rows[row]))  # type: ignore[assignment]
    found = run_qa([parallel(rows, confidence)])
    assert {f.check for f in found} == set(check.split()), [f.reason for f in found]


def test_technical_prose_has_no_findings() -> None:
    """Chinese with product names, acronyms, codes and URLs was 'wrong language' (Han characters
    weighed against Latin letters, URLs counted) and 'untranslated' (the URL counted as copied);
    NT$, Q1 and CEO written out (新台币, 第一季度, Taiwan's 執行長) were 'not in the text'. An
    English sentence with a URL left in the Chinese version is still in the wrong language."""
    text = parallel(CLEAN + TECH)
    assert run_qa([text]) == []
    taiwan = replace(text, versions={**text.versions, "zh-Hant": replace(text.versions["zh-Hant"], region="TW")})
    assert run_qa([taiwan]) == []
    english = "The rules are published in full at https://example.org/rules."
    found = run_qa([parallel([*CLEAN, (TECH[1][0], english, TECH[1][2])])])
    assert [(f.check, f.tgt_lang) for f in found] == [("wrong-language", "zh-Hans")]


def test_each_sentence_is_checked_against_its_version_s_script_with_one_chinese_version() -> None:
    """A zh-Hans version with Traditional sentences got no finding without a zh-Hant version to
    compare with; a sentence of characters both scripts share (在台北工作) fits either label, and
    so does 讟, which CC-CEDICT lists only as Traditional but has no other Simplified form."""
    en = ["Heavy rain hit the south on Monday.", "More than 300 flights were cancelled at Guangzhou airport.",
          "Schools in 12 cities were closed.", "He works in Taipei.", "They murmured against God."]
    zh = ["周一，暴雨袭击了南方。", "廣州機場超過300個航班被取消。", "12個城市的學校停課。", "他在台北工作。", "他们怨讟神。"]
    docs = {
        lang: Document("doc", lang, (Paragraph(f"{lang}.p1", tuple(Sentence(f"{lang}.s{n}", t) for n, t in enumerate(texts))),))
        for lang, texts in (("en", en), ("zh-Hans", zh))
    }
    links = tuple(Link((f"en.s{n}",), (f"zh-Hans.s{n}",), 0.9) for n in range(5))
    found = run_qa([ParallelText("doc", docs, (Alignment("en", "zh-Hans", links),))])
    assert [(f.check, f.severity, f.tgt_ids, f.suggestion) for f in found] == [
        ("script-mix", "error", ("zh-Hans.s1",), "广州机场超过300个航班被取消。"),
        ("script-mix", "error", ("zh-Hans.s2",), "12个城市的学校停课。"),
    ]
    assert found[0].reason == "Traditional-only characters in the zh-Hans text: 廣機場過個"


@pytest.mark.parametrize(("text", "values"), QUANTITIES)
def test_quantities_normalise_to_the_same_values(text: str, values: set[float]) -> None:
    assert stated(text) == values


def test_conversion_finding_carries_the_opencc_suggestion() -> None:
    rows = list(CLEAN)
    rows[8] = (rows[8][0], rows[8][1], "他們說，該軟體在火箭髮射後推出。")
    (finding,) = run_qa([parallel(rows)])
    assert "髮 where OpenCC gives 發" in finding.reason
    assert finding.suggestion == "他們說，該軟體在火箭發射後推出。"


def test_config_switches_checks_off_and_sets_thresholds() -> None:
    config = load_config(DATA / "off.toml", all_checks())
    assert "low-confidence" in config.disabled
    assert config.params(all_checks()["partial-omission"])["deviations"] == 5.0
    assert run_qa([parallel(CLEAN, {5: 0.1})], config) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad_key.toml", "[checks.numbers] has no setting 'tolerance' (settings: enabled)"),
        ("missing.toml", "cannot read the QA configuration"),
    ],
)
def test_config_errors_name_file_and_fix(name: str, message: str) -> None:
    with pytest.raises(InputError, match=regex_escape(message)):
        load_config(DATA / name, all_checks())


def regex_escape(text: str) -> str:
    import re

    return re.escape(text)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    rows = list(CLEAN)
    rows[0] = (rows[0][0], "针对第三次核试验，联合国安理会通过了第2049号决议。", rows[0][2])
    rows[3] = (rows[3][0], "问题在于，两国为何携手实施制裁。", rows[3][2])
    save(tmp_path, parallel(rows))
    return tmp_path


def test_cli_fail_on_sets_exit_status(corpus: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["qa", "doc", "--corpus", str(corpus)]).exit_code == 0
    assert runner.invoke(main, ["qa", "doc", "--corpus", str(corpus), "--fail-on", "error"]).exit_code == 2


def test_cli_json_lists_findings_with_ids_and_texts(corpus: Path) -> None:
    result = CliRunner().invoke(main, ["qa", str(corpus), "--corpus", str(corpus), "--json"])
    data = json.loads(result.output)
    assert data["counts"] == {"numbers": {"error": 2}, "question": {"warning": 1}}  # en→zh-Hans, zh-Hans→zh-Hant
    first = data["findings"][0]
    assert (first["src_ids"], first["tgt_ids"], first["tgt_lang"]) == (["en.s0"], ["zh-Hans.s0"], "zh-Hans")
    assert "2049 in zh-Hans but not in en" in first["reason"]


def test_cli_warning_gate_and_html_report(corpus: Path, tmp_path: Path) -> None:
    page = tmp_path / "qa.html"
    result = CliRunner().invoke(main, ["qa", "doc", "--corpus", str(corpus), "--fail-on", "warning", "--html", str(page)])
    assert result.exit_code == 2
    html = page.read_text(encoding="utf-8")
    assert "--review-bg" in html and '<tr class="warning">' in html and 'lang="zh-Hans"' in html


def test_cli_bad_config_is_one_line(corpus: Path) -> None:
    result = CliRunner().invoke(main, ["qa", "doc", "--corpus", str(corpus), "--config", str(DATA / "bad_key.toml")])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "no setting 'tolerance'" in result.output


@pytest.fixture(scope="session")
def seed_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from aligner.build import build

    out = tmp_path_factory.mktemp("seed")
    build(Path(__file__).parent.parent / "seeds", out)
    return out


def test_seed_corpus_has_no_error_findings(seed_corpus: Path) -> None:
    from aligner.corpus.store import load_all

    found = run_qa(load_all(seed_corpus))
    assert [f.reason for f in found if f.severity == "error"] == []
    assert {f.check for f in found} <= {"low-confidence", "inconsistent"}


def merged_text() -> ParallelText:
    """English and both Chinese scripts with merged links: the first English pair's second
    sentence has no translation at all; the second pair is one Chinese sentence for both."""
    en = ["The council met on Monday to discuss next year's budget.",
          "Heavy rain flooded several villages in the north overnight.",
          "The minister resigned on Friday.", "He cited his poor health as the reason."]  # fmt: skip
    hans = ["理事会周一开会讨论明年的预算。", "部长周五以健康状况不佳为由辞职。"]
    hant = ["理事會週一開會討論明年的預算。", "部長週五以健康狀況不佳為由", "辭職。"]
    docs = {
        lang: Document("doc", lang, (Paragraph(f"{lang}.p1", tuple(Sentence(f"{lang}.s{n}", t) for n, t in enumerate(texts))),))
        for lang, texts in (("en", en), ("zh-Hans", hans), ("zh-Hant", hant))
    }
    links: dict[tuple[str, str], list[tuple[tuple[str, ...], tuple[str, ...]]]] = {
        ("en", "zh-Hans"): [(("en.s0", "en.s1"), ("zh-Hans.s0",)), (("en.s2", "en.s3"), ("zh-Hans.s1",))],
        ("zh-Hant", "zh-Hans"): [(("zh-Hant.s0",), ("zh-Hans.s0",)), (("zh-Hant.s1", "zh-Hant.s2"), ("zh-Hans.s1",))],
    }
    return ParallelText(
        "doc", docs, tuple(Alignment(a, b, tuple(Link(s, t, 0.9) for s, t in pairs)) for (a, b), pairs in links.items())
    )


def test_an_untranslated_sentence_joined_to_a_neighbours_link_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The aligner often joins an untranslated sentence to its neighbour's link instead of
    leaving it alone: the link's translation then matches the link better without it."""
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path))
    findings = [f for f in run_qa([merged_text()]) if f.check == "joined-omission"]
    assert [(f.src_lang, f.tgt_lang, f.src_ids) for f in findings] == [("en", "zh-Hans", ("en.s1",))]
    (finding,) = findings
    assert finding.src_text.startswith("Heavy rain") and finding.tgt_text == "理事会周一开会讨论明年的预算。"
    assert finding.severity == "warning" and "→" in finding.reason
    raised = QAConfig(overrides={"joined-omission": {"gain": 1.0}})  # a whole translation's gain
    assert not [f for f in run_qa([merged_text()], raised) if f.check == "joined-omission"]


def test_an_added_sentence_joined_to_a_neighbours_link_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same on the translation's side: a sentence the translator added, joined to the link
    before it, is named; a true 1-2 link (one English sentence translated as two) is not."""
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path))
    en = ["The council met on Monday to discuss next year's budget.",
          "The minister resigned on Friday, citing his poor health."]  # fmt: skip
    hans = ["理事会周一开会讨论明年的预算。", "北部数个村庄昨夜遭暴雨淹没。", "部长周五辞职。", "他称原因是健康状况不佳。"]
    docs = {
        lang: Document("doc", lang, (Paragraph(f"{lang}.p1", tuple(Sentence(f"{lang}.s{n}", t) for n, t in enumerate(texts))),))
        for lang, texts in (("en", en), ("zh-Hans", hans))
    }
    links = (Link(("en.s0",), ("zh-Hans.s0", "zh-Hans.s1"), 0.9), Link(("en.s1",), ("zh-Hans.s2", "zh-Hans.s3"), 0.9))
    text = ParallelText("doc", docs, (Alignment("en", "zh-Hans", links),))
    findings = [f for f in run_qa([text]) if f.check.startswith("joined-")]
    assert [(f.check, f.src_ids, f.tgt_ids) for f in findings] == [("joined-addition", ("en.s0",), ("zh-Hans.s1",))]
    assert findings[0].tgt_text == hans[1] and "may be added" in findings[0].reason


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (b"[checks.low-confidence]\nthreshold = 2\n", "[checks.low-confidence] threshold = 2 is out of range; give a number from 0 to 1"),
        (b"[checks.untranslated]\ncopied = 0\n", "[checks.untranslated] copied = 0 is out of range; give a number above 0 and at most 1"),
        (b"[checks.inconsistent]\nmin_uses = 0\n", "[checks.inconsistent] min_uses = 0 is out of range; give a number from 1"),
        (b"[checks.inconsistent]\nshare = nan\n", "[checks.inconsistent] share = nan is out of range"),
        (b"[checks.inconsistent]\nmin_uses = 2.5\n", "[checks.inconsistent] min_uses = 2.5 is a count; give a whole number, e.g. 2 or 3"),
        (b"[checks.partial-omission]\nmin_links = 7.9\n", "[checks.partial-omission] min_links = 7.9 is a count; give a whole number, e.g. 7 or 8"),
        (b"\xff\xfe[checks", "byte 0: not UTF-8; save the QA configuration as UTF-8"),
    ],
)
def test_a_threshold_that_cannot_mean_anything_is_refused(tmp_path: Path, toml: bytes, message: str) -> None:
    (tmp_path / "qa.toml").write_bytes(toml)
    with pytest.raises(InputError, match=regex_escape(f"{tmp_path / 'qa.toml'}: {message}")):
        load_config(tmp_path / "qa.toml", all_checks())


def test_a_count_written_as_a_whole_float_is_taken(tmp_path: Path) -> None:
    (tmp_path / "qa.toml").write_text("[checks.inconsistent]\nmin_uses = 2.0\n", encoding="utf-8")
    assert load_config(tmp_path / "qa.toml", all_checks()).overrides == {"inconsistent": {"min_uses": 2.0}}


def test_list_checks_as_json_and_qa_of_the_whole_corpus_by_default(corpus: Path) -> None:
    listed = json.loads(CliRunner().invoke(main, ["qa", "--list-checks", "--json"]).output)
    assert {"name": "low-confidence", "family": "consistency", "summary": "a machine link the aligner was unsure of", "settings": {"threshold": 0.5}} in listed
    whole = CliRunner().invoke(main, ["qa", "--corpus", str(corpus), "--json"])  # no TARGET: --corpus, not ./corpora
    assert whole.exit_code == 0 and json.loads(whole.output)["counts"]["numbers"] == {"error": 2}


def test_a_line_without_words_left_out_is_no_omission() -> None:
    en = ["The minister resigned on Friday.", "»", "He cited his poor health."]
    zh = ["部长周五辞职。", "·"]
    docs = {
        lang: Document("doc", lang, (Paragraph(f"{lang}.p1", tuple(Sentence(f"{lang}.s{n}", t) for n, t in enumerate(texts))),))
        for lang, texts in (("en", en), ("zh-Hans", zh))
    }
    links = [(("en.s0",), ("zh-Hans.s0",)), (("en.s1",), ()), (("en.s2",), ()), ((), ("zh-Hans.s1",))]
    text = ParallelText("doc", docs, (Alignment("en", "zh-Hans", tuple(Link(s, t, 0.9) for s, t in links)),))
    found = [(f.check, f.src_ids, f.tgt_ids) for f in run_qa([text]) if f.check in ("omission", "addition")]
    assert found == [("omission", ("en.s2",), ())]
