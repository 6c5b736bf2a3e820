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
