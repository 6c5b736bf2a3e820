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
    (["export", "d", "--format", "tmx"], "Error: Missing option '-o' / '--output'; see `aligner export --help`\n"),
    (["score", "d", "-c", "x.txt", "--worst", "-1"], "Error: Invalid value for '--worst': -1 is not in the range x>=0; see `aligner score --help`\n"),
]


@pytest.mark.parametrize(("args", "message"), USAGE)
def test_a_misused_command_line_is_one_line_naming_the_help(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, args, prog_name="aligner")
    assert (result.exit_code, result.output) == (2, message)


def test_help_and_a_finished_command_exit_zero(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["--help"]).exit_code == 0
    done = subprocess.run(["aligner", "show", "--list", "--corpus", str(tmp_path)], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, f"No documents in {tmp_path}\n")


@pytest.mark.parametrize("doc", [".", "..", "../x", "a/b"])
def test_show_takes_document_ids_not_paths(tmp_path: Path, doc: str) -> None:
    result = CliRunner().invoke(main, ["show", doc, "--corpus", str(tmp_path)])
    assert (result.exit_code, result.output) == (1, f"Error: '{doc}' is not a document id: ids are letters, digits, '_', '.' and '-'; see `aligner show --list`\n")
