"""TEI P5 adapter: `Document` and `Alignment` to and from TEI XML, validated by the shipped schema.

A version file holds `<text><body><div><head>/<p>` with `<s xml:id>`; the alignment file holds
one `<linkGrp type="translation">` per language pair in `<standOff>`, each `<link>` pointing at
`FILE#id` for the sentences it joins, with `@cert` (confidence) and `@resp` (#aligner or #editor).
An omission (1-0, 0-1, 2-0 …) is a `<ptr>` with the same attributes among the links: tei_all's
Schematron wants two pointers or more in a link's @target, and a linkGrp holds links and ptrs.
A link with XLIFF notes or a state gets an xml:id, and they follow the link groups as
`<note type="xliff-note|xliff-state|xliff-substate|xliff-approved" target="#LINK">`.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from lxml import etree

from aligner import __version__
from aligner.corpus.model import (
    Alignment,
    Change,
    Document,
    Link,
    Metadata,
    Note,
    Paragraph,
    ParagraphKind,
    Sentence,
    State,
)
from aligner.errors import SchemaError
from aligner.ingest.langs import region_name, split_tag

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_T = f"{{{TEI_NS}}}"
_XML_ID = f"{{{XML_NS}}}id"
_XML_LANG = f"{{{XML_NS}}}lang"
MACHINE, PERSON = "#aligner", "#editor"

LANGUAGE_NAMES = {
    "en": "English",
    "zh-Hans": "Chinese (Simplified script)",
    "zh-Hant": "Chinese (Traditional script)",
    "zh": "Chinese",
    "de": "German",
    "fr": "French",
}


def language_name(tag: str) -> str:
    """A language for people, region included: zh-Hant-TW → Chinese (Traditional script, Taiwan)."""
    key, region = split_tag(tag) if tag != "mul" else (tag, "")
    name = LANGUAGE_NAMES.get(key, key)
    if not region:
        return name
    return f"{name[:-1]}, {region_name(region)})" if name.endswith(")") else f"{name} ({region_name(region)})"


def version_file(lang: str) -> str:
    """File name of a language version inside a document folder."""
    return f"{lang}.xml"


ALIGNMENT_FILE = "align.xml"
_NO_SIGNATURE = "links made by hand or imported"
_NO_PAIRS = "No two versions with sentences to link."


@lru_cache(maxsize=2)
def _schema(name: str) -> etree.RelaxNG:
    """The shipped RELAX NG schema `name` (text or align), parsed once."""
    with resources.as_file(resources.files("aligner.corpus.schema")) as folder:
        return etree.RelaxNG(file=str(folder / f"{name}.rng"))


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """A TEI child element with optional text and attributes (`xml_id`/`xml_lang` for xml:*)."""
    node = etree.SubElement(parent, _T + tag)
    for key, value in attrs.items():
        node.set({"xml_id": _XML_ID, "xml_lang": _XML_LANG}.get(key, key), value)
    if text is not None:
        node.text = text
    return node


def _serialize(root: etree._Element, schema: str, where: str) -> bytes:
    """Validate against the schema, then serialise deterministically (same model, same bytes)."""
    validator = _schema(schema)
    if not validator.validate(root):
        err = validator.error_log.last_error
        raise SchemaError(f"{where}: the TEI we built breaks the {schema} schema: {err.message}")
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _parse(data: bytes, schema: str, where: str) -> tuple[etree._Element, bool]:
    """Parse and validate a TEI file, and say whether it was in an older form (brought up to
    date here); errors are one line with file, line and reason."""
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as err:
        line = err.position[0] if err.position else "?"
        raise SchemaError(f"{where}:{line}: malformed XML: {err.msg}; fix the file or rebuild it") from None
    upgraded = _upgrade(root)
    validator = _schema(schema)
    if not validator.validate(root):
        last = validator.error_log.last_error
        raise SchemaError(
            f"{where}:{last.line}: not valid TEI for aligner ({last.message}); fix the file or rebuild it"
        )
    return root, upgraded


def _upgrade(root: etree._Element) -> bool:
    """Bring a file written before the corpus followed tei_all to today's form (saved on the next
    write): the note moves from sourceDesc to notesStmt; an omission written as a `<link>` (type
    n-0 or 0-n, often one pointer) becomes a `<ptr>`; empty link groups, an empty appInfo and
    an empty standOff (a document with one version) are dropped or given a note. Says whether
    it changed anything."""
    note = root.find(f"{_T}teiHeader/{_T}fileDesc/{_T}sourceDesc/{_T}p")
    if note is not None:
        notes = etree.Element(_T + "notesStmt")
        note.getparent().addprevious(notes)  # type: ignore[union-attr]  # a found child has a parent
        note.tag = _T + "note"
        notes.append(note)  # moves it
    omissions = root.xpath("t:standOff/t:linkGrp/t:link[starts-with(@type, '0-') or substring-after(@type, '-') = '0']",
                           namespaces={"t": TEI_NS})
    for omission in omissions:
        omission.tag = _T + "ptr"
    empties = root.xpath("t:standOff/t:linkGrp[not(t:link | t:ptr)] | t:teiHeader/t:encodingDesc[not(t:appInfo/*)]",
                         namespaces={"t": TEI_NS})
    for empty in empties:
        empty.getparent().remove(empty)
    standoff = root.find(_T + "standOff")
    bare = standoff is not None and not len(standoff)
    if bare:
        _el(standoff, "note", _NO_PAIRS)
    return note is not None or bool(omissions) or bool(empties) or bare


def _header(root: etree._Element, title: str, lang: str, meta: Metadata) -> etree._Element:
    """A teiHeader: title, author, publication, source, language; translator for translations.

    tei_all's order, which callers keep when they add parts: fileDesc (titleStmt, publicationStmt,
    notesStmt, sourceDesc), encodingDesc (alignment files), profileDesc (the language with its
    region), revisionDesc (an editor's changes) last."""
    header = _el(root, "teiHeader")
    fdesc = _el(header, "fileDesc")
    tstmt = _el(fdesc, "titleStmt")
    _el(tstmt, "title", title or "(untitled)")
    if meta.author:
        _el(tstmt, "author", meta.author)
    if meta.translator:
        resp = _el(tstmt, "respStmt")
        _el(resp, "resp", "translation")
        _el(resp, "name", meta.translator)
    pub = _el(fdesc, "publicationStmt")
    _el(pub, "publisher", "aligner parallel corpus")
    _el(_el(pub, "availability"), "p", "For research and translation checking; see the source for rights.")
    if meta.note:  # tei_all: sourceDesc holds prose or bibliography, not both
        _el(_el(fdesc, "notesStmt"), "note", meta.note)
    sdesc = _el(fdesc, "sourceDesc")
    bibl = _el(sdesc, "bibl")
    _el(bibl, "title", meta.title or title or "(untitled)")
    if meta.author:
        author = _el(bibl, "author")
        _el(author, "persName", meta.author)
        if meta.affiliation:
            _el(author, "affiliation", meta.affiliation)
    if meta.date:
        _el(bibl, "date", meta.date, when=meta.date)
    if meta.source:
        _el(bibl, "idno", meta.source, type="source")
    profile = _el(header, "profileDesc")
    _el(_el(profile, "langUsage"), "language", language_name(lang), ident=lang)
    return header


def document_to_tei(doc: Document) -> bytes:
    """Serialise one language version as a TEI P5 file."""
    root = etree.Element(_T + "TEI", nsmap={None: TEI_NS})
    root.set(_XML_LANG, doc.tag)
    _header(root, doc.meta.title, doc.tag, doc.meta)
    div = _el(_el(_el(root, "text"), "body"), "div", type="article")
    _timeline(div, doc)
    parent = div
    for n, para in enumerate(doc.paragraphs):
        if para.kind == "head" and n:  # a heading after the title opens a section
            parent = _el(div, "div", type="section")
        node = _el(parent, para.kind, xml_id=para.id)
        if para.kind == "note":
            node.set("type", "footnote")
        if para.start is not None and para.end is not None:
            node.set("synch", f"#{para.id}.start #{para.id}.end")
        for sent in para.sentences:
            _el(node, "s", sent.text, xml_id=sent.id)
    return _serialize(root, "text", f"{doc.doc_id}/{version_file(doc.lang)}")


_KINDS: dict[str, ParagraphKind] = {_T + "head": "head", _T + "p": "p", _T + "note": "note"}


def _timeline(div: etree._Element, doc: Document) -> None:
    """Subtitle cue times: a `<timeline>` of `<when>`s in ms since the start, which paragraphs `@synch` to."""
    timed = [p for p in doc.paragraphs if p.start is not None and p.end is not None]
    if not timed:
        return
    origin = f"{doc.lang}.t0"
    line = _el(div, "timeline", unit="ms", origin=f"#{origin}")
    _el(line, "when", xml_id=origin, absolute="00:00:00")
    for para in timed:
        for edge, ms in (("start", para.start), ("end", para.end)):
            _el(line, "when", xml_id=f"{para.id}.{edge}", interval=str(ms), since=f"#{origin}")


def _times(root: etree._Element) -> dict[str, int]:
    """Milliseconds of every `<when>` of the timeline by its id."""
    return {w.get(_XML_ID, ""): int(w.get("interval")) for w in root.iter(_T + "when") if w.get("interval")}


def _span(node: etree._Element, times: dict[str, int]) -> tuple[int | None, int | None]:
    """A paragraph's cue start and end from its `@synch` pointers, or (None, None)."""
    pointers = node.get("synch", "").split()
    if len(pointers) != 2:
        return None, None
    return times.get(pointers[0].lstrip("#")), times.get(pointers[1].lstrip("#"))


def _text(node: etree._Element | None) -> str:
    return "".join(node.itertext()) if node is not None else ""


def tei_to_document(data: bytes, doc_id: str, where: str) -> Document:
    """Read one language version from TEI (validated first)."""
    return read_document(data, doc_id, where)[0]


def read_document(data: bytes, doc_id: str, where: str) -> tuple[Document, bool]:
    """One language version from TEI, and whether the file is in an older form (a save rewrites it)."""
    root, upgraded = _parse(data, "text", where)
    ns = {"t": TEI_NS}
    bibl = root.find("t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl", ns)
    translator = root.find("t:teiHeader/t:fileDesc/t:titleStmt/t:respStmt/t:name", ns)
    note = root.find("t:teiHeader/t:fileDesc/t:notesStmt/t:note", ns)
    date = bibl.find("t:date", ns) if bibl is not None else None
    meta = Metadata(
        title=_text(bibl.find("t:title", ns)) if bibl is not None else "",
        date=date.get("when", "") if date is not None else "",
        author=_text(bibl.find("t:author/t:persName", ns)) if bibl is not None else "",
        affiliation=_text(bibl.find("t:author/t:affiliation", ns)) if bibl is not None else "",
        source=_text(bibl.find("t:idno", ns)) if bibl is not None else "",
        translator=_text(translator),
        note=_text(note),
    )
    if meta.title == "(untitled)":
        meta = Metadata(**{**meta.__dict__, "title": ""})
    times = _times(root)
    paragraphs = tuple(
        Paragraph(
            node.get(_XML_ID, ""),
            tuple(Sentence(s.get(_XML_ID, ""), _text(s)) for s in node.iterfind("t:s", ns)),
            _KINDS[node.tag],
            *_span(node, times),
        )
        for node in root.find("t:text/t:body/t:div", ns).iter(*_KINDS)
    )
    key, region = split_tag(root.get(_XML_LANG, ""))
    return Document(doc_id, key, paragraphs, meta, region), upgraded


def _lang_of_pointer(pointer: str) -> str:
    """`zh-Hans.xml#zh-Hans.p1.s2` → zh-Hans."""
    return pointer.split("#", 1)[0].removesuffix(".xml")


def alignments_to_tei(
    doc_id: str, alignments: tuple[Alignment, ...], fingerprint: str = "", changes: tuple[Change, ...] = ()
) -> bytes:
    """Serialise the alignments of one document: one linkGrp per language pair; `fingerprint`
    (what the build aligned from) goes into the publicationStmt as `<idno type="fingerprint">`,
    the `changes` people made into the header's revisionDesc, newest first as TEI advises."""
    root = etree.Element(_T + "TEI", nsmap={None: TEI_NS})
    root.set(_XML_LANG, "mul")
    header = _header(root, f"Sentence alignment of {doc_id}", "mul", Metadata())
    fdesc = header.find(_T + "fileDesc")
    if fingerprint:
        _el(fdesc.find(_T + "publicationStmt"), "idno", fingerprint, type="fingerprint")
    tstmt = fdesc.find(_T + "titleStmt")
    for ident, what, who in (
        ("aligner", "automatic alignment", f"aligner {__version__}"),
        ("editor", "alignment made or confirmed by a person", "human editor"),
    ):
        resp = _el(tstmt, "respStmt", xml_id=ident)
        _el(resp, "resp", what)
        _el(resp, "name", who)
    apps = _el(_el(header, "encodingDesc"), "appInfo")
    header.insert(1, apps.getparent())  # encodingDesc comes before profileDesc
    _revisions(header, changes)
    standoff = _el(root, "standOff")
    annotated: list[tuple[str, Alignment, Link]] = []
    groups = tuple(al for al in alignments if al.links)  # tei_all: a linkGrp holds one link or more
    if not groups:  # tei_all: neither appInfo nor standOff may be empty
        header.remove(apps.getparent())
        _el(standoff, "note", _NO_PAIRS)
    for al in groups:
        app = _el(apps, "application", ident="aligner", version=__version__,
                  corresp=f"#{al.src_lang}--{al.tgt_lang}")
        _el(app, "label", "aligner")
        _el(app, "desc", al.signature or _NO_SIGNATURE)
        grp = _el(
            standoff,
            "linkGrp",
            type="translation",
            xml_id=f"{al.src_lang}--{al.tgt_lang}",
            corresp=f"{version_file(al.src_lang)} {version_file(al.tgt_lang)}",
        )
        for n, lk in enumerate(al.links, 1):
            targets = [f"{version_file(al.src_lang)}#{s}" for s in lk.src]
            targets += [f"{version_file(al.tgt_lang)}#{t}" for t in lk.tgt]
            node = _el(
                grp,
                "link" if lk.src and lk.tgt else "ptr",  # an omission points at one side only
                type=lk.kind,
                target=" ".join(targets),
                cert=f"{lk.confidence:.3f}",
                resp=PERSON if lk.resp == "person" else MACHINE,
            )
            if lk.notes or lk.state:
                node.set(_XML_ID, f"{al.src_lang}--{al.tgt_lang}.l{n}")
                annotated.append((node.get(_XML_ID, ""), al, lk))
    for ident, al, lk in annotated:  # tei_all: a standOff's notes may follow its link groups
        _link_notes(standoff, ident, al, lk)
    return _serialize(root, "align", f"{doc_id}/{ALIGNMENT_FILE}")


_STATE_NOTES = (("xliff-state", "value"), ("xliff-substate", "sub"), ("xliff-approved", "approved"))


def _link_notes(standoff: etree._Element, ident: str, al: Alignment, lk: Link) -> None:
    """A link's XLIFF notes and state as `<note type="xliff-…" target="#LINK">`: a note's category
    is its `<label>`, the version it is about its @subtype (source or target of the link group)."""
    for note in lk.notes:
        about = {al.src_lang: "source", al.tgt_lang: "target"}.get(note.about)
        node = _el(standoff, "note", type="xliff-note", target=f"#{ident}", **({"subtype": about} if about else {}))
        if note.category:
            _el(node, "label", note.category).tail = note.text
        else:
            node.text = note.text
    for kind, attr in _STATE_NOTES if lk.state else ():
        if getattr(lk.state, attr):
            _el(standoff, "note", getattr(lk.state, attr), type=kind, target=f"#{ident}")


def _notes_by_link(root: etree._Element) -> dict[str, list[etree._Element]]:
    """The standOff's XLIFF notes by the id of the link they are about."""
    out: dict[str, list[etree._Element]] = {}
    for node in root.iterfind(f"{_T}standOff/{_T}note[@target]"):
        out.setdefault(node.get("target", "").lstrip("#"), []).append(node)
    return out


def _annotations(nodes: list[etree._Element], src_lang: str, tgt_lang: str) -> tuple[tuple[Note, ...], State | None]:
    """A link's notes and state from its notes in the standOff."""
    notes = []
    for node in nodes:
        if node.get("type") == "xliff-note":
            label = node.find(_T + "label")
            about = {"source": src_lang, "target": tgt_lang}.get(node.get("subtype", ""), "")
            if label is None:
                notes.append(Note(node.text or "", "", about))
            else:  # a label's tail of only white space is the indentation of an empty note
                notes.append(Note(label.tail if (label.tail or "").strip() else "", label.text or "", about))
    values = {attr: _text(n) for kind, attr in _STATE_NOTES for n in nodes if n.get("type") == kind}
    return tuple(notes), State(**values) if values else None


def _revisions(header: etree._Element, changes: tuple[Change, ...]) -> None:
    """`<revisionDesc>` with one `<change when who="#editor" target><name>WHO</name>WHAT</change>` each."""
    if not changes:
        return
    desc = _el(header, "revisionDesc")
    for change in reversed(changes):
        node = _el(desc, "change", when=change.when, who=PERSON, **({"target": " ".join(change.target)} if change.target else {}))
        _el(node, "name", change.who).tail = change.what


def changes_of(data: bytes) -> tuple[Change, ...]:
    """The changes people made, oldest first, from an alignment file's revisionDesc (validated on load)."""
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    return tuple(
        Change(node.get("when", ""), _text(node.find(_T + "name")), (node.find(_T + "name").tail or "").strip(),
               tuple(node.get("target", "").split()))
        for node in reversed(root.findall(f"{_T}teiHeader/{_T}revisionDesc/{_T}change"))
    )


def fingerprint_of(data: bytes) -> str:
    """The build fingerprint an alignment file records, "" when it has none or is malformed.

    Read without validating: it only decides whether a build may skip a document.
    """
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return ""
    node = root.find(f"{_T}teiHeader/{_T}fileDesc/{_T}publicationStmt/{_T}idno[@type='fingerprint']")
    return (node.text or "") if node is not None else ""


def tei_to_alignments(data: bytes, where: str) -> tuple[Alignment, ...]:
    """Read every linkGrp of an alignment file (validated first)."""
    return read_alignments(data, where)[0]


def read_alignments(data: bytes, where: str) -> tuple[tuple[Alignment, ...], bool]:
    """Every linkGrp of an alignment file, and whether the file is in an older form (a save rewrites it)."""
    root, upgraded = _parse(data, "align", where)
    signatures = {
        app.get("corresp", "")[1:]: _text(app.find(_T + "desc"))
        for app in root.iter(_T + "application")
    }
    notes = _notes_by_link(root)
    out = []
    for grp in root.iterfind(f"{_T}standOff/{_T}linkGrp"):
        src_file, tgt_file = grp.get("corresp", " ").split()
        src_lang, tgt_lang = _lang_of_pointer(src_file), _lang_of_pointer(tgt_file)
        links = []
        for node in grp.iterchildren(_T + "link", _T + "ptr"):  # reading order
            pointers = node.get("target", "").split()
            said, state = _annotations(notes.get(node.get(_XML_ID, ""), []), src_lang, tgt_lang)
            links.append(
                Link(
                    src=tuple(p.split("#", 1)[1] for p in pointers if _lang_of_pointer(p) == src_lang),
                    tgt=tuple(p.split("#", 1)[1] for p in pointers if _lang_of_pointer(p) == tgt_lang),
                    confidence=float(node.get("cert", "1")),
                    resp="person" if node.get("resp") == PERSON else "machine",
                    notes=said,
                    state=state,
                )
            )
        signature = signatures.get(grp.get(_XML_ID, ""), "")
        if signature == _NO_SIGNATURE:
            signature = ""
        out.append(Alignment(src_lang, tgt_lang, tuple(links), signature))
    return tuple(out), upgraded
