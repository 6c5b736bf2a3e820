"""The reader in headless Chromium (Debian's, driven by Playwright): highlight, pin, keys, review
filter, reading modes, remembered versions, languages of text, escaping, contrast, load time of a
30,000-sentence page; screenshots at desktop and phone widths go to artifacts/."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import lxml.html
import pytest
from chromium import ARTIFACTS, CONTRAST_JS, DESKTOP, PHONE, box, needs_chromium
from test_reader import HOSTILE, harbour, synthetic

from aligner.corpus.model import Document, Paragraph, ParallelText, Sentence
from aligner.corpus.rows import aligned_rows
from aligner.reader.page import EAGER_ROWS, anchor_ids, paragraph_marks, render_row, row_view
from aligner.reader.serve import make_server
from aligner.reader.site import build_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

BIG = 30_000

pytestmark = needs_chromium

# Every non-blank text node of the rows: its text, the lang it inherits, the column it sits in.
LANGS_JS = """() => { const out = []; const walk = document.createTreeWalker(document.getElementById("ui:rows"), NodeFilter.SHOW_TEXT);
  for (let t = walk.nextNode(); t; t = walk.nextNode()) { if (!t.data.trim()) continue;
    const cell = t.parentElement.closest(".cell"); out.push([t.data, t.parentElement.closest("[lang]").lang,
      cell ? cell.className.split("c-")[1] : ""]); } return out; }"""


def hostile_text() -> ParallelText:
    """A document past the eager rows with a hostile sentence in the HTML rows and one in the JSON rows."""
    text = synthetic(EAGER_ROWS + 200, "hostile")
    en = text.versions["en"]
    paras = list(en.paragraphs)
    for p in (1, len(paras) - 2):
        first, *others = paras[p].sentences
        paras[p] = Paragraph(paras[p].id, (Sentence(first.id, HOSTILE), *others))
    hant = text.versions["zh-Hant"]  # written for Taiwan: its cells say lang="zh-Hant-TW"
    versions = {**text.versions, "en": Document("hostile", "en", tuple(paras), en.meta),
                "zh-Hant": Document("hostile", "zh-Hant", hant.paragraphs, hant.meta, region="TW")}
    return ParallelText("hostile", versions, text.alignments)


TAGS = {"en": "en", "zh-Hans": "zh-Hans", "zh-Hant": "zh-Hant-TW"}  # the hostile text's versions


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reader") / "site"
    build_site([harbour(), hostile_text(), synthetic(BIG)], out)
    return out


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda err: errors.append(str(err)))
    yield tab
    context.close()
    assert not errors, errors


def url(site: Path, doc: str) -> str:
    return (site / "docs" / f"{doc}.html").as_uri()


def bg(tab: Page, selector: str) -> str:
    return tab.eval_on_selector(selector, "e => getComputedStyle(e).backgroundColor")


def fragment(tab: Page) -> str:
    """The page's fragment as the page has it now (page.url follows the browser's events, late)."""
    return tab.evaluate("decodeURIComponent(location.hash)")


def sid(html_id: str) -> str:
    return "#" + html_id.replace(".", "\\.").replace(":", "\\:")


def test_hover_highlights_linked_sentences_and_click_pins_into_the_fragment(site: Path, page: Page) -> None:
    page.goto(url(site, "harbour"))
    plain = bg(page, sid("zh-Hant.p1.s2"))
    page.hover(sid("en.p1.s2"))
    assert bg(page, sid("zh-Hans.p1.s2")) == bg(page, sid("zh-Hant.p1.s2")) == "rgb(255, 240, 168)" != plain
    assert bg(page, sid("zh-Hans.p1.s1")) == plain  # another row stays as it was
    page.click(sid("zh-Hant.p1.s2"))
    assert fragment(page) == "#zh-Hant.p1.s2"
    assert bg(page, sid("en.p1.s2")) == "rgb(255, 216, 79)"
    assert page.evaluate("document.activeElement.id") == "zh-Hant.p1.s2"
    page.keyboard.press("j")
    assert fragment(page) == "#en.p2.s1"
    page.keyboard.press("ArrowUp")
    assert fragment(page) == "#en.p1.s2"
    page.goto(url(site, "harbour") + "#zh-Hans.p2.s1")
    assert bg(page, sid("en.p2.s1")) == "rgb(255, 216, 79)"  # a shared link opens pinned


def test_review_filter_and_jumps(site: Path, page: Page) -> None:
    page.goto(url(site, "harbour"))
    page.click("#ui\\:next")
    assert fragment(page) == "#en.p2.s1"
    page.keyboard.press("n")
    assert fragment(page) == "#en.p2.s2"
    page.click("#ui\\:prev")
    assert fragment(page) == "#en.p2.s1"
    page.check("#ui\\:review-only")
    shown = page.eval_on_selector_all("#ui\\:rows > li", "rows => rows.filter(r => r.offsetParent).map(r => r.dataset.n)")
    assert shown == ["3", "4"]
    page.screenshot(path=str(ARTIFACTS / "reader-review-only.png"))


def test_reading_mode_and_versions_are_remembered(site: Path, page: Page) -> None:
    page.goto(url(site, "harbour"))
    en, hans = page.locator(sid("en.p1.s1")), page.locator(sid("zh-Hans.p1.s1"))
    assert abs(box(en)["y"] - box(hans)["y"]) < 5 and box(en)["x"] < box(hans)["x"]
    page.check("input[value=interleaved]")
    assert box(hans)["y"] > box(en)["y"] + box(en)["height"] - 1
    page.uncheck("#ui\\:versions input[value=zh-Hans]")
    for _ in range(2):  # zh-Hant to the front
        page.click("#ui\\:versions [data-lang=zh-Hant] button[data-step='-1']")
    page.screenshot(path=str(ARTIFACTS / "reader-interleaved.png"), full_page=True)
    page.reload()
    hant = page.locator(sid("zh-Hant.p1.s1"))
    assert page.evaluate("document.body.className") == "interleaved"
    assert not page.locator(sid("zh-Hans.p1.s1")).is_visible()
    assert box(hant)["y"] < box(page.locator(sid("en.p1.s1")))["y"]


def test_every_text_node_has_the_language_of_its_column_and_hostile_text_stays_text(site: Path, page: Page) -> None:
    page.goto(url(site, "hostile") + f"#zh-Hant.p{(EAGER_ROWS + 200) // 6}.s1")
    texts = page.evaluate(LANGS_JS)
    assert len(texts) > (EAGER_ROWS + 100) * 3  # the JSON rows were rendered too
    wrong = [t for t in texts if t[1] != (TAGS[t[2]] if t[2] and t[0] != "not in this version" else "en")]  # gutter: en
    assert not wrong, wrong[:5]
    assert sum(t[0] == HOSTILE for t in texts) == 2
    assert page.evaluate("window.__pwned === undefined && document.querySelectorAll('#ui\\\\:rows img, #ui\\\\:rows b').length === 0")


def test_script_renders_json_rows_exactly_as_the_generator_writes_them(site: Path, page: Page) -> None:
    page.goto(url(site, "hostile"))
    page.keyboard.press("End")
    page.click("#ui\\:prev")  # the last row that needs review: every row gets rendered
    page.keyboard.press("Escape")
    text = hostile_text()
    langs = ["en", "zh-Hans", "zh-Hant"]
    opens, heads = paragraph_marks(text)
    views = [row_view(r, langs, anchor_ids(text), opens, heads, 0.5) for r in aligned_rows(text, langs)]
    joiners = {"en": " ", "zh-Hans": "", "zh-Hant": ""}
    ol = lxml.html.Element("ol")
    for view in views[EAGER_ROWS:]:
        render_row(ol, view, langs, joiners, TAGS)
    # the rows as rendered, without the highlight of the row that has focus or the pointer
    made = page.eval_on_selector_all("#ui\\:rows > li", f"rows => rows.slice({EAGER_ROWS}).map(r => {{ const c = r.cloneNode(true); c.classList.remove('hl'); return c.outerHTML; }})")
    expected = [lxml.html.tostring(li, encoding="unicode") for li in ol]
    assert len(made) == len(views) - EAGER_ROWS and sum(HOSTILE[:9] in row for row in made) == 0
    assert made == expected and sum("&lt;/script&gt;&lt;script&gt;" in row for row in made) == 1


def test_contrast_passes_wcag_aa(site: Path, page: Page) -> None:
    page.goto(url(site, "harbour") + "#en.p1.s1")
    page.hover(sid("en.p1.s2"))
    ratios = []
    for selector in ("h1", ".subtitle", ".facts", ".keys", "legend", "label span", "button", ".labels .cell", ".gut", ".flag", ".s", ".none", "nav a"):
        ratios += page.evaluate(CONTRAST_JS, selector)
    page.goto(site.joinpath("index.html").as_uri())
    for selector in ("td", "th", "caption", "td a span"):
        ratios += page.evaluate(CONTRAST_JS, selector)
    assert len(ratios) > 40
    low = [r for r in ratios if r[0] < 4.5]
    assert not low, low


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots_and_phone_layout_stacks(site: Path, browser: Browser, name: str, viewport: ViewportSize) -> None:
    context = browser.new_context(viewport=viewport)
    tab = context.new_page()
    tab.goto(url(site, "harbour"))
    tab.hover(sid("en.p1.s2"))
    tab.screenshot(path=str(ARTIFACTS / f"reader-{name}.png"), full_page=True)
    en, hans = box(tab.locator(sid("en.p1.s1"))), box(tab.locator(sid("zh-Hans.p1.s1")))
    assert (hans["y"] > en["y"] + 10) is (name == "phone")
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing sticks out
    fonts = tab.evaluate("getComputedStyle(document.getElementById('zh-Hant.p1.s1')).fontFamily")
    assert fonts.startswith('"Noto Sans CJK TC"')
    context.close()


def test_thirty_thousand_sentences_open_quickly(site: Path, page: Page) -> None:
    started = time.perf_counter()
    page.goto(url(site, "big"), wait_until="load")
    loaded = time.perf_counter() - started
    timing = json.loads(page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])"))
    paint = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime")
    far_tab = page.context.new_page()
    started = time.perf_counter()
    far_tab.goto(url(site, "big") + f"#zh-Hant.p{BIG // 6 - 10}.s3", wait_until="load")
    far = time.perf_counter() - started
    assert far_tab.evaluate("document.activeElement.id") == f"zh-Hant.p{BIG // 6 - 10}.s3"
    report = {
        "sentences_per_version": BIG,
        "html_bytes": (site / "docs" / "big.html").stat().st_size,
        "first_contentful_paint_ms": round(paint),
        "dom_content_loaded_ms": round(timing["domContentLoadedEventEnd"]),
        "load_event_ms": round(timing["loadEventEnd"]),
        "goto_load_s": round(loaded, 2),
        "open_at_a_link_near_the_end_s": round(far, 2),
    }
    (ARTIFACTS / "reader-load.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\n30k-sentence page: {report}")
    assert timing["loadEventEnd"] < 10_000, report  # generous: the machine is shared


def test_served_site_works_like_the_files(site: Path, page: Page) -> None:
    server = make_server(site, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        root = f"http://127.0.0.1:{server.server_port}/"
        page.goto(root)
        page.click("a[href='docs/harbour.html']")
        page.hover(sid("en.p1.s1"))
        assert bg(page, sid("zh-Hant.p1.s1")) == "rgb(255, 240, 168)"
        page.click(sid("zh-Hans.p1.s1"))
        assert page.url == f"{root}docs/harbour.html#zh-Hans.p1.s1"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module", autouse=True)
def artifacts() -> None:
    ARTIFACTS.mkdir(exist_ok=True)
