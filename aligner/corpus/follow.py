"""How a build follows a person's work onto texts read again: each sentence id follows its text
(`followed`: a sentence edited only slightly, `same_sentence`, is still the one it was), the
versions a person edited stand (`keep_edited`), and the links of a person a build cannot keep are
told of (`DroppedLink`: in the report, the summary and the document's history, `dropped_history`)."""

from __future__ import annotations

import difflib
import logging
import shlex
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from aligner.corpus.links import person_links
from aligner.corpus.model import Change, Document, Link, ParallelText, Sentence

log = logging.getLogger(__name__)

BUILD_WHO = "aligner build"  # the name under which a build writes in a document's history


@dataclass(frozen=True)
class DroppedLink:
    """A link a person made that a build could not keep: its pair, its sentences (ids and texts,
    as the person linked them) and why."""

    pair: tuple[str, str]
    src: tuple[Sentence, ...]
    tgt: tuple[Sentence, ...]
    why: str

    def shown(self) -> str:
        """The link as the warning and the summary show it: `en.p2.s2 | zh-Hans.p2.s2`."""
        return " | ".join(" ".join(s.id for s in side) or "-" for side in (self.src, self.tgt))

    def as_json(self) -> dict[str, object]:
        return {
            "pair": "-".join(self.pair),
            "src": [s.id for s in self.src], "tgt": [s.id for s in self.tgt],
            "src_text": [s.text for s in self.src], "tgt_text": [s.text for s in self.tgt],
            "why": self.why,
        }  # fmt: skip


def keep_edited(versions: dict[str, Document], previous: ParallelText | None) -> tuple[dict[str, Document], list[InputChanged]]:
    """The ingested versions, except those whose sentences a person edited (`aligner edit`: split,
    joined or corrected): their stored text and segmentation stand, the input is not read again,
    nor missed when it is gone (a person's work is never lost). The warning says when the input
    changed beyond the person's edits, how, and how to take it (`InputChanged`, returned too, for
    `build --json`): it is not silently frozen."""
    if previous is None:
        return versions, []
    edited = edited_sentences(previous)
    inputs: list[InputChanged] = []
    for lang in sorted(edited.keys() & set(previous.versions)):
        if lang in versions:
            changed = input_changed(versions[lang], previous.versions[lang], edited[lang])
            inputs += [changed] if changed else []
            log.warning("%s: %s sentences were edited by hand; keeping them rather than the input file's%s",
                        previous.doc_id, lang, f"; {changed.shown()}" if changed else "")
        else:
            log.warning("%s: %s has no input file any more, but its sentences were edited by hand: it stays; put its"
                        " file back in the seeds, or remove the document's folder to build it from the inputs alone",
                        previous.doc_id, lang)
        versions[lang] = previous.versions[lang]
    return versions, inputs


def edited_sentences(text: ParallelText) -> dict[str, set[str] | None]:
    """The versions a person's standing changes edited → the ids of the sentences they name
    (`en.xml#en.p1.s2`); None for a change naming the whole version (`fr.xml`: an import added it
    or removed sentences)."""
    edited: dict[str, set[str] | None] = {}
    for target in (t for c in standing(text.changes) for t in c.target if not t.startswith("#")):
        file, _, sid = target.partition("#")
        lang = file.removesuffix(".xml")
        ids = edited.get(lang, set())
        edited[lang] = None if ids is None or not sid else ids | {sid}
    return edited


