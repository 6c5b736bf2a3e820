"""XLIFF 2.1 and 1.2: valid against the schemas, export → import round trips, CAT-tool files read,
DOCTYPEs and entities refused."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from test_formats_roundtrip import CORPUS, links, same_text_and_links

from aligner.cli import main
from aligner.corpus.store import load
from aligner.errors import InputError
from aligner.formats.export import export
from aligner.formats.filters import Filters
from aligner.formats.imports import import_files
from aligner.formats.xliff import NS2

SCHEMAS = Path(__file__).parent / "data" / "xliff"
VERSIONS = [("2.1", "xliff_core_2.xsd"), ("1.2", "xliff_core_1.2.xsd")]
PAIR = ["en", "zh-Hans"]


@pytest.mark.parametrize(("version", "xsd"), VERSIONS)
def test_export_is_valid_against_the_xliff_schema(tmp_path: Path, version: str, xsd: str) -> None:
    out = tmp_path / "d.xlf"
    export([load(CORPUS, "d1"), load(CORPUS, "d2")], "xliff", PAIR, out, Filters(), xliff_version=version)
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / xsd)))
    tree = etree.parse(str(out))
    assert schema.validate(tree), schema.error_log.last_error
    assert tree.getroot().get("version") == version


@pytest.mark.parametrize("version", ["2.1", "1.2"])
def test_export_then_import_gives_the_same_text_and_links(tmp_path: Path, version: str) -> None:
    out = tmp_path / "d.xlf"
    export([load(CORPUS, "d1"), load(CORPUS, "d2")], "xliff", PAIR, out, Filters(), xliff_version=version)
    back = {t.doc_id: t for t in import_files([out], "xliff", tmp_path / "corpora")}
    for doc in ("d1", "d2"):
        same_text_and_links(load(CORPUS, doc), back[doc], PAIR)
        assert [lk.resp for lk in links(back[doc], *PAIR)] == [lk.resp for lk in links(load(CORPUS, doc), *PAIR)]


CAT_21 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en-US" trgLang="zh-CN">
 <file id="f1" original="manual.docx">
  <unit id="u1"><notes><note category="review">check the term</note></notes>
   <segment state="final"><source>Press <pc id="1">Start</pc>.</source><target>按<pc id="1">开始</pc>。</target></segment>
   <segment state="translated"><source>Wait.</source><target>请稍候。</target></segment>
  </unit>
 </file>
</xliff>"""

CAT_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="manual.docx" source-language="en" target-language="zh-TW" datatype="plaintext"><body>
  <trans-unit id="1"><source>Press <g id="1">Start</g>.</source><target state="translated">按<g id="1">開始</g>。</target></trans-unit>
  <trans-unit id="2"><source>Not yet translated.</source></trans-unit>
 </body></file>
