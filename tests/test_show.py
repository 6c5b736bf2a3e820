"""`aligner show`: filters (review, range, grep), plain text off a terminal, JSON, one-line errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_reader import EN, HANS, HANT, harbour

from aligner.cli import main
from aligner.corpus.model import Alignment, Link, ParallelText
from aligner.corpus.store import save
from aligner.reader.filters import grep_pattern, parse_range

RANGES = [("10:40", slice(10, 40)), ("10:", slice(10, None)), (":40", slice(None, 40)), ("7", slice(7, 8))]
GREPS = [  # (word, text, found)
    ("harbour", "The HARBOUR opened.", True),
    ("港口", "港口在春天開放。", True),
    ("船只", "船隻從南方駛來。", True),  # Simplified query finds the Traditional form
    ("船隻", "船只从南方驶来。", True),
    ("a.b", "axb", False),  # the word is literal, not a pattern
]


@pytest.mark.parametrize(("value", "expected"), RANGES)
def test_parse_range(value: str, expected: slice) -> None:
    assert parse_range(value) == expected


@pytest.mark.parametrize("value", ["-3:", ":-48", "48:-1", "-2"])
def test_a_range_with_a_negative_row_is_refused(value: str) -> None:
    from aligner.errors import InputError

    with pytest.raises(InputError, match=f"--range {value}: row numbers start at 0"):
        parse_range(value)


@pytest.mark.parametrize(("word", "text", "found"), GREPS)
def test_grep_pattern(word: str, text: str, found: bool) -> None:
    assert bool(grep_pattern(word).search(text)) is found


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    save(tmp_path / "corpora", harbour())
    return tmp_path / "corpora"


def show(corpus: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["show", "harbour", "--corpus", str(corpus), *args], prog_name="aligner")
    return result.exit_code, result.output


def test_only_review_prints_weak_links_and_omissions_as_plain_text(corpus: Path) -> None:
    assert show(corpus, "--only-review") == (0, (
        "[3] 0.30 review\n  en: Nobody expected the storm.\n  zh-Hans: 没有人预料到这场风暴。\n  zh-Hant: 沒有人預料到這場風暴。\n"
        "[4] 0.90 omission\n  en: It lasted three days.\n  zh-Hans: 它持续了三天。\n  zh-Hant: —\n"
    ))


def test_range_and_langs(corpus: Path) -> None:
    assert show(corpus, "--range", "1:3", "--langs", "zh-Hans,en") == (0, (
        "[1] 0.90\n  zh-Hans: 港口在春天开放。\n  en: The harbour opened in spring.\n"
        "[2] 0.90\n  zh-Hans: 船只从南方驶来。\n  en: Ships came from the south.\n"
    ))


def test_grep_in_json_keeps_every_version(corpus: Path) -> None:
    code, out = show(corpus, "--grep", "船只", "--json")
    rows = json.loads(out)["rows"]
    assert code == 0 and [r["row"] for r in rows] == [2]
    assert rows[0]["cells"]["zh-Hant"] == [{"id": "zh-Hant.p1.s2", "text": "船隻從南方駛來。"}]
    assert rows[0]["review"] is False


def test_filters_combine(corpus: Path) -> None:
    code, out = show(corpus, "--only-review", "--range", "4:", "--json")
    assert code == 0 and [r["row"] for r in json.loads(out)["rows"]] == [4]


@pytest.mark.parametrize(("args", "error"), [
    (["--range", "40:10"], "Invalid value for '--range': 40:10: END 10 comes before START 40; write --range 10:40"),
    (["--range", "5:2"], "Invalid value for '--range': 5:2: END 2 comes before START 5; write --range 2:5"),
    (["--range", "a:b"], "Invalid value for '--range': a:b: expected START:END with row numbers, e.g. --range 10:40"),
    (["--range", "abc"], "Invalid value for '--range': abc: expected START:END with row numbers, e.g. --range 10:40"),
    (["--range", ":-48"], "Invalid value for '--range': :-48: row numbers start at 0 (as `aligner show` prints them), e.g. --range 10:40"),
    (["--grep", " "], "Invalid value for '--grep': give a word to look for, e.g. --grep harbour"),
    (["--langs", "zn,en"], "Invalid value for '--langs': 'zn' is not a language tag ('zn' is no ISO 639-1 code; did you mean zh or zu?);"
                           " use a BCP 47 tag such as en, zh-Hans, zh-Hant-TW"),
    (["--grep"], "Option '--grep' requires an argument"),  # it named `aligner --help`: click's error has no command
])
def test_bad_filters_are_usage_errors_naming_the_help(corpus: Path, args: list[str], error: str) -> None:
    """They were status 1 without the --help to read, as if the document were at fault."""
    assert show(corpus, *args) == (2, f"Error: {error}; see `aligner show --help`\n")


@pytest.mark.parametrize(("args", "note"), [
    (["--range", "999:"], "harbour has 5 rows, numbered from 0; --range starts at row 999, past them"),
    (["--range", "5"], "harbour has 5 rows, numbered from 0; --range starts at row 5, past them"),
    (["--grep", "anchor"], "no row of harbour holds the --grep word"),
    (["--only-review", "--range", ":3"], "no row of harbour in --range needs review"),
    (["--only-review", "--grep", "spring"], "no row of harbour needs review and holds the --grep word"),
])
def test_filters_that_leave_no_row_say_why_on_stderr(corpus: Path, args: list[str], note: str) -> None:
    """`--range 999:` printed nothing with status 0, as if the document were empty."""
    result = CliRunner().invoke(main, ["show", "harbour", "--corpus", str(corpus), *args])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"Note: {note}\n")
    as_json = CliRunner().invoke(main, ["show", "harbour", "--corpus", str(corpus), "--json", *args])
    assert json.loads(as_json.stdout)["rows"] == [] and as_json.stderr == f"Note: {note}\n"
    assert CliRunner().invoke(main, ["show", "harbour", "--corpus", str(corpus), "--range", "4:"]).stderr == ""


def test_output_to_a_full_disk_is_one_line(corpus: Path) -> None:
    """It was an OSError traceback: only a closed pipe was caught."""
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-c", "from aligner.cli import main; main()", "show", "harbour", "--corpus", str(corpus)],
                              stdout=full, stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert (done.returncode, done.stderr) == (1, "Error: cannot write the output (No space left on device); free some disk space or redirect the output elsewhere\n")


@pytest.mark.parametrize(("langs", "message"), [
    ("en,en", "Error: --langs en,en: en comes twice; name each version once\n"),
    (",", "Error: --langs ',': name the versions, e.g. --langs en,zh-Hans\n"),
])
def test_langs_must_name_each_version_once(tmp_path: Path, langs: str, message: str) -> None:
    from edit_fixtures import three_versions

    save(tmp_path, three_versions())
    for command in (["show", "doc"], ["export", "doc", "--format", "tsv", "-o", str(tmp_path / "x.tsv")]):
        result = CliRunner().invoke(main, [*command, "--corpus", str(tmp_path), "--langs", langs])
        assert (result.exit_code, result.output) == (1, message)


def test_a_tag_names_the_version_within_it_and_errors_name_full_tags(tmp_path: Path) -> None:
    """zh names a document's one Chinese version (zh-Hant-HK); a missing one is named with the tags the document has."""
    from dataclasses import replace

    text = harbour()
    versions = {"en": text.versions["en"], "zh-Hant": replace(text.versions["zh-Hant"], region="HK")}
    save(tmp_path, replace(text, versions=versions, alignments=tuple(al for al in text.alignments if "zh-Hans" not in al.pair)))
    code, out = show(tmp_path, "--langs", "en,zh", "--range", "0:1")
    assert code == 0 and "  zh-Hant-HK: " in out
    assert show(tmp_path, "--langs", "en,zh-Hans") == (1, "Error: harbour: no zh-Hans version (it has en, zh-Hant-HK); choose with --langs\n")
    assert show(tmp_path, "--langs", "en,zh-Hant-TW") == (
        1, "Error: --langs zh-Hant-TW: this document's zh-Hant version is zh-Hant-HK; ask for zh-Hant-HK or zh-Hant\n")
    assert show(tmp_path, "--langs", "zh-Hant,zh") == (
        1, "Error: --langs zh-Hant,zh: zh-Hant and zh both name the zh-Hant version, which a document has one of; name it once\n")


