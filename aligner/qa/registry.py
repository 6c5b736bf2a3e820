"""Checks registered by name: each reads the pair views of a corpus and yields findings.

A check module decorates its function with `@check(name, family, summary, **defaults)`; the
defaults are the thresholds a configuration file may change.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from aligner.qa.findings import Finding
from aligner.qa.pairs import PairView

Params = Mapping[str, float]
CheckFn = Callable[[list[PairView], Params], Iterable[Finding]]

FAMILIES = ("omissions", "numbers", "names", "language", "script", "regional", "punctuation", "consistency")


@dataclass(frozen=True)
class Check:
    """A named check, its family (the module defining it), what it finds, and its thresholds."""

    name: str
    family: str
    summary: str
    run: CheckFn
    defaults: Params


_CHECKS: dict[str, Check] = {}


def check(name: str, summary: str, **defaults: float) -> Callable[[CheckFn], CheckFn]:
    """Register a check function under `name`, with its default thresholds."""

    def register(fn: CheckFn) -> CheckFn:
        family = fn.__module__.rsplit(".", 1)[-1]
        _CHECKS[name] = Check(name, family, summary, fn, dict(defaults))
        return fn

    return register


def all_checks() -> dict[str, Check]:
    """Every check, by name, in family order (importing the family modules once)."""
    for family in FAMILIES:
        importlib.import_module(f"aligner.qa.{family}")
    order = {family: i for i, family in enumerate(FAMILIES)}
    return dict(sorted(_CHECKS.items(), key=lambda kv: (order[kv[1].family], kv[0])))
