"""The unit every exporter writes and every filter judges: the sentences one link joins."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from aligner.corpus.model import Note, Sentence, State
from aligner.ingest.langs import joiner


@dataclass(frozen=True)
class Unit:
    """One exported unit: the sentences a link (or a row of links across N versions) joins."""

    doc_id: str
    link_id: str
    cells: Mapping[str, tuple[Sentence, ...]]
    confidence: float
    resp: str
    tags: Mapping[str, str] = field(default_factory=dict)  # version key → full tag (zh-Hant → zh-Hant-TW)
    notes: tuple[Note, ...] = ()  # what an XLIFF file said of the link: its notes and state
    state: State | None = None
    held: Mapping[str, tuple[str, ...]] | None = None  # the ids the file named per version, where they are not its sentences' (an edit re-split them)

    def tag(self, lang: str) -> str:
        """A version's full BCP 47 tag, region included (the key when none is known)."""
        return self.tags.get(lang, lang)

    @property
    def kind(self) -> str:
        """1-1, 2-1, 1-1-1 … in the order of the languages."""
        return "-".join(str(len(sents)) for sents in self.cells.values())

    @property
    def is_omission(self) -> bool:
        return any(not sents for sents in self.cells.values())

    def named(self, lang: str) -> tuple[str, ...]:
        """The sentence ids of a version the file gave this unit as exported: what an import laid over
        the corpus replaces (a sentence a person deleted from the unit is among them, not among its cells)."""
        if self.held is not None and lang in self.held:
            return self.held[lang]
        return tuple(s.id for s in self.cells.get(lang, ()) if s.id)

    def text(self, lang: str) -> str:
        """The sentences of one language joined as that language writes them."""
        return joiner(lang).join(s.text for s in self.cells[lang])
