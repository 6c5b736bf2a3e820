"""Subtitles: SRT/WebVTT in (cue times kept in TEI), alignment by cue times, SRT/VTT out, broken times refused."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
import srt
import webvtt
from click.testing import CliRunner

from aligner.align.bead import Bead
from aligner.align.timing import align_by_time, sentence_spans
from aligner.build import build
from aligner.cli import main
from aligner.corpus.model import Alignment, Document, Link, Paragraph, ParallelText, Sentence
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


def sentences(path: Path, lang: str = "en") -> list[tuple[int | None, int | None, list[str]]]:
    """A subtitle file's cues as read: start, end and sentences."""
    return [(p.start, p.end, [s.text for s in p.sentences]) for p in ingest_file(path, lang=lang).paragraphs]


def test_only_markup_tags_are_removed_and_angle_brackets_in_text_stay(tmp_path: Path) -> None:
    path = tmp_path / "lt.en.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:03,000\n<i>If</i> x < 5 and y > 3, stop.\n\n"
        '2\n00:00:04,000 --> 00:00:06,000\n{\\an8}<FONT color="#ffff00">Run</FONT> <b>a</b> <u>b</u> -> c.\n\n',
        encoding="utf-8",
    )
    assert sentences(path) == [(1000, 3000, ["If x < 5 and y > 3, stop."]), (4000, 6000, ["Run a b -> c."])]


def test_webvtt_character_references_are_decoded_after_tags_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "amp.en.vtt"
    path.write_text(
        "WEBVTT\n\n00:01.000 --> 00:03.000\n<v Tom>Tom &amp; <c.yellow>Jerry</c> say a &lt; b&#44; &#x26;lt; is &lt;i&gt;.</v>\n\n"
        "00:04.000 --> 00:06.000\nAT&T <00:04.500>pays&nbsp;&#8212;&rlm; &unknown; stays.\n",
        encoding="utf-8",
    )
    assert sentences(path) == [
        (1000, 3000, ["Tom & Jerry say a < b, &lt; is <i>."]), (4000, 6000, ["AT&T pays —\u200f &unknown; stays."]),
    ]


def test_srt_cues_out_of_order_are_read_and_aligned_in_time_order(tmp_path: Path) -> None:
    en = tmp_path / "ord.en.srt"
    en.write_text(
        "2\n00:00:05,000 --> 00:00:07,000\nThe second line.\n\n1\n00:00:01,000 --> 00:00:03,000\nThe first line.\n\n"
        "4\n00:00:05,000 --> 00:00:06,000\nSaid at the same time.\n\n3\n00:00:09,000 --> 00:00:11,000\nThe third line.\n\n",
        encoding="utf-8",
    )
    assert sentences(en) == [
        (1000, 3000, ["The first line."]), (5000, 7000, ["The second line."]),
        (5000, 6000, ["Said at the same time."]), (9000, 11000, ["The third line."]),
    ]
    zh = write_srt(tmp_path / "ord.zh.srt", [(1000, 3000, "第一行。"), (5000, 7000, "第二行。"), (9000, 11000, "第三行。")])
    result = CliRunner().invoke(main, ["align", str(en), str(zh), "--src-lang", "en", "--tgt-lang", "zh-Hans", "--format", "tsv"])
    assert result.exit_code == 0, result.output
    assert [line.split("\t")[:2] for line in result.output.splitlines()] == [
        ["The first line.", "第一行。"], ["The second line. Said at the same time.", "第二行。"], ["The third line.", "第三行。"],
    ]


