"""Search: FTS5 and substring queries, Simplified/Traditional, KWIC, --lang and regional versions, refresh, and query errors."""

from __future__ import annotations

import errno
import json
import logging
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
import regex
from click.testing import CliRunner

from aligner.cli import main
from aligner.corpus.model import (
    Alignment,
    Document,
    Link,
    Metadata,
    Paragraph,
    ParallelText,
    Sentence,
)
from aligner.corpus.store import load_all, save
from aligner.errors import AlignerError, SearchError
from aligner.ingest.langs import split_tag
from aligner.search.index import INDEX_FILE, fts_query, normalize, search, terms
from aligner.search.regex_size import MAX_SIZE, size

DATA = Path(__file__).parent / "data" / "formats" / "corpus"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "c")
    return tmp_path / "c"


CASES = [
    # query, lang, regex, expected (lang, id) of hits
    ("water", None, False, [("en", "en.p2.s1")]),
    ('"rice & tea"', None, False, [("en", "en.p1.s3")]),
    ("yang*", None, False, [("en", "en.p1.s1")]),
    ("river* OR dams", None, False, [("en", "en.head.s1"), ("en", "en.p2.s1")]),
    ("长江", None, False, [("zh-Hans", "zh-Hans.p1.s1"), ("zh-Hant", "zh-Hant.p1.s1")]),
    ("長江很長", None, False, [("zh-Hans", "zh-Hans.p1.s1"), ("zh-Hant", "zh-Hant.p1.s1")]),
    ("茶", "zh-Hant", False, [("zh-Hant", "zh-Hant.p1.s2")]),
    ("中国 河流", "zh-Hans", False, [("zh-Hans", "zh-Hans.head.s1")]),
    (r"\bflows?\b", None, True, [("en", "en.p1.s2")]),
    ("genesis", None, False, []),
]


@pytest.mark.parametrize(("query", "lang", "use_regex", "expected"), CASES)
def test_search_finds(corpus: Path, query: str, lang: str | None, use_regex: bool, expected: list[tuple[str, str]]) -> None:
    hits = [h for h in search(corpus, query, lang, use_regex) if h.doc_id == "d1"]
    assert [(h.lang, h.sid) for h in hits] == expected


def test_hit_has_keyword_in_context_and_aligned_sentences(corpus: Path) -> None:
    (hit,) = search(corpus, "向東", "zh-Hant")
    assert hit.kwic() == ("長江很長，", "向東", "流。")
    assert hit.aligned == {"en": ["The Yangtze is long.", "It flows east."], "zh-Hans": ["长江很长，向东流。"]}


@pytest.mark.parametrize(
    "pattern",
    [r"\bflows?\b", "(?i)the YANGTZE", "水坝蓄", "長江很長", r"long\.", "rice & tea", r"\p{Han}{3}", r"\bxyz\w+", "(?i)dams? hold",
     r"(?:Dams|rice) \w+", "(长江很|水坝蓄)", r"(?i)(YANGTZE|tea)\b", "(?:flows|xyz|genesis)"],
)
def test_regex_through_the_index_finds_what_a_scan_finds(corpus: Path, pattern: str) -> None:
    assert sorted((h.doc_id, h.lang, h.sid) for h in search(corpus, pattern, use_regex=True, limit=1000)) == _scanned(corpus, pattern)


def _scanned(corpus: Path, pattern: str) -> list[tuple[str, str, str]]:
    """(document, version, sentence id) of each sentence in which `pattern` finds a match, read one by one."""
    return sorted(
        (t.doc_id, lang, s.id) for t in load_all(corpus) for lang, doc in t.versions.items()
        for s in doc.sentences() if regex.search(pattern, s.text)
    )


JOINED = [
    # a --regex without a required literal (joined scan), and what the per-sentence reference must hold
    (r"^R[a-z]+s\b", ["en.head.s1"]),  # the very first sentence of the corpus
    (r"了光。$", ["zh-Hans.p1.s3"]),  # the very last
    (r"^\p{Lu}\w+ \w+ \w+$", ["en.head.s1"]),
    (r"(?i)^t\w+", ["en.p1.s1", "en.p2.s2"]),
    (r"\.\s+\p{Lu}", []),  # "long." then "It" in the next sentence: no sentence holds both
    (r"(?s)long.*flows", []),
    (r"[長长]江", ["zh-Hans.p1.s1", "zh-Hant.p1.s1"]),
    (r"\p{Han}{2}。$", ["zh-Hans.p1.s1", "zh-Hant.p1.s1", "zh-Hans.p1.s2", "zh-Hant.p1.s2", "zh-Hans.p2.s1",
                        "zh-Hant.p2.s1", "zh-Hans.p1.s1", "zh-Hans.p1.s2", "zh-Hans.p1.s3"]),
    (r"(?<=\p{Han})，", ["zh-Hans.p1.s1", "zh-Hant.p1.s1", "zh-Hans.p1.s1", "zh-Hans.p1.s3"]),  # sentence by sentence
    (r"\w$", ["en.head.s1", "zh-Hans.head.s1", "zh-Hant.head.s1"]),
    (r"\p{Lu}{2}", []),  # property escapes: ranges exact on each language's characters (aligner.search.regex_classes)
    (r"[\p{Lu}\d]\p{Ll}{5}\b", ["en.head.s1"]),
    (r"\P{L}{2}", ["en.p1.s3", "en.p1.s2", "en.p1.s3"]),
    (r"\p{Han}{4}，", ["zh-Hans.p1.s1", "zh-Hant.p1.s1"]),
    # lookarounds, \A and \Z, atomic groups: a wider pattern scanned, each candidate searched alone
    (r"(?<!\w)\p{Lu}\w+$", ["en.head.s1"]),
    (r"\A\p{Lu}\w+ \p{Ll}", ["en.head.s1", "en.p1.s2", "en.p1.s3", "en.p2.s1", "en.p2.s2", "en.p1.s1", "en.p1.s2"]),
    (r"\w+(?=\.\Z)", ["en.p1.s1", "en.p1.s2", "en.p1.s3", "en.p2.s1", "en.p2.s2", "en.p1.s1", "en.p1.s2", "en.p1.s3"]),
    (r"(?<=，)\p{Han}{2}(?!。)", ["zh-Hans.p1.s1", "zh-Hant.p1.s1", "zh-Hans.p1.s1", "zh-Hans.p1.s3"]),
    (r"(?i)\Ai\w*\s", ["en.p1.s2", "en.p1.s1"]),
    # a rare required character: only the sentences holding it; none: the language is skipped
    (r"\s&\s\w", ["en.p1.s3"]),
    (r"(?>\w+)\s+&", ["en.p1.s3"]),
    (r"\pL\d", []),
    (r"(?i)Y\w*", ["en.p1.s1", "en.p1.s3"]),  # "Yangtze", "carry"
]