@dataclass(frozen=True)
class InputChanged:
    """A version kept as a person edited it whose input now differs from it beyond those edits:
    how many sentences differ, and the first difference (the kept sentences, the input's, and the
    kept sentence before them)."""

    doc_id: str
    source: str  # the input file, as the version's header names it
    differ: int
    kept: tuple[Sentence, ...]
    read: tuple[Sentence, ...]
    after: str

    def as_json(self) -> dict[str, object]:
        """The difference and the fix, for `build --json`."""
        return {"source": self.source, "differ": self.differ, "kept": [{"id": s.id, "text": s.text} for s in self.kept],
                "input": [s.text for s in self.read], "after": self.after or None, "said": self.shown()}

    def shown(self) -> str:
        """The difference and the fix, for the build's warning."""
        where = self.kept[0].id if self.kept else f"after {self.after}" if self.after else "at the start"
        here, there = (" ".join(s.text for s in side) for side in (self.kept, self.read))
        at = next((k for k, (x, y) in enumerate(zip(here, there, strict=False)) if x != y), min(len(here), len(there)))
        fix = f"aligner edit {self.doc_id} correct {self.kept[0].id} {shlex.quote(there)}" \
            if len(self.kept) == len(self.read) == 1 else f"aligner edit {self.doc_id} split-sentence, join or correct"
        return (f"but the input file {self.source} has changed since: {self.differ} sentence{'s differ' if self.differ > 1 else ' differs'}"
                f" beyond those edits (the first, {where}: {_around(here, at)} here, {_around(there, at)} in the input); to take it, "
                f"make the same change here ({fix}), or remove the document's folder to build it from the inputs alone (losing "
                "the edits by hand and the links a person made)")


def _around(text: str, at: int) -> str:
    """A text for a message: 40 characters from a little before character `at` (where two texts
    part); "nothing" for none."""
    start = max(at - 12, 0)
    part = text[start : start + 40]
    return f"“{'…' * (start > 0)}{part}{'…' * (start + 40 < len(text))}”" if text else "nothing"


def input_changed(read: Document, kept: Document, edited: set[str] | None) -> InputChanged | None:
    """How the input read now differs from the version kept beyond the sentences a person edited
    (`edited`; None: the whole version); None when it does not. Where the texts differ, a
    stretch holding only edited sentences of the kept version is the person's edit (a correction,
    a split, a join); any other is a change of the input."""
    ours, theirs = list(kept.sentences()), list(read.sentences())
    if edited is None or [s.text for s in ours] == [s.text for s in theirs]:
        return None
    matcher = difflib.SequenceMatcher(None, [s.text for s in ours], [s.text for s in theirs], autojunk=False)
    stretches = [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
                 if tag != "equal" and not (i2 > i1 and all(s.id in edited for s in ours[i1:i2]))]
    if not stretches:
        return None
    i1, i2, j1, j2 = stretches[0]
    return InputChanged(kept.doc_id, read.meta.source or f"of {read.lang}", sum(max(i2 - i1, j2 - j1) for i1, i2, j1, j2 in stretches),
                        tuple(ours[i1:i2]), tuple(theirs[j1:j2]), ours[i1 - 1].id if i1 else "")


def standing(changes: Iterable[Change]) -> list[Change]:
    """The changes people made that stand, oldest first: an undo takes back the latest standing
    one, a redo brings back the latest taken back (an edit undone leaves the version as read)."""
    kept: list[Change] = []
    taken: list[Change] = []
    for change in changes:
        if change.who == BUILD_WHO:  # a build's record (`dropped_history`), no edit to take back
            continue
        if change.what.startswith("undid: "):
            taken += kept[-1:]
            del kept[-1:]
        elif change.what.startswith("redid: "):
            kept += taken[-1:]
            del taken[-1:]
        else:
            kept.append(change)
            taken.clear()
    return kept


def followed(previous: ParallelText, versions: dict[str, Document]) -> tuple[ParallelText, list[DroppedLink]]:
    """The previous build's links moved onto the versions read now. Sentence ids are positions, so
    after a sentence was added or removed in an input file an id may name another sentence: each
    id follows its sentence's text (the longest common run of texts, as `diff` finds it; a sentence
    edited only slightly, `same_sentence`, is still the one it was). A link made by a person whose
    sentences are gone or rewritten is dropped, with a warning, never left on other sentences, and
    returned (for the report and the document's history: `dropped_history`). A version no longer
    among the inputs goes, with a warning."""
    moved = {lang: ids_moved(previous.versions[lang], doc) for lang, doc in versions.items() if lang in previous.versions}
    for lang in sorted(set(previous.versions) - set(versions)):
        log.warning("%s: %s is no longer among the inputs; its version and links leave the corpus", previous.doc_id, lang)
    alignments, dropped = [], []
    for al in previous.alignments:
        src, tgt = moved.get(al.src_lang, {}), moved.get(al.tgt_lang, {})
        links = []
        for lk in al.links:
            if all(x in src for x in lk.src) and all(x in tgt for x in lk.tgt):
                links.append(replace(lk, src=tuple(src[x] for x in lk.src), tgt=tuple(tgt[x] for x in lk.tgt)))
            elif lk.resp == "person":
                gone = al.src_lang if al.src_lang not in versions else al.tgt_lang if al.tgt_lang not in versions else ""
                why = f"{gone} is no longer among the inputs" if gone else "its sentences changed in the input files (rewritten, split, joined or removed)"
                dropped.append(dropped_link(previous, al.pair, lk, why))
                log.warning("%s: a link made by a person (%s) is dropped: %s; review the alignment", previous.doc_id, dropped[-1].shown(), why)
        alignments.append(replace(al, links=tuple(links)))
    return replace(previous, alignments=tuple(alignments)), dropped


