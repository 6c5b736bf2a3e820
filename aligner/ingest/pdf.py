"""PDF with a text layer → blocks: paragraphs rebuilt from pdfminer's text boxes and lines.

Running headers and footers (a line in the top or bottom eighth of the page that recurs, digits
aside, on at least half the pages, or on a run of pages spanning three or more, as a chapter's
header does) and page numbers are dropped; a hyphen at a line end before a lower-case letter is
undone; a paragraph cut by a page break (before a lower-case letter or a Chinese character) is
joined again. A short box in a font at least 15 % larger than the body text is a heading (the
first one, the title). A PDF with no text (a scanned image) is an error: there is no OCR here;
pages with a picture but no text are named in a warning.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from aligner.errors import InputError
from aligner.ingest.blocks import Block, Blocks, require
from aligner.ingest.langs import is_chinese

log = logging.getLogger(__name__)

MARGIN = 0.125  # share of the page height searched for running headers and footers
_PAGE_NUMBER = re.compile(r"^\s*(page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?\s*(of\s*\d+)?\s*$|^\s*第\s*\d+\s*页\s*$", re.I)
_END = tuple(".?!。？！…:：\"”’)")


HEADING_SCALE = 1.15  # a heading's font size over the body text's


@dataclass(frozen=True)
class _Box:
    page: int
    lines: tuple[str, ...]
    in_margin: bool
    size: float  # mean font size of its characters


def _boxes(path: Path) -> tuple[list[_Box], int, set[int]]:
    """Text boxes of every page, in pdfminer's reading order, the number of pages, and the pages
    that hold a picture."""
    high_level = require("pdfminer.high_level", "PDF")
    layout = require("pdfminer.layout", "PDF")
    boxes: list[_Box] = []
    pictured: set[int] = set()
    pages = 0
    try:
        for pages, page in enumerate(high_level.extract_pages(str(path)), 1):
            top, bottom = page.y1 - page.height * MARGIN, page.y0 + page.height * MARGIN
            for element in page:
                if isinstance(element, layout.LTFigure | layout.LTImage):
                    pictured.add(pages)
                elif isinstance(element, layout.LTTextContainer):
                    rows = [ln for ln in element if isinstance(ln, layout.LTTextLine) and ln.get_text().strip()]
                    sizes = [ch.size for ln in rows for ch in ln if isinstance(ch, layout.LTChar)]
                    if rows:
                        lines = tuple(ln.get_text().strip() for ln in rows)
                        size = sum(sizes) / len(sizes) if sizes else 0.0
                        boxes.append(_Box(pages, lines, element.y0 >= top or element.y1 <= bottom, size))
    except Exception as err:  # pdfminer: PDFSyntaxError, PDFPasswordIncorrect, PDFEncryptionError …
        what = "encrypted with a password" if "password" in type(err).__name__.lower() or "encrypt" in str(err).lower() else "corrupt"
        raise InputError(f"{path}: not a readable PDF ({what}); save or print it again as a PDF without a password") from None
    return boxes, pages, pictured


def _key(box: _Box) -> str:
    """A box's text with its digits as '#': a running header's page number changes."""
    return re.sub(r"\d+", "#", " ".join(box.lines))


def _running(boxes: list[_Box], pages: int, body: float) -> set[tuple[int, str]]:
    """(page, key) of the margin lines that run: recurring on at least half the pages (at least
    two), or on pages at most two apart (facing pages alternate headers) spanning at least three,
    as a chapter's header does; a heading on the first page of those is a title and stays."""
    margin = [box for box in boxes if box.in_margin]
    found: dict[str, set[int]] = {}
    for box in margin:
        found.setdefault(_key(box), set()).add(box.page)
    titles = {(box.page, _key(box)) for box in margin if _is_heading(box, body)}
    running: set[tuple[int, str]] = set()
    for key, on in found.items():
        runs = [sorted(on)] if len(on) >= max(2, pages / 2) else [run for run in _runs(sorted(on), 2) if run[-1] - run[0] >= 2]
        running |= {(page, key) for run in runs for page in run if page != run[0] or (page, key) not in titles}
    return running


def _runs(pages: list[int], gap: int) -> list[list[int]]:
    """Sorted page numbers split where two are more than `gap` pages apart."""
    runs: list[list[int]] = []
    for page in pages:
        if runs and page - runs[-1][-1] <= gap:
            runs[-1].append(page)
        else:
            runs.append([page])
    return runs


def _page_list(pages: list[int]) -> str:
    """Sorted page numbers as 'page 2' or 'pages 2-4, 7'."""
    spans = [f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in _runs(pages, 1)]
    return f"page{'s' if len(pages) > 1 else ''} {', '.join(spans)}"


def _cjk(char: str) -> bool:
    """A Han character or CJK punctuation (full-width forms included): no space after or before it."""
    return bool(char) and (is_chinese(char) or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef")


def _body_size(boxes: list[_Box]) -> float:
    """The font size most of the text is set in (by characters)."""
    weights: Counter[float] = Counter()
    for box in boxes:
        weights[round(box.size, 1)] += sum(len(line) for line in box.lines)
    return weights.most_common(1)[0][0] if weights else 0.0


def _is_heading(box: _Box, body: float) -> bool:
    """Short, larger than the body text, and not a sentence run on from the paragraph before."""
    text = " ".join(box.lines)
    return body > 0 and box.size >= body * HEADING_SCALE and len(box.lines) <= 3 and len(text) <= 150 and not text.endswith(tuple(".。"))


def _join_lines(lines: list[str]) -> str:
    """Lines of one paragraph as one text: hyphens at line ends undone, no space between Chinese lines."""
    text = ""
    for line in lines:
        if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and line[:1].islower():
            text = text[:-1] + line
        elif text and (_cjk(text[-1]) or _cjk(line[:1])):
            text += line
        else:
            text = f"{text} {line}" if text else line
    return text


def read(path: Path) -> Blocks:
    """Read a PDF's text layer as paragraphs."""
    boxes, pages, pictured = _boxes(path)
    if not boxes:
        raise InputError(f"{path}: no text layer (a scanned image?); run OCR first, e.g. ocrmypdf, and ingest its output")
    body = _body_size(boxes)
    running = _running(boxes, pages, body)
    text = [box for box in boxes if not (box.in_margin and ((box.page, _key(box)) in running or _PAGE_NUMBER.match(" ".join(box.lines))))]
    if untexted := sorted(pictured - {box.page for box in text}):
        log.warning("%s: %s: no text (scanned?); OCR them to include them", path, _page_list(untexted))
    paragraphs: list[tuple[int, list[str], bool]] = []
    for box in text:
        lines, head = list(box.lines), _is_heading(box, body)
        last = paragraphs[-1] if paragraphs else None
        runs_on = lines[0][:1].islower() or _cjk(lines[0][:1])  # Chinese has no case: an unended paragraph runs on
        if last and not head and not last[2] and last[0] < box.page and not last[1][-1].endswith(_END) and runs_on:
            last[1].extend(lines)  # the paragraph runs on over the page break
        else:
            paragraphs.append((box.page, lines, head))
    blocks = [Block(_join_lines(lines), kind="head" if head else "p") for _, lines, head in paragraphs]
    title = blocks[0].text if blocks and blocks[0].kind == "head" else ""
    return Blocks(title, blocks[1 if title else 0 :])