</xliff>"""


def test_a_cat_tools_xliff_2_becomes_two_versions_with_a_link_per_segment(tmp_path: Path) -> None:
    (tmp_path / "m.xlf").write_text(CAT_21, encoding="utf-8")
    (text,) = import_files([tmp_path / "m.xlf"], "xliff", tmp_path / "corpora")
    assert text.doc_id == "manual.docx"
    assert list(text.versions) == ["en", "zh-Hans"]  # locale codes become our tags
    src, tgt = "en", "zh-Hans"
    assert [s.text for s in text.versions[src].sentences()] == ["Press Start.", "Wait."]
    assert [s.text for s in text.versions[tgt].sentences()] == ["按开始。", "请稍候。"]
    assert [(lk.kind, lk.resp) for lk in links(text, src, tgt)] == [("1-1", "person"), ("1-1", "person")]


def test_a_cat_tools_xliff_1_2_keeps_untranslated_units_as_omissions(tmp_path: Path) -> None:
    (tmp_path / "m.xlf").write_text(CAT_12, encoding="utf-8")
    (text,) = import_files([tmp_path / "m.xlf"], "xliff", tmp_path / "corpora")
    assert list(text.versions) == ["en", "zh-Hant"]
    assert [lk.kind for lk in links(text, "en", "zh-Hant")] == ["1-1", "1-0"]
    assert [s.text for s in text.versions["zh-Hant"].sentences()] == ["按開始。"]


UNSAFE = [
    ("doctype", '<?xml version="1.0"?>\n<!DOCTYPE xliff SYSTEM "http://example.com/x.dtd">\n<xliff/>'),
    ("external entity", '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<xliff>&e;</xliff>'),
    ("billion laughs", '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n<xliff>&b;</xliff>'),
]


@pytest.mark.parametrize(("label", "data"), UNSAFE, ids=[u[0] for u in UNSAFE])
def test_doctype_and_entities_are_refused_and_nothing_is_written(tmp_path: Path, label: str, data: str) -> None:
    (tmp_path / "bad.xlf").write_text(data, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(tmp_path / "bad.xlf"), "--format", "xliff", "--corpus", str(tmp_path / "c")])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {tmp_path / 'bad.xlf'}: the XLIFF has a DOCTYPE or entity declarations, which are refused for safety; remove them and import again"
    )
    assert not (tmp_path / "c").exists()


def test_utf16_doctype_is_refused_too(tmp_path: Path) -> None:
    (tmp_path / "bad.xlf").write_bytes(UNSAFE[1][1].replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16"))
    with pytest.raises(InputError, match="DOCTYPE or entity declarations"):
        import_files([tmp_path / "bad.xlf"], "xliff", tmp_path / "c")


def test_xliff_needs_exactly_two_languages(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="XLIFF is bilingual: choose two languages with --langs"):
        export([load(CORPUS, "d1")], "xliff", ["en", "zh-Hans", "zh-Hant"], tmp_path / "x.xlf", Filters())


NOTED_21 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="zh-Hans">
 <file id="f1" original="guide">
  <unit id="u1"><notes><note category="review" appliesTo="target">check the term 术语</note><note>from the client</note></notes>
   <segment state="reviewed" subState="acme:checked"><source>Press Start.</source><target>按开始。</target></segment></unit>
  <unit id="u2"><segment state="translated" subState="acme:mt"><source>Wait.</source><target>请稍候。</target></segment></unit>
  <unit id="u3"><notes><note appliesTo="source">source typo fixed</note></notes>
   <segment state="final"><source>Done.</source><target>完成。</target></segment></unit>
  <unit id="u4"><segment state="initial"><source>Not yet.</source></segment></unit>
 </file>
</xliff>"""

NOTED_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="guide" source-language="en" target-language="zh-Hans" datatype="plaintext"><body>
  <trans-unit id="1" approved="no"><source>Press Start.</source><target state="needs-review-translation" state-qualifier="fuzzy-match">按开始。</target>
   <note from="Li Wei" annotates="target">check the term 术语</note><note>from the client</note></trans-unit>
  <trans-unit id="2"><source>Wait.</source><target state="signed-off" state-qualifier="x-acme-ok">请稍候。</target></trans-unit>
  <trans-unit id="3" approved="yes"><source>Done.</source><target state="final">完成。</target><note annotates="source">source typo fixed</note></trans-unit>
  <trans-unit id="4"><source>Not yet.</source></trans-unit>
 </body></file>
