"""One regular-expression search over many sentences joined by "\\n", with per-sentence results.

Calling `search` once per sentence costs a Python round trip each (~100 ms for 70k sentences);
one C-level scan of the joined text costs a fraction of that. The scan gives exactly the
per-sentence answer when the pattern only looks at the characters it consumes and their
immediate neighbours (a "\\n" neighbour reads like a string edge to `^`, `$` under MULTILINE,
`\\b` and friends): `joinable` refuses lookarounds, string anchors, atomic groups, possessive
repeats, verbs, conditionals, fuzzy constraints and the flags that change how a search proceeds.
A match that runs over a separator, or lies in a sentence that itself holds a "\\n", is not
trusted: its sentence is searched alone and the scan resumes at the next sentence. A pattern
that is not joinable is scanned in a wider form when it has one (aligner.search.regex_widen), each
sentence with a match then searched alone. A scan that runs past its time budget (a pattern
that backtracks across the whole text) finishes sentence by sentence. When every match holds
a character of a kind (aligner.search.regex_atoms) that few sentences of a language hold, only those
sentences are searched, each alone (`regex` rejects a short string lacking a required character
at once, which one long text cannot profit from); when none holds one, none is searched.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections.abc import Container, Sequence
from dataclasses import dataclass, replace

import numpy as np
import regex

from aligner.search.regex_atoms import required_atoms
from aligner.search.regex_classes import specialize
from aligner.search.regex_tokens import LOOKAROUNDS, Token, flags_set_later, tokens
from aligner.search.regex_widen import widen

SEPARATOR = "\n"
BUDGET_S = 0.2  # time the joined scan may take before the rest is searched sentence by sentence
RARE = 4  # characters of an atom in at most 1 of this many sentences: search only the sentences holding one
_UNSAFE_ESCAPES = {"\\A", "\\Z", "\\z", "\\G", "\\K"}  # string anchors, \G, \K (a reported start after the real one)
_UNSAFE_OPENERS = (*LOOKAROUNDS, "(?>", "(*")
_UNSAFE_FLAGS = regex.REVERSE | regex.BESTMATCH | regex.ENHANCEMATCH | regex.WORD | regex.POSIX
_ATOM_FLAGS = regex.IGNORECASE | regex.ASCII | regex.UNICODE | regex.VERSION0 | regex.VERSION1  # what one character matches
_FLAGS = regex.compile(r"\(\?([A-Za-z0-9-]*)[:)]")
_SAFE_FLAGS = set("aiLmsufV01")  # not b/e (best/enhanced fuzzy), r (reverse), w (word), p (POSIX), x (verbose), -


def joinable(pattern: regex.Pattern[str]) -> bool:
    """Whether a scan of joined sentences finds, per sentence, what searching each sentence finds."""
    found = tokens(pattern)
    if found is None or pattern.flags & _UNSAFE_FLAGS or flags_set_later(found):
        return False  # flags set later: recompiled with the pattern's flags, they would hold throughout
    return not any(map(_unsafe, found))


def _unsafe(token: Token) -> bool:
    """Whether the token looks past the characters a match consumes and their neighbours, or changes the search."""
    if token.kind == "escape":
        return token.text in _UNSAFE_ESCAPES
    if token.kind == "quantifier":
        return len(token.text) > 1 and token.text.endswith("+")  # possessive
    if token.kind not in ("open", "alone"):
        return False
    flags = _FLAGS.match(token.text)
    return not set(flags[1]) <= _SAFE_FLAGS if flags else token.text.startswith(_UNSAFE_OPENERS)


def join(sentences: Sequence[str]) -> tuple[str, list[int], list[int]]:
    """The sentences joined by the separator, where each starts, and which hold the separator."""
    starts, at = [], 0
    for sentence in sentences:
        starts.append(at)
        at += len(sentence) + 1
    return SEPARATOR.join(sentences), starts, [i for i, s in enumerate(sentences) if SEPARATOR in s]


@dataclass(frozen=True)
class Alphabet:
    """What one language's joined texts are made of: each distinct character (in codepoint order,
    with the separator) and how often it occurs; and how many sentences they join."""

    chars: str
    counts: Sequence[int]  # of each of `chars`
    sentences: int

    @classmethod
    def of(cls, sentences: Sequence[str]) -> Alphabet:
        """Counted by codepoint in one pass (the Bible's 4.7 M characters: 47 ms, a Counter 278 ms; measured)."""
        text = "".join(f"{sentence}{SEPARATOR}" for sentence in sentences)
        counts = np.bincount(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32), minlength=ord(SEPARATOR) + 1)
        chars = sorted({SEPARATOR, *map(chr, np.flatnonzero(counts))})
        return cls("".join(chars), [int(counts[ord(char)]) for char in chars], len(sentences))

    def occurrences(self, atom: regex.Pattern[str]) -> int:
        """How many characters of the texts the one-character pattern `atom` matches."""
        runs = regex.finditer(f"(?:{atom.pattern})+", self.chars, flags=atom.flags)
        return sum(sum(self.counts[run.start() : run.end()]) for run in runs)


