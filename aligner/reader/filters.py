"""Which rows a reader shows: the ones that need review, a range, the ones matching a word."""

from __future__ import annotations

import re
from collections.abc import Iterable

from aligner.corpus.rows import Row
from aligner.errors import InputError
from aligner.ingest.langs import convert, han_ratio

LOW_CONFIDENCE = 0.5  # below this a machine link is marked for review


def confidence(row: Row) -> float | None:
    """A row's confidence, or None when it has one version only (a document of one version, or
    `--langs` naming one): such a row carries no link, so it has no confidence, not zero."""
    return row.confidence if len(row.cells) > 1 else None


def needs_review(row: Row, threshold: float = LOW_CONFIDENCE) -> bool:
    """A row needs review when a version is missing from it or a machine link in it is weak.

    A document with one version has nothing to review: its rows carry no links.
    """
    sure = confidence(row)
    if sure is None:
        return False
    return row.is_omission or (row.resp != "person" and sure < threshold)


def parse_range(value: str) -> slice:
    """`10:40` → rows 10 to 39; `10:` and `:40` leave one end open; `7` is row 7 alone."""
    start, sep, stop = value.partition(":")
    try:
        first = int(start) if start.strip() else None
        last = int(stop) if stop.strip() else None
    except ValueError:
        raise InputError(f"--range {value}: expected START:END with row numbers, e.g. --range 10:40") from None
    if any(n is not None and n < 0 for n in (first, last)):
        raise InputError(f"--range {value}: row numbers start at 0 (as `aligner show` prints them), e.g. --range 10:40")
    if not sep:
        return slice(first, (first or 0) + 1)
    if first is not None and last is not None and last < first:
        raise InputError(f"--range {value}: END {last} comes before START {first}; write --range {last}:{first}")
    return slice(first, last)


def grep_pattern(word: str) -> re.Pattern[str]:
    """A case-insensitive pattern for a word in every script: Chinese also in its other script."""
    if not word.strip():
        raise InputError("--grep: give a word to look for, e.g. --grep harbour")
    forms = {word}
    if han_ratio(word) > 0:
        forms |= {convert(word, "s2t"), convert(word, "t2s")}
    return re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)), re.IGNORECASE)


def matches(row: Row, pattern: re.Pattern[str]) -> bool:
    """True when a sentence of any version in the row contains the pattern."""
    return any(pattern.search(s.text) for sents in row.cells.values() for s in sents)


def select_rows(
    rows: Iterable[Row],
    only_review: bool = False,
    span: slice | None = None,
    pattern: re.Pattern[str] | None = None,
    threshold: float = LOW_CONFIDENCE,
) -> list[Row]:
    """Rows within the range (by row number), then those needing review, then those matching."""
    chosen = list(rows)
    if span is not None:
        chosen = [r for r in chosen if _within(r.index, span)]
    if only_review:
        chosen = [r for r in chosen if needs_review(r, threshold)]
    if pattern is not None:
        chosen = [r for r in chosen if matches(r, pattern)]
    return chosen


def _within(index: int, span: slice) -> bool:
    return (span.start is None or index >= span.start) and (span.stop is None or index < span.stop)
