"""XCES as OPUS ships it: sentence files `OUT/LANG/DOC.xml` and per pair `OUT/SRC-TGT.xml`.

An alignment file holds one `<linkGrp targType="s" fromDoc toDoc>` per document with
`<link xtargets="s1 s2;s3" certainty="0.9"/>` (an empty side is an omission). Sentence files are
OPUS "raw" (untokenised `<s>` text): OpusTools reads an export folder OUT as it is, e.g.
`opus_read -d NAME -s en -t zh-Hans -af OUT/en-zh-Hans.xml -dl OUT -p raw` (tested).
Reading follows fromDoc/toDoc relative to the alignment file's folder.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from pathlib import Path
from typing import Literal

from lxml import etree

from aligner.corpus.model import (
    Alignment,
    Document,
    Link,
    Metadata,
    Paragraph,
    ParallelText,
    Sentence,
    reverse,
)
from aligner.errors import InputError
from aligner.formats import OUR_ID, Batch, Unit, claim
from aligner.formats.select import keep_region
from aligner.formats.xmlfile import parse

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
log = logging.getLogger(__name__)
DOCTYPE = '<!DOCTYPE cesAlign PUBLIC "-//CES//DTD XML cesAlign//EN" "">'


def _tostring(root: etree._Element, doctype: str | None = None) -> bytes:
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=doctype)


def sentence_file(doc: Document) -> bytes:
    """A version as an OPUS sentence file: `<document><p id><s id>`, the heading as `<head>`."""
    root = etree.Element("document", {XML_LANG: doc.tag})
    for para in doc.paragraphs:
        node = etree.SubElement(root, para.kind, id=para.id)
        for sent in para.sentences:
            etree.SubElement(node, "s", id=sent.id).text = sent.text
    return _tostring(root)


def write(batch: Batch, out: Path) -> dict[Path, bytes]:
    """Sentence files for every version and one alignment file per language pair, a link group a
    document, with a link for every unit of the batch: each pair's links (`export.PAIRWISE`),
    filtered (a sentence no stored link holds is an omission's)."""
    held: dict[tuple[tuple[str, ...], str], list[Unit]] = {}  # (pair, document) → its units
    for unit in batch.units:
        held.setdefault((tuple(unit.cells), unit.doc_id), []).append(unit)
    files: dict[Path, bytes] = {}
    for a, b in combinations(batch.langs, 2):
        root = etree.Element("cesAlign", version="1.0")
        for text in batch.texts:
            grp = etree.SubElement(root, "linkGrp", targType="s", fromDoc=f"{a}/{text.doc_id}.xml", toDoc=f"{b}/{text.doc_id}.xml")
            for unit in held.get(((a, b), text.doc_id), []):
                src, tgt = (" ".join(s.id for s in unit.cells[lang]) for lang in (a, b))
                etree.SubElement(grp, "link", id=unit.link_id, xtargets=f"{src};{tgt}", certainty=f"{unit.confidence:.3f}")
            for lang in (a, b):
                files[out / lang / f"{text.doc_id}.xml"] = sentence_file(text.versions[lang])
        files[out / f"{a}-{b}.xml"] = _tostring(root, DOCTYPE)
    return files


def _own_ids_kept(lang: str, paras: Sequence[tuple[etree._Element, list[etree._Element]]]) -> bool:
    """Whether a sentence file's own ids can be ours: each paragraph LANG.pN (or LANG.head) once and
    each sentence PARA.sM under it; else all are numbered, so that no kept id meets a made one."""
    pids = [parent.get("id", "") for parent, _ in paras]
    ours = all(
        (m := OUR_ID.match(s.get("id", ""))) is not None and m["para"] == pid
        for pid, (_, sents) in zip(pids, paras, strict=True) for s in sents
    )
    return ours and len(set(pids)) == len(pids) and all(pid.startswith(f"{lang}.") for pid in pids)


def read_sentences(path: Path, root: etree._Element, lang: str, doc_id: str, meta: Metadata) -> tuple[Document, dict[str, str]]:
    """A sentence file as a version, and the map from the file's sentence ids to ours.

    The file's ids are kept when all are ours (`_own_ids_kept`); else every sentence becomes
    `{lang}.p{n}.s{m}` by paragraph order (sentences outside any paragraph element go to their
    parent element's paragraph). A sentence without an id is kept, though no link can name it.
    """
    paras: dict[int, tuple[etree._Element, list[etree._Element]]] = {}
    for s in root.iter("s"):
        paras.setdefault(id(s.getparent()), (s.getparent(), []))[1].append(s)
    keep = _own_ids_kept(lang, list(paras.values()))
    ids = {}
    built = []
    for n, (parent, sents) in enumerate(paras.values(), 1):
        kind: Literal["head", "p"] = "head" if parent.tag == "head" else "p"
        pid = parent.get("id", "") if keep else f"{lang}.p{n}"
        out = []
        for m, s in enumerate(sents, 1):
            text = "".join(s.itertext()).strip()
            if not text:
                raise InputError(f"{path}:{s.sourceline}: an empty sentence; remove it or fill it")
            sid = s.get("id", "")
            if sid in ids:
                raise InputError(f"{path}:{s.sourceline}: sentence id '{sid}' appears twice; ids must be unique")
            new = sid if keep else f"{pid}.s{m}"
            if sid:
                ids[sid] = new
            out.append(Sentence(new, text))
        built.append(Paragraph(pid, tuple(out), kind))
    if not built:
        raise InputError(f"{path}: no <s> elements; is this an OPUS/XCES sentence file?")
    return Document(doc_id, lang, tuple(built), meta), ids


def _doc_file(folder: Path, name: str) -> Path:
    """A fromDoc/toDoc path, with or without the .gz OPUS adds."""
    path = folder / name
    if not path.exists() and path.suffix == ".gz":
        path = path.with_suffix("")
    return path


def _doc_id_lang(name: str) -> tuple[str, str]:
    """`en/doc.xml.gz` → (doc, en): the language is the first folder named by a language tag
    (OPUS: `en/1998/111.xml.gz`; `../x/en/d.xml` is en too), "" when none is."""
    from aligner.ingest.langs import split_tag

    parts = Path(name).parts
    stem = parts[-1].removesuffix(".gz").removesuffix(".xml")
    for part in parts[:-1]:
        try:
            split_tag(part)
        except InputError:
            continue
        return stem, part
    return stem, ""


@dataclass
class _Doc:
    """One document as the link groups read so far give it."""

    versions: dict[str, Document] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)  # language → the sentence file of its version
    ids: dict[str, dict[str, str]] = field(default_factory=dict)  # language → its file's sentence ids → ours
    regions: dict[str, str] = field(default_factory=dict)
    alignments: dict[tuple[str, str], Alignment] = field(default_factory=dict)  # a pair as first met
    linked: dict[frozenset[str], dict[tuple[str, str], str]] = field(default_factory=dict)  # pair → (lang, file's id) → where


