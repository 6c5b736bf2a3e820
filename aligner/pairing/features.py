"""What a document brings to pairing: two document vectors, its numbers, its Latin-script
names, its length, its sentences' lengths in order (to tell near copies apart) and its date.

- `vectors`: the IDF-weighted sum of the sentence encoder's vectors of the document's words
  (each distinct word encoded once, alone, as the engine's first pass does for sentences): a
  thousand Bible chapters have some twenty thousand distinct words, not two million tokens.
- `lexical`: TF-IDF rows in a space both sides share: English stems, with a Chinese text's
  words replaced by the stems CC-CEDICT glosses them with; Chinese character bigrams for two
  Chinese scripts (Traditional read as Simplified); else lower-cased words (names, numbers and
  cognates are shared). On Bible chapters the lexical rows alone put the true partner first for
  98 % of English chapters, the encoder's word vectors for 35 %; together, after the margin and
  the assignment, all of them (tests/benchmarks/SCALE_RESULTS.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import regex
from scipy.sparse import csr_matrix

from aligner.corpus.model import Document
from aligner.ingest.langs import convert

_NAME = regex.compile(r"\b\p{Lu}[\p{Ll}\p{Lu}'’-]{2,}\b")
_WORD = regex.compile(r"\w+")
_HAN_RUN = regex.compile(r"\p{Han}+")
PARTS = 3  # a translation keeps the order of its text: its thirds match the original's thirds

Encode = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class Features:
    """The pairing signals of one side's documents, row i for document i."""

    vectors: np.ndarray  # (n, d), L2-normalised
    lexical: csr_matrix  # (n, shared vocabulary), L2-normalised TF-IDF
    parts: tuple[csr_matrix, ...]  # the same for each `PARTS`th of the text, in reading order
    numbers: list[Counter[float]]
    names: list[frozenset[str]]
    lengths: np.ndarray  # characters without spaces, (n,)
    sentence_lengths: list[np.ndarray]  # each document's sentences' characters without spaces, in order
    dates: list[str]  # ISO dates found in the page text, "" when none


def sentences(doc: Document, lang: str) -> list[str]:
    """The document's sentences, Traditional Chinese written in Simplified so both scripts share words."""
    texts = [s.text for s in doc.sentences()]
    return [convert(t, "t2s") for t in texts] if lang.startswith("zh-Hant") else texts


def names(text: str) -> frozenset[str]:
    """Capitalised Latin-script words not at a sentence start: names, places, codes."""
    return frozenset(m.group().lower() for m in _NAME.finditer(text) if not _sentence_start(text, m.start()))


def _sentence_start(text: str, at: int) -> bool:
    before = text[:at].rstrip()
    return not before or before[-1] in ".!?。！？\n\"“"


def _chinese(lang: str) -> bool:
    return lang.split("-")[0] == "zh"


Terms = list[list[list[str]]]  # per document, per sentence, its terms in the shared space


def terms(side_a: list[list[str]], lang_a: str, side_b: list[list[str]], lang_b: str) -> tuple[Terms, Terms]:
    """Each sentence's terms in a space both languages share (see the module)."""
    from aligner.align import lexicon

    def each(docs: list[list[str]], find: Callable[[str], Iterable[str]]) -> Terms:
        return [[list(find(sentence)) for sentence in doc] for doc in docs]

    if _chinese(lang_a) and _chinese(lang_b):
        return each(side_a, _bigrams), each(side_b, _bigrams)
    if _chinese(lang_a) != _chinese(lang_b) and "en" in (lang_a.split("-")[0], lang_b.split("-")[0]):
        english, chinese = (side_a, side_b) if not _chinese(lang_a) else (side_b, side_a)
        en_terms = each(english, lexicon.english_words)
        vocabulary = {t for doc in en_terms for sentence in doc for t in sentence}
        found = iter(lexicon.translations([s for doc in chinese for s in doc], vocabulary))
        zh_terms = [[list(next(found)) for _ in doc] for doc in chinese]
        return (en_terms, zh_terms) if not _chinese(lang_a) else (zh_terms, en_terms)
    return each(side_a, _words), each(side_b, _words)


