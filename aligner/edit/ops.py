"""The editor's operations on a whole document: one function per kind, each returning the new
document, a line saying what was done (for the history) and what it touched (TEI pointers).

Link operations act on one pair's rows; afterwards every pair derived through a pivot is made
again from the pairs it comes from (`pairs.reconcile`), so the three versions agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from aligner.build import naming_too_long
from aligner.corpus.model import Document, Link, ParallelText, Sentence
from aligner.corpus.tei import version_file
from aligner.corpus.triangle import first_at, positions, show_link
from aligner.edit import links as L
from aligner.edit import sentences as S
from aligner.edit.journal import trimmed
from aligner.edit.links import Links
from aligner.edit.pairs import EngineFor, pair_links, realign, reconcile, stored, with_links
from aligner.errors import EditError

LINK_OPS = ("merge", "split", "shift", "detach", "attach", "confirm", "unconfirm", "realign")
SENTENCE_OPS = ("split-sentence", "join", "correct")


@dataclass(frozen=True)
class Result:
    """An edited document, what was done in words, and the TEI pointers it touched."""

    text: ParallelText
    what: str
    target: tuple[str, ...]


def link_edit(
    text: ParallelText, pair: tuple[str, str], op: str, n: int, engine_for: EngineFor,
    direction: L.Direction = "down", side: L.Side = "tgt", at: tuple[int, int] = (0, 0),
    which: Literal["first", "last"] = "last",
) -> Result:  # fmt: skip
    """Apply link operation `op` to row `n` of `pair`, then keep derived pairs consistent."""
    a, b = pair
    engine_for = _naming(text, engine_for)  # a link edit leaves the versions as they are
    rows = pair_links(text, a, b)
    if op == "merge":
        new, what = L.merge(rows, n, direction), f"merged link {n} with the link {'below' if direction == 'down' else 'above'}"
    elif op == "attach":
        new, what = L.attach(rows, n, direction), f"attached omission {n} to the link {'below' if direction == 'down' else 'above'}"
    elif op == "split":
        new, what = L.split(rows, n, *at), f"split link {n} after {at[0]} {a} and {at[1]} {b} sentences"
    elif op == "shift":
        new, what = L.shift(rows, n, direction, side), f"shifted the {'first' if direction == 'up' else 'last'} {a if side == 'src' else b} sentence of link {n} {direction}"
    elif op == "detach":
        new, what = L.detach(rows, n, side, which), f"detached the {which} {a if side == 'src' else b} sentence of link {n} as an omission"
    elif op == "confirm":
        new, what = L.confirm(rows, n), f"confirmed link {n}"
    elif op == "unconfirm":
        new, what = L.unconfirm(rows, n), f"unconfirmed link {n}"
    elif op == "realign":
        new, what = realign(text, a, b, n, engine_for), f"re-aligned the unconfirmed links around link {n}"
    else:
        raise EditError(f"unknown operation '{op}'; choose one of {', '.join(LINK_OPS)}")
    group = stored(text, a, b)
    what += _now(rows, new)
    text = reconcile(with_links(text, a, b, new), [pair], engine_for, text)
    return Result(text, f"{group.src_lang}–{group.tgt_lang}: {what}", (f"#{group.src_lang}--{group.tgt_lang}",))


_NAMED = 5  # links an edit made that its history line names by their sentences


def _now(rows: Links, new: Links) -> str:
    """The links an edit made, by their sentences, for its history line (`link 3` names another
    link once rows move): ": now [en.p2.s1 en.p2.s2 | zh-Hans.p2.s1]"; nothing when none changed."""
    was = set(rows)
    made = [lk for lk in new if lk not in was]
    if not made:
        return ""
    more = f" and {len(made) - _NAMED} more" if len(made) > _NAMED else ""
    return ": now " + ", ".join(show_link(lk) for lk in made[:_NAMED]) + more


def sentence_edit(
    text: ParallelText, lang: str, op: str, sid: str, engine_for: EngineFor, at: int = 0, new_text: str = "",
) -> Result:  # fmt: skip
    """Apply sentence operation `op` to sentence `sid` of version `lang`, then keep pairs consistent."""
    target = [f"{version_file(lang)}#{sid}"]
    before = text
    if op == "split-sentence":
        text, nid = S.split_sentence(text, lang, sid, at)
        target.append(f"{version_file(lang)}#{nid}")
        what = f"split {lang} sentence {sid} at character {at}; the second part is {nid}"
    elif op == "join":
        what = f"joined {lang} sentence {sid} with the next one"
        text = S.join_sentences(text, lang, sid)
    elif op == "correct":
        text = S.correct_text(text, lang, sid, new_text)
        was, now = (t.versions[lang].sentence_index()[sid].text for t in (before, text))
        what = f"corrected the text of {lang} sentence {sid}" + (f": “{was}” → “{now}”" if now != was else "")  # its wording is in no other record
    else:
        raise EditError(f"unknown operation '{op}'; choose one of {', '.join(SENTENCE_OPS)}")
    pairs = [al.pair for al in text.alignments if lang in al.pair and op != "correct"]  # a correction moves no link
    text = reconcile(text, pairs, _naming(text, engine_for), before)
    return Result(text, what, tuple(target))


def _naming(text: ParallelText, engine_for: EngineFor) -> EngineFor:
    """`engine_for` whose engines name a sentence of `text` too long to align (an imported text not
    split into sentences) by its id, with the split that fixes it (`naming_too_long`)."""
    return lambda a, b: naming_too_long(engine_for(a, b), (text.versions[a], text.versions[b]), _too_long)


def _too_long(doc: Document, sent: Sentence) -> EditError:
    """The error naming sentence `sent` of version `doc`, too long to align, and the split that fixes it."""
    return EditError(f"{doc.doc_id}: {doc.lang} sentence {sent.id} has {len(sent.text)} characters, too long to align (its text was not "
                     f"split into sentences); split it first: aligner edit {doc.doc_id} split-sentence {sent.id} AT")


def changed_rows(before: ParallelText, after: ParallelText, pair: tuple[str, str]) -> list[tuple[int, Link]]:
    """The rows of `pair` that an edit made or changed (`changed_span`), numbered as in `after`."""
    new = pair_links(after, *pair)
    start, _, end = changed_span(before, after, pair)
    return [(n, new[n]) for n in range(start, end)]


def retexted(before: ParallelText, after: ParallelText, lang: str) -> set[str]:
    """The sentences of version `lang` whose text an edit changed or made (a correction, a split,
    a join, or the undo of one); found in the paragraphs it replaced (it keeps the others as they were)."""
    old, new = before.versions[lang], after.versions[lang]
    if old is new:
        return set()
    at, old_end, new_end = trimmed(old.paragraphs, new.paragraphs)
    was = {(s.id, s.text) for para in old.paragraphs[at:old_end] for s in para.sentences}
    return {s.id for para in new.paragraphs[at:new_end] for s in para.sentences if (s.id, s.text) not in was}


def row_of(links: Links, side: int, doc: Document, sid: str) -> int:
    """The row of a pair holding sentence `sid` of `doc` on `side` (0 source, 1 target): found by
    bisection, rows being in reading order, else by a pass over them all."""
    where = positions(doc)[0]
    k = max(first_at(links, side, where, where[sid]) - 1, 0)
    while k < len(links) and sid not in (links[k].src, links[k].tgt)[side]:
        k += 1
    return k if k < len(links) else next(n for n, lk in enumerate(links) if sid in (lk.src, lk.tgt)[side])


def changed_span(before: ParallelText, after: ParallelText, pair: tuple[str, str]) -> tuple[int, int, int]:
    """(start, old end, new end) of the rows of a pair an edit changed: the links it changed and
    every row holding a sentence whose text it changed (a correction changes no link, but the
    page must show the new text, or the next correction of the sentence would send the old one)."""
    old, new = pair_links(before, *pair), pair_links(after, *pair)
    start, old_end, new_end = trimmed(old, new)
    spans = [(start, new_end)] if new_end > start or old_end > start else []
    held = [row_of(new, side, after.versions[lang], sid) for side, lang in enumerate(pair) for sid in retexted(before, after, lang)]
    spans += [(k, k + 1) for k in held]
    if not spans:
        return start, old_end, new_end
    lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
    return lo, hi - (new_end - old_end), hi  # rows after the changed links moved by what they gained

