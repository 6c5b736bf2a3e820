"""Where an export's data and report go: through symbolic links, FIFOs and standard output (the
report then on stderr), a closed pipe; XCES filtered once as the other formats are; JSONL lines;
XLSX QA on the versions exported."""

from __future__ import annotations

import json
import logging
import os
import re
import stat
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from aligner.cli import main
from aligner.corpus.model import ParallelText, Sentence
from aligner.corpus.store import load
from aligner.errors import InputError
from aligner.formats.export import export
from aligner.formats.filters import Filters
from aligner.formats.imports import import_files

CORPUS = Path(__file__).parent / "data" / "formats" / "corpus"
TSV = ["export", "d1", "--format", "tsv", "--langs", "en,zh-Hans", "--corpus", str(CORPUS)]


def d1() -> ParallelText:
    return load(CORPUS, "d1")


def tsv_bytes(tmp_path: Path) -> bytes:
    """The TSV export of d1 (en, zh-Hans), written to a plain file."""
    result = CliRunner().invoke(main, [*TSV, "-o", str(tmp_path / "plain.tsv")])
    assert result.exit_code == 0, result.output
    return (tmp_path / "plain.tsv").read_bytes()


def aligner(*args: str, stdout: int | object = subprocess.PIPE) -> subprocess.Popen[bytes]:
    """The command line in a process of its own, whose stdout is a real descriptor (`stdout`)."""
    return subprocess.Popen([sys.executable, "-c", "from aligner.cli import main; main()", *args],
                            stdout=stdout, stderr=subprocess.PIPE)  # type: ignore[arg-type]  # fmt: skip


def test_an_output_path_that_is_a_symlink_replaces_the_file_it_leads_to_and_stays_a_link(tmp_path: Path) -> None:
    """The temporary file was renamed over the link, which became a plain file; the file it led
    to kept its old bytes. A FIFO, or a link to one, is written into, not replaced."""
    (tmp_path / "real.tsv").write_text("old\n")
    (tmp_path / "link.tsv").symlink_to("real.tsv")
    (tmp_path / "new.tsv").symlink_to(tmp_path / "sub" / "made.tsv")  # a dangling link: the file is made where it leads
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "to-fifo").symlink_to("fifo")
    got: list[bytes] = []
    for name in ("link.tsv", "new.tsv", "fifo", "to-fifo"):
        reader = threading.Thread(target=lambda: got.append((tmp_path / "fifo").read_bytes()), daemon=True)  # never holds pytest up
        if "fifo" in name:
            reader.start()
        result = CliRunner().invoke(main, [*TSV, "-o", str(tmp_path / name)])
        assert (result.exit_code, result.stdout) == (0, f"Wrote 5 units to {tmp_path / name}\n")
        if "fifo" in name:
            reader.join(timeout=60)
            assert not reader.is_alive()
    assert os.readlink(tmp_path / "link.tsv") == "real.tsv" and os.readlink(tmp_path / "new.tsv") == str(tmp_path / "sub" / "made.tsv")
    assert stat.S_ISFIFO((tmp_path / "fifo").lstat().st_mode) and os.readlink(tmp_path / "to-fifo") == "fifo"
    expected = tsv_bytes(tmp_path)
    assert [(tmp_path / "real.tsv").read_bytes(), (tmp_path / "sub" / "made.tsv").read_bytes(), *got] == [expected] * 4


def test_a_link_to_this_process_stdout_writes_into_stdout_and_the_report_goes_to_stderr(tmp_path: Path) -> None:
    """As root, -o /dev/stdout with stdout redirected to a file replaced /dev/stdout with a plain
    file, and the file got only "Wrote 5 units"; here a link of ours stands for /dev/stdout."""
    (tmp_path / "mystdout").symlink_to("/proc/self/fd/1")
    out = tmp_path / "out.tsv"
    out.write_bytes(b"before\n")
    with open(out, "ab") as appended:  # a shell's >>: what stdout held stays
        done = aligner(*TSV, "-o", str(tmp_path / "mystdout"), stdout=appended)
        _, err = done.communicate(timeout=120)
    assert (done.returncode, err.decode()) == (0, f"Wrote 5 units to {tmp_path / 'mystdout'}\n")
    assert os.readlink(tmp_path / "mystdout") == "/proc/self/fd/1"
    assert out.read_bytes() == b"before\n" + tsv_bytes(tmp_path)


