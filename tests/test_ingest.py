"""Ingest: decoding, chrome stripping with metadata, normalisation, ids, bad inputs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.cli import main
from aligner.errors import InputError
from aligner.ingest.langs import detect_language, guess_language
from aligner.ingest.text import decode, ingest_file, ingest_text, normalize, source_of
from aligner.score import language_warnings

SEED = Path(__file__).parent.parent / "seeds" / "000_bf7a112df29932bd.txt"

ZH = "中美在朝鲜问题上合作的强烈信号。联合国安理会第2094号决议，被称为迄今最严厉的制裁。"
ZH_HANT = "中美在北韓問題上合作的強烈訊號。聯合國安理會第2094號決議，被稱為迄今最嚴厲的制裁。"

DECODE_CASES = [
    ("utf-8", ZH.encode("utf-8"), ZH),
    ("utf-8 with BOM", b"\xef\xbb\xbf" + ZH.encode("utf-8"), ZH),
    ("utf-16 LE with BOM", ZH.encode("utf-16"), ZH),
    ("utf-16 BE with BOM", b"\xfe\xff" + ZH.encode("utf-16-be"), ZH),
    ("gb18030", ZH.encode("gb18030"), ZH),
    ("big5", ZH_HANT.encode("big5"), ZH_HANT),
    ("ascii", b"Plain English.", "Plain English."),
]


DECODE_CASES += [
    ("latin-1 German", "Die Straße nach München.\n\nDie Bürger sind müde.".encode("latin-1"), "Die Straße nach München.\n\nDie Bürger sind müde."),
    ("windows-1252 French", "L’été à Paris — «très» chaud…".encode("cp1252"), "L’été à Paris — «très» chaud…"),
    ("big5, half-width punctuation", "今天臺北的天氣很好, 我們去公園散步吧!".encode("big5"), "今天臺北的天氣很好, 我們去公園散步吧!"),
    ("gb18030 with English words", "我们使用Kubernetes和Docker。".encode("gb18030"), "我们使用Kubernetes和Docker。"),
    ("big5, two characters", "臺灣".encode("big5"), "臺灣"),  # as GB18030 these bytes read 籓芖, no word
    ("euc-kr Korean", "오늘 날씨가 좋습니다. 우리는 공원에 갑니다.".encode("euc-kr"), "오늘 날씨가 좋습니다. 우리는 공원에 갑니다."),
    ("shift_jis Japanese", "今日はいい天気ですね。公園に行きましょう。".encode("shift_jis"), "今日はいい天気ですね。公園に行きましょう。"),
]


TURKISH = "Merkez Bankası faiz politikasını açıkladı. Değişiklikler gerekli ve işsizlik düştü."
CZECH = "Vláda oznámila novou hospodářskou politiku. Daně příští rok nevzrostou, než se čekalo."
DECODE_CASES += [  # a single-byte file's code page, told by which reading's letters are one language's
    ("windows-1254 Turkish", TURKISH.encode("cp1254"), TURKISH),
    ("windows-1250 Czech", CZECH.encode("cp1250"), CZECH),
    ("windows-1250 Polish", "Rząd ogłosił nową politykę gospodarczą.".encode("cp1250"), "Rząd ogłosił nową politykę gospodarczą."),
    ("windows-1250 Hungarian", "A különböző űrhajók gyönyörűek.".encode("cp1250"), "A különböző űrhajók gyönyörűek."),
    ("windows-1257 Lithuanian", "Vyriausybė patvirtino naują įstatymą dėl švietimo.".encode("cp1257"), "Vyriausybė patvirtino naują įstatymą dėl švietimo."),
    # Turkish whose letters Icelandic also has (ı ğ ş as ý ð þ): its function words (bu, bir, ve, ile) say Turkish
    ("windows-1254, Icelandic-looking", "Bu yıl bir ağaç ve bir kuş ile geldi.".encode("cp1254"), "Bu yıl bir ağaç ve bir kuş ile geldi."),
    ("windows-1252 Danish", "Søster går før os til København.".encode("cp1252"), "Søster går før os til København."),
    ("windows-1252 Icelandic", "Það er gott að vera á Íslandi, þú veist.".encode("cp1252"), "Það er gott að vera á Íslandi, þú veist."),
    ("windows-1252 English with names", "Søren Kierkegaard liked crème brûlée.".encode("cp1252"), "Søren Kierkegaard liked crème brûlée."),
]


@pytest.mark.parametrize(("label", "data", "expected"), DECODE_CASES, ids=[c[0] for c in DECODE_CASES])
def test_decode_detects_encoding(label: str, data: bytes, expected: str) -> None:
    assert decode(data, "f.txt") == expected


BAD_BYTES = [
    (b"", "f.txt: the file is empty; give a text or HTML file with the document"),
    (b"  \n\n ", "f.txt: the file is empty; give a text or HTML file with the document"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "f.txt: byte 8: a NUL byte; this looks like a binary file, not text"),
    ("Hello there, world.".encode("utf-16-le"), "f.txt: byte 1: a NUL byte every other byte: UTF-16 without a byte order mark; save the file as UTF-8"),
    (bytes(range(0x80, 0x100)) * 3, "f.txt: byte 0: not UTF-8, GB18030, Big5, EUC-KR, Shift_JIS or Windows-1252 text; convert the file to UTF-8"),
]


@pytest.mark.parametrize(("data", "message"), BAD_BYTES)
def test_decode_refuses_bad_bytes(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as err:
        decode(data, "f.txt")
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("lang", "text", "codec"),
    [("tr", TURKISH, "cp1254"), ("cs", CZECH, "cp1250"), ("ru", "Банк объявил новую политику.", "cp1251"),
     ("uk", "Їжак знайшов яблуко.", "cp1251"), ("el", "Η τράπεζα ανακοίνωσε νέα πολιτική.", "cp1253")],
)  # fmt: skip
def test_a_file_of_a_known_language_is_read_in_its_code_page(tmp_path: Path, lang: str, text: str, codec: str) -> None:
    (tmp_path / f"d.{lang}.txt").write_bytes(f"Title\n\n{text}".encode(codec))
    assert " ".join(s.text for s in ingest_file(tmp_path / f"d.{lang}.txt").sentences()) == f"Title {text}"


@pytest.mark.parametrize(
    ("name", "data"),
    [("d.pl.txt", "Rząd ogłosił nową politykę gospodarczą. Wzrosną płace.".encode("iso-8859-2")),  # Latin-2: ą as ± in Windows-1250
     ("d.txt", "Банк объявил новую политику.".encode("cp1251"))],  # Cyrillic of no known language: Greek reads its bytes as well
)  # fmt: skip
def test_single_byte_text_that_reads_as_no_language_is_refused(tmp_path: Path, name: str, data: bytes) -> None:
    (tmp_path / name).write_bytes(data)
    with pytest.raises(InputError) as err:
        ingest_file(tmp_path / name)
    byte = next(i for i, b in enumerate(data) if b > 127)
    assert str(err.value) == f"{tmp_path / name}: byte {byte}: not UTF-8, GB18030, Big5, EUC-KR, Shift_JIS or Windows-1252 text; convert the file to UTF-8"


def test_undecodable_bytes_name_the_file_and_byte() -> None:
    with pytest.raises(InputError, match=r"^f\.txt: byte 3: not UTF-8, GB18030, Big5, EUC-KR, Shift_JIS or Windows-1252 text; convert the file to UTF-8$"):
        decode(b"abc\xff\xff\xff\xff", "f.txt")


def test_seed_chrome_becomes_metadata() -> None:
    doc = ingest_file(SEED)
    assert doc.doc_id == "000_bf7a112df29932bd"
    assert doc.lang == "en"
    assert doc.meta.title == "A Strong Signal of China-US Cooperation on North Korea"
    assert doc.meta.date == "2013-03-12"
    assert doc.meta.author == "Sun Ru"
    assert doc.meta.affiliation == "Research Professor & Deputy Director, CICIR"
    texts = [s.text for s in doc.sentences()]
    assert texts[0] == doc.meta.title
    chrome = ("Language", "English 简体", "You might also like", "Back to Top", "•", "Mar 12")
    assert not any(c in t for t in texts for c in chrome)
    assert texts[-1].startswith("Sun Ru is research professor")
    assert len(doc.paragraphs) == 12  # the heading and 11 paragraphs


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_chinese_seed_versions(lang: str) -> None:
    doc = ingest_file(SEED.with_name(f"000_bf7a112df29932bd.{lang}.txt"))
    assert doc.lang == lang
    assert doc.meta.date == "2013-03-12"
    assert doc.meta.author in {"孙茹", "孫茹"}
    assert len(doc.paragraphs) == 12
    assert not any("返回顶部" in s.text or "回到頂部" in s.text for s in doc.sentences())


def test_ids_are_stable_and_positional() -> None:
    a, b = ingest_file(SEED), ingest_file(SEED)
    assert a == b
    ids = [s.id for s in a.sentences()]
    assert ids[:3] == ["en.head.s1", "en.p1.s1", "en.p1.s2"]
    assert len(set(ids)) == len(ids)


def test_language_detected_from_text_when_the_name_has_no_tag(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("標題\n\n這是繁體中文的句子。我們測試語言偵測。", encoding="utf-8")
    assert ingest_file(path).lang == "zh-Hant"
    assert ingest_text("标题\n\n这是简体中文的句子。", "d", None, "x").lang == "zh-Hans"


NAMES = [
    ("doc.txt", "doc", None),
    ("doc.zh-Hans.txt", "doc", "zh-Hans"),
    ("doc.zh-tw.html", "doc", "zh-Hant"),
    ("000_bf7a112df29932bd.txt", "000_bf7a112df29932bd", None),
    ("report.v2.en.txt", "report.v2", "en"),
    ("doc.zh_TW.txt", "doc", "zh-Hant"),  # an underscore, as locale names write it
    ("doc.eng.txt", "doc", "en"),  # ISO 639-2, written as BCP 47's two letters
    ("notes.chi.txt", "notes", "zh"),
    ("doc.yue.txt", "doc", "yue"),  # Cantonese has no two-letter code
    ("minutes.new.txt", "minutes.new", None),  # three letters that name no language are part of the name
]


@pytest.mark.parametrize(("name", "doc_id", "lang"), NAMES)
def test_source_names(name: str, doc_id: str, lang: str | None) -> None:
    src = source_of(Path(name))
    assert (src.doc_id, src.lang) == (doc_id, lang)


def test_html_page_text_and_chrome(tmp_path: Path) -> None:
    page = tmp_path / "page.en.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>t</title><script>var x = 'Back to Top';</script></head>"
        "<body><nav>Home | About</nav><h1>A Title</h1><p>First sentence here. Second one &amp; more.</p>"
        "<p>Another paragraph.</p><footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    doc = ingest_file(page)
    assert doc.meta.title == "A Title"
    assert [s.text for s in doc.sentences()] == [
        "A Title", "First sentence here.", "Second one & more.", "Another paragraph.",
    ]


def test_normalize_keeps_fullwidth_punctuation_and_composes() -> None:
    assert normalize("Cafe\u0301  au\tlait\r\n“引号”，。") == "Café au lait\n“引号”，。"


def test_nothing_left_after_chrome_is_an_error() -> None:
    with pytest.raises(InputError, match="no text left after removing page chrome"):
        ingest_text("Language : English 简体 繁體\n\nBack to Top", "d", "en", "x.txt")


def test_hard_wrapped_plain_text_keeps_sentences_whole() -> None:
    text = "A Title\n\nThe first sentence is long and\nwraps onto a second line. The second\none wraps too.\n\nA new paragraph."
    doc = ingest_text(text, "d", "en", "x.txt")
    assert [[s.text for s in p.sentences] for p in doc.paragraphs] == [
        ["A Title"],
        ["The first sentence is long and wraps onto a second line.", "The second one wraps too."],
        ["A new paragraph."],
    ]


GUESSES = [
    ("Le chat dort dans la cuisine et il ne veut pas sortir avec les enfants.", "fr"),
    ("Der Hund ist nicht in dem Haus, er ist auf der Straße.", "de"),
    ("The cat is on the table and it sleeps in the kitchen.", "en"),
    ("El perro está en la casa y no quiere salir con los niños.", "es"),
    ("Het is niet mijn fout dat de trein te laat is.", "nl"),
    ("今日は天気がいいですね。漢字も使います。", "ja"),
    ("这是简体中文的句子。", "zh-Hans"),
    ("這是繁體中文的句子。", "zh-Hant"),
    ("Привет, как дела?", "ru"),
    ("Привіт, як справи? Це їжак.", "uk"),
    ("안녕하세요, 반갑습니다", "ko"),
    ("Bonjour.", None),  # one word says nothing sure
    ("Porschestr. 7, D-5090 Leverkusen", None),
]


@pytest.mark.parametrize(("text", "lang"), GUESSES)
def test_the_language_is_guessed_from_script_or_function_words(text: str, lang: str | None) -> None:
    assert guess_language(text) == lang
    assert detect_language(text) == (lang or "en")


def test_a_version_without_a_tag_gets_its_own_language(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Titre\n\nLe chat dort dans la cuisine et il ne veut pas sortir avec les enfants.", encoding="utf-8")
    (tmp_path / "a.en.txt").write_text("Title\n\nThe cat sleeps in the kitchen and does not want to go out with the children.", encoding="utf-8")
    assert ingest_file(tmp_path / "a.txt").lang == "fr"


@pytest.mark.parametrize(("name", "hint"), [("doc.zn.txt", "did you mean zh or zu?"), ("doc.xx.txt", "did you mean xh?")])
def test_a_mistyped_language_in_a_name_is_one_line_with_a_hint(tmp_path: Path, name: str, hint: str) -> None:
    code = name[4:6]
    with pytest.raises(InputError, match=re.escape(f"{name}: '{code}' is not a language tag ('{code}' is no ISO 639-1 code; {hint})")):
        source_of(tmp_path / name)


@pytest.mark.parametrize("option", ["--src-lang", "--tgt-lang"])
def test_align_refuses_a_language_option_that_is_no_tag(tmp_path: Path, option: str) -> None:
    (tmp_path / "a.txt").write_text("One sentence.\n", encoding="utf-8")
    args = {"--src-lang": "en", "--tgt-lang": "de"} | {option: "zn"}
    result = CliRunner().invoke(main, ["align", str(tmp_path / "a.txt"), str(tmp_path / "a.txt"), *[x for kv in args.items() for x in kv]])
    assert result.exit_code == 2  # a misused option
    assert result.output == (
        f"Error: Invalid value for '{option}': 'zn' is not a language tag ('zn' is no ISO 639-1 code; did you mean zh or zu?); "
        "use a BCP 47 tag such as en, zh-Hans, zh-Hant-TW; see `main align --help`\n"
    )


def test_score_warns_when_a_candidate_is_in_another_latin_language() -> None:
    french = ["Le chat dort dans la cuisine et il ne veut pas sortir avec les enfants."]
    assert language_warnings("mt", french, "de") == ["mt: the candidate looks like fr, not de"]
    assert language_warnings("mt", french, "fr") == []
    assert language_warnings("mt", ["Bonjour."], "de") == []  # too short to say


def test_characters_xml_cannot_hold_are_dropped_so_the_version_can_be_stored(tmp_path: Path) -> None:
    from aligner.corpus.tei import document_to_tei

    (tmp_path / "d.en.txt").write_text("Title\n\nThe cat \uffff sat\x01 here. It was \ufffe sunny.\n", encoding="utf-8", errors="surrogatepass")
    doc = ingest_file(tmp_path / "d.en.txt")
    assert [s.text for s in doc.sentences()][1:] == ["The cat sat here.", "It was sunny."]
    assert b"The cat sat here." in document_to_tei(doc)


def test_an_html_page_keeps_every_run_of_text_once() -> None:
    from aligner.ingest.text import html_to_text

    page = (
        "<!DOCTYPE html><html><head><title>T</title></head><body><header><h1>Rising Seas</h1></header><nav>Home | World</nav>"
        "<div>Loose text here.<p>A paragraph.</p></div><blockquote><p>We must act now.</p></blockquote>"
        "<ul><li><p>First point.</p></li><li>Second point.</li></ul><p>One line<br>next line.</p>"
        "<p>科学家们\n很担心。</p><p><ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>を勉強します。</p><footer>(c) 2021</footer></body></html>"
    )
    assert html_to_text(page).split("\n\n") == [
        "Rising Seas", "Loose text here.", "A paragraph.", "We must act now.", "First point.", "Second point.",
        "One line next line.", "科学家们很担心。", "漢字を勉強します。",
    ]


@pytest.mark.parametrize("name", ["page.en.html", "page.en.txt", "page.en.xhtml"])
def test_an_xhtml_page_with_an_xml_declaration_is_read_as_html(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml">'
                    "<body><h1>Title</h1><p>One sentence here. Two here.</p></body></html>\n", encoding="utf-8")
    doc = ingest_file(path)
    assert doc.meta.title == "Title" and [s.text for s in doc.sentences()][1:] == ["One sentence here.", "Two here."]


def test_a_page_named_html_is_read_as_html_however_it_starts(tmp_path: Path) -> None:
    (tmp_path / "p.en.html").write_text('<meta charset="utf-8">\n<h1>Rising Seas</h1><p>Sea levels rose.</p>\n', encoding="utf-8")
    assert [s.text for s in ingest_file(tmp_path / "p.en.html").sentences()] == ["Rising Seas", "Sea levels rose."]


def test_a_line_break_inside_chinese_text_is_no_space() -> None:
    from aligner.ingest.langs import squeeze

    assert squeeze("早上港口\n很安静。 Hello\n world  again") == "早上港口很安静。 Hello world again"
    assert squeeze("北京 上海") == "北京 上海"  # a space the writer put there stays


CHROME_KEEPS = [
    ("Shopping Guide\n\nBefore you go, check the list below.\n\n• Apples\n• Pears\n\nBuy them fresh.",
     ["Before you go, check the list below.", "• Apples", "• Pears", "Buy them fresh."], ""),
    ("Minutes\n\nThe board met and all were present.\n\n12 March 2024\n\nThe accounts were approved.",
     ["The board met and all were present.", "12 March 2024", "The accounts were approved."], ""),
    ("Languages\n\nLanguage: Python\n\nIt is fine.", ["Language: Python", "It is fine."], ""),
    ("A Title\n\nMar 12 , 2013\n  • Sun Ru\n\n    Research Professor\n\nThe body.", ["The body."], "Sun Ru"),
]


@pytest.mark.parametrize(("text", "body", "author"), CHROME_KEEPS)
def test_only_the_byline_after_the_title_leaves_the_body(text: str, body: list[str], author: str) -> None:
    from aligner.ingest.text import strip_chrome

    got, meta = strip_chrome(normalize(text))
    assert (got, meta.author) == (body, author)


def test_chinese_with_english_product_names_is_chinese() -> None:
    assert guess_language("我们使用Kubernetes、Docker和PostgreSQL搭建了一个新的平台，效果很好。") == "zh-Hans"
    assert guess_language("The city of 北京 is large and busy today.") == "en"


def test_a_file_of_only_page_chrome_is_named_by_its_path(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "d.en.txt").write_text("Language : English 简体 繁體\n\nBack to Top\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(f"{tmp_path / 's' / 'd.en.txt'}: no text left after removing page chrome")):
        ingest_file(tmp_path / "s" / "d.en.txt")


def test_a_sidecar_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    from aligner.build import read_sidecar

    (tmp_path / "d.zh-Hant.txt").write_text("標題\n\n內容。", encoding="utf-8")
    (tmp_path / "d.zh-Hant.meta.json").write_text('{"translator": "王"}', encoding="utf-8-sig")
    assert read_sidecar(tmp_path / "d.zh-Hant.txt") == {"translator": "王"}


def test_a_news_page_gives_its_title_byline_and_date_and_drops_the_site_around_them() -> None:
    page = ("<!DOCTYPE html><html><body><div id=menu>Home | World</div><h1>Rising Seas</h1><p>By Jane Doe</p>"
            "<p>4 March 2021</p><p>Share this article</p><p>Sea levels rose again. Scientists are worried.</p></body></html>")
    doc = ingest_text(page, "d", "en", "x.html")
    assert (doc.meta.title, doc.meta.author, doc.meta.date) == ("Rising Seas", "Jane Doe", "2021-03-04")
    assert [s.text for s in doc.sentences()] == ["Rising Seas", "Sea levels rose again.", "Scientists are worried."]


@pytest.mark.parametrize(
    ("text", "has"),
    [("V", False), (".-^ !", False), ("» .", False), ("r \\", False), ("— …", False), ("", False),
     ("Ja", True), ("141", True), ("是", True), ("ね", True), ("한", True), ("Vv", True), ("ที่นี่", True)],
)  # fmt: skip
def test_a_line_has_words_with_two_letters_a_digit_or_a_cjk_character(text: str, has: bool) -> None:
    from aligner.ingest.langs import worded

    assert worded(text) is has


@pytest.mark.parametrize(
    ("asked", "tag", "within"),
    [("zh", "zh-Hant-HK", True), ("zh", "zh-Hans", True), ("zh-Hant", "zh-Hant-TW", True),
     ("zh-Hant", "zh-Hans", False), ("zh-Hant-HK", "zh-Hant-TW", False), ("zh-HK", "zh-Hant-HK", True),
     ("zh-Hant-HK", "zh-Hant", False), ("en", "en-GB", True), ("en-US", "en-GB", False), ("sr-RS", "sr-Latn-RS", True)],
)  # fmt: skip
def test_a_tag_takes_the_versions_within_its_language_script_and_region(asked: str, tag: str, within: bool) -> None:
    from aligner.ingest.langs import tag_within

    assert tag_within(asked, tag) is within


def test_a_webforms_page_keeps_the_form_that_holds_the_article_and_drops_a_search_form() -> None:
    page = ('<!DOCTYPE html><html><body><form method="post" id="form1"><input type="hidden" name="__VIEWSTATE" value="abc">'
            '<form role="search"><input name="q"><button>Search the site</button></form>'
            "<h1>Ministry announces new policy</h1><p>The ministry announced a new policy today. It takes effect in May.</p>"
            '<p>Officials said the policy would help exporters.</p></form><div class="copyright">Copyright 2020 Ministry</div></body></html>')
    assert [s.text for s in ingest_text(page, "d", "en", "x.html").sentences()] == [
        "Ministry announces new policy", "The ministry announced a new policy today.", "It takes effect in May.",
        "Officials said the policy would help exporters.",
    ]


ARTICLE = "<h2>Market update</h2><p>Stocks rose sharply on Monday. Bonds fell.</p><p>Analysts expect more gains this week.</p>"


@pytest.mark.parametrize(
    ("page", "blocks"),
    [(f'<div id="main">{ARTICLE}</div><div class="widget"><h1>Subscribe</h1><p>Get our newsletter.</p></div>',
      ["Market update", "Stocks rose sharply on Monday. Bonds fell.", "Analysts expect more gains this week.", "Subscribe", "Get our newsletter."]),
     (f'<div id="main">{ARTICLE}</div><div id="sidebar"><h1>Subscribe</h1><p>Get our newsletter.</p></div>',
      ["Market update", "Stocks rose sharply on Monday. Bonds fell.", "Analysts expect more gains this week."])],
)  # fmt: skip
def test_an_h1_after_the_article_does_not_cut_the_article_away(page: str, blocks: list[str], caplog: pytest.LogCaptureFixture) -> None:
    from aligner.ingest.text import html_to_text

    assert html_to_text(f"<html><body>{page}</body></html>", "x.html").split("\n\n") == blocks
    assert not caplog.records


@pytest.mark.parametrize(
    "page",
    ["<div><h1>Daily Post</h1><p>Home World Sport</p></div><h1>Rising Seas</h1><p>Sea levels rose again. Scientists are worried.</p>",
     "<div><h1>Daily Post</h1><p>Home World Sport</p></div><article><h1>Rising Seas</h1><p>Sea levels rose.</p></article>"],
)
def test_the_title_is_the_h1_that_starts_the_main_text_and_what_goes_before_it_is_a_warning(page: str, caplog: pytest.LogCaptureFixture) -> None:
    from aligner.ingest.text import html_to_text

    assert html_to_text(f"<html><body>{page}</body></html>", "x.html").split("\n\n")[0] == "Rising Seas"
    assert [r.getMessage() for r in caplog.records] == ["x.html: 23 characters before the title 'Rising Seas' left out as the site's menus"]


CHROME = ['<div class="footer">Chrome.</div>', '<div class="copyright">Chrome.</div>', '<p id="footer">Chrome.</p>',
          '<ul class="nav"><li>Chrome.</li></ul>', '<div role="navigation">Chrome.</div>', '<span aria-hidden="true">Chrome.</span>',
          '<div class="site-footer links">Chrome.</div>', '<div class="mainNav">Chrome.</div>', '<div class="share_buttons">Chrome.</div>',
          '<ol class="breadcrumbs">Chrome.</ol>', '<div id="cookie-banner">Chrome.</div>', '<div class="ad-slot">Chrome.</div>',
          '<div hidden>Chrome.</div>', '<section class="related-stories">Chrome.</section>']  # fmt: skip
NOT_CHROME = ['<div class="navigate-article-body">Kept.</div>', '<p class="shareholder-letter">Kept.</p>',
              '<div class="advantage">Kept.</div>', '<p class="footnote">Kept.</p>', '<p aria-hidden="false">Kept.</p>']  # fmt: skip


@pytest.mark.parametrize("markup", CHROME + NOT_CHROME)
def test_elements_whose_class_id_or_role_names_chrome_are_dropped(markup: str) -> None:
    from aligner.ingest.text import html_to_text

    text = "<p>The harbour opened in spring. Ships came from far away to trade there.</p>"
    got = html_to_text(f"<html><body>{text}{markup}</body></html>").split("\n\n")
    assert got == ["The harbour opened in spring. Ships came from far away to trade there.", *(["Kept."] if "Kept" in markup else [])]


def test_a_page_whose_body_is_marked_with_a_chrome_word_keeps_its_text() -> None:
    from aligner.ingest.text import html_to_text

    page = '<html><body><div class="page has-sidebar"><h1>Title</h1><p>All of the text.</p><div class="sidebar">Links</div></div></body></html>'
    assert html_to_text(page).split("\n\n") == ["Title", "All of the text."]


def draw_pdf(path: Path, pages: list[list[tuple[int, int, str]]]) -> Path:
    """An A4 PDF of pages of (points from the top, font size, text) lines; a page of none is a scanned picture."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        if not lines:
            pdf.drawImage(ImageReader(Image.new("RGB", (60, 80), "white")), 0, 0, *A4)
        for down, size, line in lines:
            pdf.setFont("Helvetica", size)
            pdf.drawString(72, A4[1] - down, line)
        pdf.showPage()
    pdf.save()
    return path


