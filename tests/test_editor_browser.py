"""The editor in headless Chromium (Debian's, driven by Playwright): every operation by its key,
checked in the TEI on disk; jumps, progress, a stale tab offered a reload, hostile text shown as
text, focus visible, aria roles and live status, usable at 375 px. Also: a failed save keeps the
typed text, keys pressed during an edit wait their turn, a server that is gone or restarted is
said and offered a reload, the status stays in view, a reading tab learns of edits made
elsewhere, and the sentence tools split at the text cursor and ask before discarding text."""

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
from aligner.reader.editor import Editor

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page, Route

pytestmark = needs_chromium


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    save(tmp_path, three_versions())
    return tmp_path


@pytest.fixture
def server(corpus: Path) -> Iterator[tuple[str, Editor]]:
    with running(corpus, engine_for) as (base, editor):
        yield base, editor


@pytest.fixture
def served(server: tuple[str, Editor]) -> str:
    return server[0]


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


def said(page: Page, text: str) -> None:
    """Wait for the live status to hold `text`."""
    page.wait_for_function("t => document.getElementById('ui:status').textContent.includes(t)", arg=text)


def cli_edit(corpus: Path, *command: str) -> None:
    """An edit made by `aligner edit` while the page is open."""
    assert CliRunner().invoke(main, ["edit", "doc", "--corpus", str(corpus), *command]).exit_code == 0


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
    cli_edit(corpus, "confirm", "2")
    before = (corpus / "doc" / "align.xml").read_bytes()
    page.keyboard.press("c")
    said(page, "the document changed since version")
    assert page.is_visible("#ui\\:reload")
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
    tab.keyboard.press("t")  # the sentence tools fit too
    assert tab.is_visible("#ui\\:text") and tab.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_pair_choice_shows_the_derived_pair(page: Page, corpus: Path) -> None:
    page.select_option("#ui\\:pair", "en,zh-Hant")
    page.wait_for_function("document.getElementById('ui:status').textContent.includes('en ↔ zh-Hant')")
    press(page, "c", "confirmed link 0")
    assert rows(corpus, ("en", "zh-Hant"))[0] == "en.p1.s1|zh-Hant.p1.s1|person"
    press(page, "m", "make this edit in one of those pairs instead")
    assert shutil.which("true")


def open_tools(page: Page, sid: str) -> None:
    """Open the sentence tools on the focused row and choose sentence `sid`."""
    page.keyboard.press("t")
    page.select_option("#ui\\:sid", sid)


def test_a_save_that_fails_keeps_the_form_and_its_text(page: Page, corpus: Path) -> None:
    for _ in range(4):
        page.keyboard.press("j")
    open_tools(page, "zh-Hans.p2.s2")
    page.fill("#ui\\:text", "五与六。七。")  # two sentences: refused (400), the text stays
    page.click("button[data-sop='correct']")
    page.wait_for_function("document.getElementById('ui:sentence-note').textContent.includes('is 2 sentences')")
    assert page.is_visible("#ui\\:sentence") and page.input_value("#ui\\:text") == "五与六。七。"
    page.fill("#ui\\:text", "五与六。")
    cli_edit(corpus, "confirm", "2")  # another editor: the save gets 409
    page.click("button[data-sop='correct']")
    said(page, "the document changed since version")
    assert page.is_visible("#ui\\:sentence") and page.input_value("#ui\\:text") == "五与六。"
    assert "changed since version" in page.text_content("#ui\\:sentence-note")  # type: ignore[operator]
    assert page.evaluate("document.activeElement.id") == "ui:reload"
    page.click("#ui\\:reload")
    said(page, "Reloaded")
    assert page.input_value("#ui\\:text") == "五与六。"
    page.click("button[data-sop='correct']")
    said(page, "corrected the text of zh-Hans sentence zh-Hans.p2.s2")
    assert page.is_hidden("#ui\\:sentence")
    assert [s.text for s in written(corpus).versions["zh-Hans"].sentences()][4] == "五与六。"


def test_enter_splits_at_the_text_cursor_counted_as_the_server_counts(page: Page, corpus: Path) -> None:
    page.evaluate("window.__same = true")
    for _ in range(4):
        page.keyboard.press("j")
    open_tools(page, "zh-Hans.p2.s2")
    page.fill("#ui\\:text", "𠮷野家，好吃")
    page.click("button[data-sop='correct']")
    said(page, "corrected the text")
    open_tools(page, "zh-Hans.p2.s2")
    page.focus("#ui\\:text")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # before 好: 5 UTF-16 units, 4 characters
    page.wait_for_function("document.getElementById('ui:offset').value === '4'")
    page.focus("#ui\\:offset")
    page.keyboard.press("Enter")
    said(page, "the second part is zh-Hans.p2.s2.1")
    assert page.evaluate("window.__same")  # the page was not reloaded
    assert [s.text for s in written(corpus).versions["zh-Hans"].sentences()][4:6] == ["𠮷野家，", "好吃"]


def test_keys_pressed_during_an_edit_wait_their_turn_and_moves_stay(page: Page, corpus: Path) -> None:
    held: list[Route] = []
    page.route("**/api/edit/**", lambda route: held.append(route) if not held else route.continue_())  # the first edit waits
    page.keyboard.press("c")
    for key in "jcjcj":
        page.keyboard.press(key)
    said(page, "Busy: making an edit… 2 more waiting their turn.")
    assert len(held) == 1 and page.get_attribute(".row.focus", "data-n") == "3"
    held[0].continue_()
    said(page, "confirmed link 2")
    assert [r.split("|")[2] for r in rows(corpus)[:4]] == ["person", "person", "person", "machine"]
    assert page.get_attribute(".row.focus", "data-n") == "3"  # the moves made meanwhile were kept


