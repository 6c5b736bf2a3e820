"""Subtitles: SRT/WebVTT in (cue times kept in TEI), alignment by cue times, SRT/VTT out, broken times refused."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path

import pytest
import srt
import webvtt
from click.testing import CliRunner

from aligner.align.bead import Bead
from aligner.align.timing import align_by_time, sentence_spans
from aligner.build import build
from aligner.cli import main
from aligner.corpus.store import load
from aligner.corpus.tei import document_to_tei, tei_to_document
from aligner.errors import InputError
from aligner.ingest.text import ingest_file

TEI_ALL = Path(__file__).parent / "data" / "tei" / "tei_all.rng"
EN = [(1000, 3500, "<i>The river is long.</i>"), (4000, 6000, "It flows east.\nBoats carry rice."), (7000, 9000, "Dams hold water.")]
ZH = [(1200, 3300, "这条河很长。"), (4100, 5000, "它向东流。"), (5000, 6100, "船运大米。"), (7100, 9000, "水坝蓄水。")]


def write_srt(path: Path, cues: list[tuple[int, int, str]]) -> Path:
    """An SRT file made with the srt library."""
    ms = datetime.timedelta(milliseconds=1)
    path.write_text(srt.compose([srt.Subtitle(n, a * ms, b * ms, t) for n, (a, b, t) in enumerate(cues, 1)]), encoding="utf-8")
    return path


def write_vtt(path: Path, cues: list[tuple[int, int, str]]) -> Path:
    """A WebVTT file made with webvtt-py."""
    def stamp(ms: int) -> str:
        return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"

    webvtt.WebVTT(captions=[webvtt.Caption(stamp(a), stamp(b), t) for a, b, t in cues]).save(str(path))
    return path


@pytest.mark.parametrize("writer", [write_srt, write_vtt], ids=["srt", "vtt"])
def test_cues_become_timed_paragraphs_and_survive_tei(tmp_path: Path, writer: object) -> None:
    suffix = ".srt" if writer is write_srt else ".vtt"
    path = writer(tmp_path / f"film.en{suffix}", EN)  # type: ignore[operator]
    doc = ingest_file(path)
    assert [(p.id, p.start, p.end, [s.text for s in p.sentences]) for p in doc.paragraphs] == [
        ("en.p1", 1000, 3500, ["The river is long."]),
        ("en.p2", 4000, 6000, ["It flows east.", "Boats carry rice."]),
        ("en.p3", 7000, 9000, ["Dams hold water."]),
    ]
    data = document_to_tei(doc)
    assert b'<when xml:id="en.p2.start" interval="4000" since="#en.t0"/>' in data
    assert b'<p xml:id="en.p2" synch="#en.p2.start #en.p2.end">' in data
    assert tei_to_document(data, doc.doc_id, "x") == doc


@pytest.mark.skipif(shutil.which("jing") is None or not TEI_ALL.exists(), reason="needs jing and tei_all.rng")
def test_timed_tei_is_valid_against_tei_all(tmp_path: Path) -> None:
    out = tmp_path / "en.xml"
    out.write_bytes(document_to_tei(ingest_file(write_srt(tmp_path / "film.en.srt", EN))))
    result = subprocess.run(["jing", str(TEI_ALL), str(out)], capture_output=True, text=True, timeout=300)
    assert result.stdout == "", result.stdout


BROKEN = [
    ("bad.en.srt", "1\n00:00:01,000 --> 00:00:0x,500\nHello.\n", "bad.en.srt:2: broken time line '00:00:01,000 --> 00:00:0x,500'; write it as HH:MM:SS,mmm --> HH:MM:SS,mmm"),
    ("bad.en.vtt", "WEBVTT\n\n00:01.000 --> 00:0x.500\nHi.\n", "bad.en.vtt:3: broken time line '00:01.000 --> 00:0x.500'; write it as HH:MM:SS.mmm --> HH:MM:SS.mmm"),
    ("back.en.srt", "1\n00:00:05,000 --> 00:00:03,500\nHello.\n", "back.en.srt: cue 1 ends before it starts (5000 ms → 3500 ms); fix its time line"),
    ("nohead.en.vtt", "00:01.000 --> 00:02.500\nHi.\n", "nohead.en.vtt: broken WebVTT"),
]


@pytest.mark.parametrize(("name", "content", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_times_are_one_line_errors_and_nothing_is_built(tmp_path: Path, name: str, content: str, message: str) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / name).write_text(content, encoding="utf-8")
    write_srt(seeds / f"{name.split('.')[0]}.zh-Hans.srt", ZH)
    result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--corpus", str(tmp_path / "c")])
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "c").exists()


SPANS = [(0, 2000), (2000, 4000), (5000, 7000), (8000, 9000), (9500, 11000)]
TIMING_CASES = [
    ("same cues", SPANS, [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,)), ((4,), (4,))]),
    ("split and merged", [(100, 1900), (2100, 3000), (3000, 3900), (5000, 9000), (9600, 11000)],
     [((0,), (0,)), ((1,), (1, 2)), ((2, 3), (3,)), ((4,), (4,))]),
    ("a cue missing", [(0, 2000), (5100, 7000), (8000, 9000), (9500, 11000)],
     [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), (2,)), ((4,), (3,))]),
    ("offset by 3.2 s", [(a + 3200, b + 3200) for a, b in SPANS], [((i,), (i,)) for i in range(5)]),
    ("25 against 23.976 fps", [(round(a * 25 / 23.976), round(b * 25 / 23.976)) for a, b in SPANS], [((i,), (i,)) for i in range(5)]),
]


@pytest.mark.parametrize(("label", "tgt", "expected"), TIMING_CASES, ids=[c[0] for c in TIMING_CASES])
def test_alignment_by_cue_overlap(label: str, tgt: list[tuple[int, int]], expected: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> None:
    beads = align_by_time(SPANS, tgt)
    assert [(b.src, b.tgt) for b in beads] == expected
    assert all(0 <= b.confidence <= 1 for b in beads)


def test_cues_that_never_overlap_are_not_linked() -> None:
    assert sorted(align_by_time([(0, 1000)], [(60_000, 61_000)]), key=str) == [Bead((), (0,), 1.0), Bead((0,), (), 1.0)]


def test_a_cue_with_two_sentences_shares_its_time_by_length(tmp_path: Path) -> None:
    doc = ingest_file(write_srt(tmp_path / "f.en.srt", [(0, 3000, "Go. Come back here now.")]))
    assert sentence_spans(doc) == [(0, 409), (409, 3000)]  # 3 and 19 characters of 3 s


def test_build_aligns_two_subtitle_files_by_time_and_exports_on_source_timing(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    write_srt(seeds / "film.en.srt", EN)
    write_vtt(seeds / "film.zh-Hans.vtt", ZH)
    build(seeds, tmp_path / "c")
    text = load(tmp_path / "c", "film")
    al = text.alignment("en", "zh-Hans")
    assert al is not None and "subtitle timing" in al.signature
    assert [(lk.src, lk.tgt) for lk in al.links] == [
        (("en.p1.s1",), ("zh-Hans.p1.s1",)), (("en.p2.s1",), ("zh-Hans.p2.s1",)),
        (("en.p2.s2",), ("zh-Hans.p3.s1",)), (("en.p3.s1",), ("zh-Hans.p4.s1",)),
    ]
    runner = CliRunner()
    for fmt in ("srt", "vtt"):
        out = tmp_path / f"zh.{fmt}"
        result = runner.invoke(main, ["export", "film", "--corpus", str(tmp_path / "c"), "--format", fmt, "--langs", "en,zh-Hans", "-o", str(out)])
        assert result.exit_code == 0, result.output
        back = ingest_file(out, lang="zh-Hans")
        assert [(p.start, p.end, [s.text for s in p.sentences]) for p in back.paragraphs] == [
            (1000, 3500, ["这条河很长。"]), (4000, 6000, ["它向东流。", "船运大米。"]), (7000, 9000, ["水坝蓄水。"]),
        ]


def test_subtitle_export_needs_a_timed_source(tmp_path: Path) -> None:
    from test_formats_roundtrip import CORPUS

    from aligner.formats.export import export
    from aligner.formats.filters import Filters

    with pytest.raises(InputError, match="d1: the en version has no cue times; subtitle export needs a version ingested from .srt or .vtt"):
        export([load(CORPUS, "d1")], "srt", ["en", "zh-Hans"], tmp_path / "x.srt", Filters())


def test_align_command_uses_cue_times_for_two_subtitle_files(tmp_path: Path) -> None:
    en, zh = write_srt(tmp_path / "en.srt", EN), write_srt(tmp_path / "zh.srt", ZH)
    result = CliRunner().invoke(main, ["align", str(en), str(zh), "--src-lang", "en", "--tgt-lang", "zh-Hans"])
    assert result.exit_code == 0, result.output
    assert result.output.split("\n")[:4] == ["[0]:[0]", "[1]:[1]", "[2]:[2]", "[3]:[3]"]