def test_a_pdf_page_with_no_text_is_named_in_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    page = [(150, 11, "A page with a text layer.")]
    path = draw_pdf(tmp_path / "m.en.pdf", [page, [], page, [], [], page])
    assert len(ingest_file(path).paragraphs) == 3
    assert [r.getMessage() for r in caplog.records] == [f"{path}: pages 2, 4-5: no text (scanned?); OCR them to include them"]


def test_a_chapter_running_header_on_fewer_than_half_the_pages_is_dropped_and_its_title_kept(tmp_path: Path) -> None:
    book = "The Long Book"  # on the left-hand pages; the chapter on the right-hand ones, its title on its first page
    path = draw_pdf(tmp_path / "b.en.pdf", [
        page
        for title in ("Beginnings", "Endings")
        for page in (
            [(60, 18, title), (150, 11, "The story starts here and it is not finished and")],
            [(40, 9, book), (150, 11, "continued text ends the sentence here.")],
            [(40, 9, title), (150, 11, "The chapter goes on and")],
            [(40, 9, book), (150, 11, "ends here.")],
        )
    ])
    chapter = [("p", "The story starts here and it is not finished and continued text ends the sentence here."),
               ("p", "The chapter goes on and ends here.")]  # fmt: skip
    assert [(p.kind, " ".join(s.text for s in p.sentences)) for p in ingest_file(path).paragraphs] == [
        ("head", "Beginnings"), *chapter, ("head", "Endings"), *chapter,
    ]


