"""JSON Lines: one object per unit with doc id, link id, sentence ids and texts per language,
each language's full tag (`"tags": {"zh-Hant": "zh-Hant-TW"}`), and the XLIFF notes and state
of a link that has them (`"notes": [{"text", "category", "about"}]`, `"state": {"value", "sub", "approved"}`)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from aligner.formats import Batch, Unit


def unit_json(unit: Unit) -> dict[str, object]:
    """A unit as a JSON object (keys in a fixed order)."""
    return {
        "doc_id": unit.doc_id,
        "link_id": unit.link_id,
        "type": unit.kind,
        "confidence": round(unit.confidence, 3),
        "resp": unit.resp,
        "ids": {lang: [s.id for s in sents] for lang, sents in unit.cells.items()},
        "text": {lang: unit.text(lang) for lang in unit.cells},
        "tags": {lang: unit.tag(lang) for lang in unit.cells},
        **({"notes": [asdict(n) for n in unit.notes]} if unit.notes else {}),
        **({"state": asdict(unit.state)} if unit.state else {}),
    }


# the line breaks of str.splitlines that json.dumps leaves raw (it escapes those below U+0020)
_BREAKS = str.maketrans({c: f"\\u{ord(c):04x}" for c in "\x85\u2028\u2029"})


def write(batch: Batch, out: Path) -> dict[Path, bytes]:
    """One line per unit; NEL, U+2028 and U+2029 in a text escaped (`_BREAKS`), so that a reader
    splitting lines at them too (Python's splitlines) reads one line a unit."""
    return {out: "".join(json.dumps(unit_json(u), ensure_ascii=False).translate(_BREAKS) + "\n" for u in batch.units).encode()}