@pytest.mark.parametrize("as_json", [False, True])
def test_data_on_a_stdout_pipe_is_the_data_alone(tmp_path: Path, as_json: bool) -> None:
    """The report was printed on stdout after </tmx>, which made the TMX invalid; --json's too."""
    (tmp_path / "mystdout").symlink_to("/proc/self/fd/1")
    done = aligner(*TSV[:2], "--format", "tmx", *TSV[4:], "-o", str(tmp_path / "mystdout"), *(["--json"] if as_json else []))
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0
    assert [tu.findtext("tuv/seg") for tu in etree.fromstring(out).iter("tu")][0] == "Rivers of China"
    note = "Skipped 1 units: omissions (a side is empty; not representable)\n"
    if as_json:
        assert json.loads(err)["files"] == [str(tmp_path / "mystdout")] and json.loads(err)["units"] == 4
    else:
        assert err.decode() == f"{note}Wrote 4 units to {tmp_path / 'mystdout'}\n"


def test_a_closed_pipe_ends_the_export_quietly_as_show_does(tmp_path: Path) -> None:
    """`| head -1` printed "Error: /dev/stdout: cannot write (Broken pipe); choose another path"."""
    (tmp_path / "mystdout").symlink_to("/proc/self/fd/1")
    read, write = os.pipe()
    os.close(read)  # the reader is gone before a byte is written
    done = aligner(*TSV, "-o", str(tmp_path / "mystdout"), stdout=write)
    os.close(write)
    _, err = done.communicate(timeout=120)
    assert (done.returncode, err.decode()) == (1, "")


def _links(path: Path) -> dict[str, list[str]]:
    """An XCES alignment file's links by document: their xtargets."""
    root = etree.parse(str(path)).getroot()
    return {grp.get("fromDoc", "").split("/")[1]: [lk.get("xtargets", "") for lk in grp] for grp in root.iter("linkGrp")}


def test_xces_dedupes_across_the_corpus_and_counts_what_it_drops_once(tmp_path: Path) -> None:
    """--dedupe removed repeats within a document only (TMX: across the corpus), and each dropped
    link was counted twice: by the filters of the batch and again by the writer's."""
    text = d1()
    twin = replace(text, doc_id="twin", versions={lang: replace(doc, doc_id="twin") for lang, doc in text.versions.items()})
    report = export([text, twin], "xces", ["en", "zh-Hans"], tmp_path / "x", Filters(dedupe=True))
    links = _links(tmp_path / "x" / "en-zh-Hans.xml")
    assert (len(links["d1.xml"]), links["twin.xml"]) == (5, [])
    assert (report.units, report.dropped) == (5, {"duplicate": 5})
    report = export([text], "xces", ["en", "zh-Hans"], tmp_path / "y", Filters(min_confidence=0.5))
    assert (report.units, report.dropped, len(_links(tmp_path / "y" / "en-zh-Hans.xml")["d1.xml"])) == (3, {"confidence": 2}, 3)


def test_xces_of_three_languages_counts_the_links_it_writes_and_takes_a_pairs_types(tmp_path: Path) -> None:
    """--types 1-1-1 wrote pair files of no link and reported 'Wrote 4 units'; the count was of
    rows across the three versions, not of the links the three pair files hold."""
    langs = ["en", "zh-Hans", "zh-Hant"]
    with pytest.raises(InputError, match="--types 1-1-1: xces writes each pair of languages apart, and a type counts the sentences of a pair's two sides: e.g. 1-1 or 2-1"):
        export([d1()], "xces", langs, tmp_path / "x", Filters(types=frozenset({"1-1-1"})))
    report = export([d1()], "xces", langs, tmp_path / "x", Filters(types=frozenset({"1-1"})))
    written = {pair: _links(tmp_path / "x" / f"{pair}.xml")["d1.xml"] for pair in ("en-zh-Hans", "en-zh-Hant", "zh-Hans-zh-Hant")}
    assert {pair: len(links) for pair, links in written.items()} == {"en-zh-Hans": 3, "en-zh-Hant": 3, "zh-Hans-zh-Hant": 4}
    assert (report.units, report.dropped) == (10, {"type": 4})
    report = export([d1()], "xces", langs, tmp_path / "y", Filters(dedupe=True))  # en.p2.s2's omission is in two pairs, not twice in one
    assert (report.units, report.dropped) == (14, {})