def solo_and_joined(corpus: Path) -> Path:
    """The harbour, a document of one version (`solo`), and one (`joined`) whose 1-2 and 2-1
    links put two sentences in a cell of each language."""
    from test_reader import version

    save(corpus, harbour())
    save(corpus, ParallelText("solo", {"en": version("solo", "en", "Alone", EN[:2])}))
    en = version("joined", "en", "Joined", EN[:3], per_para=3)
    hans = version("joined", "zh-Hans", "合并", HANS[:3], per_para=3)
    links = (Link(("en.head.s1",), ("zh-Hans.head.s1",), 0.9),
             Link(("en.p1.s1",), ("zh-Hans.p1.s1", "zh-Hans.p1.s2"), 0.8),
             Link(("en.p1.s2", "en.p1.s3"), ("zh-Hans.p1.s3",), 0.7))  # fmt: skip
    save(corpus, ParallelText("joined", {"en": en, "zh-Hans": hans}, (Alignment("en", "zh-Hans", links),)))
    return corpus


def test_a_cell_joins_its_sentences_as_its_language_writes_them(tmp_path: Path) -> None:
    """Chinese sentences of a cell were joined with a space, as English ones are."""
    corpus = solo_and_joined(tmp_path)
    result = CliRunner().invoke(main, ["show", "joined", "--corpus", str(corpus), "--range", "1:"])
    assert (result.exit_code, result.output) == (0, (
        f"[1] 0.80\n  en: {EN[0]}\n  zh-Hans: {HANS[0]}{HANS[1]}\n"
        f"[2] 0.70\n  en: {EN[1]} {EN[2]}\n  zh-Hans: {HANS[2]}\n"
    ))