def _reference(corpus: Path, pattern: str, lang: str | None) -> list[tuple[str, str, str]]:
    """Every indexed sentence in corpus order, searched alone."""
    with closing(sqlite3.connect(corpus / INDEX_FILE)) as conn:
        rows = conn.execute("SELECT doc_id, lang, sid, text FROM sents ORDER BY id").fetchall()
    return [(doc, hit_lang, sid) for doc, hit_lang, sid, text in rows
            if regex.search(pattern, text) and lang in (None, hit_lang)]


@pytest.mark.parametrize("chunk", [1 << 18, 20])
@pytest.mark.parametrize(("pattern", "expected"), JOINED)
def test_regex_without_literals_finds_what_searching_each_sentence_finds(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, pattern: str, expected: list[str]
) -> None:
    monkeypatch.setattr("aligner.search.index.CHUNK", chunk)  # 20 characters: a joined text of one or two sentences
    assert search(corpus, "dams")
    reference = _reference(corpus, pattern, None)
    assert [sid for _, _, sid in reference] == expected
    for lang in (None, "en", "zh-Hans"):
        reference = _reference(corpus, pattern, lang)
        for limit in (1, 2, 100):
            hits = search(corpus, pattern, lang, use_regex=True, limit=limit)
            assert [(h.doc_id, h.lang, h.sid) for h in hits] == reference[:limit]


SHORT_HAN = [
    # Chinese words, one of them of one or two Han characters (joined scan of the Simplified form), and the hits
    ("长江", ["zh-Hans.p1.s1", "zh-Hant.p1.s1"]),
    ("長", ["zh-Hans.p1.s1", "zh-Hant.p1.s1"]),
    ("光*", ["zh-Hans.p1.s3"]),
    ('"河流"', ["zh-Hans.head.s1", "zh-Hant.head.s1"]),
    ("的", ["zh-Hans.head.s1", "zh-Hant.head.s1"]),
    ("电脑", []),
    ("中国 河流", ["zh-Hans.head.s1", "zh-Hant.head.s1"]),  # several words: candidates, then the substring scan
    ("東 長江很長", ["zh-Hans.p1.s1", "zh-Hant.p1.s1"]),
    ("光 神", ["zh-Hans.p1.s3"]),
    ("长江 电脑", []),
]


@pytest.mark.parametrize(("chunk", "candidates"), [(1 << 18, 200), (10, 200), (1 << 18, 1)])
@pytest.mark.parametrize(("query", "expected"), SHORT_HAN)
def test_short_chinese_words_find_what_a_substring_scan_finds(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, candidates: int, query: str, expected: list[str]
) -> None:
    monkeypatch.setattr("aligner.search.index.CHUNK", chunk)
    monkeypatch.setattr("aligner.search.index.CANDIDATES", candidates)  # 1: more candidates than that, the plain scan
    assert search(corpus, "dams")
    with closing(sqlite3.connect(corpus / INDEX_FILE)) as conn:
        rows = conn.execute("SELECT doc_id, lang, sid, norm FROM sents ORDER BY id").fetchall()
    words = [normalize(t) for t in terms(query)]
    holding = [(doc, hit_lang, sid) for doc, hit_lang, sid, norm in rows if all(w in norm for w in words)]
    assert [sid for *_, sid in holding] == expected
    for lang in (None, "zh-Hans", "zh-Hant"):
        reference = [(doc, hit_lang, sid) for doc, hit_lang, sid in holding if lang in (None, hit_lang)]
        for limit in (1, 100):
            hits = search(corpus, query, lang, limit=limit)
            assert [(h.doc_id, h.lang, h.sid) for h in hits] == reference[:limit]


@pytest.mark.parametrize(("query", "use_regex"), [("dams", False), (r"\p{Lu}", True), ("长江", False), (r"\bflows?\b", True)])
def test_a_limit_of_zero_finds_nothing_and_a_negative_one_everything(corpus: Path, query: str, use_regex: bool) -> None:
    assert search(corpus, query, use_regex=use_regex, limit=0) == []
    assert search(corpus, query, use_regex=use_regex, limit=-1) == search(corpus, query, use_regex=use_regex, limit=1000)
    assert search(corpus, query, use_regex=use_regex, limit=-1)


def test_regex_finds_sentences_holding_a_line_break(tmp_path: Path) -> None:
    sents = ("Line one\nline two", "Only one line.", "Two\nlines")
    doc = Document("d", "en", (Paragraph("en.p1", tuple(Sentence(f"en.p1.s{i}", t) for i, t in enumerate(sents, 1))),), Metadata())
    save(tmp_path, ParallelText("d", {"en": doc}, ()))
    cases = [(r"^l", []), (r"(?m)^l", ["en.p1.s1", "en.p1.s3"]), (r"o$", ["en.p1.s1"]), (r"e$", []), (r"\p{Ll}\.$", ["en.p1.s2"]),
             (r"^\w+\n", ["en.p1.s3"])]
    for pattern, expected in cases:
        assert [h.sid for h in search(tmp_path, pattern, use_regex=True)] == expected


