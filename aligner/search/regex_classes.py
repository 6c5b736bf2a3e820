"""Class escapes (`\\p{...}`, `\\d`, `\\w`, `\\s`) rewritten as one character range exact on a known alphabet.

The `regex` engine spends 8-11 ns per character testing a property such as `\\p{Lu}`, while one
range such as `[A-Z]` is several times faster (measured: 22.7 vs 6.2 ms over the English Bible).
A text made only of the characters of `alphabet` cannot tell a property from any class that
agrees with it on those characters, and the range may span codepoints the text lacks: on an
alphabet whose only uppercase letters are A-W, Y and Z, `\\p{Lu}` is `[A-Z]`. An escape is
rewritten only when one range (or its negation, or a character absent from the text) is exact:
a list of several items tested slower than the property itself (`[A-WYZ]{12}`: 45.9 ms). On a
text without digits, `\\d` becomes a character the text lacks, which `regex` rules out about as
fast as a substring search (English Bible: `\\pL\\d` 125 ms, `\\pL` then such a character 3.0 ms).
Patterns whose meaning depends on flags this rewrite does not follow stay as written.
"""

from __future__ import annotations

import re

import regex

_CLASS_ESCAPES = set("pPdDwWsS")  # \p{Lu}, \pL, \d, \w, \s and their negations
_REFUSED_FLAGS = regex.IGNORECASE | regex.VERBOSE | regex.VERSION1
_INLINE_FLAGS = re.compile(r"\(\?[A-Za-z0-9-]+[:)]")  # (?i), (?x:...), (?V1): the scan below would misread them


def specialize(pattern: regex.Pattern[str], alphabet: str) -> str:
    """The pattern text with each class escape made one range where that is exact on a text
    drawn from `alphabet` (its distinct characters in codepoint order); otherwise as written."""
    text = pattern.pattern
    if pattern.flags & _REFUSED_FLAGS or _INLINE_FLAGS.search(text):
        return text
    out: list[str] = []
    body = -1  # inside a [...] class: where its items begin; outside: -1
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            end = _escape_end(text, i)
            escape = text[i:end]
            if escape[1] in _CLASS_ESCAPES:
                if body >= 0 and (text[i - 1] == "-" or text.startswith("-", end)):
                    return text  # a range next to the escape: splicing would change it
                escape = _rewrite(escape, pattern.flags, alphabet, body >= 0)
            out.append(escape)
            i = end
            continue
        if body < 0 and char == "[":
            body = i + 1 + text.startswith("^", i + 1)
            out.append(text[i:body])
            i = body
            continue
        if body >= 0 and char == "[":
            return text  # a nested set or a POSIX class: not followed
        if body >= 0 and char == "]" and i > body:
            body = -1
        out.append(char)
        i += 1
    return "".join(out)


def _escape_end(text: str, i: int) -> int:
    """Where the escape starting at `i` ends: `\\p{...}`, `\\N{...}`, `\\x{...}` or two characters."""
    escaped = text[i + 1 : i + 2]
    if escaped in ("p", "P", "N", "x") and text.startswith("{", i + 2):
        return text.index("}", i + 2) + 1
    return i + 3 if escaped in ("p", "P") else i + 2  # \pL: a one-letter property


def _rewrite(escape: str, flags: int, alphabet: str, in_class: bool) -> str:
    """One range (or a negated one, or a character the text lacks) meaning `escape` on `alphabet`; else `escape`."""
    runs = [m.span() for m in regex.finditer(f"(?:{escape})+", alphabet, flags=flags)]  # members, consecutive
    if len(runs) <= 1:
        return _items(alphabet, runs) if in_class else f"[{_items(alphabet, runs)}]"
    bounds = [0, *(at for run in runs for at in run), len(alphabet)]
    gaps = [(bounds[k], bounds[k + 1]) for k in range(0, len(bounds), 2) if bounds[k] < bounds[k + 1]]
    if not in_class and len(gaps) == 1:
        return f"[^{_items(alphabet, gaps)}]"
    return escape


def _items(alphabet: str, runs: list[tuple[int, int]]) -> str:
    """Class items for at most one run of alphabet positions; none: a character the alphabet lacks, never matched."""
    if not runs:
        return _char(next(chr(c) for c in range(0x10FFFF, -1, -1) if chr(c) not in alphabet))
    start, end = runs[0]
    return _char(alphabet[start]) if end - start == 1 else f"{_char(alphabet[start])}-{_char(alphabet[end - 1])}"


def _char(char: str) -> str:
    return f"\\U{ord(char):08x}"
