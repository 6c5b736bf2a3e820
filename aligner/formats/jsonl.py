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


def write(batch: Batch, out: Path) -> dict[Path, bytes]:
    """One line per unit."""
    return {out: "".join(json.dumps(unit_json(u), ensure_ascii=False) + "\n" for u in batch.units).encode()}
