"""Screenshots of the editor on the seed article for the README, taken with the tests' Chromium.

Builds the seed corpus into a temporary folder, serves the editor, moves to row 3 (the weak link
the reader marks "check 0.40"), confirms row 0 so the progress line counts one, and saves
`docs/editor-desktop.png` (1280 px) and `docs/editor-phone.png` (375 px).

    python tests/benchmarks/editor_screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from chromium import ARGS, CHROMIUM  # noqa: E402
from editor_server import running  # noqa: E402

from aligner.build import build  # noqa: E402
from aligner.cli.edit import engine_for  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent
DOC = "000_bf7a112df29932bd"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="editor-shots-"))
    seeds = work / "seeds"
    seeds.mkdir()
    for path in (ROOT / "seeds").glob(f"{DOC}*"):
        shutil.copy(path, seeds / path.name)
    build(seeds, work / "corpora")
    args.out.mkdir(parents=True, exist_ok=True)
    with running(work / "corpora", engine_for) as (base, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 375, "height": 800})):
            tab = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
            tab.goto(f"{base}/edit/{DOC}")
            tab.wait_for_selector(".row.focus")
            tab.wait_for_function("!document.getElementById('ui:progress').textContent.includes('running')", timeout=120_000)
            if name == "desktop":
                tab.keyboard.press("c")
                tab.wait_for_function("document.getElementById('ui:status').textContent.includes('confirmed link 0')")
            for _ in range(3):
                tab.keyboard.press("j")
            tab.screenshot(path=str(args.out / f"editor-{name}.png"))
            tab.close()
        browser.close()
    print(f"saved {args.out / 'editor-desktop.png'} and {args.out / 'editor-phone.png'}")


if __name__ == "__main__":
    main()
