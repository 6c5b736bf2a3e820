"""How long an edit takes in the web editor on a Bible-sized document (30,000 rows per pair).

Saves a synthetic three-version document (30,000 sentences each, 1-1 links), starts the editor
server on it and times, over HTTP from this process: loading a pair's rows, the background QA of
the pair, and edits (confirm, merge, split, shift, undo, redo, unconfirm; split, join and correct
a sentence), each a full round trip: check the
version, edit, keep the three versions consistent (en↔zh-Hant derived again around the edit),
record the journal step (fsync'd), answer with the changed rows. The background writer brings
the TEI files up to the journal meanwhile; the time until it has is printed too. The engine is a
stand-in (edits here never call it). Prints a table and where a confirm's time goes.

    python tests/benchmarks/editor_roundtrip.py [--rows 30000] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from edit_fixtures import engine_for  # noqa: E402
from editor_server import running  # noqa: E402

from aligner.corpus.model import Alignment, Document, Link, Paragraph, ParallelText, Sentence  # noqa: E402
from aligner.corpus.store import save  # noqa: E402
from aligner.edit import session  # noqa: E402
from aligner.edit.files import flush  # noqa: E402
from aligner.edit.ops import link_edit  # noqa: E402
from aligner.edit.pairs import pair_links  # noqa: E402
from aligner.reader.editor import splice_payload  # noqa: E402

TEXTS = {
    "en": "Sentence {k} tells of the harbour, the ships and the storm.",
    "zh-Hans": "第{k}句讲述港口、船只和风暴。",
    "zh-Hant": "第{k}句講述港口、船隻和風暴。",
}


def document(rows: int) -> ParallelText:
    """Three versions of `rows` sentences in paragraphs of 6, linked 1-1 in all three pairs."""
    versions = {}
    for lang, pattern in TEXTS.items():
        paras = tuple(
            Paragraph(f"{lang}.p{p + 1}", tuple(Sentence(f"{lang}.p{p + 1}.s{k + 1}", pattern.format(k=6 * p + k)) for k in range(6)))
            for p in range(rows // 6)
        )
        versions[lang] = Document("big", lang, paras)
    ids = {lang: [s.id for s in doc.sentences()] for lang, doc in versions.items()}
    pairs = [("en", "zh-Hans"), ("en", "zh-Hant"), ("zh-Hans", "zh-Hant")]
    als = tuple(Alignment(a, b, tuple(Link((x,), (y,), 0.9) for x, y in zip(ids[a], ids[b], strict=True))) for a, b in pairs)
    return ParallelText("big", versions, als)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--long", type=int, default=0, metavar="N", help="then N confirms and unconfirms in a row (the undo history fills up)")
    args = parser.parse_args()
    corpus = Path(tempfile.mkdtemp(prefix="editor-bench-"))
    save(corpus, document(args.rows))
    with running(corpus, engine_for) as (base, editor), httpx.Client(base_url=base, timeout=120) as client:
        headers = {"origin": base, "x-aligner-token": editor.token}
        started = time.perf_counter()
        first = client.get("/api/rows/big?pair=en,zh-Hans").json()
        load = time.perf_counter() - started
        version = first["version"]
        started = time.perf_counter()
        while not client.get("/api/findings/big?pair=en,zh-Hans").json()["ready"]:
            time.sleep(0.5)
        qa = time.perf_counter() - started
        times: dict[str, list[float]] = {}
        server: dict[str, list[float]] = {}  # the app's own time for each, from its Server-Timing header
        middle = args.rows // 2
        sid = f"en.p{middle // 6 + 1}.s{middle % 6 + 1}"  # the English sentence of that row
        plan = [("confirm", {"op": "confirm", "n": middle}), ("merge", {"op": "merge", "n": middle}),
                ("split", {"op": "split", "n": middle, "at": [1, 1]}), ("shift", {"op": "shift", "n": middle, "direction": "down"}),
                ("undo", {"op": "undo"}), ("redo", {"op": "redo"}), ("unconfirm", {"op": "unconfirm", "n": middle}),
                ("split a sentence", {"op": "split-sentence", "sid": sid, "offset": 9}), ("join it again", {"op": "join", "sid": sid}),
                ("correct a sentence", {"op": "correct", "sid": sid, "text": "Corrected."})]
        for _ in range(args.runs):
            for name, body in plan:
                started = time.perf_counter()
                answer = client.post("/api/edit/big", json={**body, "pair": "en,zh-Hans", "version": version}, headers=headers)
                times.setdefault(name, []).append(time.perf_counter() - started)
                server.setdefault(name, []).append(float(answer.headers["server-timing"].split("dur=")[1]) / 1000)
                assert answer.status_code == 200, answer.text
                version = answer.json()["version"]
        long: list[float] = []
        for k in range(args.long):
            started = time.perf_counter()
            body = {"op": "confirm" if k % 2 == 0 else "unconfirm", "n": middle, "pair": "en,zh-Hans", "version": version}
            answer = client.post("/api/edit/big", json=body, headers=headers)
            long.append(time.perf_counter() - started)
            version = answer.json()["version"]
        started = time.perf_counter()
        assert editor.settle(600)
        behind = time.perf_counter() - started
    print(f"{args.rows:,} rows per pair; first load of a pair's rows {load * 1000:.0f} ms; QA of the pair in the background {qa:.1f} s")
    print(f"the TEI files held every edit {behind:.1f} s after the last answer (background writer)")
    if long:
        print(f"{len(long)} confirms and unconfirms in a row: median of the first 20 {statistics.median(long[:20]) * 1000:.0f} ms, "
              f"of the last 20 {statistics.median(long[-20:]) * 1000:.0f} ms, max {max(long) * 1000:.0f} ms")
    print("| edit | round trip, median ms | min | max | server time, median ms | max |\n|---|---:|---:|---:|---:|---:|")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values) * 1000:.0f} | {min(values) * 1000:.0f} | {max(values) * 1000:.0f} "
              f"| {statistics.median(server[name]) * 1000:.0f} | {max(server[name]) * 1000:.0f} |")
    print("\nWhere a confirm's time goes, in this process (seconds):")
    for phase, seconds in phases(corpus, middle).items():
        print(f"  {phase}: {seconds:.2f}")


def phases(corpus: Path, n: int) -> dict[str, float]:
    """A confirm of row `n` taken apart: the edit with the derived pair made again around it, the
    journal step, the answer; then what the background writer does with it."""
    opened = session.open_document(corpus, "big")
    pair_links(opened.text, "en", "zh-Hans")  # the page has loaded the rows
    marks = [time.perf_counter()]
    result = link_edit(opened.text, ("en", "zh-Hans"), "confirm", n, engine_for)
    marks.append(time.perf_counter())
    after = session.commit(opened, result, "bench", write_behind=True)
    marks.append(time.perf_counter())
    splice_payload(opened, after, ("en", "zh-Hans"), result.what, {})
    marks.append(time.perf_counter())
    flush(corpus / "big", "big")
    marks.append(time.perf_counter())
    names = ["edit, en-zh-Hant derived again around it", "journal step (fsync)", "changed rows and their QA",
             "background write: load, replay, validate and write align.xml"]
    return {name: b - a for name, a, b in zip(names, marks, marks[1:], strict=False)}


if __name__ == "__main__":
    main()
