"""The editor in headless Chromium (Debian's, driven by Playwright): every operation by its key,
checked in the TEI on disk; jumps, progress, a stale tab offered a reload, hostile text shown as
text, focus visible, aria roles and live status, usable at 375 px."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from chromium import ARTIFACTS, CONTRAST_JS, needs_chromium
from click.testing import CliRunner
from edit_fixtures import engine_for, three_versions, written
from editor_server import running

from aligner.cli import main
from aligner.corpus.store import save
from aligner.corpus.triangle import contradictions
from aligner.edit.pairs import pair_links

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = needs_chromium


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    save(tmp_path, three_versions())
    return tmp_path


@pytest.fixture
def served(corpus: Path) -> Iterator[str]:
    with running(corpus, engine_for) as (base, _editor):
        yield base


@pytest.fixture
def page(browser: Browser, served: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda err: errors.append(str(err)))
    tab.goto(f"{served}/edit/doc")
    tab.wait_for_selector(".row.focus")
    yield tab
    context.close()
    assert not errors, errors


def rows(corpus: Path, pair: tuple[str, str] = ("en", "zh-Hans")) -> list[str]:
    return [f"{' '.join(r.src) or '-'}|{' '.join(r.tgt) or '-'}|{r.resp}" for r in pair_links(written(corpus), *pair)]


def press(page: Page, key: str, expect: str) -> None:
    """Press a key and wait for the live status to say the edit is done."""
    page.keyboard.press(key)
    page.wait_for_function("t => document.getElementById('ui:status').textContent.includes(t)", arg=expect)


def consistent(corpus: Path) -> bool:
    text = written(corpus)
    return contradictions(text.alignment("en", "zh-Hans"), text.alignment("zh-Hans", "zh-Hant"), text.alignment("en", "zh-Hant")) == []  # type: ignore[arg-type]


def test_every_link_operation_by_its_key_lands_in_the_tei(page: Page, corpus: Path) -> None:
    press(page, "j", "")
    press(page, "m", "merged link 1 with the link below")
    assert rows(corpus)[1] == "en.p1.s2 en.p1.s3|zh-Hans.p1.s2 zh-Hans.p1.s3|person"
    page.fill("#ui\\:split-at", "1:1")
    page.focus(".row.focus")
    press(page, "s", "split link 1 after 1 en and 1 zh-Hans sentences")
    assert rows(corpus)[1:3] == ["en.p1.s2|zh-Hans.p1.s2|person", "en.p1.s3|zh-Hans.p1.s3|person"]
    press(page, "]", "shifted the last zh-Hans sentence of link 1 down")
    assert rows(corpus)[1:3] == ["en.p1.s2|-|person", "en.p1.s3|zh-Hans.p1.s2 zh-Hans.p1.s3|person"]
    press(page, "u", "undid: en–zh-Hans: shifted")
    press(page, "y", "redid: en–zh-Hans: shifted")
    press(page, "a", "attached omission 1 to the link below")
    assert rows(corpus)[1] == "en.p1.s2 en.p1.s3|zh-Hans.p1.s2 zh-Hans.p1.s3|person"
    press(page, "d", "detached the last zh-Hans sentence of link 1 as an omission")
    assert rows(corpus)[1:3] == ["en.p1.s2 en.p1.s3|zh-Hans.p1.s2|person", "-|zh-Hans.p1.s3|person"]
    press(page, "k", "")
    press(page, "c", "confirmed link 0")
    assert rows(corpus)[0] == "en.p1.s1|zh-Hans.p1.s1|person"
    press(page, "c", "unconfirmed link 0")
    for n in (1, 2):
        press(page, "j", "")
        press(page, "c", f"unconfirmed link {n}")
    press(page, "r", "re-aligned the unconfirmed links around link 2")
    assert rows(corpus)[:4] == [f"en.p1.s{k}|zh-Hans.p1.s{k}|machine" for k in (1, 2, 3)] + ["en.p2.s1|zh-Hans.p2.s1|machine"]
    assert page.get_attribute(".row.focus", "data-n") == "0"  # the first row the edit changed
    press(page, "j", "")
    press(page, "[", "shifted the first zh-Hans sentence of link 1 up")
    assert rows(corpus)[0] == "en.p1.s1|zh-Hans.p1.s1 zh-Hans.p1.s2|person"
    press(page, "k", "")
    press(page, "m", "merged link 0 with the link below")
    press(page, "j", "")
    press(page, "M", "merged link 1 with the link above")
    assert rows(corpus)[0] == "en.p1.s1 en.p1.s2 en.p1.s3|zh-Hans.p1.s1 zh-Hans.p1.s2 zh-Hans.p1.s3|person"
    press(page, "k", "")
    press(page, "D", "detached the last en sentence of link 0 as an omission")
    assert rows(corpus)[:2] == ["en.p1.s1 en.p1.s2|zh-Hans.p1.s1 zh-Hans.p1.s2 zh-Hans.p1.s3|person", "en.p1.s3|-|person"]
    press(page, "j", "")
    press(page, "A", "attached omission 1 to the link above")
    press(page, "k", "")
    press(page, "}", "shifted the last en sentence of link 0 down")
    assert rows(corpus)[:2] == ["en.p1.s1 en.p1.s2|zh-Hans.p1.s1 zh-Hans.p1.s2 zh-Hans.p1.s3|person", "en.p1.s3 en.p2.s1|zh-Hans.p2.s1|person"]
    press(page, "j", "")
    press(page, "{", "shifted the first en sentence of link 1 up")
    assert rows(corpus)[:2] == ["en.p1.s1 en.p1.s2 en.p1.s3|zh-Hans.p1.s1 zh-Hans.p1.s2 zh-Hans.p1.s3|person", "en.p2.s1|zh-Hans.p2.s1|person"]
    assert consistent(corpus)
    history = CliRunner().invoke(main, ["edit", "doc", "--corpus", str(corpus), "history"]).output
    assert history.count("tester: ") == 19


def test_sentence_tools_split_join_and_correct(page: Page, corpus: Path) -> None:
    for _ in range(4):
        page.keyboard.press("j")
    page.keyboard.press("t")
    page.select_option("#ui\\:sid", "en.p2.s2")
    page.fill("#ui\\:offset", "5")
    page.click("button[data-sop='split-sentence']")
    page.wait_for_function("document.getElementById('ui:status').textContent.includes('the second part is en.p2.s2.1')")
    assert [s.text for s in written(corpus).versions["en"].sentences()][4:6] == ["Five", "& six."]
    page.keyboard.press("t")
    page.select_option("#ui\\:sid", "zh-Hans.p2.s2")
    page.fill("#ui\\:text", "五与六。")
    page.click("button[data-sop='correct']")
    page.wait_for_function("document.getElementById('ui:status').textContent.includes('corrected the text')")
    page.keyboard.press("t")
    page.select_option("#ui\\:sid", "en.p2.s2")
    page.click("button[data-sop='join']")
    page.wait_for_function("document.getElementById('ui:status').textContent.includes('joined en sentence en.p2.s2')")
    text = written(corpus)
    assert [s.text for s in text.versions["en"].sentences()][4] == "Five & six."
    assert [s.text for s in text.versions["zh-Hans"].sentences()][4] == "五与六。"
    assert consistent(corpus)


def test_jumps_progress_and_roles(page: Page, corpus: Path) -> None:
    assert page.text_content("#ui\\:progress").startswith("0 of 6 links confirmed")  # type: ignore[union-attr]
    press(page, "c", "confirmed link 0")
    assert page.text_content("#ui\\:progress").startswith("1 of 6 links confirmed")  # type: ignore[union-attr]
    page.keyboard.press("n")
    assert page.get_attribute(".row.focus", "data-n") == "1"
    page.keyboard.press("l")  # no link below 0.5 here: the status says so
    assert page.text_content("#ui\\:status") == "No such link."
    page.wait_for_selector(".row.flagged")  # the QA checks run in the background
    page.keyboard.press("f")  # QA: 30 dollars in English, 40 in Chinese
    assert page.get_attribute(".row.focus", "data-n") == "5"
    assert "numbers disagree" in page.text_content(".row.focus .qa")  # type: ignore[operator]
    assert page.eval_on_selector(".row.focus .qa", "e => e.textContent.length") > 0
    assert page.get_attribute("#ui\\:grid", "role") == "grid" and page.get_attribute("#ui\\:grid", "aria-rowcount") == "6"
    assert page.eval_on_selector_all("[role=row]", "rs => rs.length") == 6
    assert page.get_attribute("#ui\\:status", "aria-live") == "polite"
    assert page.eval_on_selector(".row.focus", "e => getComputedStyle(e).outlineWidth") == "3px"
    assert page.evaluate("document.activeElement.classList.contains('focus')")
    assert "m" in page.text_content(".keys")  # type: ignore[operator]
    low = [c for c in page.evaluate(CONTRAST_JS, ".gut span, .cell .s, .qa .finding, .keys dd, button, .status") if c[0] < 4.5]
    assert not low, low


def test_hostile_text_is_shown_as_text(page: Page) -> None:
    assert page.evaluate("window.__pwned") is None
    assert page.eval_on_selector("[data-n='3'] .src .s", "e => e.textContent") == "Four <b>bold</b>."
    assert page.eval_on_selector("[data-n='3'] .src", "e => e.querySelector('b')") is None


def test_a_stale_tab_is_refused_and_offered_a_reload(page: Page, corpus: Path) -> None:
    assert CliRunner().invoke(main, ["edit", "doc", "--corpus", str(corpus), "confirm", "2"]).exit_code == 0
    before = (corpus / "doc" / "align.xml").read_bytes()
    page.keyboard.press("c")
    page.wait_for_selector("#ui\\:reload")
    assert "the document changed since version" in page.text_content("#ui\\:status")  # type: ignore[operator]
    assert (corpus / "doc" / "align.xml").read_bytes() == before
    page.click("#ui\\:reload")
    page.wait_for_function("document.getElementById('ui:status').textContent.startsWith('Reloaded')")
    assert page.text_content("#ui\\:progress").startswith("1 of 6")  # type: ignore[union-attr]
    press(page, "c", "confirmed link 0")


def test_usable_at_375_px(browser: Browser, served: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    tab = context.new_page()
    tab.goto(f"{served}/edit/doc")
    tab.wait_for_selector(".row.focus")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    tab.keyboard.press("c")
    tab.wait_for_function("document.getElementById('ui:status').textContent.includes('confirmed link 0')")
    tab.screenshot(path=str(ARTIFACTS / "editor-375.png"))
    context.close()


def test_pair_choice_shows_the_derived_pair(page: Page, corpus: Path) -> None:
    page.select_option("#ui\\:pair", "en,zh-Hant")
    page.wait_for_function("document.getElementById('ui:status').textContent.includes('en ↔ zh-Hant')")
    press(page, "c", "confirmed link 0")
    assert rows(corpus, ("en", "zh-Hant"))[0] == "en.p1.s1|zh-Hant.p1.s1|person"
    press(page, "m", "make this edit in one of those pairs instead")
    assert shutil.which("true")