def test_class_escapes_and_atoms_follow_the_characters_of_the_tei_files(tmp_path: Path) -> None:
    def save_en(*sents: str) -> None:
        sentences = tuple(Sentence(f"en.p1.s{i}", t) for i, t in enumerate(sents, 1))
        save(tmp_path, ParallelText("d", {"en": Document("d", "en", (Paragraph("en.p1", sentences),), Metadata())}, ()))

    save_en("ABC def", "Ghi")
    assert [h.sid for h in search(tmp_path, r"\p{Lu}{3}", use_regex=True)] == ["en.p1.s1"]
    save_en("ABC def", "ÉÀÈ ÿ")  # uppercase letters the first alphabet lacked
    assert [h.sid for h in search(tmp_path, r"\p{Lu}{3}", use_regex=True)] == ["en.p1.s1", "en.p1.s2"]
    assert [h.sid for h in search(tmp_path, r"\s\p{Ll}$", use_regex=True)] == ["en.p1.s2"]
    assert search(tmp_path, r"\w\s\d", use_regex=True) == []  # no digit: English is not searched
    save_en("ABC def", "Ghi 7")  # and now the alphabet's counts hold one
    assert [h.sid for h in search(tmp_path, r"\w\s\d", use_regex=True)] == ["en.p1.s2"]


def test_an_index_of_another_version_is_rebuilt(corpus: Path) -> None:
    assert search(corpus, "dams")
    with closing(sqlite3.connect(corpus / INDEX_FILE)) as conn:
        conn.execute("DROP TABLE raw")
        conn.execute("PRAGMA user_version = 1")
    assert [h.sid for h in search(corpus, r"Dams\b", use_regex=True)] == ["en.p2.s1"]


def test_index_follows_the_tei_files(corpus: Path) -> None:
    assert search(corpus, "Yangtze")
    path = corpus / "d1" / "en.xml"
    path.write_text(path.read_text(encoding="utf-8").replace("Yangtze", "Changjiang"), encoding="utf-8")
    assert not search(corpus, "Yangtze")
    assert search(corpus, "Changjiang")[0].sid == "en.p1.s1"
    assert [h.sid for h in search(corpus, r"C.a.g.i.ng", use_regex=True)] == ["en.p1.s1"]  # the joined texts follow
    (corpus / INDEX_FILE).unlink()
    assert search(corpus, "Changjiang")[0].sid == "en.p1.s1"
    shutil.rmtree(corpus / "d1")
    assert not search(corpus, "Changjiang")
    assert not search(corpus, r"C.a.g.i.ng", use_regex=True)


@pytest.mark.parametrize(
    ("query", "use_regex", "message"),
    [
        ('"the river', False, "query '\"the river': unbalanced double quote; close the phrase with \""),
        ("river AND", False, "query 'river AND': fts5: syntax error near \"\"; see FTS5 syntax: words, \"a phrase\", AND, OR, NOT, prefix*"),
        ("(", True, "--regex '(': missing ) at position 1; fix the regular expression"),
        ("[a-", True, "--regex '[a-': unterminated character set at position 3; fix the regular expression"),
        (r"\p{Foo}+", True, "--regex '\\p{Foo}+': unknown property at position 7; fix the regular expression"),
    ],
)
def test_bad_queries_are_one_line(corpus: Path, query: str, use_regex: bool, message: str) -> None:
    with pytest.raises(AlignerError) as err:
        search(corpus, query, use_regex=use_regex)
    assert str(err.value) == message


def test_cli_search_prints_matches_and_errors(corpus: Path) -> None:
    result = CliRunner().invoke(main, ["search", "dams", "--corpus", str(corpus)])
    assert result.output == (
        "d1 en.p2.s1: Dams hold water.\n    zh-Hans: 水坝蓄水。\n    zh-Hant: 水壩蓄水。\n"
    )
    result = CliRunner().invoke(main, ["search", '"dams', "--corpus", str(corpus)])
    assert (result.exit_code, result.output) == (1, "Error: query '\"dams': unbalanced double quote; close the phrase with \"\n")


@pytest.mark.parametrize("query", ["six-party", "China's", "U.S.", "(dams OR six-party)", "six-part*"])
def test_a_word_with_a_hyphen_apostrophe_or_stops_is_searched_as_written(corpus: Path, query: str) -> None:
    changed = CliRunner().invoke(main, ["edit", "d1", "--corpus", str(corpus), "--who", "t", "correct", "en.p2.s2",
                                        "The six-party talks and China's view of the U.S. matter."])  # fmt: skip
    assert changed.exit_code == 0, changed.output
    assert "en.p2.s2" in [hit.sid for hit in search(corpus, query)]


@pytest.mark.parametrize("query", ["长江 OR 黄河", "长江 NOT 很长"])
def test_a_chinese_query_with_or_or_not_is_refused_not_answered_as_and(corpus: Path, query: str) -> None:
    with pytest.raises(AlignerError, match="OR, NOT and NEAR work on words in Latin script"):
        search(corpus, query)


def test_searches_started_at_once_on_a_new_index_all_answer(corpus: Path) -> None:
    import subprocess
    import sys

    code = f"from pathlib import Path; from aligner.search.index import search; print(len(search(Path({str(corpus)!r}), 'water')))"
    runs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(5)]
    outs = [run.communicate(timeout=120) for run in runs]
    assert [(run.returncode, out.strip()) for run, (out, _) in zip(runs, outs, strict=True)] == [(0, "1")] * 5, [err for _, err in outs]


