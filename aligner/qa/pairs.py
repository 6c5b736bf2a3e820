"""The unit every check reads: the links of one language pair of one document, with their texts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations

from aligner.corpus.model import Link, ParallelText
from aligner.ingest.langs import full_tag, joiner
from aligner.qa.findings import Finding, Severity


@dataclass(frozen=True)
class LinkView:
    """A link with the texts of both sides (sentences joined by the language's separator)."""

    doc_id: str
    src_lang: str
    tgt_lang: str
    index: int  # position of the link in the pair's alignment
    link: Link
    src_text: str
    tgt_text: str
    src_sentences: tuple[str, ...] = ()  # the source side's sentences, one by one
    tgt_sentences: tuple[str, ...] = ()  # the target side's
    src_tag: str = ""  # the versions' full tags (zh-Hant-HK), "" for the key alone
    tgt_tag: str = ""

    def finding(self, check: str, severity: Severity, reason: str, suggestion: str = "") -> Finding:
        """A finding about this link, naming its versions by their full tags."""
        return Finding(
            check, severity, self.doc_id, self.src_lang, self.tgt_lang, self.index,
            self.link.src, self.link.tgt, self.src_text, self.tgt_text, reason, suggestion,
            self.src_tag or self.src_lang, self.tgt_tag or self.tgt_lang,
        )


@dataclass(frozen=True)
class PairView:
    """Every link of one language pair of one document, in reading order."""

    doc_id: str
    src_lang: str
    tgt_lang: str
    links: tuple[LinkView, ...]
    src_region: str = ""  # whose usage each version follows (TW, HK), "" when not said
    tgt_region: str = ""

    @property
    def label(self) -> str:
        """The pair by its versions' full tags (en→zh-Hant-HK): two regions' usage is not one norm."""
        return f"{full_tag(self.src_lang, self.src_region)}→{full_tag(self.tgt_lang, self.tgt_region)}"


def pair_order(langs: list[str]) -> list[tuple[str, str]]:
    """Pairs of versions, English first, then the others in tag order (en→zh-Hans, zh-Hans→zh-Hant)."""
    ordered = sorted(langs, key=lambda lang: (lang != "en", lang))
    return list(combinations(ordered, 2))


def script_pair(pair: PairView) -> tuple[str, str] | None:
    """(Simplified side, Traditional side) as 'src'/'tgt' for a zh-Hans ↔ zh-Hant pair, else None."""
    if (pair.src_lang, pair.tgt_lang) == ("zh-Hans", "zh-Hant"):
        return "src", "tgt"
    if (pair.src_lang, pair.tgt_lang) == ("zh-Hant", "zh-Hans"):
        return "tgt", "src"
    return None


def chinese_versions(pairs: list[PairView], prefer_script_pair: bool) -> Iterator[tuple[PairView, str, str, str]]:
    """Each zh-Hans and zh-Hant version of each document once, as (pair, side, lang, region), in
    the order the pairs first hold them: in its first pair (English first) that holds it, or,
    with `prefer_script_pair`, in the document's zh-Hans ↔ zh-Hant pair when it has one."""
    chosen: dict[tuple[str, str], tuple[PairView, str, str]] = {}
    for pair in pairs:
        for side, lang, region in (("src", pair.src_lang, pair.src_region), ("tgt", pair.tgt_lang, pair.tgt_region)):
            key = (pair.doc_id, lang)
            if lang not in ("zh-Hans", "zh-Hant"):
                continue
            if key not in chosen or prefer_script_pair and script_pair(pair) and not script_pair(chosen[key][0]):
                chosen[key] = (pair, side, region)
    for (_, lang), (pair, side, region) in chosen.items():
        yield pair, side, lang, region


def pair_views(text: ParallelText) -> Iterator[PairView]:
    """Every aligned pair of a document as link views (pairs without links are skipped)."""
    for src, tgt in pair_order(list(text.versions)):
        al = text.alignment(src, tgt)
        if al is None:
            continue
        s_index = text.versions[src].sentence_index()
        t_index = text.versions[tgt].sentence_index()
        views = tuple(
            LinkView(
                text.doc_id, src, tgt, n, lk,
                joiner(src).join(s_index[i].text for i in lk.src),
                joiner(tgt).join(t_index[i].text for i in lk.tgt),
                tuple(s_index[i].text for i in lk.src),
                tuple(t_index[i].text for i in lk.tgt),
                text.versions[src].tag, text.versions[tgt].tag,
            )
            for n, lk in enumerate(al.links)
        )
        yield PairView(text.doc_id, src, tgt, views, text.versions[src].region, text.versions[tgt].region)