def test_a_server_gone_or_restarted_is_said_and_offered_a_reload(page: Page, server: tuple[str, Editor], corpus: Path) -> None:
    press(page, "c", "confirmed link 0")
    page.route("**/api/edit/**", lambda route: route.abort())
    page.keyboard.press("j")
    page.keyboard.press("c")
    said(page, "The server did not answer")
    assert page.is_visible("#ui\\:reload")
    page.unroute("**/api/edit/**")
    server[1].token = "a restarted server's token"
    page.keyboard.press("c")
    said(page, "missing or wrong token")
    page.click("#ui\\:reload")
    said(page, "Reloaded")
    press(page, "c", "confirmed link 1")
    assert rows(corpus)[1].endswith("|person")


def test_the_status_stays_in_view_at_the_last_row(browser: Browser, served: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 420})
    tab = context.new_page()
    tab.goto(f"{served}/edit/doc")
    tab.wait_for_selector(".row.focus")
    tab.keyboard.press("End")
    tab.keyboard.press("c")
    tab.wait_for_function("document.getElementById('ui:status').textContent.includes('confirmed link 5')")
    assert tab.evaluate("scrollY") > 0  # the page did scroll
    status, row = (tab.eval_on_selector(sel, "e => e.getBoundingClientRect().toJSON()") for sel in ("#ui\\:status", ".row.focus"))
    assert 0 <= status["top"] and status["bottom"] <= 420
    assert row["top"] >= status["bottom"] - 1  # the focused row is not under it
    context.close()


def test_realign_that_changes_nothing_says_so(page: Page) -> None:
    for _ in range(2):  # the fixture's derived pair takes the engine's signature at the second
        shown = page.text_content("#ui\\:progress")
        press(page, "r", "re-aligned")
        page.wait_for_function("v => document.getElementById('ui:progress').textContent !== v", arg=shown)
    press(page, "r", "nothing changed, so no undo step was made")
    assert page.get_attribute("#ui\\:status", "class") == "status "  # not shown as a change made
    press(page, "u", "undid: en–zh-Hans: re-aligned")


def test_a_reading_tab_learns_that_the_document_changed(page: Page, corpus: Path) -> None:
    cli_edit(corpus, "confirm", "2")
    page.wait_for_selector("#ui\\:reload", timeout=15_000)  # nothing pressed: the page checks every few seconds
    assert "changed elsewhere" in page.text_content("#ui\\:status")  # type: ignore[operator]
    assert page.evaluate("document.activeElement.classList.contains('focus')")  # the notice takes no focus
    page.click("#ui\\:reload")
    said(page, "Reloaded")
    assert page.text_content("#ui\\:progress").startswith("1 of 6")  # type: ignore[union-attr]


def test_buttons_home_end_go_to_and_the_pair_keep_their_place(page: Page) -> None:
    page.keyboard.press("End")
    assert page.get_attribute(".row.focus", "data-n") == "5"
    page.keyboard.press("Home")
    assert page.get_attribute(".row.focus", "data-n") == "0"
    page.fill("#ui\\:goto-n", "4")
    page.press("#ui\\:goto-n", "Enter")
    assert page.get_attribute(".row.focus", "data-n") == "4"
    assert page.evaluate("document.activeElement.dataset.n") == "4"
    page.click("button[data-op='next-unconfirmed']")
    assert page.get_attribute(".row.focus", "data-n") == "5"
    page.click("button[data-op='sentence-tools']")
    assert page.is_visible("#ui\\:sentence") and page.input_value("#ui\\:sid") == "en.p2.s3"
    page.click("#ui\\:sentence-close")
    page.keyboard.press("Home")
    press(page, "m", "merged link 0 with the link below")  # row numbers of en–zh-Hans now differ from zh-Hans–zh-Hant's
    page.fill("#ui\\:goto-n", "3")
    page.press("#ui\\:goto-n", "Enter")
    page.select_option("#ui\\:pair", "zh-Hans,zh-Hant")
    said(page, "zh-Hans ↔ zh-Hant")
    assert page.get_attribute(".row.focus", "data-n") == "4"
    assert page.text_content(".row.focus .src") == "五和六。 "  # the row of the sentences seen before


def test_escape_asks_before_discarding_text_and_waits_for_an_input_method(page: Page) -> None:
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept() if len(asked) > 1 else dialog.dismiss()

    page.on("dialog", answer)
    open_tools(page, "zh-Hans.p1.s1")
    page.focus("#ui\\:text")
    page.keyboard.press("End")
    page.keyboard.insert_text("好")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "ceshi", "selectionStart": 5, "selectionEnd": 5})
    page.keyboard.press("Escape")  # cancels the composition only
    assert asked == [] and page.is_visible("#ui\\:sentence")
    cdp.send("Input.insertText", {"text": "试"})  # the composition ends
    page.keyboard.press("Escape")
    assert len(asked) == 1 and page.is_visible("#ui\\:sentence") and page.input_value("#ui\\:text") == "一。好试"
    page.keyboard.press("Escape")
    assert len(asked) == 2 and page.is_hidden("#ui\\:sentence")