</xliff>"""


def said(path: Path) -> list[tuple[list[tuple[str, str, str]], dict[str, str]]]:
    """Per unit (2.x: segment), in order: its own notes (category or author, what they apply to,
    text) and its state attributes, our notes left out."""
    root = etree.parse(str(path)).getroot()
    v12 = root.get("version") == "1.2"
    names = ("from", "annotates") if v12 else ("category", "appliesTo")
    state = ("state", "state-qualifier") if v12 else ("state", "subState")
    out = []
    for unit in root.iter("{*}trans-unit", "{*}unit"):
        notes = [(n.get(names[0], ""), n.get(names[1], ""), n.text or "") for n in unit.iter("{*}note")
                 if not n.get(names[0], "").startswith("aligner-")]
        holder = unit.find("{*}target") if v12 else unit.find("{*}segment")
        states = {k: holder.get(k, "") for k in state} if holder is not None else {}
        out.append((notes, {**states, **({"approved": unit.get("approved", "")} if v12 else {})}))
    return out


@pytest.mark.parametrize(("version", "data", "xsd"), [("2.1", NOTED_21, "xliff_core_2.xsd"), ("1.2", NOTED_12, "xliff_core_1.2.xsd")])
def test_a_units_notes_and_state_come_back_through_the_corpus(tmp_path: Path, version: str, data: str, xsd: str) -> None:
    (tmp_path / "in.xlf").write_text(data, encoding="utf-8")
    import_files([tmp_path / "in.xlf"], "xliff", tmp_path / "corpora")
    text = load(tmp_path / "corpora", "guide")  # through the TEI store
    first = links(text, *PAIR)[0]
    assert first.notes[0].text == "check the term 术语" and first.notes[0].about == "zh-Hans"
    assert "xliff-note" in (tmp_path / "corpora" / "guide" / "align.xml").read_text(encoding="utf-8")
    export([text], "xliff", PAIR, tmp_path / "out.xlf", Filters(), xliff_version=version)
    original = said(tmp_path / "in.xlf")
    assert said(tmp_path / "out.xlf") == original
    assert original[0][0] and original[0][1]["state"]  # the comparison does see notes and states
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / xsd)))
    assert schema.validate(etree.parse(str(tmp_path / "out.xlf"))), schema.error_log.last_error


def test_a_1_2_state_is_written_in_2_1_as_its_nearest_value(tmp_path: Path) -> None:
    (tmp_path / "in.xlf").write_text(NOTED_12, encoding="utf-8")
    (text,) = import_files([tmp_path / "in.xlf"], "xliff", tmp_path / "corpora")
    export([text], "xliff", PAIR, tmp_path / "out.xlf", Filters(), xliff_version="2.1")
    assert [s for _, s in said(tmp_path / "out.xlf")] == [
        {"state": "translated", "subState": ""},  # needs-review-translation; fuzzy-match is no prefix:value
        {"state": "final", "subState": ""},  # signed-off
        {"state": "final", "subState": ""},
        {"state": "initial", "subState": ""},
    ]
    assert said(tmp_path / "out.xlf")[0][0] == [("Li Wei", "target", "check the term 术语"), ("", "", "from the client")]
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "xliff_core_2.xsd")))
    assert schema.validate(etree.parse(str(tmp_path / "out.xlf"))), schema.error_log.last_error


def test_jsonl_and_tsv_show_the_notes_and_state(tmp_path: Path) -> None:
    (tmp_path / "in.xlf").write_text(NOTED_21, encoding="utf-8")
    (text,) = import_files([tmp_path / "in.xlf"], "xliff", tmp_path / "corpora")
    export([text], "jsonl", PAIR, tmp_path / "out.jsonl", Filters())
    first = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["notes"] == [{"text": "check the term 术语", "category": "review", "about": "zh-Hans"},
                              {"text": "from the client", "category": "", "about": ""}]
    assert first["state"] == {"value": "reviewed", "sub": "acme:checked", "approved": ""}
    export([text], "tsv", PAIR, tmp_path / "out.tsv", Filters())
    header, row = (line.split("\t") for line in (tmp_path / "out.tsv").read_text(encoding="utf-8").splitlines()[:2])
    assert header[-2:] == ["notes", "state"]
    assert row[-2:] == ["review: check the term 术语 | from the client", "reviewed acme:checked"]


@pytest.mark.parametrize("version", ["2.1", "1.2"])
def test_source_and_target_hold_their_sentences_and_no_layout_whitespace(tmp_path: Path, version: str) -> None:
    """Whitespace inside <source>/<target> is content for a CAT tool: only the language's own
    join between sentences (a space in English, nothing in Chinese) may stand there."""
    out = tmp_path / "x.xlf"
    export([load(CORPUS, "d1"), load(CORPUS, "d2")], "xliff", ["en", "zh-Hans"], out, Filters(), xliff_version=version)
    root = etree.parse(str(out)).getroot()
    ns = root.nsmap[None]
    several = 0
    for name, join in (("source", " "), ("target", "")):
        for node in root.iter(f"{{{ns}}}{name}"):
            mrks = list(node)
            assert node.text is None and mrks[-1].tail is None
            assert [m.tail for m in mrks[:-1]] == [join] * (len(mrks) - 1)
            several += len(mrks) > 1
    assert several  # a unit of two sentences was written, so the join was seen


def test_an_export_that_filters_out_every_link_is_one_line_not_an_invalid_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no link is left to write \\(the filters left out every one\\), and XLIFF needs one"):
        export([load(CORPUS, "d1")], "xliff", PAIR, tmp_path / "x.xlf", Filters(min_confidence=1.1))
    assert not (tmp_path / "x.xlf").exists()


def xliff12(*files: tuple[str, str, tuple[tuple[str, str], ...]]) -> str:
    """An XLIFF 1.2 file of <file original="m"> elements, each (source language, target language, (source, target) a unit), a line each."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n' + "".join(
        f'<file original="m" source-language="{src}" target-language="{tgt}" datatype="plaintext"><body>'
        + "".join(f'<trans-unit id="{n}"><source>{s}</source><target>{t}</target></trans-unit>' for n, (s, t) in enumerate(units, 1))
        + "</body></file>\n"
        for src, tgt, units in files
    ) + "</xliff>\n"


