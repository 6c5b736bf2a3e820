"""The command group loads a command's module only when the command runs, so the table of
commands must name every command module, each defining the command it is listed for."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

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
