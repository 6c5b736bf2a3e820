"""Strict F1 when one version lacks a passage: a run of sentences cut from one side of a gold file.

Usage: python tests/benchmarks/align_gaps.py ../shared/gold [--run 40 15] [--at 0.4] [--json OUT]

For each file of aca, mag and textberg, and for each side in turn, `run` consecutive sentences
starting at `at` of the side's length (at most a quarter of the side) are removed, as when a
translation drops a paragraph or an original carries an advertisement the other lacks. The gold
loses them too: a link left with one side empty becomes one omission a sentence. Scores are
pooled per set over files and sides, next to the uncut files' scores.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from aligner.align.engine import align
from aligner.evaluate import Link, Score, read_lines, read_links, score

LANGS = {"aca": ("en", "zh"), "mag": ("en", "zh"), "textberg": ("de", "fr")}


def cut_gold(gold: list[Link], cut: range, side: int) -> list[Link]:
    """The gold links once the sentences `cut` of one side (0 source, 1 target) are removed."""

    def renumber(ids: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(i - len(cut) if i >= cut.stop else i for i in ids if i not in cut)

    links: list[Link] = []
    for src, tgt in gold:
        sides = [src, tgt]
        sides[side] = renumber(sides[side])
        src, tgt = sides
        if src and tgt:
            links.append((src, tgt))
        else:  # an omission a sentence, as the engine gives them
            links += [((i,), ()) for i in src] + [((), (j,)) for j in tgt]
    return links


def run_file(root: Path, name: str, stem: str, run: int, at: float) -> tuple[Score, Score]:
    """Score one file uncut, then pooled over cutting `run` sentences from either side."""
    texts = [read_lines(root / name / "src" / stem), read_lines(root / name / "tgt" / stem)]
    gold = read_links(root / name / "gold" / f"{stem}.align")
    src_lang, tgt_lang = LANGS[name]
    uncut = score(gold, [(b.src, b.tgt) for b in align(texts[0], texts[1], src_lang, tgt_lang, quiet=True)])
    total: Score | None = None
    for side in (0, 1):
        size = len(texts[side])
        start = int(size * at)
        cut = range(start, start + min(run, size // 4))
        sides = list(texts)
        sides[side] = [s for k, s in enumerate(texts[side]) if k not in cut]
        beads = align(sides[0], sides[1], src_lang, tgt_lang, quiet=True)
        result = score(cut_gold(gold, cut, side), [(b.src, b.tgt) for b in beads])
        total = result if total is None else total + result
    assert total is not None
    return uncut, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--run", type=int, nargs=2, default=(40, 15), metavar=("EN_ZH", "DE_FR"),
                        help="sentences cut from aca and mag files, and from textberg files (shorter)")  # fmt: skip
    parser.add_argument("--at", type=float, default=0.4, help="where the cut starts, as a share of the side")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows = []
    print(f"{'set':<10}{'run':>5}{'F1 uncut':>10}{'F1 cut':>10}")
    for name in LANGS:
        run = args.run[1] if name == "textberg" else args.run[0]
        uncut = cut = None
        for gold_path in sorted((args.gold / name / "gold").glob("*.align")):
            u, c = run_file(args.gold, name, gold_path.stem, run, args.at)
            uncut, cut = (u, c) if uncut is None or cut is None else (uncut + u, cut + c)
        assert uncut is not None and cut is not None, f"no gold files in {args.gold / name}"
        row = {"set": name, "run": run, "f1_uncut": uncut.as_dict()["f1_strict"], "f1_cut": cut.as_dict()["f1_strict"]}
        rows.append(row)
        print(f"{name:<10}{run:>5}{row['f1_uncut']:>10.4f}{row['f1_cut']:>10.4f}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
