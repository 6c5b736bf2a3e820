"""XLIFF 2.1 (and 1.2): bilingual files for CAT tools, written and read.

Written: a `<file>` per document and a unit per link. Each sentence is an `<mrk>` carrying its
id, so links joining several sentences come back as the same sentences; a link a person made is
state `final` (1.2: approved, state "final"), a machine's `translated`; confidence and maker are
notes. Read: any XLIFF 1.2 or 2.x: the source and target languages become two versions and each
unit's pair (2.x: each segment) a person's link, unless our own notes say a machine made it.
A file with a DOCTYPE or entity declarations is refused before parsing, never resolved.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from aligner import __version__
from aligner.corpus.model import Metadata, ParallelText, Sentence
from aligner.errors import InputError
from aligner.formats import Batch, Unit, parallel_text
from aligner.ingest.langs import joiner, split_tag

NS2 = "urn:oasis:names:tc:xliff:document:2.0"
NS12 = "urn:oasis:names:tc:xliff:document:1.2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
VERSIONS = ("2.1", "1.2")
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
PERSON_STATES = {"final", "reviewed", "signed-off"}


def _mrks(parent: etree._Element, tag: str, sents: tuple[Sentence, ...], lang: str, v12: bool) -> None:
    """Sentences as mrk elements with their ids, joined as the language writes them."""
    last = None
    for n, sent in enumerate(sents):
        attrs = {"mtype": "seg", "mid": sent.id} if v12 else {"id": sent.id, "type": "generic"}
        mrk = etree.SubElement(parent, tag, attrs)
        mrk.text = sent.text
        if n and last is not None:
            last.tail = joiner(lang)
        last = mrk


def _notes(unit: Unit) -> list[tuple[str, str]]:
    return [("aligner-confidence", f"{unit.confidence:.3f}"), ("aligner-made-by", unit.resp), ("aligner-type", unit.kind)]


def _unit2(parent: etree._Element, unit: Unit, src: str, tgt: str) -> None:
    node = etree.SubElement(parent, f"{{{NS2}}}unit", id=unit.link_id)
    notes = etree.SubElement(node, f"{{{NS2}}}notes")
    for category, value in _notes(unit):
        etree.SubElement(notes, f"{{{NS2}}}note", category=category).text = value
    seg = etree.SubElement(node, f"{{{NS2}}}segment", state="final" if unit.resp == "person" else "translated")
    _mrks(etree.SubElement(seg, f"{{{NS2}}}source"), f"{{{NS2}}}mrk", unit.cells[src], src, False)
    if unit.cells[tgt]:
        _mrks(etree.SubElement(seg, f"{{{NS2}}}target"), f"{{{NS2}}}mrk", unit.cells[tgt], tgt, False)
    else:
        seg.set("state", "initial")


def _unit12(parent: etree._Element, unit: Unit, src: str, tgt: str) -> None:
    person = unit.resp == "person"
    node = etree.SubElement(parent, f"{{{NS12}}}trans-unit", id=unit.link_id, approved="yes" if person else "no")
    _mrks(etree.SubElement(node, f"{{{NS12}}}source", {XML_LANG: unit.tag(src)}), f"{{{NS12}}}mrk", unit.cells[src], src, True)
    if unit.cells[tgt]:
        target = etree.SubElement(node, f"{{{NS12}}}target", {XML_LANG: unit.tag(tgt), "state": "final" if person else "translated"})
        _mrks(target, f"{{{NS12}}}mrk", unit.cells[tgt], tgt, True)
    for category, value in _notes(unit):
        etree.SubElement(node, f"{{{NS12}}}note", {"from": category}).text = value


def write(batch: Batch, out: Path) -> dict[Path, bytes]:
    """One XLIFF file (2.1, or 1.2 when the batch asks) for a pair of languages."""
    if len(batch.langs) != 2:
        raise InputError(f"XLIFF is bilingual: choose two languages with --langs, e.g. --langs {batch.langs[0]},{batch.langs[1]}")
    src, tgt = batch.langs
    v12 = batch.xliff_version == "1.2"
    if v12:
        root = etree.Element(f"{{{NS12}}}xliff", nsmap={None: NS12}, version="1.2")
    else:
        root = etree.Element(f"{{{NS2}}}xliff", nsmap={None: NS2}, version="2.1", srcLang=batch.tag(src), trgLang=batch.tag(tgt))
    files: dict[str, etree._Element] = {}
    for unit in batch.units:
        if unit.doc_id not in files:
            if v12:
                file = etree.SubElement(root, f"{{{NS12}}}file", {
                    "original": unit.doc_id, "source-language": unit.tag(src), "target-language": unit.tag(tgt), "datatype": "plaintext",
                })
                etree.SubElement(etree.SubElement(file, f"{{{NS12}}}header"), f"{{{NS12}}}tool",
                                 {"tool-id": "aligner", "tool-name": "aligner", "tool-version": __version__})
                files[unit.doc_id] = etree.SubElement(file, f"{{{NS12}}}body")
            else:
                files[unit.doc_id] = etree.SubElement(root, f"{{{NS2}}}file", id=unit.doc_id, original=unit.doc_id)
        (_unit12 if v12 else _unit2)(files[unit.doc_id], unit, src, tgt)
    etree.indent(root, space="  ")
    return {out: etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)}


def _parse(path: Path) -> etree._Element:
    """Parse safely: a DOCTYPE or entity declaration is refused, nothing is fetched or expanded."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from None
    if _DECLARATION.search(data.replace(b"\x00", b"")):  # NULs removed: UTF-16 files too
        raise InputError(f"{path}: the XLIFF has a DOCTYPE or entity declarations, which are refused for safety; remove them and import again")
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False))
    except etree.XMLSyntaxError as err:
        line = err.position[0] if err.position else "?"
        raise InputError(f"{path}:{line}: malformed XML: {err.msg}; fix the file") from None
    if etree.QName(root).localname != "xliff" or etree.QName(root).namespace not in (NS2, NS12):
        raise InputError(f"{path}: the root element is <{etree.QName(root).localname}>, not an XLIFF 1.2 or 2.x <xliff>; is this an XLIFF file?")
    return root


