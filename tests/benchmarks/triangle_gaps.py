"""How the gap rule of the derived pair fares: zh-Hans omits a sentence that en and zh-Hant have.

Usage: python tests/benchmarks/triangle_gaps.py [--corpus corpora] [--doc DOC] [--every 5]

For every n-th sentence that is linked 1-1 through all three versions, two variants of the text:
"kept" removes it from zh-Hans only (en and zh-Hant still translate each other there: the gap
should be linked); "unrelated" also replaces the zh-Hant sentence by one from another text (the
gap should stay two omissions). Prints whether en↔zh-Hans left the en sentence alone (a gap
exists only then), the engine's raw confidence for the gap link in each variant (`-` where it
proposed none) and, per threshold, how many gaps were decided right.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from aligner.build import align_text
from aligner.corpus import triangle
from aligner.corpus.model import Document, ParallelText
from aligner.corpus.store import doc_ids, load

UNRELATED = [
    "今年夏天的氣溫創下歷史新高。", "這家麵包店每天早上六點開門。", "球隊在延長賽中以兩分險勝。",
    "她花了三年時間學習拉小提琴。", "颱風預計明天傍晚登陸東部沿海。", "新開的博物館展出了數百件古代陶器。",
    "醫生建議每天至少喝八杯水。", "這部電影改編自一本暢銷小說。", "火車因大雪延誤了將近兩個小時。",
    "他們在山頂上看到了壯觀的日出。",
]
THRESHOLDS = (0.0, 0.5, 0.7, 0.9, 0.95)


def edited(doc: Document, sid: str, text: str | None) -> Document:
    """The document without sentence `sid` (text None) or with its text replaced."""
    paragraphs = tuple(
        replace(p, sentences=tuple(replace(s, text=text or s.text) if s.id == sid else s
                                   for s in p.sentences if s.id != sid or text is not None))
        for p in doc.paragraphs
    )
    return replace(doc, paragraphs=paragraphs)


def gap_confidence(text: ParallelText, en_id: str, hant_id: str) -> tuple[float | None, bool]:
    """Align the text; the confidence of an en↔zh-Hant link exactly en_id ↔ hant_id, if made, and
    whether en↔zh-Hans left en_id without a partner (else there is no gap to fill)."""
    aligned = align_text(text, None, quiet=True)
    en_hant, en_hans = aligned.alignment("en", "zh-Hant"), aligned.alignment("en", "zh-Hans")
    assert en_hant is not None and en_hans is not None
    conf = next((lk.confidence for lk in en_hant.links if (lk.src, lk.tgt) == ((en_id,), (hant_id,))), None)
    return conf, any(lk.src == (en_id,) and not lk.tgt for lk in en_hans.links)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("corpora"))
    parser.add_argument("--doc", default=None)
    parser.add_argument("--every", type=int, default=5)
    args = parser.parse_args()
    text = load(args.corpus, args.doc or doc_ids(args.corpus)[0])
    en_hans, hans_hant = text.alignment("en", "zh-Hans"), text.alignment("zh-Hans", "zh-Hant")
    assert en_hans is not None and hans_hant is not None
    hant_of = {lk.src[0]: lk.tgt[0] for lk in hans_hant.links if lk.kind == "1-1"}
    triples = [(lk.src[0], lk.tgt[0], hant_of[lk.tgt[0]]) for lk in en_hans.links
               if lk.kind == "1-1" and lk.tgt[0] in hant_of and ".head." not in lk.src[0]]
    triangle.MATCH = 0.0  # record the engine's raw confidence; thresholds are applied below
    rows = []
    started = time.perf_counter()
    for n, (en_id, hans_id, hant_id) in enumerate(triples[:: args.every]):
        versions = dict(text.versions)
        versions["zh-Hans"] = edited(versions["zh-Hans"], hans_id, None)
        kept, omitted = gap_confidence(replace(text, versions=versions, alignments=()), en_id, hant_id)
        versions["zh-Hant"] = edited(versions["zh-Hant"], hant_id, UNRELATED[n % len(UNRELATED)])
        unrelated, _ = gap_confidence(replace(text, versions=versions, alignments=()), en_id, hant_id)
        rows.append((en_id, omitted, kept, unrelated))
    seconds = time.perf_counter() - started
    show = lambda c: "-" if c is None else f"{c:.3f}"  # noqa: E731
    print("| en sentence | en↔zh-Hans omits it | kept: gap link confidence | unrelated: gap link confidence |")
    print("|---|---|---|---|")
    for en_id, omitted, kept, unrelated in rows:
        print(f"| {en_id} | {'yes' if omitted else 'no (merged)'} | {show(kept)} | {show(unrelated)} |")
    print(f"\n{len(rows)} gaps of each kind, {seconds:.1f} s in all\n")
    print("| threshold | kept gaps linked | unrelated gaps left as omissions |")
    print("|---|---|---|")
    for t in THRESHOLDS:
        linked = sum(1 for _, _, k, _ in rows if k is not None and k >= t)
        left = sum(1 for _, _, _, u in rows if u is None or u < t)
        print(f"| {t} | {linked}/{len(rows)} | {left}/{len(rows)} |")


if __name__ == "__main__":
    main()
