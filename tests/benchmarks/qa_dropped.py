"""QA end to end: a translation that drops sentences (or adds them), aligned by the engine, then checked.

Usage: python tests/benchmarks/qa_dropped.py ../shared/gold [--every 10] [--encoder auto|use|e5] [--side src|tgt]

`qa_inject.py` empties one side of a link in text that is already aligned, so its omissions are
always links with an empty side. Here the Chinese sentence of every n-th 1-1 gold link of aca
001, mag 003 and Bible 001 is removed from the text itself; the engine aligns English with what
is left, and every QA check runs on the result. Prints, per file and pooled, how many of the
English sentences left without their translation the engine keeps as omissions, how many some
QA finding names (and by which checks), and how many sentences the findings name in the clean
and in the cut text. `--side tgt` removes the English sentence instead, so the Chinese one is
an addition, and counts the Chinese sentences (`joined-addition` in place of `joined-omission`).
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from aligner.align.encoders import CHOICES
from aligner.align.engine import align
from aligner.corpus.model import Alignment, Document, Link, Paragraph, ParallelText, Sentence
from aligner.evaluate import read_lines, read_links
from aligner.qa.run import run_qa

FILES = (("aca", "001"), ("mag", "003"), ("bible", "001"))


def document(lang: str, sentences: Sequence[str]) -> Document:
    """One paragraph of the sentences, with ids `LANG.sN`."""
    return Document("d", lang, (Paragraph(f"{lang}.p", tuple(Sentence(f"{lang}.s{n}", t) for n, t in enumerate(sentences))),))


def flagged(
    src: Sequence[str], tgt: Sequence[str], encoder: str, side: str
) -> tuple[set[int], dict[int, set[str]], Counter[str]]:  # fmt: skip
    """Align en–zh with the engine and run every QA check; return the sentences of `side` left
    alone (omissions or additions), per sentence of `side` a finding names the checks that name
    it, and the findings of each check."""
    beads = align(src, tgt, "en", "zh", encoder=encoder)
    links = tuple(
        Link(tuple(f"en.s{i}" for i in b.src), tuple(f"zh-Hans.s{j}" for j in b.tgt), b.confidence) for b in beads
    )
    text = ParallelText("d", {"en": document("en", src), "zh-Hans": document("zh-Hans", tgt)}, (Alignment("en", "zh-Hans", links),))
    named: dict[int, set[str]] = {}
    findings = run_qa([text])
    for finding in findings:
        for sid in finding.src_ids if side == "src" else finding.tgt_ids:
            named.setdefault(int(sid.rsplit("s", 1)[1]), set()).add(finding.check)
    alone = {b.src[0] for b in beads if b.src and not b.tgt} if side == "src" else {b.tgt[0] for b in beads if b.tgt and not b.src}
    return alone, named, Counter(f.check for f in findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--every", type=int, default=10, help="remove the translation of every n-th 1-1 gold link")
    parser.add_argument("--encoder", default="auto", choices=CHOICES)
    parser.add_argument("--side", default="src", choices=["src", "tgt"], help="tgt: remove the English sentence instead")
    args = parser.parse_args()
    check = "joined-omission" if args.side == "src" else "joined-addition"
    dropped_all = omitted_all = named_all = 0
    by_check: Counter[str] = Counter()
    joined = [0, 0, 0]  # the joined check's findings: clean text, cut text, cut text on a sentence left alone
    print("| file | sentences left alone | left as omissions (additions) | named by a finding | sentences named, clean / cut text |")
    print("|---|---:|---:|---:|---:|")
    for name, stem in FILES:
        src = read_lines(args.gold / name / "src" / stem)
        tgt = read_lines(args.gold / name / "tgt" / stem)
        ones = [link for link in read_links(args.gold / name / "gold" / f"{stem}.align") if len(link[0]) == len(link[1]) == 1]
        removed = ones[args.every // 2 :: args.every]
        kept_side, cut_side = (0, 1) if args.side == "src" else (1, 0)
        gone = {link[cut_side][0] for link in removed}
        dropped = {link[kept_side][0] for link in removed}
        _, clean, clean_checks = flagged(src, tgt, args.encoder, args.side)
        if args.side == "src":  # the side whose sentences are counted keeps its numbers
            tgt = [t for j, t in enumerate(tgt) if j not in gone]
        else:
            src = [t for i, t in enumerate(src) if i not in gone]
        omitted, named, cut_checks = flagged(src, tgt, args.encoder, args.side)
        joined[0] += clean_checks[check]
        joined[1] += cut_checks[check]
        joined[2] += sum(1 for i in dropped if check in named.get(i, ()))
        hits = {i for i in dropped if i in named}
        by_check.update(c for i in dropped for c in named.get(i, ()))
        dropped_all, omitted_all, named_all = dropped_all + len(dropped), omitted_all + len(dropped & omitted), named_all + len(hits)
        print(f"| {name} {stem} | {len(dropped)} | {len(dropped & omitted)} | {len(hits)} | {len(clean)} / {len(named)} |", flush=True)
    print(f"| all | {dropped_all} | {omitted_all / dropped_all:.3f} | {named_all / dropped_all:.3f} | |")
    print("checks naming a sentence left alone:", dict(by_check.most_common()))
    print(f"{check} findings: {joined[0]} in the clean texts; {joined[1]} in the cut texts, {joined[2]} on a sentence left alone")


if __name__ == "__main__":
    main()