def _sentences(node: etree._Element | None, id_attr: str) -> tuple[Sentence, ...]:
    """The sentences of a source or target: our mrk elements with ids, else the whole text as one."""
    if node is None:
        return ()
    marks = [m for m in node if etree.QName(m).localname == "mrk" and m.get(id_attr)]
    if marks and len(marks) == len(node):
        return tuple(Sentence(m.get(id_attr, ""), "".join(m.itertext()).strip()) for m in marks)
    text = " ".join("".join(node.itertext()).split())
    return (Sentence("", text),) if text else ()


def _tag(path: Path, node: etree._Element, code: str | None) -> tuple[str, str]:
    """The version key and region of a language attribute (zh-Hant-TW → zh-Hant, TW)."""
    try:
        return split_tag(code or "")
    except InputError:
        raise InputError(f"{path}:{node.sourceline}: language '{code or ''}' is missing or not a BCP 47 tag; set it on the file") from None


def _made(notes: dict[str, str], default: str) -> tuple[float, str]:
    """Confidence and maker from our notes, when the file has them."""
    try:
        confidence = float(notes.get("aligner-confidence", "1"))
    except ValueError:
        confidence = 1.0
    return confidence, notes.get("aligner-made-by", default)


Found = dict[str, tuple[list[Unit], tuple[tuple[str, str], tuple[str, str]]]]  # doc → units, (key, region) a side


def _read2(path: Path, root: etree._Element) -> Found:
    ns = {"x": NS2}
    tags = _tag(path, root, root.get("srcLang")), _tag(path, root, root.get("trgLang"))
    langs = tags[0][0], tags[1][0]
    out: Found = {}
    for file in root.iterfind("x:file", ns):
        doc_id = file.get("original") or file.get("id") or path.stem
        units = out.setdefault(doc_id, ([], tags))[0]
        for unit in file.iter(f"{{{NS2}}}unit"):
            notes = {n.get("category", ""): n.text or "" for n in unit.iterfind("x:notes/x:note", ns)}
            for n, seg in enumerate(unit.iterfind("x:segment", ns), 1):
                state = seg.get("state", "initial")
                confidence, who = _made(notes, "person" if seg.find("x:target", ns) is not None else "machine")
                who = "person" if state in PERSON_STATES else who
                cells = {langs[0]: _sentences(seg.find("x:source", ns), "id"), langs[1]: _sentences(seg.find("x:target", ns), "id")}
                if any(cells.values()):
                    units.append(Unit(doc_id, f"{unit.get('id', '')}.{n}", cells, confidence, who))
    return out


def _read12(path: Path, root: etree._Element) -> Found:
    ns = {"x": NS12}
    out: Found = {}
    for file in root.iterfind("x:file", ns):
        tags = _tag(path, file, file.get("source-language")), _tag(path, file, file.get("target-language"))
        langs = tags[0][0], tags[1][0]
        doc_id = file.get("original") or path.stem
        units = out.setdefault(doc_id, ([], tags))[0]
        for tu in file.iter(f"{{{NS12}}}trans-unit"):
            notes = {n.get("from", ""): n.text or "" for n in tu.iterfind("x:note", ns)}
            target = tu.find("x:target", ns)
            confidence, who = _made(notes, "person" if target is not None else "machine")
            if tu.get("approved") == "yes" or (target is not None and target.get("state") in PERSON_STATES):
                who = "person"
            cells = {langs[0]: _sentences(tu.find("x:source", ns), "mid"), langs[1]: _sentences(target, "mid")}
            if any(cells.values()):
                units.append(Unit(doc_id, tu.get("id", ""), cells, confidence, who))
    return out


def read(paths: list[Path], resp: str | None = None) -> list[ParallelText]:
    """Documents from XLIFF files (1.2 or 2.x): one per <file>."""
    texts = []
    for path in paths:
        root = _parse(path)
        found = (_read12 if etree.QName(root).namespace == NS12 else _read2)(path, root)
        for doc_id, (units, ((src, src_region), (tgt, tgt_region))) in found.items():
            if resp:
                units = [Unit(u.doc_id, u.link_id, u.cells, u.confidence, resp) for u in units]
            if not units:
                continue
            meta = Metadata(source=path.name, note=f"imported from {path.name} (XLIFF {root.get('version', '')})")
            regions = {key: region for key, region in ((src, src_region), (tgt, tgt_region)) if region}
            texts.append(parallel_text(doc_id, units, {src: meta, tgt: meta}, "imported from XLIFF", regions))
    if not texts:
        raise InputError(f"{', '.join(map(str, paths))}: no units with text to import")
    return texts
