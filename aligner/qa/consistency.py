"""Inconsistent translation (one source term rendered differently across the corpus, found
with CC-CEDICT) and links the aligner was unsure of."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from difflib import SequenceMatcher

import regex

from aligner.align.lexicon import MAX_WORD, english_words, gloss_table, translations
from aligner.ingest.langs import convert
from aligner.qa.cedict import lexicon
from aligner.qa.findings import Finding
from aligner.qa.pairs import LinkView, PairView, script_pair
from aligner.qa.registry import Params, check
from aligner.reader.filters import LOW_CONFIDENCE

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
            for a in range(max(0, start - MAX_WORD + 1), start + 1)
            for b in range(start + len(term), min(len(text), a + MAX_WORD) + 1)
        )
        if not longer:
            return True
        start = text.find(term, start + 1)
    return False


def _in_dotted_name(word: str, text: str) -> bool:
    """`word` is one part of a name written with a middle dot (沃尔特·迪士尼)."""
    w = regex.escape(word)
    return regex.search(rf"\p{{Han}}[·•・‧]{w}|{w}[·•・‧]\p{{Han}}", text) is not None


def _explained(word: str, usual: str, view: LinkView) -> bool:
    """The other rendering translates another word of the source too (韩国 for *South* Korea,
    首次 for *first* time), one no other word of the translation renders: a different term, not
    an inconsistency. In a name written with a middle dot (沃尔特·迪士尼) each part renders one
    name: 迪士尼 may gloss "Walt Disney", but here it is only Disney."""
    table = gloss_table()
    if word not in table or usual not in table or _in_dotted_name(word, view.tgt_text):
        return False
    extra = (set(table[word]) - set(table[usual])) & english_words(view.src_text)
    return bool(extra - translations([view.tgt_text.replace(word, "\n")])[0])


def _collect(pairs: list[PairView]) -> Uses:
    uses: Uses = defaultdict(list)
    changes: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for pair in pairs:
        label = pair.label  # by full tag: a Taiwan and a Hong Kong version each have their own norm
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
        label = pair.label
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


def usual_rendering(counts: Counter[str], params: Params) -> str | None:
    """The rendering most uses (or documents) agree on, if it has enough of them to be the norm."""
    if len(counts) < 2 or counts.total() < params["min_uses"]:
        return None
    usual, n = counts.most_common(1)[0]
    return usual if n >= 2 and n / counts.total() >= params["share"] else None


def _norms(found: list[tuple[str, LinkView]], params: Params) -> dict[str, str | None]:
    """Each document's usual rendering of a term: its own where it uses the term often enough,
    else the corpus's, with each document one vote (a long text does not speak for the others,
    and one David is not another)."""
    by_doc: dict[str, Counter[str]] = defaultdict(Counter)
    for word, view in found:
        by_doc[view.doc_id][word] += 1
    votes = Counter(counts.most_common(1)[0][0] for counts in by_doc.values())
    corpus = usual_rendering(votes, params)
    return {
        doc: usual_rendering(counts, params) if counts.total() >= params["min_uses"] else corpus
        for doc, counts in by_doc.items()
    }


@check("inconsistent", "one source term rendered differently across the corpus", min_uses=3, share=0.6)
def inconsistent(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for (_label, term), found in sorted(_collect(pairs).items(), key=lambda kv: kv[0]):
        norms = _norms(found, params)
        for word, view in found:
            usual = norms[view.doc_id]
            if usual is None or word == usual:
                continue
            if _exclusive(found, word, usual) and not _explained(word, usual, view):
                here = [w for w, v in found if v.doc_id == view.doc_id]
                where = f"in {here.count(usual)} other places" if len(here) >= params["min_uses"] else "in most documents"
                yield view.finding(
                    "inconsistent", "warning",
                    f"'{term}' is rendered {word} here but {usual} {where}", usual,
                )


@check("low-confidence", "a machine link the aligner was unsure of", threshold=LOW_CONFIDENCE)
def low_confidence(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for pair in pairs:
        for view in pair.links:
            lk = view.link
            if lk.src and lk.tgt and lk.resp == "machine" and lk.confidence < params["threshold"]:
                yield view.finding("low-confidence", "info", f"alignment confidence {lk.confidence:.2f} is below {params['threshold']:.2f}: check the link")