Side = tuple[str, str, dict[str, str]]  # a linkGrp side: its language, fromDoc or toDoc, the file's sentence ids → ours


def _names(path: Path, grp: etree._Element) -> tuple[str, str]:
    """A linkGrp's fromDoc and toDoc, which it must have."""
    for attr in ("fromDoc", "toDoc"):
        if not grp.get(attr):
            raise InputError(f"{path}:{grp.sourceline}: <linkGrp> without {attr}; name the sentence files")
    return grp.get("fromDoc", ""), grp.get("toDoc", "")


def _side(path: Path, grp: etree._Element, attr: str, doc_id: str, doc: _Doc) -> Side:
    """The sentence file fromDoc or toDoc names, as a version of the document: read when the
    document first meets it (`_version`), then reused; a missing file is named with the linkGrp's line."""
    name = grp.get(attr, "")
    file = _doc_file(path.parent, name)
    if not file.is_file():
        raise InputError(f"{path}:{grp.sourceline}: {attr} '{name}' names {file}, which does not exist; put the sentence file there or correct {attr}")
    here = file.resolve()
    lang = next((lang for lang, known in doc.files.items() if known == here), None) or _version(path, grp, attr, file, doc_id, doc)
    return lang, name, doc.ids[lang]


def _version(path: Path, grp: etree._Element, attr: str, file: Path, doc_id: str, doc: _Doc) -> str:
    """Read a sentence file new to the document (named by `attr` of the linkGrp) as its version of
    the file's language, and return the language; a second file of a language the document has is
    refused naming the linkGrp's line."""
    from aligner.ingest.langs import split_tag

    name = grp.get(attr, "")
    sentences = parse(file)
    try:
        lang, region = split_tag(sentences.get(XML_LANG) or _doc_id_lang(name)[1])
    except InputError as err:
        raise InputError(f"{file}: {err}; give the file an xml:lang or put it in a folder named for its language") from None
    keep_region(doc.regions, lang, region, str(file), "put each region's sentence files under a document name of their own")
    if lang in doc.files:
        raise InputError(
            f"{path}:{grp.sourceline}: {attr} '{name}' is a second {lang} version of document '{doc_id}' (the first is {doc.files[lang]}); "
            "import the link groups of each in a run of their own, the later with --replace, which lays it over the first"
        )
    meta = Metadata(source=file.name, note=f"imported from {file.name} (XCES)")
    version, doc.ids[lang] = read_sentences(file, sentences, lang, doc_id, meta)
    doc.versions[lang] = replace(version, region=region)
    doc.files[lang] = file.resolve()
    return lang


