"""Fixtures shared by test files: one headless Chromium per test module that asks for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from chromium import ARGS, CHROMIUM


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()
