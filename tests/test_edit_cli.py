"""`aligner edit` on a saved corpus: every operation from the command line, one-line errors that
write nothing, stale versions refused, undo across restarts, history in valid TEI, saves that a
kill or a full disk cannot corrupt, damaged journals refused, edits made at the same time made in
turn, document ids that cannot leave the corpus, and build → edit → build cycles."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import pytest
from click.testing import CliRunner
from edit_fixtures import engine_for, three_versions

from aligner.build import build
from aligner.cli import main
from aligner.corpus.store import COMMIT_FILE, load, save
from aligner.corpus.triangle import contradictions
from aligner.edit import session
from aligner.edit.journal import JOURNAL_FILE
from aligner.edit.ops import link_edit
from aligner.edit.pairs import pair_links
from aligner.errors import CorpusError

SEEDS = Path(__file__).parent.parent / "seeds"
SEED_DOC = "000_bf7a112df29932bd"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    save(tmp_path, three_versions())
    return tmp_path


def edit(corpus: Path, *args: str, pair: str = "en,zh-Hans", doc: str = "doc") -> tuple[int, str]:
    """Run `aligner edit` and return its exit status and output (stdout and stderr)."""
    result = CliRunner().invoke(main, ["edit", doc, "--corpus", str(corpus), "--pair", pair, "--who", "tester", *args])
    return result.exit_code, result.output


def files(corpus: Path, doc: str = "doc") -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((corpus / doc).iterdir()) if not p.name.startswith(".")}


def rows(corpus: Path, pair: tuple[str, str] = ("en", "zh-Hans"), doc: str = "doc") -> list[str]:
    return [f"{' '.join(r.src) or '-'}|{' '.join(r.tgt) or '-'}|{r.resp}" for r in pair_links(load(corpus, doc), *pair)]


def legs(corpus: Path, doc: str = "doc") -> list[str]:
    text = load(corpus, doc)
    return contradictions(text.alignment("en", "zh-Hans"), text.alignment("zh-Hans", "zh-Hant"), text.alignment("en", "zh-Hant"))  # type: ignore[arg-type]


# (command, the en↔zh-Hans rows after it)
COMMANDS = [
    (["merge", "1"], ["en.p1.s1|zh-Hans.p1.s1|machine", "en.p1.s2 en.p1.s3|zh-Hans.p1.s2 zh-Hans.p1.s3|person"]),
    (["merge", "1", "up"], ["en.p1.s1 en.p1.s2|zh-Hans.p1.s1 zh-Hans.p1.s2|person", "en.p1.s3|zh-Hans.p1.s3|machine"]),
    (["shift", "1", "down"], ["en.p1.s1|zh-Hans.p1.s1|machine", "en.p1.s2|-|person", "en.p1.s3|zh-Hans.p1.s2 zh-Hans.p1.s3|person"]),
    (["shift", "1", "up", "--side", "src"], ["en.p1.s1 en.p1.s2|zh-Hans.p1.s1|person", "-|zh-Hans.p1.s2|person", "en.p1.s3|zh-Hans.p1.s3|machine"]),
    (["confirm", "0"], ["en.p1.s1|zh-Hans.p1.s1|person", "en.p1.s2|zh-Hans.p1.s2|machine"]),
    (["detach", "0", "--side", "src"], ["-|zh-Hans.p1.s1|person", "en.p1.s1|-|person", "en.p1.s2|zh-Hans.p1.s2|machine"]),
]


@pytest.mark.parametrize(("command", "expected"), COMMANDS)
def test_each_link_command_changes_the_tei_and_keeps_the_three_versions_consistent(corpus: Path, command: list[str], expected: list[str]) -> None:
    status, out = edit(corpus, *command)
    assert status == 0, out
    assert rows(corpus)[: len(expected)] == expected
    assert legs(corpus) == []


def test_split_then_unconfirm_and_json_prints_the_changed_links(corpus: Path) -> None:
    assert edit(corpus, "merge", "0")[0] == 0
    status, out = edit(corpus, "--json", "split", "0", "1:1")
    assert status == 0, out
    report = json.loads(out)
    assert [(c["row"], c["src"], c["tgt"], c["type"], c["resp"]) for c in report["changed"]] == [
        (0, ["en.p1.s1"], ["zh-Hans.p1.s1"], "1-1", "person"), (1, ["en.p1.s2"], ["zh-Hans.p1.s2"], "1-1", "person")]
    status, out = edit(corpus, "unconfirm", "1", "--json")
    assert json.loads(out)["changed"][0]["resp"] == "machine"
    assert report["version"] != json.loads(out)["version"]


def test_the_derived_pair_can_be_confirmed_but_not_contradict_the_pivot(corpus: Path) -> None:
    assert edit(corpus, "confirm", "2", pair="en,zh-Hant")[0] == 0
    assert rows(corpus, ("en", "zh-Hant"))[2] == "en.p1.s3|zh-Hant.p1.s3|person"
    before = files(corpus)
    status, out = edit(corpus, "merge", "0", pair="en,zh-Hant")
    assert status == 1 and out.count("\n") == 1 and "make this edit in one of those pairs instead" in out
    assert files(corpus) == before


def test_sentence_commands_split_join_and_correct(corpus: Path) -> None:
    assert edit(corpus, "split-sentence", "en.p2.s2", "5")[0] == 0
    assert [s.id for s in load(corpus, "doc").versions["en"].sentences()][4:6] == ["en.p2.s2", "en.p2.s2.1"]
    assert edit(corpus, "join", "zh-Hans.p1.s1")[0] == 0
    assert edit(corpus, "correct", "zh-Hant.p1.s1", "壹！")[0] == 0
    text = load(corpus, "doc")
    assert [s.text for s in text.versions["zh-Hans"].sentences()][0] == "一。二。"
    assert [s.text for s in text.versions["zh-Hant"].sentences()][0] == "壹！"
    assert legs(corpus) == []


ERRORS = [
    (["merge", "5"], "Error: link 5 is the last link: there is none below it\n"),
    (["merge", "9"], "Error: link 9 does not exist: there are 6 links, numbered 0 to 5\n"),
    (["split", "0", "1:1"], "Error: link 0 split at 1:1 leaves one part empty; choose a point inside the link\n"),
    (["split", "0", "x"], "Error: split AT 'x': give I:J, the source and target sentences the first part keeps, e.g. 1:1\n"),
    (["join", "en.p9.s9"], "Error: doc: no sentence 'en.p9.s9'; see the ids with `aligner show doc --json`\n"),
    (["undo"], "Error: doc: nothing to undo\n"),
    (["confirm", "0", "--pair", "en,fr"], None),
]


@pytest.mark.parametrize(("command", "message"), ERRORS)
def test_errors_are_one_line_exit_1_and_write_nothing(corpus: Path, command: list[str], message: str | None) -> None:
    before = files(corpus)
    if command[-2:] == ["--pair", "en,fr"]:
        status, out = edit(corpus, *command[:-2], pair="en,fr")
        message = "Error: doc: no en,fr links (pairs: en,zh-Hans, en,zh-Hant, zh-Hans,zh-Hant); choose one with --pair\n"
    else:
        status, out = edit(corpus, *command)
    assert (status, out) == (1, message)
    assert files(corpus) == before


def test_a_stale_version_is_refused(corpus: Path) -> None:
    version = session.open_document(corpus, "doc").version
    assert edit(corpus, "--expect", version, "confirm", "0")[0] == 0
    before = files(corpus)
    status, out = edit(corpus, "--expect", version, "confirm", "1")
    assert status == 1 and f"the document changed since version {version}" in out and "reload it" in out
    assert files(corpus) == before


def test_undo_and_redo_survive_restarts_for_more_than_100_steps(corpus: Path) -> None:
    start = pair_links(load(corpus, "doc"), "en", "zh-Hans")
    opened = session.open_document(corpus, "doc")
    for k in range(110):
        op = "confirm" if k % 2 == 0 else "unconfirm"
        opened = session.commit(opened, link_edit(opened.text, ("en", "zh-Hans"), op, k % 6 if op == "confirm" else (k - 1) % 6, engine_for), "tester")
    assert edit(corpus, "confirm", "3")[0] == 0  # a new process, as after a restart
    for _ in range(101):
        status, out = edit(corpus, "undo")
        assert status == 0, out
    assert all(r.resp == "machine" for r in pair_links(load(corpus, "doc"), "en", "zh-Hans")[:3])
    assert edit(corpus, "redo")[0] == 0
    assert len(json.loads((corpus / "doc" / JOURNAL_FILE).read_text())["steps"]) >= 100
    assert start[0].resp == "machine"


def test_history_is_a_valid_tei_revision_desc(corpus: Path) -> None:
    edit(corpus, "merge", "0")
    edit(corpus, "undo")
    status, out = edit(corpus, "history", "--json")
    changes = json.loads(out)["changes"]
    assert [(c["who"], c["what"], c["target"]) for c in changes] == [
        ("tester", "en–zh-Hans: merged link 0 with the link below: now [en.p1.s1 en.p1.s2 | zh-Hans.p1.s1 zh-Hans.p1.s2]", ["#en--zh-Hans"]),
        ("tester", "undid: en–zh-Hans: merged link 0 with the link below: now [en.p1.s1 en.p1.s2 | zh-Hans.p1.s1 zh-Hans.p1.s2]", ["#en--zh-Hans"]),
    ]
    xml = (corpus / "doc" / "align.xml").read_text()
    assert xml.count('who="#editor" target="#en--zh-Hans">') == 2 and "<name>tester</name>undid: " in xml
    if shutil.which("jing"):
        tei_all = Path(__file__).parent / "data" / "tei" / "tei_all.rng"
        if tei_all.exists():
            done = subprocess.run(["jing", str(tei_all), str(corpus / "doc" / "align.xml")], capture_output=True, text=True)
            assert done.returncode == 0, done.stdout


@pytest.mark.parametrize("bad", ["../doc", "/etc", "..", "doc/../doc", "%2e%2e", "a/b", "doc\x00", ".hidden/.."])
def test_document_ids_cannot_leave_the_corpus(corpus: Path, bad: str) -> None:
    with pytest.raises(CorpusError):
        session.folder_of(corpus / "doc", bad)


def test_a_symlinked_document_is_refused(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    save(outside, three_versions())
    (corpus / "link").symlink_to(outside / "doc")
    with pytest.raises(CorpusError, match="no such document"):
        session.folder_of(corpus, "link")


KILL = """
import os, signal, sys
from pathlib import Path
import aligner.corpus.store as store
from aligner.edit import session
from aligner.edit.ops import link_edit
sys.path.insert(0, {tests!r})
from edit_fixtures import engine_for