def bags(side: Terms, keep: list[list[bool]] | None = None) -> list[Counter[str]]:
    """Each document's terms counted over its sentences (those `keep` marks, when given)."""
    return [
        Counter(t for n, sentence in enumerate(doc) if keep is None or keep[d][n] for t in sentence)
        for d, doc in enumerate(side)
    ]


def _bigrams(text: str) -> list[str]:
    return [run[k : k + 2] for run in _HAN_RUN.findall(text) for k in range(max(1, len(run) - 1))]


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def tfidf(side_a: list[Counter[str]], side_b: list[Counter[str]]) -> tuple[csr_matrix, csr_matrix]:
    """Both sides' bags as L2-normalised TF-IDF rows (log term counts; IDF over both sides)."""
    index = {term: k for k, term in enumerate(sorted(set().union(*side_a, *side_b)))}

    def matrix(side: list[Counter[str]]) -> csr_matrix:
        rows = [r for r, bag in enumerate(side) for _ in bag]
        cols = [index[t] for bag in side for t in bag]
        counts = np.fromiter((c for bag in side for c in bag.values()), np.float64, len(cols))
        return csr_matrix((1 + np.log(counts), (rows, cols)), shape=(len(side), len(index)))

    a, b = matrix(side_a), matrix(side_b)
    df = np.asarray((a > 0).sum(axis=0) + (b > 0).sum(axis=0)).ravel()
    idf = np.log((a.shape[0] + b.shape[0] + 1) / (df + 1))
    return _unit_rows(a, idf), _unit_rows(b, idf)


def _unit_rows(m: csr_matrix, idf: np.ndarray) -> csr_matrix:
    weighted = csr_matrix(m.multiply(idf[None, :]))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    return csr_matrix(weighted.multiply(1 / np.where(norms > 0, norms, 1.0)[:, None]))


def in_part(sentences: list[str], k: int) -> list[bool]:
    """Which sentences of a text fall in the k-th of `PARTS` stretches, cut by characters; a
    sentence belongs where it ends."""
    ends = np.cumsum([len(s) for s in sentences]) / max(1, sum(len(s) for s in sentences))
    return [k / PARTS < end <= (k + 1) / PARTS or (k == 0 and end == 0) for end in ends]


def features(
    docs_a: Sequence[Document], lang_a: str, docs_b: Sequence[Document], lang_b: str, encode: Encode, dim: int,
) -> tuple[Features, Features]:  # fmt: skip
    """The signals of both sides' documents (`encode` gives unit vectors of `dim` values for
    texts: one encoder for both sides, so their vectors share a space)."""
    from aligner.align.anchors import numbers
    from aligner.align.length import char_lengths
    from aligner.align.wordvec import sentence_vectors, units

    sides = [sentences(doc, lang_a) for doc in docs_a], [sentences(doc, lang_b) for doc in docs_b]
    found = terms(sides[0], lang_a, sides[1], lang_b)
    lexical = tfidf(bags(found[0]), bags(found[1]))
    parts = [
        tfidf(*(bags(side, [in_part(doc, k) for doc in texts]) for side, texts in zip(found, sides, strict=True)))
        for k in range(PARTS)
    ]
    out = []
    for n, (side, docs, rows) in enumerate(zip(sides, (docs_a, docs_b), lexical, strict=True)):
        texts = ["\n".join(doc) for doc in side]
        out.append(
            Features(
                vectors=sentence_vectors([units(text) for text in texts], encode, dim),
                lexical=rows,
                parts=tuple(p[n] for p in parts),
                numbers=[Counter({float(k): v for k, v in numbers(text).items()}) for text in texts],
                names=[names(text) for text in texts],
                lengths=np.array([len(regex.sub(r"\s", "", text)) for text in texts], np.float64),
                sentence_lengths=[char_lengths(doc) for doc in side],
                dates=[doc.meta.date for doc in docs],
            )
        )
    return out[0], out[1]
