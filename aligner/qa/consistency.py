"""Inconsistent translation (one source term rendered differently across the corpus, found
with CC-CEDICT) and links the aligner was unsure of."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from difflib import SequenceMatcher

import regex

from aligner.align.lexicon import english_words, gloss_table
from aligner.langs import convert
from aligner.qa.cedict import lexicon
from aligner.qa.findings import Finding
from aligner.qa.pairs import LinkView, PairView
from aligner.qa.registry import Params, check
from aligner.qa.script import script_pair
from aligner.reader.filters import LOW_CONFIDENCE

_MAX_WORD = 4
_WORDS = regex.compile(r"[A-Za-z]+")

Uses = dict[tuple[str, str], list[tuple[str, LinkView]]]  # (pair, term) → [(rendering, link)]


def english_terms(text: str) -> list[str]:
    """CC-CEDICT gloss terms in an English sentence: phrases of two to four words ("cosmic
    rays" → "cosmic ray") and capitalised names ("Internet"), the longest where they overlap."""
    terms = lexicon().terms
    words = [m.group() for m in _WORDS.finditer(text)]
    found: list[str] = []
    covered: set[int] = set()
    for size in (4, 3, 2, 1):
        for i in range(len(words) - size + 1):
            span = set(range(i, i + size))
            if span & covered:
                continue
            phrase = " ".join(words[i : i + size])
            keys = [phrase] if size == 1 else [phrase.lower(), phrase.lower().removesuffix("s")]
            key = next((k for k in keys if k in terms), None)
            if key is not None and len(english_words(key)) == size:  # content words only: not "is not"
                found.append(key)
                covered |= span
    return found


def english_renderings(view: LinkView) -> Iterator[tuple[str, str]]:
    """(English term, the one Chinese word of the link CC-CEDICT gives for it)."""
    terms = lexicon().terms
    for term in english_terms(view.src_text):
        present = [w for w in terms[term] if w in view.tgt_text]
        longest = [w for w in present if not any(w != o and w in o for o in present)]
        if len(longest) == 1:
            yield term, longest[0]


def vocabulary_changes(hans: str, hant: str) -> Iterator[tuple[str, str]]:
    """(Simplified word, the Traditional word written for it) where the Traditional text changes
    vocabulary (朝鲜 → 北韓), and identity conversions of the same words elsewhere are compared."""
    back = convert(hant, "t2s")
    for op, i1, i2, j1, j2 in SequenceMatcher(None, hans, back, autojunk=False).get_opcodes():
        if op == "replace" and i2 - i1 >= 2:
            yield hans[i1:i2], hant[j1:j2]


def _outside_longer_word(text: str, term: str) -> bool:
    """`term` occurs in `text` at least once not as part of a longer CC-CEDICT word (朝鲜 in 朝鲜半岛)."""
    words = lexicon().words
    start = text.find(term)
    while start >= 0:
        longer = any(
            text[a:b] in words and len(text[a:b]) > len(term)
            for a in range(max(0, start - _MAX_WORD + 1), start + 1)
            for b in range(start + len(term), min(len(text), a + _MAX_WORD) + 1)
        )
        if not longer:
            return True
        start = text.find(term, start + 1)
    return False


def _explained(word: str, usual: str, view: LinkView) -> bool:
    """The other rendering translates another word of the source too (韩国 for *South* Korea,
    首次 for *first* time): a different term, not an inconsistency."""
    table = gloss_table()
    if word not in table or usual not in table:
        return False
    return bool((set(table[word]) - set(table[usual])) & english_words(view.src_text))


def _collect(pairs: list[PairView]) -> Uses:
    uses: Uses = defaultdict(list)
    changes: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for pair in pairs:
        label = f"{pair.src_lang}→{pair.tgt_lang}"
        roles = script_pair(pair)
        for view in pair.links:
            if not (view.link.src and view.link.tgt):
                continue
            if roles is not None:
                hans, hant = (view.src_text, view.tgt_text) if roles[0] == "src" else (view.tgt_text, view.src_text)
                for simp, trad in vocabulary_changes(hans, hant):
                    changes[(label, simp)][trad] = trad
            elif pair.src_lang == "en" and pair.tgt_lang.startswith("zh"):
                for stem, word in english_renderings(view):
                    uses[(label, stem)].append((word, view))
    for pair in pairs:  # where the changed words occur, what the Traditional text writes instead
        label = f"{pair.src_lang}→{pair.tgt_lang}"
        roles = script_pair(pair)
        if roles is None:
            continue
        for view in pair.links:
            hans, hant = (view.src_text, view.tgt_text) if roles[0] == "src" else (view.tgt_text, view.src_text)
            for (lab, simp), trads in changes.items():
                if lab == label and _outside_longer_word(hans, simp):
                    chosen = next((t for t in trads if t in hant), convert(simp, "s2t"))
                    uses[(label, simp)].append((chosen, view))
    return uses


def _exclusive(uses: list[tuple[str, LinkView]], word: str, usual: str) -> bool:
    """The two renderings never meet in one link: a choice between them, not two meanings."""
    return word not in usual and usual not in word and not any(
        word in view.tgt_text and usual in view.tgt_text for _, view in uses
    )


@check("inconsistent", "one source term rendered differently across the corpus", min_uses=3, share=0.6)
def inconsistent(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for (_label, term), found in sorted(_collect(pairs).items(), key=lambda kv: kv[0]):
        counts = Counter(word for word, _ in found)
        if len(counts) < 2 or len(found) < params["min_uses"]:
            continue
        usual, n = counts.most_common(1)[0]
        if n / len(found) < params["share"] or n < 2:
            continue
        for word, view in found:
            if word != usual and _exclusive(found, word, usual) and not _explained(word, usual, view):
                yield view.finding(
                    "inconsistent", "warning",
                    f"'{term}' is rendered {word} here but {usual} in {n} other places", usual,
                )


@check("low-confidence", "a machine link the aligner was unsure of", threshold=LOW_CONFIDENCE)
def low_confidence(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for pair in pairs:
        for view in pair.links:
            lk = view.link
            if lk.src and lk.tgt and lk.resp == "machine" and lk.confidence < params["threshold"]:
                yield view.finding("low-confidence", "info", f"alignment confidence {lk.confidence:.2f} is below {params['threshold']:.2f}: check the link")