GERMAN = (("Press Start.", "Drücken Sie Start."), ("Wait.", "Warten."))
FRENCH = (("Press Start.", "Appuyez sur Démarrer."), ("Wait.", "Attendez."))


def test_a_1_2_original_in_two_language_pairs_gives_each_pair_its_versions(tmp_path: Path) -> None:
    """The en→fr <file> of an original whose first <file> is en→de lost its French and doubled the English."""
    (tmp_path / "m.xlf").write_text(xliff12(("en", "de", GERMAN), ("en", "fr", FRENCH)), encoding="utf-8")
    (text,) = import_files([tmp_path / "m.xlf"], "xliff", tmp_path / "corpora")
    assert text == load(tmp_path / "corpora", "m")
    assert {lang: [s.text for s in doc.sentences()] for lang, doc in text.versions.items()} == {
        "en": ["Press Start.", "Wait."], "de": ["Drücken Sie Start.", "Warten."], "fr": ["Appuyez sur Démarrer.", "Attendez."],
    }
    assert [(al.pair, [lk.kind for lk in al.links]) for al in text.alignments] == [(("en", "de"), ["1-1", "1-1"]), (("en", "fr"), ["1-1", "1-1"])]


def test_xliff_2_files_of_one_id_and_original_are_one_document(tmp_path: Path) -> None:
    """Checked, not a bug: the units of repeated <file>s (one id or original) all come, in one document per original."""
    files = "".join(f'<file id="{i}"{o}><unit id="u"><segment><source>{s}</source><target>{t}</target></segment></unit></file>'
                    for i, o, s, t in (("f", ' original="m"', "One.", "Eins."), ("f", ' original="m"', "Two.", "Zwei."),
                                       ("g", "", "Three.", "Drei."), ("g", "", "Four.", "Vier.")))
    (tmp_path / "m.xlf").write_text(f'<xliff xmlns="{NS2}" version="2.0" srcLang="en" trgLang="de">{files}</xliff>', encoding="utf-8")
    texts = import_files([tmp_path / "m.xlf"], "xliff", tmp_path / "corpora")
    assert {t.doc_id: [s.text for s in t.versions["de"].sentences()] for t in texts} == {"m": ["Eins.", "Zwei."], "g": ["Drei.", "Vier."]}


BAD_XLIFF = [
    ("a pair with other source text", xliff12(("en", "de", GERMAN), ("en", "fr", FRENCH[:1])).encode(),
     "4: this <file> has other en sentences than an earlier <file> of original 'm' in another language pair, and a document "
     "has one en version; give each pair's <file> an original of its own"),
    ("1.2 source and target of one language", xliff12(("en", "en", GERMAN)).encode(),
     "3: the source (en) and target (en) are both en, and a document holds one version a language; set the language the targets are in"),
    ("2.x source and target of one language",
     f'<?xml version="1.0"?>\n<xliff xmlns="{NS2}" version="2.0" srcLang="en-US" trgLang="en-GB"><file id="f"><unit id="u"><segment>'
     "<source>Color.</source><target>Colour.</target></segment></unit></file></xliff>".encode(),
     "2: the source (en-US) and target (en-GB) are both en, and a document holds one version a language; set the language the targets are in"),
]


