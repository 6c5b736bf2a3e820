"""Strict and lax F1 of the aligner on the gold sets, and the reliability of its confidences.

Usage: python tests/benchmarks/align_gold.py ../shared/gold [--sets aca mag textberg bible]
       [--bible-files 001 006] [--encoder auto|use|e5] [--json OUT]
One configuration for every set. Bible scores merge links within a verse first (src.verse,
tgt.verse). The reliability table pools aca, mag and textberg: links (both sides non-empty)
and omissions binned by confidence, with the share that equals a gold link exactly.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from aligner.align.bead import Bead
from aligner.align.encoders import CHOICES
from aligner.align.engine import align
from aligner.evaluate import Score, merge_by_unit, read_lines, read_links, score, unit_ids

LANGS = {"aca": ("en", "zh"), "mag": ("en", "zh"), "textberg": ("de", "fr"), "bible": ("en", "zh")}
BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0000001)


def run_set(
    root: Path, name: str, only: list[str] | None, encoder: str = "auto"
) -> tuple[Score, list[tuple[Bead, bool]], float]:
    """Align every file of one set; return the pooled score, (bead, exactly right) pairs, seconds."""
    total: Score | None = None
    judged: list[tuple[Bead, bool]] = []
    started = time.perf_counter()
    for gold_path in sorted((root / name / "gold").glob("*.align")):
        if only and gold_path.stem not in only:
            continue
        src = read_lines(root / name / "src" / gold_path.stem)
        tgt = read_lines(root / name / "tgt" / gold_path.stem)
        gold = read_links(gold_path)
        beads = align(src, tgt, *LANGS[name], quiet=False, encoder=encoder)
        predicted = [(b.src, b.tgt) for b in beads]
        if name == "bible":
            src_ids = unit_ids(root / name / "src.verse", len(src))
            tgt_ids = unit_ids(root / name / "tgt.verse", len(tgt))
            gold = merge_by_unit(gold, src_ids, tgt_ids)
            predicted = merge_by_unit(predicted, src_ids, tgt_ids)
        else:
            exact = set(gold)
            judged += [(b, (b.src, b.tgt) in exact) for b in beads]
        result = score(gold, predicted)
        total = result if total is None else total + result
    assert total is not None, f"no gold files in {root / name}"
    return total, judged, time.perf_counter() - started


def reliability(judged: list[tuple[Bead, bool]]) -> list[dict[str, object]]:
    """Bin beads by confidence; report count and share exactly right, links and omissions apart."""
    rows = []
    for kind, keep in (("link", True), ("omission", False)):
        for low, high in zip(BINS, BINS[1:], strict=False):
            hits = [
                ok
                for b, ok in judged
                if bool(b.src and b.tgt) == keep and low <= b.confidence < high
            ]
            if hits:
                rows.append({"kind": kind, "from": low, "to": min(high, 1.0), "beads": len(hits),
                             "correct": round(sum(hits) / len(hits), 4)})  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--sets", nargs="+", default=["aca", "mag", "textberg"])
    parser.add_argument("--bible-files", nargs="+", help="only these bible files (e.g. 006)")
    parser.add_argument("--encoder", default="auto", choices=CHOICES)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    report: dict[str, object] = {}
    judged: list[tuple[Bead, bool]] = []
    print(
        f"{'set':<10}{'P strict':>10}{'R strict':>10}{'F1 strict':>10}{'F1 lax':>10}{'seconds':>10}"
    )
    for name in args.sets:
        total, beads, seconds = run_set(
            args.gold, name, args.bible_files if name == "bible" else None, args.encoder
        )
        judged += beads
        d = total.as_dict()
        report[name] = {**d, "seconds": round(seconds, 1)}
        print(f"{name:<10}{d['precision_strict']:>10.4f}{d['recall_strict']:>10.4f}"
              f"{d['f1_strict']:>10.4f}{d['f1_lax']:>10.4f}{seconds:>10.1f}", flush=True)  # fmt: skip
    if judged:
        table = reliability(judged)
        report["reliability"] = table
        print(f"\n{'kind':<10}{'confidence':>14}{'beads':>8}{'correct':>9}")
        for row in table:
            print(
                f"{row['kind']:<10}{row['from']:>7.2f}-{row['to']:<6.2f}{row['beads']:>8}{row['correct']:>9.3f}"
            )
        high = [ok for b, ok in judged if b.confidence >= 0.9]
        if high:
            print(f"confidence >= 0.9: {len(high)} beads, {sum(high) / len(high):.3f} correct")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
