"""Edits of one version's sentences: split one at a character, join two, correct a text.

Id scheme: untouched sentences keep their ids. A split sentence keeps its id for its first part;
the second part gets the id with `.1` added (`en.p3.s2` → `en.p3.s2` + `en.p3.s2.1`), or `.2`,
`.3` … when that is taken, so a new id always says which sentence it came from and never
collides with the positional ids of `aligner build` (`en.p3.s2`). A join keeps the first
sentence's id; the second id goes. Links follow: a split's new sentence joins every link of the
old one; a join merges the links that held the two sentences (and any between them) into one
person's link.

A correction stays one sentence: lines are joined as `aligner build` joins them (`squeeze`: no
space between two Chinese characters), and a text is refused that the project's splitter cuts
into more sentences than the text it replaces (a pasted paragraph; a joined sentence may keep
its two), or that is longer than `LONGEST` and than twice the version's longest sentence: the
next build would align such a "sentence" badly, and its machine links around it with it.
"""

from __future__ import annotations

from dataclasses import replace

from aligner.corpus.model import Alignment, Document, Link, Paragraph, ParallelText, Sentence
from aligner.corpus.triangle import first_at, positions, positions_after
from aligner.edit.links import person
from aligner.edit.pairs import pair_links, with_links
from aligner.errors import EditError
from aligner.ingest.langs import joiner, squeeze
from aligner.ingest.segment import split_sentences
from aligner.ingest.text import normalize

LONGEST = 1_000  # characters a corrected sentence may always have (a long legal sentence); beyond, at most twice the version's longest


def _find(doc: Document, sid: str) -> tuple[int, int]:
    """(paragraph, sentence) positions of a sentence id, or an error."""
    for p, para in enumerate(doc.paragraphs):
        for k, sent in enumerate(para.sentences):
            if sent.id == sid:
                return p, k
    raise EditError(f"{doc.lang}.xml has no sentence '{sid}'; see the ids with `aligner show --json`")


def _with_sentences(doc: Document, p: int, sentences: tuple[Sentence, ...]) -> Document:
    paras = list(doc.paragraphs)
    paras[p] = Paragraph(paras[p].id, sentences, paras[p].kind)
    new = replace(doc, paragraphs=tuple(paras))
    positions_after(doc, new, p)
    return new


def new_id(doc: Document, sid: str) -> str:
    """The id for a sentence split off `sid`: `sid.1`, or the next free `sid.N`."""
    taken = positions(doc)[0]
    return next(f"{sid}.{k}" for k in range(1, len(taken) + 2) if f"{sid}.{k}" not in taken)


def _clean(text: str, where: str) -> str:
    """A sentence text normalised to one line, its lines joined as a build joins them; an empty one is an error."""
    out = squeeze(normalize(text))
    if not out:
        raise EditError(f"{where}: a sentence cannot be empty; join it to a neighbour instead")
    return out


def _one_sentence(doc: Document, old: Sentence, new: str) -> None:
    """Refuse a correction of `old` that is not one sentence: one the splitter cuts into more
    sentences than `old`, or one longer than `LONGEST` and twice the version's longest sentence."""
    parts, was = split_sentences(new, doc.lang), split_sentences(old.text, doc.lang)
    if len(parts) > max(len(was), 1):
        raise EditError(f"{old.id}: the corrected text is {len(parts)} sentences (the next begins “{parts[1][:30]}”); "
                        "split the sentence first (split-sentence), then correct each part")
    longest = max(len(s.text) for s in doc.sentences())
    if len(new) > max(LONGEST, 2 * longest):
        raise EditError(f"{old.id}: a corrected text of {len(new):,} characters is not one sentence (the longest {doc.lang} "
                        f"sentence has {longest:,}; at most {max(LONGEST, 2 * longest):,} are taken); give this sentence's text only")