def lost(previous: ParallelText | None, text: ParallelText, derived: Iterable[tuple[str, str, str]]) -> list[DroppedLink]:
    """The person's links of `previous` (moved onto the sentences read now: `followed`) that
    aligning `text` did not keep: in a pair aligned directly, one that crosses or overlaps another
    a person made (`align_keeping_person_links` keeps the first; warned of here); in a pair derived
    through a pivot (`derived`: a, pivot, b, as `build.alignment_plan` gives them), one that
    contradicts the two pairs it comes from (`build._derived` warns of it)."""
    if previous is None:
        return []
    pivots = {frozenset((a, b)): pivot for a, pivot, b in derived}
    dropped = []
    for al in previous.alignments:
        now = text.alignment(*al.pair)
        kept = {(lk.src, lk.tgt) for lk in person_links(now)}
        for lk in person_links(al) if now else ():
            if (lk.src, lk.tgt) in kept:
                continue
            pivot = pivots.get(frozenset(al.pair))
            why = f"it contradicts the links through {pivot}" if pivot else "it crosses or overlaps another link a person made"
            dropped.append(dropped_link(text, al.pair, lk, why))
            if not pivot:
                log.warning("%s: a link made by a person (%s) is dropped: %s; review the alignment", text.doc_id, dropped[-1].shown(), why)
    return dropped


def dropped_link(text: ParallelText, pair: tuple[str, str], lk: Link, why: str) -> DroppedLink:
    """A person's link of `text` as the report and the history tell of it: its sentences with their texts."""
    sides = []
    for lang, ids in zip(pair, (lk.src, lk.tgt), strict=True):
        index = text.versions[lang].sentence_index() if lang in text.versions else {}
        sides.append(tuple(index.get(x, Sentence(x, "")) for x in ids))
    return DroppedLink(pair, sides[0], sides[1], why)


def dropped_history(dropped: Sequence[DroppedLink]) -> tuple[Change, ...]:
    """A history line for each link of a person a build dropped, as `aligner edit DOC history`
    shows it, under BUILD_WHO. It names the pair's link group, never a version (`keep_edited`
    would take a version named for one a person edited)."""
    from aligner.edit.session import history_line

    def quoted(side: tuple[Sentence, ...]) -> str:
        text = " ".join(s.text for s in side)
        return f"“{text[:60]}…”" if len(text) > 61 else f"“{text}”"

    return tuple(
        history_line(BUILD_WHO, f"{a}–{b}: dropped a link a person made, {lk.shown()} ({quoted(lk.src)} | {quoted(lk.tgt)}): {lk.why}",
                     (f"#{a}--{b}",))
        for lk in dropped for a, b in [lk.pair]
    )  # fmt: skip


def ids_moved(old: Document, new: Document) -> dict[str, str]:
    """Each sentence id of `old` whose text is in `new` at the matching place → its id there; in
    a stretch of sentences that changed between two that did not, a sentence edited only slightly
    (`same_sentence`) → the id of what it became."""
    before, after = list(old.sentences()), list(new.sentences())
    if [(s.id, s.text) for s in before] == [(s.id, s.text) for s in after]:
        return {s.id: s.id for s in before}
    texts = [s.text for s in before], [s.text for s in after]
    moved: dict[str, str] = {}
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, *texts, autojunk=False).get_opcodes():
        if tag == "equal":
            moved |= {before[i1 + k].id: after[j1 + k].id for k in range(i2 - i1)}
        elif tag == "replace":
            moved |= {before[i1 + i].id: after[j1 + j].id for i, j in _edited(texts[0][i1:i2], texts[1][j1:j2])}
    return moved