@dataclass
class Scan:
    """One pattern searched over joined texts in turn, sharing one time budget."""

    pattern: regex.Pattern[str]
    joined: regex.Pattern[str] | None  # the MULTILINE form; None: search sentence by sentence
    exact: bool  # a joined match within one sentence is a hit (False: a candidate, searched alone)
    deadline: float
    atoms: tuple[regex.Pattern[str], ...] = ()  # every match holds a character each of these matches
    needle: regex.Pattern[str] | None = None  # set by `on`: only the sentences holding a match of it are searched

    @classmethod
    def of(cls, pattern: regex.Pattern[str], budget: float = BUDGET_S) -> Scan:
        exact = joinable(pattern)
        text = pattern.pattern if exact else widen(pattern)
        joined = None if text is None else regex.compile(text, pattern.flags | regex.MULTILINE)
        atoms = tuple(regex.compile(atom, pattern.flags & _ATOM_FLAGS) for atom in required_atoms(pattern))
        usable = exact or (joined is not None and joinable(joined))
        return cls(pattern, joined if usable else None, exact, time.monotonic() + budget, atoms)

    def on(self, alphabet: Alphabet) -> Scan | None:
        """This scan (same budget) for the joined texts of one language (None: no sentence of it can
        match): the rarest atom as the needle when rare enough, class escapes as ranges where exact on
        the alphabet (aligner.search.regex_classes)."""
        counted = sorted((alphabet.occurrences(atom), k) for k, atom in enumerate(self.atoms))
        if counted and counted[0][0] == 0:
            return None
        needle = self.atoms[counted[0][1]] if counted and counted[0][0] * RARE <= alphabet.sentences else None
        return replace(self, joined=_specialized(self.joined, alphabet), needle=_specialized(needle, alphabet))

    def first_hits(self, text: str, starts: Sequence[int], loose: Container[int], limit: int) -> list[int]:
        """Indices of the first `limit` sentences with a match; `loose` ones (holding "\\n") are searched alone."""
        if self.needle is not None:
            return self._holding(self.needle, text, starts, limit)
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
            if (self.exact and match.end() <= end and i not in loose) or self.pattern.search(text[starts[i] : end]):
                hits.append(i)
            if i + 1 == len(starts):
                break
            pos = starts[i + 1]
        return hits

    def _holding(self, needle: regex.Pattern[str], text: str, starts: Sequence[int], limit: int) -> list[int]:
        """Search alone each sentence holding a match of the needle."""
        hits: list[int] = []
        found = needle.search(text)
        while found and len(hits) < limit:
            i = bisect_right(starts, found.start()) - 1
            if self.pattern.search(text[starts[i] : _end(text, starts, i)]):
                hits.append(i)
            found = needle.search(text, starts[i + 1]) if i + 1 < len(starts) else None
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


def _specialized(pattern: regex.Pattern[str] | None, alphabet: Alphabet) -> regex.Pattern[str] | None:
    """The pattern with its class escapes made ranges where exact on the alphabet (aligner.search.regex_classes)."""
    return None if pattern is None else regex.compile(specialize(pattern, alphabet.chars), pattern.flags)


def _end(text: str, starts: Sequence[int], i: int) -> int:
    return starts[i + 1] - 1 if i + 1 < len(starts) else len(text)
