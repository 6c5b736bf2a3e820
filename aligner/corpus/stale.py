"""The documents of a corpus that no seed names any more (their seeds removed or renamed): what
in each is a person's work, the document it looks renamed to, and `--prune`'s removal of those
that hold nothing of a person's."""

from __future__ import annotations

import logging
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from aligner.corpus.follow import bare, ids_moved
from aligner.corpus.links import person_links
from aligner.corpus.model import ParallelText
from aligner.corpus.store import doc_ids, load, load_links, locked, writing
from aligner.edit.journal import JOURNAL_FILE
from aligner.errors import AlignerError

log = logging.getLogger(__name__)

RENAMED = 0.9  # the share of two documents' sentences that pair off (`ids_moved`) for one to look renamed to the other


@dataclass(frozen=True)
class StaleDocument:
    """A document of the corpus that no seed names any more (removed or renamed), left in place."""

    doc_id: str
    folder: Path
    keeps: str  # what in it `--prune` will not remove (a person's work), "" when nothing
    renamed_to: str = ""  # the document built now from texts that are (almost) its own

    @property
    def fix(self) -> str:
        """What the summary says of it, with what to do."""
        if not self.keeps:
            holds = "no person's work in it: --prune removes it"
            if self.renamed_to:
                return f"looks renamed to {self.renamed_to} (its texts are those of {self.renamed_to}; {holds}): remove {self.folder}"
            return f"no seed any more, but still in the corpus ({holds}): remove {self.folder}, or put its seeds back ({self.doc_id}.LANG.txt)"
        if self.renamed_to:
            return (
                f"looks renamed to {self.renamed_to} (its texts are those of {self.renamed_to}, which was built without"
                f" what {self.doc_id} holds: {self.keeps}): to keep that, name the seeds {self.doc_id}.* again and"
                f" remove {self.folder.with_name(self.renamed_to)}; else remove {self.folder}"
            )  # fmt: skip
        return f"no seed any more, but still in the corpus, with {self.keeps}: remove {self.folder}, or put its seeds back ({self.doc_id}.LANG.txt)"

    def as_json(self) -> dict[str, object]:
        return {
            "doc_id": self.doc_id, "folder": str(self.folder), "keeps": self.keeps, "prunable": not self.keeps,
            "renamed_to": self.renamed_to or None, "fix": self.fix,
        }  # fmt: skip


def stale_documents(corpus: Path, seeded: Iterable[str], new: Iterable[str]) -> list[StaleDocument]:
    """The documents of the corpus a build made (their `align.xml` has its fingerprint; one that
    `aligner import` wrote has none) that no seed names any more, left in place, each with what in
    it is a person's (`_keeps`) and, when its texts are (almost) those of a document `new` in
    this build, that one's id (`_renamed_to`)."""
    seeded = set(seeded)
    stale = []
    for doc_id in doc_ids(corpus):
        if doc_id in seeded:
            continue
        try:
            links = load_links(corpus, doc_id)
        except AlignerError:
            stale.append(StaleDocument(doc_id, corpus / doc_id, "an align.xml that cannot be read"))
            continue
        if links.fingerprint:
            stale.append(StaleDocument(doc_id, corpus / doc_id, _keeps(corpus / doc_id, links)))
    return _renamed_to(corpus, stale, sorted(new)) if stale else stale


def _keeps(folder: Path, links: ParallelText) -> str:
    """What of a person's a document folder holds, in a few words ("" when nothing): links a person
    made, lines of history (edits; a build's record of links it dropped), a journal of edits."""
    if folder.is_symlink():
        return "a symbolic link for its folder"
    mine = sum(len(person_links(al)) for al in links.alignments)
    held = [
        f"{mine} link{'s' * (mine != 1)} made by a person" if mine else "",
        f"{len(links.changes)} line{'s' * (len(links.changes) != 1)} of history" if links.changes else "",
        "a journal of edits" if (folder / JOURNAL_FILE).exists() else "",
    ]  # fmt: skip
    return f"a person's work ({', '.join(h for h in held if h)})" if any(held) else ""


def _renamed_to(corpus: Path, stale: list[StaleDocument], new: list[str]) -> list[StaleDocument]:
    """`stale` with each document whose texts are (almost) those of one of `new` marked as renamed
    to it: RENAMED of the sentences of the two pair off, the same or edited only slightly."""
    loaded: dict[str, ParallelText | None] = {}

    def text_of(doc_id: str) -> ParallelText | None:
        if doc_id not in loaded:
            try:
                loaded[doc_id] = load(corpus, doc_id)
            except AlignerError:  # a document that cannot be read is no one's new name
                loaded[doc_id] = None
        return loaded[doc_id]

    marked = []
    for doc in stale:
        old = text_of(doc.doc_id) if new else None
        shares = [(share, d) for d in new if old and (now := text_of(d)) and (share := _shared(old, now)) >= RENAMED]
        marked.append(replace(doc, renamed_to=max(shares)[1]) if shares else doc)
    return marked


def _shared(old: ParallelText, new: ParallelText) -> float:
    """The share of the sentences of two documents (of the larger) that pair off, version by
    version: the same text, or one edited only slightly (`ids_moved`)."""
    total = max(sum(1 for doc in text.versions.values() for _ in doc.sentences()) for text in (old, new))
    langs = sorted(set(old.versions) & set(new.versions))
    texts = [{(lang, bare(s.text)) for lang in langs for s in text.versions[lang].sentences()} for text in (old, new)]
    if not total or len(texts[0] & texts[1]) < total / 2:  # not half the same (`bare`): no need to look closer
        return 0.0
    return sum(len(ids_moved(old.versions[lang], new.versions[lang])) for lang in langs) / total


def prune_stale(stale: list[StaleDocument]) -> tuple[list[str], list[StaleDocument]]:
    """Remove the documents of `stale` that hold nothing of a person's (`_keeps`, looked at again
    under the document's lock, so that an edit made meanwhile keeps it): the folder is renamed out
    of the corpus's sight, then deleted. The ids removed, and the documents left."""
    removed, left = [], []
    for doc in stale:
        gone = None
        if not doc.keeps:
            with locked(doc.folder):
                if not writing(doc.folder):  # its lock could not be made: nothing is removed unlocked
                    log.warning("%s: not removed (its lock file cannot be made)", doc.folder)
                    left.append(doc)
                    continue
                try:
                    keeps = _keeps(doc.folder, load_links(doc.folder.parent, doc.doc_id))
                except AlignerError:
                    keeps = "an align.xml that cannot be read"
                if not keeps:
                    gone = doc.folder.with_name(f".{doc.doc_id}.pruned-{secrets.token_hex(4)}")
                    try:
                        doc.folder.rename(gone)
                    except OSError as err:
                        log.warning("%s: not removed (%s)", doc.folder, err)
                        gone = None
            doc = replace(doc, keeps=keeps)
        if gone is None:
            left.append(doc)
            continue
        removed.append(doc.doc_id)
        try:
            shutil.rmtree(gone)
        except OSError as err:
            log.warning("%s: removed from the corpus, but not deleted (%s); delete it by hand", gone, err)
    return removed, left


