"""XCES as OPUS ships it: sentence files `OUT/LANG/DOC.xml` and per pair `OUT/SRC-TGT.xml`.

An alignment file holds one `<linkGrp targType="s" fromDoc toDoc>` per document with
`<link xtargets="s1 s2;s3" certainty="0.9"/>` (an empty side is an omission). Sentence files are
OPUS "raw" (untokenised `<s>` text): OpusTools reads an export folder OUT as it is, e.g.
`opus_read -d NAME -s en -t zh-Hans -af OUT/en-zh-Hans.xml -dl OUT -p raw` (tested).
Reading follows fromDoc/toDoc relative to the alignment file's folder.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import replace
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
)
from aligner.errors import InputError
from aligner.formats import Batch, link_units
from aligner.formats.filters import apply
from aligner.formats.select import keep_region

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
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
    """Sentence files for every version and one alignment file per language pair."""
    files: dict[Path, bytes] = {}
    langs = batch.langs
    for i, a in enumerate(langs):
        for b in langs[i + 1 :]:
            root = etree.Element("cesAlign", version="1.0")
            for text in batch.texts:
                al = text.alignment(a, b)
                if al is None:
                    continue
                grp = etree.SubElement(
                    root, "linkGrp", targType="s", fromDoc=f"{a}/{text.doc_id}.xml", toDoc=f"{b}/{text.doc_id}.xml"
                )
                kept, dropped = apply(link_units(text, al), batch.filters)
                batch.dropped.update(dropped)
                for unit in kept:
                    src, tgt = (" ".join(s.id for s in unit.cells[lang]) for lang in (a, b))
                    etree.SubElement(
                        grp, "link", id=f"{unit.link_id}", xtargets=f"{src};{tgt}", certainty=f"{unit.confidence:.3f}"
                    )
                for lang in (a, b):
                    files[out / lang / f"{text.doc_id}.xml"] = sentence_file(text.versions[lang])
            files[out / f"{a}-{b}.xml"] = _tostring(root, DOCTYPE)
    return files


def parse(path: Path) -> etree._Element:
    """Parse an XML file (gzip allowed); one-line errors with file and line."""
    try:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from None
    except etree.XMLSyntaxError as err:
        raise InputError(f"{path}:{err.position[0]}: malformed XML: {err.msg}; fix the file") from None


def read_sentences(path: Path, root: etree._Element, lang: str, doc_id: str, meta: Metadata) -> tuple[Document, dict[str, str]]:
    """A sentence file as a version, and the map from the file's sentence ids to ours.

    Ids of the form LANG.pN.sM are kept; others become `{lang}.p{n}.s{m}` by paragraph order
    (sentences outside any paragraph element go to their parent element's paragraph).
    """
    paras: dict[int, tuple[etree._Element, list[etree._Element]]] = {}
    for s in root.iter("s"):
        paras.setdefault(id(s.getparent()), (s.getparent(), []))[1].append(s)
    ids = {}
    built = []
    for n, (parent, sents) in enumerate(paras.values(), 1):
        kind: Literal["head", "p"] = "head" if parent.tag == "head" else "p"
        pid = parent.get("id", "") if parent.get("id", "").startswith(f"{lang}.") else f"{lang}.p{n}"
        out = []
        for m, s in enumerate(sents, 1):
            text = "".join(s.itertext()).strip()
            if not text:
                raise InputError(f"{path}:{s.sourceline}: an empty sentence; remove it or fill it")
            sid = s.get("id", "")
            new = sid if sid.startswith(f"{pid}.s") else f"{pid}.s{m}"
            if sid in ids:
                raise InputError(f"{path}:{s.sourceline}: sentence id '{sid}' appears twice; ids must be unique")
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
    """`en/doc.xml.gz` → (doc, en)."""
    parts = Path(name).parts
    stem = parts[-1].removesuffix(".gz").removesuffix(".xml")
    return stem, parts[0] if len(parts) > 1 else ""


def read(paths: Sequence[Path], resp: str | None = None) -> list[ParallelText]:
    """Documents from XCES alignment files; pairs of one document across files are merged."""
    from aligner.ingest.langs import split_tag

    versions: dict[str, dict[str, Document]] = {}
    alignments: dict[str, list[Alignment]] = {}
    regions: dict[str, dict[str, str]] = {}  # by document
    for path in paths:
        root = parse(path)
        if root.tag != "cesAlign":
            raise InputError(f"{path}: the root element is <{root.tag}>, not <cesAlign>; give the XCES alignment file")
        for grp in root.iter("linkGrp"):
            maps = []
            langs = []
            for attr in ("fromDoc", "toDoc"):
                name = grp.get(attr, "")
                if not name:
                    raise InputError(f"{path}:{grp.sourceline}: <linkGrp> without {attr}; name the sentence files")
                doc_id, lang = _doc_id_lang(name)
                file = _doc_file(path.parent, name)
                sentences = parse(file)
                try:
                    lang, region = split_tag(sentences.get(XML_LANG) or lang)
                except InputError as err:
                    raise InputError(f"{file}: {err}; give the file an xml:lang or put it in a folder named for its language") from None
                keep_region(regions.setdefault(doc_id, {}), lang, region, str(file), "put each region's sentence files under a document name of their own")
                meta = Metadata(source=file.name, note=f"imported from {file.name} (XCES)")
                doc, ids = read_sentences(file, sentences, lang, doc_id, meta)
                doc = replace(doc, region=region)
                versions.setdefault(doc_id, {})[lang] = doc
                maps.append(ids)
                langs.append(lang)
            links = []
            for link in grp.iter("link"):
                sides = link.get("xtargets", "").split(";")
                if len(sides) != 2:
                    raise InputError(f"{path}:{link.sourceline}: xtargets '{link.get('xtargets')}' needs one ';'")
                try:
                    src, tgt = (tuple(m[i] for i in side.split()) for m, side in zip(maps, sides, strict=True))
                except KeyError as err:
                    raise InputError(f"{path}:{link.sourceline}: xtargets names sentence {err} that the sentence file lacks") from None
                try:
                    conf = min(1.0, max(0.0, float(link.get("certainty", "1"))))
                except ValueError:
                    conf = 1.0
                links.append(Link(src, tgt, conf, "person" if resp == "person" else "machine"))
            alignments.setdefault(doc_id, []).append(Alignment(langs[0], langs[1], tuple(links), "imported from XCES"))
    if not versions:
        raise InputError(f"{', '.join(map(str, paths))}: no <linkGrp> to import")
    return [ParallelText(d, versions[d], tuple(alignments.get(d, ()))) for d in versions]
