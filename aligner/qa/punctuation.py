"""Punctuation: half-width marks in Chinese text, quotation marks of another region's style,
unbalanced quotes and brackets, a question that became a statement.

Quotation marks follow the region: Taiwan, Hong Kong and Macau write 「」 (『』 inside), the
mainland and Simplified Chinese elsewhere “” (‘’ inside). A zh-Hant version with no region may
write either.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from aligner.ingest.langs import region_name
from aligner.qa.findings import Finding
from aligner.qa.pairs import LinkView, PairView, chinese_versions
from aligner.qa.registry import Params, check

# A half-width mark after a Han character ("制裁,"), before one ("GIS,而", "35%,并", "”,但",
# "(朝鲜"), or ending the text ("GIS?"), unless an English phrase precedes it ("Are you OK?").
# A straight quote next to a Han character or after a full-width mark stands for “ or ” (他说"好").
# Not touched: 2,094, 3.5, 10:30, U.S., URLs; runs of dots are ellipses (". . ." stands for a formula).
_HALF_WIDTH = regex.compile(
    r'(?<=\p{Han}\s*)[,;:?!()."]'
    r'|[,;:?!"](?=\s*\p{Han})|[(](?=\s*\p{Han})|(?<=[，。：；！？、]\s*)"'
    r"|(?<!\p{Latin}+\s+\p{Latin}+)[,;:?!](?=[\s”’」』)）]*$)"
)
_ELLIPSIS = regex.compile(r"\.(?:\s*\.)+")
_PAIRS = (("“", "”"), ("「", "」"), ("『", "』"), ("（", "）"), ("(", ")"), ("《", "》"), ("【", "】"), ("[", "]"))
_QUESTION_END = regex.compile(r"[?？][\s\p{Pf}\p{Pe}”」』)）]*$")
_QUESTION = regex.compile(r"[?？]")
# Quotation marks, outer then inner: the corner brackets of Taiwan, Hong Kong and Macau and the
# curly quotes of the mainland. A ’ between Latin letters is an apostrophe (Nvidia’s), not a quote.
_CORNER = "「」『』"
_CURLY = "“”‘’"
_CORNER_REGIONS = ("TW", "HK", "MO")
_MARKS = {_CORNER: regex.compile(r"[“”‘]|(?<!\p{Latin})’|’(?!\p{Latin})"), _CURLY: regex.compile(r"[「」『』]")}


def quote_style(lang: str, region: str) -> str:
    """The quotation marks (outer pair, inner pair) a Chinese version writes: 「」『』 for a
    Traditional one of Taiwan, Hong Kong or Macau, “”‘’ for a Simplified one, "" when either is
    right (a Traditional one with no region) or the version is not Chinese."""
    if lang == "zh-Hans":
        return _CURLY
    if lang == "zh-Hant" and region in _CORNER_REGIONS:
        return _CORNER
    return ""


def other_quotes(text: str, style: str) -> list[str]:
    """The quotation marks of the other style in a text that should write `style`, once each."""
    return list(dict.fromkeys(_MARKS[style].findall(text))) if style else []


def restyled(text: str, style: str) -> str:
    """The text with the other style's quotation marks as `style` writes them."""
    other = _CURLY if style == _CORNER else _CORNER
    return _MARKS[style].sub(lambda m: style[other.index(m.group())], text)


def _full_width(lang: str, region: str) -> str:
    """The full-width marks a version writes, its quotation marks as its region does."""
    style = quote_style(lang, region)
    return "，；：？！（）。" + (style[:2] if style else "「」 or “”")


def half_width_marks(text: str) -> list[str]:
    """The half-width marks a Chinese text uses where full-width ones belong, in order, once each."""
    return list(dict.fromkeys(_HALF_WIDTH.findall(_ELLIPSIS.sub("…", text))))


def unbalanced(text: str) -> list[str]:
    """The quote and bracket pairs a text opens and closes a different number of times."""
    bad = [f"{a}{b}" for a, b in _PAIRS if text.count(a) != text.count(b)]
    if text.count('"') % 2:
        bad.append('""')
    return bad


@check("half-width", "half-width punctuation (, ; : ? ! ( ) . \") next to Chinese characters")
def half_width(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    for pair in pairs:
        if not pair.tgt_lang.startswith("zh"):
            continue
        for view in pair.links:
            key = (pair.doc_id, pair.tgt_lang, view.link.tgt)
            marks = half_width_marks(view.tgt_text)
            if marks and key not in seen:
                seen.add(key)
                shown = " ".join(marks)
                full = _full_width(pair.tgt_lang, pair.tgt_region)
                yield view.finding("half-width", "warning", f"half-width punctuation in the {pair.tgt_lang} text: {shown} (Chinese uses full-width: {full})")


def _quote_finding(view: LinkView, text: str, tag: str, marks: list[str], style: str, region: str) -> Finding:
    writer = f"{region_name(region)} writes" if style == _CORNER else "Simplified Chinese writes"
    reason = f"quotation marks {' '.join(marks)} in the {tag} text: {writer} {' '.join(style[:2])} (and {' '.join(style[2:])} inside)"
    return view.finding("quote-style", "warning", reason, restyled(text, style))


@check("quote-style", "quotation marks of another region's style (“” in a Taiwan or Hong Kong text, 「」 in a Simplified one)")
def quote_marks(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for pair, side, lang, region in chinese_versions(pairs, prefer_script_pair=False):
        style = quote_style(lang, region)
        for view in pair.links if style else ():
            text, tag = (view.src_text, view.src_tag) if side == "src" else (view.tgt_text, view.tgt_tag)
            marks = other_quotes(text, style)
            if marks:
                yield _quote_finding(view, text, tag or lang, marks, style, region)


@check("unbalanced", "quotes or brackets opened and not closed in the translation (balanced in the source)")
def unbalanced_marks(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for pair in pairs:
        for view in pair.links:
            if view.tgt_text and not unbalanced(view.src_text):
                bad = unbalanced(view.tgt_text)
                if bad:
                    yield view.finding("unbalanced", "warning", f"unbalanced {' '.join(bad)} in the {pair.tgt_lang} text, balanced in the source")


@check("question", "a question in the source that the translation turns into a statement")
def lost_question(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for pair in pairs:
        for view in pair.links:
            if view.tgt_text and _QUESTION_END.search(view.src_text) and not _QUESTION.search(view.tgt_text):
                yield view.finding("question", "warning", f"the source asks a question; the {pair.tgt_lang} text has no question mark")
