"""Measure the sentence splitter against the human split in InterText files.

Usage: python tests/benchmarks/segment_gold.py ../shared/gold
For each <p> of each */intertext/*_src.xml and *_tgt.xml, joins its sentences (a space for
Latin text, nothing for Chinese), splits again and compares boundary offsets. Reports
precision/recall per language, over all boundaries and over those that follow sentence-final
punctuation (a heading with no stop cannot be recovered from joined text by any splitter).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lxml import etree

from aligner.langs import han_ratio
from aligner.segment import split_sentences

FINAL = tuple(".?!。？！…\"”'’)）")


def boundaries(sentences: list[str], sep: str) -> set[int]:
    """Character offsets at which each sentence after the first starts."""
    offsets, pos = set(), 0
    for s in sentences[:-1]:
        pos += len(s) + len(sep)
        offsets.add(pos)
    return offsets


def measure(gold_dir: Path) -> dict[str, dict[str, float]]:
    counts: dict[str, dict[str, int]] = {}
    for path in sorted(gold_dir.glob("*/intertext/*.xml")):
        root = etree.parse(str(path)).getroot()
        for p in root.iter("p"):
            gold = [" ".join((s.text or "").split()) for s in p.iter("s")]
            gold = [s for s in gold if s]
            if not gold:
                continue
            lang = "zh" if han_ratio("".join(gold)) > 0.5 else "en"
            sep = "" if lang == "zh" else " "
            text = sep.join(gold)
            pred = split_sentences(text, lang)
            g, s = boundaries(gold, sep), boundaries(pred, sep)
            final = {b for b, sent in zip(sorted(g), gold) if sent.endswith(FINAL)}
            c = counts.setdefault(lang, dict.fromkeys(["tp", "pred", "gold", "tp_f", "gold_f"], 0))
            c["tp"] += len(g & s)
            c["pred"] += len(s)
            c["gold"] += len(g)
            c["tp_f"] += len(final & s)
            c["gold_f"] += len(final)
    return {
        lang: {
            "precision": round(c["tp"] / c["pred"], 4),
            "recall": round(c["tp"] / c["gold"], 4),
            "recall_after_stops": round(c["tp_f"] / c["gold_f"], 4),
            "boundaries": c["gold"],
        }
        for lang, c in counts.items()
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/gold")), indent=2))
