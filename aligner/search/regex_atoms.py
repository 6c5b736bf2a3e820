"""Single-character items every match of a pattern holds: which sentences are worth searching.

A sequence (no "|" at its level) matches only where each of its items matches, except those a
quantifier makes optional; a group that is itself such a sequence is read the same way. An item
that matches one character (a literal, an escape such as `\\d` or `\\p{Lu}`, a set) is then a
required atom: every match of `\\w*z\\d` holds a "z" and a digit. Groups that set flags,
lookarounds and alternatives give no atoms; nor do patterns with verbs such as `(*SKIP)` (not
followed here), full case folding (one character may match two) or flags set after the start
(`(?i)a(?-i)b`: they hold from there on, and the pattern's flags do not show it).
"""

from __future__ import annotations

import regex

from aligner.search.regex_tokens import Token, flags_set_later, group_end, tokens

_ONE_CHAR_ESCAPE = regex.compile(r"\\(?:[dDsSwWtnrfva]|[pPNxuU].+|[^0-9A-Za-z])")
_PLAIN_GROUPS = regex.compile(r"\((?:\?(?::|>|P?<\w+>|'\w+'))?")  # no flags, not a lookaround, no alternation reset
_OPTIONAL = regex.compile(r"[*?]|\{0*(?:,|\})")  # a quantifier allowing zero repeats


def required_atoms(pattern: regex.Pattern[str]) -> list[str]:
    """The texts of the one-character items every match of `pattern` holds ([] when unsure)."""
    found = tokens(pattern)
    if found is None or pattern.flags & regex.FULLCASE or flags_set_later(found) or any(t.text.startswith("(*") for t in found):
        return []
    return _atoms(found)


def _atoms(found: list[Token]) -> list[str]:
    """The required atoms of a sequence of tokens."""
    atoms: list[str] = []
    i = 0
    while i < len(found):
        token = found[i]
        end = group_end(found, i) if token.kind == "open" else i
        then = found[end + 1] if end + 1 < len(found) else None
        required = then is None or then.kind != "quantifier" or not _OPTIONAL.match(then.text)
        if token.kind == "bar":
            return []
        if required and _one_char(token):
            atoms.append(token.text)
        elif required and token.kind == "open" and _PLAIN_GROUPS.fullmatch(token.text):
            atoms.extend(_atoms(found[i + 1 : end]))
        i = end + 1
    return atoms


def _one_char(token: Token) -> bool:
    if token.kind == "char":
        return token.text not in ".^$"
    return token.kind == "set" or (token.kind == "escape" and _ONE_CHAR_ESCAPE.fullmatch(token.text) is not None)
