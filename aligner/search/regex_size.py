"""How large a regular expression compiles: the `regex` module writes a repeat of at least m times
out as m copies of its body, so `a{99999999}` took gigabytes (and minutes) before any text was read.

The size is counted on the pattern's text, before it is compiled: each character, escape, set or
group reference is one item, and a repeat multiplies its item (a group: all of the group) by its
least count, nested repeats multiplying. A repeat's greatest count costs nothing to compile, and
matching it is bounded by the sentence's length. Syntax `regex_tokens` does not follow (verbose
patterns, nested sets, conditionals) is counted from above: the pattern's length times every
least count in it.
"""

from __future__ import annotations

import math

import regex

from aligner.search.regex_tokens import text_tokens

MAX_SIZE = 100_000  # items a compiled pattern may hold: about 30 MB, where no sentence is that long
_COUNTS = regex.compile(r"(?<!\\)\{(\d+)(?:,\d*)?\}")  # a repeat's least count, as written


def size(pattern: str) -> int:
    """The items the pattern compiles to: its characters, each repeated item its least count of
    times (nested repeats multiplied)."""
    found = text_tokens(pattern)
    if found is None:
        return len(pattern) * math.prod(max(int(m[1]), 1) for m in _COUNTS.finditer(pattern))
    sizes = [0]  # per group open at this point: the items of its part read so far
    last = 0  # the items of what was read last: what a repeat that follows repeats
    for token in found:
        if token.kind == "open":
            sizes.append(0)
        elif token.kind == "close" and len(sizes) > 1:  # an unbalanced ")" is the compiler's error
            last = sizes.pop()
            sizes[-1] += last
        elif token.kind == "quantifier":
            extra = last * (_copies(token.text) - 1)
            sizes[-1] += extra
            last += extra
        elif token.kind == "bar":
            last = 0
        else:
            last = 1
            sizes[-1] += 1
    return sum(sizes)


def _copies(quantifier: str) -> int:
    """How many copies of its item a quantifier compiles to: m for `{m}`, `{m,}` and `{m,n}`, else
    (and at least) one."""
    least = quantifier[1:].split(",")[0].rstrip("}?+") if quantifier[0] == "{" else ""
    return max(int(least or 1), 1)
