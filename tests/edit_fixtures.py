"""A small three-version document and a predictable engine for the editor's tests."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

from aligner.align.bead import Bead
from aligner.corpus.links import Aligner
from aligner.corpus.model import Alignment, Document, Link, Paragraph, ParallelText, Sentence
from aligner.corpus.store import load
from aligner.edit.journal import JOURNAL_FILE

LANGS = ("en", "zh-Hans", "zh-Hant")
TEXTS = {
    "en": [["One.", "Two.", "Three."], ["Four <b>bold</b>.", "Five & six.", "It cost 30 dollars in 2013."]],
    "zh-Hans": [["一。", "二。", "三。"], ["四<b>。", "五和六。", "它在2013年花了40美元。"]],
    "zh-Hant": [["壹。", "貳。", "參。"], ["肆<b>。", "伍和陸。", "它在2013年花了40美元。"]],
}


def version(lang: str) -> Document:
    """One version: two paragraphs of three sentences, ids as `aligner build` makes them."""
    paras = tuple(
        Paragraph(f"{lang}.p{p}", tuple(Sentence(f"{lang}.p{p}.s{k}", t) for k, t in enumerate(texts, 1)))
        for p, texts in enumerate(TEXTS[lang], 1)
    )
    return Document("doc", lang, paras)


def diagonal(a: str, b: str) -> Alignment:
    """Sentence k of `a` with sentence k of `b`, as machine links."""
    ids = [[s.id for s in version(lang).sentences()] for lang in (a, b)]
    return Alignment(a, b, tuple(Link((x,), (y,), 0.8, "machine") for x, y in zip(*ids, strict=True)), f"test {a}-{b}")


def three_versions() -> ParallelText:
    """The document in three versions with the three link groups `aligner build` stores."""
    pairs = [("en", "zh-Hans"), ("en", "zh-Hant"), ("zh-Hans", "zh-Hant")]
    return ParallelText("doc", {lang: version(lang) for lang in LANGS}, tuple(diagonal(a, b) for a, b in pairs))


def engine(src: Sequence[str], tgt: Sequence[str]) -> list[Bead]:
    """Sentence k with sentence k, the rest left as omissions: what a sure engine does on this text."""
    common = min(len(src), len(tgt))
    beads = [Bead((k,), (k,), 0.95) for k in range(common)]
    beads += [Bead((k,), (), 0.5) for k in range(common, len(src))]
    beads += [Bead((), (k,), 0.5) for k in range(common, len(tgt))]
    return beads


def engine_for(src_lang: str, tgt_lang: str) -> Aligner:
    """The test engine for any pair."""
    return engine


def written(corpus: Path, doc: str = "doc", timeout: float = 60.0) -> ParallelText:
    """The document as its TEI files hold it, once the web editor's background writer has put
    every edit of the journal into them."""
    log = corpus / doc / JOURNAL_FILE
    deadline = time.monotonic() + timeout
    while log.exists() and json.loads(log.read_text(encoding="utf-8")).get("pending") and time.monotonic() < deadline:
        time.sleep(0.05)
    return load(corpus, doc)
