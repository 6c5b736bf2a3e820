"""The export and import commands: reports, skipped omissions on stderr, exact one-line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from aligner.cli import main

DATA = Path(__file__).parent / "data" / "formats"
ALIGN = Path(__file__).parent / "data" / "align"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_export_tmx_reports_skipped_omissions(tmp_path: Path) -> None:
    code, out, err = run("export", "d1", "--format", "tmx", "--langs", "en,zh-Hans", "-o", str(tmp_path / "x.tmx"),
                         "--corpus", str(DATA / "corpus"))
    assert code == 0
    assert err == "Skipped 1 units: omissions (a side is empty; not representable)\n"
    assert out == f"Wrote 4 units to {tmp_path / 'x.tmx'}\n"


def test_export_tmx_langs_bcp47_writes_script_tags(tmp_path: Path) -> None:
    code, _, _ = run("export", "d1", "--format", "tmx", "--langs", "en,zh-Hant", "--tmx-langs", "bcp47",
                     "-o", str(tmp_path / "x.tmx"), "--corpus", str(DATA / "corpus"))
    assert code == 0
    assert '<tuv xml:lang="zh-Hant">' in (tmp_path / "x.tmx").read_text(encoding="utf-8")
    assert "--tmx-langs [legacy|bcp47]" in run("export", "--help")[1]


def test_export_json_report_with_filters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA)  # a corpus folder given as the target (relative: store.resolve joins it to --corpus)
    code, out, _ = run("export", "corpus", "--format", "jsonl", "--langs", "en,zh-Hans", "--types", "1-1",
                       "--min-confidence", "0.5", "-o", str(tmp_path / "x.jsonl"), "--json", "--corpus", str(tmp_path))
    assert code == 0
    assert json.loads(out) == {"files": [str(tmp_path / "x.jsonl")], "units": 5, "dropped": {"confidence": 2, "type": 1},
                               "documents_left_out": {}, "mixed_tags": {}, "skipped": []}


def test_import_then_show_lists_the_document(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    code, out, _ = run("import", str(DATA / "intertext" / "story.en.story.zh.xml"), "--format", "intertext",
                       "--langs", "en,zh-Hans", "--corpus", str(corpus))
    assert code == 0
    assert out == f"Imported story into {corpus}: sentences en 4, zh-Hans 2; links en-zh-Hans 3\n"
    assert run("show", "--list", "--corpus", str(corpus))[1] == "story\n"


def test_import_moses_count_mismatch_is_one_line(tmp_path: Path) -> None:
    shutil.copy(DATA / "bad" / "two.en", tmp_path / "two.en")
    shutil.copy(DATA / "bad" / "two.zh-Hans", tmp_path / "two.zh-Hans")
    code, out, err = run("import", str(tmp_path / "two.en"), str(tmp_path / "two.zh-Hans"), "--format", "moses",
                         "--corpus", str(tmp_path / "c"))
    assert (code, out) == (1, "")
    assert err == f"Error: {tmp_path}/two.en has 3 lines but {tmp_path}/two.zh-Hans has 2; Moses files must be line-aligned\n"
    assert not (tmp_path / "c").exists()


def test_export_unknown_document_is_one_line(tmp_path: Path) -> None:
    code, _, err = run("export", "nope", "--format", "tmx", "-o", str(tmp_path / "x"), "--corpus", str(DATA / "corpus"))
    assert code == 1
    assert err == "Error: nope: not a document id in " + str(DATA / "corpus") + " nor a corpus folder; see `aligner show --list`\n"


@pytest.mark.parametrize(
    "command",
    [
        ["export", "d1", "--format", "tmx", "--langs", "en,zh-Hans", "-o", "{out}/x.tmx"],
        ["html", "d1", "-o", "{out}/site"],
        ["qa", "d1", "--html", "{out}/qa.html"],
        ["align", str(ALIGN / "report.zh-Hans"), str(ALIGN / "report.zh-Hant"), "--src-lang", "zh-Hans",
         "--tgt-lang", "zh-Hant", "--presplit", "-o", "{out}/x.align"],
    ],
)
def test_an_output_path_through_a_file_is_one_line(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "taken").write_text("a file, not a folder")
    args = [arg.format(out=tmp_path / "taken" / "sub") for arg in command]
    code, _, err = run(*args, *(["--corpus", str(DATA / "corpus")] if command[0] != "align" else []))
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"Error: {tmp_path / 'taken' / 'sub'}/")
    assert err.endswith(f": cannot write ({tmp_path / 'taken'} is a file, not a folder); choose another path\n")


def test_a_corpus_whose_documents_have_different_languages_exports_what_they_share(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "corpus" / "d1", corpus / "d1")  # en, zh-Hans, zh-Hant
    tmx = tmp_path / "two.tmx"
    tmx.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence"'
        ' o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/><body><tu><tuv xml:lang="en"><seg>Hello there.'
        '</seg></tuv><tuv xml:lang="zh-CN"><seg>你好。</seg></tuv></tu></body></tmx>', encoding="utf-8",
    )
    code, _, err = run("import", str(tmx), "--format", "tmx", "--corpus", str(corpus))
    assert code == 0, err
    code, out, err = run("export", str(corpus), "--format", "csv", "-o", str(tmp_path / "x.csv"), "--json")
    assert code == 0 and err == "Left out zh-Hant: not in every document; name it in --langs to export the documents that have it\n"
    assert json.loads(out)["documents_left_out"] == {}
    header = (tmp_path / "x.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert "en" in header and "zh-Hans" in header and not any(h.startswith("zh-Hant") for h in header)
    code, out, err = run("export", str(corpus), "--format", "tmx", "--langs", "en,zh-Hant", "-o", str(tmp_path / "x.tmx"))
    assert code == 0 and "Skipped document two: it has no zh-Hant version\n" in err
    assert "你好" not in (tmp_path / "x.tmx").read_text(encoding="utf-8")
    code, out, err = run("export", str(corpus), "--format", "tsv", "--langs", "en,de", "-o", str(tmp_path / "x.tsv"))
    assert code == 1 and err == "Error: no document has all of en, de; choose languages they share with --langs\n"


def _two_regions(corpus: Path) -> None:
    """The formats fixture twice: as tw with a Taiwan Traditional version, as hk with a Hong Kong one."""
    from dataclasses import replace

    from aligner.corpus.store import load, save

    text = load(DATA / "corpus", "d1")
    for doc_id, region in (("tw", "TW"), ("hk", "HK")):
        versions = {lang: replace(doc, doc_id=doc_id, region=region if lang == "zh-Hant" else "") for lang, doc in text.versions.items()}
        save(corpus, replace(text, doc_id=doc_id, versions=versions))


def test_a_regional_tag_exports_that_regions_versions_only(tmp_path: Path) -> None:
    """--langs en,zh-Hant-HK exported the Taiwan document too; zh-Hant takes both and says so."""
    _two_regions(tmp_path / "c")
    c = ["--corpus", str(tmp_path / "c")]
    code, _, err = run("export", str(tmp_path / "c"), "--format", "tmx", "--tmx-langs", "bcp47", "--langs", "en,zh-Hant-HK", "-o", str(tmp_path / "hk.tmx"), *c)
    assert (code, err.splitlines()[0]) == (0, "Skipped document tw: it has no zh-Hant-HK version")
    assert {tu.get("{http://www.w3.org/XML/1998/namespace}lang") for tu in _tuvs(tmp_path / "hk.tmx")} == {"en", "zh-Hant-HK"}
    code, _, err = run("export", str(tmp_path / "c"), "--format", "jsonl", "--langs", "en,zh-Hant", "-o", str(tmp_path / "x.jsonl"), *c)
    assert (code, err) == (0, "Note: zh-Hant is zh-Hant-HK, zh-Hant-TW in different documents; name one in --langs to export one region\n")
    lines = (tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["tags"]["zh-Hant"] for line in lines} == {"zh-Hant-HK", "zh-Hant-TW"}
    code, _, err = run("export", str(tmp_path / "c"), "--format", "tsv", "--langs", "en,zh", "-o", str(tmp_path / "x.tsv"), *c)
    assert (code, err) == (1, "Error: --langs zh: stands for zh-Hans and zh-Hant here; name one of them\n")


def _tuvs(path: Path) -> list[etree._Element]:
    return list(etree.parse(str(path)).getroot().iter("tuv"))


TMX_HEAD = ('<?xml version="1.0"?><tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence"'
            ' o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/><body>')


@pytest.mark.parametrize(("name", "text", "message"), [
    ("mixed.tmx", TMX_HEAD + '\n<tu><tuv xml:lang="en"><seg>Update the software.</seg></tuv><tuv xml:lang="zh-TW"><seg>更新軟體。</seg></tuv></tu>'
     '\n<tu><tuv xml:lang="en"><seg>Read the news.</seg></tuv><tuv xml:lang="zh-HK"><seg>閱讀信息。</seg></tuv></tu></body></tmx>',
     "{p}:3: zh-Hant-HK in a document whose zh-Hant version is zh-Hant-TW; two regions of one script go in two documents: "
     "give each region's <tu>s an x-doc-id of their own"),
    ("two.xlf", '<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
     '<file original="r" source-language="en" target-language="zh-TW" datatype="plaintext"><body><trans-unit id="1"><source>Update.</source><target>更新軟體。</target></trans-unit></body></file>\n'
     '<file original="r" source-language="en" target-language="zh-HK" datatype="plaintext"><body><trans-unit id="1"><source>Update.</source><target>更新軟件。</target></trans-unit></body></file></xliff>',
     "{p}:2: zh-Hant-HK in a document whose zh-Hant version is zh-Hant-TW; two regions of one script go in two documents: "
     "give each region's <file> an original of its own"),
])
def test_an_import_never_merges_two_regions_into_one_version(tmp_path: Path, name: str, text: str, message: str) -> None:
    """A Taiwan and a Hong Kong text of one document became one version tagged with the last region seen."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, _, err = run("import", str(path), "--format", name.rsplit(".", 1)[1].replace("xlf", "xliff"), "--corpus", str(tmp_path / "c"))
    assert (code, err) == (1, "Error: " + message.format(p=path) + "\n")
    assert not (tmp_path / "c").exists()


