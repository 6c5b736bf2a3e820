"""Literal runs every match of a regular expression must contain: a pre-filter for an index.

The pattern is read with the standard library's parser (`re._parser`, private but stable in
3.11); syntax it reads differently from the `regex` module (fuzzy `{e<=1}`, POSIX `[[:alpha:]]`)
or cannot read (`\\p{Han}`) gives no literals, so the caller falls back to scanning.
"""

from __future__ import annotations

import re
import warnings
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}
# Under IGNORECASE `regex` matches i with İ and ı, which SQLite's case folding does not.
_FOLD_UNSAFE = re.compile(r"[^\x00-\x7f]|[iI]")


class _Unsure(Exception):
    """The pattern uses syntax the two engines read differently."""


def required_literals(pattern: str, min_len: int = 3) -> list[str]:
    """Runs of at least `min_len` characters that every match contains; [] if none are certain."""
    if "[:" in pattern:
        return []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = _parser.parse(pattern)
        runs = _runs(list(parsed), bool(parsed.state.flags & re.IGNORECASE))
    except (re.error, _Unsure, RecursionError):
        return []
    return sorted({r for r in runs if len(r) >= min_len}, key=lambda r: (-len(r), r))


def _runs(items: list[tuple[object, object]], ignorecase: bool) -> list[str]:
    """The maximal literal runs of a parsed sequence."""
    runs: list[str] = []
    current: list[str] = []
    _walk(items, ignorecase, current, runs)
    _cut(current, runs, ignorecase)
    return runs


def _cut(current: list[str], runs: list[str], ignorecase: bool) -> None:
    """End the current run (split where case folding is unsafe)."""
    runs.extend(_FOLD_UNSAFE.split("".join(current)) if ignorecase else ["".join(current)])
    current.clear()


def _walk(items: list[tuple[object, object]], ignorecase: bool, current: list[str], runs: list[str]) -> None:
    """Extend the current run with literals; plain groups join their neighbours, anything else cuts."""
    for op, arg in items:
        if op is sre.LITERAL:
            if chr(arg) in "{}":  # type: ignore[arg-type]
                raise _Unsure  # `regex` may read it as a fuzzy-match or repeat constraint
            current.append(chr(arg))  # type: ignore[arg-type]
        elif op is sre.AT:
            continue  # zero width: the characters around it stay adjacent
        elif op is sre.ATOMIC_GROUP:
            _walk(list(arg), ignorecase, current, runs)  # type: ignore[call-overload]
        elif op is sre.SUBPATTERN and not (arg[1] or arg[2]):  # type: ignore[index]
            _walk(list(arg[3]), ignorecase, current, runs)  # type: ignore[index]
        elif op is sre.SUBPATTERN:  # scoped flags: read its inside as case-insensitive to be safe
            _cut(current, runs, ignorecase)
            runs.extend(_runs(list(arg[3]), True))  # type: ignore[index]
        elif op in _REPEATS and arg[0] >= 1:  # type: ignore[index]
            _cut(current, runs, ignorecase)
            runs.extend(_runs(list(arg[2]), ignorecase))  # type: ignore[index]
        else:
            _cut(current, runs, ignorecase)