def subtitle_export(tmp_path: Path, fmt: str, en: list[tuple[int, int, str]] | Document, zh: list[str], links: Sequence[tuple[tuple[str, ...], tuple[int, ...]]]) -> Path:
    """Export the Chinese sentences `zh` on the cue times of English (an SRT's cues or a version), linked as `links` says (zh by index)."""
    from aligner.formats.export import export
    from aligner.formats.filters import Filters

    source = en if isinstance(en, Document) else ingest_file(write_srt(tmp_path / "film.en.srt", en))
    target = Document("film", "zh-Hans", (Paragraph("zh-Hans.p1", tuple(Sentence(f"zh-Hans.p1.s{i}", t) for i, t in enumerate(zh, 1))),))
    alignment = Alignment("en", "zh-Hans", tuple(Link(src, tuple(f"zh-Hans.p1.s{i + 1}" for i in tgt)) for src, tgt in links))
    text = ParallelText("film", {"en": source, "zh-Hans": target}, (alignment,))
    out = tmp_path / f"out.{fmt}"
    export([text], fmt, ["en", "zh-Hans"], out, Filters())
    return out


THREE = [(1000, 3000, "One."), (4000, 6000, "Two."), (7000, 9000, "Three.")]
ODD_TEXT = ["5 < 10 & 10 > 5，写作 &lt;。", "箭头 --> 指向右边。", "第一行\n\n第二行。"]
ONE_TO_ONE = [(("en.p1.s1",), (0,)), (("en.p2.s1",), (1,)), (("en.p3.s1",), (2,))]


@pytest.mark.parametrize(("fmt", "arrow"), [("srt", "箭头 → 指向右边。"), ("vtt", "箭头 --> 指向右边。")])
def test_export_writes_cue_text_that_reads_back(tmp_path: Path, fmt: str, arrow: str) -> None:
    out = subtitle_export(tmp_path, fmt, THREE, ODD_TEXT, ONE_TO_ONE)
    assert sentences(out, "zh-Hans") == [(1000, 3000, ["5 < 10 & 10 > 5，写作 &lt;。"]), (4000, 6000, [arrow]), (7000, 9000, ["第一行第二行。"])]
    written = out.read_text(encoding="utf-8")
    assert "\n第一行\n第二行。\n" in written
    if fmt == "vtt":
        assert "\n5 &lt; 10 &amp; 10 &gt; 5，写作 &amp;lt;。\n" in written and "\n箭头 --&gt; 指向右边。\n" in written


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_export_cues_are_in_time_order_and_never_overlap(tmp_path: Path, fmt: str) -> None:
    en = [(1000, 3000, "The river is long."), (3000, 5000, "It flows east. Boats carry rice."), (7000, 9000, "Left."), (7000, 8000, "Right.")]
    zh = ["这条河很长，向东流。", "船运大米。", "左。", "右。"]
    links = [(("en.p1.s1", "en.p2.s1"), (0,)), (("en.p2.s2",), (1,)), (("en.p3.s1",), (2,)), (("en.p4.s1",), (3,))]
    out = subtitle_export(tmp_path, fmt, en, zh, links)
    assert sentences(out, "zh-Hans") == [
        (1000, 3000, ["这条河很长，向东流。"]), (3000, 5000, ["船运大米。"]), (7000, 9000, ["左。", "右。"]),
    ]


def test_export_puts_cues_in_time_order_for_a_version_read_before_cues_were_sorted(tmp_path: Path) -> None:
    en = Document("film", "en", (
        Paragraph("en.p1", (Sentence("en.p1.s1", "Two."),), "p", 4000, 6000), Paragraph("en.p2", (Sentence("en.p2.s1", "One."),), "p", 1000, 3000),
    ))  # fmt: skip
    out = subtitle_export(tmp_path, "srt", en, ["二。", "一。"], [(("en.p1.s1",), (0,)), (("en.p2.s1",), (1,))])
    assert sentences(out, "zh-Hans") == [(1000, 3000, ["一。"]), (4000, 6000, ["二。"])]


def test_a_time_line_with_a_short_arrow_is_named_at_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.en.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nOne.\n\n2\n00:00:03,000 -> 00:00:04,000\nTwo.\n\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(f"{path}:6: broken time line '00:00:03,000 -> 00:00:04,000'; write it as HH:MM:SS,mmm --> HH:MM:SS,mmm")):
        ingest_file(path)
