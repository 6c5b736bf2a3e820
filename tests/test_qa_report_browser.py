"""The `aligner qa --html` report in headless Chromium (Debian's, driven by Playwright), as a
reviewer sees it: every finding a row, Chinese in its language and a CJK font, hostile text shown
as text, WCAG AA contrast, no sideways scrolling at phone width, no console errors, no network;
screenshots at desktop and phone widths go to artifacts/."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from chromium import ARTIFACTS, CONTRAST_JS, DESKTOP, box, needs_chromium
from click.testing import CliRunner
from qa_fixtures import CLEAN, parallel

from aligner.cli import main
from aligner.corpus.store import save
from aligner.ingest.langs import chinese_script

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page, ViewportSize

pytestmark = needs_chromium

HOSTILE_EN = ('China has to do more on <script>alert("en")</script> export control "&<> and <img src=x onerror=alert(1)> '
              "monitoring https://example.org/a/very/long/unbroken/path/that/must/wrap/on/a/phone/screen/too trade.")
HOSTILE_ZH = '问题在于"<b onclick=alert(2)>两国</b>"&为何携手实施制裁?'
FOLDER = "qa<i>\"&'"  # the corpus folder, named in the report's title

# (row of CLEAN, language, the text it gets, the check that must then report it)
PLANTED = [
    (0, "zh-Hans", "针对第三次核试验，联合国安理会通过了第2049号决议。", "numbers"),
    (3, "zh-Hans", HOSTILE_ZH, "half-width"),
    (6, "en", HOSTILE_EN, "omission"),
    (6, "zh-Hans", "", "omission"),
    (8, "zh-Hant", "他們說，該軟體在火箭髮射後推出。", "conversion"),
]
LOW_CONFIDENCE = {5: 0.1}  # row → link confidence: a low-confidence finding (severity info)
PHONE = {"width": 375, "height": 812}
CJK_FONT = {"zh-Hans": "Noto Sans CJK SC", "zh-Hant": "Noto Sans CJK TC"}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")

# Each finding row as the reviewer reads it: row class and the text of each cell.
ROWS_JS = "rows => rows.map(r => [r.className, ...[...r.cells].map(c => c.innerText.trim())])"
# Every non-blank text node: its text and the lang it inherits.
TEXT_LANGS_JS = """() => { const out = []; const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walk.nextNode(); t; t = walk.nextNode()) if (t.data.trim()) out.push([t.data, t.parentElement.closest("[lang]").lang]);
  return out; }"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, object]], str]:
    """The planted corpus checked by `aligner qa --json --html` → (report file, JSON findings, title)."""
    rows = [list(r) for r in CLEAN]
    for row, lang, text, _ in PLANTED:
        rows[row][("en", "zh-Hans", "zh-Hant").index(lang)] = text
    corpus = tmp_path_factory.mktemp("qa") / FOLDER
    save(corpus, parallel([tuple(r) for r in rows], LOW_CONFIDENCE))  # type: ignore[misc]
    page = corpus.parent / "qa.html"
    result = CliRunner().invoke(main, ["qa", str(corpus), "--corpus", str(corpus), "--json", "--html", str(page)])
    assert result.exit_code == 0, result.output
    return page, json.loads(result.output)["findings"], f"Translation QA: {corpus}"