@pytest.mark.parametrize(("doc", "langs"), [("solo", "en"), ("harbour", "en"), ("harbour", "zh-Hant")])
def test_a_row_of_one_version_has_no_confidence(tmp_path: Path, doc: str, langs: str) -> None:
    """Such rows have no link, and were shown as `[n] 0.00` and `"confidence": 0.0`."""
    corpus = solo_and_joined(tmp_path)
    args = ["show", doc, "--corpus", str(corpus), "--langs", langs, "--range", "0:2"]
    plain = CliRunner().invoke(main, args).output
    assert plain.splitlines()[0::2] == ["[0]", "[1]"]
    rows = json.loads(CliRunner().invoke(main, [*args, "--json"]).output)["rows"]
    assert [(r["confidence"], r["review"]) for r in rows] == [(None, False), (None, False)]
    assert json.loads(CliRunner().invoke(main, ["show", "joined", "--corpus", str(corpus), "--json", "--range", "1"]).output)["rows"][0]["confidence"] == 0.8


def terminal_rows(corpus: Path, doc: str, pager: bool | None = False) -> None:
    """What `show DOC` prints on a terminal, through its own code (the test's stdout is no terminal)."""
    from aligner.cli.show import _print_rows, parse_langs
    from aligner.corpus.rows import aligned_rows
    from aligner.corpus.store import load

    text = load(corpus, doc)
    langs = parse_langs("", text)
    _print_rows(aligned_rows(text, langs), langs, "Title", None, 0.5, pager, {lang: lang for lang in langs})


@pytest.mark.parametrize(("columns", "table"), [(20, False), (24, False), (32, False), (40, True), (120, True)])
def test_a_narrow_terminal_stacks_the_versions_rather_than_lose_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], columns: int, table: bool
) -> None:
    """At 24 columns each Chinese column of a three-version table was one cell wide, and its
    cells printed empty; at 20 every cell did."""
    corpus = solo_and_joined(tmp_path)
    monkeypatch.setenv("COLUMNS", str(columns))
    terminal_rows(corpus, "harbour")
    out = capsys.readouterr().out
    assert ("┃" in out) is table
    assert max(len(line) for line in out.splitlines()) <= columns
    shown = sorted(c for c in out if c >= "\u3000")  # CJK: box drawing is below
    assert shown == sorted("".join(["港口", *HANS, "港口", *HANT[:-1]]))  # every wide character, once
    if not table:
        flat = "".join(out.split())
        assert all(sentence.replace(" ", "") in flat for sentence in EN + HANS + HANT[:-1])


