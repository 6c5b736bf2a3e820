"""XLIFF 2.1 (and 1.2): bilingual files for CAT tools, written and read.

Written: a `<file>` per document and a unit per link. Each sentence is an `<mrk>` carrying its
id, so links joining several sentences come back as the same sentences; a link a person made is
state `final` (1.2: approved, state "final"), a machine's `translated`; confidence and maker are
notes. Read: any XLIFF 1.2 or 2.x: the source and target languages become two versions and each
unit's pair (2.x: each segment) a person's link, unless our own notes say a machine made it; the
1.2 <file>s of one original in several pairs (en→de, en→fr) are one document of their versions.
A unit's own notes (text, category or author, source or target) and its state (2.x state and
subState, 1.2 state, state-qualifier and approved) stay on the link and are written back; a
state only where it says more than who made the link, a 1.2 state in a 2.1 file as its nearest
2.x value (and the other way). A file with a DOCTYPE or entity declarations is refused before
parsing, never resolved. Read, inline codes (bpt, ept, ph, it; 2.x ph, sc, ec) are not text, and
a source or target whose <mrk> marks a CAT tool dropped is re-split, laid over the corpus with the
ids of the sentences it held (`imports.merged`). A 2.1 file names one language for its sources and
one for its targets, so versions of several regions (zh-Hant-HK, zh-Hant-TW) are refused: 1.2
names them per <file>.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from lxml import etree

from aligner import __version__
from aligner.corpus.model import Metadata, Note, ParallelText, Sentence, State
from aligner.errors import InputError
from aligner.formats import Batch, Imported, Unit, clean, confidence, parallel_text
from aligner.formats.select import keep_region
from aligner.formats.xmlfile import file_bytes, inline_text, refuse_copies, xml_root
from aligner.ingest.langs import joiner, split_tag

NS2 = "urn:oasis:names:tc:xliff:document:2.0"
NS12 = "urn:oasis:names:tc:xliff:document:1.2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
VERSIONS = ("2.1", "1.2")
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
PERSON_STATES = {"final", "reviewed", "signed-off"}
OURS = ("aligner-confidence", "aligner-made-by", "aligner-type")  # the notes we write, not a unit's own
STATES2 = ("initial", "translated", "reviewed", "final")
STATES12 = ("new", "needs-translation", "needs-l10n", "needs-adaptation", "translated", "needs-review-translation",
            "needs-review-l10n", "needs-review-adaptation", "final", "signed-off")
QUALIFIERS12 = ("exact-match", "fuzzy-match", "id-match", "leveraged-glossary", "leveraged-inherited", "leveraged-mt",
                "leveraged-repository", "leveraged-tm", "mt-suggestion", "rejected-grammar", "rejected-inaccurate",
                "rejected-length", "rejected-spelling", "tm-suggestion")
TO2 = {"new": "initial", "needs-translation": "initial", "needs-l10n": "initial", "needs-adaptation": "initial",
       "needs-review-translation": "translated", "needs-review-l10n": "translated", "needs-review-adaptation": "translated",
       "signed-off": "final"}
TO12 = {"initial": "new", "reviewed": "signed-off"}
_SUBSTATE = re.compile(r"[^\s:]+:\S+")  # 2.x: prefix:value
Tags = tuple[tuple[str, str], tuple[str, str]]  # the source's and the target's version key and region


def _mrks(parent: etree._Element, tag: str, sents: tuple[Sentence, ...], lang: str, v12: bool) -> None:
    """Sentences as mrk elements with their ids, joined as the language writes them."""
    for sent in sents:
        attrs = {"mtype": "seg", "mid": sent.id} if v12 else {"id": sent.id, "type": "generic"}
        etree.SubElement(parent, tag, attrs).text = sent.text
    _join(parent, lang)


def _join(parent: etree._Element, lang: str) -> None:
    """The mrk children joined as the language writes them (a space, or nothing for Chinese) and
    no other whitespace: inside <source> and <target> whitespace is content."""
    parent.text = None
    for n, mrk in enumerate(parent):
        mrk.tail = joiner(lang) if n < len(parent) - 1 else None


def _notes(unit: Unit, src: str, tgt: str, v12: bool) -> list[tuple[dict[str, str], str]]:
    """The attributes and text of each note of a unit: ours (confidence, maker, type), then its own."""
    ours = [("aligner-confidence", f"{unit.confidence:.3f}"), ("aligner-made-by", unit.resp), ("aligner-type", unit.kind)]
    names = ("from", "annotates") if v12 else ("category", "appliesTo")
    out = [({names[0]: category}, value) for category, value in ours]
    for note in unit.notes:
        about = {src: "source", tgt: "target"}.get(note.about, "")
        out.append(({k: v for k, v in zip(names, (note.category, about), strict=True) if v}, note.text))
    return out


def default_state(person: bool, translated: bool, v12: bool) -> State:
    """The state export writes for a link with none kept: final for a person's, translated for a
    machine's (2.x initial with no target; 1.2 approved for a person's, no state with no target)."""
    approved = "yes" if person and v12 else ""
    if not translated:
        return State("", "", approved) if v12 else State("initial")
    return State("final" if person else "translated", "", approved)


def _state(unit: Unit, translated: bool, v12: bool) -> State:
    """The state to write: the kept one in this version's vocabulary (a value or sub-state it has
    no word for mapped or left out), else the default."""
    person = unit.resp == "person"
    kept, default = unit.state, default_state(person, translated, v12)
    if kept is None:
        return default
    if v12:
        value = kept.value if kept.value in STATES12 or kept.value.startswith("x-") else TO12.get(kept.value, default.value)
        sub = kept.sub if kept.sub in QUALIFIERS12 or kept.sub.startswith("x-") else ""
        return State(value if translated else "", sub if translated else "", kept.approved)
    value = kept.value if kept.value in STATES2 else TO2.get(kept.value, default.value)
    return State(value if translated else "initial", kept.sub if _SUBSTATE.fullmatch(kept.sub) else "")


def _unit2(parent: etree._Element, unit: Unit, src: str, tgt: str) -> None:
    node = etree.SubElement(parent, f"{{{NS2}}}unit", id=unit.link_id)
    notes = etree.SubElement(node, f"{{{NS2}}}notes")
    for attrs, value in _notes(unit, src, tgt, False):
        etree.SubElement(notes, f"{{{NS2}}}note", attrs).text = value
    state = _state(unit, bool(unit.cells[tgt]), False)
    seg = etree.SubElement(node, f"{{{NS2}}}segment", {"state": state.value, **({"subState": state.sub} if state.sub else {})})
    _mrks(etree.SubElement(seg, f"{{{NS2}}}source"), f"{{{NS2}}}mrk", unit.cells[src], src, False)
    if unit.cells[tgt]:
        _mrks(etree.SubElement(seg, f"{{{NS2}}}target"), f"{{{NS2}}}mrk", unit.cells[tgt], tgt, False)


def _unit12(parent: etree._Element, unit: Unit, src: str, tgt: str) -> None:
    state = _state(unit, bool(unit.cells[tgt]), True)
    node = etree.SubElement(parent, f"{{{NS12}}}trans-unit", {"id": unit.link_id, **({"approved": state.approved} if state.approved else {})})
    _mrks(etree.SubElement(node, f"{{{NS12}}}source", {XML_LANG: unit.tag(src)}), f"{{{NS12}}}mrk", unit.cells[src], src, True)
    if unit.cells[tgt]:
        said = {"state": state.value, "state-qualifier": state.sub}
        target = etree.SubElement(node, f"{{{NS12}}}target", {XML_LANG: unit.tag(tgt), **{k: v for k, v in said.items() if v}})
        _mrks(target, f"{{{NS12}}}mrk", unit.cells[tgt], tgt, True)
    for attrs, value in _notes(unit, src, tgt, True):
        etree.SubElement(node, f"{{{NS12}}}note", attrs).text = value


def _one_tag_each(batch: Batch, out: Path) -> None:
    """Refuse a 2.1 file whose source or target versions have several tags (zh-Hant-HK, zh-Hant-TW):
    XLIFF 2 names one srcLang and one trgLang for the whole file, so the regions would be lost."""
    for lang in batch.langs:
        tags = sorted({unit.tag(lang) for unit in batch.units})
        if len(tags) > 1:
            raise InputError(
                f"{out}: the {lang} versions are {', '.join(tags)}, and an XLIFF 2.1 file names one language for all its "
                f"{'sources' if lang == batch.langs[0] else 'targets'}; export each apart (--langs naming one, e.g. {tags[-1]}), "
                "or use --xliff-version 1.2, which names them in each <file>"
            )


def write(batch: Batch, out: Path) -> dict[Path, bytes]:
    """One XLIFF file (2.1, or 1.2 when the batch asks) for a pair of languages."""
    if len(batch.langs) != 2:
        raise InputError(f"XLIFF is bilingual: choose two languages with --langs, e.g. --langs {batch.langs[0]},{batch.langs[1]}")
    src, tgt = batch.langs
    if not batch.units:
        raise InputError(f"{out}: no link is left to write (the filters left out every one), and XLIFF needs one; loosen the filters")
    v12 = batch.xliff_version == "1.2"
    if not v12:
        _one_tag_each(batch, out)
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
    ns = NS12 if v12 else NS2
    for name, lang in (("source", src), ("target", tgt)):  # indent put line breaks between their sentences
        for node in root.iter(f"{{{ns}}}{name}"):
            _join(node, lang)
    return {out: etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)}


def _parse(path: Path) -> etree._Element:
    """Parse safely: a DOCTYPE or entity declaration is refused, nothing is fetched or expanded."""
    data = file_bytes(path)
    if _DECLARATION.search(data.replace(b"\x00", b"")):  # NULs removed: UTF-16 files too
        raise InputError(f"{path}: the XLIFF has a DOCTYPE or entity declarations, which are refused for safety; remove them and import again")
    root = xml_root(path, data)
    if etree.QName(root).localname == "xliff" and etree.QName(root).namespace not in (NS2, NS12):
        raise InputError(
            f"{path}: the <xliff> root has no XLIFF namespace (it has {etree.QName(root).namespace or 'none'}); "
            f'add xmlns="{NS2}" (2.x) or xmlns="{NS12}" (1.2)'
        )
    if etree.QName(root).localname != "xliff":
        raise InputError(f"{path}: the root element is <{etree.QName(root).localname}>, not an XLIFF 1.2 or 2.x <xliff>; is this an XLIFF file?")
    return root


def _sentences(node: etree._Element | None, id_attr: str) -> tuple[Sentence, ...]:
    """The sentences of a source or target, inline codes left out: our mrk elements with ids, else
    the whole text as one with no id (a CAT tool's segment; ours, where it dropped the marks, is
    re-split by `parallel_text`)."""
    if node is None:
        return ()
    marks = [m for m in node if etree.QName(m).localname == "mrk" and m.get(id_attr)]
    if marks and len(marks) == len(node):
        return tuple(Sentence(m.get(id_attr, ""), clean(inline_text(m))) for m in marks)
    text = clean(inline_text(node))
    return (Sentence("", text),) if text else ()


def _tag(path: Path, node: etree._Element, code: str | None) -> tuple[str, str]:
    """The version key and region of a language attribute (zh-Hant-TW → zh-Hant, TW)."""
    try:
        return split_tag(code or "")
    except InputError:
        raise InputError(f"{path}:{node.sourceline}: language '{code or ''}' is missing or not a BCP 47 tag; set it on the file") from None


def _pair(path: Path, node: etree._Element, src: str | None, tgt: str | None) -> Tags:
    """The version keys and regions of a source and a target language, which must be two versions:
    a document holds one version a language (en-US and en-GB are both its en)."""
    tags = _tag(path, node, src), _tag(path, node, tgt)
    if tags[0][0] == tags[1][0]:
        raise InputError(
            f"{path}:{node.sourceline}: the source ({src}) and target ({tgt}) are both {tags[0][0]}, and a document holds "
            "one version a language; set the language the targets are in"
        )
    return tags


def _made(path: Path, nodes: list[etree._Element], name: str, default: str) -> tuple[float, str]:
    """Confidence and maker from our notes (`name`: the attribute naming a note), when the file
    has them; a confidence outside [0, 1] is refused naming the note's line (TEI's @cert holds no other)."""
    ours = {n.get(name, ""): n for n in nodes}
    said, maker = ours.get("aligner-confidence"), ours.get("aligner-made-by")
    sure = 1.0 if said is None else confidence(said.text or "", f"{path}:{said.sourceline}", "the aligner-confidence note", "fix or remove the note")
    return sure, default if maker is None else maker.text or ""


def _own_notes(nodes: list[etree._Element], names: tuple[str, str], langs: tuple[str, str]) -> tuple[Note, ...]:
    """A unit's own notes (not the ones we write): text, category (1.2: author) and the version
    it is about (`names`: the attributes saying these two)."""
    about = {"source": langs[0], "target": langs[1]}
    return tuple(
        Note(n.text or "", n.get(names[0], ""), about.get(n.get(names[1], ""), ""))
        for n in nodes if n.get(names[0], "") not in OURS
    )


def _kept(said: State, person: bool, translated: bool, v12: bool) -> State | None:
    """The state a file gave, kept where it says more than export would write for who made the link."""
    return None if said in (State(), default_state(person, translated, v12)) else said


Found = dict[tuple[str, frozenset[str]], tuple[list[tuple[Unit, str]], Tags, int]]  # (doc, pair) → units with their places, languages, line of its first <file>


def _read2(path: Path, root: etree._Element) -> Found:
    ns = {"x": NS2}
    tags = _pair(path, root, root.get("srcLang"), root.get("trgLang"))
    langs = tags[0][0], tags[1][0]
    refuse_copies(path, root.iterfind("x:file", ns), "id")
    out: Found = {}
    for file in root.iterfind("x:file", ns):
        doc_id = file.get("original") or file.get("id") or path.stem
        units = out.setdefault((doc_id, frozenset(langs)), ([], tags, file.sourceline or 0))[0]
        for unit in file.iter(f"{{{NS2}}}unit"):
            nodes = unit.findall("x:notes/x:note", ns)
            own = _own_notes(nodes, ("category", "appliesTo"), langs)
            for n, seg in enumerate(unit.iterfind("x:segment", ns), 1):
                said = State(seg.get("state", ""), seg.get("subState", ""))
                sure, who = _made(path, nodes, "category", "person" if seg.find("x:target", ns) is not None else "machine")
                who = "person" if said.value in PERSON_STATES else who
                cells = {langs[0]: _sentences(seg.find("x:source", ns), "id"), langs[1]: _sentences(seg.find("x:target", ns), "id")}
                if any(cells.values()):
                    state = _kept(said, who == "person", bool(cells[langs[1]]), False)
                    units.append((Unit(doc_id, f"{unit.get('id', '')}.{n}", cells, sure, who, notes=own, state=state), f"{path}:{seg.sourceline}"))
    return out


def _read12(path: Path, root: etree._Element) -> Found:
    ns = {"x": NS12}
    refuse_copies(path, root.iterfind("x:file", ns), "original")
    out: Found = {}
    regions: dict[str, dict[str, str]] = {}  # by document: the <file>s of one original are one document
    for file in root.iterfind("x:file", ns):
        tags = _pair(path, file, file.get("source-language"), file.get("target-language"))
        langs = tags[0][0], tags[1][0]
        doc_id = file.get("original") or path.stem
        for lang, region in tags:
            keep_region(regions.setdefault(doc_id, {}), lang, region, f"{path}:{file.sourceline}", "give each region's <file> an original of its own")
        units = out.setdefault((doc_id, frozenset(langs)), ([], tags, file.sourceline or 0))[0]  # a pair's units in its versions
        for tu in file.iter(f"{{{NS12}}}trans-unit"):
            nodes = tu.findall("x:note", ns)
            target = tu.find("x:target", ns)
            said_of = dict(target.attrib) if target is not None else {}
            said = State(said_of.get("state", ""), said_of.get("state-qualifier", ""), tu.get("approved", ""))
            sure, who = _made(path, nodes, "from", "person" if target is not None else "machine")
            if said.approved == "yes" or said.value in PERSON_STATES:
                who = "person"
            cells = {langs[0]: _sentences(tu.find("x:source", ns), "mid"), langs[1]: _sentences(target, "mid")}
            if any(cells.values()):
                state = _kept(said, who == "person", bool(cells[langs[1]]), True)
                own = _own_notes(nodes, ("from", "annotates"), langs)
                units.append((Unit(doc_id, tu.get("id", ""), cells, sure, who, notes=own, state=state), f"{path}:{tu.sourceline}"))
    return out


def _joined(text: Imported, more: Imported, where: str) -> Imported:
    """One document of <file>s of one original in two language pairs (en→de, en→fr): the version
    they share must hold the same sentences, as a document has one version a language."""
    shared = {}
    for lang in text.versions.keys() & more.versions.keys():
        one, other = text.versions[lang], more.versions[lang]
        if one.paragraphs != other.paragraphs:
            raise InputError(
                f"{where}: this <file> has other {lang} sentences than an earlier <file> of original '{text.doc_id}' in "
                f"another language pair, and a document has one {lang} version; give each pair's <file> an original of its own"
            )
        shared[lang] = replace(one, region=one.region or other.region)
    added = {lang: doc for lang, doc in more.versions.items() if lang not in text.versions}
    held = {lang: {**text.held.get(lang, {}), **more.held.get(lang, {})} for lang in text.held.keys() | more.held.keys()}
    return replace(text, versions={**text.versions, **shared, **added}, alignments=text.alignments + more.alignments, held=held)


def read(paths: list[Path], resp: str | None = None) -> list[ParallelText]:
    """Documents from XLIFF files (1.2 or 2.x): one per original (2.x: <file>), its language pairs
    (1.2) joined (`_joined`)."""
    texts: list[ParallelText] = []
    for path in paths:
        root = _parse(path)
        found = (_read12 if etree.QName(root).namespace == NS12 else _read2)(path, root)
        docs: dict[str, Imported] = {}
        for (doc_id, _), (held, ((src, src_region), (tgt, tgt_region)), line) in found.items():
            if not held:
                continue
            placed = [(replace(u, resp=resp) if resp else u, where) for u, where in held]
            meta = Metadata(source=path.name, note=f"imported from {path.name} (XLIFF {root.get('version', '')})")
            regions = {key: region for key, region in ((src, src_region), (tgt, tgt_region)) if region}
            text = parallel_text(doc_id, placed, {src: meta, tgt: meta}, "imported from XLIFF", regions,
                                 ids_in="in the <mrk> id attributes (1.2: mid)")
            docs[doc_id] = _joined(docs[doc_id], text, f"{path}:{line}") if doc_id in docs else text
        texts += docs.values()
    if not texts:
        raise InputError(f"{', '.join(map(str, paths))}: no units with text to import; give XLIFF files whose units have source text (1.2 <trans-unit>, 2.x <unit>)")
    return texts
