"""Export formats: exact output, DTD validity, determinism, and TEI → format → TEI round trips."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from aligner.corpus.model import Link, ParallelText
from aligner.corpus.store import load
from aligner.errors import InputError
from aligner.formats.export import export
from aligner.formats.filters import Filters
from aligner.formats.imports import import_files

DATA = Path(__file__).parent / "data" / "formats"
CORPUS = DATA / "corpus"


def d1() -> ParallelText:
    return load(CORPUS, "d1")


def d2() -> ParallelText:
    return load(CORPUS, "d2")


def links(text: ParallelText, src: str, tgt: str) -> tuple[Link, ...]:
    """A pair's links; fails if the text has no such alignment."""
    alignment = text.alignment(src, tgt)
    assert alignment is not None, f"no {src}-{tgt} alignment"
    return alignment.links


def same_text_and_links(a: ParallelText, b: ParallelText, langs: list[str], confidence: bool = True) -> None:
    """Sentences (ids and texts, paragraph by paragraph) and links (ids, confidence) are equal."""
    for lang in langs:
        assert [(p.id, p.kind, p.sentences) for p in a.versions[lang].paragraphs] == [
            (p.id, p.kind, p.sentences) for p in b.versions[lang].paragraphs
        ]
    for x, y in zip(langs, langs[1:], strict=False):
        assert [(lk.src, lk.tgt, round(lk.confidence, 3) if confidence else 0) for lk in links(a, x, y)] == [
            (lk.src, lk.tgt, round(lk.confidence, 3) if confidence else 0) for lk in links(b, x, y)
        ]


def test_tmx_validates_against_the_dtd_and_fills_the_header(tmp_path: Path) -> None:
    report = export([d1()], "tmx", ["en", "zh-Hans", "zh-Hant"], tmp_path / "x.tmx", Filters())
    tree = etree.parse(str(tmp_path / "x.tmx"))
    assert etree.DTD(str(DATA / "tmx14.dtd")).validate(tree)
    root = tree.getroot()
    assert root.get("version") == "1.4"
    header = root.find("header")
    assert {k: header.get(k) for k in ("creationtool", "srclang", "segtype", "datatype", "o-tmf")} == {
        "creationtool": "aligner", "srclang": "en", "segtype": "sentence", "datatype": "plaintext", "o-tmf": "aligner TEI",
    }
    langs = [[tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tu.iter("tuv")] for tu in root.iter("tu")]
    assert langs == [["en", "zh-CN", "zh-TW"]] * 4
    assert report.dropped == {"omission": 1}


@pytest.mark.parametrize(
    ("style", "codes"), [("legacy", ["en", "zh-CN", "zh-TW"]), ("bcp47", ["en", "zh-Hans", "zh-Hant"])]
)
def test_tmx_language_codes_in_either_style_import_back_to_our_tags(tmp_path: Path, style: str, codes: list[str]) -> None:
    langs = ["en", "zh-Hans", "zh-Hant"]
    export([d1()], "tmx", langs, tmp_path / "x.tmx", Filters(), tag_style=style)
    tus = etree.parse(str(tmp_path / "x.tmx")).getroot().findall("body/tu")
    assert {tuple(tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tu.iter("tuv")) for tu in tus} == {tuple(codes)}
    (back,) = import_files([tmp_path / "x.tmx"], "tmx", tmp_path / "corpus")
    assert sorted(back.versions) == sorted(langs)
    assert links(back, "zh-Hans", "zh-Hant") == links(d1(), "zh-Hans", "zh-Hant")


def test_tmx_keeps_multi_sentence_links_and_properties(tmp_path: Path) -> None:
    export([d1()], "tmx", ["en", "zh-Hans"], tmp_path / "x.tmx", Filters())
    tu = etree.parse(str(tmp_path / "x.tmx")).getroot().findall("body/tu")[1]
    assert {p.get("type"): p.text for p in tu.iterfind("prop")} == {
        "x-doc-id": "d1", "x-link-id": "l2", "x-confidence": "0.800", "x-resp": "machine", "x-type": "2-1",
    }
    en = tu.find("tuv")
    assert en.findtext("seg") == "The Yangtze is long. It flows east."
    assert en.findtext("prop") == "en.p1.s1:0-20 en.p1.s2:21-35"


@pytest.mark.parametrize(
    ("fmt", "langs"),
    [("tmx", ["en", "zh-Hans"]), ("tmx", ["en", "zh-Hans", "zh-Hant"]), ("xces", ["en", "zh-Hans", "zh-Hant"])],
)
def test_tei_to_format_to_tei_gives_the_same_sentences_and_links(tmp_path: Path, fmt: str, langs: list[str]) -> None:
    original = d1() if fmt == "xces" else d2()
    export([original], fmt, langs if fmt == "xces" else ["en", "zh-Hans"], tmp_path / "out", Filters())
    files = [tmp_path / "out"] if fmt == "tmx" else sorted((tmp_path / "out").glob("*-*.xml"))
    (back,) = import_files(files, fmt, tmp_path / "corpus")
    same_text_and_links(original, back, langs if fmt == "xces" else ["en", "zh-Hans"])
    assert back.versions["en"].meta.source in {"out", "d1.xml"}


