"""PDF with a text layer → blocks: paragraphs rebuilt from pdfminer's text boxes and lines.

Running headers and footers (a line in the top or bottom eighth of the page that recurs, digits
aside, on at least half the pages) and page numbers are dropped; a hyphen at a line end before
a lower-case letter is undone; a paragraph cut by a page break (before a lower-case letter or a
Chinese character) is joined again. A short box in
a font at least 15 % larger than the body text is a heading (the first one, the title). A PDF with no
text (a scanned image) is an error: there is no OCR here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from aligner.errors import InputError
from aligner.ingest.blocks import Block, Blocks, require
from aligner.ingest.langs import is_chinese

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


def _boxes(path: Path) -> tuple[list[_Box], int]:
    """Text boxes of every page, in pdfminer's reading order, and the number of pages."""
    high_level = require("pdfminer.high_level", "PDF")
    layout = require("pdfminer.layout", "PDF")
    boxes: list[_Box] = []
    pages = 0
    try:
        for pages, page in enumerate(high_level.extract_pages(str(path)), 1):
            top, bottom = page.y1 - page.height * MARGIN, page.y0 + page.height * MARGIN
            for element in page:
                if isinstance(element, layout.LTTextContainer):
                    rows = [ln for ln in element if isinstance(ln, layout.LTTextLine) and ln.get_text().strip()]
                    sizes = [ch.size for ln in rows for ch in ln if isinstance(ch, layout.LTChar)]
                    if rows:
                        lines = tuple(ln.get_text().strip() for ln in rows)
                        size = sum(sizes) / len(sizes) if sizes else 0.0
                        boxes.append(_Box(pages, lines, element.y0 >= top or element.y1 <= bottom, size))
    except Exception as err:  # pdfminer: PDFSyntaxError, PDFPasswordIncorrect, PDFEncryptionError …
        what = "encrypted with a password" if "password" in type(err).__name__.lower() or "encrypt" in str(err).lower() else "corrupt"
        raise InputError(f"{path}: not a readable PDF ({what}); save or print it again as a PDF without a password") from None
    return boxes, pages


def _running(boxes: list[_Box], pages: int) -> set[str]:
    """Margin lines that recur (digits aside) on at least half the pages, at least two."""
    seen = Counter(key for key in {(b.page, re.sub(r"\d+", "#", " ".join(b.lines))) for b in boxes if b.in_margin})
    counts = Counter(text for _page, text in seen)
    return {text for text, n in counts.items() if n >= max(2, pages / 2)}


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
    boxes, pages = _boxes(path)
    if not boxes:
        raise InputError(f"{path}: no text layer (a scanned image?); run OCR first, e.g. ocrmypdf, and ingest its output")
    running = _running(boxes, pages)
    body = _body_size(boxes)
    paragraphs: list[tuple[int, list[str], bool]] = []
    for box in boxes:
        if box.in_margin and (re.sub(r"\d+", "#", " ".join(box.lines)) in running or _PAGE_NUMBER.match(" ".join(box.lines))):
            continue
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
