"""InterText alignment projects: sentence files `<p id="1"><s id="1:3">` and an alignment file
`<linkGrp fromDoc toDoc><link xtargets="1:9;1:9 1:10" status="man"/>` (`1:218;` is an omission).

Sentences keep InterText's structure: `1:3` becomes `{lang}.p1.s3`, the text exactly as stored.
Links with status `man` were made or confirmed by a person; others are machine links.
Languages are detected from the text unless given.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from os.path import commonprefix
from pathlib import Path

from lxml import etree

from aligner.corpus.model import (
    Alignment,
    Document,
    Link,
    Metadata,
    Paragraph,
    ParallelText,
    Sentence,
)
from aligner.errors import InputError
from aligner.formats import claim
from aligner.formats.xmlfile import parse
from aligner.ingest.langs import detect_language

_ID = re.compile(r"^(\d+):(\d+)$")


def read_version(path: Path, root: etree._Element, lang: str, doc_id: str) -> Document:
    """An InterText sentence file as a version; every `<s>` needs an id `P:S` inside its `<p>`."""
    paras = []
    for p in root.iter("p"):
        sents, pid = [], ""
        for s in p.iter("s"):
            m = _ID.match(s.get("id", ""))
            if m is None:
                raise InputError(f"{path}:{s.sourceline}: sentence id '{s.get('id', '')}' is not P:S (such as 1:3); fix the InterText file")
            text = "".join(s.itertext())
            if not text.strip():
                raise InputError(f"{path}:{s.sourceline}: sentence {s.get('id')} is empty; fill or remove it in InterText")
            pid = pid or f"{lang}.p{m[1]}"
            sents.append(Sentence(f"{lang}.p{m[1]}.s{m[2]}", text))
        if sents:
            paras.append(Paragraph(pid, tuple(sents)))
    if not paras:
        raise InputError(f"{path}: no <p><s id=\"P:S\"> sentences; is this an InterText document file?")
    ids = [s.id for para in paras for s in para.sentences]
    if len(set(ids)) != len(ids):
        raise InputError(f"{path}: a sentence id appears twice; InterText ids must be unique")
    meta = Metadata(source=path.name, note=f"imported from {path.name} (InterText)")
    return Document(doc_id, lang, tuple(paras), meta)


def _sides(path: Path, root: etree._Element) -> list[tuple[etree._Element, list[list[str]]]]:
    """Each link with the two sides of its xtargets as lists of `P:S` references."""
    out = []
    for link in root.iter("link"):
        sides = link.get("xtargets", "").split(";")
        if len(sides) != 2 or not all(_ID.match(r) for side in sides for r in side.split()):
            raise InputError(f"{path}:{link.sourceline}: xtargets '{link.get('xtargets', '')}' is not 'P:S P:S;P:S'; fix the InterText file")
        out.append((link, [side.split() for side in sides]))
    return out


def _swapped(links: list[tuple[etree._Element, list[list[str]]]], docs: list[set[str]]) -> bool | None:
    """Whether xtargets lists the toDoc side first; None when neither order fits the files.

    InterText writes fromDoc;toDoc, but converted files exist with the sides turned (the
    aca/mag gold sets): the order whose references all exist wins, fromDoc first on a tie.
    """
    def fits(first: int) -> bool:
        return all(r in docs[first] for _, s in links for r in s[0]) and all(r in docs[1 - first] for _, s in links for r in s[1])

    return False if fits(0) else True if fits(1) else None


def _refs(doc: Document) -> set[str]:
    """The `P:S` references of a version read from InterText."""
    return {s.id.split(".p", 1)[1].replace(".s", ":") for s in doc.sentences()}


def _doc_id(from_doc: str, to_doc: str) -> str:
    """The common stem of the two file names (`x.001_src.xml`, `x.001_tgt.xml` → x.001)."""
    stem = commonprefix([Path(from_doc).stem, Path(to_doc).stem]).rstrip("_.-")
    return stem or Path(from_doc).stem


def read(paths: Sequence[Path], resp: str | None = None, langs: Sequence[str] = ()) -> list[ParallelText]:
    """Documents from InterText alignment files (the sentence files are found beside them).

    `langs` gives source and target language; without it each file's language is detected.
    """
    versions: dict[str, dict[str, Document]] = {}
    alignments: dict[str, list[Alignment]] = {}
    linked: dict[tuple[str, frozenset[str]], dict[tuple[str, str], str]] = {}  # (document, pair) → where each sentence was linked
    for path in paths:
        root = parse(path)
        if root.tag != "linkGrp" or not root.get("fromDoc") or not root.get("toDoc"):
            raise InputError(f"{path}: not an InterText alignment (<linkGrp fromDoc toDoc> expected, found <{root.tag}>)")
        doc_id = _doc_id(root.get("fromDoc", ""), root.get("toDoc", ""))
        docs = []
        for n, attr in enumerate(("fromDoc", "toDoc")):
            file = path.parent / root.get(attr, "")
            text_root = parse(file)
            lang = langs[n] if len(langs) > n else detect_language(" ".join(text_root.xpath("//s[position() < 50]/text()")))
            docs.append(read_version(file, text_root, lang, doc_id))
        if docs[0].lang == docs[1].lang:
            raise InputError(f"{path}: both sides look like {docs[0].lang}; give the languages with --langs SRC,TGT")
        raw = _sides(path, root)
        swapped = _swapped(raw, [_refs(d) for d in docs])
        if swapped is None:
            raise InputError(f"{path}: xtargets name sentences that {root.get('fromDoc')} or {root.get('toDoc')} lack; fix the InterText files")
        links = []
        pair = linked.setdefault((doc_id, frozenset(d.lang for d in docs)), {})
        for link, sides in raw:
            ordered = sides[::-1] if swapped else sides
            for side, d, attr in zip(ordered, docs, ("fromDoc", "toDoc"), strict=True):
                for ref in side:
                    claim(pair, d.lang, ref, root.get(attr, ""), f"{path}:{link.sourceline}")
            src, tgt = (tuple(f"{d.lang}.p{r.replace(':', '.s')}" for r in side) for side, d in zip(ordered, docs, strict=True))
            if src or tgt:
                who = resp or ("person" if link.get("status") == "man" else "machine")
                links.append(Link(src, tgt, 1.0, "person" if who == "person" else "machine"))
        for doc in docs:
            versions.setdefault(doc_id, {})[doc.lang] = doc
        alignments.setdefault(doc_id, []).append(Alignment(docs[0].lang, docs[1].lang, tuple(links), "imported from InterText"))
    return [ParallelText(d, versions[d], tuple(alignments[d])) for d in versions]