def test_replace_keeps_a_versions_region_and_refuses_another(tmp_path: Path) -> None:
    """A sheet of Taiwan and Hong Kong documents (one zh-Hant column) came back region-less; a Hong
    Kong file laid over a Taiwan version replaced it."""
    corpus = tmp_path / "c"
    _two_regions(corpus)
    c = ["--corpus", str(corpus)]
    assert run("export", str(corpus), "--format", "xlsx", "--langs", "en,zh-Hant", "-o", str(tmp_path / "x.xlsx"), *c)[0] == 0
    assert run("import", str(tmp_path / "x.xlsx"), "--format", "xlsx", "--replace", *c)[0] == 0
    tags = {doc: run("show", doc, "--json", *c)[1] for doc in ("tw", "hk")}
    assert [json.loads(out)["tags"]["zh-Hant"] for out in tags.values()] == ["zh-Hant-TW", "zh-Hant-HK"]
    assert run("export", "tw", "--format", "xliff", "--langs", "en,zh-Hant", "-o", str(tmp_path / "tw.xlf"), *c)[0] == 0
    xlf = tmp_path / "tw.xlf"
    xlf.write_text(xlf.read_text(encoding="utf-8").replace("zh-Hant-TW", "zh-Hant-HK"), encoding="utf-8")
    code, _, err = run("import", str(xlf), "--format", "xliff", "--replace", *c)
    assert (code, err) == (1, f"Error: {corpus / 'tw'}: zh-Hant-HK in a document whose zh-Hant version is zh-Hant-TW; two regions "
                              f"of one script go in two documents: import it under another document id, or remove {corpus / 'tw'} to replace it whole\n")


