"""Punctuation: half-width marks in Chinese text, unbalanced quotes and brackets, a question
that became a statement."""

from __future__ import annotations

from collections.abc import Iterator

import regex

from aligner.qa.findings import Finding
from aligner.qa.pairs import PairView
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
                yield view.finding("half-width", "warning", f"half-width punctuation in the {pair.tgt_lang} text: {shown} (Chinese uses full-width: ，；：？！（）。“”)")


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