@pytest.mark.parametrize(("label", "data", "message"), BAD_XLIFF, ids=[b[0] for b in BAD_XLIFF])
def test_bad_xliff_is_one_line_naming_file_and_line_and_nothing_is_written(tmp_path: Path, label: str, data: bytes, message: str) -> None:
    """A second language pair and a target of the source's language were dropped in silence."""
    (tmp_path / "bad.xlf").write_bytes(data)
    result = CliRunner().invoke(main, ["import", str(tmp_path / "bad.xlf"), "--format", "xliff", "--corpus", str(tmp_path / "c")])
    assert (result.exit_code, result.stderr) == (1, f"Error: {tmp_path / 'bad.xlf'}:{message}\n")
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize("version", ["2.1", "1.2"])
@pytest.mark.parametrize("value", ["9", "-1", "nan", "inf", "high"])
def test_a_confidence_note_not_in_0_1_is_one_line_naming_the_note(tmp_path: Path, version: str, value: str) -> None:
    """9, -1, nan and inf said 'd1/align.xml: the TEI we built breaks the align schema'; a word was taken as 1."""
    out = tmp_path / "d.xlf"
    export([load(CORPUS, "d1")], "xliff", PAIR, out, Filters(), xliff_version=version)
    out.write_text(out.read_text(encoding="utf-8").replace(">0.950<", f">{value}<", 1), encoding="utf-8")
    line = next(n for n, text in enumerate(out.read_text(encoding="utf-8").splitlines(), 1) if f">{value}<" in text)
    result = CliRunner().invoke(main, ["import", str(out), "--format", "xliff", "--corpus", str(tmp_path / "c")])
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {out}:{line}: the aligner-confidence note '{value}' is not a number from 0 to 1; fix or remove the note\n"
    )
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize(
    ("data", "line"),
    [(CAT_21.replace("UTF-8", "UTF-16").encode(), 1), (CAT_21.replace("Wait.", "Wait…").encode().replace("…".encode(), b"\x85"), 6)],
    ids=["UTF-8 declared UTF-16 (a .NET writer's slip)", "cp1252 declared UTF-8"],
)
def test_text_not_in_the_declared_encoding_is_told_to_be_saved_as_utf8(tmp_path: Path, data: bytes, line: int) -> None:
    """Both were 'malformed XML: ...; fix the file' (the first: 'Blank needed here')."""
    (tmp_path / "bad.xlf").write_bytes(data)
    with pytest.raises(InputError, match=re.escape(f"{tmp_path / 'bad.xlf'}:{line}: the text is not in its declared encoding (UTF-8 when none is declared): ")
                       + r".*; save the file as UTF-8 with encoding=\"UTF-8\" in its XML declaration$"):
        import_files([tmp_path / "bad.xlf"], "xliff", tmp_path / "c")


def test_xliff_2_1_of_versions_in_several_regions_is_refused_and_1_2_keeps_them(tmp_path: Path) -> None:
    """XLIFF 2 names one trgLang for the whole file: zh-Hant-TW and zh-Hant-HK versions were written as
    zh-Hant, and came back without their regions."""
    d1 = load(CORPUS, "d1")
    texts = [
        replace(d1, doc_id=f"d1{region.lower()}", versions={**d1.versions, "zh-Hant": replace(d1.versions["zh-Hant"], region=region)})
        for region in ("TW", "HK")
    ]
    with pytest.raises(InputError) as err:
        export(texts, "xliff", ["en", "zh-Hant"], tmp_path / "x.xlf", Filters())
    assert str(err.value) == (
        f"{tmp_path / 'x.xlf'}: the zh-Hant versions are zh-Hant-HK, zh-Hant-TW, and an XLIFF 2.1 file names one language "
        "for all its targets; export each apart (--langs naming one, e.g. zh-Hant-TW), or use --xliff-version 1.2, which "
        "names them in each <file>"
    )
    assert not (tmp_path / "x.xlf").exists()
    export(texts, "xliff", ["en", "zh-Hant"], tmp_path / "x.xlf", Filters(), xliff_version="1.2")
    back = import_files([tmp_path / "x.xlf"], "xliff", tmp_path / "corpus")
    assert {t.doc_id: t.versions["zh-Hant"].tag for t in back} == {"d1tw": "zh-Hant-TW", "d1hk": "zh-Hant-HK"}