def test_moses_files_of_two_regions_are_named(tmp_path: Path) -> None:
    for name, line in (("x.en", "Update."), ("x.zh-Hant-TW", "更新軟體。"), ("x.zh-Hant-HK", "更新軟件。")):
        (tmp_path / name).write_text(line + "\n", encoding="utf-8")
    code, _, err = run("import", *(str(tmp_path / n) for n in ("x.en", "x.zh-Hant-TW", "x.zh-Hant-HK")), "--format", "moses", "--corpus", str(tmp_path / "c"))
    assert (code, err) == (1, f"Error: {tmp_path}/x.zh-Hant-TW and {tmp_path}/x.zh-Hant-HK are both zh-Hant versions; give one file "
                              "per version (two regions of one script go in two documents)\n")


def test_xces_files_of_two_regions_of_one_document_are_refused(tmp_path: Path) -> None:
    """A Hong Kong sentence file of document tw overwrote its Taiwan one, and the import failed on an invalid align.xml."""
    _two_regions(tmp_path / "c")
    out = tmp_path / "x"
    assert run("export", "tw", "--format", "xces", "--langs", "en,zh-Hant", "-o", str(out), "--corpus", str(tmp_path / "c"))[0] == 0
    (out / "hk").mkdir()
    (out / "hk" / "tw.xml").write_text((out / "zh-Hant" / "tw.xml").read_text(encoding="utf-8").replace("zh-Hant-TW", "zh-Hant-HK"), encoding="utf-8")
    (out / "en-hk.xml").write_text((out / "en-zh-Hant.xml").read_text(encoding="utf-8").replace("zh-Hant/tw.xml", "hk/tw.xml"), encoding="utf-8")
    code, _, err = run("import", str(out / "en-zh-Hant.xml"), str(out / "en-hk.xml"), "--format", "xces", "--corpus", str(tmp_path / "new"))
    assert (code, err) == (1, f"Error: {out / 'hk' / 'tw.xml'}: zh-Hant-HK in a document whose zh-Hant version is zh-Hant-TW; two regions "
                              "of one script go in two documents: put each region's sentence files under a document name of their own\n")
