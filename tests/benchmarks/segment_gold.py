"""Measure the sentence splitter against the human split in InterText files.

Usage: python tests/benchmarks/segment_gold.py ../shared/gold [--show N]
For each <p> of each */intertext/*_src.xml and *_tgt.xml, joins its sentences (a space for
Latin text, nothing for Chinese), splits again and compares boundary offsets. Reports
precision/recall per language, over all boundaries and over those that follow sentence-final
punctuation, and sorts every error into a category, so that errors no splitter can avoid (a
heading with no stop, a gold split inside a quotation) are told apart from rule errors.
--show N prints N examples of each category to the terminal (the gold data stays out of the repo).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from aligner.ingest.langs import han_ratio
from aligner.ingest.segment import split_sentences

_FINAL = re.compile(r"[.?!。？！…](\s?[\"'”’」』)）\]])*$")  # a stop, then closers ('did it. "')
_TITLE_WORD = re.compile(r"\b[^\W\d_]{1,4}\.$")  # "Mr." "U.S." "x." before a stop
_OPEN_CLOSE = (("“", "”"), ("「", "」"), ("『", "』"), ("《", "》"))


@dataclass
class Tally:
    """Boundary counts and categorised errors of one language."""

    tp: int = 0
    pred: int = 0
    gold: int = 0
    tp_final: int = 0
    gold_final: int = 0
    missed: Counter[str] = field(default_factory=Counter)
    extra: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def offsets(text: str, sentences: list[str]) -> list[int]:
    """Start offset in text of each sentence after the first (sentences are stripped slices)."""
    starts, pos = [], 0
    for sentence in sentences:
        pos = text.index(sentence, pos)
        starts.append(pos)
        pos += len(sentence)
    return starts[1:]


def missed_category(before: str, after: str) -> str:
    """Why a gold boundary between before and after was not found."""
    if re.match(r"[。，、；：.,;:]", after):
        return "gold sentence starts with punctuation (gold noise)"
    if before.endswith((":", "：")):
        return "after a colon"
    if before.endswith((";", "；")):
        return "after a semicolon"
    if not _FINAL.search(before):
        return "no stop before it (heading, title, caption)"
    if any(before.count(o) > before.count(c) for o, c in _OPEN_CLOSE):
        return "inside a quotation in the gold"
    if after[:1].islower():
        return "next sentence starts in lower case"
    if re.search(r"(…|\.\s?\.\s?\.)[\"'”’」』)）]*$", before):
        return "after an ellipsis"
    if _TITLE_WORD.search(before):
        return "after an abbreviation or initial"
    return "after a stop (other)"


def extra_category(before: str, after: str) -> str:
    """What the splitter took for a boundary inside a gold sentence."""
    if re.search(r"(…|\.\s?\.\s?\.)\s*$", before):
        return "after an ellipsis"
    if re.search(r"[\"'”’」』)）]\s*$", before):
        return "after a closing quote or bracket"
    if _TITLE_WORD.search(before.rstrip()):
        return "after an abbreviation or initial"
    if re.search(r"\b\d+\.\s*$", before):
        return "after a number"
    return "after a stop (other)"


def score(tally: Tally, text: str, gold: list[str], pred: list[str], show: int) -> None:
    """Add one paragraph's boundaries and errors to the tally."""
    gold_starts = offsets(text, gold)
    pred_starts = set(offsets(text, pred))
    final = {b for b, sentence in zip(gold_starts, gold, strict=False) if _FINAL.search(sentence)}
    tally.tp += len(pred_starts & set(gold_starts))
    tally.pred += len(pred_starts)
    tally.gold += len(gold_starts)
    tally.tp_final += len(final & pred_starts)
    tally.gold_final += len(final)
    errors = [(b, tally.missed, missed_category) for b in set(gold_starts) - pred_starts]
    errors += [(b, tally.extra, extra_category) for b in pred_starts - set(gold_starts)]
    for b, counter, categorise in sorted(errors, key=lambda e: e[0]):
        before, after = text[:b].rstrip(), text[b:]
        category = categorise(before, after)
        counter[category] += 1
        if len(tally.examples[category]) < show:
            tally.examples[category].append(f"{before[-40:]} | {after[:25]}")


def measure(gold_dir: Path, show: int = 0) -> dict[str, Tally]:
    """Tallies per language over all InterText documents under gold_dir."""
    tallies: dict[str, Tally] = {}
    for path in sorted(gold_dir.glob("*/intertext/*.xml")):
        root = etree.parse(str(path)).getroot()
        for p in root.iter("p"):
            gold = [" ".join((s.text or "").split()) for s in p.iter("s")]
            gold = [s for s in gold if s]
            if not gold:
                continue
            lang = "zh" if han_ratio("".join(gold)) > 0.5 else "en"
            text = ("" if lang == "zh" else " ").join(gold)
            pred = split_sentences(text, lang)
            score(tallies.setdefault(lang, Tally()), text, gold, pred, show)
    return tallies


def report(tally: Tally) -> dict[str, object]:
    """Scores and error categories of one language, for JSON output."""
    return {
        "precision": round(tally.tp / tally.pred, 4),
        "recall": round(tally.tp / tally.gold, 4),
        "recall_after_stops": round(tally.tp_final / tally.gold_final, 4),
        "boundaries": tally.gold,
        "predicted": tally.pred,
        "missed": dict(tally.missed.most_common()),
        "extra": dict(tally.extra.most_common()),
    }


def main() -> None:
    """Print the scores as JSON, and with --show the examples of each error category."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dir", nargs="?", default="../shared/gold", type=Path)
    parser.add_argument("--show", type=int, default=0, help="examples to print per category")
    args = parser.parse_args()
    tallies = measure(args.gold_dir, args.show)
    print(json.dumps({lang: report(t) for lang, t in tallies.items()}, indent=2, ensure_ascii=False))
    for lang, tally in tallies.items():
        for category, lines in tally.examples.items():
            print(f"\n[{lang}] {category}")
            print("\n".join(f"  {line}" for line in lines))


if __name__ == "__main__":
    main()