def test_a_page_of_equal_sections_starts_at_its_first_heading_and_nothing_is_cut(caplog: pytest.LogCaptureFixture) -> None:
    """The longest section won, so 'Heading 100' (one digit more) was the title and 99 sections were cut as menus; each
    <h1> also counted all the text before it (2,000 sections took 21 s)."""
    from aligner.ingest.text import html_to_text

    page = "".join(f"<section><h1>Heading {n}</h1><p>The text of section {n} is here.</p></section>" for n in range(1, 301))
    blocks = html_to_text(f"<html><body>{page}</body></html>", "x.html").split("\n\n")
    assert blocks[:2] == ["Heading 1", "The text of section 1 is here."] and len(blocks) == 600
    assert not caplog.records


def test_letters_before_each_heading_are_those_of_its_preceding_text_nodes() -> None:
    from lxml import html

    from aligner.ingest.text import _letters, _letters_before

    root = html.fromstring("<html><body>lead<div>a b<!-- not text -->tail of a comment<h1>One</h1>after"
                           "<p><b>bold</b> tail</p><h1>Two <i>x</i></h1>end</div>last<h1>Three</h1></body></html>")
    heads = root.xpath("//h1")
    before, total = _letters_before(root, heads)
    assert [before[h] for h in heads] == [_letters(h.xpath("preceding::text()")) for h in heads] and total == _letters(root.xpath("//text()"))


