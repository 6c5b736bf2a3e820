"""The hand-made gold alignment of the seed article (tests/data/seed_gold.tsv) as sentence ids."""

from __future__ import annotations

from pathlib import Path

from aligner.corpus.model import Document

GOLD_TSV = Path(__file__).parent / "data" / "seed_gold.tsv"


def gold_links(versions: dict[str, Document], src: str, tgt: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Gold links between two versions, sentences matched to ids by their text, in order.

    The file is written from English; the two Chinese scripts pair sentence by sentence.
    """
    lines = GOLD_TSV.read_text(encoding="utf-8").rstrip("\n").split("\n")
    header = lines[0].split("\t")
    queues = {lang: [(s.id, s.text) for s in versions[lang].sentences()] for lang in (src, tgt)}
    links: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for line in lines[1:]:
        cells = dict(zip(header, line.split("\t"), strict=True))
        sides: list[tuple[str, ...]] = []
        for lang in (src, tgt):
            texts = [t for t in cells[lang].split(" ||| ") if t]
            got = []
            for t in texts:
                sid, text = queues[lang].pop(0)
                assert text == t, f"gold and ingest disagree at {sid}: {text!r} != {t!r}"
                got.append(sid)
            sides.append(tuple(got))
        if src.startswith("zh") and tgt.startswith("zh"):
            links += [((a,), (b,)) for a, b in zip(*sides, strict=True)]  # one text, two scripts
        elif sides[0] or sides[1]:
            links.append((sides[0], sides[1]))
    assert not queues[src] and not queues[tgt], "sentences missing from the gold"
    return links