def test_an_emoji_is_found_and_a_language_without_its_script_takes_both_scripts(corpus: Path) -> None:
    changed = CliRunner().invoke(main, ["edit", "d1", "--corpus", str(corpus), "--who", "t", "correct", "en.p2.s2", "The 🚀 launch was late."])
    assert changed.exit_code == 0, changed.output
    assert [hit.sid for hit in search(corpus, "🚀")] == ["en.p2.s2"]
    assert [hit.sid for hit in search(corpus, '"🚀 launch"')] == ["en.p2.s2"]
    assert {hit.lang for hit in search(corpus, "长江", lang="zh")} == {"zh-Hans", "zh-Hant"}
    assert {hit.lang for hit in search(corpus, "长江", lang="zh-Hant")} == {"zh-Hant"}


def test_the_keyword_shown_is_the_word_found_not_letters_inside_another(corpus: Path) -> None:
    changed = CliRunner().invoke(main, ["edit", "d1", "--corpus", str(corpus), "--who", "t", "correct", "en.p2.s2", "A strong wind blew on the river."])
    assert changed.exit_code == 0, changed.output
    (hit,) = [h for h in search(corpus, "on") if h.sid == "en.p2.s2"]
    assert hit.kwic()[1] == "on" and hit.kwic()[0].endswith("blew ")


def test_compatibility_forms_are_found_by_their_plain_letters(corpus: Path) -> None:
    changed = CliRunner().invoke(main, ["edit", "d1", "--corpus", str(corpus), "--who", "t", "correct", "en.p2.s2", "The ﬁnance report was Ｆｕｌｌ."])
    assert changed.exit_code == 0, changed.output
    assert [h.sid for h in search(corpus, "finance")] == ["en.p2.s2"] and [h.sid for h in search(corpus, "full")] == ["en.p2.s2"]
    assert [h.sid for h in search(corpus, "Ｆｕｌｌ")] == ["en.p2.s2"]


# --- Latin words and numbers inside Chinese; punctuation that scripts write differently ----------

MIXED = {  # d1's sentences rewritten: (version, sentence as the fixture has it, as rewritten)
    "en": [("The Yangtze is long.", "The Yangtze is 6300 km long, says the CWRC.")],
    "zh-Hans": [("长江很长，向东流。", "据CWRC报告，长江长６３００公里，向东流。"),  # full-width digits
                ("船运大米和茶叶。", "船运大米和茶叶……用AI和5G调度。"),  # NFKC makes … three characters
                ("水坝蓄水。", "他说了两次‘不’：水坝蓄水。")],
    "zh-Hant": [("長江很長，向東流。", "據CWRC報告，長江長6300公里，向東流。"),
                ("船運大米和茶葉。", "船運大米和茶葉⋯⋯用AI和5G調度。"),
                ("水壩蓄水。", "他說了兩次『不』：水壩蓄水。")],
}


@pytest.fixture()
def mixed(corpus: Path) -> Path:
    """The corpus with Latin words and numbers written inside d1's Chinese sentences, and quote marks."""
    for version, changes in MIXED.items():
        path = corpus / "d1" / f"{version}.xml"
        text = path.read_text(encoding="utf-8")
        for old, new in changes:
            assert old in text
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return corpus


MIXED_CASES = [
    # query, --lang, expected (lang, id) of hits: a word, a number, a full-width number, a short token
    # inside Chinese are words of their own (not only in the English); quote marks of either script
    ("CWRC", None, [("en", "en.p1.s1"), ("zh-Hans", "zh-Hans.p1.s1"), ("zh-Hant", "zh-Hant.p1.s1")]),
    ("cwrc", "zh-Hant", [("zh-Hant", "zh-Hant.p1.s1")]),
    ("6300", "zh", [("zh-Hans", "zh-Hans.p1.s1"), ("zh-Hant", "zh-Hant.p1.s1")]),
    ("６３００", None, [("en", "en.p1.s1"), ("zh-Hans", "zh-Hans.p1.s1"), ("zh-Hant", "zh-Hant.p1.s1")]),
    ("AI", "zh-Hant", [("zh-Hant", "zh-Hant.p1.s2")]),
    ("5G", None, [("zh-Hans", "zh-Hans.p1.s2"), ("zh-Hant", "zh-Hant.p1.s2")]),
    ("ＡＩ AND 5g", "zh-Hans", [("zh-Hans", "zh-Hans.p1.s2")]),
    ("630", None, []),  # a word, not letters inside one
    ("说了两次‘不’", None, [("zh-Hans", "zh-Hans.p2.s1"), ("zh-Hant", "zh-Hant.p2.s1")]),
    ("說了兩次「不」", "zh-Hans", [("zh-Hans", "zh-Hans.p2.s1")]),
    ('说了两次"不"', "zh-Hant", [("zh-Hant", "zh-Hant.p2.s1")]),
    ("“不”", None, [("zh-Hans", "zh-Hans.p2.s1"), ("zh-Hant", "zh-Hant.p2.s1")]),
    ("「不", None, [("zh-Hans", "zh-Hans.p2.s1"), ("zh-Hant", "zh-Hant.p2.s1")]),  # two characters: the joined texts
    ("茶叶⋯⋯用", None, [("zh-Hans", "zh-Hans.p1.s2"), ("zh-Hant", "zh-Hant.p1.s2")]),
]


@pytest.mark.parametrize(("query", "lang", "expected"), MIXED_CASES)
def test_latin_words_and_numbers_inside_chinese_and_any_quote_marks_are_found(
    mixed: Path, query: str, lang: str | None, expected: list[tuple[str, str]]
) -> None:
    """A word or number written inside a Chinese sentence was part of one long FTS5 token
    (据cwrc报告): not found, or found only in the English; 「不」 did not find ‘不’."""
    hits = [h for h in search(mixed, query, lang) if h.doc_id == "d1"]
    assert [(h.lang, h.sid) for h in hits] == expected