@contextmanager
def opened(chromium: Browser, page: Path, viewport: ViewportSize) -> Iterator[Page]:
    """The report in a fresh tab; afterwards no console error, page error, dialog or request off the file."""
    context = chromium.new_context(viewport=viewport)
    tab = context.new_page()
    trouble: list[str] = []
    tab.on("console", lambda m: trouble.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    tab.on("pageerror", lambda e: trouble.append(f"page error: {e}"))

    def dialog(d: Dialog) -> None:
        trouble.append(f"dialog: {d.message}")
        d.dismiss()

    tab.on("dialog", dialog)
    tab.on("request", lambda r: trouble.append(f"request: {r.url}") if r.url != page.as_uri() else None)
    tab.goto(page.as_uri())
    yield tab
    context.close()
    assert not trouble, trouble


@pytest.fixture(scope="module")
def tab(browser: Browser, report: tuple[Path, list[dict[str, object]], str]) -> Iterator[Page]:
    with opened(browser, report[0], DESKTOP) as t:
        yield t


def expected_row(f: dict[str, object]) -> list[str]:
    """What a finding's row must show: severity (as class and text), check, ids, both texts, reason."""
    src, tgt = (" ".join(f[k]) or "—" for k in ("src_ids", "tgt_ids"))  # type: ignore[arg-type]
    reason = f"{f['reason']}\nsuggested: {f['suggestion']}" if f["suggestion"] else f["reason"]
    texts = [str(f[k]) or "not in this version" for k in ("src_text", "tgt_text")]
    return [str(f["severity"]), str(f["severity"]), str(f["check"]), f"{f['doc_id']}\n{src}\n→ {tgt}", *texts, str(reason)]


def luminance(rgb: str) -> float:
    """WCAG relative luminance of a computed `rgb(r, g, b)` colour."""
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_finding_is_a_row_with_severity_ids_texts_and_reason(report: tuple[Path, list[dict[str, object]], str], tab: Page) -> None:
    _, findings, _ = report
    assert {p[3] for p in PLANTED} | {"low-confidence"} <= {f["check"] for f in findings}
    shown = tab.eval_on_selector_all("table.findings tbody tr", ROWS_JS)
    assert shown == [expected_row(f) for f in findings]
    facts = tab.inner_text(".facts")
    assert facts == ", ".join(f"{n} {s}" for n, s in (
        (sum(f["severity"] == "error" for f in findings), "errors"),
        (sum(f["severity"] == "warning" for f in findings), "warnings"),
        (sum(f["severity"] == "info" for f in findings), "info")))
    assert tab.eval_on_selector_all("th", "hs => hs.map(h => h.innerText)") == ["severity", "check", "ids", "source", "translation", "reason"]


def test_chinese_carries_its_language_and_renders_in_a_cjk_font(tab: Page) -> None:
    texts = tab.evaluate(TEXT_LANGS_JS)
    chinese = [(text, lang) for text, lang in texts if CJK.search(text)]
    assert len(chinese) > 10
    wrong = [(t, lang) for t, lang in chinese if lang not in CJK_FONT or chinese_script(t) not in ("zh", lang)]
    assert not wrong, wrong
    assert {lang for _, lang in chinese} == {"zh-Hans", "zh-Hant"}
    assert ("髮", "zh-Hant") in chinese and ("发", "zh-Hans") in chinese  # the conversion finding's reason
    cdp = tab.context.new_cdp_session(tab)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    rendered = []
    for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[lang^=zh]"})["nodeIds"]:
        lang = cdp.send("DOM.getAttributes", {"nodeId": node})["attributes"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        rendered += [(lang[lang.index("lang") + 1], f["familyName"], f["glyphCount"]) for f in fonts]
    assert sum(n for *_, n in rendered) > 200  # the glyphs of every Chinese text
    tofu = [(lang, family) for lang, family, _ in rendered if family != CJK_FONT[lang]]
    assert not tofu, tofu
    cdp.detach()


def test_hostile_text_is_shown_as_text_never_run(report: tuple[Path, list[dict[str, object]], str], tab: Page) -> None:
    page, findings, title = report
    cells = tab.eval_on_selector_all("td.cell", "cs => cs.map(c => c.textContent)")
    for hostile in (HOSTILE_EN, HOSTILE_ZH):
        assert cells.count(hostile) == sum((f["src_text"], f["tgt_text"]).count(hostile) for f in findings) > 0
    assert tab.evaluate("[document.title, document.querySelector('h1').textContent]") == [title, title]
    assert tab.evaluate("document.querySelectorAll('body script, body img, body b, body i, [onclick], [onerror]').length") == 0
    assert "<script" not in page.read_text(encoding="utf-8").lower()  # the report needs no script at all
    links = tab.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
    missing = [h for h in links if not Path(h.split("#")[0].removeprefix("file://")).exists()]
    assert not missing, missing


def test_severity_colours_meet_wcag_aa(tab: Page) -> None:
    ratios = []
    for selector in ("h1", ".facts", "th", "td.sev", "td.check", "td.ids", "td.cell", "td.reason", ".none", "td.reason span"):
        ratios += tab.evaluate(CONTRAST_JS, selector)
    assert len(ratios) > 50
    low = [r for r in ratios if r[0] < 4.5]
    assert not low, low
    styles = tab.eval_on_selector_all(
        "tbody tr", "rows => rows.map(r => { const s = getComputedStyle(r);"
        " return [r.className, s.backgroundColor, s.borderLeftWidth === '0px' ? '' : s.borderLeftColor, getComputedStyle(r.cells[0]).color]; })")
    by_severity = {cls: (bg, edge, fg) for cls, bg, edge, fg in styles}
    assert set(by_severity) == {"error", "warning", "info"}
    assert len(set(by_severity.values())) == 3  # told apart at a glance, and by the word
    assert by_severity["error"][1] and by_severity["warning"][1]  # a bar at the edge of the row
    weak = [(cls, edge, bg) for cls, bg, edge, _ in styles if edge and min(contrast(edge, bg), contrast(edge, "rgb(255, 255, 255)")) < 3]
    assert not weak, weak  # WCAG 1.4.11: the severity bar against its row and the page


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_fits_the_width_and_rows_stack_on_a_phone(report: tuple[Path, list[dict[str, object]], str], browser: Browser,  # noqa: F811
                                                  name: str, viewport: ViewportSize) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with opened(browser, report[0], viewport) as tab:
        tab.screenshot(path=str(ARTIFACTS / f"qa-report-{name}.png"), full_page=True)
        widths = tab.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
        assert max(widths[:2]) <= widths[2], widths  # no sideways scrolling
        outside = tab.eval_on_selector_all(
            "td", f"cs => cs.filter(c => c.getBoundingClientRect().right > {viewport['width']}).map(c => c.textContent)")
        assert not outside, outside
        src, tgt = (box(tab.locator(f"tbody tr >> nth=0 >> td.cell >> nth={k}")) for k in (0, 1))
        assert (tgt["y"] >= src["y"] + src["height"]) is (name == "phone")  # side by side, or stacked
