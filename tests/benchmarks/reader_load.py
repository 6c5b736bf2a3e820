"""Benchmark: how fast the reader's page for a long document is written and opens in Chromium.

Run by hand: python tests/benchmarks/reader_load.py [--sizes 1000,10000,30000] [--runs 3]
Prints a Markdown table (sentences per version, HTML size, build time, first paint,
DOMContentLoaded, load, and a fresh open at a link near the end) for READER_RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from test_reader import synthetic  # noqa: E402  (the tests' generator of long documents)

from aligner.reader.site import build_site  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def open_page(browser: object, url: str) -> dict[str, float]:
    """Open a page in a fresh context; navigation and paint timings in ms, and wall time to load."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    started = time.perf_counter()
    tab.goto(url, wait_until="load")
    wall = (time.perf_counter() - started) * 1000
    nav = json.loads(tab.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])"))
    paint = tab.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {startTime: NaN}).startTime")
    context.close()
    return {"fcp": paint, "dcl": nav["domContentLoadedEventEnd"], "load": nav["loadEventEnd"], "wall": wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,30000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print("| sentences per version | HTML | build | first paint | DOMContentLoaded | load | open at a link near the end |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
        for n in (int(s) for s in args.sizes.split(",")):
            text = synthetic(n, f"doc{n}")
            started = time.perf_counter()
            build_site([text], Path(tmp))
            build = time.perf_counter() - started
            page = Path(tmp) / "docs" / f"doc{n}.html"
            top = [open_page(browser, page.as_uri()) for _ in range(args.runs)]
            far = [open_page(browser, page.as_uri() + f"#zh-Hant.p{n // 6 - 10}.s3") for _ in range(args.runs)]
            med = {key: statistics.median(run[key] for run in top) for key in top[0]}
            print(
                f"| {n:,} | {page.stat().st_size / 1e6:.1f} MB | {build:.1f} s | {med['fcp']:.0f} ms | {med['dcl']:.0f} ms"
                f" | {med['load']:.0f} ms | {statistics.median(r['load'] for r in far) / 1000:.1f} s |"
            )
        browser.close()


if __name__ == "__main__":
    main()
