"""One regular-expression search over many sentences joined by "\\n", with per-sentence results.

Calling `search` once per sentence costs a Python round trip each (~100 ms for 70k sentences);
one C-level scan of the joined text costs a fraction of that. The scan gives exactly the
per-sentence answer when the pattern only looks at the characters it consumes and their
immediate neighbours (a "\\n" neighbour reads like a string edge to `^`, `$` under MULTILINE,
`\\b` and friends): `joinable` refuses lookarounds, string anchors, atomic groups, possessive
repeats, verbs, conditionals, fuzzy constraints and the flags that change how a search proceeds.
A match that runs over a separator, or lies in a sentence that itself holds a "\\n", is not
trusted: its sentence is searched alone and the scan resumes at the next sentence. A scan that
runs past its time budget (a pattern that backtracks across the whole text) finishes sentence
by sentence. When every match holds a literal (of any length, matched without case folding)
that few sentences hold, only those sentences are searched, each alone: `regex` rejects a
string lacking a required literal at once, which one long text cannot profit from.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from collections.abc import Container, Sequence
from dataclasses import dataclass, replace

import regex

from aligner.regex_classes import specialize
from aligner.regex_literals import required_literals

SEPARATOR = "\n"
BUDGET_S = 0.2  # time the joined scan may take before the rest is searched sentence by sentence
RARE = 4  # a literal occurring in at most 1 of this many sentences: search only the sentences holding it
_UNSAFE_OPENERS = ("(?=", "(?!", "(?<=", "(?<!", "(?>", "(?(", "(*")
_UNSAFE_ESCAPES = set("AZzGK")  # string anchors, \G, \K (a reported start after the real one)
_BRACED_ESCAPES = set("pPNx")  # \p{Lu}, \N{name}, \x{263a}
_QUANTIFIER = re.compile(r"\{\d*(?:,\d*)?\}")
_FLAG_GROUP = re.compile(r"\(\?([A-Za-z0-9-]*)[:)]")
_SAFE_FLAGS = set("aiLmsufV01")  # not b/e (best/enhanced fuzzy), r (reverse), w (word), p (POSIX), x (verbose), -


def joinable(pattern: regex.Pattern[str]) -> bool:
    """Whether a scan of joined sentences finds, per sentence, what searching each sentence finds."""
    text = pattern.pattern
    i = 0
    while i < len(text):
        if text[i] == "\\":
            escaped = text[i + 1 : i + 2]
            if escaped in _UNSAFE_ESCAPES:
                return False
            i += 2
            if escaped in _BRACED_ESCAPES and text.startswith("{", i):
                close = text.find("}", i)
                if close < 0:
                    return False
                i = close + 1
            continue
        if text.startswith(_UNSAFE_OPENERS, i):
            return False
        if text[i] in "*+?}" and text.startswith("+", i + 1):
            return False
        if text[i] == "{" and not _QUANTIFIER.match(text, i):
            return False
        flags = _FLAG_GROUP.match(text, i)
        if flags and not set(flags[1]) <= _SAFE_FLAGS:
            return False
        i += 1
    return True


def join(sentences: Sequence[str]) -> tuple[str, list[int], list[int]]:
    """The sentences joined by the separator, where each starts, and which hold the separator."""
    starts, at = [], 0
    for sentence in sentences:
        starts.append(at)
        at += len(sentence) + 1
    return SEPARATOR.join(sentences), starts, [i for i, s in enumerate(sentences) if SEPARATOR in s]


@dataclass
class Scan:
    """One pattern searched over joined texts in turn, sharing one time budget."""

    pattern: regex.Pattern[str]
    joined: regex.Pattern[str] | None  # the MULTILINE form; None: search sentence by sentence
    deadline: float
    literals: tuple[str, ...] = ()  # every sentence with a match holds one of these (none known: empty)

    @classmethod
    def of(cls, pattern: regex.Pattern[str], budget: float = BUDGET_S) -> Scan:
        joined = regex.compile(pattern.pattern, pattern.flags | regex.MULTILINE) if joinable(pattern) else None
        return cls(pattern, joined, time.monotonic() + budget, _short_literals(pattern))

    def on(self, alphabet: str) -> Scan:
        """This scan (same budget) for joined texts made of the characters of `alphabet` only: the
        joined pattern's property escapes become ranges where that is exact (aligner.regex_classes)."""
        if self.joined is None:
            return self
        return replace(self, joined=regex.compile(specialize(self.pattern, alphabet), self.joined.flags))

    def first_hits(self, text: str, starts: Sequence[int], loose: Container[int], limit: int) -> list[int]:
        """Indices of the first `limit` sentences with a match; `loose` ones (holding "\\n") are searched alone."""
        if self.literals and sum(map(text.count, self.literals)) * RARE <= len(starts):
            return self._holding(text, starts, limit)
        hits: list[int] = []
        pos = 0
        while starts and len(hits) < limit:
            if self.joined is None:
                return hits + self._one_by_one(text, starts, bisect_right(starts, pos) - 1, limit - len(hits))
            try:
                match = self.joined.search(text, pos, timeout=max(self.deadline - time.monotonic(), 0.001))
            except TimeoutError:
                self.joined = None
                continue
            if match is None:
                break
            i = bisect_right(starts, match.start()) - 1
            end = _end(text, starts, i)
            if (match.end() <= end and i not in loose) or self.pattern.search(text[starts[i] : end]):
                hits.append(i)
            if i + 1 == len(starts):
                break
            pos = starts[i + 1]
        return hits

    def _holding(self, text: str, starts: Sequence[int], limit: int) -> list[int]:
        """Search alone each sentence holding one of the literals."""
        holding = set()
        for literal in self.literals:
            at = text.find(literal)
            while at >= 0:
                i = bisect_right(starts, at) - 1
                holding.add(i)
                at = text.find(literal, starts[i + 1]) if i + 1 < len(starts) else -1
        hits = []
        for i in sorted(holding):
            if self.pattern.search(text[starts[i] : _end(text, starts, i)]):
                hits.append(i)
                if len(hits) == limit:
                    break
        return hits

    def _one_by_one(self, text: str, starts: Sequence[int], first: int, limit: int) -> list[int]:
        """The reference: search each sentence alone, from sentence `first`."""
        hits = []
        for i in range(first, len(starts)):
            if self.pattern.search(text[starts[i] : _end(text, starts, i)]):
                hits.append(i)
                if len(hits) == limit:
                    break
        return hits


def _short_literals(pattern: regex.Pattern[str]) -> tuple[str, ...]:
    """The strongest clause of literals (any length) every match holds, when they are matched exactly."""
    if pattern.flags & regex.IGNORECASE or any("i" in m[1] for m in _FLAG_GROUP.finditer(pattern.pattern)):
        return ()
    clauses = [c for c in required_literals(pattern.pattern, min_len=1) if not any(SEPARATOR in lit for lit in c)]
    return clauses[0] if clauses else ()


def _end(text: str, starts: Sequence[int], i: int) -> int:
    return starts[i + 1] - 1 if i + 1 < len(starts) else len(text)
