"""Search latency on a Bible-sized corpus: import a gold Bible file, index it, time queries.

Usage: python tests/benchmarks/search_latency.py ../shared/gold/bible [006]
Prints the index build time and the median latency of each query (index warm, refresh check included),
wall clock and CPU time of this process (the CPU figure varies less on a shared machine).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from aligner.corpus.model import (
    Alignment,
    Document,
    Link,
    Metadata,
    Paragraph,
    ParallelText,
    Sentence,
)
from aligner.corpus.store import save
from aligner.search.index import search

QUERIES = [
    ("English word", "light", False, None),
    ("English phrase", '"the children of israel"', False, None),
    ("English prefix AND", "shepherd* AND sheep", False, None),
    ("Chinese 1 character", "光", False, None),
    ("Chinese 2 characters", "耶和", False, None),
    ("Chinese 4 characters", "以色列人", False, None),
    ("Traditional query", "說話", False, None),
    ("Chinese, --lang zh-Hans", "摩西", False, "zh-Hans"),
    ("rare word", "Methuselah", False, None),
    ("most common word", "the", False, None),
    ("Chinese 2 characters, no match (joined Simplified texts)", "电脑", False, None),
    ("Chinese 2 words, no match (candidates from the joined texts)", "电脑 手机", False, None),
    ("Chinese 2 words, common (substring scan)", "摩西 说", False, None),
    ("--regex", r"\bcubits?\b", True, None),
    ("--regex, no match (literal `computer` via the raw trigram index)", r"\bcomputers?\b", True, None),
    ("--regex without a literal, 1 hit (joined scan)", r"\p{Lu}{12}", True, None),
    ("--regex without a literal, --lang en", r"\p{Lu}{12}", True, "en"),
    ("--regex without a literal, no match", r"[A-Z]\d{3}", True, None),
    ("--regex, alternatives only, no match", r"(foo|bar)baz?", True, None),
    ("--regex, common class, stops at the limit", r"\p{Lu}\w+", True, None),
    ("--regex with a lookahead (wider pattern scanned, candidates searched alone)", r"\p{Lu}{12}(?!\w)", True, None),
    ("--regex with a rare one-character literal and a digit (no digit in the corpus)", r"\w*z\d", True, None),
    ("--regex with a rare one-character literal (sentences holding it)", r"\w*z\b", True, None),
    ("--regex, negated property", r"\P{L}{4}", True, None),
    ("--regex, Han property", r"\p{Han}{20}", True, None),
    ("--regex, two properties, --lang zh-Hans", r"\p{Lu}{3}\p{Ll}", True, "zh-Hans"),
    ("--regex, letter then digit", r"\pL\d", True, None),
    ("English word, --lang zh-Hans (Latin inside Chinese is a word; none here)", "light", False, "zh-Hans"),
    ("number (no digit in the corpus)", "2024", False, None),
    ("number with one point: two readings, 1.250 and 1250, OR'd in one FTS5 query (no digit in the corpus)", "1.250", False, None),
    ("Chinese number with a comma: two readings in the trigram index (no digit in the corpus)", "1,250万", False, None),
    ("Chinese in corner quotes, Traditional (quote marks folded: the text has ‘’)", "「歸耶和華為聖」", False, None),
]


def bible_text(gold: Path, number: str) -> ParallelText:
    """The gold Bible file as a document: one paragraph per side, the gold links."""
    versions = {}
    for lang, side in (("en", "src"), ("zh-Hans", "tgt")):
        lines = (gold / side / number).read_text(encoding="utf-8").splitlines()
        sents = tuple(Sentence(f"{lang}.p1.s{n}", t) for n, t in enumerate(lines, 1) if t.strip())
        versions[lang] = Document("bible", lang, (Paragraph(f"{lang}.p1", sents),), Metadata(title="Bible"))
    links = []
    for line in (gold / "gold" / f"{number}.align").read_text().splitlines():
        src, tgt = (side.strip("[] ") for side in line.split("]:["))
        links.append(Link(tuple(f"en.p1.s{int(i) + 1}" for i in src.split(",") if i.strip()),
                          tuple(f"zh-Hans.p1.s{int(i) + 1}" for i in tgt.split(",") if i.strip()), 1.0, "person"))
    return ParallelText("bible", versions, (Alignment("en", "zh-Hans", tuple(links), "gold"),))


def main(gold: Path, number: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp)
        text = bible_text(gold, number)
        save(corpus, text)
        sizes = {lang: sum(1 for _ in d.sentences()) for lang, d in text.versions.items()}
        start, start_cpu = time.perf_counter(), time.process_time()
        search(corpus, "light", limit=1)
        print(f"corpus: bible {number}, sentences {sizes}, links {len(text.alignments[0].links)}")
        print(f"index build: {time.perf_counter() - start:.2f} s ({time.process_time() - start_cpu:.2f} s CPU),"
              f" index size {(corpus / '.search.sqlite').stat().st_size / 1e6:.1f} MB")
        print("| query | kind | hits (limit 20) | median ms | max ms | median CPU ms |")
        print("|---|---|---|---|---|---|")
        for label, query, use_regex, lang in QUERIES:
            times, cpu = [], []
            for _ in range(7):
                t0, c0 = time.perf_counter(), time.process_time()
                hits = search(corpus, query, lang, use_regex, 20)
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            cell = query.replace("|", "\\|")  # a table cell
            print(f"| `{cell}` | {label} | {len(hits)} | {statistics.median(times):.1f} | {max(times):.1f} "
                  f"| {statistics.median(cpu):.1f} |")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "006")
