"""What the browser tests share: Debian's Chromium, its flags, viewports and the contrast probe."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import FloatRect, Locator, ViewportSize

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")

# Effective colours → WCAG contrast ratio, walking up to the first opaque background.
CONTRAST_JS = """sel => [...document.querySelectorAll(sel)].filter(e => e.offsetParent && e.textContent.trim()).map(e => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = c => { const v = rgb(c).slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  let bg = "rgb(255, 255, 255)";
  for (let n = e; n; n = n.parentElement) { const c = getComputedStyle(n).backgroundColor; const a = rgb(c);
    if (a.length === 3 || a[3] === 1) { bg = c; break; } }
  const [hi, lo] = [lum(getComputedStyle(e).color), lum(bg)].sort((a, b) => b - a);
  return [(hi + 0.05) / (lo + 0.05), sel, e.textContent.slice(0, 30)]; })"""


def box(element: Locator) -> FloatRect:
    """The element's box on the page; fails the test if the element is not laid out."""
    rect = element.bounding_box()
    assert rect is not None, f"{element} is not displayed"
    return rect