def test_tmx_round_trip_of_a_three_way_document_without_omissions(tmp_path: Path) -> None:
    export([d1()], "tmx", ["en", "zh-Hans", "zh-Hant"], tmp_path / "x.tmx", Filters())
    (back,) = import_files([tmp_path / "x.tmx"], "tmx", tmp_path / "corpus")
    assert [s.text for s in back.versions["en"].sentences()] == [s.text for s in d1().versions["en"].sentences()][:-1]
    assert links(back, "zh-Hans", "zh-Hant") == links(d1(), "zh-Hans", "zh-Hant")


def test_moses_round_trip_with_one_to_one_links(tmp_path: Path) -> None:
    export([d2()], "moses", ["en", "zh-Hans"], tmp_path / "bible", Filters())
    assert (tmp_path / "bible.zh-Hans").read_text(encoding="utf-8").splitlines()[0] == "起初，神创造天地。"
    (back,) = import_files([tmp_path / "bible.en", tmp_path / "bible.zh-Hans"], "moses", tmp_path / "corpus")
    same_text_and_links(d2(), back, ["en", "zh-Hans"], confidence=False)  # Moses has no confidence


def test_moses_output_that_is_a_folder_is_refused_not_written_beside_it(tmp_path: Path) -> None:
    """-o adir/ wrote adir.en and adir.zh-Hans next to the folder."""
    (tmp_path / "adir").mkdir()
    with pytest.raises(InputError, match=re.escape(f"{tmp_path / 'adir'}: is a folder, and Moses writes a file a language named "
                                                   f"PREFIX.LANG; give a prefix inside it, e.g. -o {tmp_path / 'adir' / 'corpus'}")):
        export([d1()], "moses", ["en", "zh-Hans"], tmp_path / "adir", Filters())
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["adir"]


def test_moses_output_to_a_folder_not_made_yet_is_refused(tmp_path: Path) -> None:
    """-o adir/ for a folder not there yet: click's Path dropped the slash, and adir.en was written."""
    from click.testing import CliRunner

    from aligner.cli import main

    out = f"{tmp_path / 'adir'}/"
    result = CliRunner().invoke(main, ["export", "d1", "--corpus", str(CORPUS), "--format", "moses", "--langs", "en,zh-Hans", "-o", out])
    assert result.exit_code == 1 and f"{tmp_path / 'adir'}: is a folder, and Moses writes" in result.output
    assert list(tmp_path.iterdir()) == []


def test_moses_joins_english_with_a_space_and_chinese_with_nothing(tmp_path: Path) -> None:
    export([d1()], "moses", ["zh-Hans", "en"], tmp_path / "m", Filters())
    assert (tmp_path / "m.en").read_text().splitlines()[1] == "The Yangtze is long. It flows east."
    assert (tmp_path / "m.zh-Hans").read_text().splitlines()[1] == "长江很长，向东流。"


EXPECTED_TSV = """\
doc_id\tlink_id\ttype\tconfidence\tresp\ten_ids\ten\tzh-Hans_ids\tzh-Hans
d1\tl1\t1-1\t0.950\tmachine\ten.head.s1\tRivers of China\tzh-Hans.head.s1\t中国的河流
d1\tl2\t2-1\t0.800\tmachine\ten.p1.s1 en.p1.s2\tThe Yangtze is long. It flows east.\tzh-Hans.p1.s1\t长江很长，向东流。
d1\tl3\t1-1\t0.600\tperson\ten.p1.s3\tBoats carry rice & tea.\tzh-Hans.p1.s2\t船运大米和茶叶。
d1\tl4\t1-1\t0.300\tmachine\ten.p2.s1\tDams hold water.\tzh-Hans.p2.s1\t水坝蓄水。
d1\tl5\t1-0\t0.100\tmachine\ten.p2.s2\tThis sentence has no translation.\t\t
"""


def test_tsv_and_csv_rows(tmp_path: Path) -> None:
    export([d1()], "tsv", ["en", "zh-Hans"], tmp_path / "x.tsv", Filters())
    assert (tmp_path / "x.tsv").read_text(encoding="utf-8") == EXPECTED_TSV
    export([d1()], "csv", ["en", "zh-Hans"], tmp_path / "x.csv", Filters())
    csv_text = (tmp_path / "x.csv").read_bytes().decode("utf-8-sig")
    assert csv_text.splitlines()[2] == 'd1,l2,2-1,0.800,machine,en.p1.s1 en.p1.s2,The Yangtze is long. It flows east.,zh-Hans.p1.s1,长江很长，向东流。'


