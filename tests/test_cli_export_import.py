"""The export and import commands: reports, skipped omissions on stderr, exact one-line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

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
                               "documents_left_out": {}, "skipped": []}


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
