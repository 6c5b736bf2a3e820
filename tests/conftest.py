"""Fixtures shared by test files: one headless Chromium per test module that asks for it, and
the seeds with the corpus built from them (`built`, once per module) to copy (`work`)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from chromium import ARGS, CHROMIUM

if TYPE_CHECKING:
    from playwright.sync_api import Browser

SEEDS = Path(__file__).parent.parent / "seeds"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and the corpus built from them, to copy."""
    from aligner.build import build

    root = tmp_path_factory.mktemp("built")
    shutil.copytree(SEEDS, root / "seeds")
    build(root / "seeds", root / "corpus")
    return root


@pytest.fixture
def work(built: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Path:
    """A copy of the seeds and corpus a test may change; warnings logged are kept (`caplog`)."""
    shutil.copytree(built, tmp_path, dirs_exist_ok=True)
    caplog.set_level(logging.WARNING)
    return tmp_path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()
