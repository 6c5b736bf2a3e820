"""Region as part of the language: tags, the sidecar, TEI, and the seed's Taiwan version."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree

from aligner.build import ingest_versions
from aligner.cli import main
from aligner.corpus.model import Document, Paragraph, ParallelText, Sentence
from aligner.corpus.store import load, save
from aligner.corpus.tei import document_to_tei, language_name, tei_to_document
from aligner.errors import CorpusError, InputError, LanguageError
from aligner.formats.export import export
from aligner.formats.filters import Filters
from aligner.formats.imports import import_files
from aligner.ingest.langs import full_tag, split_tag
from aligner.ingest.text import source_of
from aligner.reader.site import build_site

ROOT = Path(__file__).parent.parent
SEED_ID = "000_bf7a112df29932bd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

TAGS = [
    ("zh-Hant-TW", "zh-Hant", "TW"),
    ("zh-TW", "zh-Hant", "TW"),
    ("zh_tw", "zh-Hant", "TW"),
    ("zh-Hant-HK", "zh-Hant", "HK"),
    ("zh-HK", "zh-Hant", "HK"),
    ("zh-hant-hk", "zh-Hant", "HK"),
    ("zh-Hant-MO", "zh-Hant", "MO"),
    ("zh-MO", "zh-Hant", "MO"),
    ("zh-CN", "zh-Hans", "CN"),
    ("zh-Hans-SG", "zh-Hans", "SG"),
    ("zh-Hant", "zh-Hant", ""),
    ("zh-Hans", "zh-Hans", ""),
    ("zh", "zh", ""),
    ("EN", "en", ""),
    ("en-GB", "en", "GB"),
    ("es-419", "es", "419"),
    ("sr-Latn-RS", "sr-Latn", "RS"),
]


@pytest.mark.parametrize(("tag", "key", "region"), TAGS)
def test_tags_split_into_the_version_key_and_the_region(tag: str, key: str, region: str) -> None:
    assert split_tag(tag) == (key, region)


@pytest.mark.parametrize(
    ("key", "region", "tag"),
    [("zh-Hant", "TW", "zh-Hant-TW"), ("zh-Hant", "", "zh-Hant"), ("en", "GB", "en-GB"), ("sr-Latn", "RS", "sr-Latn-RS")],
)
def test_full_tag_puts_the_region_after_the_script(key: str, region: str, tag: str) -> None:
    assert full_tag(key, region) == tag


@pytest.mark.parametrize("bad", ["", "1x", "zh--TW", "-TW"])
def test_a_malformed_tag_is_a_language_error(bad: str) -> None:
    with pytest.raises(LanguageError, match="is not a language tag"):
        split_tag(bad)


@pytest.mark.parametrize(
    ("name", "lang", "region"),
    [("doc.zh-TW.txt", "zh-Hant", "TW"), ("doc.zh-Hant-HK.txt", "zh-Hant", "HK"), ("doc.zh-Hant.txt", "zh-Hant", "")],
)
def test_the_region_comes_from_the_file_name(name: str, lang: str, region: str) -> None:
    src = source_of(Path(name))
    assert (src.doc_id, src.lang, src.region) == ("doc", lang, region)


def _seed_like(folder: Path, name: str, sidecar: dict[str, str] | None = None) -> Path:
    path = folder / name
    path.write_text("標題\n\n這是繁體中文的句子。我們測試地區。", encoding="utf-8")
    if sidecar is not None:
        path.with_name(path.name.rsplit(".", 1)[0] + ".meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    return path


def test_the_region_comes_from_the_sidecar(tmp_path: Path) -> None:
    path = _seed_like(tmp_path, "doc.zh-Hant.txt", {"region": "hk", "translator": "T"})
    doc = ingest_versions("doc", [path])["zh-Hant"]
    assert (doc.lang, doc.region, doc.tag, doc.meta.translator) == ("zh-Hant", "HK", "zh-Hant-HK", "T")


def test_a_region_in_the_name_and_the_same_in_the_sidecar_agree(tmp_path: Path) -> None:
    path = _seed_like(tmp_path, "doc.zh-TW.txt", {"region": "TW"})
    assert ingest_versions("doc", [path])["zh-Hant"].tag == "zh-Hant-TW"


@pytest.mark.parametrize(
    ("name", "region", "message"),
    [
        ("doc.zh-TW.txt", "HK", "doc.zh-TW.txt: the name says zh-Hant-TW but the sidecar says region HK; make them agree"),
        ("doc.zh-Hant.txt", "Taiwan", "doc.zh-Hant.txt: sidecar region 'Taiwan' is not a region code; use TW, HK, MO, CN or another ISO 3166 code"),
    ],
)
def test_a_bad_sidecar_region_is_one_line_naming_the_fix(tmp_path: Path, name: str, region: str, message: str) -> None:
    path = _seed_like(tmp_path, name, {"region": region})
    with pytest.raises(InputError) as err:
        ingest_versions("doc", [path])
    assert str(err.value) == f"{path.parent}/{message}"


def test_two_regions_of_one_script_in_one_document_are_a_clear_error(tmp_path: Path) -> None:
    paths = [_seed_like(tmp_path, "doc.zh-TW.txt"), _seed_like(tmp_path, "doc.zh-HK.txt")]
    with pytest.raises(CorpusError, match=r"already has a version tagged zh-Hant-HK \(from .*\); two regions of one script .* go in two documents") as err:
        ingest_versions("doc", sorted(paths))
    assert str(err.value).endswith("go in two documents: give one file another document name (e.g. doc-tw.zh-Hant-TW.txt)")
    assert "rename one of them" not in str(err.value)  # both files are tagged: renaming the tag is no fix


def test_tei_stores_the_region_in_xml_lang_and_the_header_and_reads_it_back() -> None:
    doc = Document("d", "zh-Hant", (Paragraph("zh-Hant.p1", (Sentence("zh-Hant.p1.s1", "軟體。"),)),), region="HK")
    root = etree.fromstring(document_to_tei(doc))
    assert root.get(XML_LANG) == "zh-Hant-HK"
    language = root.find(".//{http://www.tei-c.org/ns/1.0}language")
    assert (language.get("ident"), language.text) == ("zh-Hant-HK", "Chinese (Traditional script, Hong Kong)")
    assert tei_to_document(document_to_tei(doc), "d", "x") == doc


@pytest.mark.parametrize(
    ("tag", "name"),
    [("zh-Hant-TW", "Chinese (Traditional script, Taiwan)"), ("zh-Hant-MO", "Chinese (Traditional script, Macau)"),
     ("en-GB", "English (GB)"), ("zh-Hans", "Chinese (Simplified script)")],
)
def test_language_names_say_the_region(tag: str, name: str) -> None:
    assert language_name(tag) == name


def test_the_seed_traditional_version_is_for_taiwan_readers() -> None:
    seeds = sorted((ROOT / "seeds").glob(f"{SEED_ID}.zh-Hant.*"))
    assert ingest_versions(SEED_ID, [p for p in seeds if p.suffix == ".txt"])["zh-Hant"].tag == "zh-Hant-TW"
    root = etree.parse(str(ROOT / "corpora" / SEED_ID / "zh-Hant.xml")).getroot()
    assert root.get(XML_LANG) == "zh-Hant-TW"
    language = root.find(".//{http://www.tei-c.org/ns/1.0}language")
    assert (language.get("ident"), language.text) == ("zh-Hant-TW", "Chinese (Traditional script, Taiwan)")


# --- exports, the reader and `aligner show` show the region ------------------------------------

FORMATS_CORPUS = Path(__file__).parent / "data" / "formats" / "corpus"


def d1_for(region: str) -> ParallelText:
    """The formats fixture d1 with its Traditional version written for `region`."""
    text = load(FORMATS_CORPUS, "d1")
    return replace(text, versions={**text.versions, "zh-Hant": replace(text.versions["zh-Hant"], region=region)})


@pytest.mark.parametrize(
    ("region", "style", "codes"),
    [
        ("TW", "legacy", ("en", "zh-CN", "zh-TW")),
        ("HK", "legacy", ("en", "zh-CN", "zh-HK")),
        ("MO", "legacy", ("en", "zh-CN", "zh-MO")),
        ("", "legacy", ("en", "zh-CN", "zh-TW")),
        ("TW", "bcp47", ("en", "zh-Hans", "zh-Hant-TW")),
        ("HK", "bcp47", ("en", "zh-Hans", "zh-Hant-HK")),
        ("", "bcp47", ("en", "zh-Hans", "zh-Hant")),
    ],
)
def test_tmx_codes_carry_the_region_and_import_back_with_it(tmp_path: Path, region: str, style: str, codes: tuple[str, ...]) -> None:
    export([d1_for(region)], "tmx", ["en", "zh-Hans", "zh-Hant"], tmp_path / "x.tmx", Filters(), tag_style=style)
    tus = etree.parse(str(tmp_path / "x.tmx")).getroot().findall("body/tu")
    assert {tuple(tuv.get(XML_LANG) for tuv in tu.iter("tuv")) for tu in tus} == {codes}
    (back,) = import_files([tmp_path / "x.tmx"], "tmx", tmp_path / "corpus")
    assert {lang: doc.tag for lang, doc in back.versions.items()} == {lang: doc.tag for lang, doc in d1_for(region).versions.items()}


def test_tsv_jsonl_moses_and_xces_name_the_region(tmp_path: Path) -> None:
    text = d1_for("HK")
    export([text], "tsv", ["en", "zh-Hant"], tmp_path / "x.tsv", Filters())
    assert (tmp_path / "x.tsv").read_text(encoding="utf-8").splitlines()[0].split("\t")[-2:] == ["zh-Hant-HK_ids", "zh-Hant-HK"]
    export([text], "jsonl", ["en", "zh-Hant"], tmp_path / "x.jsonl", Filters())
    first = json.loads((tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["tags"] == {"en": "en", "zh-Hant": "zh-Hant-HK"}
    export([text], "moses", ["en", "zh-Hant"], tmp_path / "m", Filters())
    assert sorted(p.name for p in tmp_path.glob("m.*")) == ["m.en", "m.zh-Hant-HK"]
    (back,) = import_files([tmp_path / "m.en", tmp_path / "m.zh-Hant-HK"], "moses", tmp_path / "corpus")
    assert back.versions["zh-Hant"].tag == "zh-Hant-HK"
    export([text], "xces", ["en", "zh-Hant"], tmp_path / "xces", Filters())
    sentences = etree.parse(str(tmp_path / "xces" / "zh-Hant" / "d1.xml")).getroot()
    assert sentences.get(XML_LANG) == "zh-Hant-HK"


def test_the_reader_labels_and_tags_cells_with_the_region(tmp_path: Path) -> None:
    build_site([d1_for("TW")], tmp_path / "site")
    page = lxml.html.parse(str(tmp_path / "site" / "docs" / "d1.html")).getroot()
    assert "Chinese (Traditional script, Taiwan) (zh-Hant-TW)" in page.text_content()
    assert {c.get("lang") for c in page.xpath("//li/*[contains(@class, 'c-zh-Hant')]")} == {"zh-Hant-TW"}
    index = lxml.html.parse(str(tmp_path / "site" / "index.html")).getroot()
    assert "zh-Hant-TW" in index.text_content()


def test_show_names_versions_by_their_full_tag_and_refuses_another_region(tmp_path: Path) -> None:
    save(tmp_path, d1_for("TW"))
    runner = CliRunner()
    out = runner.invoke(main, ["show", "d1", "--corpus", str(tmp_path), "--range", "0:1"])
    assert out.exit_code == 0 and "  zh-Hant-TW: " in out.output
    as_json = json.loads(runner.invoke(main, ["show", "d1", "--corpus", str(tmp_path), "--json", "--langs", "en,zh-TW"]).output)
    assert as_json["tags"] == {"en": "en", "zh-Hant": "zh-Hant-TW"}
    wrong = runner.invoke(main, ["show", "d1", "--corpus", str(tmp_path), "--langs", "en,zh-HK"])
    assert wrong.exit_code == 1
    assert wrong.output.strip().splitlines()[-1] == "Error: --langs zh-HK: this document's zh-Hant version is zh-Hant-TW; ask for zh-Hant-TW or zh-Hant"


@pytest.mark.parametrize(("version", "path", "attr"), [("2.1", ".", "trgLang"), ("1.2", "{urn:oasis:names:tc:xliff:document:1.2}file", "target-language")])
def test_xliff_names_the_target_with_its_region(tmp_path: Path, version: str, path: str, attr: str) -> None:
    export([d1_for("HK")], "xliff", ["en", "zh-Hant"], tmp_path / "x.xlf", Filters(), xliff_version=version)
    root = etree.parse(str(tmp_path / "x.xlf")).getroot()
    assert root.find(path).get(attr) == "zh-Hant-HK"
    (back,) = import_files([tmp_path / "x.xlf"], "xliff", tmp_path / "corpus")
    assert back.versions["zh-Hant"].tag == "zh-Hant-HK"


def test_a_review_sheet_keeps_the_region_through_export_and_import(tmp_path: Path) -> None:
    export([d1_for("TW")], "xlsx", ["en", "zh-Hans", "zh-Hant"], tmp_path / "x.xlsx", Filters())
    (back,) = import_files([tmp_path / "x.xlsx"], "xlsx", tmp_path / "corpus")
    assert (back.versions["zh-Hant"].tag, back.versions["zh-Hans"].tag) == ("zh-Hant-TW", "zh-Hans")


def test_a_corpus_keyed_by_a_tag_with_a_region_still_loads(tmp_path: Path) -> None:
    """Before regions left the key, en-GB was a key of its own (en-GB.xml, en-GB.p1.s1)."""
    text = load(FORMATS_CORPUS, "d1")
    en = text.versions["en"]
    old = Document("d1", "en-GB", tuple(
        Paragraph(p.id.replace("en.", "en-GB.", 1), tuple(Sentence(s.id.replace("en.", "en-GB.", 1), s.text) for s in p.sentences), p.kind)
        for p in en.paragraphs
    ), en.meta)
    save(tmp_path, ParallelText("d1", {"en-GB": old, "zh-Hans": text.versions["zh-Hans"]}))
    assert (tmp_path / "d1" / "en-GB.xml").exists()
    assert load(tmp_path, "d1").versions["en-GB"] == old


def test_the_editor_names_versions_by_their_full_tag() -> None:
    from aligner.reader.editor_page import editor_page

    page = editor_page(d1_for("HK"), "token")
    options = [o.text for o in page.iter("option")]
    assert "en ↔ zh-Hant-HK" in options and "en ↔ zh-Hant" not in options
    data = json.loads(next(s for s in page.iter("script") if s.get("id") == "ui:data").text)
    assert data["tags"]["zh-Hant"] == "zh-Hant-HK" and data["tags"]["en"] == "en"
