"""Paragraph and sentence splitting for English-like and Chinese text.

Rules, not a model: a sentence ends at a terminal stop followed (after closing quotes and
brackets) by the start of another sentence, except after abbreviations, initials and inside
quotations or book titles in Chinese.
"""

from __future__ import annotations

import re

import regex

from aligner.langs import is_chinese

# Abbreviations that never end a sentence (a title before a name, a month before a day …).
_NEVER_FINAL = {
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "col", "lt", "sgt", "capt", "rev",
    "hon", "gov", "sen", "rep", "pres", "no", "nos", "vol", "vols", "art", "fig", "figs", "ch",
    "pp", "p", "ed", "eds", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "e.g", "i.e", "cf", "vs", "v", "ca", "approx", "dept", "est", "inc.",
    "mt", "ft", "op", "cit", "al",
}
# Abbreviations that end a sentence only when a typical sentence opener follows ("the U.S. With").
_MAYBE_FINAL = {"u.s", "u.k", "u.n", "e.u", "etc", "inc", "ltd", "co", "corp", "jr", "a.m", "p.m"}
_OPENERS = {
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "we", "they",
    "i", "you", "there", "here", "but", "and", "or", "so", "yet", "if", "when", "while", "with",
    "in", "on", "at", "for", "from", "as", "after", "before", "since", "though", "although",
    "however", "moreover", "meanwhile", "such", "what", "why", "how", "who", "where", "both",
    "each", "many", "most", "some", "all", "no", "not", "one", "two", "then", "thus", "to",
}

_CLOSERS = "\"'”’»)]}）】』」》〉"
_EN_END = re.compile(
    r"(?P<stop>[.?!]+|…)(?P<close>[" + re.escape(_CLOSERS) + r"]*)(?P<space>\s+)"
    r"(?=(?P<next>[\"'“‘(\[]*[\w¿¡]))"
)
_WORD_BEFORE = re.compile(r"([\w.]+)$")

_ZH_STOPS = "。！？!?"
_ZH_OPEN = "“‘「『《〈（【"
_ZH_CLOSE = "”’」』》〉）】"
_ZH_PAIRS = dict(zip(_ZH_OPEN, _ZH_CLOSE))
_ZH_CLOSE_OF = {")": "）", "]": "】"}  # half-width closers that end full-width brackets
_MAX_QUOTE = 400  # characters a quotation or title may span before its opener counts as stray
# An attribution right after a closing quote continues the sentence: “……。”他说。
_ZH_ATTRIBUTION = regex.compile(
    r"[\p{Han}\w·]{1,6}?(说|道|问|答|称|讲|說|問|稱|講|表示|指出|认为|認為|强调|強調|写道|寫道|回答|感叹道|感嘆道)"
    r"(?=[，。：！？,:]|$)"
)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs are blocks separated by blank lines; lines inside a block are joined."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return [p for p in (_join_lines(b.splitlines()) for b in blocks) if p]


def _join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines: with a space between Latin words, with nothing between Han."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out and not (is_chinese(out[-1]) and is_chinese(line[0])):
            out += " "
        out += line
    return out


def split_sentences(text: str, lang: str) -> list[str]:
    """Split one paragraph into sentences by the rules of its language."""
    text = " ".join(text.split()) if not lang.startswith("zh") else text.strip()
    if not text:
        return []
    if lang.startswith("zh") or lang in {"ja"}:
        return _split_chinese(text)
    return _split_latin(text)


def _split_latin(text: str) -> list[str]:
    """Split at . ? ! … (with closing quotes) before the next sentence's first word."""
    sentences: list[str] = []
    start = 0
    for m in _EN_END.finditer(text):
        if _is_boundary(text, m):
            sentences.append(text[start : m.start("space")].strip())
            start = m.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def _is_boundary(text: str, m: re.Match[str]) -> bool:
    """Decide whether a stop ends the sentence, looking at the word before and after it."""
    stop, nxt = m.group("stop"), m.group("next")
    first = nxt.lstrip("\"'“‘([")[:1]
    if stop in {"...", "…"} and first.islower():
        return False
    if stop != ".":
        return not first.islower()
    if m.group("close"):
        return not first.islower()
    before = _WORD_BEFORE.search(text, 0, m.start())
    word = before.group(1).lower().rstrip(".") if before else ""
    following = re.match(r"[\"'“‘(\[]*(\w+)", text[m.end() :])
    next_word = following.group(1) if following else ""
    if word in _NEVER_FINAL or (len(word) == 1 and word.isalpha() and word != "i"):
        return False  # Mr. Smith, Mar. 12, initials J. R. R.
    if word in _MAYBE_FINAL or re.fullmatch(r"(\w\.)+\w", word):
        return next_word.lower() in _OPENERS and next_word[:1].isupper()
    if first.isdigit():
        return not re.search(r"\b(no|nos|p|pp|art|vol|ch|fig)$", word)
    return not first.islower()


def _closes_nearby(text: str, i: int) -> bool:
    """True if the opener at i is closed before another of its kind opens (else it is stray)."""
    opener, closer = text[i], _ZH_PAIRS[text[i]]
    for j in range(i + 1, min(len(text), i + 1 + _MAX_QUOTE)):
        if text[j] == opener:
            return False
        if _ZH_CLOSE_OF.get(text[j], text[j]) == closer:
            return True
    return False


def _split_chinese(text: str) -> list[str]:
    """Split after 。！？ (and closing quotes/brackets), never inside quotations or 《》."""
    sentences: list[str] = []
    stack: list[str] = []
    start = i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in _ZH_PAIRS and _closes_nearby(text, i):
            stack.append(_ZH_PAIRS[ch])
        elif stack and _ZH_CLOSE_OF.get(ch, ch) == stack[-1]:
            stack.pop()
        if ch in _ZH_STOPS or text.startswith("……", i):
            j = i + (2 if text.startswith("……", i) else 1)
            while j < n and text[j] in _ZH_STOPS + "…":
                j += 1
            closes = 0
            while j < n and stack and _ZH_CLOSE_OF.get(text[j], text[j]) == stack[-1]:
                stack.pop()
                j += 1
                closes += 1
            ellipsis_only = ch == "…"
            ends = not stack and j < n and not (ellipsis_only and not closes)
            if ends and closes and _ZH_ATTRIBUTION.match(text, j):
                ends = False
            if ends:
                sentences.append(text[start:j].strip())
                start = j
            i = j
            continue
        i += 1
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]