def test_jsonl_one_object_per_link(tmp_path: Path) -> None:
    export([d1()], "jsonl", ["en", "zh-Hant"], tmp_path / "x.jsonl", Filters())
    lines = [json.loads(line) for line in (tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 5
    assert lines[1] == {
        "doc_id": "d1", "link_id": "l2", "type": "2-1", "confidence": 0.8, "resp": "machine",
        "ids": {"en": ["en.p1.s1", "en.p1.s2"], "zh-Hant": ["zh-Hant.p1.s1"]},
        "text": {"en": "The Yangtze is long. It flows east.", "zh-Hant": "長江很長，向東流。"},
        "tags": {"en": "en", "zh-Hant": "zh-Hant"},
    }


def test_xces_link_lines_and_omission(tmp_path: Path) -> None:
    export([d1()], "xces", ["en", "zh-Hans"], tmp_path / "x", Filters())
    root = etree.parse(str(tmp_path / "x" / "en-zh-Hans.xml")).getroot()
    grp = root.find("linkGrp")
    assert (grp.get("fromDoc"), grp.get("toDoc")) == ("en/d1.xml", "zh-Hans/d1.xml")
    assert [lk.get("xtargets") for lk in grp] == [
        "en.head.s1;zh-Hans.head.s1", "en.p1.s1 en.p1.s2;zh-Hans.p1.s1", "en.p1.s3;zh-Hans.p1.s2",
        "en.p2.s1;zh-Hans.p2.s1", "en.p2.s2;",
    ]
    sentences = etree.parse(str(tmp_path / "x" / "zh-Hans" / "d1.xml")).getroot()
    assert [s.get("id") for s in sentences.iter("s")][:2] == ["zh-Hans.head.s1", "zh-Hans.p1.s1"]


def test_xces_writes_every_sentence_of_a_pair_its_links_leave_out_and_imports_back(tmp_path: Path) -> None:
    """A pair with no stored link (an imported empty link group) was written as an empty
    <cesAlign/>, though the report counted its sentences as units; now each is an omission link."""
    from dataclasses import replace

    text = d1()
    bare = replace(text, alignments=tuple(al for al in text.alignments if set(al.pair) != {"en", "zh-Hans"}))
    report = export([bare], "xces", ["en", "zh-Hans"], tmp_path / "x", Filters())
    grp = etree.parse(str(tmp_path / "x" / "en-zh-Hans.xml")).getroot().find("linkGrp")
    assert grp is not None and report.units == len(grp) == len(list(text.versions["en"].sentences())) + len(list(text.versions["zh-Hans"].sentences()))
    assert all(lk.get("xtargets", "").startswith(";") or lk.get("xtargets", "").endswith(";") for lk in grp)
    (back,) = import_files([tmp_path / "x" / "en-zh-Hans.xml"], "xces", tmp_path / "corpus")
    assert [s.text for s in back.versions["zh-Hans"].sentences()] == [s.text for s in text.versions["zh-Hans"].sentences()]


@pytest.mark.parametrize("fmt", ["tmx", "moses", "tsv", "csv", "jsonl", "xces"])
def test_output_is_deterministic(tmp_path: Path, fmt: str) -> None:
    first = export([d1(), d2()], fmt, ["en", "zh-Hans"], tmp_path / "a" / "out", Filters(dedupe=True))
    second = export([d1(), d2()], fmt, ["en", "zh-Hans"], tmp_path / "b" / "out", Filters(dedupe=True))
    assert [p.read_bytes() for p in first.files] == [p.read_bytes() for p in second.files]


@pytest.mark.parametrize("fmt", ["tmx", "xlsx", "xliff"])
def test_ids_of_a_sentence_split_by_hand_survive_a_round_trip(tmp_path: Path, fmt: str) -> None:
    from click.testing import CliRunner
    from edit_fixtures import three_versions

    from aligner.cli import main
    from aligner.corpus.store import save

    save(tmp_path / "c", three_versions())
    first = next(three_versions().versions["en"].sentences())
    result = CliRunner().invoke(main, ["edit", "doc", "--corpus", str(tmp_path / "c"), "--who", "t", "split-sentence", first.id, str(len(first.text) // 2)])
    assert result.exit_code == 0, result.output
    text = load(tmp_path / "c", "doc")
    assert f"{first.id}.1" in text.versions["en"].sentence_index()
    out = tmp_path / f"x.{fmt}"
    export([text], fmt, ["en", "zh-Hans"], out, Filters())
    (back,) = import_files([out], fmt, tmp_path / "again")
    assert [(s.id, s.text) for s in back.versions["en"].sentences()] == [(s.id, s.text) for s in text.versions["en"].sentences()]
    assert [p.id for p in back.versions["en"].paragraphs] == [p.id for p in text.versions["en"].paragraphs]
