"""TMX 1.4b: one `<tu>` per unit with a `<tuv xml:lang>` per language, valid against the DTD.

Language codes: by default ("legacy") TMX gets the locale codes CAT tools expect (OmegaT,
Trados, memoQ): zh-CN for zh-Hans and zh-TW for zh-Hant, or the version's own region (zh-HK for
zh-Hant-HK, zh-MO, zh-SG); "bcp47" writes the stored tags with their region (zh-Hans, zh-Hant-TW,
zh-Hant-HK). Other tags are written as stored. Reading maps either back to ours, region kept.
Properties keep what TMX has no field for: `x-doc-id`, `x-link-id`, `x-confidence`, `x-resp`,
`x-type` on the tu, and on each tuv `x-sentences` ("ID:START-END …", code-point offsets into the
seg) so links joining several sentences come back as the same sentences. A seg a person corrected
so that the offsets no longer fit it is re-split as ingest splits, its sentences taking the ids
recorded and new ones after them (`parallel_text`). Read, a seg's inline codes (bpt, ept, ph, it,
ut: native markup) are not text, and its whitespace is folded as ingest folds it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from lxml import etree

from aligner import __version__
from aligner.corpus.model import Metadata, ParallelText, Sentence
from aligner.errors import InputError
from aligner.formats import Batch, Unit, clean, confidence, parallel_text
from aligner.formats.select import keep_region
from aligner.formats.xmlfile import inline_text, parse, refuse_copies
from aligner.ingest.langs import joiner, split_tag

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TAG_STYLES = {"legacy": {"zh-Hans": "zh-CN", "zh-Hant": "zh-TW"}, "bcp47": {}}  # for a version with no region
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'


def tmx_code(tag: str, style: str = "legacy") -> str:
    """The code written into TMX for a version's full tag, in a style of TAG_STYLES: legacy
    zh-Hant-HK → zh-HK, zh-Hant → zh-TW; bcp47 as stored."""
    key, region = split_tag(tag)
    if style == "legacy" and key in TAG_STYLES["legacy"]:
        return f"zh-{region}" if region else TAG_STYLES["legacy"][key]
    return tag


@lru_cache(maxsize=1)
def dtd() -> etree.DTD:
    """The TMX 1.4b DTD shipped with the package."""
    with resources.as_file(resources.files("aligner.formats") / "tmx14.dtd") as path:
        return etree.DTD(str(path))


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    node.text = text
    return node


def _prop(parent: etree._Element, kind: str, value: str) -> None:
    _sub(parent, "prop", value, type=kind)


def _tu(body: etree._Element, unit: Unit, style: str) -> None:
    """One tu: unit properties, then a tuv per language with its sentence offsets."""
    tu = _sub(body, "tu", tuid=f"{unit.doc_id}:{unit.link_id}")
    for kind, value in (
        ("x-doc-id", unit.doc_id), ("x-link-id", unit.link_id), ("x-confidence", f"{unit.confidence:.3f}"),
        ("x-resp", unit.resp), ("x-type", unit.kind),
    ):
        _prop(tu, kind, value)
    for lang, sents in unit.cells.items():
        code = tmx_code(unit.tag(lang), style)
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: code})
        if code != unit.tag(lang):  # zh-CN stands for zh-Hans and for zh-Hans-CN: say which, to read it back
            _prop(tuv, "x-version", unit.tag(lang))
        spans, start = [], 0
        for sent in sents:
            spans.append(f"{sent.id}:{start}-{start + len(sent.text)}")
            start += len(sent.text) + len(joiner(lang))
        _prop(tuv, "x-sentences", " ".join(spans))
        _sub(tuv, "seg", unit.text(lang))


def write(batch: Batch, out: Path) -> dict[Path, bytes]:
    """The TMX file for the batch (omissions were left out by the caller: a tu needs every tuv)."""
    root = etree.Element("tmx", version="1.4")
    _sub(
        root, "header", creationtool="aligner", creationtoolversion=__version__, segtype="sentence",
        o_tmf="aligner TEI", adminlang="en", srclang=tmx_code(batch.tag(batch.langs[0]), batch.tag_style), datatype="plaintext",
    )
    body = _sub(root, "body")
    for unit in batch.units:
        _tu(body, unit, batch.tag_style)
    if not dtd().validate(root):
        raise InputError(f"{out}: the TMX we built breaks the TMX 1.4b DTD: {dtd().error_log.last_error}")
    etree.indent(root, space="  ")
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=DOCTYPE)
    return {out: data}


def _parse(path: Path) -> etree._Element:
    """Parse (gzip allowed) and DTD-validate a TMX file; one-line errors with file and line."""
    root = parse(path)
    if root.tag != "tmx":
        raise InputError(f"{path}: the root element is <{root.tag}>, not <tmx>; is this a TMX file?")
    for tu in root.iter("tu"):
        if tu.find("tuv") is not None and any(tuv.find("seg") is None for tuv in tu.iter("tuv")):
            raise InputError(f"{path}:{tu.sourceline}: a <tuv> without <seg>; every tuv needs its segment text")
    if not dtd().validate(root):
        first = dtd().error_log.filter_from_errors()[0]
        raise InputError(f"{path}:{first.line}: not valid TMX 1.4b ({first.message}); fix the file against the TMX 1.4b DTD")
    return root


def _lang(path: Path, node: etree._Element) -> tuple[str, str]:
    """The version key and region for a tuv's xml:lang (or TMX 1.1 `lang`), or the version our
    export named beside a legacy code (`x-version`) when it is of the same language."""
    key, region = _known(path, node, node.get(XML_LANG) or node.get("lang") or "")
    named = _props(node).get("x-version", "")
    if named and (version := _known(path, node, named))[0].split("-")[0] == key.split("-")[0]:
        return version
    return key, region


def _known(path: Path, node: etree._Element, code: str) -> tuple[str, str]:
    """The version key and region of a language code of a tuv; an unknown one is an error naming it and the line."""
    try:
        return split_tag(code)
    except InputError:
        raise InputError(f"{path}:{node.sourceline}: unknown language code '{code}'; use a code such as en, zh-CN, zh-TW") from None


def _spans(tuv: etree._Element) -> list[tuple[str, int, int]]:
    """The sentences our export recorded in `x-sentences` ("ID:START-END …"), an unreadable span as (ID, -1, -1)."""
    spans = next((p.text or "" for p in tuv.iterfind("prop") if p.get("type") == "x-sentences"), "")
    out = []
    for span in spans.split():
        sid, _, offsets = span.rpartition(":")
        start, _, end = offsets.partition("-")
        out.append((sid, int(start), int(end)) if start.isdigit() and end.isdigit() else (sid or span, -1, -1))
    return out


def _fit(text: str, spans: list[tuple[str, int, int]], lang: str) -> bool:
    """Whether recorded offsets still cut the text exactly as exported: sentences one after the
    other with the language's joiner between them and nothing else, none empty, the last at its end
    (an edited segment shifts them, and a cut in the wrong place would garble two sentences)."""
    gap, at = joiner(lang), 0
    for n, (_, start, end) in enumerate(spans):
        piece = text[start:end]
        if start != (at + len(gap) if n else 0) or (n and text[at:start] != gap) or not piece.strip() or piece != piece.strip():
            return False
        at = end
    return bool(spans) and at == len(text)


def _sentences(path: Path, tuv: etree._Element, lang: str) -> tuple[tuple[Sentence, ...], tuple[str, ...] | None]:
    """The seg's sentences, its inline codes left out: cut at the recorded offsets where they still
    fit it (`_fit`); else its whole text as one sentence with no id, with the ids recorded (an
    edited segment, which `parallel_text` re-splits giving them to its sentences) or none."""
    raw = inline_text(tuv.find("seg"))
    if not raw.strip():
        raise InputError(f"{path}:{tuv.sourceline}: an empty <seg>; remove the tu or fill the segment")
    spans = _spans(tuv)
    if _fit(raw, spans, lang):
        return tuple(Sentence(sid, clean(raw[start:end])) for sid, start, end in spans), None
    return (Sentence("", clean(raw)),), tuple(sid for sid, _, _ in spans) if spans else None


def _props(node: etree._Element) -> dict[str, str]:
    return {p.get("type", ""): p.text or "" for p in node.iterfind("prop")}


def read(paths: list[Path], resp: str | None = None) -> list[ParallelText]:
    """Documents from TMX files: grouped by the `x-doc-id` property, else one per file.

    Links are marked as made by a person (a translation memory holds confirmed pairs) unless the
    file says otherwise in `x-resp` or `resp` is given.
    """
    groups: dict[str, list[tuple[Unit, str]]] = {}  # by document: its units with their tu's place
    sources: dict[str, dict[str, Metadata]] = {}
    regions: dict[str, dict[str, str]] = {}
    for path in paths:
        root = _parse(path)
        refuse_copies(path, root.iterfind("body/tu"), "tuid")
        for tu in root.iterfind("body/tu"):
            props = _props(tu)
            doc_id = props.get("x-doc-id") or path.stem
            cells, named = {}, {}
            for tuv in tu.iterfind("tuv"):
                lang, region = _lang(path, tuv)
                if lang in cells:
                    raise InputError(
                        f"{path}:{tuv.sourceline}: a second <tuv> of {lang} in one <tu>; a version holds one"
                        f" language variety: keep one, or put the other in its own file"
                    )
                keep_region(regions.setdefault(doc_id, {}), lang, region, f"{path}:{tuv.sourceline}", "give each region's <tu>s an x-doc-id of their own")
                cells[lang], named[lang] = _sentences(path, tuv, lang)
                sources.setdefault(doc_id, {}).setdefault(
                    lang, Metadata(source=path.name, note=f"imported from {path.name} (TMX)")
                )
            who = resp or props.get("x-resp", "person")
            where = f"{path}:{tu.sourceline}"
            sure = confidence(props.get("x-confidence", "1"), where, "x-confidence", "fix or remove the property")  # 1: a memory's pairs are confirmed
            held = {lang: ids for lang, ids in named.items() if ids is not None}
            groups.setdefault(doc_id, []).append((Unit(doc_id, props.get("x-link-id", ""), cells, sure, who, held=held), where))
    if not groups:
        raise InputError(f"{', '.join(map(str, paths))}: no <tu> to import; give TMX files whose <body> has translation units")
    return [
        parallel_text(doc_id, placed, sources[doc_id], "imported from TMX", regions.get(doc_id), ids_in="in the tuvs' x-sentences properties")
        for doc_id, placed in groups.items()
    ]
