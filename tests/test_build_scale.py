"""Builds of many documents: --jobs gives the same bytes as one process, unchanged documents are
skipped by their fingerprint (found so before any worker starts), and a killed build re-run
finishes only what is left."""

from __future__ import annotations

import io
import json
import logging
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from scale_seeds import tree_bytes, write_seeds

import aligner.build
import aligner.corpus.store
import aligner.parallel
from aligner.build import build
from aligner.cli import main
from aligner.corpus.model import Link, ParallelText
from aligner.corpus.store import load, save
from aligner.fingerprint import engine_config, fingerprint

TEI_ALL = Path(__file__).parent / "data" / "tei" / "tei_all.rng"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("seeds")
    write_seeds(folder, docs=3)
    return folder


@pytest.fixture(scope="module")
def serial(seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("serial")
    build(seeds, corpus, jobs=1)
    return corpus


def test_jobs_2_writes_the_same_bytes_as_jobs_1(seeds: Path, serial: Path, tmp_path: Path) -> None:
    report = build(seeds, tmp_path, jobs=2)
    assert tree_bytes(tmp_path) == tree_bytes(serial)
    assert list(report.sentences) == ["part0", "part1", "part2"]  # reported in document order
    assert len(report.changed) == 12 and report.skipped == []


def test_temp_files_a_killed_writer_left_are_cleared_when_the_build_ends(
    seeds: Path, serial: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed between writing a temp file and renaming it leaves the temp file behind;
    the build that re-ran its document clears it, and leaves other writers' temp files alone."""
    (tmp_path / "part1").mkdir()
    editors = aligner.corpus.store.temporary(tmp_path / "part1" / "en.xml", b"a flush the journal names")
    write = aligner.corpus.store.temporary
    orphans: list[Path] = []

    def killed_once(path: Path, data: bytes, sync: bool = False, tag: str = "") -> Path:
        if not orphans:  # the first write of the build also leaves a temp file, as a kill would
            orphans.append(write(path, data, sync, tag))
        return write(path, data, sync, tag)

    monkeypatch.setattr(aligner.corpus.store, "temporary", killed_once)
    build(seeds, tmp_path, jobs=1)
    assert orphans and ".build-" in orphans[0].name and not orphans[0].exists()
    assert tree_bytes(tmp_path) == {**tree_bytes(serial), str(editors.relative_to(tmp_path)): b"a flush the journal names"}


def test_a_commit_record_a_killed_writer_left_half_written_is_cleared_when_the_build_ends(
    seeds: Path, serial: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commit record's temp file was named without the build's tag, so a worker killed while
    writing it left `.commit.json.XXXX.tmp` for good (a Dask test killing a worker met it)."""
    write = aligner.corpus.store.temporary
    orphans: list[Path] = []

    def killed_once(path: Path, data: bytes, sync: bool = False, tag: str = "") -> Path:
        if path.name == "commit.json" and not orphans:
            orphans.append(write(path, data, sync, tag))
        return write(path, data, sync, tag)

    monkeypatch.setattr(aligner.corpus.store, "temporary", killed_once)
    build(seeds, tmp_path, jobs=1)
    assert orphans and not orphans[0].exists()
    assert tree_bytes(tmp_path) == tree_bytes(serial)


def test_unchanged_documents_are_skipped_and_a_changed_one_rebuilt(seeds: Path, serial: Path, tmp_path: Path) -> None:
    corpus, inputs = tmp_path / "corpus", tmp_path / "seeds"
    shutil.copytree(serial, corpus)
    shutil.copytree(seeds, inputs)
    again = build(inputs, corpus, jobs=1)
    assert again.skipped == ["part0", "part1", "part2"] and again.changed == []
    assert again.links == build(seeds, serial).links  # a skipped document is still reported in full
    edited = inputs / "part1.en.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("toughest", "harshest"), encoding="utf-8")
    report = build(inputs, corpus, jobs=1)
    assert report.skipped == ["part0", "part2"]
    assert {p.parent.name for p in report.changed} == {"part1"}


def test_a_skipped_document_is_saved_only_when_a_file_is_in_an_older_form(
    seeds: Path, serial: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(serial, corpus)
    old = corpus / "part1" / "align.xml"
    current = old.read_bytes()  # as written before: an empty link group, which the reader drops
    old.write_bytes(current.replace(b"</standOff>", b'<linkGrp type="translation" xml:id="en--fr" corresp="en.xml fr.xml"/></standOff>'))
    others = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in corpus.rglob("*.xml") if p != old}
    saved: list[str] = []

    def counted(folder: Path, text: ParallelText, tag: str = "") -> list[Path]:
        saved.append(text.doc_id)
        return save(folder, text, tag)

    monkeypatch.setattr(aligner.build, "save", counted)
    report = build(seeds, corpus, jobs=1)
    assert report.skipped == ["part0", "part1", "part2"]
    assert saved == ["part1"] and report.changed == [old]
    assert old.read_bytes() == current  # upgraded
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in others} == others  # the rest not even rewritten in place


def test_a_link_a_person_made_changes_the_fingerprint(seeds: Path, serial: Path, tmp_path: Path) -> None:
    shutil.copytree(serial, tmp_path, dirs_exist_ok=True)
    text = load(tmp_path, "part0")
    al = text.alignment("en", "zh-Hans")
    assert al is not None
    first = al.links[0]
    person = replace(al, links=(Link(first.src, first.tgt, 1.0, "person"), *al.links[1:]))
    save(tmp_path, replace(text, alignments=tuple(person if a.pair == al.pair else a for a in text.alignments)))
    report = build(seeds, tmp_path, jobs=1)
    assert report.skipped == ["part1", "part2"]
    rebuilt = load(tmp_path, "part0").alignment("en", "zh-Hans")
    assert rebuilt is not None and rebuilt.links[0].resp == "person"
    assert build(seeds, tmp_path, jobs=1).skipped == ["part0", "part1", "part2"]  # and it is stable


def test_fingerprint_covers_texts_person_links_and_engine_configuration() -> None:
    pairs = {("en", "zh-Hans"): "signature"}
    config = engine_config(pairs, "auto")
    base = fingerprint({"en": b"a", "zh-Hans": b"b"}, [], config)
    assert base.startswith("sha256:") and base == fingerprint({"zh-Hans": b"b", "en": b"a"}, [], config)
    assert base != fingerprint({"en": b"a", "zh-Hans": b"c"}, [], config)
    assert base != fingerprint({"en": b"a", "zh-Hans": b"b"}, [["en", "zh-Hans", [[["s1"], ["t1"], 1.0]]]], config)
    assert base != fingerprint({"en": b"a", "zh-Hans": b"b"}, [], engine_config(pairs, "e5"))
    assert base != fingerprint({"en": b"a", "zh-Hans": b"b"}, [], {**config, "aligner": "0.0.0"})
    assert base != fingerprint({"en": b"ab"}, [], config)


def test_a_killed_build_re_run_finishes_only_what_is_left(tmp_path: Path) -> None:
    seeds, corpus, reference = tmp_path / "seeds", tmp_path / "corpus", tmp_path / "reference"
    write_seeds(seeds, docs=6, size=1)
    build(seeds, reference, jobs=1)
    command = [sys.executable, "-c", "from aligner.cli import main; main()", "build", "--seeds", str(seeds), "--corpus", str(corpus), "--jobs", "1", "-q"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(corpus.glob("*/align.xml")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    finished = {p.parent.name for p in corpus.glob("*/align.xml")}
    assert 0 < len(finished) < 6
    report = build(seeds, corpus, jobs=1)
    assert set(report.skipped) == finished
    assert tree_bytes(corpus) == tree_bytes(reference)


def test_cli_jobs_json_reports_skipped_documents(seeds: Path, serial: Path, tmp_path: Path) -> None:
    shutil.copytree(serial, tmp_path, dirs_exist_ok=True)
    result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--corpus", str(tmp_path), "--jobs", "2", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["skipped"] == ["part0", "part1", "part2"]
    forced = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--corpus", str(tmp_path), "-j", "1", "--force", "--json"])
    assert json.loads(forced.stdout)["skipped"] == [] and json.loads(forced.stdout)["changed"] == []
    plain = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--corpus", str(tmp_path), "-j", "1"])
    assert "0 files changed, 3 documents unchanged and skipped" in plain.stdout


def no_workers(*args: object, **kwargs: object) -> None:
    """A process pool that cannot be started: what `--jobs` must not need."""
    raise AssertionError("a worker process was started")


def test_an_unchanged_corpus_built_with_jobs_2_starts_no_worker_and_reports_as_jobs_1(
    seeds: Path, serial: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Each worker looked at its documents' fingerprints, so nothing to align still cost starting them."""
    shutil.copytree(serial, tmp_path, dirs_exist_ok=True)
    command = ["build", "--seeds", str(seeds), "--corpus", str(tmp_path), "--json", "-q"]
    one = CliRunner().invoke(main, [*command, "-j", "1"])
    monkeypatch.setattr(aligner.parallel, "ProcessPoolExecutor", no_workers)
    monkeypatch.setattr(aligner.build, "LOOK_HERE", 60.0)  # however slow the machine: the look's budget is not what is tested
    two = CliRunner().invoke(main, [*command, "-j", "2"])
    assert two.exit_code == 0, two.output
    assert json.loads(two.stdout) == json.loads(one.stdout)
    assert json.loads(two.stdout)["skipped"] == ["part0", "part1", "part2"]


def test_jobs_2_aligns_a_lone_changed_document_here_saying_each_warning_once(
    seeds: Path, serial: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    """part0 (edited by hand: a warning each build) and part2 are found unchanged before any worker
    starts, which leaves part1 (a version gone) to align here, in this process. What looking at a
    document logged is said once: part1's by the look that built it, part0's by the one that found it unchanged."""
    caplog.set_level(logging.WARNING)
    base, inputs = tmp_path / "base", tmp_path / "seeds"
    shutil.copytree(serial, base)
    first = load(base, "part0").versions["en"].sentence_index()["en.p1.s1"].text
    assert CliRunner().invoke(main, ["edit", "part0", "--corpus", str(base), "correct", "en.p1.s1", first[:-1] + ", corrected" + first[-1]]).exit_code == 0
    build(seeds, base, jobs=1)
    shutil.copytree(seeds, inputs)
    (inputs / "part1.zh-Hant.txt").unlink()
    for name in ("one", "two"):
        shutil.copytree(base, tmp_path / name)
    one = build(inputs, tmp_path / "one", jobs=1)
    caplog.clear()
    monkeypatch.setattr(aligner.parallel, "ProcessPoolExecutor", no_workers)
    monkeypatch.setattr(aligner.build, "LOOK_HERE", 60.0)
    two = build(inputs, tmp_path / "two", jobs=2)
    assert two.skipped == one.skipped == ["part0", "part2"] and list(two.sentences) == ["part0", "part1", "part2"]
    assert tree_bytes(tmp_path / "two") == tree_bytes(tmp_path / "one")
    assert caplog.text.count("part1: zh-Hant is no longer among the inputs") == 1
    assert caplog.text.count("part0: en sentences were edited by hand") == 1


def test_the_fingerprint_check_reads_no_version_file_again(seeds: Path, serial: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check read every version file again, though the store's read of the document (`Partial.tei`) had their bytes."""
    shutil.copytree(serial, tmp_path, dirs_exist_ok=True)
    again: list[Path] = []
    read_bytes = Path.read_bytes

    def counted(path: Path) -> bytes:
        if sys._getframe(1).f_globals["__name__"] == "aligner.build":  # read by the build itself, not by the store
            again.append(path)
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    assert build(seeds, tmp_path, jobs=1).skipped == ["part0", "part1", "part2"]
    assert again == []


def test_cli_jobs_must_be_positive(seeds: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--corpus", str(tmp_path), "--jobs", "0"])
    assert result.exit_code == 2 and "0 is not in the range x>=1" in result.output


@pytest.mark.skipif(shutil.which("jing") is None or not TEI_ALL.exists(), reason="needs jing and tei_all.rng")
def test_alignment_with_fingerprint_is_valid_tei(serial: Path) -> None:
    files = sorted(str(p) for p in serial.glob("*/*.xml"))
    result = subprocess.run(["jing", str(TEI_ALL), *files], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout


def test_progress_counts_documents_done_of_all(monkeypatch: pytest.MonkeyPatch) -> None:
    from aligner.progress import progress

    terminal = io.StringIO()
    monkeypatch.setattr(terminal, "isatty", lambda: True)
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress("aligning documents", 3) as bar:
        for _ in range(3):
            bar.advance()
    assert "aligning documents" in terminal.getvalue() and "3/3" in terminal.getvalue()


def test_a_dead_worker_process_is_one_clear_error() -> None:
    from scale_seeds import die

    from aligner.parallel import WorkerError, run_tasks

    with pytest.raises(WorkerError, match=r"^a worker process died \(killed, or out of memory\); run the build again"):
        run_tasks(die, [1, 2], jobs=2, label="tasks", quiet=True)


def test_a_build_removes_the_temp_files_a_killed_build_left(seeds: Path, tmp_path: Path) -> None:
    import os

    corpus = tmp_path / "corpus"
    build(seeds, corpus, jobs=1)
    left = corpus / "part0" / ".en.xml.build-dead0001.x1y2z3.tmp"  # as a build killed mid-write leaves it
    left.write_text("half a file")
    os.utime(left, (time.time() - 30, time.time() - 30))
    build(seeds, corpus, jobs=1)
    assert not left.exists()


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_the_workers_of_a_build_killed_alone_end_with_it(tmp_path: Path) -> None:
    seeds, corpus = tmp_path / "seeds", tmp_path / "corpus"
    write_seeds(seeds, docs=6, size=1)
    command = [sys.executable, "-c", "from aligner.cli import main; main()", "build", "--seeds", str(seeds), "--corpus", str(corpus), "--jobs", "2", "-q"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        workers = [pid for pid in _children(proc.pid) if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")]
        time.sleep(0.05)
    assert workers, "no worker started"
    proc.send_signal(signal.SIGKILL)  # the parent alone, as the out-of-memory killer would
    proc.wait(timeout=30)
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() and "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace") for pid in workers):
        assert time.monotonic() < deadline, f"workers {workers} outlived their build"
        time.sleep(0.1)
