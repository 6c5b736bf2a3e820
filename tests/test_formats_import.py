"""Import: InterText structure and status, bad input rejected with one line and nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from aligner.corpus.model import Alignment, Link
from aligner.corpus.store import load
from aligner.errors import AlignerError
from aligner.formats.imports import import_files

DATA = Path(__file__).parent / "data" / "formats"
BAD = DATA / "bad"

BAD_INPUT = [
    ("tmx", ["unknown_lang.tmx"], "unknown_lang.tmx:7: unknown language code 'english_US'; use a code such as en, zh-CN, zh-TW"),
    ("tmx", ["missing_seg.tmx"], "missing_seg.tmx:5: a <tuv> without <seg>; every tuv needs its segment text"),
    ("tmx", ["opustools_version.tmx"], 'opustools_version.tmx:2: not valid TMX 1.4b (Value for attribute version of tmx is different from default "1.4"); fix the file against the TMX 1.4b DTD'),
    ("tmx", ["malformed.tmx"], "malformed.tmx:7: malformed XML: Opening and ending tag mismatch: seg line 7 and tuv, line 7, column 43; fix the file"),
    ("moses", ["two.en", "two.zh-Hans"], "two.en has 3 lines but {BAD}/two.zh-Hans has 2; Moses files must be line-aligned"),
    ("intertext", ["broken.en.broken.zh.xml"], "broken.en.broken.zh.xml: xtargets name sentences that broken.en.xml or broken.zh.xml lack; fix the InterText files"),
    ("intertext", ["badsyntax.en.badsyntax.zh.xml"], "badsyntax.en.badsyntax.zh.xml:3: xtargets '1:1' is not 'P:S P:S;P:S'; fix the InterText file"),
]


@pytest.mark.parametrize(("fmt", "names", "message"), BAD_INPUT)
def test_bad_input_is_one_line_and_writes_nothing(tmp_path: Path, fmt: str, names: list[str], message: str) -> None:
    corpus = tmp_path / "corpus"
    with pytest.raises(AlignerError) as err:
        import_files([BAD / n for n in names], fmt, corpus)
    assert str(err.value) == f"{BAD}/{message.format(BAD=BAD)}"
    assert not corpus.exists()


def test_intertext_keeps_paragraphs_status_and_omissions(tmp_path: Path) -> None:
    (text,) = import_files([DATA / "intertext" / "story.en.story.zh.xml"], "intertext", tmp_path, langs=["en", "zh-Hans"])
    assert text.doc_id == "story"
    assert [[s.id for s in p.sentences] for p in text.versions["en"].paragraphs] == [
        ["en.p1.s1", "en.p1.s2"], ["en.p2.s1", "en.p2.s2"],
    ]
    assert text.versions["zh-Hans"].paragraphs[1].sentences[0].text == "黎明时船来了。"
    assert text.alignments[0].links == (
        Link(("en.p1.s1", "en.p1.s2"), ("zh-Hans.p1.s1",), 1.0, "person"),
        Link(("en.p2.s1",), ("zh-Hans.p2.s1",), 1.0, "machine"),
        Link(("en.p2.s2",), (), 1.0, "person"),
    )
    assert text.versions["en"].meta.source == "story.en.xml"
    assert load(tmp_path, "story") == text


def test_intertext_languages_are_detected_and_resp_can_be_forced(tmp_path: Path) -> None:
    (text,) = import_files([DATA / "intertext" / "story.en.story.zh.xml"], "intertext", tmp_path, resp="person")
    assert sorted(text.versions) == ["en", "zh-Hans"]
    assert {lk.resp for lk in text.alignments[0].links} == {"person"}


def test_existing_document_needs_replace(tmp_path: Path) -> None:
    path = DATA / "intertext" / "story.en.story.zh.xml"
    import_files([path], "intertext", tmp_path)
    with pytest.raises(AlignerError, match="document 'story' exists; use --replace to overwrite it"):
        import_files([path], "intertext", tmp_path)
    assert import_files([path], "intertext", tmp_path, replace=True)[0].doc_id == "story"


def test_tmx_without_our_properties_numbers_sentences(tmp_path: Path) -> None:
    tmx = tmp_path / "plain.tmx"
    tmx.write_text(
        (BAD / "unknown_lang.tmx").read_text().replace("english_US", "zh-TW"), encoding="utf-8"
    )
    (text,) = import_files([tmx], "tmx", tmp_path / "corpus")
    assert [s.id for s in text.versions["zh-Hant"].sentences()] == ["zh-Hant.p1.s1"]
    assert text.alignments[0].links == (Link(("en.p1.s1",), ("zh-Hant.p1.s1",), 1.0, "person"),)


GOLD = Path("/work/shared/gold")


@pytest.mark.skipif(not GOLD.is_dir(), reason="needs the shared gold sets")
@pytest.mark.parametrize(("name", "number"), [("aca", "001"), ("mag", "003")])
def test_real_intertext_files_reproduce_the_gold_links(tmp_path: Path, name: str, number: str) -> None:
    (text,) = import_files(
        [GOLD / name / "intertext" / f"non-literary.{number}_src.{number}_tgt.xml"], "intertext", tmp_path
    )
    for lang, side in (("en", "src"), ("zh-Hans", "tgt")):
        file = etree.parse(str(GOLD / name / "intertext" / f"non-literary.{number}_{side}.xml"))
        assert [(s.id, s.text) for s in text.versions[lang].sentences()] == [
            (f"{lang}.p{s.get('id').replace(':', '.s')}", s.text) for s in file.iter("s")
        ]
    gold = (GOLD / name / "gold" / f"{number}.align").read_text().splitlines()
    index = {s.id: n for lang in ("en", "zh-Hans") for n, s in enumerate(text.versions[lang].sentences())}
    got = [f"{[index[i] for i in lk.src]}:{[index[i] for i in lk.tgt]}" for lk in text.alignments[0].links]
    assert got == gold


def test_import_serialises_each_file_once_and_writes_only_when_all_are_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import aligner.corpus.store
    import aligner.corpus.tei
    from aligner.errors import CorpusError
    from aligner.formats.export import export
    from aligner.formats.filters import Filters

    export([load(DATA / "corpus", "d1"), load(DATA / "corpus", "d2")], "tmx", ["en", "zh-Hans"], tmp_path / "x.tmx", Filters())
    calls: list[str] = []
    real_serialize, real_alignments = aligner.corpus.tei._serialize, aligner.corpus.store.alignments_to_tei

    def counted(root: etree._Element, schema: str, where: str) -> bytes:
        calls.append(schema)
        return real_serialize(root, schema, where)

    monkeypatch.setattr(aligner.corpus.tei, "_serialize", counted)
    import_files([tmp_path / "x.tmx"], "tmx", tmp_path / "ok")
    assert len(calls) == 6  # two documents, each two versions and an alignment, serialised once
    assert sorted(p.name for p in (tmp_path / "ok" / "d2").iterdir()) == ["align.xml", "en.xml", "zh-Hans.xml"]

    def invalid_second(doc_id: str, alignments: tuple[Alignment, ...], *header: Any) -> bytes:
        if doc_id == "d2":
            raise CorpusError("d2: invalid")
        return real_alignments(doc_id, alignments, *header)  # header: the fingerprint and the changes

    monkeypatch.setattr(aligner.corpus.store, "alignments_to_tei", invalid_second)
    with pytest.raises(CorpusError):
        import_files([tmp_path / "x.tmx"], "tmx", tmp_path / "bad")
    assert not (tmp_path / "bad").exists()
