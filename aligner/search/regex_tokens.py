"""A regular expression's text cut into tokens, for rewrites that must not look inside escapes or sets.

Follows the syntax of the `regex` module that those rewrites need: escapes (with the bodies of
`\\p{...}`, `\\N{...}`, `\\x{...}`, `\\g<...>`, `\\xhh`, `\\uhhhh`), sets `[...]`, group openers
and ")", quantifiers (with a lazy "?" or possessive "+"), "|", and the groups that stand alone
(`(?#...)`, `(?i)`, `(?P=name)`, `(?R)`, `(*VERB)`). Syntax it does not follow gives None, so
the caller keeps its slow path: verbose patterns, nested sets and POSIX classes, conditionals,
braces that are not a plain repeat count (fuzzy constraints, literal braces).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")
_OPENER = regex.compile(r"\((?:\?(?:<[=!]|[:=!>|]|P?<\w+>|'\w+'|[a-zA-Z0-9-]*:))?")
_ALONE = regex.compile(r"\((?:\?(?:#[^)]*|[a-zA-Z0-9-]+|P=\w+|R|[+-]?\d+|&\w+|P>\w+)|\*[A-Z]*(?::[^)]*)?)\)")
_VERBOSE_FLAG = regex.compile(r"\(\?[a-zA-Z0-9-]*x")  # (?x), (?ix:...), (?-x:...)
_FLAG_SETTING = regex.compile(r"\(\?(?:[aiLmsxuwfbepr-]|V[01])+\)")  # (?i), (?-i), (?aV1); not (?1), (?R)
_QUANTIFIER = regex.compile(r"(?:[*+?]|\{\d*(?:,\d*)?\})[?+]?")
_ESCAPE_BODY = regex.compile(r"[pPNx]\{[^}]*\}|[pP]\w|g<\w+>|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|\d{1,3}|.", regex.DOTALL)
_SET_ITEM = regex.compile(r"\\[pPNx]\{[^}]*\}|\\.|[^\]\\]", regex.DOTALL)


@dataclass(frozen=True)
class Token:
    """One unit of pattern syntax: kind is escape, set, open, close, alone, quantifier, bar or char."""

    kind: str
    text: str


def tokens(pattern: regex.Pattern[str]) -> list[Token] | None:
    """The tokens of the pattern's text, or None when it uses syntax this reader does not follow."""
    return None if pattern.flags & regex.VERBOSE else text_tokens(pattern.pattern)


def text_tokens(text: str) -> list[Token] | None:
    """The tokens of a pattern's text, read before it is compiled (a verbose pattern gives None
    at its `(?x)`), or None when it uses syntax this reader does not follow."""
    out: list[Token] = []
    i = 0
    while i < len(text):
        token = _token(text, i)
        if token is None:
            return None
        out.append(token)
        i += len(token.text)
    return out


def _token(text: str, i: int) -> Token | None:
    """The token starting at `i`, or None."""
    char = text[i]
    if char == "\\":
        body = _ESCAPE_BODY.match(text, i + 1)
        return Token("escape", text[i : body.end()]) if body else None
    if char == "[":
        return _set(text, i)
    if char == "(":
        if _VERBOSE_FLAG.match(text, i) or text.startswith("(?(", i):
            return None
        alone = _ALONE.match(text, i)
        if alone:
            return Token("alone", alone[0])
        opener = _OPENER.match(text, i)[0]  # type: ignore[index]  # matches at least the (
        return None if opener == "(" and text.startswith("(?", i) else Token("open", opener)  # an unknown (?...
    if char == "{" or char in "*+?":
        quantifier = _QUANTIFIER.match(text, i)
        return Token("quantifier", quantifier[0]) if quantifier else None
    kinds = {")": "close", "|": "bar"}
    return Token(kinds.get(char, "char"), char)


def _set(text: str, i: int) -> Token | None:
    """The set `[...]` starting at `i` (a "]" first is a member); None if unclosed or nested."""
    at = i + 1 + text.startswith("^", i + 1)
    at += text.startswith("]", at)
    while at < len(text) and text[at] != "]":
        item = _SET_ITEM.match(text, at)
        if item is None or item[0] == "[":
            return None
        at = item.end()
    return Token("set", text[i : at + 1]) if at < len(text) else None


def flags_set_later(found: list[Token]) -> bool:
    """Whether a flag setting such as `(?i)` follows the first token: it holds from there on,
    though the compiled pattern's flags show it as if it held for the whole pattern."""
    return any(t.kind == "alone" and _FLAG_SETTING.fullmatch(t.text) for t in found[1:])


def group_end(found: list[Token], i: int) -> int:
    """The index of the ")" closing the group opened at index `i` of `found`."""
    depth = 0
    for at in range(i, len(found)):
        depth += {"open": 1, "close": -1}.get(found[at].kind, 0)
        if depth == 0:
            return at
    raise ValueError("unbalanced group in a compiled pattern")