@pytest.mark.parametrize(
    ("query", "lang", "keywords"),
    [("6300", "zh", ["６３００", "6300"]), ("AI", "zh", ["AI", "AI"]), ("CWRC", "zh-Hant", ["CWRC"]),
     ("說了兩次「不」", "zh", ["说了两次‘不’", "說了兩次『不』"])],
)
def test_a_hit_found_through_folded_forms_shows_the_sentence_as_written(
    mixed: Path, query: str, lang: str, keywords: list[str]
) -> None:
    hits = search(mixed, query, lang)
    written = {text for changes in MIXED.values() for _, text in changes}
    assert all(h.text in written for h in hits)
    assert [h.kwic()[1] for h in hits] == keywords


def test_cli_search_shows_a_number_inside_chinese_as_written(mixed: Path) -> None:
    result = CliRunner().invoke(main, ["search", "6300", "--lang", "zh-Hans", "--corpus", str(mixed)])
    assert (result.exit_code, result.output) == (0, (
        "d1 zh-Hans.p1.s1: 据CWRC报告，长江长６３００公里，向东流。\n"
        "    en: The Yangtze is 6300 km long, says the CWRC. It flows east.\n    zh-Hant: 據CWRC報告，長江長6300公里，向東流。\n"
    ))


def test_an_index_made_before_latin_inside_chinese_was_a_word_is_rebuilt(mixed: Path) -> None:
    assert search(mixed, "dams")
    with closing(sqlite3.connect(mixed / INDEX_FILE)) as conn, conn:
        conn.execute("DELETE FROM words")  # the text as version 11 had it: 据cwrc报告 one word
        conn.execute("INSERT INTO words(rowid, norm) SELECT id, norm FROM sents")
        conn.execute("PRAGMA user_version = 11")
    assert [h.sid for h in search(mixed, "6300", "zh")] == ["zh-Hans.p1.s1", "zh-Hant.p1.s1"]


@pytest.mark.parametrize(
    ("query", "fts"),
    [("H100을", '"H100 을"'), ("GPU", "GPU"), ("ＧＰＵの*", '"ＧＰＵ の"*'), ('"NvidiaのH100 GPU"', '"Nvidia の H100 GPU"'),
     ("(dams OR six-party)", '(dams OR "six-party")')],
)
def test_a_query_sets_apart_runs_of_cjk_letters_as_the_index_does(query: str, fts: str) -> None:
    assert fts_query(query) == fts


# --- regional versions: a Hong Kong document and a Taiwan one ------------------------------------

REGIONAL = {  # document: the full tag of each version and its one sentence, each aligned to the English one
    "hk": {"en": "The software is ready.", "zh-Hant-HK": "軟件準備好了。"},
    "tw": {"en": "The software is ready.", "zh-Hans": "软件准备好了。", "zh-Hant-TW": "軟體準備好了。"},
}


def _version(doc_id: str, tag: str, *texts: str) -> Document:
    """A version of the document: one paragraph of these sentences ({key}.p1.s1, s2 …)."""
    key, region = split_tag(tag)
    sents = tuple(Sentence(f"{key}.p1.s{n}", text) for n, text in enumerate(texts, 1))
    return Document(doc_id, key, (Paragraph(f"{key}.p1", sents),), Metadata(), region)


@pytest.fixture()
def regional(tmp_path: Path) -> Path:
    for doc_id, texts in REGIONAL.items():
        versions = {v.lang: v for v in (_version(doc_id, tag, text) for tag, text in texts.items())}
        links = tuple(Alignment("en", key, (Link(("en.p1.s1",), (f"{key}.p1.s1",)),)) for key in versions if key != "en")
        save(tmp_path, ParallelText(doc_id, versions, links))
    return tmp_path


LANGS = [
    # --lang, and the versions (document, full tag) it takes in, in corpus order
    ("zh-Hant-HK", [("hk", "zh-Hant-HK")]),
    ("zh-HK", [("hk", "zh-Hant-HK")]),
    ("zh-Hant-TW", [("tw", "zh-Hant-TW")]),
    ("zh-Hant", [("hk", "zh-Hant-HK"), ("tw", "zh-Hant-TW")]),
    ("zh", [("hk", "zh-Hant-HK"), ("tw", "zh-Hans"), ("tw", "zh-Hant-TW")]),
    ("zh-Hans", [("tw", "zh-Hans")]),
    ("en", [("hk", "en"), ("tw", "en")]),
    (None, [("hk", "en"), ("hk", "zh-Hant-HK"), ("tw", "en"), ("tw", "zh-Hans"), ("tw", "zh-Hant-TW")]),
]
REGIONAL_QUERIES = [
    # query, --regex, the tags of the versions it finds start with this
    ("准备好", False, "zh"),  # the trigram index
    ("准备", False, "zh"),  # the joined Simplified texts
    ("ready", False, "en"),  # the word index
    (r"\p{L}{2}", True, ""),  # the joined texts as written
]
REGIONAL_CASES = [  # each --lang with each query that finds one of its versions, and the versions it finds
    (lang, query, use_regex, [(doc, tag) for doc, tag in versions if tag.startswith(finds)])
    for lang, versions in LANGS for query, use_regex, finds in REGIONAL_QUERIES
    if any(tag.startswith(finds) for _, tag in versions)
]


@pytest.mark.parametrize(("lang", "query", "use_regex", "found"), REGIONAL_CASES)
def test_lang_takes_in_the_versions_within_its_tag_each_named_by_its_full_tag(
    regional: Path, lang: str | None, query: str, use_regex: bool, found: list[tuple[str, str]]
) -> None:
    hits = search(regional, query, lang, use_regex)
    expected = [(doc, tag, sorted(set(REGIONAL[doc]) - {tag})) for doc, tag in found]  # aligned: the document's other versions
    assert [(h.doc_id, h.lang, sorted(h.aligned)) for h in hits] == expected


