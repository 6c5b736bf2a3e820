"""RTF → blocks: one per paragraph (`\\par`) or table cell, text extracted by striprtf; a line
break inside a paragraph (`\\line`) is a space."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from aligner.errors import InputError
from aligner.ingest.blocks import Block, Blocks, require


def read(path: Path) -> Blocks:
    """Read an RTF file; it must start with `{\\rtf`."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from None
    if not data.lstrip().startswith(b"{\\rtf"):
        raise InputError(f"{path}: not an RTF file (it does not start with {{\\rtf); save it again as RTF or give it its own suffix")
    striprtf = require("striprtf.striprtf", "RTF")
    page = re.search(rb"\\ansicpg(\d+)", data)
    encoding = f"cp{int(page.group(1))}" if page else "cp1252"  # what \'xx byte escapes are in
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "cp1252"
    # a line break inside a paragraph (\line) as U+2028, which blocks do not split at; a table
    # cell (\cell) as a paragraph of its own, as DOCX cells are (striprtf writes '|' for it)
    data = re.sub(rb"\\line(?![a-zA-Z])", rb"\\u8232?", data)
    data = re.sub(rb"\\cell(?![a-zA-Z])", rb"\\par", data)
    try:
        text = striprtf.rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="ignore")
    except Exception:  # striprtf raises ValueError or IndexError on broken control words
        raise InputError(f"{path}: a broken RTF (unbalanced braces or control words); open it in a word processor and save it again") from None
    return Blocks("", [Block(line) for line in text.split("\n") if line.strip()])
