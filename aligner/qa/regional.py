"""Regional vocabulary: words of another region in a Taiwan or Hong Kong text.

`regional`: a version tagged for Taiwan (zh-Hant-TW) that writes 軟件, 信息, 網絡 or 打印機 where
Taiwan writes 軟體, 資訊, 網路, 印表機, and a Hong Kong or Macau version (zh-Hant-HK, zh-Hant-MO;
Macau follows Hong Kong usage) that writes Taiwan's words. The words come from OpenCC's phrase
dictionaries (`regional.tsv`, made by `regional_table.py`, which names the source and the words
kept as valid in both regions). A version with no region gets no finding.

Both the text and the table are compared in OpenCC's Traditional characters (裡 and 裏, 綫 and
線 read alike), so a Taiwan text's variants do not hide a word. Words are matched longest first;
a word the region does use that overlaps a match (網絡卡 in Taiwan, 軟體動物 anywhere) wins, and a
match that is two words' halves (多工 in 更多工作) is not a word: jieba's segmentation decides.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from aligner.ingest.langs import convert, region_name
from aligner.qa.cedict import MAX_WORD, lexicon
from aligner.qa.findings import Finding
from aligner.qa.pairs import LinkView, PairView
from aligner.qa.registry import Params, check

# Regions whose usage the table knows, and the table each one uses.
TABLE_OF_REGION = {"TW": "TW", "HK": "HK", "MO": "HK"}


@dataclass(frozen=True)
class Table:
    """One region's words: those it does not use, with its own word, and those it does use."""

    foreign: dict[str, str]  # word (folded) → the region's word
    own: frozenset[str]  # folded words the region uses, which win over an overlapping foreign one
    longest: int


@dataclass(frozen=True)
class Hit:
    """A foreign word found in a text: where, as written, and the region's word."""

    start: int
    word: str
    suggestion: str


def fold(text: str) -> str:
    """Regional character variants folded to OpenCC's Traditional forms (裡 → 裏, 綫 → 線), if
    that keeps the length (positions must stay those of the text)."""
    folded = convert(convert(text, "tw2t"), "hk2t")
    return folded if len(folded) == len(text) else text


@lru_cache(maxsize=1)
def tables() -> dict[str, Table]:
    """The word tables by region, read once from `regional.tsv`."""
    foreign: dict[str, dict[str, str]] = {}
    own: dict[str, set[str]] = {}
    data = resources.files("aligner.qa").joinpath("regional.tsv").read_text(encoding="utf-8")
    for line in data.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        region, kind, word, theirs = line.split("\t")
        if kind == "flag":
            foreign.setdefault(region, {})[fold(word)] = theirs
        else:
            own.setdefault(region, set()).add(fold(word))
    out = {}
    for region, words in foreign.items():
        mine = frozenset(own.get(region, set()))
        kept = {w: s for w, s in words.items() if w not in mine}
        out[region] = Table(kept, mine, max(map(len, [*kept, *mine])))
    return out


def _spans(text: str, words: frozenset[str] | dict[str, str], longest: int) -> list[tuple[int, int]]:
    """Every occurrence of the words in `text`, as (start, end)."""
    return [
        (i, i + size)
        for i in range(len(text))
        for size in range(min(longest, len(text) - i), 1, -1)
        if text[i : i + size] in words
    ]


def foreign_words(text: str, region: str) -> list[Hit]:
    """The words of another region in a text written for `region` (TW, HK, MO); none for others."""
    table = tables().get(TABLE_OF_REGION.get(region, ""))
    if table is None:
        return []
    folded = fold(text)
    own = _spans(folded, table.own, table.longest)
    hits: list[Hit] = []
    taken = -1
    for start, end in _spans(folded, table.foreign, table.longest):
        theirs = table.foreign[folded[start:end]]
        if start < taken or any(a < end and start < b and (a < start or b > end) for a, b in own):
            continue
        if _straddled(folded, start, end):
            continue
        hits.append(Hit(start, text[start:end], theirs))
        taken = end
    return hits


def _straddled(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is two words' halves: a CC-CEDICT word crosses one of its edges
    (工作 crosses 多工 in 更多工作, but 路上 crosses 網路 in 在網路上 too), and then jieba, which
    weighs words by frequency, cuts across it as well (更/多/工作, but 在/網路上)."""
    words = lexicon().words
    if not any(
        _crosses(a, a + size, start, end) and text[a : a + size] in words
        for size in range(2, MAX_WORD + 1)
        for a in range(max(0, start - size + 1), min(end, len(text) - size + 1))
    ):
        return False
    simplified = convert(text, "t2s")
    if len(simplified) != len(text):
        return True
    at = 0
    for token in _jieba().cut(simplified, HMM=False):
        if _crosses(at, at + len(token), start, end):
            return True
        at += len(token)
    return False


def _crosses(a: int, b: int, start: int, end: int) -> bool:
    """The span a:b crosses one edge of start:end (neither holds the other)."""
    return a < start < b < end or start < a < end < b


@lru_cache(maxsize=1)
def _jieba() -> Any:
    """jieba's segmenter, its dictionary loaded once (about 1.5 s) and its log kept quiet."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _fixed(text: str, hits: list[Hit]) -> str:
    """The text with each foreign word replaced by the region's (the first of its alternatives)."""
    out, at = [], 0
    for hit in hits:
        out += [text[at : hit.start], hit.suggestion.split("/")[0]]
        at = hit.start + len(hit.word)
    return "".join(out + [text[at:]])


def _first_pairs(pairs: list[PairView]) -> Iterator[tuple[PairView, str, str]]:
    """Each regional version once: in the first pair (English first) that holds it."""
    seen: set[tuple[str, str]] = set()
    for pair in pairs:
        for side, lang, region in (("src", pair.src_lang, pair.src_region), ("tgt", pair.tgt_lang, pair.tgt_region)):
            if region in TABLE_OF_REGION and (pair.doc_id, lang) not in seen:
                seen.add((pair.doc_id, lang))
                yield pair, side, region


def _finding(view: LinkView, text: str, hits: list[Hit], region: str) -> Finding:
    name = region_name(region)
    words = ", ".join(f"{h.word} → {h.suggestion.replace('/', ' or ')} ({name})" for h in hits)
    return view.finding("regional", "warning", f"words not used in {name}: {words}", _fixed(text, hits))


@check("regional", "words of another region in a Taiwan or Hong Kong text (軟件 for 軟體 in zh-Hant-TW)")
def regional(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for pair, side, region in _first_pairs(pairs):
        for view in pair.links:
            text = view.src_text if side == "src" else view.tgt_text
            hits = foreign_words(text, region)
            if hits:
                yield _finding(view, text, hits, region)