def test_cli_search_names_a_regional_version_by_its_full_tag(regional: Path) -> None:
    result = CliRunner().invoke(main, ["search", "准备", "--lang", "zh-Hant", "--corpus", str(regional)])
    assert (result.exit_code, result.output) == (0, (
        "hk zh-Hant.p1.s1 (zh-Hant-HK): 軟件準備好了。\n    en: The software is ready.\n"
        "tw zh-Hant.p1.s1 (zh-Hant-TW): 軟體準備好了。\n    en: The software is ready.\n    zh-Hans: 软件准备好了。\n"
    ))
    result = CliRunner().invoke(main, ["search", "准备", "--lang", "zh-Hant-HK", "--corpus", str(regional), "--json"])
    assert result.exit_code == 0, result.output
    assert [(h["doc_id"], h["lang"], h["id"], h["aligned"]) for h in json.loads(result.output)] == [
        ("hk", "zh-Hant-HK", "zh-Hant.p1.s1", {"en": ["The software is ready."]})
    ]


def test_an_index_made_before_regions_were_indexed_is_rebuilt(regional: Path) -> None:
    assert search(regional, "ready")
    with closing(sqlite3.connect(regional / INDEX_FILE)) as conn, conn:
        conn.execute("UPDATE sents SET lang = replace(replace(lang, '-TW', ''), '-HK', '')")  # the key alone, as version 10 had it
        conn.execute("PRAGMA user_version = 10")
    assert [(h.doc_id, h.lang) for h in search(regional, "准备", "zh-Hant-HK")] == [("hk", "zh-Hant-HK")]


# --- numbers whose digits are grouped -----------------------------------------------------------

NUMBERS: dict[str, dict[str, tuple[str, ...]]] = {  # document: each version's sentences, aligned row by row to the English ones
    "coop": {
        "en": ("The cooperative lent money to 1,250 farmers last year.", "The gauge on the valve read 1.250 inches.",
               "Output rose to 2,480.5 tonnes.", "The plan covers 12.5 million people."),
        "de": ("Die Genossenschaft vergab im letzten Jahr Kredite an 1.250 Landwirte.", "Das Messgerät am Ventil zeigte 1,250 Zoll.",
               "Die Produktion stieg auf 2.480,5 Tonnen.", "Der Plan umfasst 12,5 Millionen Menschen."),
        "fr": ("L’an dernier, la coopérative a prêté de l’argent à 1\u202f250 agriculteurs.", "La jauge de la vanne indiquait 1,250 pouce.",
               "La production est passée à 2\u202f480,5 tonnes.", "Le plan couvre 12,5 millions de personnes."),
        "zh-Hans": ("去年该合作社向１，２５０户农民发放了贷款。", "阀门上的压力表读数为1.250英寸。", "产量增至2,480.5吨。", "该计划覆盖1,250万人。"),
        "zh-Hant-TW": ("去年該合作社向1,250戶農民發放了貸款。", "閥門上的壓力錶讀數為1.250英寸。", "產量增至2,480.5噸。", "該計劃覆蓋1,250萬人。"),
    },
    "club": {  # Swiss German: an apostrophe groups digits, a point is the decimal mark
        "en": ("The club has 1250 members.", "The gauge read 1.250 inches."),
        "de-CH": ("Der Verein zählt 1’250 Mitglieder.", "Das Messgerät zeigte 1.250 Zoll."),
    },
}
COUNT = [  # the sentences holding the number 1250, however its digits are grouped
    ("club", "de.p1.s1"), ("club", "en.p1.s1"), ("coop", "de.p1.s1"), ("coop", "en.p1.s1"), ("coop", "fr.p1.s1"),
    ("coop", "zh-Hans.p1.s1"), ("coop", "zh-Hans.p1.s4"), ("coop", "zh-Hant.p1.s1"), ("coop", "zh-Hant.p1.s4"),
]
GAUGE = [  # the sentences holding the decimal 1.25 written with three decimals: 1.250, German and French 1,250
    ("club", "de.p1.s2"), ("club", "en.p1.s2"), ("coop", "de.p1.s2"), ("coop", "en.p1.s2"), ("coop", "fr.p1.s2"),
    ("coop", "zh-Hans.p1.s2"), ("coop", "zh-Hant.p1.s2"),
]


@pytest.fixture()
def numbers(tmp_path: Path) -> Path:
    for doc_id, texts in NUMBERS.items():
        versions = {v.lang: v for v in (_version(doc_id, tag, *sents) for tag, sents in texts.items())}
        rows = range(1, len(texts["en"]) + 1)
        links = tuple(Alignment("en", key, tuple(Link((f"en.p1.s{n}",), (f"{key}.p1.s{n}",)) for n in rows))
                      for key in versions if key != "en")
        save(tmp_path, ParallelText(doc_id, versions, links))
    return tmp_path


def _found(corpus: Path, query: str) -> list[tuple[str, str]]:
    """(document, sentence id) of every hit of a query, sorted."""
    return sorted((h.doc_id, h.sid) for h in search(corpus, query, limit=100))


@pytest.mark.parametrize(
    ("query", "expected"),
    [("1250", COUNT), ("1 250", COUNT), ('"1 250"', COUNT), ("１２５０", COUNT), ("1’250", COUNT), ("1250 AND farmers", [COUNT[3]]),
     ("1250万", [COUNT[6], COUNT[8]]), ("１２５０萬人", [COUNT[6], COUNT[8]]), ("覆盖 1250", [COUNT[6], COUNT[8]])],
)
def test_a_number_is_found_however_its_digits_are_grouped(numbers: Path, query: str, expected: list[tuple[str, str]]) -> None:
    """1250 did not find 1,250, German 1.250, French 1 250, Swiss 1’250 nor １，２５０ (nor the reverse):
    FTS5 saw two words, 1 and 250, and 1 250 was two words of the query, each found anywhere."""
    assert _found(numbers, query) == expected


