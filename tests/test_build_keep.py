"""What a re-build keeps and what it refuses: a reviewer's import, a version whose input is gone,
a version file lost, a failed document, one it cannot save, a text not split into sentences, a bad
language tag, a folder named as a text."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.build import build
from aligner.cli import main
from aligner.corpus.model import Link, ParallelText
from aligner.corpus.store import load
from aligner.errors import InputError, LanguageError
from aligner.ingest.langs import split_tag

SEEDS = Path(__file__).parent.parent / "seeds"
DOC = "000_bf7a112df29932bd"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def reviewed_sheet(work: Path) -> Path:
    """The document exported as a review sheet, with 'toughest' corrected to 'harshest' in en.p1.s1."""
    import openpyxl

    assert run("export", DOC, "--corpus", str(work / "corpus"), "--format", "xlsx", "-o", str(work / "r.xlsx"))[0] == 0
    book = openpyxl.load_workbook(work / "r.xlsx")
    sheet = book.worksheets[0]
    assert sheet["J3"].value == "en.p1.s1"
    sheet["C3"] = sheet["C3"].value.replace("toughest", "harshest")
    book.save(work / "r2.xlsx")
    return work / "r2.xlsx"


def test_a_text_corrected_in_a_review_sheet_survives_a_rebuild(work: Path, caplog: pytest.LogCaptureFixture) -> None:
    corpus = work / "corpus"
    assert run("import", str(reviewed_sheet(work)), "--format", "xlsx", "--corpus", str(corpus), "--replace")[0] == 0
    build(work / "seeds", corpus)
    text = load(corpus, DOC)
    assert "harshest" in text.versions["en"].sentence_index()["en.p1.s1"].text
    assert "is dropped" not in caplog.text
    person = {(lk.src, lk.tgt) for al in text.alignments for lk in al.links if lk.resp == "person"}
    assert (("en.p1.s1",), ("zh-Hans.p1.s1",)) in person


def test_an_import_over_a_document_records_the_sentences_it_changed_as_the_persons(work: Path) -> None:
    """The history line a rebuild keeps the reviewer's text by: the sentence whose text the sheet
    changed (`en.xml#en.p1.s1`), under --who; a version whose text did not change gets none."""
    corpus = work / "corpus"
    before = load(corpus, DOC).changes
    code, _ = run("import", str(reviewed_sheet(work)), "--format", "xlsx", "--corpus", str(corpus), "--replace", "--who", "Ann Reviewer")
    assert code == 0
    added = load(corpus, DOC).changes[len(before):]
    assert [(c.who, c.what, c.target) for c in added] == [("Ann Reviewer", "imported r2.xlsx: changed or added 1 en sentences", ("en.xml#en.p1.s1",))]
    code, out = run("edit", DOC, "--corpus", str(corpus), "history")
    assert code == 0 and "imported r2.xlsx" in out


def test_a_version_whose_input_is_gone_leaves_the_corpus_with_its_links(work: Path, caplog: pytest.LogCaptureFixture) -> None:
    for path in (work / "seeds").glob(f"{DOC}.zh-Hant.*"):
        path.unlink()
    report = build(work / "seeds", work / "corpus")
    folder = work / "corpus" / DOC
    assert sorted(p.name for p in folder.glob("*.xml")) == ["align.xml", "en.xml", "zh-Hans.xml"]
    assert folder / "zh-Hant.xml" in report.changed
    text = load(work / "corpus", DOC)
    assert [al.pair for al in text.alignments] == [("en", "zh-Hans")]
    assert f"{DOC}: zh-Hant is no longer among the inputs; its version and links leave the corpus" in caplog.text
    assert run("export", DOC, "--corpus", str(work / "corpus"), "--format", "tsv", "-o", str(work / "o.tsv")) == (0, f"Wrote 51 units to {work / 'o.tsv'}\n")
    assert build(work / "seeds", work / "corpus").changed == []  # and the next build has nothing to do


def test_a_version_a_person_edited_stays_when_its_input_is_gone(work: Path, caplog: pytest.LogCaptureFixture) -> None:
    corpus = work / "corpus"
    assert run("edit", DOC, "--corpus", str(corpus), "--who", "alice", "correct", "zh-Hant.p1.s1", "針對北韓核試驗的決議。")[0] == 0
    for path in (work / "seeds").glob(f"{DOC}.zh-Hant.*"):
        path.unlink()
    build(work / "seeds", corpus)
    text = load(corpus, DOC)
    assert text.versions["zh-Hant"].sentence_index()["zh-Hant.p1.s1"].text == "針對北韓核試驗的決議。"
    assert {al.pair for al in text.alignments} == {("en", "zh-Hans"), ("en", "zh-Hant"), ("zh-Hans", "zh-Hant")}
    assert f"{DOC}: zh-Hant has no input file any more, but its sentences were edited by hand: it stays;" in caplog.text


@pytest.mark.parametrize(("removed", "refused"), [
    (["zh-Hant.xml"], "{folder}/align.xml: links point into zh-Hant.xml, which is missing; rebuild the document\n"),
    (["en.xml", "zh-Hans.xml", "zh-Hant.xml"], "{folder}: the document has no versions"),
], ids=["one", "all"])  # fmt: skip
def test_a_version_file_removed_by_hand_is_built_again_keeping_its_links_when_it_is_the_same(
    work: Path, caplog: pytest.LogCaptureFixture, removed: list[str], refused: str,
) -> None:  # fmt: skip
    """The build refused the document ('links point into zh-Hant.xml, which is missing; rebuild
    the document'), though rebuilding it was the fix; readers still refuse it. The version
    ingested again is byte for byte the one the links were made on (the journal of the edits
    records it), so the links into it, a person's too, are kept (they were all dropped)."""
    corpus, folder = work / "corpus", work / "corpus" / DOC
    before = {p.name: p.read_bytes() for p in folder.glob("*.xml")}
    for pair in ("en,zh-Hans", "en,zh-Hant"):
        assert run("edit", DOC, "--corpus", str(corpus), "--pair", pair, "--who", "alice", "confirm", "3")[0] == 0
    mine = person_links(load(corpus, DOC))
    assert set(mine) == {("en", "zh-Hans"), ("en", "zh-Hant")}
    for name in removed:
        (folder / name).unlink()
    status, out = run("show", DOC, "--corpus", str(corpus))
    assert status == 1 and out.count("\n") == 1 and out.startswith("Error: " + refused.format(folder=folder))
    assert run("build", "--seeds", str(work / "seeds"), "--corpus", str(corpus), "-q")[0] == 0
    assert {name: (folder / name).read_bytes() for name in removed} == {name: before[name] for name in removed}
    assert person_links(load(corpus, DOC)) == mine
    for name in removed:
        assert f"{folder / name}: missing; ingested again from its input, the very version its links were made on: they are kept" in caplog.text


@pytest.mark.parametrize(("seed", "why"), [
    ("changed", "zh-Hant.xml missing, and its input, ingested again, is not the version the link was made on"),
    ("removed", "zh-Hant.xml missing, and no input has this version"),
], ids=["changed", "removed"])  # fmt: skip
def test_a_persons_link_into_a_lost_version_not_ingested_again_as_it_was_is_reported_as_dropped(
    work: Path, caplog: pytest.LogCaptureFixture, seed: str, why: str,
) -> None:  # fmt: skip
    """zh-Hant.xml removed by hand and its seed changed (or removed too): the links into it are
    dropped, and those a person made were only a warning, not in --json, the summary nor the history."""
    corpus, folder, hant = work / "corpus", work / "corpus" / DOC, work / "seeds" / f"{DOC}.zh-Hant.txt"
    assert run("edit", DOC, "--corpus", str(corpus), "--pair", "en,zh-Hant", "--who", "alice", "confirm", "3")[0] == 0
    text = load(corpus, DOC)
    [mine], english = person_links(text)[("en", "zh-Hant")], text.versions["en"].sentence_index()
    (folder / "zh-Hant.xml").unlink()
    if seed == "changed":
        hant.write_text(hant.read_text(encoding="utf-8").replace("有待克服。", "有待雙方克服。"), encoding="utf-8")
    else:
        hant.unlink()
    for name in ("seeds", "corpus"):  # a copy to build for the summary
        shutil.copytree(work / name, work / "copy" / name)
    code, out = run("build", "--seeds", str(work / "seeds"), "--corpus", str(corpus), "-q", "-j", "1", "--json")
    assert code == 0
    assert json.loads(out)["person_links_dropped"] == {DOC: [{
        "pair": "en-zh-Hant", "src": list(mine.src), "tgt": list(mine.tgt),
        "src_text": [english[x].text for x in mine.src], "tgt_text": [""] * len(mine.tgt), "why": why,
    }]}  # fmt: skip
    shown = f"{' '.join(mine.src)} | {' '.join(mine.tgt)}"
    line = run("edit", DOC, "--corpus", str(corpus), "history")[1].splitlines()[-1]
    assert f"  aligner build: en–zh-Hant: dropped a link a person made, {shown} (“{english[mine.src[0]].text[:20]}" in line
    assert line.endswith(f"” | “”): {why}")
    code, out = run("build", "--seeds", str(work / "copy" / "seeds"), "--corpus", str(work / "copy" / "corpus"), "-q", "-j", "1")
    assert code == 0 and ", 1 link made by a person dropped" in out.splitlines()[0]
    assert f"    dropped a link made by a person, en-zh-Hant {shown}: {why} (in `aligner edit {DOC} history`)" in out.splitlines()


def lock_a_folder(folder: Path) -> str:
    """`.lock` made a folder (a refusal root meets too, whom permissions do not stop); the build's error."""
    (folder / ".lock").unlink()
    (folder / ".lock").mkdir()
    return f"{folder}: cannot lock the document: {folder / '.lock'} is a folder, where its lock file goes; remove that folder"


def read_only(folder: Path) -> str:
    """The corpus, the document's folder and its files made read-only; the build's error. Skipped
    when that stops no write (root, unless without CAP_DAC_OVERRIDE)."""
    for path in (*folder.iterdir(), folder, folder.parent):
        path.chmod(path.stat().st_mode & ~0o222)
    try:
        (folder / "probe").touch()
    except PermissionError:
        return f"{folder}: cannot write (Permission denied); make {folder} writable"
    (folder / "probe").unlink()
    pytest.skip("this user writes into read-only folders (root)")


@pytest.mark.parametrize("breaks", [lock_a_folder, read_only])
def test_a_document_the_build_cannot_save_is_refused_before_it_is_aligned(
    work: Path, monkeypatch: pytest.MonkeyPatch, breaks: Callable[[Path], str],
) -> None:  # fmt: skip
    """The build aligned the document, then failed at the save; one it need not write is still skipped."""
    import aligner.build

    seeds, corpus, folder = work / "seeds", work / "corpus", work / "corpus" / DOC
    try:
        refused = breaks(folder)
        assert run("build", "--seeds", str(seeds), "--corpus", str(corpus), "-q", "-j", "1")[0] == 0  # unchanged: nothing to write
        english = seeds / f"{DOC}.txt"
        english.write_text(english.read_text(encoding="utf-8").replace("toughest", "harshest"), encoding="utf-8")

        def aligned(*args: object, **kwargs: object) -> None:
            raise AssertionError("aligned")

        monkeypatch.setattr(aligner.build, "align_text", aligned)
        assert run("build", "--seeds", str(seeds), "--corpus", str(corpus), "-q", "-j", "1") == (1, f"Error: {refused}\n")
    finally:
        for path in (corpus, folder, *folder.iterdir()):
            path.chmod(path.stat().st_mode | 0o200)


def person_links(text: ParallelText) -> dict[tuple[str, str], list[Link]]:
    """The links a person made, by pair."""
    mine = {al.pair: [lk for lk in al.links if lk.resp == "person"] for al in text.alignments}
    return {pair: links for pair, links in mine.items() if links}


def unsplit_seeds(tmp_path: Path) -> Path:
    """A document whose English is one 'sentence' of 25,000 characters."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "doc.en.txt").write_text("Title\n\n" + "word " * 5000, encoding="utf-8")
    shutil.copy(SEEDS / f"{DOC}.zh-Hans.txt", seeds / "doc.zh-Hans.txt")
    return seeds


def test_a_text_not_split_into_sentences_is_one_line_naming_the_file_the_place_and_the_fix(tmp_path: Path) -> None:
    seeds = unsplit_seeds(tmp_path)
    status, out = run("build", "--seeds", str(seeds), "--corpus", str(tmp_path / "c"), "-q")
    assert (status, out) == (1, (
        f"Error: {seeds / 'doc.en.txt'}: paragraph 1, sentence 1 (en.p1.s1) has 24999 characters, too many for one"
        " sentence: the text is not split into sentences; end each with . ? ! or 。 and put a blank line between paragraphs\n"
    ))


def test_a_failed_build_leaves_no_document_folder_and_readers_refuse_an_empty_one(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    with pytest.raises(InputError):
        build(unsplit_seeds(tmp_path), corpus)
    assert list(corpus.iterdir()) == []
    (corpus / "doc").mkdir()
    (corpus / "doc" / ".lock").touch()  # as a build killed at that moment leaves it
    for command in (["show", "doc"], ["qa", "doc"], ["edit", "doc", "history"]):
        status, out = run(*command, "--corpus", str(corpus))
        assert (status, out) == (1, f"Error: {corpus / 'doc'}: the document has no versions (no LANG.xml; a failed or stopped"
                                    " build leaves such a folder); remove the folder and build the document again\n"), command


@pytest.mark.parametrize("tag", ["en-XX-foo", "en-Latn-GB-foo", "en-v2"])
def test_a_file_tagged_with_no_language_tag_is_refused_as_the_options_refuse_it(tmp_path: Path, tag: str) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEEDS / f"{DOC}.txt", seeds / f"doc.{tag}.txt")
    status, out = run("build", "--seeds", str(seeds), "--corpus", str(tmp_path / "c"), "-q")
    bad = tag.rsplit("-", 1)[1]
    assert status == 1 and out.count("\n") == 1
    assert out.startswith(f"Error: {seeds / f'doc.{tag}.txt'}: '{tag}' is not a language tag ('{bad}' cannot stand there")
    assert out.endswith("use a BCP 47 tag such as en, zh-Hans, zh-Hant-TW in the file's name (NAME.TAG.txt)\n")
    with pytest.raises(LanguageError, match=f"'{bad}' cannot stand there"):
        split_tag(tag)
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize(("tag", "split"), [
    ("en-GB", ("en", "GB")), ("zh-Hant-TW", ("zh-Hant", "TW")), ("sr-Latn-RS", ("sr-Latn", "RS")),
    ("de-CH-1901", ("de-1901", "CH")), ("es-419", ("es", "419")), ("zh_TW", ("zh-Hant", "TW")),
])  # fmt: skip
def test_well_formed_tags_are_still_taken(tag: str, split: tuple[str, str]) -> None:
    assert split_tag(tag) == split


def test_a_folder_named_as_a_text_is_an_error_as_an_unreadable_text_is(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    (seeds / "doc.en.txt").mkdir(parents=True)
    shutil.copy(SEEDS / f"{DOC}.zh-Hans.txt", seeds / "doc.zh-Hans.txt")
    status, out = run("build", "--seeds", str(seeds), "--corpus", str(tmp_path / "c"), "-q")
    assert (status, out) == (1, f"Error: {seeds / 'doc.en.txt'}: a folder, but named as a text to ingest; rename it, or move it out of the seeds folder\n")


@pytest.fixture(autouse=True)
def _warnings(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)


def test_a_build_gives_the_engine_a_persons_links_to_align_the_whole_text_around(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The build aligned each stretch between a person's links as a text of its own, without the
    whole text's signals (`links.align_keeping_person_links`; tests/test_links.py shows a link it
    got wrong so): it now gives the engine the person's links as beads to keep (`keep`)."""
    import aligner.build

    seeds, corpus = tmp_path / "seeds", tmp_path / "corpus"
    seeds.mkdir()
    (seeds / "news.en.txt").write_text(
        "City News\n\nThe mayor opened a new library on Monday. It has forty thousand books. Children can borrow ten"
        " books at a time. The library is open every day. A cafe will open next month. Parking is free for visitors.\n",
        encoding="utf-8")  # fmt: skip
    (seeds / "news.zh-Hans.txt").write_text(
        "城市新闻\n\n市长周一开放了一座新图书馆。馆内藏书四万册。图书馆每天开放。下个月将开一家咖啡馆。馆长表示非常高兴。访客停车免费。\n",
        encoding="utf-8")  # fmt: skip
    build(seeds, corpus)
    for edit in (["merge", "1"], ["confirm", "3"]):  # mayor + books as one link; the library sentence confirmed
        assert CliRunner().invoke(main, ["edit", "news", "--corpus", str(corpus), *edit]).exit_code == 0
    given: list[object] = []
    real = aligner.build.engine_for

    def recording(*args: object, **kwargs: object) -> object:
        engine = real(*args, **kwargs)  # type: ignore[arg-type]

        def run(src: list[str], tgt: list[str], *, keep: tuple[tuple[int, int, int, int], ...] = ()) -> object:
            given.append(list(keep))
            return engine(src, tgt, keep=keep)  # type: ignore[call-arg]

        return run

    monkeypatch.setattr(aligner.build, "engine_for", recording)
    build(seeds, corpus)
    assert given == [[(1, 3, 1, 3), (4, 5, 3, 4)]]  # title, then the person's 2-2 and 1-1 as sentence spans
    al = load(corpus, "news").alignment("en", "zh-Hans")
    assert al is not None and [lk.resp for lk in al.links].count("person") == 2


def test_a_version_kept_for_a_persons_edits_says_when_its_input_changed_beyond_them_and_how_to_take_it(
    work: Path, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    """A person corrected, joined and split zh-Hans sentences; the seed file was revised later
    (前 → 前任): the build kept the stored version and said only that it was edited by hand."""
    corpus, seed = work / "corpus", work / "seeds" / f"{DOC}.zh-Hans.txt"
    for edit in (["correct", "zh-Hans.p4.s1", "部分答案或许在于中国政策的调整。"], ["join", "zh-Hans.p2.s1"], ["split-sentence", "zh-Hans.p1.s1", "10"]):
        assert run("edit", DOC, "--corpus", str(corpus), "--who", "alice", *edit)[0] == 0
    kept = f"{DOC}: zh-Hans sentences were edited by hand; keeping them rather than the input file's"
    assert build(work / "seeds", corpus).as_json()["inputs_changed"] == {}
    assert f"{kept}\n" in caplog.text  # the input is as it was: nothing more
    seed.write_text(seed.read_text(encoding="utf-8").replace("美国前国防部长", "美国前任国防部长"), encoding="utf-8")
    caplog.clear()
    report = build(work / "seeds", corpus).as_json()
    revised = "美国前任国防部长罗伯特·盖茨早在2011年初就曾警告，朝鲜搭载核弹头的导弹可能在五年内打到美国本土。"
    (change,) = report["inputs_changed"][DOC]  # type: ignore[index]  # the warning in --json too
    assert (change["source"], change["differ"], change["kept"][0]["id"], change["input"]) == (f"{DOC}.zh-Hans.txt", 1, "zh-Hans.p3.s4", [revised])
    assert change["said"] in caplog.text
    assert f"{kept}; but the input file {DOC}.zh-Hans.txt has changed since: 1 sentence differs beyond those edits (the first, " \
        "zh-Hans.p3.s4: “美国前国防部长罗伯特·盖茨早在2011年初就曾警告，朝鲜搭载核弹头的导弹可能在五…” here, " \
        "“美国前任国防部长罗伯特·盖茨早在2011年初就曾警告，朝鲜搭载核弹头的导弹可能在…” in the input); to take it, make the same " \
        f"change here (aligner edit {DOC} correct zh-Hans.p3.s4 '{revised}'), or remove the document's folder to build it " \
        "from the inputs alone (losing the edits by hand and the links a person made)\n" in caplog.text
    assert load(corpus, DOC).versions["zh-Hans"].sentence_index()["zh-Hans.p4.s1"].text == "部分答案或许在于中国政策的调整。"
    assert run("edit", DOC, "--corpus", str(corpus), "--who", "alice", "correct", "zh-Hans.p3.s4", revised)[0] == 0  # the fix given
    caplog.clear()
    build(work / "seeds", corpus)
    assert f"{kept}\n" in caplog.text and load(corpus, DOC).versions["zh-Hans"].sentence_index()["zh-Hans.p3.s4"].text == revised


def test_a_sentence_the_input_added_next_to_one_a_person_corrected_is_told_with_its_place() -> None:
    """The corrected sentence is the person's edit; the one the input added after the next is a
    change of the input, named by the kept sentence it follows (no single correction takes it)."""
    from aligner.corpus.follow import input_changed
    from aligner.corpus.model import Document, Paragraph, Sentence

    def version(*texts: str) -> Document:
        return Document(DOC, "en", (Paragraph("en.p1", tuple(Sentence(f"en.p1.s{k}", t) for k, t in enumerate(texts, 1))),))

    kept, read = version("One.", "Two, fixed.", "Three."), version("One.", "Two.", "Three.", "Added.")
    changed = input_changed(read, kept, {"en.p1.s2"})
    assert changed is not None and changed.differ == 1
    assert changed.shown().startswith(f"but the input file of en has changed since: 1 sentence differs beyond those edits (the first, after "
                                      f"en.p1.s3: nothing here, “Added.” in the input); to take it, make the same change here (aligner edit "
                                      f"{DOC} split-sentence, join or correct)")
    assert input_changed(version("One.", "Two.", "Three."), kept, {"en.p1.s2"}) is None
