"""The regional-vocabulary check: another region's words in a Taiwan or Hong Kong text."""

from __future__ import annotations

from dataclasses import replace

import pytest
from qa_fixtures import CLEAN, parallel

from aligner.corpus.model import ParallelText
from aligner.qa.config import QAConfig
from aligner.qa.regional import foreign_words, tables
from aligner.qa.registry import all_checks
from aligner.qa.run import run_qa
from aligner.qa.script import conversion_differences

# (text, region, the words found as written → the region's word)
WORDS = [
    ("這個軟件的信息在網絡上，請用打印機列印。", "TW", [("軟件", "軟體"), ("信息", "資訊"), ("網絡", "網路"), ("打印機", "印表機")]),
    ("這個軟體的資訊在網路上，請用印表機列印。", "TW", []),
    ("這個軟體在網路上，請用印表機。", "HK", [("軟體", "軟件"), ("網路", "網絡"), ("印表機", "打印機")]),
    ("這個軟件在網絡上，請用打印機。", "HK", []),
    ("這個軟體在網路上。", "MO", [("軟體", "軟件"), ("網路", "網絡")]),
    ("這個軟件在網絡上。", "", []),  # no region, no finding
    ("這個軟件在網絡上。", "CN", []),  # a region the table does not know
    ("裏面的軟件", "TW", [("軟件", "軟體")]),  # OpenCC's 裏 and Taiwan's 裡 read alike
    ("裡面的軟件", "TW", [("軟件", "軟體")]),
    ("請裝好網絡卡。", "TW", []),  # Taiwan's word for a network card overlaps 網絡
    ("軟體動物", "TW", []),  # a mollusc, in every region
    ("我們支持這個程序，並添加了項目。", "TW", []),  # mainland words that are standard in Taiwan too
    ("他站在線上。", "TW", []),  # 在線 across a word boundary: 線上 is Taiwan's word
    ("這是機會率的問題。", "TW", [("機會率", "機率")]),  # Hong Kong's own word
    ("香港的資訊科技。", "HK", []),  # Hong Kong writes 資訊 too
]


@pytest.mark.parametrize(("text", "region", "found"), WORDS)
def test_foreign_words(text: str, region: str, found: list[tuple[str, str]]) -> None:
    assert [(h.word, h.suggestion) for h in foreign_words(text, region)] == found


def test_the_table_names_its_source_and_licence() -> None:
    from importlib import resources

    header = resources.files("aligner.qa").joinpath("regional.tsv").read_text(encoding="utf-8").splitlines()[:3]
    assert "OpenCC" in header[1] and "Apache License 2.0" in header[2]
    assert {"TW", "HK"} <= set(tables())


ROWS = [
    *CLEAN,
    ("He installed the software on the network.", "他在网络上安装了软件。", "他在網絡上安裝了軟件。"),
]


def regional_findings(text: ParallelText) -> list[tuple[str, str, str, str]]:
    """(pair, reason, suggestion, flagged text) of the regional check alone."""
    config = QAConfig(frozenset(set(all_checks()) - {"regional"}))
    return [(f"{f.src_lang}-{f.tgt_lang}", f.reason, f.suggestion, f.tgt_text) for f in run_qa([text], config)]


def with_region(text: ParallelText, lang: str, region: str) -> ParallelText:
    return replace(text, versions={**text.versions, lang: replace(text.versions[lang], region=region)})


def test_a_taiwan_text_with_hong_kong_words_is_flagged_once_naming_taiwan_s_words() -> None:
    text = with_region(parallel(ROWS), "zh-Hant", "TW")
    assert regional_findings(text) == [(
        "en-zh-Hant",
        "words not used in Taiwan: 網絡 → 網路 (Taiwan), 軟件 → 軟體 (Taiwan)",
        "他在網路上安裝了軟體。",
        "他在網絡上安裝了軟件。",
    )]