@pytest.mark.parametrize("certainty", ["abc", "nan", ""])
def test_xces_certainty_that_is_not_a_number_is_refused_with_its_line(tmp_path: Path, certainty: str) -> None:
    """It was read as 1.0 in silence."""
    export([d1()], "xces", ["en", "zh-Hans"], tmp_path / "x", Filters())
    al = tmp_path / "x" / "en-zh-Hans.xml"
    lines = al.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if 'certainty="0.800"' in line)
    al.write_text(al.read_text(encoding="utf-8").replace('certainty="0.800"', f'certainty="{certainty}"'), encoding="utf-8")
    message = f"{al}:{number}: certainty '{certainty}' is not a number; write one from 0 to 1, or remove the attribute"
    with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
        import_files([al], "xces", tmp_path / "corpus")


def test_xces_certainty_beyond_0_and_1_is_read_as_the_nearer_and_said(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """1.5 became 1.0 in silence; OPUS ships aligners' scores (-0.06) as certainties, so they are kept readable."""
    export([d1()], "xces", ["en", "zh-Hans"], tmp_path / "x", Filters())
    al = tmp_path / "x" / "en-zh-Hans.xml"
    lines = al.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if 'certainty="0.800"' in line)
    al.write_text(al.read_text(encoding="utf-8").replace('"0.800"', '"1.5"').replace('"0.300"', '"-0.06"'), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        (back,) = import_files([al], "xces", tmp_path / "corpus")
    assert [lk.confidence for lk in back.alignments[0].links] == [0.95, 1.0, 0.6, 0.0, 0.1]
    assert caplog.messages == [f"{al}:{number}: a certainty beyond 0 and 1 (an aligner's score, as OPUS ships them), read as "
                               "the nearer of 0 and 1; 2 links have one"]


def test_jsonl_escapes_the_line_breaks_json_leaves_raw(tmp_path: Path) -> None:
    """U+2028, U+2029 and NEL were written raw: a reader splitting lines with str.splitlines saw more lines than units."""
    text = d1()
    odd = "Dams\u2028hold\u2029water\x85."
    en = text.versions["en"]
    paras = tuple(replace(p, sentences=tuple(Sentence(s.id, odd) if s.id == "en.p2.s1" else s for s in p.sentences)) for p in en.paragraphs)
    text = replace(text, versions={**text.versions, "en": replace(en, paragraphs=paras)})
    export([text], "jsonl", ["en", "zh-Hans"], tmp_path / "x.jsonl", Filters())
    lines = (tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 and json.loads(lines[3])["text"]["en"] == odd
    assert "\\u2028hold\\u2029water\\u0085." in lines[3]


def test_xlsx_checks_only_the_versions_it_exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QA ran on every pair of every version (zh-Hant's too, for an en,zh-Hans sheet), for findings
    the sheet then left out (1.9 s of QA's 3.1 on 50 Bible books, half of them with zh-Hant)."""
    import aligner.qa.run

    checked: list[set[str]] = []

    def run_qa(texts: list[ParallelText]) -> list[object]:
        checked.extend({*t.versions, *(lang for al in t.alignments for lang in al.pair)} for t in texts)
        return []

    monkeypatch.setattr(aligner.qa.run, "run_qa", run_qa)
    result = CliRunner().invoke(main, [*TSV[:2], "--format", "xlsx", *TSV[4:], "-o", str(tmp_path / "x.xlsx")])
    assert (result.exit_code, checked) == (0, [{"en", "zh-Hans"}])


def test_one_file_written_through_a_symlink_replaces_what_it_leads_to(tmp_path: Path) -> None:
    """`write_atomic` (align -o, qa --html, eval --save) renamed its temp file over the link itself."""
    from aligner.corpus.store import write_atomic

    (tmp_path / "real.html").write_bytes(b"old")
    (tmp_path / "report.html").symlink_to("real.html")
    assert write_atomic(tmp_path / "report.html", b"new") is True
    assert (tmp_path / "report.html").is_symlink() and (tmp_path / "real.html").read_bytes() == b"new"
    assert write_atomic(tmp_path / "report.html", [b"ne", b"w"]) and not write_atomic(tmp_path / "report.html", b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["real.html", "report.html"]
