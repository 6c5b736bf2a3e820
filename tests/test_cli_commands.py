"""The command group loads a command's module only when the command runs, so the table of
commands must name every command module, each defining the command it is listed for."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import aligner.cli
from aligner.cli import COMMANDS, main

DATA = Path(__file__).parent / "data" / "formats" / "corpus"


def test_every_command_module_is_listed_and_defines_its_command() -> None:
    modules = {m.name for m in pkgutil.iter_modules(aligner.cli.__path__)} - {"options"}
    assert set(COMMANDS.values()) == modules
    for name in COMMANDS:
        command = main.get_command(None, name)  # type: ignore[arg-type]
        assert command is not None and command.name == name


def test_starting_a_command_does_not_load_the_others() -> None:
    code = (
        "import sys; from aligner.cli import main; "
        "main.get_command(None, 'build'); "
        "print(sorted(m for m in ('aligner.reader.editor', 'aligner.search.index', 'aligner.qa.run', 'aligner.cli.serve') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


USAGE = [
    (["show", "--threshold", "2"], "Error: Invalid value for '--threshold': 2.0 is not in the range 0<=x<=1; see `aligner show --help`\n"),
    (["bogus"], "Error: No such command 'bogus'; see `aligner --help`\n"),
    (["-v"], "Error: Missing command; see `aligner --help`\n"),
    (["export", "d", "--format", "tmx"], "Error: Missing option '-o' / '--output'; see `aligner export --help`\n"),
    (["score", "d", "-c", "x.txt", "--worst", "-1"], "Error: Invalid value for '--worst': -1 is not in the range x>=0; see `aligner score --help`\n"),
    # out of range: --limit 0 said "No match", -1 meant no limit; a confidence of 2, -1 or nan was taken
    (["search", "x", "--limit", "0"], "Error: Invalid value for '--limit': 0 is not in the range x>=1; see `aligner search --help`\n"),
    (["search", "x", "--limit", "-1"], "Error: Invalid value for '--limit': -1 is not in the range x>=1; see `aligner search --help`\n"),
    (["show", "d", "--threshold", "nan"], "Error: Invalid value for '--threshold': nan is not in the range 0<=x<=1; see `aligner show --help`\n"),
    *[(["export", "d", "--format", "tsv", "-o", "x", "--min-confidence", value],
       f"Error: Invalid value for '--min-confidence': {shown} is not in the range 0<=x<=1; see `aligner export --help`\n")
      for value, shown in (("2", "2.0"), ("-1", "-1.0"), ("nan", "nan"), ("inf", "inf"))],
    # a language tag's typo was status 1 without the --help to read, or (show, pair) without the option's name
    *[(args, f"Error: Invalid value for '{option}': 'zn' is not a language tag ('zn' is no ISO 639-1 code; did you mean zh or zu?);"
             f" use a BCP 47 tag such as en, zh-Hans, zh-Hant-TW; see `aligner {args[0]} --help`\n")
      for args, option in ((["align", "--src-lang", "zn", "--tgt-lang", "de", "a", "b"], "--src-lang"),
                           (["align", "--src-lang", "en", "--tgt-lang", "zn", "a", "b"], "--tgt-lang"),
                           (["eval", "--src-lang", "zn", "g"], "--src-lang"), (["search", "x", "--lang", "zn"], "--lang"),
                           (["score", "d", "--src", "zn", "-c", "x.txt"], "--src"), (["show", "d", "--langs", "en,zn"], "--langs"),
                           (["pair", "--langs", "zn,en", "a", "b"], "--langs"))],
    (["pair", "--langs", "en", "a", "b"], "Error: Invalid value for '--langs': en: give the two folders' languages, e.g. --langs en,zh-Hans;"
                                          " see `aligner pair --help`\n"),
    (["pair", "--langs", "zh-TW,zh-Hant", "a", "b"], "Error: Invalid value for '--langs': zh-TW,zh-Hant: the two folders must hold two"
                                                     " languages; give each folder's own; see `aligner pair --help`\n"),
    # an option given without its value named `aligner --help`: click gives that error no command
    (["cache", "info", "--cache"], "Error: Option '--cache' requires an argument; see `aligner cache info --help`\n"),
    (["edit", "d", "--pair"], "Error: Option '--pair' requires an argument; see `aligner edit --help`\n"),
]


@pytest.mark.parametrize(("args", "message"), USAGE)
def test_a_misused_command_line_is_one_line_naming_the_help(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, args, prog_name="aligner")
    assert (result.exit_code, result.output) == (2, message)


@pytest.mark.parametrize("group", [[], ["cache"]])
def test_a_group_run_without_a_command_prints_its_help(group: list[str]) -> None:
    """`aligner` and `aligner cache` printed "Error: Usage: …", the whole help as an error, with status 2."""
    result = CliRunner().invoke(main, group, prog_name="aligner")
    shown = CliRunner().invoke(main, [*group, "--help"], prog_name="aligner")
    assert (result.exit_code, result.stdout, result.stderr) == (0, shown.stdout, "")
    assert shown.stdout.startswith(f"Usage: {' '.join(['aligner', *group])} [OPTIONS] COMMAND [ARGS]...")


def test_help_and_a_finished_command_exit_zero(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["--help"]).exit_code == 0
    done = subprocess.run(["aligner", "show", "--list", "--corpus", str(tmp_path)], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, f"No documents in {tmp_path}\n")


def test_output_to_a_full_disk_is_one_line(tmp_path: Path) -> None:
    """`aligner align … > /dev/full` was an OSError traceback: only a closed pipe was caught."""
    (tmp_path / "a.txt").write_text("The harbour opened in spring.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Der Hafen öffnete im Frühling.\n", encoding="utf-8")
    args = ["align", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--src-lang", "en", "--tgt-lang", "de"]
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-c", "from aligner.cli import main; main()", *args], stdout=full, stderr=subprocess.PIPE, text=True)
    assert (done.returncode, done.stderr) == (1, "Error: cannot write the output (No space left on device); free some disk space or redirect the output elsewhere\n")


@pytest.mark.parametrize("doc", [".", "..", "../x", "a/b"])
def test_show_takes_document_ids_not_paths(tmp_path: Path, doc: str) -> None:
    result = CliRunner().invoke(main, ["show", doc, "--corpus", str(tmp_path)])
    assert (result.exit_code, result.output) == (1, f"Error: '{doc}' is not a document id: ids are letters, digits, '_', '.' and '-'; see `aligner show --list`\n")


def test_an_export_with_a_type_of_another_number_of_languages_is_refused(tmp_path: Path) -> None:
    """`--types 1-1` on a three-version document wrote an empty export over the output, with status 0."""
    out = tmp_path / "o.tsv"
    out.write_text("an earlier export\n", encoding="utf-8")
    args = ["export", "d1", "--corpus", str(DATA), "--format", "tsv", "-o", str(out)]
    result = CliRunner().invoke(main, [*args, "--types", "1-1"])
    assert (result.exit_code, result.output) == (1, (
        "Error: --types 1-1: a type counts the sentences of each language exported, 3 here (en, zh-Hans, zh-Hant):"
        " e.g. 1-1-1 or 2-1-1, or name two languages with --langs\n"
    ))
    assert CliRunner().invoke(main, [*args, "--types", "1-1", "--langs", "en,zh-Hans"]).exit_code == 0
    assert "Dams hold water." in out.read_text(encoding="utf-8")


def test_an_export_that_leaves_no_unit_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "o.tsv"
    out.write_text("an earlier export\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", "d1", "--corpus", str(DATA), "--format", "tsv", "-o", str(out), "--types", "2-2-2",
                                       "--min-confidence", "0.5"])  # fmt: skip
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", (
        f"Error: {out}: no unit is left to write, so nothing is written (the filters left out every one: confidence 2,"
        " type 3; loosen them)\n"
    ))
    assert out.read_text(encoding="utf-8") == "an earlier export\n"


def test_the_login_name_is_looked_up_only_by_a_command_that_records_a_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--who defaulted to the login name on every import, edit and serve: a user without one (a
    container's uid with no passwd entry) got a traceback from an import without --replace."""
    import getpass
    import shutil

    def no_login() -> str:
        raise KeyError("getpwuid(): uid not found: 1234")

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(main, list(args))
        return result.exit_code, result.output

    monkeypatch.delenv("ALIGNER_EDITOR", raising=False)
    monkeypatch.setattr(getpass, "getuser", no_login)
    corpus, tmx = tmp_path / "corpus", tmp_path / "d2.tmx"
    shutil.copytree(DATA, corpus)
    assert run("export", "d2", "--corpus", str(corpus), "--format", "tmx", "-o", str(tmx))[0] == 0
    asked = "Error: no login name to record in the history; give one with --who NAME (or set ALIGNER_EDITOR)\n"
    assert run("import", str(tmx), "--format", "tmx", "--corpus", str(tmp_path / "new"))[0] == 0
    assert run("import", str(tmx), "--format", "tmx", "--corpus", str(corpus), "--replace") == (1, asked)
    edit = ["edit", "d2", "--corpus", str(corpus)]
    assert run(*edit, "history")[0] == 0
    assert run(*edit, "confirm", "0") == (1, asked)
    assert run(*edit, "--who", "Ann", "confirm", "0")[0] == 0
    monkeypatch.setenv("ALIGNER_EDITOR", "Ed")
    assert run(*edit, "undo")[0] == 0
    assert [line.split("  ", 1)[1] for line in run(*edit, "history")[1].splitlines()] == [
        "Ann: en–zh-Hans: confirmed link 0: now [en.p1.s1 | zh-Hans.p1.s1]",
        "Ed: undid: en–zh-Hans: confirmed link 0: now [en.p1.s1 | zh-Hans.p1.s1]"]