def test_a_hong_kong_text_with_taiwan_words_is_flagged() -> None:
    rows = [*CLEAN[:8], ("The software was launched.", "该软件已推出。", "該軟體已推出。")]
    text = with_region(parallel(rows), "zh-Hant", "HK")
    assert [r[1] for r in regional_findings(text)] == ["words not used in Hong Kong: 軟體 → 軟件 (Hong Kong)"]


def test_the_same_texts_for_hong_kong_and_with_no_region_are_not_flagged() -> None:
    assert regional_findings(with_region(parallel(ROWS[-1:]), "zh-Hant", "HK")) == []
    assert regional_findings(parallel(ROWS)) == []


def test_the_clean_fixture_for_taiwan_passes() -> None:
    assert regional_findings(with_region(parallel(CLEAN), "zh-Hant", "TW")) == []


def test_the_seed_taiwan_version_has_no_regional_finding() -> None:
    from pathlib import Path

    from aligner.corpus.store import load_all

    (seed,) = load_all(Path(__file__).parent.parent / "corpora")
    assert seed.versions["zh-Hant"].tag == "zh-Hant-TW"
    assert regional_findings(seed) == []


def _information(doc_id: str, word: str, region: str) -> ParallelText:
    """A document that writes `word` (資訊 or 信息) for 'information' in its Traditional version."""
    rows = [("The information was updated on Monday.", "信息在星期一更新了。", f"{word}在星期一更新了。"),
            ("Read the information today.", "今天阅读信息。", f"今天閱讀{word}。")]
    return with_region(parallel(rows, doc_id=doc_id), "zh-Hant", region)


def test_a_hong_kong_document_is_not_held_to_taiwan_usage() -> None:
    """'inconsistent' pooled every zh-Hant version: Hong Kong's 信息 was flagged against three Taiwan documents' 資訊."""
    config = QAConfig(frozenset(set(all_checks()) - {"inconsistent"}))
    taiwan = [_information(f"tw{n}", "資訊", "TW") for n in range(3)]
    assert run_qa([*taiwan, _information("hk", "信息", "HK")], config) == []
    flagged = run_qa([*taiwan, _information("tw3", "信息", "TW")], config)
    assert {(f.doc_id, f.reason) for f in flagged} == {("tw3", "'信息' is rendered 信息 here but 資訊 in most documents")}


def test_findings_name_versions_by_their_full_tag() -> None:
    """Plain text, JSON and the HTML report said zh-Hant for a Hong Kong version (and set no HK lang for its font)."""
    from aligner.qa.report import html_report, plain

    rows = [*CLEAN[:8], ("The software was launched.", "该软件已推出。", "該軟體已推出。")]
    config = QAConfig(frozenset(set(all_checks()) - {"regional"}))
    (finding,) = run_qa([with_region(parallel(rows), "zh-Hant", "HK")], config)
    assert (finding.as_json()["src_tag"], finding.as_json()["tgt_tag"], finding.tgt_lang) == ("en", "zh-Hant-HK", "zh-Hant")
    assert plain(finding).splitlines()[2] == "  zh-Hant-HK: 該軟體已推出。"
    page = html_report([finding], "QA")
    assert {cell.get("lang") for cell in page.iter("td") if cell.get("class") == "cell"} == {"en", "zh-Hant-HK"}
    assert {span.get("lang") for span in page.iter("span")} == {"zh-Hant-HK"}


def test_written_cantonese_in_a_hong_kong_version_is_usage_and_suggestions_are_hong_kong_s() -> None:
    """嘅, 話 and 呢 were 'conversion differences' with Taiwan's s2twp as the suggestion, whose 軟體
    the regional check then flagged in a Hong Kong text and whose “” replaced the text's 「」."""
    rows = [*CLEAN[:8],
            ("The new software rules have taken effect.", "新的软件规例已经生效。", "新嘅軟件規例已經生效咗。"),
            ('The secretary said: "His hair is a mess."', "局长说：“他的头发很乱。”", "局長話：「佢嘅頭發好亂。」"),
            ("This software is new.", "这个软件是新的。", "呢个軟件係新嘅。")]  # fmt: skip
    found = [(f.check, f.reason, f.suggestion) for f in run_qa([with_region(parallel(rows), "zh-Hant", "HK")])]
    assert found == [
        ("conversion", "conversion differences to review: 發 where OpenCC gives 髮 (for 发)", "局長話：「佢嘅頭髮好亂。」"),
        ("script-mix", "Simplified-only characters in the zh-Hant text: 个", "呢個軟件係新嘅。"),
    ]
    assert [foreign_words(suggestion, "HK") for _, _, suggestion in found] == [[], []]
    assert conversion_differences("他是系里的老师。", "佢係系入面嘅老師。", "HK") == []  # 係 lines up with 系