# A link a person made stays on a sentence an input file changed only slightly: the same text once
# case, spaces and punctuation are set aside (a comma added), or one character (a letter, a 字)
# added, dropped or replaced in a text still half alike (a typo, in a title too), or a character
# similarity (`difflib` ratio of the texts so reduced) of SAME_SENTENCE or more: about a tenth
# changed. Measured on the seed article (54 sentences a version, en, zh-Hans, zh-Hant): two
# different sentences are at most 0.53 alike, a sentence with its second half rewritten 0.45–0.77,
# a paraphrase 0.39–0.52; one word replaced 0.82–0.98 (median 0.94; 80 % kept), a clause added
# 0.71–0.95 (median 0.86–0.89; 25–45 % kept); one letter or 字 replaced 0.91–0.99, an added comma 1.
SAME_SENTENCE = 0.9
_BAND = 8  # how far from its place, counted from either end of a changed stretch, an edited sentence is looked for


def bare(text: str) -> str:
    """A sentence's text as edits are compared: NFKC, case folded, without spaces, punctuation or
    invisible characters."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if unicodedata.category(ch)[0] not in "PZC")


def _alike(x: str, y: str) -> float:
    """How alike two texts already `bare` are as one sentence edited: 1.0 when they are equal (so
    differ only in case, spaces or punctuation), else their character similarity, 0 when not the
    same sentence (see SAME_SENTENCE). The cheap upper bounds of difflib's ratio turn most
    pairs down before the ratio itself is worked out."""
    if x == y:
        return 1.0
    total = len(x) + len(y)
    matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
    for bound in (matcher.real_quick_ratio, matcher.quick_ratio):
        ratio = bound()
        if ratio < SAME_SENTENCE and not (ratio >= 0.5 and total - round(ratio * total) <= 2):
            return 0.0
    apart = total - 2 * sum(size for *_, size in matcher.get_matching_blocks())  # characters added or dropped
    ratio = 1 - apart / total
    return ratio if ratio >= SAME_SENTENCE or (apart <= 2 and ratio >= 0.5) else 0.0


def same_sentence(a: str, b: str) -> bool:
    """Whether `b` is `a` edited only slightly (a typo fixed, a comma added): see SAME_SENTENCE."""
    return _alike(bare(a), bare(b)) > 0


def _edited(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """In a stretch of sentences that changed (`old` became `new`), the pairs (i, j), in order,
    of an old sentence and what it was edited into (`_alike`): of the chains of such pairs that
    keep the order, the most alike. A sentence is looked for within _BAND places of its own,
    counted from either end of the stretch, so a long stretch costs its length, not its square."""
    n, m = len(old), len(new)
    xs, ys = [bare(t) for t in old], [bare(t) for t in new]
    rows: dict[int, list[tuple[int, float]]] = {}
    for i in range(n):
        for j in sorted({j for d in (0, m - n) for j in range(max(i + d - _BAND, 0), min(i + d + _BAND + 1, m))}):
            if score := _alike(xs[i], ys[j]):
                rows.setdefault(i, []).append((j, score))
    Chain = tuple[float, tuple[int, int] | None]  # how alike a chain is in all, and its last pair
    tree: list[Chain] = [(0.0, None)] * (m + 1)  # a Fenwick tree: the best chain ending at a column ≤ j

    def best_before(j: int) -> Chain:
        found, k = tree[0], j
        while k > 0:
            found, k = max(found, tree[k], key=lambda chain: chain[0]), k - (k & -k)
        return found

    def put(j: int, chain: Chain) -> None:
        k = j + 1
        while k <= m:
            tree[k], k = max(tree[k], chain, key=lambda c: c[0]), k + (k & -k)

    back: dict[tuple[int, int], tuple[int, int] | None] = {}
    for i, cells in sorted(rows.items()):
        chains = [(j, best_before(j), score) for j, score in cells]  # all of a row first: one pair a row
        for j, (total, last), score in chains:
            back[(i, j)] = last
            put(j, (total + score, (i, j)))
    pairs, pair = [], best_before(m)[1]
    while pair is not None:
        pairs.append(pair)
        pair = back[pair]
    return pairs[::-1]