def test_footnote_reference_marks_on_a_web_page_are_dropped_as_in_a_book() -> None:
    from aligner.ingest.text import html_to_text

    page = ('<html><body><h1>Rising Seas</h1><p>Sea levels rose.<sup><a href="#n1" role="doc-noteref">1</a></sup> Scientists are worried.</p>'
            '<p id="n1">1. See the report.</p></body></html>')
    assert html_to_text(page).split("\n\n") == ["Rising Seas", "Sea levels rose. Scientists are worried.", "1. See the report."]


def test_a_file_whose_name_gives_another_language_than_its_text_is_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Japanese or Traditional Chinese in a file named zh-Hans was stored as zh-Hans (and exported
    as zh-CN) without a word; the name's language is kept, but the mismatch is said with the fix."""
    import logging

    files = {
        "jp.zh-Hans.txt": "月曜日、豪雨が中国南部を襲った。多くの住民が避難した。",
        "tw.zh-Hans.txt": "政府今日宣佈，新的軟體規例已經生效。廣州機場超過三百個航班取消。",
        "ok.zh-Hans.txt": "政府今天宣布，新的软件规例已经生效。广州机场超过三百个航班取消。",
        "ok.zh-Hant.txt": "政府今日宣佈，新的軟體規例已經生效。廣州機場超過三百個航班取消。",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="aligner.ingest.text"):
        langs = {name: ingest_file(tmp_path / name).lang for name in files}
    assert langs == {"jp.zh-Hans.txt": "zh-Hans", "tw.zh-Hans.txt": "zh-Hans", "ok.zh-Hans.txt": "zh-Hans", "ok.zh-Hant.txt": "zh-Hant"}
    assert caplog.messages == [
        f"{tmp_path / 'jp.zh-Hans.txt'}: looks written in ja, not in zh-Hans as its name says; if that is its language, rename it jp.ja.txt",
        f"{tmp_path / 'tw.zh-Hans.txt'}: looks written in zh-Hant, not in zh-Hans as its name says; if that is its language, rename it tw.zh-Hant.txt",
    ]


@pytest.mark.parametrize(("name", "data"), [
    ("law.zh-Hans.txt", "总则\n\n第一条　为了规范管理，制定本办法。\n\n第二条　本办法自公布之日起施行。\n"),
    ("law.zh-Hans.html", "<meta charset='utf-8'><h1>总则</h1><p>第一条　为了规范管理，制定本办法。</p>"
                         "<p>第二条　本办法自公布之日起施行。</p>"),
])
def test_an_ideographic_space_a_chinese_file_holds_is_stored_as_written(tmp_path: Path, name: str, data: str) -> None:
    (tmp_path / name).write_text(data, encoding="utf-8")
    texts = [s.text for s in ingest_file(tmp_path / name).sentences()]
    assert texts == ["总则", "第一条　为了规范管理，制定本办法。", "第二条　本办法自公布之日起施行。"]
    assert normalize("Hello\u3000world\t again") == "Hello world again"  # between Latin words it is any space