def split_sentence(text: ParallelText, lang: str, sid: str, at: int) -> tuple[ParallelText, str]:
    """Cut sentence `sid` of version `lang` before character `at`; returns the document and the new id."""
    doc = _version(text, lang)
    p, k = _find(doc, sid)
    old = doc.paragraphs[p].sentences[k]
    head, tail = old.text[:at].strip(), old.text[at:].strip()
    if not 0 < at < len(old.text) or not head or not tail:
        raise EditError(f"{sid}: cut at a character between 1 and {len(old.text) - 1} that leaves text on both sides, not {at}")
    nid = new_id(doc, sid)
    sents = doc.paragraphs[p].sentences
    doc = _with_sentences(doc, p, sents[:k] + (Sentence(sid, head), Sentence(nid, tail)) + sents[k + 1 :])
    text = replace(text, versions={**text.versions, lang: doc})
    where = positions(_version(text, lang))[0]
    return replace(text, alignments=tuple(_with_new_sentence(al, al.pair.index(lang), where, sid, nid) if lang in al.pair else al
                                          for al in text.alignments)), nid


def _with_new_sentence(al: Alignment, side: int, where: dict[str, int], sid: str, nid: str) -> Alignment:
    """The alignment with `nid` after `sid` in the link that holds `sid` on `side` (links are in
    reading order: found by bisection)."""
    k = max(first_at(al.links, side, where, where[sid]) - 1, 0)
    while k < len(al.links) and sid not in (al.links[k].src, al.links[k].tgt)[side]:
        k += 1
    if k == len(al.links):
        k = next(n for n, lk in enumerate(al.links) if sid in (lk.src, lk.tgt)[side])  # links out of reading order
    return replace(al, links=al.links[:k] + (_insert_after(al.links[k], sid, nid),) + al.links[k + 1 :])


def _insert_after(lk: Link, sid: str, nid: str) -> Link:
    """The link with `nid` after `sid` on whichever side holds it."""
    def put(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(x for i in ids for x in ((i, nid) if i == sid else (i,)))

    return replace(lk, src=put(lk.src), tgt=put(lk.tgt)) if sid in lk.src or sid in lk.tgt else lk


def join_sentences(text: ParallelText, lang: str, sid: str) -> ParallelText:
    """Sentence `sid` of version `lang` joined with the next sentence of its paragraph."""
    doc = _version(text, lang)
    p, k = _find(doc, sid)
    sents = doc.paragraphs[p].sentences
    if k + 1 >= len(sents):
        raise EditError(f"{sid} is the last sentence of its paragraph; join it from the sentence before instead")
    first, second = sents[k], sents[k + 1]
    for al in text.alignments:
        if lang in al.pair:
            other = al.tgt_lang if al.src_lang == lang else al.src_lang
            text = with_links(text, lang, other, _joined_links(pair_links(text, lang, other), sid, second.id))
    joined = Sentence(sid, first.text + joiner(lang) + second.text)
    doc = _with_sentences(doc, p, sents[:k] + (joined,) + sents[k + 2 :])
    return replace(text, versions={**text.versions, lang: doc})


def _joined_links(links: tuple[Link, ...], sid: str, gone: str) -> tuple[Link, ...]:
    """The links (seen from the joined version) with `gone` merged into the link holding `sid`."""
    at = next(n for n, lk in enumerate(links) if sid in lk.src)
    to = next(n for n, lk in enumerate(links) if gone in lk.src)
    lo, hi = min(at, to), max(at, to)
    span = links[lo : hi + 1]
    merged = person([s for lk in span for s in lk.src if s != gone], [t for lk in span for t in lk.tgt])
    if lo == hi:
        merged = replace(links[lo], src=merged.src)
    return links[:lo] + (merged,) + links[hi + 1 :]


def correct_text(text: ParallelText, lang: str, sid: str, new_text: str) -> ParallelText:
    """Sentence `sid` of version `lang` with its text replaced (a typo, OCR debris); links stay."""
    doc = _version(text, lang)
    p, k = _find(doc, sid)
    sents = doc.paragraphs[p].sentences
    new = _clean(new_text, sid)
    _one_sentence(doc, sents[k], new)
    doc = _with_sentences(doc, p, sents[:k] + (Sentence(sid, new),) + sents[k + 1 :])
    return replace(text, versions={**text.versions, lang: doc})


def _version(text: ParallelText, lang: str) -> Document:
    if lang not in text.versions:
        raise EditError(f"{text.doc_id} has no {lang} version (it has {', '.join(sorted(text.versions))})")
    return text.versions[lang]
