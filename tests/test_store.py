"""The corpus folder: atomic writes, resolving targets, dangling links."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aligner.corpus.model import Alignment, Document, Link, Paragraph, ParallelText, Sentence
from aligner.corpus.store import (
    clear_temporaries,
    doc_ids,
    load,
    load_partial,
    resolve,
    save,
    temporary,
    write_all,
    write_atomic,
)
from aligner.errors import CorpusError, OutputError


def text(doc_id: str, links: tuple[Link, ...] = ()) -> ParallelText:
    versions = {
        lang: Document(doc_id, lang, (Paragraph(f"{lang}.p1", (Sentence(f"{lang}.p1.s1", "Hi."),)),))
        for lang in ("en", "fr")
    }
    return ParallelText(doc_id, versions, (Alignment("en", "fr", links),))


def test_write_atomic_reports_change_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "a" / "f.xml"
    assert write_atomic(path, b"one") is True
    assert write_atomic(path, b"one") is False
    assert write_atomic(path, b"two") is True
    assert path.read_bytes() == b"two"
    assert [p.name for p in path.parent.iterdir()] == ["f.xml"]


def test_clearing_a_tag_removes_only_that_runs_temp_files(tmp_path: Path) -> None:
    mine = [temporary(tmp_path / name, b"cut short", tag="build-1a2b") for name in ("en.xml", "align.xml")]
    editors = temporary(tmp_path / "en.xml", b"a flush the journal names")  # untagged: its recovery needs it
    others = temporary(tmp_path / "en.xml", b"another build", tag="build-9f9f")
    kept = tmp_path / "en.xml"
    kept.write_bytes(b"<TEI/>")
    assert mine[0].name.startswith(".en.xml.build-1a2b.") and mine[0].name.endswith(".tmp")
    assert clear_temporaries(tmp_path, "build-1a2b") == sorted(mine)
    assert sorted(tmp_path.iterdir()) == sorted([editors, others, kept])
    assert clear_temporaries(tmp_path, "") == []  # no tag never means every temp file
    assert editors.exists()


def test_a_pipe_or_device_is_written_through_not_replaced(tmp_path: Path) -> None:
    """`-o /dev/null` must not put a plain file where the device was (a rename would)."""
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert write_atomic(fifo, b"through the pipe")
    reader.join(timeout=10)
    assert got == [b"through the pipe"]
    assert fifo.is_fifo() and sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_written_files_get_the_usual_mode_not_a_private_one(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "f.xml", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "f.xml").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("absolute", [False, True])
def test_resolve_doc_id_document_folder_and_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, absolute: bool) -> None:
    corpus = tmp_path / "corpora"
    save(corpus, text("d1"))
    save(corpus, text("d2"))
    monkeypatch.chdir(tmp_path)
    base = corpus if absolute else Path("corpora")
    assert [t.doc_id for t in resolve("d1", base)] == ["d1"]
    assert [t.doc_id for t in resolve(str(base / "d2"), base)] == ["d2"]
    assert [t.doc_id for t in resolve(str(base), base)] == ["d1", "d2"]
    assert doc_ids(base) == ["d1", "d2"]


def test_unknown_target_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="^nope: not a document id in .* nor a corpus folder"):
        resolve("nope", tmp_path)


def test_link_to_a_missing_sentence_is_refused(tmp_path: Path) -> None:
    save(tmp_path, text("d1", (Link(("en.p1.s9",), ("fr.p1.s1",)),)))
    with pytest.raises(CorpusError, match=r"align\.xml: a link points at 'en\.p1\.s9', which en\.xml does not have"):
        load(tmp_path, "d1")


def test_a_failed_write_names_the_path_and_the_fix_and_is_still_an_os_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    with pytest.raises(OutputError) as caught:
        write_atomic(tmp_path / "out.tmx", b"x")
    assert str(caught.value) == f"{tmp_path / 'out.tmx'}: cannot write (Permission denied); choose a folder you may write to"
    assert isinstance(caught.value, OSError) and caught.value.errno == 13  # the caches still catch it
    assert not list(tmp_path.iterdir())


def test_write_all_writes_every_file_or_none(tmp_path: Path) -> None:
    (tmp_path / "out.zh-Hans").mkdir()  # a folder where the second file goes
    files = {tmp_path / "out.en": b"one\n", tmp_path / "out.zh-Hans": "一\n".encode()}
    with pytest.raises(OutputError, match=r"out\.zh-Hans: cannot write \(a folder of that name is in the way\); choose another path"):
        write_all(files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.zh-Hans"]  # out.en not written, no temp file left
    (tmp_path / "out.zh-Hans").rmdir()
    assert write_all(files) == list(files) and (tmp_path / "out.en").read_bytes() == b"one\n"
    assert write_all(files) == []  # the same bytes again: nothing changes


def test_a_moses_export_that_cannot_write_one_file_writes_none(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from aligner.cli import main

    corpus = Path(__file__).parent / "data" / "formats" / "corpus"
    (tmp_path / "pp.zh-Hans").mkdir()
    result = CliRunner().invoke(main, ["export", "d1", "--corpus", str(corpus), "--format", "moses", "--langs", "en,zh-Hans", "-o", str(tmp_path / "pp")])
    assert result.exit_code == 1 and "pp.zh-Hans: cannot write" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pp.zh-Hans"]


def test_saving_a_document_removes_the_versions_it_no_longer_has(tmp_path: Path) -> None:
    save(tmp_path, text("d1"))
    two = text("d1")
    one = ParallelText("d1", {"en": two.versions["en"]})
    assert save(tmp_path, one) == [tmp_path / "d1" / "fr.xml"]  # align.xml had no links to drop: the same bytes
    assert sorted(p.name for p in (tmp_path / "d1").iterdir()) == [".lock", "align.xml", "en.xml"]  # saved under its lock
    assert list(load(tmp_path, "d1").versions) == ["en"]


def test_a_document_folder_without_versions_is_refused_naming_the_fix(tmp_path: Path) -> None:
    (tmp_path / "d1").mkdir()
    (tmp_path / "d1" / ".lock").touch()
    with pytest.raises(CorpusError, match=r"d1: the document has no versions .*; remove the folder and build the document again$"):
        resolve("d1", tmp_path)


def test_a_version_tagged_before_tags_were_checked_whole_is_one_line_naming_its_file(tmp_path: Path) -> None:
    save(tmp_path, text("d1"))
    en = tmp_path / "d1" / "en.xml"
    en.write_text(en.read_text(encoding="utf-8").replace('xml:lang="en"', 'xml:lang="en-XX-FOO"'), encoding="utf-8")
    with pytest.raises(CorpusError, match=rf"^{en}: 'en-XX-FOO' is not a language tag .*; remove the document's folder and build it again"):
        load(tmp_path, "d1")


def test_a_version_file_removed_by_hand_is_refused_but_read_without_it_for_a_rebuild(tmp_path: Path) -> None:
    save(tmp_path, text("d1", (Link(("en.p1.s1",), ("fr.p1.s1",)),)))
    (tmp_path / "d1" / "fr.xml").unlink()
    with pytest.raises(CorpusError, match=r"align\.xml: links point into fr\.xml, which is missing; rebuild the document$"):
        load(tmp_path, "d1")
    partial = load_partial(tmp_path, "d1")
    assert list(partial.text.versions) == ["en"] and partial.text.alignments == ()
    assert partial.lost == {"fr": "missing"}  # the build ingests it again, with a warning (test_build_keep)
    assert [al.pair for al in partial.links] == [("en", "fr")]  # what it may put back (`restored`)
    (tmp_path / "d1" / "en.xml").unlink()
    assert load_partial(tmp_path, "d1")[0].versions == {}  # nothing left but align.xml: built anew