def test_the_table_leaves_the_confidence_of_a_row_of_one_version_blank(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = solo_and_joined(tmp_path)
    monkeypatch.setenv("COLUMNS", "60")
    terminal_rows(corpus, "solo")
    out = capsys.readouterr().out
    assert "┃" in out and "Alone" in out and "0.00" not in out


@pytest.mark.parametrize(("users", "given"), [(None, "-R"), ("-S", "-S"), ("", "")])
def test_the_pager_is_told_to_show_colours_unless_the_user_set_less(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, users: str | None, given: str
) -> None:
    """pydoc ran `less` without -R when $LESS was unset: the table's escape codes showed raw."""
    import os
    import pydoc

    corpus = solo_and_joined(tmp_path)
    if users is None:
        monkeypatch.delenv("LESS", raising=False)
    else:
        monkeypatch.setenv("LESS", users)
    seen: list[str | None] = []
    monkeypatch.setattr(pydoc, "pager", lambda text: seen.append(os.environ.get("LESS")))
    terminal_rows(corpus, "harbour", pager=True)
    assert seen == [given]
    assert os.environ.get("LESS") == users  # as it was, once the pager is done


def test_list_names_exactly_the_documents_show_accepts(tmp_path: Path) -> None:
    """Folders that are no document ids (报告, .hid, a b) were listed, then refused by `show`."""
    corpus = solo_and_joined(tmp_path / "corpora")
    for name in ("报告", ".hid", "a b"):
        shutil.copytree(corpus / "solo", corpus / name)
    listed = CliRunner().invoke(main, ["show", "--list", "--corpus", str(corpus)])
    assert (listed.exit_code, listed.output) == (0, "harbour\njoined\nsolo\n")
    assert json.loads(CliRunner().invoke(main, ["show", "--list", "--json", "--corpus", str(corpus)]).output) == ["harbour", "joined", "solo"]
    assert all(CliRunner().invoke(main, ["show", doc, "--corpus", str(corpus)]).exit_code == 0 for doc in listed.output.split())


@pytest.mark.parametrize("args", [["--list"], ["harbour"], []])
def test_a_missing_corpus_is_the_same_error_with_or_without_list(tmp_path: Path, args: list[str]) -> None:
    """`show --list --corpus /nonexistent` said "No documents in …" with status 0; `show DOC` failed."""
    result = CliRunner().invoke(main, ["show", *args, "--corpus", str(tmp_path / "nowhere")])
    assert (result.exit_code, result.output) == (1, f"Error: {tmp_path / 'nowhere'}: no such corpus folder (missing); give the folder `aligner build` wrote\n")


@pytest.mark.parametrize("command", [["show"], ["qa"], ["export", "--format", "tsv", "-o", "{work}/out.tsv"]])
def test_a_document_whose_align_xml_is_gone_is_refused_not_shown_unaligned(work: Path, command: list[str]) -> None:
    """Every row was shown as an omission of confidence 0, QA found nothing and the export wrote
    one-sided units, exit 0: every save writes align.xml, so its loss is damage, not "no links"."""
    doc = next(p for p in (work / "corpus").iterdir() if p.is_dir())
    (doc / "align.xml").unlink()
    name, *options = (arg.format(work=work) for arg in command)
    result = CliRunner().invoke(main, [name, doc.name, "--corpus", str(work / "corpus"), *options])
    assert result.exit_code == 1
    assert f"{doc / 'align.xml'}: missing, so its links are unknown; run `aligner build`" in result.output
    assert not (work / "out.tsv").exists()


def test_a_corpus_lists_only_folders_named_as_documents(work: Path) -> None:
    """`show --list` named 报告 and .hid, which `show` then refused; export and html read them too."""
    for name in ("报告", ".hid"):
        shutil.copytree(next(p for p in (work / "corpus").iterdir() if p.is_dir()), work / "corpus" / name)
    listed = CliRunner().invoke(main, ["show", "--list", "--corpus", str(work / "corpus")])
    assert listed.exit_code == 0 and "报告" not in listed.output and ".hid" not in listed.output
    from aligner.corpus.store import doc_ids

    assert doc_ids(work / "corpus") == ["000_bf7a112df29932bd"]