@pytest.mark.parametrize("query", ["1.250", "1,250"])
def test_a_point_or_comma_before_three_digits_is_read_as_each_language_writes_it(numbers: Path, query: str) -> None:
    """1.250 is 1250 in German and 1.25 in English or Swiss German, 1,250 the reverse: a sentence
    is read by its language's decimal mark, so 1250 finds no gauge reading (COUNT); a query has
    no language: it finds both numbers it can mean, each however its text writes it (before:
    the words 1 and 250, which missed a plain 1250)."""
    assert _found(numbers, query) == sorted(COUNT + GAUGE)


def test_a_decimal_keeps_its_digits_apart_from_its_whole_part(numbers: Path) -> None:
    """2,480.5 and German 2.480,5 are 2480.5, which 2480.5 finds (before: the words 2, 480 and 5), not 24805."""
    output = [("coop", f"{key}.p1.s3") for key in ("de", "en", "fr", "zh-Hans", "zh-Hant")]
    assert _found(numbers, "2480.5") == _found(numbers, "2.480,5") == output
    assert _found(numbers, '"rose to 2,480.5 tonnes"') == [("coop", "en.p1.s3")]
    assert _found(numbers, "24805") == []


def test_a_number_found_through_its_groups_shows_as_written(numbers: Path) -> None:
    assert [h.kwic()[1] for h in search(numbers, "1250", limit=100)] == [
        "1250", "1’250", "1,250", "1.250", "1\u202f250", "１，２５０", "1,250", "1,250", "1,250"]
    assert [h.kwic()[1] for h in search(numbers, "2480.5")] == ["2,480.5", "2.480,5", "2\u202f480,5", "2,480.5", "2,480.5"]
    result = CliRunner().invoke(main, ["search", "1 250", "--lang", "zh-Hans", "--corpus", str(numbers)])
    assert (result.exit_code, result.output) == (0, (
        "coop zh-Hans.p1.s1: 去年该合作社向１，２５０户农民发放了贷款。\n"
        "    en: The cooperative lent money to 1,250 farmers last year.\n"
        "    de: Die Genossenschaft vergab im letzten Jahr Kredite an 1.250 Landwirte.\n"
        "    fr: L’an dernier, la coopérative a prêté de l’argent à 1\u202f250 agriculteurs.\n"
        "    zh-Hant-TW: 去年該合作社向1,250戶農民發放了貸款。\n"
        "coop zh-Hans.p1.s4: 该计划覆盖1,250万人。\n"
        "    en: The plan covers 12.5 million people.\n    de: Der Plan umfasst 12,5 Millionen Menschen.\n"
        "    fr: Le plan couvre 12,5 millions de personnes.\n    zh-Hant-TW: 該計劃覆蓋1,250萬人。\n"
    ))


def test_an_index_made_before_digit_groups_were_folded_is_rebuilt(numbers: Path) -> None:
    assert search(numbers, "farmers")
    with closing(sqlite3.connect(numbers / INDEX_FILE)) as conn, conn:
        conn.execute("DELETE FROM words")  # the text as version 12 had it: 1,250 two words
        conn.execute("INSERT INTO words(rowid, norm) SELECT id, text FROM sents")
        conn.execute("PRAGMA user_version = 12")
    assert _found(numbers, "1250") == COUNT


# --- the index file: damaged, unwritable; patterns too large to compile ---------------------------


