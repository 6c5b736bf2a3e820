"""Undo and redo: each edit as a patch (what it replaced in each link group and version), kept in
`journal.json` beside the document's TEI files so that undo survives a restart.

A patch holds, for each link group and each version that changed, the slice that differs (old and
new links or paragraphs): small even on a 30k-row document, and it applies both ways.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from aligner.corpus.model import Link, Note, Paragraph, ParallelText, Sentence, State
from aligner.errors import EditError

JOURNAL_FILE = "journal.json"
LIMIT = 200  # steps kept for undo (at least 100 promised)

T = TypeVar("T")
Json = dict[str, Any]


def trimmed(old: Sequence[T], new: Sequence[T]) -> tuple[int, int, int]:
    """(start, old end, new end) of the slice where two sequences differ, common ends left out.
    Found by bisection over slices compared in C: an edit keeps the objects it leaves alone, so
    comparing a 30k-link prefix is a pass over pointers."""
    limit = min(len(old), len(new))
    lo, hi = 0, limit  # old[:lo] == new[:lo]; the first difference is at hi or before
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if old[lo:mid] == new[lo:mid] else (lo, mid - 1)
    start = lo
    lo, hi = 0, limit - start  # the last lo items of both are equal
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if old[len(old) - mid : len(old) - lo] == new[len(new) - mid : len(new) - lo] else (lo, mid - 1)
    return start, len(old) - lo, len(new) - lo


def _link(lk: Link) -> list[Any]:
    """A link as JSON: ids, confidence, maker, then its XLIFF notes and state when it has them."""
    said = [[[n.text, n.category, n.about] for n in lk.notes], [lk.state.value, lk.state.sub, lk.state.approved] if lk.state else None]
    return [list(lk.src), list(lk.tgt), lk.confidence, lk.resp, *(said if lk.notes or lk.state else [])]


def _unlink(data: list[Any]) -> Link:
    notes, state = data[4:6] if len(data) > 4 else ([], None)  # a journal written before notes has four items
    return Link(tuple(data[0]), tuple(data[1]), float(data[2]), "person" if data[3] == "person" else "machine",
                tuple(Note(*n) for n in notes), State(*state) if state else None)


def _para(p: Paragraph) -> list[Any]:
    return [p.id, p.kind, [[s.id, s.text] for s in p.sentences]]


def _unpara(data: list[Any]) -> Paragraph:
    return Paragraph(data[0], tuple(Sentence(i, t) for i, t in data[2]), "head" if data[1] == "head" else "p")


def diff(before: ParallelText, after: ParallelText) -> Json:
    """The patch that turns `before` into `after` (same pairs and versions)."""
    links = []
    for old, new in zip(before.alignments, after.alignments, strict=True):
        if old is not new and old != new:
            at, old_end, new_end = trimmed(old.links, new.links)
            links.append({"pair": list(old.pair), "at": at, "old": [_link(x) for x in old.links[at:old_end]],
                          "new": [_link(x) for x in new.links[at:new_end]], "signature": [old.signature, new.signature]})
    versions = []
    for lang, doc in before.versions.items():
        new_doc = after.versions[lang]
        if doc is not new_doc and doc.paragraphs != new_doc.paragraphs:
            at, old_end, new_end = trimmed(doc.paragraphs, new_doc.paragraphs)
            versions.append({"lang": lang, "at": at, "old": [_para(p) for p in doc.paragraphs[at:old_end]],
                             "new": [_para(p) for p in new_doc.paragraphs[at:new_end]]})
    return {"links": links, "versions": versions}


def apply(text: ParallelText, patch: Json, forward: bool = True) -> ParallelText:
    """The document with a patch applied (`forward`) or taken back."""
    take, put = ("old", "new") if forward else ("new", "old")
    alignments = list(text.alignments)
    for part in patch["links"]:
        k = next(k for k, al in enumerate(alignments) if list(al.pair) == part["pair"])
        links, at = alignments[k].links, part["at"]
        if [_link(x) for x in links[at : at + len(part[take])]] != part[take]:
            raise EditError(f"{text.doc_id}: the {'-'.join(part['pair'])} links are not as the journal left them; the undo history no longer applies")
        new_links = links[:at] + tuple(_unlink(x) for x in part[put]) + links[at + len(part[take]) :]
        alignments[k] = replace(alignments[k], links=new_links, signature=part["signature"][1 if forward else 0])
    versions = dict(text.versions)
    for part in patch["versions"]:
        doc, at = versions[part["lang"]], part["at"]
        paras = doc.paragraphs[:at] + tuple(_unpara(x) for x in part[put]) + doc.paragraphs[at + len(part[take]) :]
        versions[part["lang"]] = replace(doc, paragraphs=paras)
    return replace(text, alignments=tuple(alignments), versions=versions)


def read(folder: Path) -> Json:
    """The journal of a document folder (empty when there is none)."""
    path = folder / JOURNAL_FILE
    if not path.exists():
        return {"version": "", "position": 0, "steps": []}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise EditError(f"{path}: not a readable journal ({err}); delete it to start a new undo history") from None
    shaped = isinstance(data, dict) and isinstance(data.get("version"), str) and isinstance(data.get("position"), int)
    if not (shaped and isinstance(data.get("steps"), list)):
        raise EditError(f"{path}: not a journal (it lacks its version, position or steps); delete it to start a new undo history")
    return data  # type: ignore[no-any-return]
