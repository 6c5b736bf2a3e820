"""Progress on stderr for long work: shown on a terminal, silent with --quiet or when piped."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class Progress(Protocol):
    """Something to tell how far a long task has come."""

    def advance(self, steps: int = 1) -> None: ...


class _Silent:
    def advance(self, steps: int = 1) -> None:
        pass


class _Rich:
    def __init__(self, bar: object, task: object) -> None:
        self._bar = bar
        self._task = task

    def advance(self, steps: int = 1) -> None:
        self._bar.advance(self._task, steps)  # type: ignore[attr-defined]


SILENT: Progress = _Silent()


@contextmanager
def progress(label: str, total: int | None, quiet: bool = False) -> Iterator[Progress]:
    """Yield a progress bar on stderr, or a silent one when quiet or stderr is not a terminal."""
    if quiet or not sys.stderr.isatty():
        yield SILENT
        return
    from rich.console import Console
    from rich.progress import MofNCompleteColumn
    from rich.progress import Progress as RichProgress

    columns = (*RichProgress.get_default_columns(), MofNCompleteColumn())  # bar, %, ETA, done/total
    with RichProgress(*columns, console=Console(stderr=True), transient=True) as bar:
        yield _Rich(bar, bar.add_task(label, total=total))