def _certainty(link: etree._Element, where: str) -> float:
    """A link's certainty (1 when it has none), which must be a number: refused with its line when
    not one. A number beyond 0 and 1 is read as the nearer (`_strays` says so): OPUS ships an
    aligner's scores as certainties (hunalign's), which stray beyond them (-0.06 in OPUS RF)."""
    raw = link.get("certainty", "1")
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InputError(f"{where}: certainty '{raw}' is not a number; write one from 0 to 1, or remove the attribute")
    return min(1.0, max(0.0, value))


def _strays(path: Path, root: etree._Element) -> None:
    """Say once for a file whose links were read (each certainty a number: `_certainty`) where the
    first certainty beyond 0 and 1 is and how many there are, each read as the nearer."""
    links = (link for grp in root.iter("linkGrp") for link in grp.iter("link"))
    strays = [link for link in links if not 0 <= float(link.get("certainty", "1")) <= 1]
    if strays:
        log.warning("%s:%s: a certainty beyond 0 and 1 (an aligner's score, as OPUS ships them), read as the nearer of 0 and 1; "
                    "%d links have one", path, strays[0].sourceline, len(strays))


def _link(path: Path, link: etree._Element, sides: tuple[Side, Side], linked: dict[tuple[str, str], str], resp: str | None) -> Link:
    """A <link> in our sentence ids. It names some sentence, each of its side's file and in no
    other link of the pair (`linked`: where each sentence of the pair was linked so far)."""
    where = f"{path}:{link.sourceline}"
    xtargets = link.get("xtargets", "")
    halves = xtargets.split(";")
    if len(halves) != 2:
        raise InputError(f"{where}: xtargets '{xtargets}' needs one ';' between its two sides, e.g. 's1 s2;s1'")
    cells = []
    for (lang, name, ids), half in zip(sides, halves, strict=True):
        for sid in half.split():
            if sid not in ids:
                raise InputError(f"{where}: xtargets names sentence '{sid}', which {name} lacks; correct the link or the file it names")
            claim(linked, lang, sid, name, where)
        cells.append(tuple(ids[sid] for sid in half.split()))
    if not any(cells):
        raise InputError(f"{where}: xtargets '{xtargets}' names no sentence; remove the link")
    return Link(cells[0], cells[1], _certainty(link, where), "person" if resp == "person" else "machine")


def _add(alignments: dict[tuple[str, str], Alignment], al: Alignment) -> None:
    """A linkGrp's links added to its pair's: after those of an earlier group of the pair, turned
    to its direction (a de→en group after an en→de one)."""
    if (al.tgt_lang, al.src_lang) in alignments:
        al = reverse(al)
    had = alignments.get(al.pair)
    alignments[al.pair] = replace(had, links=had.links + al.links) if had else al


def _group(path: Path, grp: etree._Element, doc_id: str, doc: _Doc, resp: str | None) -> None:
    """A linkGrp added to its document: its two versions and its links."""
    src, tgt = (_side(path, grp, attr, doc_id, doc) for attr in ("fromDoc", "toDoc"))
    if src[0] == tgt[0]:
        raise InputError(f"{path}:{grp.sourceline}: fromDoc and toDoc are both {src[0]}; a link group joins two languages: point one at the other language's file")
    linked = doc.linked.setdefault(frozenset((src[0], tgt[0])), {})
    links = tuple(_link(path, link, (src, tgt), linked, resp) for link in grp.iter("link"))
    _add(doc.alignments, Alignment(src[0], tgt[0], links, "imported from XCES"))


def read(paths: Sequence[Path], resp: str | None = None) -> list[ParallelText]:
    """Documents from XCES alignment files. A linkGrp's two sentence files are versions of the
    document fromDoc names (OPUS names the files of one document apart, e.g. OpenSubtitles); the
    groups of one pair of a document, in any file and either direction, make one alignment."""
    docs: dict[str, _Doc] = {}
    for path in paths:
        root = parse(path)
        if root.tag != "cesAlign":
            raise InputError(f"{path}: the root element is <{root.tag}>, not <cesAlign>; give the XCES alignment file")
        for grp in root.iter("linkGrp"):
            doc_id = _doc_id_lang(_names(path, grp)[0])[0]
            _group(path, grp, doc_id, docs.setdefault(doc_id, _Doc()), resp)
        _strays(path, root)
    if not docs:
        raise InputError(f"{', '.join(map(str, paths))}: no <linkGrp> to import; give the XCES alignment files (<cesAlign> with <linkGrp fromDoc toDoc>), not the sentence files")
    return [ParallelText(doc_id, doc.versions, tuple(doc.alignments.values())) for doc_id, doc in docs.items()]
