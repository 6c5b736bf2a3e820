"""A wider pattern for the joined scan: what it matches are candidates, each then searched alone.

The joined scan (aligner.search.regex_scan) cannot follow lookarounds, string anchors, atomic groups or
possessive repeats over the separator. Each of them only ever narrows what a pattern matches, so
the pattern without them matches every sentence the pattern matches, and perhaps more: a
lookaround becomes an empty group (removed whole, with any lookaround nested in it, since
removing one inside a negative lookaround would narrow), `\\A` becomes `^` and `\\Z`, `\\z` become
`$` (under MULTILINE these match at every sentence edge), `(?>` becomes `(?:`, `*+` becomes `*`.
A lookaround holding a capturing group or a flag setting is kept, since removing it could
renumber the groups or change the flags of the rest.
"""

from __future__ import annotations

import regex

from aligner.search.regex_tokens import LOOKAROUNDS, Token, group_end, tokens

_ANCHORS = {"\\A": "(?:^)", "\\Z": "(?:$)", "\\z": "(?:$)"}
_NOT_CAPTURING = (*LOOKAROUNDS, "(?:", "(?>")


def widen(pattern: regex.Pattern[str]) -> str | None:
    """The pattern text with what narrows it removed; None if nothing could be removed."""
    found = tokens(pattern)
    if found is None:
        return None
    out: list[str] = []
    i = 0
    while i < len(found):
        token = found[i]
        if token.kind == "open" and token.text in LOOKAROUNDS:
            end = group_end(found, i)
            if not all(_removable(t) for t in found[i + 1 : end]):
                return None
            out.append("(?:)")
            i = end + 1
            continue
        out.append(_wider(token))
        i += 1
    text = "".join(out)
    return text if text != pattern.pattern else None


def _wider(token: Token) -> str:
    """The token's text without what narrows it."""
    if token.kind == "escape":
        return _ANCHORS.get(token.text, token.text)
    if token.kind == "open" and token.text == "(?>":
        return "(?:"
    if token.kind == "quantifier" and len(token.text) > 1 and token.text.endswith("+"):
        return token.text[:-1]
    return token.text


def _removable(token: Token) -> bool:
    """Whether a token inside a lookaround can go with it: it captures no group and sets no flag."""
    if token.kind == "open":
        return token.text.startswith(_NOT_CAPTURING) or (token.text[1:2] == "?" and token.text.endswith(":"))
    return token.kind != "alone" or token.text.startswith(("(?#", "(*", "(?P="))
