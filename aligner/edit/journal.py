"""Undo and redo: each edit as a patch (what it replaced in each link group and version), kept in
`journal.json` beside the document's TEI files so that undo survives a restart.

A patch holds, for each link group and each version that changed, the slice that differs (old and
new links or paragraphs): small even on a 30k-row document, and it applies both ways.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import count, repeat
from pathlib import Path
from typing import Any, TypeVar

from aligner.corpus.model import Link, Note, Paragraph, ParallelText, Sentence, State
from aligner.corpus.tei import version_file
from aligner.corpus.triangle import positions
from aligner.errors import EditError

JOURNAL_FILE = "journal.json"
LIMIT = 200  # steps kept for undo (at least 100 promised)

T = TypeVar("T")
Json = dict[str, Any]


class Mismatch(EditError):
    """A patch that does not apply to the document: the document is not as the patch left it, or
    the patch names a link group, version or sentence it lacks (a journal damaged or edited by hand)."""


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
    """The document with a patch applied (`forward`) or taken back; `Mismatch` when the patch is
    not of the shape `diff` gives (`read` leaves an undo step's to be checked here) or the document
    is not as it expects (what it replaces must be there, and what it puts must name sentences the
    versions have), so that a damaged journal is refused before anything is written."""
    misfit = _misfit_said(patch, _PATCH, "patch")
    if misfit:
        raise Mismatch(misfit)
    take, put = ("old", "new") if forward else ("new", "old")
    alignments = list(text.alignments)
    for part in patch["links"]:
        k = next((k for k, al in enumerate(alignments) if list(al.pair) == part["pair"]), None)
        if k is None:
            raise Mismatch(f"{text.doc_id} has no {'-'.join(part['pair'])} links")
        links, at = alignments[k].links, part["at"]
        if at < 0 or [_link(x) for x in links[at : at + len(part[take])]] != part[take]:
            raise Mismatch(f"the {'-'.join(part['pair'])} links at {at} are not as it left them")
        new_links = links[:at] + tuple(_unlink(x) for x in part[put]) + links[at + len(part[take]) :]
        alignments[k] = replace(alignments[k], links=new_links, signature=part["signature"][1 if forward else 0])
    versions = dict(text.versions)
    for part in patch["versions"]:
        doc, at = versions.get(part["lang"]), part["at"]
        if doc is None:
            raise Mismatch(f"{text.doc_id} has no {part['lang']} version")
        if at < 0 or [_para(p) for p in doc.paragraphs[at : at + len(part[take])]] != part[take]:
            raise Mismatch(f"the {version_file(part['lang'])} paragraphs at {at} are not as it left them")
        paras = doc.paragraphs[:at] + tuple(_unpara(x) for x in part[put]) + doc.paragraphs[at + len(part[take]) :]
        versions[part["lang"]] = replace(doc, paragraphs=paras)
    out = replace(text, alignments=tuple(alignments), versions=versions)
    missing = next(_dangling(out, patch, take, put), None)
    if missing:
        raise Mismatch(missing)
    return out


def _dangling(text: ParallelText, patch: Json, take: str, put: str) -> Iterator[str]:
    """Each link a patch left pointing at a sentence its version lacks (said in words): the links
    it put, and, where it took sentences away, every link of their version. Versions the document
    was read without (`load_links`) are not checked."""
    for part in patch["links"]:
        for lang, side in zip(part["pair"], (0, 1), strict=True):
            doc = text.versions.get(lang)
            ids = positions(doc)[0] if doc is not None else None
            yield from (f"a link names sentence '{x}', which {version_file(lang)} does not have"
                        for data in part[put] for x in data[side] if ids is not None and x not in ids)
    for part in patch["versions"]:
        gone = {sid for p in part[take] for sid, _ in p[2]} - {sid for p in part[put] for sid, _ in p[2]}
        yield from (f"a link holds sentence '{x}', which it took out of {version_file(part['lang'])}"
                    for al in text.alignments if gone and part["lang"] in al.pair for lk in al.links for x in (*lk.src, *lk.tgt) if x in gone)


def unreadable(path: Path, reason: str) -> EditError:
    """The refusal of a journal that cannot be used, as one line: what is wrong and the fix (the
    TEI files keep every edit written to them; the journal only adds the undo history)."""
    return EditError(f"{path}: not a readable journal ({reason}); delete it to start a new undo history — "
                     "the TEI files keep every edit written to them")


def read(folder: Path) -> Json:
    """The journal of a document folder (empty when there is none), its shape and types checked
    (`JOURNAL`, `_inconsistency`) but for the patches of its undo steps, which `apply` checks when
    a step is used (a web editor reads the journal after each background write, and 200 large
    patches took twice as long to check as to parse): a damaged one is refused in one line, never
    half used."""
    path = folder / JOURNAL_FILE
    if not path.exists():
        return {"version": "", "position": 0, "steps": []}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise unreadable(path, str(err)) from None
    wrong = _misfit_said(data, JOURNAL, "journal") or _inconsistency(data)
    if wrong:
        raise unreadable(path, wrong)
    return data  # type: ignore[no-any-return]


def check_steps(folder: Path, log: Json) -> None:
    """Refuse, as `read` does, a journal (`log`, read from `folder`) with an undo step of another
    shape than `diff` gives, whichever step it is: the command line checks every step before an
    edit, an undo or the history (`read` leaves each to `apply`, when it is used)."""
    wrong = _misfit_said(log["steps"], [_STEP], "journal.steps")
    if wrong:
        raise unreadable(folder / JOURNAL_FILE, wrong)


@dataclass(frozen=True)
class _OneOf:
    """A shape (see `_misfit`): a JSON value of any of these shapes, called `name` in a refusal."""

    name: str
    shapes: tuple[Any, ...]


@dataclass(frozen=True)
class _MapOf:
    """A shape (see `_misfit`): a JSON object of any keys, each value of this shape."""

    shape: Any


_IDS = [str]
_STATE = _OneOf("a link's state or null", (None, (str, str, str)))
_LINK = _OneOf("a link", ((_IDS, _IDS, float, str), (_IDS, _IDS, float, str, [(str, str, str)], _STATE)))  # `_link`
_PARA = (str, str, [(str, str)])  # `_para`
_PATCH = {"links": [{"pair": (str, str), "at": int, "old": [_LINK], "new": [_LINK], "signature": (str, str)}],
          "versions": [{"lang": str, "at": int, "old": [_PARA], "new": [_PARA]}]}  # `diff`
_STEP = {"what": str, "target": [str], "patch": _PATCH}
JOURNAL = {  # what `files` keeps (see its docstring), a step's patch any object (`read`); an older journal lacks the keys marked '?'
    "version": str, "position": int, "steps": [{**_STEP, "patch": {}}],
    "pending?": [{"seq": int, "patch": _PATCH, "forward": bool, "change": (str, str, str, [str])}], "seq?": int,
    "files?": _MapOf(str), "stamps?": _MapOf((int, int, int)), "flushing?": {"upto": int, "files": _MapOf((str, str))},
}
_KINDS = {str: "a string", int: "a whole number", float: "a number", bool: "true or false"}


def _misfit(value: Any, shape: Any) -> tuple[str, list[str]] | None:
    """How a JSON value departs from a shape and where (the keys and indexes down to it, innermost
    first), or None when it fits. A shape is a type of `_KINDS`, None (null), [s] (a list of s),
    (s, …) (a list of exactly these), {key: s} (an object with these keys and maybe others; a key
    ending in '?' may be missing), `_OneOf` or `_MapOf`. Where is worked out only for a part that
    does not fit: 200 steps of large patches are checked in a few times the time they take to parse."""
    if isinstance(shape, type):
        fits = isinstance(value, bool) == (shape is bool) and isinstance(value, (int, float) if shape is float else shape)
        return None if fits else (f"is not {_KINDS[shape]}", [])
    if shape is None or isinstance(shape, _OneOf):
        fits = value is None if shape is None else any(_misfit(value, s) is None for s in shape.shapes)
        return None if fits else (f"is not {shape.name if shape else 'null'}", [])
    if isinstance(shape, list | tuple):
        if not isinstance(value, list) or (isinstance(shape, tuple) and len(value) != len(shape)):
            return "is not a list" + (f" of {len(shape)}" if isinstance(shape, tuple) else ""), []
        parts: Iterable[tuple[int | str, Any, Any]] = zip(count(), value, shape if isinstance(shape, tuple) else repeat(shape[0]), strict=False)
    elif not isinstance(value, dict):
        return "is not an object", []
    elif isinstance(shape, _MapOf):
        parts = ((f"[{key!r}]", item, shape.shape) for key, item in value.items())
    else:
        absent = next((key for key in shape if key not in value and not key.endswith("?")), None)
        if absent is not None:
            return f"has no {absent}", []
        parts = ((f".{key.rstrip('?')}", value[key.rstrip("?")], inner) for key, inner in shape.items() if key.rstrip("?") in value)
    for where, item, inner in parts:
        found = _misfit(item, inner)
        if found:
            found[1].append(where if isinstance(where, str) else f"[{where}]")  # a list's index made a name only here
            return found
    return None


def _misfit_said(value: Any, shape: Any, name: str) -> str | None:
    """How a JSON value named `name` departs from a shape (`_misfit`), in words: `journal.steps[0]
    has no patch`; None when it fits."""
    misfit = _misfit(value, shape)
    return f"{name}{''.join(reversed(misfit[1]))} {misfit[0]}" if misfit else None


def _inconsistency(data: Json) -> str | None:
    """What a journal of the right shape says that cannot be (None: nothing): a position outside
    its history, edit numbers out of order, a file name that is not a plain name in its folder."""
    seqs = [e["seq"] for e in data.get("pending", [])]
    names = [*data.get("files", {}), *data.get("stamps", {})]
    names += [x for name, (tmp, _digest) in data.get("flushing", {"files": {}})["files"].items() for x in (name, tmp)]
    if not 0 <= data["position"] <= len(data["steps"]):
        return f"journal.position {data['position']} is outside its {len(data['steps'])} undo steps"
    if seqs != sorted(set(seqs)) or any(seq > data.get("seq", 0) for seq in seqs):
        return "journal.pending: its edits are out of order or beyond journal.seq"
    bad = next((name for name in names if Path(name).name != name or name in ("", ".", "..")), None)
    return f"journal names the file {bad!r}, which is not a plain file name" if bad is not None else None