@pytest.mark.parametrize("damage", [lambda data: b"not a database\n", lambda data: data[: len(data) // 2]])
def test_a_damaged_index_is_made_anew_and_said_so(
    corpus: Path, caplog: pytest.LogCaptureFixture, damage: Callable[[bytes], bytes]
) -> None:
    """A damaged index (garbage, a file cut short) was a sqlite3.DatabaseError traceback."""
    assert search(corpus, "dams")
    index = corpus / INDEX_FILE
    index.write_bytes(damage(index.read_bytes()))
    with caplog.at_level(logging.WARNING, logger="aligner.search.index"):
        assert [h.sid for h in search(corpus, "dams")] == ["en.p2.s1"]
        assert [h.sid for h in search(corpus, r"C.a.g.i.ng|Dams\b", use_regex=True)] == ["en.p2.s1"]
    assert caplog.messages[0].startswith(f"{index}: the search index is damaged (")
    assert caplog.messages[0].endswith("); making it anew from the TEI files") and len(caplog.messages) == 1


def test_cli_search_makes_a_damaged_index_anew(corpus: Path) -> None:
    (corpus / INDEX_FILE).write_text("x\n")
    result = CliRunner().invoke(main, ["search", "dams", "--corpus", str(corpus)])
    assert (result.exit_code, result.stdout) == (0, "d1 en.p2.s1: Dams hold water.\n    zh-Hans: 水坝蓄水。\n    zh-Hant: 水壩蓄水。\n")


def _read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus folder as a read-only one is to the index: its lock file cannot be made."""
    def refused(lock: Path) -> Iterator[None]:
        raise PermissionError(errno.EACCES, "Permission denied", str(lock))

    monkeypatch.setattr("aligner.search.index.holding", refused)


def test_a_read_only_corpus_is_searched_through_a_temporary_index(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A read-only corpus folder was an OperationalError traceback ("unable to open database file")."""
    _read_only(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="aligner.search.index"):
        assert [h.sid for h in search(corpus, "dams")] == ["en.p2.s1"]
    assert caplog.messages == [
        f"{corpus / '.search.lock'}: cannot write the search index (Permission denied); searched a temporary index"
        f" instead, made anew for every search: make {corpus} writable to keep one"
    ]
    assert not (corpus / INDEX_FILE).exists()


def test_a_current_index_in_a_read_only_corpus_is_read_as_it_is(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    assert search(corpus, "dams")
    before = (corpus / INDEX_FILE).read_bytes()
    _read_only(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="aligner.search.index"):
        assert [h.sid for h in search(corpus, "dams")] == ["en.p2.s1"]
    assert caplog.messages == [] and (corpus / INDEX_FILE).read_bytes() == before
    path = corpus / "d1" / "en.xml"  # a changed document: the index is not current, and a temporary one serves
    path.write_text(path.read_text(encoding="utf-8").replace("Dams hold", "Weirs hold"), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="aligner.search.index"):
        assert [h.sid for h in search(corpus, "weirs")] == ["en.p2.s1"]
    assert len(caplog.messages) == 1 and "searched a temporary index instead" in caplog.messages[0]


def _full_disk(monkeypatch: pytest.MonkeyPatch, temporary_too: bool) -> None:
    """Every index the search opens on the corpus's disk (and, `temporary_too`, in the temporary folder) full."""
    real = sqlite3.connect

    def full(database: str | Path, timeout: float = 5.0, uri: bool = False) -> sqlite3.Connection:
        conn = real(database, timeout=timeout, uri=uri)
        if database != "" or temporary_too:
            conn.execute("PRAGMA max_page_count = 2")
        return conn

    monkeypatch.setattr(sqlite3, "connect", full)


def test_an_index_on_a_full_disk_gives_way_to_a_temporary_one(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A full disk was an OperationalError traceback ("database or disk is full", from VACUUM)."""
    _full_disk(monkeypatch, temporary_too=False)
    with caplog.at_level(logging.WARNING, logger="aligner.search.index"):
        assert [h.sid for h in search(corpus, "dams")] == ["en.p2.s1"]
    assert caplog.messages == [
        f"{corpus / INDEX_FILE}: cannot write the search index (database or disk is full); searched a temporary index"
        " instead, made anew for every search: free some disk space to keep one"
    ]


def test_an_index_that_cannot_be_written_anywhere_is_one_line(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _full_disk(monkeypatch, temporary_too=True)
    result = CliRunner().invoke(main, ["search", "dams", "--corpus", str(corpus)])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", (
        f"Error: {corpus / INDEX_FILE}: cannot write the search index (database or disk is full), nor a temporary"
        " one (database or disk is full); free some disk space\n"
    ))


@pytest.mark.parametrize(
    ("pattern", "items"),
    [("a{200000}", 200000), ("(?:a{1000}){1000}", 1000000), ("(?:x|y){60000}", 120000), ("(?x) (a{1000}) {1000}", 21000000)],
)
def test_a_regex_too_large_to_compile_is_refused_before_it_is_tried(corpus: Path, pattern: str, items: int) -> None:
    """`a{99999999}` took all memory and was killed, `a{5000000}` took 2 GB."""
    result = CliRunner().invoke(main, ["search", pattern, "--regex", "--corpus", str(corpus)])
    assert (result.exit_code, result.output) == (1, (
        f"Error: --regex '{pattern}': its repeats come to {items} items, over the limit of 100000 (nested counts"
        " multiply); lower the counts, or use + or * for a run of any length\n"
    ))


@pytest.mark.parametrize(
    ("pattern", "found"), [(r"a{0,99999999}", 20), (r"\w{2,100000}", 20), (r"(?:lo{1,200000}ng)\.", 1), ("a{100000}", 0)]
)
def test_a_regex_whose_large_counts_cost_nothing_is_searched(corpus: Path, pattern: str, found: int) -> None:
    """A count that is large but costs nothing (a range from 0 or 1, a repeat at the limit) is
    under the size limit, and the search finds what a scan finds."""
    assert size(pattern) <= MAX_SIZE
    hits = sorted((h.doc_id, h.lang, h.sid) for h in search(corpus, pattern, use_regex=True, limit=1000))
    assert hits == _scanned(corpus, pattern) and len(hits) == found


def test_a_regex_error_is_the_compilers_after_the_size_check(corpus: Path) -> None:
    with pytest.raises(SearchError, match=r"^--regex '\)a\{3\}': unbalanced parenthesis"):
        search(corpus, ")a{3}", use_regex=True)


def test_a_plain_space_groups_digits_only_where_decimals_take_a_comma(tmp_path: Path) -> None:
    """In English "chapter 5 100 soldiers" is two numbers, which folding every space merged into
    5100 (100 no longer found it); in French 1 250 with a plain space is one number."""
    versions = {"en": _version("army", "en", "In chapter 5 100 soldiers crossed the river."),
                "fr": _version("army", "fr", "Au chapitre 5, 1 250 soldats traversèrent le fleuve.")}
    save(tmp_path, ParallelText("army", versions, (Alignment("en", "fr", (Link(("en.p1.s1",), ("fr.p1.s1",)),)),)))
    assert _found(tmp_path, '"100 soldiers"') == [("army", "en.p1.s1")]
    assert _found(tmp_path, "5100") == []
    assert _found(tmp_path, "1250") == _found(tmp_path, "1 250") == [("army", "fr.p1.s1")]


def test_not_leaves_out_every_reading_of_a_number(numbers: Path) -> None:
    """The readings of a query were OR'd whole, so `a NOT 1,250` found a sentence holding 1,250
    through the reading that took it for a decimal."""
    assert _found(numbers, "farmers NOT 1,250") == []
    assert _found(numbers, "farmers NOT 2024") == [("coop", "en.p1.s1")]
    assert _found(numbers, "inches NOT 1.250") == []
    assert ("coop", "en.p1.s2") in _found(numbers, '"1.250 inches" NOT farmers')
