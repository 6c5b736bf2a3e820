"""Every kind of TEI file the project writes is valid against the TEI Consortium's tei_all.rng.

One jing run over all of them (about 2 s): the seed build with its .meta.json sidecars, a
document with one version, imports of each format (TMX with a person's links, Moses, XCES,
InterText, XLIFF, XLSX), subtitles and Markdown, and a document written through the store with omissions on both sides,
a person's links, every metadata field, a regional tag and an editor's change log. The run also holds one file in the form written before the corpus
followed tei_all, so that the check is seen to fail where it should.

jing runs tei_all's grammar but not the ISO Schematron rules embedded in it; tests/schematron_rules.py
runs every one of those rules (elementpath, XPath 3) on the same files.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from schematron_rules import rules

from aligner.build import build
from aligner.corpus.model import (
    Alignment,
    Change,
    Document,
    Link,
    Metadata,
    Note,
    Paragraph,
    ParallelText,
    Sentence,
    State,
)
from aligner.corpus.store import load, save
from aligner.formats.export import export
from aligner.formats.filters import Filters
from aligner.formats.imports import import_files

TEI_ALL = Path(__file__).parent / "data" / "tei" / "tei_all.rng"
DATA = Path(__file__).parent / "data" / "formats"
SEEDS = Path(__file__).parent.parent / "seeds"
SEED = "000_bf7a112df29932bd"


def jing() -> str:
    """The jing command; missing jing fails under CI (which must install it) and skips elsewhere."""
    found = shutil.which("jing")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("jing is not installed: CI must run `apt-get install -y jing` (see .ci/run)")
    pytest.skip("jing is not installed (apt-get install -y jing)")


def sentences(lang: str, pid: str, *texts: str) -> Paragraph:
    return Paragraph(f"{lang}.{pid}", tuple(Sentence(f"{lang}.{pid}.s{i}", t) for i, t in enumerate(texts, 1)),
                     "head" if pid == "head" else "p")


def handmade() -> ParallelText:
    """Omissions on both sides (1-0, 2-0, 0-1), a person's links, full and empty metadata, a
    Hong Kong version, a pair with no links at all, changes an editor made (revisionDesc), and
    XLIFF notes and states on links (standOff notes pointing at the links)."""
    full = Metadata(title="标题 & <Title>", date="2013-03-12", author="孙茹", affiliation="CICIR",
                    source="x.txt", translator="a translator", note="Translation prepared for this corpus.")
    en = Document("hand", "en", (sentences("en", "head", "Title"), sentences("en", "p1", "One.", "Two.", "Three.")), full)
    zh = Document("hand", "zh-Hans", (sentences("zh-Hans", "p1", "一。", "二。"),), Metadata(note="只有注释。"))
    zt = Document("hand", "zh-Hant", (sentences("zh-Hant", "p1", "一。"),), region="HK")
    links = (
        Link(("en.head.s1",), (), 0.2),
        Link(("en.p1.s1",), ("zh-Hans.p1.s1",), 1.0, "person",
             (Note("术语 & <b>", "review", "zh-Hans"), Note("from the client")), State("final", "my:checked", "yes")),
        Link(("en.p1.s2", "en.p1.s3"), (), 0.5),
        Link((), ("zh-Hans.p1.s2",), 0.1, "person", (Note("", "empty"),), State(approved="no")),
    )
    alignments = (Alignment("en", "zh-Hans", links, "aligner test"), Alignment("zh-Hans", "zh-Hant", ()))
    changes = (
        Change("2026-12-06T08:00:00Z", "Li Wei", "merged two links", ("en.xml#en.p1.s2", "#en--zh-Hans")),
        Change("2026-12-06T08:05:00Z", "Li Wei", "confirmed a link"),
    )
    return ParallelText("hand", {"en": en, "zh-Hans": zh, "zh-Hant": zt}, alignments, changes=changes)


def legacy(corpus: Path) -> Path:
    """A version file as written before: the translator's note as a <p> beside the <bibl>."""
    data = (corpus / "hand" / "en.xml").read_text(encoding="utf-8")
    note = "<notesStmt>\n        <note>Translation prepared for this corpus.</note>\n      </notesStmt>\n      "
    assert note in data
    old = data.replace(note, "").replace("</bibl>", "</bibl>\n        <p>Translation prepared for this corpus.</p>")
    path = corpus.parent / "legacy" / "en.xml"
    path.parent.mkdir()
    path.write_text(old, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One corpus folder per kind of document the project writes, under one root."""
    root = tmp_path_factory.mktemp("tei_all")
    seeds = root / "seeds"
    seeds.mkdir()
    for path in SEEDS.glob(f"{SEED}*"):  # the texts and their .meta.json sidecars
        shutil.copy(path, seeds)
    build(seeds, root / "seed")
    solo = root / "solo_seeds"
    solo.mkdir()
    shutil.copy(SEEDS / f"{SEED}.txt", solo / "solo.en.txt")
    build(solo, root / "solo")
    media = root / "media_seeds"  # subtitles (a timeline the paragraphs synch to) and Markdown sections
    media.mkdir()
    for name, text in MEDIA.items():
        (media / name).write_text(text, encoding="utf-8")
    build(media, root / "media")
    d1 = load(DATA / "corpus", "d1")
    ex = root / "exported"
    export([d1], "tmx", ["en", "zh-Hans"], ex / "d1.tmx", Filters())
    export([d1], "moses", ["en", "zh-Hans"], ex / "moses" / "d1", Filters())
    export([d1], "xces", ["en", "zh-Hans"], ex / "xces", Filters())
    import_files([ex / "d1.tmx"], "tmx", root / "tmx")
    import_files([ex / "moses" / "d1.en", ex / "moses" / "d1.zh-Hans"], "moses", root / "moses")
    import_files([ex / "xces" / "en-zh-Hans.xml"], "xces", root / "xces")
    import_files([DATA / "intertext" / "story.en.story.zh.xml"], "intertext", root / "intertext", langs=["en", "zh-Hans"])
    export([d1], "xliff", ["en", "zh-Hans"], ex / "d1.xlf", Filters())
    import_files([ex / "d1.xlf"], "xliff", root / "xliff")
    export([d1], "xlsx", ["en", "zh-Hans"], ex / "d1.xlsx", Filters())
    import_files([ex / "d1.xlsx"], "xlsx", root / "xlsx")
    save(root / "hand", handmade())
    return root


# Changes to a valid file that tei_all rejects: the shipped schemas must reject them too.
# (file under the corpora, pattern, replacement), applied with re.sub (DOTALL).
BREAKS = [
    ("hand/hand/en.xml", r"</bibl>", "</bibl><p>a note beside the bibliography</p>"),
    ("hand/hand/en.xml", r'<div type="article">', '<div type="two words">'),
    ("hand/hand/en.xml", r'xml:lang="en"', 'xml:lang="en_GB"'),
    ("hand/hand/en.xml", r'ident="en"', 'ident="en GB"'),
    ("hand/hand/en.xml", r'<idno type="source">', '<idno type="a source">'),
    ("hand/hand/align.xml", r'version="[^"]*"', 'version="0.1.0+dev"'),
    ("hand/hand/align.xml", r'ident="aligner"', 'ident="1aligner"'),
    ("hand/hand/align.xml", r'corresp="#en--zh-Hans"', 'corresp=""'),
    ("hand/hand/align.xml", r'target="en\.xml#en\.p1\.s2 #en--zh-Hans"', 'target=""'),
    ("hand/hand/align.xml", r"<(link|ptr) [^>]*/>", ""),
    ("hand/hand/align.xml", r"<linkGrp .*</standOff>", "</standOff>"),
    ("hand/hand/align.xml", r'subtype="target"', 'subtype="the target"'),
    ("hand/hand/align.xml", r'<note type="xliff-note" target="[^"]*"', '<note type="xliff-note" target=""'),
    ("hand/hand/align.xml", r"<application .*</application>", ""),
    ("media/film/en.xml", r'synch="[^"]*"', 'synch=""'),
    ("media/film/en.xml", r'since="[^"]*"', 'since=""'),
    ("media/film/en.xml", r'absolute="[^"]*"', 'absolute="at the start"'),
]
SCHEMAS = Path(__file__).parent.parent / "aligner" / "corpus" / "schema"

# tei_all's embedded Schematron (jing skips it) holds 101 asserts and reports; all of them are run.
# These are the rules whose context matches something the project writes, by the @id of their
# sch:pattern in tests/data/tei/tei_all.rng (TEI P5 4.9.0), with what each asks.
APPLYING = {
    "tei_all-link-linkTargets3-constraint-rule-56": "a <link> has two pointers or more in @target",
    "tei_all-ptr-ptrAtts-constraint-rule-18": "a <ptr> has @target or @cRef, not both",
    "tei_all-s-noNestedS-constraint-rule-31": "no <s> inside an <s>",
    "tei_all-p-abstractModel-structure-p-in-ab-or-p-constraint-rule-12": "no <p> inside a <p> or an <ab>",
    "tei_all-div-abstractModel-structure-div-in-ab-or-p-constraint-rule-29": "no <div> inside a <p> or an <ab>",
    "tei_all-standOff-nested_standOff_should_be_typed-constraint-rule-59": "a <standOff> inside another has @type",
    "tei_all-att.datable.w3c-att-datable-w3c-when-constraint-rule-2": "@when goes without @notBefore, @notAfter, @from, @to",
    "tei_all-att.typed-subtypeTyped-constraint-rule-10": "an element with @subtype has @type (an XLIFF note's)",
}
# Changes that pass jing but break one of those rules: (file, pattern, replacement, the rule).
# The shipped schemas must reject them too.
SCHEMATRON_BREAKS = [
    ("hand/hand/align.xml", r'<ptr type="1-0"', '<link type="1-0"', "tei_all-link-linkTargets3-constraint-rule-56"),
    ("hand/hand/align.xml", r'<ptr type="0-1"', '<ptr cRef="1" type="0-1"', "tei_all-ptr-ptrAtts-constraint-rule-18"),
    ("hand/hand/en.xml", r'(<s xml:id="en.p1.s1">One.)</s>', r'\1<s>Two.</s></s>', "tei_all-s-noNestedS-constraint-rule-31"),
    ("hand/hand/en.xml", r'<date when="([^"]*)"', r'<date when="\1" notAfter="\1"', "tei_all-att.datable.w3c-att-datable-w3c-when-constraint-rule-2"),
    ("hand/hand/align.xml", r'<note type="xliff-note" (target="[^"]*" subtype=)', r"<note \1", "tei_all-att.typed-subtypeTyped-constraint-rule-10"),
]

MEDIA = {
    "film.en.srt": "1\n00:00:01,000 --> 00:00:03,500\nThe river is long.\n\n"
                   "2\n00:00:04,000 --> 00:00:06,000\nIt flows east. Boats carry rice.\n",
    "film.zh-Hans.srt": "1\n00:00:01,200 --> 00:00:03,300\n这条河很长。\n\n"
                        "2\n00:00:04,100 --> 00:00:05,000\n它向东流。\n\n3\n00:00:05,000 --> 00:00:06,100\n船运大米。\n",
    "notes.en.md": "# Rivers\n\nThe river is long.\n\n## Boats\n\nBoats carry rice. They are slow.\n",
    "notes.zh-Hans.md": "# 河流\n\n这条河很长。\n\n## 船\n\n船运大米。船很慢。\n",
}
KINDS = ["seed", "solo", "media", "tmx", "moses", "xces", "intertext", "xliff", "xlsx", "hand"]


def test_every_kind_of_corpus_was_written(corpora: Path) -> None:
    for kind in KINDS:
        assert list((corpora / kind).glob("*/align.xml")), kind
    assert "<timeline" in (corpora / "media" / "film" / "zh-Hans.xml").read_text(encoding="utf-8")
    seed = (corpora / "seed" / SEED / "zh-Hans.xml").read_text(encoding="utf-8")
    assert "<notesStmt>" in seed and "Not the publisher's text" in seed  # from the .meta.json sidecar
    assert 'resp="#editor"' in (corpora / "tmx" / "d1" / "align.xml").read_text(encoding="utf-8")
    hand = (corpora / "hand" / "hand" / "align.xml").read_text(encoding="utf-8")
    assert 'type="0-1"' in hand and "<revisionDesc>" in hand
    assert 'xml:lang="zh-Hant-HK"' in (corpora / "hand" / "hand" / "zh-Hant.xml").read_text(encoding="utf-8")


def test_missing_jing_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y jing"):
        jing()


def test_every_file_is_valid_against_tei_all(corpora: Path) -> None:
    command = jing()
    files = sorted(p for kind in KINDS for p in (corpora / kind).glob("*/*.xml"))
    old = legacy(corpora / "hand")
    run = subprocess.run([command, str(TEI_ALL), *map(str, files), str(old)], capture_output=True, text=True)
    errors = [line for line in run.stdout.splitlines() if ": error: " in line]
    assert len(files) >= 20
    assert [line for line in errors if not line.startswith(f"{old}:")] == []
    assert errors and 'element "p" not allowed here' in errors[0]  # the check does catch the old form


def test_the_shipped_schemas_reject_what_tei_all_rejects(corpora: Path, tmp_path: Path) -> None:
    own = {name: etree.RelaxNG(file=str(SCHEMAS / f"{name}.rng")) for name in ("text", "align")}
    paths = []
    for n, (name, pattern, replacement) in enumerate(BREAKS):
        original = (corpora / name).read_text(encoding="utf-8")
        broken = re.sub(pattern, replacement, original, flags=re.DOTALL)
        assert broken != original, pattern
        path = tmp_path / f"{n}.{Path(name).name}"
        path.write_text(broken, encoding="utf-8")
        assert not own["align" if name.endswith("align.xml") else "text"].validate(etree.parse(str(path))), pattern
        paths.append(path)
    run = subprocess.run([jing(), str(TEI_ALL), *map(str, paths)], capture_output=True, text=True)
    rejected = {line.split(":", 1)[0] for line in run.stdout.splitlines() if ": error: " in line}
    assert [p for p in paths if str(p) not in rejected] == []  # each change really breaks tei_all


def test_no_link_has_fewer_than_two_targets(corpora: Path) -> None:
    """tei_all's link-linkTargets3 in plain lxml: omissions are <ptr>s, never one-target <link>s."""
    aligns = [p for kind in KINDS for p in (corpora / kind).glob("*/align.xml")]
    nodes = [n for p in aligns for n in etree.parse(str(p)).iter("{*}link", "{*}ptr")]
    assert [etree.tostring(n) for n in nodes if etree.QName(n).localname == "link" and len(n.get("target").split()) < 2] == []
    assert sum(etree.QName(n).localname == "ptr" for n in nodes) >= 3  # the omissions are there, as ptrs


def test_every_file_keeps_tei_alls_schematron_rules(corpora: Path) -> None:
    schematron = rules(TEI_ALL)
    assert len(schematron.checks) == 101
    files = sorted(p for kind in KINDS for p in (corpora / kind).glob("*/*.xml"))
    runs = [schematron.run(path) for path in files]
    assert [line for failures, _ in runs for line in failures] == []
    assert set().union(*(applying for _, applying in runs)) == set(APPLYING)
    old = corpora.parent / "old_links" / "align.xml"  # omissions as written before: one-target links
    old.parent.mkdir()
    old.write_bytes((corpora / "hand" / "hand" / "align.xml").read_bytes().replace(b"<ptr ", b"<link "))
    broken = [line.split(": ")[2].split()[0] for line in schematron.run(old)[0]]
    assert broken == ["tei_all-link-linkTargets3-constraint-rule-56"] * 2  # the 1-0 and the 0-1, not the 2-0


@pytest.mark.parametrize(("name", "pattern", "replacement", "rule"), SCHEMATRON_BREAKS)
def test_the_shipped_schemas_reject_what_tei_alls_schematron_rejects(
    corpora: Path, tmp_path: Path, name: str, pattern: str, replacement: str, rule: str
) -> None:
    original = (corpora / name).read_text(encoding="utf-8")
    broken = re.sub(pattern, replacement, original, count=1)
    assert broken != original, pattern
    path = tmp_path / Path(name).name
    path.write_text(broken, encoding="utf-8")
    assert [line.split(": ")[2].split()[0] for line in rules(TEI_ALL).run(path)[0]] == [rule]
    own = etree.RelaxNG(file=str(SCHEMAS / ("align.rng" if name.endswith("align.xml") else "text.rng")))
    assert not own.validate(etree.parse(str(path)))


# Rules of each kind the runner must get right, on a file the project would never write:
# (body markup, the patterns that must fire).
RUNNER_CASES = [
    ('<link target="#a"/><link target="#a #b"/>', ["tei_all-link-linkTargets3-constraint-rule-56"]),
    ('<date when="2020" notBefore="2019"/>', ["tei_all-att.datable.w3c-att-datable-w3c-when-constraint-rule-2"]),
    ('<p><span to="#a" from="#b"/><lg><l>a line</l></lg></p>', []),  # allowed: nothing fires
    ('<surface><path points="0,0 1,1 0,0"/><path points="0,0 1,1 2,2"/></surface>',  # sch:let
     ["tei_all-path-pathmustnotbeclosed-constraint-rule-43"]),
    ('<moduleRef key="a" prefix="x_"/><moduleRef key="b" prefix="x_"/><moduleRef key="c" prefix="y_"/>',  # current()
     ["tei_all-moduleRef-prefix-not-same-prefix-constraint-rule-68"] * 2),
    ('<elementSpec ident="x" mode="delete"><desc/></elementSpec><elementSpec ident="y" mode="change"/>',
     ["tei_all-elementSpec-child-constraint-based-on-mode-constraint-rule-70"] * 2),  # a pattern's two rules
]


@pytest.mark.parametrize(("body", "fired"), RUNNER_CASES)
def test_the_schematron_runner_keeps_schematrons_semantics(tmp_path: Path, body: str, fired: list[str]) -> None:
    path = tmp_path / "probe.xml"
    path.write_text(f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>{body}</body></text></TEI>', encoding="utf-8")
    assert [line.split(": ")[2].split()[0] for line in rules(TEI_ALL).run(path)[0]] == fired
