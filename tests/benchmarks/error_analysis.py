"""Where the engine's remaining errors come from, on the gold sets (ALIGN_RESULTS, sixth round).

Usage: python tests/benchmarks/error_analysis.py ../shared/gold [--bible-file 006]

Two questions, each answered with counts:
- Gold links no monotone aligner can output: per set, links that cross another gold link or
  whose sentences are not contiguous (captions and footnotes inside an OCR'd text).
- Bible: for wrong verse groups in which the engine and the gold cut the same text into as many
  beads, which cut the encoder prefers, by the summed cosines of each bead's joined texts (the
  boundary check's own measure). Where it prefers the engine's, no decision by that measure can
  repair the group.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from aligner.align.embed import Encoder
from aligner.align.encoders import choose
from aligner.align.engine import align
from aligner.evaluate import Link, merge_by_unit, read_lines, read_links, unit_ids
from aligner.ingest.langs import joiner

LANGS = {"aca": ("en", "zh"), "mag": ("en", "zh"), "textberg": ("de", "fr"), "bible": ("en", "zh")}


def _out_of_order(link: Link, links: Sequence[Link]) -> bool:
    """A link that crosses another of `links`, or whose sentences on a side are not contiguous."""
    src, tgt = link
    gapped = max(src) - min(src) + 1 != len(src) or max(tgt) - min(tgt) + 1 != len(tgt)
    return gapped or any(
        (min(s) > max(src) and max(t) < min(tgt)) or (max(s) < min(src) and min(t) > max(tgt))
        for s, t in links
        if (s, t) != link
    )


def unreachable(root: Path, name: str) -> tuple[int, int]:
    """Return (gold links of a set, those a monotone aligner of contiguous beads cannot output)."""
    total = bad = 0
    for path in sorted((root / name / "gold").glob("*.align")):
        links = read_links(path)
        both = [link for link in links if link[0] and link[1]]
        total += len(links)
        bad += sum(_out_of_order(link, both) for link in both)
    return total, bad


def encoder_preference(root: Path, name: str) -> Counter[str]:
    """Count, over the wrong verse groups with as many beads in the engine's cut as in the gold's,
    which cut the encoder's joined-text cosines prefer."""
    src = read_lines(root / "bible" / "src" / name)
    tgt = read_lines(root / "bible" / "tgt" / name)
    src_ids = unit_ids(root / "bible" / "src.verse", len(src))
    tgt_ids = unit_ids(root / "bible" / "tgt.verse", len(tgt))
    gold = read_links(root / "bible" / "gold" / f"{name}.align")
    predicted = [(b.src, b.tgt) for b in align(src, tgt, "en", "zh")]
    right = set(merge_by_unit(gold, src_ids, tgt_ids))
    wrong = [group for group in merge_by_unit(predicted, src_ids, tgt_ids) if group not in right]
    encoder = Encoder(choose("auto", "en", "zh"))

    def joined_cosines(links: list[Link]) -> float:
        src_vecs = encoder.encode([joiner("en").join(src[i] for i in s) for s, _ in links], True)
        tgt_vecs = encoder.encode([joiner("zh").join(tgt[j] for j in t) for _, t in links], True)
        return float(np.einsum("ij,ij->i", src_vecs, tgt_vecs).sum())

    counts: Counter[str] = Counter()
    for group in wrong:
        inside = [
            [(s, t) for s, t in links if s and t and set(s) <= set(group[0]) and set(t) <= set(group[1])]
            for links in (predicted, gold)
        ]
        if not inside[0] or len(inside[0]) != len(inside[1]):
            continue
        counts["engine's cut" if joined_cosines(inside[0]) >= joined_cosines(inside[1]) else "gold's cut"] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--bible-file", default="006")
    args = parser.parse_args()
    for name in ("aca", "mag", "textberg"):
        total, bad = unreachable(args.gold, name)
        print(f"{name}: {bad} of {total} gold links cross another or are not contiguous")
    counts = encoder_preference(args.gold, args.bible_file)
    print(f"Bible {args.bible_file}, wrong verse groups cut into as many beads by both: the encoder prefers {dict(counts)}")


if __name__ == "__main__":
    main()