real_fdopen = os.fdopen
class Half:
    def __init__(self, f): self.f = f
    def __enter__(self): return self
    def __exit__(self, *a): return False
    def write(self, data):
        self.f.write(data[: len(data) // 2]); self.f.flush()
        os.kill(os.getpid(), signal.SIGKILL)
store.os.fdopen = lambda fd, mode: Half(real_fdopen(fd, mode))
opened = session.open_document(Path({corpus!r}), "doc")
session.commit(opened, link_edit(opened.text, ("en", "zh-Hans"), "merge", 0, engine_for), "tester")
"""


def test_a_kill_during_the_save_leaves_the_previous_valid_file(corpus: Path) -> None:
    before = files(corpus)
    script = KILL.format(tests=str(Path(__file__).parent), corpus=str(corpus))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert files(corpus) == before
    assert load(corpus, "doc") == load(corpus, "doc")  # still loads and validates
    assert edit(corpus, "merge", "0")[0] == 0  # and editing goes on
    assert not any(p.name.endswith(".xml") and p.name.startswith(".") and os.path.getsize(p) == 0 for p in (corpus / "doc").iterdir())


BEHIND = """
import os, signal, sys
from pathlib import Path
from aligner.edit import session
from aligner.edit.ops import sentence_edit
sys.path.insert(0, {tests!r})
from edit_fixtures import engine_for

opened = session.open_document(Path({corpus!r}), "doc")
session.commit(opened, sentence_edit(opened.text, "en", "split-sentence", "en.p1.s2", engine_for, at=2), "tester", write_behind=True)
os.kill(os.getpid(), signal.SIGKILL)  # the server dies before its writer put the edit in the files
"""


def test_a_kill_after_the_journal_step_loses_nothing(corpus: Path) -> None:
    before = {name: data for name, data in files(corpus).items() if name.endswith(".xml")}
    done = subprocess.run([sys.executable, "-c", BEHIND.format(tests=str(Path(__file__).parent), corpus=str(corpus))], capture_output=True, text=True)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert {name: data for name, data in files(corpus).items() if name.endswith(".xml")} == before
    assert "en.p1.s2.1" in session.open_document(corpus, "doc").text.versions["en"].sentence_index()  # replayed
    assert edit(corpus, "confirm", "0")[0] == 0  # the next edit writes both
    text = load(corpus, "doc")
    assert "en.p1.s2.1" in text.versions["en"].sentence_index() and [c.what for c in text.changes][-1] == "en–zh-Hans: confirmed link 0: now [en.p1.s1 | zh-Hans.p1.s1]"
    assert legs(corpus) == []


BETWEEN = """
import os, signal, sys
from pathlib import Path
from aligner.edit import session
from aligner.edit.ops import sentence_edit
sys.path.insert(0, {tests!r})
from edit_fixtures import engine_for

real_replace = os.replace
renamed = []
def replace_then_die(src, dst):
    real_replace(src, dst)
    if str(dst).endswith(("en.xml", "align.xml")):
        renamed.append(dst)
        if len(renamed) == 1:
            os.kill(os.getpid(), signal.SIGKILL)  # one of the two files written, not the other
os.replace = replace_then_die
opened = session.open_document(Path({corpus!r}), "doc")
session.commit(opened, sentence_edit(opened.text, "en", "split-sentence", "en.p1.s2", engine_for, at=2), "tester")
"""


def test_a_kill_between_the_two_files_of_a_sentence_edit_is_repaired(corpus: Path) -> None:
    before = files(corpus)
    done = subprocess.run([sys.executable, "-c", BETWEEN.format(tests=str(Path(__file__).parent), corpus=str(corpus))], capture_output=True, text=True)
    assert done.returncode == -signal.SIGKILL, done.stderr
    after = files(corpus)
    assert [name for name in ("en.xml", "align.xml") if after[name] != before[name]] in (["en.xml"], ["align.xml"])  # torn
    status, out = edit(corpus, "history")  # whoever opens the document next finishes the write
    assert status == 0 and "split en sentence en.p1.s2" in out
    text = load(corpus, "doc")
    assert "en.p1.s2.1" in text.versions["en"].sentence_index() and legs(corpus) == []
    assert not json.loads((corpus / "doc" / JOURNAL_FILE).read_text())["pending"]
    assert not [p.name for p in (corpus / "doc").iterdir() if p.name.endswith(".tmp")]


def test_a_build_writes_the_edits_the_journal_holds_before_it_reads_the_files(tmp_path: Path) -> None:
    build(SEEDS, tmp_path)
    opened = session.open_document(tmp_path, SEED_DOC)
    result = link_edit(opened.text, ("en", "zh-Hans"), "merge", 4, engine_for)
    session.commit(opened, result, "tester", write_behind=True)  # as the web editor does; its writer never ran
    merged = pair_links(result.text, "en", "zh-Hans")[4]
    build(SEEDS, tmp_path)
    rebuilt = load(tmp_path, SEED_DOC)
    assert merged in pair_links(rebuilt, "en", "zh-Hans") and rebuilt.changes[-1].what == result.what
    assert legs(tmp_path, SEED_DOC) == []


def test_build_edit_build_edit_keeps_confirmed_links_and_edited_sentences(tmp_path: Path) -> None:
    build(SEEDS, tmp_path)
    assert edit(tmp_path, "confirm", "3", doc=SEED_DOC)[0] == 0
    assert edit(tmp_path, "merge", "4", doc=SEED_DOC)[0] == 0
    assert edit(tmp_path, "split-sentence", "en.p1.s1", "20", doc=SEED_DOC)[0] == 0
    assert edit(tmp_path, "correct", "zh-Hans.p2.s1", "在无核化问题上，中美两国拥有共同利益。", doc=SEED_DOC)[0] == 0
    edited = load(tmp_path, SEED_DOC)
    person = {lk for al in edited.alignments for lk in al.links if lk.resp == "person"}
    build(SEEDS, tmp_path)
    rebuilt = load(tmp_path, SEED_DOC)
    assert rebuilt.versions == edited.versions
    assert person <= {lk for al in rebuilt.alignments for lk in al.links}
    assert rebuilt.changes == edited.changes
    machine = pair_links(rebuilt, "en", "zh-Hans")[10:12]
    assert edit(tmp_path, "merge", "10", doc=SEED_DOC)[0] == 0
    assert edit(tmp_path, "unconfirm", "10", doc=SEED_DOC)[0] == 0
    status, out = edit(tmp_path, "realign", "10", doc=SEED_DOC)
    assert status == 0, out
    assert [(r.src, r.tgt) for r in pair_links(load(tmp_path, SEED_DOC), "en", "zh-Hans")[10:12]] == [(r.src, r.tgt) for r in machine]
    assert edit(tmp_path, "confirm", "0", doc=SEED_DOC)[0] == 0
    build(SEEDS, tmp_path)
    again = load(tmp_path, SEED_DOC)
    assert again.versions == edited.versions and len(again.changes) == 8
    assert person | {pair_links(again, "en", "zh-Hans")[0]} <= {lk for al in again.alignments for lk in al.links}
    assert legs(tmp_path, SEED_DOC) == []


@pytest.mark.parametrize("saved", [1, 3])
def test_an_edit_saved_while_a_build_aligns_the_document_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, saved: int) -> None:
    """The build reads the document, aligns it (seconds), then writes: an edit saved in between
    makes it align again from the edited files; edits that keep coming make it stop, not overwrite."""
    import aligner.build

    build(SEEDS, tmp_path)
    original, calls = aligner.build.align_text, []

    def align_meanwhile(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) <= saved:
            assert edit(tmp_path, "confirm", str(10 + len(calls)), doc=SEED_DOC)[0] == 0
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(aligner.build, "align_text", align_meanwhile)
    if saved == 3:
        with pytest.raises(CorpusError, match="edited again each time it was aligned \\(3 times\\); build it when the edits are done"):
            build(SEEDS, tmp_path, force=True)
    else:
        build(SEEDS, tmp_path, force=True)
        assert len(calls) == 2
    kept = pair_links(load(tmp_path, SEED_DOC), "en", "zh-Hans")
    assert all(kept[10 + n].resp == "person" for n in range(1, saved + 1))
    assert len(load(tmp_path, SEED_DOC).changes) == saved


@pytest.mark.parametrize("who", ["bob\x01", "", "  ", "bad \udcff byte"])
def test_a_name_the_history_cannot_keep_is_refused_before_anything_is_written(corpus: Path, who: str) -> None:
    before = files(corpus)
    result = CliRunner().invoke(main, ["edit", "doc", "--corpus", str(corpus), "--who", who, "confirm", "1"])
    assert result.exit_code == 1 and result.output == f"Error: --who {who!r}: not a name the history can keep; give a plain name (letters, digits, spaces)\n"
    assert files(corpus) == before
    assert edit(corpus, "confirm", "1")[0] == 0 and edit(corpus, "undo")[0] == 0  # the document is still usable


def test_a_correction_holding_characters_xml_cannot_hold_is_stored_without_them(corpus: Path) -> None:
    sid = load(corpus, "doc").versions["en"].paragraphs[0].sentences[0].id
    code, out = edit(corpus, "correct", sid, "Fixed \uffff text\x01.")
    assert code == 0, out
    assert load(corpus, "doc").versions["en"].paragraphs[0].sentences[0].text == "Fixed text."


def test_a_correction_that_is_not_one_sentence_is_one_line_and_writes_nothing(corpus: Path) -> None:
    before = files(corpus)
    assert edit(corpus, "correct", "zh-Hans.p1.s1", "这是一个非常长的句子，" * 400) == (
        1, "Error: zh-Hans.p1.s1: a corrected text of 4,400 characters is not one sentence (the longest zh-Hans sentence "
           "has 14; at most 1,000 are taken); give this sentence's text only\n")
    assert edit(corpus, "correct", "en.p1.s1", "One. Two.") == (
        1, "Error: en.p1.s1: the corrected text is 2 sentences (the next begins “Two.”); split the sentence first (split-sentence), then correct each part\n")
    assert files(corpus) == before


@pytest.mark.parametrize(("pair", "message"), [
    ("zn,en", "'zn' is not a language tag ('zn' is no ISO 639-1 code; did you mean zh or zu?); use a BCP 47 tag such as en, zh-Hans, zh-Hant-TW"),
    ("en,en", "'en,en': give two different versions, e.g. en,zh-Hans"),
    ("en", "'en': give two different versions, e.g. en,zh-Hans"),
])
def test_a_bad_pair_is_one_line(corpus: Path, pair: str, message: str) -> None:
    """A --pair the command cannot use is a misused option: status 2, naming the --help to read."""
    assert edit(corpus, "confirm", "1", pair=pair) == (2, f"Error: Invalid value for '--pair': {message}; see `main edit --help`\n")


def unreadable(corpus: Path, reason: str) -> str:
    """The one line a journal that cannot be used is refused with."""
    return (f"Error: {corpus / 'doc' / JOURNAL_FILE}: not a readable journal ({reason}); delete it to start a new undo "
            "history — the TEI files keep every edit written to them\n")


def step(log: dict[str, Any]) -> dict[str, Any]:
    """The first undo step of a journal, to damage."""
    return log["steps"][0]  # type: ignore[no-any-return]


# (what damages journal.json after `confirm 1`: its whole text, or a change to what it holds; the reason given)
DAMAGES: list[tuple[str | Callable[[dict[str, Any]], object], str]] = [
    ("", "Expecting value: line 1 column 1 (char 0)"),
    ("{}", "journal has no version"),
    ("[]", "journal is not an object"),
    ('{"version": "x"}', "journal has no position"),
    (lambda log: log.update(pending="abc"), "journal.pending is not a list"),
    (lambda log: log.update(pending=[{"x": 1}]), "journal.pending[0] has no seq"),
    (lambda log: log.update(seq="x"), "journal.seq is not a whole number"),
    (lambda log: log.update(position=99), "journal.position 99 is outside its 1 undo steps"),
    (lambda log: step(log).pop("patch"), "journal.steps[0] has no patch"),
    (lambda log: step(log)["patch"]["links"][0]["old"].append([["en.p1.s1"]]), "journal.steps[0].patch.links[0].old[1] is not a link"),
    (lambda log: log.update(files={"../align.xml": "0"}), "journal names the file '../align.xml', which is not a plain file name"),
]


@pytest.mark.parametrize(("damage", "reason"), DAMAGES)
def test_a_damaged_journal_is_refused_in_one_line_by_edit_and_history(corpus: Path, damage: str | Callable[[dict[str, Any]], object], reason: str) -> None:
    assert edit(corpus, "confirm", "1")[0] == 0
    path = corpus / "doc" / JOURNAL_FILE
    if isinstance(damage, str):
        path.write_text(damage, encoding="utf-8")
    else:
        log = json.loads(path.read_text(encoding="utf-8"))
        damage(log)
        path.write_text(json.dumps(log), encoding="utf-8")
    before = files(corpus)
    for command in (["confirm", "2"], ["history"], ["undo"]):
        assert edit(corpus, *command) == (1, unreadable(corpus, reason))
    assert files(corpus) == before
    path.unlink()  # the fix the message gives
    assert edit(corpus, "confirm", "2")[0] == 0 and edit(corpus, "history")[0] == 0


def test_an_undo_step_naming_a_sentence_that_is_not_there_is_refused_before_writing(corpus: Path) -> None:
    """A step whose links name a sentence the version lacks would write an align.xml that no
    command can read again: refused, nothing written, and the document still usable."""
    assert edit(corpus, "confirm", "1")[0] == 0
    path = corpus / "doc" / JOURNAL_FILE
    log = json.loads(path.read_text(encoding="utf-8"))
    log["steps"][0]["patch"]["links"][0]["old"][0][0] = ["en.p9.s9"]
    path.write_text(json.dumps(log), encoding="utf-8")
    before = files(corpus)
    assert edit(corpus, "undo") == (1, unreadable(corpus, "its undo step 1 does not apply: a link names sentence 'en.p9.s9', which en.xml does not have"))
    assert files(corpus) == before
    assert edit(corpus, "confirm", "2")[0] == 0 and load(corpus, "doc").changes[-1].what == "en–zh-Hans: confirmed link 2: now [en.p1.s3 | zh-Hans.p1.s3]"


def test_an_undo_step_that_does_not_match_the_document_is_refused(corpus: Path) -> None:
    assert edit(corpus, "merge", "1")[0] == 0
    path = corpus / "doc" / JOURNAL_FILE
    log = json.loads(path.read_text(encoding="utf-8"))
    log["steps"][0]["patch"]["links"][0]["at"] = 3
    path.write_text(json.dumps(log), encoding="utf-8")
    before = files(corpus)
    assert edit(corpus, "undo") == (1, unreadable(corpus, "its undo step 1 does not apply: the en-zh-Hans links at 3 are not as it left them"))
    assert files(corpus) == before


def test_a_pending_edit_that_does_not_apply_is_refused_on_opening(corpus: Path) -> None:
    opened = session.open_document(corpus, "doc")
    session.commit(opened, link_edit(opened.text, ("en", "zh-Hans"), "merge", 0, engine_for), "tester", write_behind=True)
    path = corpus / "doc" / JOURNAL_FILE
    log = json.loads(path.read_text(encoding="utf-8"))
    log["pending"][0]["patch"]["links"][0]["pair"] = ["en", "fr"]
    path.write_text(json.dumps(log), encoding="utf-8")
    before = files(corpus)
    assert edit(corpus, "history") == (1, unreadable(corpus, "pending edit 1: doc has no en-fr links"))
    assert files(corpus) == before


def test_a_journal_holding_xliff_notes_and_states_reads_back(tmp_path: Path) -> None:
    from dataclasses import replace

    from aligner.corpus.model import Note, State

    text = three_versions()
    al = text.alignments[0]
    noted = replace(al.links[0], notes=(Note("check the term", "review", "zh-Hans"),), state=State("reviewed", "a:b"))
    save(tmp_path, replace(text, alignments=(replace(al, links=(noted, *al.links[1:])), *text.alignments[1:])))
    assert edit(tmp_path, "merge", "0")[0] == 0
    assert edit(tmp_path, "undo")[0] == 0
    assert pair_links(load(tmp_path, "doc"), "en", "zh-Hans")[0] == noted


def test_a_sentence_edit_undone_lets_the_input_file_count_again(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    corpus = tmp_path / "corpus"
    build(seeds, corpus)
    assert edit(corpus, "correct", "en.p1.s1", "Typo fixed.", doc=SEED_DOC)[0] == 0
    assert edit(corpus, "undo", doc=SEED_DOC)[0] == 0
    english = seeds / f"{SEED_DOC}.txt"
    first = load(corpus, SEED_DOC).versions["en"].paragraphs[1].sentences[0].text
    english.write_text(english.read_text(encoding="utf-8").replace(first, "A new first sentence."), encoding="utf-8")
    build(seeds, corpus)
    assert load(corpus, SEED_DOC).versions["en"].paragraphs[1].sentences[0].text == "A new first sentence."
    assert edit(corpus, "correct", "en.p1.s1", "Typo fixed.", doc=SEED_DOC)[0] == 0
    assert edit(corpus, "undo", doc=SEED_DOC)[0] == 0 and edit(corpus, "redo", doc=SEED_DOC)[0] == 0
    english.write_text(english.read_text(encoding="utf-8").replace("A new first sentence.", "Another one."), encoding="utf-8")
    build(seeds, corpus)  # the correction stands again: the version as edited is kept
    assert load(corpus, SEED_DOC).versions["en"].paragraphs[1].sentences[0].text == "Typo fixed."


def test_a_persons_link_follows_its_sentences_when_an_input_file_gains_or_loses_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    corpus = tmp_path / "corpus"
    build(seeds, corpus)
    rows = pair_links(load(corpus, SEED_DOC), "en", "zh-Hans")
    en = load(corpus, SEED_DOC).versions["en"].sentence_index()
    def para(n: int) -> str:
        return rows[n].src[0].rsplit(".", 1)[0] if len(rows[n].src) == 1 and len(rows[n].tgt) == 1 else f"row {n}"

    late = next(n for n in range(1, len(rows)) if n > 20 and para(n) == para(n - 1))  # a 1-1 link after another in its paragraph
    dropped = late - 1
    assert edit(corpus, "confirm", str(late), doc=SEED_DOC)[0] == 0
    assert edit(corpus, "confirm", str(dropped), doc=SEED_DOC)[0] == 0
    late_text, dropped_text = en[rows[late].src[0]].text, en[rows[dropped].src[0]].text
    english = seeds / f"{SEED_DOC}.txt"
    body = english.read_text(encoding="utf-8")
    assert body.count(dropped_text) == 1
    english.write_text(body.replace(dropped_text, ""), encoding="utf-8")  # a sentence before `late` is gone
    build(seeds, corpus)
    text = load(corpus, SEED_DOC)
    index = text.versions["en"].sentence_index()
    person = [lk for lk in pair_links(text, "en", "zh-Hans") if lk.resp == "person"]
    assert [index[lk.src[0]].text for lk in person] == [late_text]  # on its own sentence, under its new id
    assert person[0].tgt == rows[late].tgt and person[0].src != rows[late].src
    assert f"a link made by a person ({rows[dropped].src[0]} | {' '.join(rows[dropped].tgt)}) is dropped: its sentences changed" in caplog.text


def test_a_build_without_a_version_says_which_links_of_a_person_it_drops(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    corpus = tmp_path / "corpus"
    build(seeds, corpus)
    assert edit(corpus, "confirm", "3", pair="en,zh-Hant", doc=SEED_DOC)[0] == 0
    (seeds / f"{SEED_DOC}.zh-Hant.txt").unlink()
    build(seeds, corpus)
    assert "is dropped: zh-Hant is no longer among the inputs; review the alignment" in caplog.text


def test_sentence_edits_and_undo_need_no_pair_the_document_lacks(tmp_path: Path) -> None:
    from dataclasses import replace

    full = three_versions()
    two = replace(full, versions={k: v for k, v in full.versions.items() if k != "zh-Hans"},
                  alignments=tuple(al for al in full.alignments if al.pair == ("en", "zh-Hant")))
    save(tmp_path, two)
    sid = next(two.versions["en"].sentences()).id
    code, out = edit(tmp_path, "correct", sid, "A corrected sentence.")  # --pair en,zh-Hans, which it has not
    assert code == 0, out
    assert edit(tmp_path, "undo")[0] == 0 and edit(tmp_path, "history")[0] == 0
    code, out = edit(tmp_path, "confirm", "1")  # a link edit does need the pair
    assert code == 1 and "no en,zh-Hans links (pairs: en,zh-Hant); choose one with --pair" in out


def test_a_refused_edit_of_a_derived_pair_is_one_line(corpus: Path, caplog: pytest.LogCaptureFixture) -> None:
    before = files(corpus)
    code, out = edit(corpus, "merge", "1", pair="en,zh-Hant")
    assert code == 1 and out.count("\n") == 1
    assert out.startswith("Error: en↔zh-Hant is derived through zh-Hans: the link [") and files(corpus) == before
    assert "dropped" not in caplog.text  # nothing was dropped: the edit was refused



def test_a_negative_link_number_is_refused_as_a_number(corpus: Path) -> None:
    result = CliRunner().invoke(main, ["edit", "doc", "--corpus", str(corpus), "merge", "-1"], prog_name="aligner")
    assert (result.exit_code, result.output) == (2, "Error: Invalid value for 'N': -1 is not in the range x>=0; see `aligner edit DOC_ID merge --help`\n")


def test_a_correction_on_the_command_line_shows_the_row_it_changed(corpus: Path) -> None:
    sid = next(load(corpus, "doc").versions["en"].sentences()).id
    code, out = edit(corpus, "correct", sid, "A corrected sentence.")
    assert code == 0 and "no link changed" not in out and f"{sid} |" in out


def test_a_pair_naming_another_region_edits_nothing(tmp_path: Path) -> None:
    """--pair en,zh-Hant-HK on a document whose Traditional version is Taiwan's: one line naming
    the tags to ask for, files untouched (it edited Taiwan's version)."""
    from dataclasses import replace

    text = three_versions()
    save(tmp_path, replace(text, versions={**text.versions, "zh-Hant": replace(text.versions["zh-Hant"], region="TW")}))
    before = files(tmp_path)
    code, out = edit(tmp_path, "confirm", "1", pair="en,zh-Hant-HK")
    assert code == 1 and out == "Error: doc: --pair zh-Hant-HK: this document's zh-Hant version is zh-Hant-TW; ask for zh-Hant-TW or zh-Hant\n"
    assert files(tmp_path) == before
    assert edit(tmp_path, "confirm", "1", pair="en,zh-Hant-TW")[0] == 0


def full_disk(*args: object, **kwargs: object) -> NoReturn:
    """A write on a full disk."""
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def temporaries(corpus: Path) -> list[str]:
    """The temporary files left in the document's folder."""
    return [p.name for p in (corpus / "doc").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(("write", "failed"), [("aligner.corpus.store.temporary", "align.xml"), ("aligner.corpus.store.write_atomic", COMMIT_FILE)])
def test_an_edit_on_a_full_disk_is_not_made_and_says_so_in_one_line(corpus: Path, monkeypatch: pytest.MonkeyPatch, write: str, failed: str) -> None:
    """Whether the new bytes of a TEI file or the commit record that makes the edit (with the
    journal recording it) cannot be written: one line naming the file and the fix, exit 1, the
    files and the journal as they were, so that making the edit again once there is room makes
    it once."""
    assert edit(corpus, "confirm", "0")[0] == 0
    before = files(corpus)
    monkeypatch.setattr(write, full_disk)
    assert edit(corpus, "merge", "3") == (1, f"Error: {corpus / 'doc' / failed}: cannot write (No space left on device); "
                                             "the edit was not made: free some disk space and make it again\n")
    assert files(corpus) == before and temporaries(corpus) == []
    monkeypatch.undo()
    assert edit(corpus, "history") == (0, f"{load(corpus, 'doc').changes[0].when}  tester: en–zh-Hans: confirmed link 0: now [en.p1.s1 | zh-Hans.p1.s1]\n")
    assert edit(corpus, "merge", "3")[0] == 0
    assert [c.what for c in load(corpus, "doc").changes] == ["en–zh-Hans: confirmed link 0: now [en.p1.s1 | zh-Hans.p1.s1]", "en–zh-Hans: merged link 3 with the link below: now [en.p2.s1 en.p2.s2 | zh-Hans.p2.s1 zh-Hans.p2.s2]"]


def test_a_journal_that_cannot_be_written_gives_the_reason_once(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The journal's own write failing (`write_atomic`'s one-line error): the line gives the
    system's reason, not that error's whole line again."""
    from aligner.corpus import store

    real = store.temporary

    def journal_full(path: Path, *args: Any, **kwargs: Any) -> Path:
        return full_disk() if path.name == JOURNAL_FILE else real(path, *args, **kwargs)

    monkeypatch.setattr(store, "temporary", journal_full)
    assert edit(corpus, "merge", "3") == (1, f"Error: {corpus / 'doc' / JOURNAL_FILE}: cannot write (No space left on device); "
                                             "the edit was not made: free some disk space and make it again\n")
    assert temporaries(corpus) == []


def test_an_edit_whose_files_are_written_stands_when_only_removing_its_commit_record_fails(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After the commit record names the new files the edit is saved; if the record cannot then
    be removed, the edit stands, and the next command drops the record (the files are already
    what it puts)."""
    real = Path.unlink

    def record_stays(self: Path, missing_ok: bool = False) -> None:
        return full_disk() if self.name == COMMIT_FILE else real(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", record_stays)
    status, out = edit(corpus, "merge", "3")
    assert status == 0, out
    assert (corpus / "doc" / COMMIT_FILE).exists()
    monkeypatch.undo()
    assert [c.what for c in load(corpus, "doc").changes] == ["en–zh-Hans: merged link 3 with the link below: now [en.p2.s1 en.p2.s2 | zh-Hans.p2.s1 zh-Hans.p2.s2]"]
    assert edit(corpus, "history")[0] == 0
    log = json.loads((corpus / "doc" / JOURNAL_FILE).read_text(encoding="utf-8"))
    assert not (corpus / "doc" / COMMIT_FILE).exists() and log["pending"] == [] and temporaries(corpus) == []
    assert edit(corpus, "undo")[0] == 0 and [c.what for c in load(corpus, "doc").changes][-1].startswith("undid: ")


def test_an_edit_saved_but_not_renamed_into_its_file_says_so_and_is_written_next(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rename that fails after the journal recorded the edit: one line saying the edit is saved
    and what writes it; the temporary file stays for the next command, which writes it once."""
    real = os.replace

    def align_fails(src: Any, dst: Any) -> None:
        return full_disk() if str(dst).endswith("align.xml") else real(src, dst)

    monkeypatch.setattr(os, "replace", align_fails)
    assert edit(corpus, "merge", "3") == (1, f"Error: {corpus / 'doc' / 'align.xml'}: cannot write (No space left on device); the edits are "
                                             "saved in the journal, and the next edit or build of the document writes them: free some disk space\n")
    monkeypatch.undo()
    assert len(temporaries(corpus)) == 1
    status, out = edit(corpus, "history")
    assert status == 0 and out.count("merged link 3") == 1
    assert [c.what for c in load(corpus, "doc").changes] == ["en–zh-Hans: merged link 3 with the link below: now [en.p2.s1 en.p2.s2 | zh-Hans.p2.s1 zh-Hans.p2.s2]"] and temporaries(corpus) == []


def test_the_background_writer_on_a_full_disk_keeps_the_edits_pending(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import aligner.edit.files
    from aligner.errors import OutputError

    opened = session.open_document(corpus, "doc")
    session.commit(opened, link_edit(opened.text, ("en", "zh-Hans"), "merge", 0, engine_for), "tester", write_behind=True)
    before = files(corpus)
    monkeypatch.setattr("aligner.corpus.store.temporary", full_disk)
    with pytest.raises(OutputError, match="align.xml: cannot write \\(No space left on device\\); the edits are saved in the journal"):
        aligner.edit.files.flush(corpus / "doc", "doc")
    assert files(corpus) == before and temporaries(corpus) == []
    monkeypatch.undo()
    assert aligner.edit.files.flush(corpus / "doc", "doc")
    assert [c.what for c in load(corpus, "doc").changes] == ["en–zh-Hans: merged link 0 with the link below: now [en.p1.s1 en.p1.s2 | zh-Hans.p1.s1 zh-Hans.p1.s2]"]


TOGETHER = """
import os, sys, time
from aligner.cli import main
while not os.path.exists({go!r}):  # every process loaded before any edits: they edit at the same moment
    time.sleep(0.005)
sys.argv = ["aligner", "edit", "doc", "--corpus", {corpus!r}, "--who", "tester", *{args!r}]
main()
"""


def test_edits_made_at_the_same_time_without_expect_are_made_one_after_another(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    go = tmp_path_factory.mktemp("go") / "go"
    commands = [["correct", "en.p1.s1", f"Version {k}."] for k in range(8)]  # each changes the document, whatever came before
    runs = [subprocess.Popen([sys.executable, "-c", TOGETHER.format(go=str(go), corpus=str(corpus), args=args)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for args in commands]
    go.touch()
    done = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0] * 8, [err for _, err in done]
    assert len(load(corpus, "doc").changes) == 8
    log = json.loads((corpus / "doc" / JOURNAL_FILE).read_text(encoding="utf-8"))
    assert len(log["steps"]) == 8 and log["pending"] == []
    version = session.open_document(corpus, "doc").version
    assert edit(corpus, "--expect", "0" * 16, "confirm", "0")[0] == 1  # --expect still refuses another version
    assert edit(corpus, "--expect", version, "confirm", "0")[0] == 0


def test_realign_over_a_sentence_too_long_to_align_names_it_and_the_fix(tmp_path: Path) -> None:
    """An imported line of 25,000 characters: the engine refuses it by its place in the stretch it
    was given; the command line names the document, the sentence id and how to split it."""
    from dataclasses import replace

    from aligner.corpus.model import Sentence

    text = three_versions()
    en = text.versions["en"]
    first = en.paragraphs[0]
    sentences = (first.sentences[0], Sentence("en.p1.s2", "word " * 4999 + "word"), first.sentences[2])
    save(tmp_path, replace(text, versions={**text.versions, "en": replace(en, paragraphs=(replace(first, sentences=sentences), *en.paragraphs[1:]))}))
    before = files(tmp_path)
    assert edit(tmp_path, "realign", "1") == (1, "Error: doc: en sentence en.p1.s2 has 24999 characters, too long to align (its text was not "
                                                 "split into sentences); split it first: aligner edit doc split-sentence en.p1.s2 AT\n")
    assert files(tmp_path) == before
