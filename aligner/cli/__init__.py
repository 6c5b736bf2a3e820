"""The `aligner` command line: one click group; each command lives in a module named for it."""

from __future__ import annotations

import errno
import functools
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TypeVar

import click

from aligner import __version__
from aligner.align.confidence import unrelated_warning
from aligner.errors import AlignerError

F = TypeVar("F", bound=Callable[..., Any])


def user_errors(func: F) -> F:
    """Turn library errors into one line on stderr and exit status 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AlignerError as err:
            fail(str(err))

    return wrapper  # type: ignore[return-value]


def report_skipped(skipped: Sequence[str], final: bool = True) -> None:
    """Name on stderr each document a command left out; when `final`, exit 1 if there was one,
    so a script notices although the rest of the work is done."""
    for reason in skipped:
        click.echo(f"Skipped: {reason}", err=True)
    if skipped and final:
        sys.exit(1)


def fail(message: str, status: int = 1) -> NoReturn:
    """Print a user error as one line on stderr and exit with `status`."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(status)


def warn_unrelated(what: str, share: float) -> None:
    """Say on stderr that two texts do not look like translations of each other.

    `share` is the share of their sentences in confident links (`confidence.linked_share`).
    """
    click.echo(f"Warning: {unrelated_warning(what, share)}", err=True)


# the errors of a write to the output: a full disk or quota, a file grown past its limit, a
# terminal gone; the library names each file it cannot write (`OutputError`, a user error), so
# such an error with no file name that reaches the command line is the output's
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _output_failed(err: OSError) -> bool:
    """Whether an OSError that reached the command line is a failed write to stdout."""
    return err.errno in _WRITE_ERRNOS and err.filename is None


def _output_fix(err: OSError) -> str:
    """What a user can do about output that could not be written: free some space, or send it elsewhere."""
    from aligner.corpus.store import disk_full

    return f"{'free some disk space or ' if disk_full(err) else ''}redirect the output elsewhere"


def _quiet_stdout() -> None:
    """Point stdout at the null device, so that the flush at exit does not fail on it again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


# command → the module that defines it; a command's module is imported only when it runs, so
# that `aligner build` does not load the web server, the search index and the QA checks
COMMANDS = {
    "align": "align", "build": "build", "cache": "cache", "edit": "edit", "eval": "eval", "export": "export", "html": "html",
    "import": "imports", "pair": "pair", "qa": "qa", "score": "score", "search": "search", "serve": "serve",
    "show": "show",
}  # fmt: skip


class _Named(click.Command):
    """A click command whose usage errors name it, to point at its --help (click's for an option missing its value does not)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as err:
            err.ctx = err.ctx or ctx
            raise


class _Group(_Named, click.Group):
    """A click group that, run without a command, prints its help on stdout with status 0, as
    `--help` does (click 8.2 made that a usage error: the whole help as the error, status 2)."""

    command_class = _Named

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            click.echo(ctx.get_help(), color=ctx.color)
            ctx.exit()
        return super().parse_args(ctx, args)


class _Commands(_Group):
    """A click group that imports a command's module the first time the command is asked for;
    its groups (`aligner cache`) are `_Group`s too."""

    group_class = _Group

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,  # type: ignore[override]
             standalone_mode: bool = True, **extra: Any) -> Any:  # fmt: skip
        """Run as click does, but a misused command line (an unknown option, a value out of its
        range, a missing argument) is one line naming the help to read, with status 2."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as err:
            where = err.ctx.command_path if err.ctx else "aligner"
            fail(f"{err.format_message().rstrip('.')}; see `{where} --help`", err.exit_code)
        except click.ClickException as err:
            err.show()
            sys.exit(err.exit_code)
        except click.Abort:
            fail("aborted")
        except BrokenPipeError:  # the reader of our output went away (`aligner show … | head`)
            _quiet_stdout()
            sys.exit(1)
        except OSError as err:
            if not _output_failed(err):
                raise
            _quiet_stdout()
            fail(f"cannot write the output ({err.strerror}); {_output_fix(err)}")
        sys.exit(code if isinstance(code, int) else 0)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            importlib.import_module(f"{__name__}.{COMMANDS[cmd_name]}")
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aligner")
@click.option("-v", "--verbose", is_flag=True, help="Log what happens to stderr.")
def main(verbose: bool) -> None:
    """Align parallel texts, store them as TEI, inspect, score, check and export them."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")
