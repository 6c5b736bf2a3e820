"""Training-data filters on exported units: confidence, link type, omissions, duplicates, length ratio.

Each filter says why it dropped a unit, so the export can report counts per reason.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.errors import InputError
from aligner.formats.unit import Unit


@dataclass(frozen=True)
class Filters:
    """What to keep. `length_ratio` bounds each version's length in characters over the first's."""

    min_confidence: float = 0.0
    types: frozenset[str] = frozenset()  # e.g. {"1-1"}; empty keeps every type
    omissions: bool = True
    dedupe: bool = False
    length_ratio: tuple[float, float] | None = None


def parse_ratio(value: str) -> tuple[float, float] | None:
    """`0.5,3` → (0.5, 3.0); empty → no bound."""
    if not value:
        return None
    try:
        low, high = (float(v) for v in value.split(","))
    except ValueError:
        raise InputError(f"--length-ratio '{value}': give two numbers MIN,MAX such as 0.3,4") from None
    if not 0 <= low <= high:
        raise InputError(f"--length-ratio '{value}': need 0 <= MIN <= MAX")
    return (low, high)


def check_types(types: frozenset[str], langs: Sequence[str], pairwise: str = "") -> None:
    """Refuse a `--types` entry that is not a link type of the languages exported: a count of
    sentences per language, joined by '-' (1-1-1 for three languages; `Unit.kind`). `pairwise`
    names a format that writes each pair of versions apart (xces): its types are a pair's (1-1)."""
    size = 2 if pairwise else len(langs)
    for kind in sorted(types):
        if not re.fullmatch(r"[0-9]+(?:-[0-9]+)*", kind) or kind.count("-") != size - 1:
            ones = ["1"] * size
            examples = f"e.g. {'-'.join(ones)} or {'-'.join(['2', *ones[1:]])}"
            if pairwise:
                raise InputError(f"--types {kind}: {pairwise} writes each pair of languages apart, and a type counts the "
                                 f"sentences of a pair's two sides: {examples}")
            pairs = ", or name two languages with --langs" if len(langs) > 2 else ""
            raise InputError(
                f"--types {kind}: a type counts the sentences of each language exported, {len(langs)} here"
                f" ({', '.join(langs)}): {examples}{pairs}"
            )


def reason_to_drop(unit: Unit, keep: Filters) -> str | None:
    """Why a unit is filtered out (the first failing filter), or None to keep it."""
    if unit.is_omission and not keep.omissions:
        return "omission"
    if unit.confidence < keep.min_confidence:
        return "confidence"
    if keep.types and unit.kind not in keep.types:
        return "type"
    if keep.length_ratio and not unit.is_omission:
        low, high = keep.length_ratio
        langs = list(unit.cells)
        first = len(unit.text(langs[0]))
        if any(not low <= len(unit.text(lang)) / first <= high for lang in langs[1:]):
            return "length-ratio"
    return None


def apply(units: list[Unit], keep: Filters) -> tuple[list[Unit], Counter[str]]:
    """The units that pass, in order, and how many each filter dropped (duplicates as `duplicate`:
    the same texts in the same languages as a unit before, in any document)."""
    kept: list[Unit] = []
    dropped: Counter[str] = Counter()
    seen: set[tuple[tuple[str, str], ...]] = set()
    for unit in units:
        reason = reason_to_drop(unit, keep)
        if reason is None and keep.dedupe:
            key = tuple((lang, unit.text(lang)) for lang in unit.cells)  # an XCES batch holds several pairs' links
            reason = "duplicate" if key in seen else None
            seen.add(key)
        if reason:
            dropped[reason] += 1
        else:
            kept.append(unit)
    return kept, dropped