def quote_findings(text: ParallelText) -> list[tuple[str, str, str, str]]:
    """(version, check, reason, suggestion) of the quote-style and half-width checks alone."""
    config = QAConfig(frozenset(set(all_checks()) - {"quote-style", "half-width"}))
    return [(f.tgt_tag, f.check, f.reason, f.suggestion) for f in run_qa([text], config)]


def test_quotation_marks_follow_the_version_s_region() -> None:
    """Taiwan and Hong Kong write 「」 and 『』, the mainland “” and ‘’: a Taiwan text with “” drew no
    finding, and the half-width warning recommended “” to it."""
    rows = list(CLEAN[:4])
    rows[1] = (rows[1][0], rows[1][1], "美國更多依賴“大棒”，偏好對該國施加‘制裁’。")
    rows[3] = (rows[3][0], rows[3][1], '問題在於，兩國為何攜手實施"制裁"？')
    assert quote_findings(with_region(parallel(rows), "zh-Hant", "TW")) == [
        ("zh-Hant-TW", "quote-style", "quotation marks “ ” ‘ ’ in the zh-Hant-TW text: Taiwan writes 「 」 (and 『 』 inside)",
         "美國更多依賴「大棒」，偏好對該國施加『制裁』。"),
        ("zh-Hant-TW", "half-width", 'half-width punctuation in the zh-Hant text: " (Chinese uses full-width: ，；：？！（）。「」)', ""),
    ]
    hong_kong = quote_findings(with_region(parallel(rows), "zh-Hant", "HK"))
    assert [reason for _, check, reason, _ in hong_kong if check == "quote-style"] == [
        "quotation marks “ ” ‘ ’ in the zh-Hant-HK text: Hong Kong writes 「 」 (and 『 』 inside)"
    ]
    assert [f[1:3] for f in quote_findings(parallel(rows))] == [  # no region: either style
        ("half-width", 'half-width punctuation in the zh-Hant text: " (Chinese uses full-width: ，；：？！（）。「」 or “”)')
    ]
    rows = [(CLEAN[1][0], "美国更多依赖「大棒」，偏好对该国施加制裁。", CLEAN[1][2])]
    assert quote_findings(parallel(rows)) == [
        ("zh-Hans", "quote-style", "quotation marks 「 」 in the zh-Hans text: Simplified Chinese writes “ ” (and ‘ ’ inside)",
         "美国更多依赖“大棒”，偏好对该国施加制裁。"),
    ]
    assert quote_findings(with_region(parallel(CLEAN), "zh-Hant", "TW")) == []


def test_hong_kong_character_forms_are_not_simplified_only_in_a_hong_kong_version() -> None:
    """CC-CEDICT lists 户, 税, 温, 着 as Simplified only, yet they are Hong Kong's forms (s2hk
    writes them): a Hong Kong version using them was a 'script-mix' error; a Taiwan one still is."""
    rows = [*CLEAN[:8], ("Users watched the tax rate and the temperature.", "用户看着税率和温度。", "用户看着税率和温度。")]
    only = QAConfig(frozenset(set(all_checks()) - {"script-mix", "conversion"}))
    assert run_qa([with_region(parallel(rows), "zh-Hant", "HK")], only) == []
    taiwan = run_qa([with_region(parallel(rows), "zh-Hant", "TW")], only)
    assert [(f.check, f.reason, f.suggestion) for f in taiwan] == [
        ("script-mix", "Simplified-only characters in the zh-Hant text: 户着税温", "使用者看著稅率和溫度。")
    ]
