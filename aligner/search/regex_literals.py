"""Literal runs every match of a regular expression must contain: a pre-filter for an index.

The answer is a conjunction of clauses, each a set of alternatives: every match of
`(cat|dog)s? and more` holds "cat" or "dog", and " and more": [(" and more",), ("cat", "dog")].
The pattern is read with the standard library's parser (`re._parser`, private but stable in
3.11); syntax it reads differently from the `regex` module (fuzzy `{e<=1}`, POSIX `[[:alpha:]]`)
or cannot read (`\\p{Han}`) gives no literals, so the caller falls back to scanning.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, replace
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

MIN_LEN = 3  # a trigram index can look up runs of at least three characters
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}
# Under IGNORECASE `regex` matches i with İ and ı, which SQLite's case folding does not.
_FOLD_UNSAFE = re.compile(r"[^\x00-\x7f]|[iI]")
Clause = tuple[str, ...]  # every match contains at least one of these


class _Unsure(Exception):
    """The pattern uses syntax the two engines read differently."""


@dataclass(frozen=True)
class _Reading:
    """How a part of the pattern is read: under case folding or not."""

    ignorecase: bool


def required_literals(pattern: str) -> list[Clause]:
    """Clauses of literal runs (at least MIN_LEN characters) every match satisfies; [] if none are certain."""
    if "[:" in pattern:
        return []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = _parser.parse(pattern)
        clauses = _clauses(list(parsed), _Reading(bool(parsed.state.flags & re.IGNORECASE)))
    except (re.error, _Unsure, RecursionError):
        return []
    return sorted(set(clauses), key=lambda c: (len(c), -len(c[0]), c))


def _clauses(items: list[tuple[object, object]], how: _Reading) -> list[Clause]:
    """The clauses of a parsed sequence: its maximal literal runs, and its alternations."""
    clauses: list[Clause] = []
    current: list[str] = []
    _walk(items, how, current, clauses)
    _cut(current, clauses, how)
    return clauses


def _cut(current: list[str], clauses: list[Clause], how: _Reading) -> None:
    """End the current run (split where case folding is unsafe); keep the long enough pieces."""
    runs = _FOLD_UNSAFE.split("".join(current)) if how.ignorecase else ["".join(current)]
    clauses.extend((run,) for run in runs if run and len(run) >= MIN_LEN)
    current.clear()


def _any(branches: list[list[tuple[object, object]]], how: _Reading) -> Clause | None:
    """One clause every branch implies (each branch's strongest, united), or None if a branch has none."""
    alternatives: set[str] = set()
    for branch in branches:
        clauses = _clauses(branch, how)
        if not clauses:
            return None
        strongest = min(clauses, key=lambda c: (len(c), -min(map(len, c))))  # fewest, longest alternatives
        alternatives.update(strongest)
    return tuple(sorted(alternatives))


def _walk(items: list[tuple[object, object]], how: _Reading, current: list[str], clauses: list[Clause]) -> None:
    """Extend the current run with literals; plain groups join their neighbours, anything else cuts."""
    for op, arg in items:
        if op is sre.LITERAL:
            if chr(arg) in "{}":  # type: ignore[arg-type]
                raise _Unsure  # `regex` may read it as a fuzzy-match or repeat constraint
            current.append(chr(arg))  # type: ignore[arg-type]
        elif op is sre.AT:
            continue  # zero width: the characters around it stay adjacent
        elif op is sre.ATOMIC_GROUP:
            _walk(list(arg), how, current, clauses)  # type: ignore[call-overload]
        elif op is sre.SUBPATTERN and not (arg[1] or arg[2]):  # type: ignore[index]
            _walk(list(arg[3]), how, current, clauses)  # type: ignore[index]
        elif op is sre.SUBPATTERN:  # scoped flags: read its inside as case-insensitive to be safe
            _cut(current, clauses, how)
            clauses.extend(_clauses(list(arg[3]), replace(how, ignorecase=True)))  # type: ignore[index]
        elif op in _REPEATS and arg[0] >= 1:  # type: ignore[index]
            _cut(current, clauses, how)
            clauses.extend(_clauses(list(arg[2]), how))  # type: ignore[index]
        elif op is sre.BRANCH:
            _cut(current, clauses, how)
            clause = _any([list(b) for b in arg[1]], how)  # type: ignore[index]
            if clause:
                clauses.append(clause)
        else:
            _cut(current, clauses, how)
