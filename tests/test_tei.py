"""TEI adapter: model → TEI → model is identity; files are validated; errors are one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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
from aligner.corpus.store import load, load_upgraded, save
from aligner.corpus.tei import (
    alignments_to_tei,
    document_to_tei,
    read_alignments,
    read_document,
    tei_to_alignments,
    tei_to_document,
)
from aligner.errors import SchemaError

META = Metadata(
    title="标题 & <Title>", date="2013-03-12", author="孙茹", affiliation="CICIR",
    source="x.txt", translator="aligner project", note="translation prepared for this corpus",
)


def doc(lang: str, texts: list[list[str]], meta: Metadata = META) -> Document:
    paras = [Paragraph(f"{lang}.head", (Sentence(f"{lang}.head.s1", "Title"),), "head")]
    for n, sents in enumerate(texts, 1):
        paras.append(Paragraph(f"{lang}.p{n}", tuple(Sentence(f"{lang}.p{n}.s{i}", t) for i, t in enumerate(sents, 1))))
    return Document("d1", lang, tuple(paras), meta)


# Text with Han (incl. Extension B), full-width punctuation, markup characters and spaces inside.
sentence_text = st.text(
    alphabet=st.sampled_from(list("abc XYZ<>&'\"。，「」“”《》中文繁體𠀀𪚥é") + ["\u3000"]),
    min_size=1, max_size=40,
).map(lambda t: t.strip()).filter(bool)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(sentence_text, min_size=1, max_size=4), min_size=0, max_size=4))
def test_document_round_trip(texts: list[list[str]]) -> None:
    original = doc("zh-Hant", texts)
    assert tei_to_document(document_to_tei(original), "d1", "x") == original


def test_document_round_trip_without_optional_metadata() -> None:
    original = doc("en", [["One.", "Two."]], Metadata())
    assert tei_to_document(document_to_tei(original), "d1", "x") == original


LINKS = (
    Link(("en.head.s1",), ("zh-Hans.head.s1",), 0.99),
    Link(("en.p1.s1", "en.p1.s2"), ("zh-Hans.p1.s1",), 0.8),
    Link(("en.p1.s3",), (), 0.4),
    Link((), ("zh-Hans.p1.s2",), 0.3, "person"),
    Link(("en.p2.s1",), ("zh-Hans.p2.s1", "zh-Hans.p2.s2"), 1.0, "person"),
)


def test_alignment_round_trip_keeps_types_confidence_and_who_made_it() -> None:
    als = (
        Alignment("en", "zh-Hans", LINKS, "aligner 0.1.0 engine"),
        Alignment("zh-Hans", "zh-Hant", (), ""),
    )
    data = alignments_to_tei("d1", als)
    assert tei_to_alignments(data, "x") == als[:1]  # tei_all: a linkGrp holds a link or more
    root = etree.fromstring(data)
    beads = [(etree.QName(n).localname, n.get("type"), n.get("target")) for n in root.find("{*}standOff/{*}linkGrp")]
    assert beads[2:4] == [("ptr", "1-0", "en.xml#en.p1.s3"), ("ptr", "0-1", "zh-Hans.xml#zh-Hans.p1.s2")]
    assert [(name, kind) for name, kind, _ in beads[::2]] == [("link", "1-1"), ("ptr", "1-0"), ("link", "1-2")]


BEAD = st.tuples(st.integers(0, 3), st.integers(0, 3)).filter(lambda b: b != (0, 0))


@settings(max_examples=60, deadline=None)
@given(st.lists(BEAD, max_size=12), st.lists(st.floats(0, 1), min_size=12, max_size=12))
def test_omissions_round_trip_in_reading_order(beads: list[tuple[int, int]], certs: list[float]) -> None:
    """Any run of n-m beads and n-0 / 0-n omissions: a <link> joins both sides (two pointers or
    more, as tei_all's Schematron asks), an omission is a <ptr>, and the model comes back as it was."""
    links, i, j = [], 0, 0
    for (n, m), cert in zip(beads, certs, strict=False):
        src = tuple(f"en.p1.s{k}" for k in range(i + 1, i + n + 1))
        tgt = tuple(f"zh-Hans.p1.s{k}" for k in range(j + 1, j + m + 1))
        links.append(Link(src, tgt, round(cert, 3), "person" if n == m else "machine"))
        i, j = i + n, j + m
    als = (Alignment("en", "zh-Hans", tuple(links)),) if links else ()
    data = alignments_to_tei("d1", als)
    assert tei_to_alignments(data, "x") == als
    nodes = list(etree.fromstring(data).iter("{*}link", "{*}ptr"))
    assert all(len(n.get("target").split()) >= 2 for n in nodes if etree.QName(n).localname == "link")
    assert [etree.QName(n).localname for n in nodes] == ["link" if lk.src and lk.tgt else "ptr" for lk in links]


def old_form(data: bytes) -> bytes:
    """An alignment file as written before omissions became <ptr>s: every bead a <link>."""
    return data.replace(b"<ptr ", b"<link ")


def test_omissions_written_as_links_are_read_as_before() -> None:
    new = alignments_to_tei("d1", (Alignment("en", "zh-Hans", LINKS),))
    old = old_form(new)
    assert old.count(b"<link ") == len(LINKS) and b'<link type="1-0" target="en.xml#en.p1.s3" ' in old
    assert tei_to_alignments(old, "x") == (Alignment("en", "zh-Hans", LINKS),)
    only_omissions = old_form(alignments_to_tei("d1", (Alignment("en", "zh-Hans", LINKS[2:4]),)))
    assert tei_to_alignments(only_omissions, "x") == (Alignment("en", "zh-Hans", LINKS[2:4]),)


def test_an_old_alignment_file_in_a_corpus_loads_and_is_saved_in_the_new_form(tmp_path: Path) -> None:
    versions = {"en": doc("en", [["A.", "B.", "C."], ["D."]]), "zh-Hans": doc("zh-Hans", [["甲。", "乙。"], ["丙。", "丁。"]])}
    text = ParallelText("d1", versions, (Alignment("en", "zh-Hans", LINKS, "aligner test"),), "sha256:x")
    save(tmp_path, text)
    path = tmp_path / "d1" / "align.xml"
    new = path.read_bytes()
    path.write_bytes(old_form(new))
    assert load_upgraded(tmp_path, "d1") == (text, True)
    assert save(tmp_path, load(tmp_path, "d1")) == [path]  # only the alignment file changes
    assert path.read_bytes() == new and b"<ptr " in new
    assert load_upgraded(tmp_path, "d1") == (text, False)


def test_the_shipped_schema_refuses_an_omission_as_a_link_or_a_one_pointer_link() -> None:
    data = alignments_to_tei("d1", (Alignment("en", "zh-Hans", LINKS),))
    one_pointer = data.replace(b'target="en.xml#en.head.s1 zh-Hans.xml#zh-Hans.head.s1"', b'target="en.xml#en.head.s1"')
    pair_as_ptr = data.replace(b'<link type="1-1"', b'<ptr type="1-1"')
    for bad in (one_pointer, pair_as_ptr):
        assert bad != data
        with pytest.raises(SchemaError, match="not valid TEI for aligner"):
            tei_to_alignments(bad, "align.xml")


def test_a_document_with_one_version_has_a_note_and_no_application() -> None:
    data = alignments_to_tei("d1", ())
    assert tei_to_alignments(data, "x") == ()
    root = etree.fromstring(data)
    assert [child.tag.split("}")[1] for child in root.find("{*}standOff")] == ["note"]
    assert root.find("{*}teiHeader/{*}encodingDesc") is None


def test_the_note_goes_to_notes_stmt_not_beside_the_bibl() -> None:
    root = etree.fromstring(document_to_tei(doc("zh-Hans", [["一。"]])))
    assert [child.tag.split("}")[1] for child in root.find("{*}teiHeader/{*}fileDesc")] == [
        "titleStmt", "publicationStmt", "notesStmt", "sourceDesc",
    ]
    assert [child.tag.split("}")[1] for child in root.find("{*}teiHeader/{*}fileDesc/{*}sourceDesc")] == ["bibl"]


def test_files_written_before_tei_all_conformance_are_read() -> None:
    """Old corpora load (and are rewritten in today's form on the next save): the note beside the
    bibl, an empty appInfo and standOff for one version, empty link groups."""
    original = doc("zh-Hans", [["一。"]])
    new = document_to_tei(original).decode()
    old = new.replace("<notesStmt>\n        <note>translation prepared for this corpus</note>\n      </notesStmt>\n      ", "")
    old = old.replace("</bibl>", "</bibl>\n        <p>translation prepared for this corpus</p>")
    assert old != new
    assert read_document(old.encode(), "d1", "x") == (original, True)
    assert read_document(new.encode(), "d1", "x") == (original, False)
    empty = alignments_to_tei("d1", ()).decode().replace("<note>No two versions with sentences to link.</note>", "")
    empty = empty.replace("<profileDesc>", "<encodingDesc><appInfo/></encodingDesc><profileDesc>")
    assert "<note>" not in empty and "<appInfo/>" in empty
    assert read_alignments(empty.encode(), "x") == ((), True)
    assert read_alignments(alignments_to_tei("d1", ()), "x") == ((), False)
    group = '<linkGrp type="translation" xml:id="zh-Hans--zh-Hant" corresp="zh-Hans.xml zh-Hant.xml"/></standOff>'
    with_empty_group = alignments_to_tei("d1", (Alignment("en", "zh-Hans", LINKS),)).decode().replace("</standOff>", group)
    assert group in with_empty_group
    assert read_alignments(with_empty_group.encode(), "x") == ((Alignment("en", "zh-Hans", LINKS),), True)


def test_serialisation_is_deterministic() -> None:
    d = doc("en", [["One.", "Two."]])
    assert document_to_tei(d) == document_to_tei(d)
    assert b"<?xml version='1.0' encoding='UTF-8'?>" in document_to_tei(d)


def test_malformed_xml_is_one_line_with_line_number() -> None:
    data = document_to_tei(doc("en", [["One."]])).replace(b"</s>", b"</x>", 1)
    with pytest.raises(SchemaError) as err:
        tei_to_document(data, "d1", "corpora/d1/en.xml")
    message = str(err.value)
    assert message.startswith("corpora/d1/en.xml:")
    assert "malformed XML" in message and "\n" not in message


def test_file_breaking_the_schema_names_line_and_reason() -> None:
    data = document_to_tei(doc("en", [["One."]])).replace(b'<s xml:id="en.p1.s1">', b"<s>", 1)
    with pytest.raises(SchemaError) as err:
        tei_to_document(data, "d1", "corpora/d1/en.xml")
    line = data.split(b"\n").index(next(ln for ln in data.split(b"\n") if b"<s>One.</s>" in ln)) + 1
    assert str(err.value).startswith(f"corpora/d1/en.xml:{line}: not valid TEI for aligner")


def test_confidence_outside_zero_one_is_refused() -> None:
    data = alignments_to_tei("d1", (Alignment("en", "zh-Hans", LINKS[:1]),)).replace(b'cert="0.990"', b'cert="1.5"')
    with pytest.raises(SchemaError, match="not valid TEI for aligner"):
        tei_to_alignments(data, "align.xml")


def test_writer_refuses_an_invalid_model() -> None:
    bad = Document("d1", "en", (Paragraph("en.p1", (Sentence("en.p1.s1", ""),)),))
    with pytest.raises(SchemaError, match="breaks the text schema"):
        document_to_tei(bad)
