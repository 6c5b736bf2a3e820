"""Reading the XML files people import (XCES, InterText, XLIFF, TMX): safely (nothing fetched or
expanded), gzip or not, and with one-line errors naming the file and line and the fix."""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from aligner.errors import InputError

_GZIP = b"\x1f\x8b"
_ENCODING_ERRORS = {32, 81}  # libxml2: an encoding it does not know; bytes invalid in the declared one
_WIDE_DECLARED = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["'](?:utf-?16|utf-?32|ucs-?[24])""", re.I)  # 8-bit bytes said to be UTF-16


def file_bytes(path: Path) -> bytes:
    """A file's bytes, unpacked when they are gzip (OPUS ships .xml.gz; a browser may unpack one
    and keep its name); a file that cannot be read or unpacked is one line saying so."""
    try:
        data = path.read_bytes()
        return gzip.decompress(data) if data[:2] == _GZIP else data
    except (EOFError, zlib.error, gzip.BadGzipFile) as err:
        raise InputError(f"{path}: the gzip data is cut short or damaged ({err}); download or compress the file again") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from None


def xml_root(path: Path, data: bytes, label: str = "") -> etree._Element:
    """Parse an input file's XML, nothing fetched or expanded; XML that does not parse is one line
    naming `label` (the path when none: a part inside an archive names both) and its line, and text
    not in the declared encoding is told to be saved as UTF-8."""
    where = label or path
    try:
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False))
    except etree.XMLSyntaxError as err:
        line = err.position[0] if err.position else "?"
        if err.code in _ENCODING_ERRORS or _WIDE_DECLARED.match(data):
            raise InputError(
                f"{where}:{line}: the text is not in its declared encoding (UTF-8 when none is declared): {err.msg}; "
                'save the file as UTF-8 with encoding="UTF-8" in its XML declaration'
            ) from None
        raise InputError(f"{where}:{line}: malformed XML: {err.msg}; fix the file") from None


def parse(path: Path) -> etree._Element:
    """Parse an XML file (gzip allowed); one-line errors with file and line."""
    return xml_root(path, file_bytes(path))


CODES = frozenset({"bpt", "ept", "it", "ph", "ut", "sub"})  # TMX, XLIFF 1.2: native codes (<b>, <br/>) and sub-flows, not the segment's text


def inline_text(node: etree._Element) -> str:
    """An element's text without what its inline codes hold (`<bpt>&lt;b&gt;</bpt>` is markup, not
    "<b>"): the text of XLIFF 2 codes is in attributes, and marks (hi, g, mrk, pc) keep theirs."""
    out = [node.text or ""]
    for child in node:
        if isinstance(child.tag, str) and etree.QName(child).localname not in CODES:
            out.append(inline_text(child))
        out.append(child.tail or "")
    return "".join(out)


def refuse_copies(path: Path, nodes: Iterable[etree._Element], name: str) -> None:
    """Refuse an element (a TMX <tu>, an XLIFF <file>) that repeats an earlier one exactly, its
    identifying attribute (`name`: tuid, id) included: a block pasted twice, whose sentences would
    come twice, as another tool's ids do not show it (an element without the attribute may repeat:
    a memory holds a pair as often as it occurs)."""
    seen: dict[bytes, int | None] = {}
    for node in nodes:
        if not node.get(name):
            continue
        block = etree.tostring(node, with_tail=False)
        if block in seen:
            raise InputError(
                f"{path}:{node.sourceline}: this <{etree.QName(node).localname}> repeats the one at line {seen[block]} "
                f"({name} '{node.get(name)}'), so its sentences would come twice; remove the copy"
            )
        seen[block] = node.sourceline
