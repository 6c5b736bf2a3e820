"""Import: InterText structure and status, bad input rejected with one line and nothing written."""

from __future__ import annotations

import gzip
import re
import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from aligner.cli import main
from aligner.corpus.model import Alignment, Link, ParallelText
from aligner.corpus.store import load
from aligner.errors import AlignerError
from aligner.formats.export import export
from aligner.formats.filters import Filters
from aligner.formats.imports import import_files
from aligner.formats.xliff import NS2

DATA = Path(__file__).parent / "data" / "formats"
BAD = DATA / "bad"

BAD_INPUT = [
    ("tmx", ["unknown_lang.tmx"], "unknown_lang.tmx:7: unknown language code 'english_US'; use a code such as en, zh-CN, zh-TW"),
    ("tmx", ["missing_seg.tmx"], "missing_seg.tmx:5: a <tuv> without <seg>; every tuv needs its segment text"),
    ("tmx", ["opustools_version.tmx"], 'opustools_version.tmx:2: not valid TMX 1.4b (Value for attribute version of tmx is different from default "1.4"); fix the file against the TMX 1.4b DTD'),
    ("tmx", ["malformed.tmx"], "malformed.tmx:7: malformed XML: Opening and ending tag mismatch: seg line 7 and tuv, line 7, column 43; fix the file"),
    ("moses", ["two.en", "two.zh-Hans"], "two.en has 3 lines but {BAD}/two.zh-Hans has 2; Moses files must be line-aligned"),
    ("intertext", ["broken.en.broken.zh.xml"], "broken.en.broken.zh.xml: xtargets name sentences that broken.en.xml or broken.zh.xml lack; fix the InterText files"),
    ("intertext", ["badsyntax.en.badsyntax.zh.xml"], "badsyntax.en.badsyntax.zh.xml:3: xtargets '1:1' is not 'P:S P:S;P:S'; fix the InterText file"),
]


@pytest.mark.parametrize(("fmt", "names", "message"), BAD_INPUT)
def test_bad_input_is_one_line_and_writes_nothing(tmp_path: Path, fmt: str, names: list[str], message: str) -> None:
    corpus = tmp_path / "corpus"
    with pytest.raises(AlignerError) as err:
        import_files([BAD / n for n in names], fmt, corpus)
    assert str(err.value) == f"{BAD}/{message.format(BAD=BAD)}"
    assert not corpus.exists()


def test_intertext_keeps_paragraphs_status_and_omissions(tmp_path: Path) -> None:
    (text,) = import_files([DATA / "intertext" / "story.en.story.zh.xml"], "intertext", tmp_path, langs=["en", "zh-Hans"])
    assert text.doc_id == "story"
    assert [[s.id for s in p.sentences] for p in text.versions["en"].paragraphs] == [
        ["en.p1.s1", "en.p1.s2"], ["en.p2.s1", "en.p2.s2"],
    ]
    assert text.versions["zh-Hans"].paragraphs[1].sentences[0].text == "黎明时船来了。"
    assert text.alignments[0].links == (
        Link(("en.p1.s1", "en.p1.s2"), ("zh-Hans.p1.s1",), 1.0, "person"),
        Link(("en.p2.s1",), ("zh-Hans.p2.s1",), 1.0, "machine"),
        Link(("en.p2.s2",), (), 1.0, "person"),
    )
    assert text.versions["en"].meta.source == "story.en.xml"
    assert load(tmp_path, "story") == text


def test_intertext_languages_are_detected_and_resp_can_be_forced(tmp_path: Path) -> None:
    (text,) = import_files([DATA / "intertext" / "story.en.story.zh.xml"], "intertext", tmp_path, resp="person")
    assert sorted(text.versions) == ["en", "zh-Hans"]
    assert {lk.resp for lk in text.alignments[0].links} == {"person"}


def test_existing_document_needs_replace(tmp_path: Path) -> None:
    path = DATA / "intertext" / "story.en.story.zh.xml"
    import_files([path], "intertext", tmp_path)
    with pytest.raises(AlignerError, match="document 'story' exists; use --replace to overwrite it"):
        import_files([path], "intertext", tmp_path)
    assert import_files([path], "intertext", tmp_path, replace=True)[0].doc_id == "story"


def test_tmx_without_our_properties_numbers_sentences(tmp_path: Path) -> None:
    tmx = tmp_path / "plain.tmx"
    tmx.write_text(
        (BAD / "unknown_lang.tmx").read_text().replace("english_US", "zh-TW"), encoding="utf-8"
    )
    (text,) = import_files([tmx], "tmx", tmp_path / "corpus")
    assert [s.id for s in text.versions["zh-Hant"].sentences()] == ["zh-Hant.p1.s1"]
    assert text.alignments[0].links == (Link(("en.p1.s1",), ("zh-Hant.p1.s1",), 1.0, "person"),)


GOLD = Path("/work/shared/gold")


@pytest.mark.skipif(not GOLD.is_dir(), reason="needs the shared gold sets")
@pytest.mark.parametrize(("name", "number"), [("aca", "001"), ("mag", "003")])
def test_real_intertext_files_reproduce_the_gold_links(tmp_path: Path, name: str, number: str) -> None:
    (text,) = import_files(
        [GOLD / name / "intertext" / f"non-literary.{number}_src.{number}_tgt.xml"], "intertext", tmp_path
    )
    for lang, side in (("en", "src"), ("zh-Hans", "tgt")):
        file = etree.parse(str(GOLD / name / "intertext" / f"non-literary.{number}_{side}.xml"))
        assert [(s.id, s.text) for s in text.versions[lang].sentences()] == [
            (f"{lang}.p{s.get('id').replace(':', '.s')}", s.text) for s in file.iter("s")
        ]
    gold = (GOLD / name / "gold" / f"{number}.align").read_text().splitlines()
    index = {s.id: n for lang in ("en", "zh-Hans") for n, s in enumerate(text.versions[lang].sentences())}
    got = [f"{[index[i] for i in lk.src]}:{[index[i] for i in lk.tgt]}" for lk in text.alignments[0].links]
    assert got == gold


def test_import_serialises_each_file_once_and_writes_only_when_all_are_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import aligner.corpus.store
    import aligner.corpus.tei
    from aligner.errors import CorpusError

    export([load(DATA / "corpus", "d1"), load(DATA / "corpus", "d2")], "tmx", ["en", "zh-Hans"], tmp_path / "x.tmx", Filters())
    calls: list[str] = []
    real_serialize, real_alignments = aligner.corpus.tei._serialize, aligner.corpus.store.alignments_to_tei

    def counted(root: etree._Element, schema: str, where: str) -> bytes:
        calls.append(schema)
        return real_serialize(root, schema, where)

    monkeypatch.setattr(aligner.corpus.tei, "_serialize", counted)
    import_files([tmp_path / "x.tmx"], "tmx", tmp_path / "ok")
    assert len(calls) == 6  # two documents, each two versions and an alignment, serialised once
    assert sorted(p.name for p in (tmp_path / "ok" / "d2").iterdir()) == ["align.xml", "en.xml", "zh-Hans.xml"]

    def invalid_second(doc_id: str, alignments: tuple[Alignment, ...], *header: Any) -> bytes:
        if doc_id == "d2":
            raise CorpusError("d2: invalid")
        return real_alignments(doc_id, alignments, *header)  # header: the fingerprint and the changes

    monkeypatch.setattr(aligner.corpus.store, "alignments_to_tei", invalid_second)
    with pytest.raises(CorpusError):
        import_files([tmp_path / "x.tmx"], "tmx", tmp_path / "bad")
    assert not (tmp_path / "bad").exists()


def tmx_of(path: Path, rows: Sequence[tuple[str, ...]], langs: tuple[str, ...] = ("en", "zh-CN"), doc: str = "") -> Path:
    """A TMX file of one tu a row, one tuv a language, with `doc` as its x-doc-id when given."""
    prop = f'<prop type="x-doc-id">{doc}</prop>' if doc else ""
    tus = "".join(
        "<tu>" + prop + "".join(f'<tuv xml:lang="{lang}"><seg>{text}</seg></tuv>' for lang, text in zip(langs, row, strict=True)) + "</tu>"
        for row in rows
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="t" creationtoolversion="1" '
        'segtype="sentence" o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/><body>' + tus + "</body></tmx>",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("given", "made"), [("../../escaped", "escaped"), ("docs/ch1.html", "ch1.html"), ("C:\\My Docs\\a b (1).docx", "a_b_1_.docx")]
)
def test_a_path_like_document_id_becomes_a_name_inside_the_corpus(tmp_path: Path, given: str, made: str) -> None:
    corpus = tmp_path / "deep" / "corpus"
    (text,) = import_files([tmx_of(tmp_path / "t.tmx", [("Hello there.", "你好。")], doc=given)], "tmx", corpus)
    assert text.doc_id == made and load(corpus, made).versions["en"].doc_id == made
    assert [p.name for p in corpus.iterdir()] == [made] and sorted(p.name for p in tmp_path.iterdir()) == ["deep", "t.tmx"]


def test_a_document_twice_in_one_import_is_refused_and_nothing_written(tmp_path: Path) -> None:
    one = tmx_of(tmp_path / "a.tmx", [("Hello there.", "你好。")], doc="d")
    two = tmx_of(tmp_path / "b.tmx", [("Hello there.", "你好。")], ("en", "zh-TW"), doc="d")
    with pytest.raises(AlignerError, match=re.escape(f"{two}: document 'd' comes twice in these files (first from {one}); import one file at a time, the later with --replace")):
        import_files([one, two], "tmx", tmp_path / "corpus")
    assert not (tmp_path / "corpus").exists()


def exported(folder: Path, fmt: str) -> Path:
    """Document d1 of the test corpus (en and zh-Hans) exported in `fmt` as FOLDER/d1.FMT."""
    folder.mkdir(parents=True, exist_ok=True)
    export([load(DATA / "corpus", "d1")], fmt, ["en", "zh-Hans"], folder / f"d1.{fmt}", Filters())
    return folder / f"d1.{fmt}"


def edited(path: Path, old: str, new: str) -> Path:
    """The file with the first `old` made `new`, as a hand edit leaves it."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str, nth: int = 0) -> str:
    """FILE:LINE of the `nth` line holding `needle`."""
    return f"{path}:{[n for n, line in enumerate(path.read_text(encoding='utf-8').splitlines(), 1) if needle in line][nth]}"


def refusal(files: Sequence[Path], fmt: str, corpus: Path) -> str:
    """What `aligner import` says of the files, checked to be one line with status 1 and nothing written."""
    result = CliRunner().invoke(main, ["import", *map(str, files), "--format", fmt, "--corpus", str(corpus)])
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1, result.output
    assert not corpus.exists()
    return result.stderr.removeprefix("Error: ").removesuffix("\n")


LINKED_TWICE = ", and a sentence belongs to one link; remove it from one of the two, or join them into one link"


@pytest.mark.parametrize("fmt", ["tmx", "xlsx", "xliff"])
def test_one_document_in_two_files_or_one_file_twice_is_one_line_and_nothing_written(tmp_path: Path, fmt: str) -> None:
    """The same sheet or TMX file twice, or two copies of one sheet, doubled every sentence (exit 0)."""
    one, two = exported(tmp_path / "a", fmt), exported(tmp_path / "b", fmt)
    assert refusal([one, two], fmt, tmp_path / "corpus") == (
        f"{two}: document 'd1' comes twice in these files (first from {one}); import one file at a time, the later "
        "with --replace, which adds its languages to the document"
    )
    assert refusal([one, tmp_path / "b" / ".." / "a" / one.name], fmt, tmp_path / "corpus") == (
        f"{tmp_path / 'b' / '..' / 'a' / one.name}: the file is given twice; name each file once"
    )


@pytest.mark.parametrize(("fmt", "start", "end", "unit", "named"), [
    ("tmx", '<tu tuid="d1:l1">', "</tu>", "<tu ", "<tu> repeats the one at line {line} (tuid 'd1:l1')"),
    ("xliff", '<file id="d1"', "</file>", "<segment ", "<file> repeats the one at line {line} (id 'd1')"),
], ids=["a tu twice", "an xliff <file> twice"])
def test_a_unit_twice_in_a_file_is_one_line_naming_both(tmp_path: Path, fmt: str, start: str, end: str, unit: str, named: str) -> None:
    """An XLIFF holding its <file> twice doubled every sentence, a TMX holding a tu twice its sentences; a
    copy is named as one (another tool's ids do not show it), one given another id by the ids of ours it repeats."""
    path = exported(tmp_path, fmt)
    text = path.read_text(encoding="utf-8")
    block = text[text.index(start) : text.index(end) + len(end)]
    path.write_text(text.replace(block, f"{block}\n{block}", 1), encoding="utf-8")
    first_block, copy_block = line_of(path, start), line_of(path, start, 1)
    assert refusal([path], fmt, tmp_path / "corpus") == (
        f"{copy_block}: this {named.format(line=first_block.rsplit(':', 1)[1])}, so its sentences would come twice; remove the copy"
    )
    other = block.replace(start, start.replace("d1", "d1x"), 1)
    path.write_text(text.replace(block, f"{block}\n{other}", 1), encoding="utf-8")
    first, copy = line_of(path, unit), line_of(path, unit, block.count(unit))  # the block's first unit and its copy's
    assert refusal([path], fmt, tmp_path / "corpus") == f"{copy}: sentence 'en.head.s1' of en is linked here and at {first}{LINKED_TWICE}"


def test_an_intertext_sentence_in_two_links_is_one_line_naming_both(tmp_path: Path) -> None:
    """en 1:1 in two links was imported (exit 0), as XCES refuses it."""
    for file in (DATA / "intertext").glob("story.*"):
        shutil.copy(file, tmp_path)
    bad = edited(tmp_path / "story.en.story.zh.xml", "xtargets='2:1;2:1'", "xtargets='1:1;2:1'")
    assert refusal([bad], "intertext", tmp_path / "corpus") == f"{bad}:3: sentence '1:1' of story.en.xml is linked here and at {bad}:2{LINKED_TWICE}"


@pytest.mark.parametrize(("fmt", "old", "new", "unit", "nths", "how", "ids_in"), [
    ("tmx", "en.p1.s3:", "en.p9.s1:", "<tu ", (2, 3), "one comes first in en, the other in zh-Hans", "in the tuvs' x-sentences properties"),
    ("xliff", 'mrk id="en.p1.s2"', 'mrk id="en.p1.s4"', "<segment ", (1, 2), "their en sentences interleave", "in the <mrk> id attributes (1.2: mid)"),
], ids=["tmx: an id moved to a paragraph at the end", "xliff: an id moved past the next link's"])
def test_an_edited_id_that_would_move_its_sentence_is_one_line_naming_both_links(
    tmp_path: Path, fmt: str, old: str, new: str, unit: str, nths: tuple[int, int], how: str, ids_in: str,
) -> None:
    """The sentence moved in silence (to a new paragraph at the end, or past the next link's), its link crossing others."""
    path = edited(exported(tmp_path, fmt), old, new)
    assert refusal([path], fmt, tmp_path / "corpus") == (
        f"{line_of(path, unit, nths[0])}: this en–zh-Hans link and the one at {line_of(path, unit, nths[1])} cross ({how}), "
        f"and links keep the order of the text; restore the ids the export wrote {ids_in}"
    )


def test_a_tmx_language_code_not_known_is_named_not_the_version_beside_it(tmp_path: Path) -> None:
    """zz-QQ with its x-version zh-Hans said "unknown language code 'zh-Hans'"."""
    path = edited(exported(tmp_path, "tmx"), 'xml:lang="zh-CN"', 'xml:lang="zz-QQ"')
    assert refusal([path], "tmx", tmp_path / "corpus") == f"{line_of(path, 'zz-QQ')}: unknown language code 'zz-QQ'; use a code such as en, zh-CN, zh-TW"


THREE = [("One.", "一。", "壹。"), ("Two.", "二。", "貳。")]


def test_replace_with_two_languages_keeps_the_third_and_its_links(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (before,) = import_files([tmx_of(tmp_path / "all.tmx", THREE, ("en", "zh-CN", "zh-TW"), "d")], "tmx", corpus)
    review = tmx_of(tmp_path / "review.tmx", [("One, corrected.", "一。"), ("Two.", "二。")], doc="d")
    (after,) = import_files([review], "tmx", corpus, replace=True)
    assert sorted(after.versions) == ["en", "zh-Hans", "zh-Hant"]
    assert [al.pair for al in after.alignments] == [al.pair for al in before.alignments]
    assert [s.text for s in load(corpus, "d").versions["en"].sentences()] == ["One, corrected.", "Two."]
    kept = {al.pair: al.links for al in load(corpus, "d").alignments}
    assert kept[("en", "zh-Hant")] == {al.pair: al.links for al in before.alignments}[("en", "zh-Hant")]


def test_replace_that_renumbers_a_version_another_pair_links_is_refused(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    import_files([tmx_of(tmp_path / "all.tmx", THREE, ("en", "zh-CN", "zh-TW"), "d")], "tmx", corpus)
    shorter = tmx_of(tmp_path / "review.tmx", [("One. Two.", "一。二。")], doc="d")
    with pytest.raises(AlignerError, match="the import changes which sentences en has, and the document's en–zh-Hant links point at them"):
        import_files([shorter], "tmx", corpus, replace=True)
    assert [s.text for s in load(corpus, "d").versions["en"].sentences()] == ["One.", "Two."]


@pytest.mark.parametrize(
    ("tu", "message"),
    [
        ('<prop type="x-confidence">7</prop><tuv xml:lang="en"><seg>A.</seg></tuv><tuv xml:lang="zh-CN"><seg>甲。</seg></tuv>',
         "x-confidence '7' is not a number from 0 to 1; fix or remove the property"),
        ('<prop type="x-confidence">nan</prop><tuv xml:lang="en"><seg>A.</seg></tuv><tuv xml:lang="zh-CN"><seg>甲。</seg></tuv>',
         "x-confidence 'nan' is not a number from 0 to 1"),
        ('<tuv xml:lang="en-US"><seg>Color.</seg></tuv><tuv xml:lang="en-GB"><seg>Colour.</seg></tuv><tuv xml:lang="zh-CN"><seg>颜色。</seg></tuv>',
         "a second <tuv> of en in one <tu>; a version holds one language variety"),
    ],
)
def test_a_tmx_unit_we_cannot_keep_whole_is_one_line_naming_its_line(tmp_path: Path, tu: str, message: str) -> None:
    path = tmx_of(tmp_path / "x.tmx", [])
    path.write_text(path.read_text(encoding="utf-8").replace("<body>", f"<body>\n<tu>{tu}</tu>"), encoding="utf-8")
    with pytest.raises(AlignerError, match=re.escape(f"{path}:2: {message}")):
        import_files([path], "tmx", tmp_path / "corpus")
    assert not (tmp_path / "corpus").exists()


def test_moses_files_split_at_newlines_only_and_lose_a_bom_and_crlf(tmp_path: Path) -> None:
    (tmp_path / "m.en").write_bytes("\ufeffFirst\u2028line.\r\nSecond line.\r\n".encode())
    (tmp_path / "m.zh-Hans").write_bytes("第一行。\r\n第二行。\r\n".encode())
    (text,) = import_files([tmp_path / "m.en", tmp_path / "m.zh-Hans"], "moses", tmp_path / "corpus")
    assert [s.text for s in text.versions["en"].sentences()] == ["First\u2028line.", "Second line."]
    assert len(text.alignments[0].links) == 2


def test_a_sentence_with_any_line_break_exports_to_moses_on_one_line(tmp_path: Path) -> None:
    rows = [("First\u2028sentence.", "第一句。"), ("Second\x85sentence.", "第二\u2029句。"), ("Third.", "第三句。")]
    (text,) = import_files([tmx_of(tmp_path / "ls.tmx", rows)], "tmx", tmp_path / "corpus")
    export([text], "moses", ["en", "zh-Hans"], tmp_path / "out", Filters())
    (back,) = import_files([tmp_path / "out.en", tmp_path / "out.zh-Hans-CN"], "moses", tmp_path / "again")  # zh-CN in TMX
    assert [s.text for s in back.versions["en"].sentences()] == ["First sentence.", "Second sentence.", "Third."]
    assert [s.text for s in back.versions["zh-Hans"].sentences()] == ["第一句。", "第二 句。", "第三句。"]


def test_a_moses_file_named_by_its_file_type_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("a\n", encoding="utf-8")
    (tmp_path / "x.zh").write_text("甲\n", encoding="utf-8")
    with pytest.raises(AlignerError, match=re.escape(f"{tmp_path / 'x.txt'}: no language suffix; name Moses files PREFIX.LANG")):
        import_files([tmp_path / "x.txt", tmp_path / "x.zh"], "moses", tmp_path / "corpus")


def test_an_xces_sentence_file_without_a_language_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text('<?xml version="1.0"?><text><s id="s1">One.</s></text>', encoding="utf-8")
    (tmp_path / "b.xml").write_text('<?xml version="1.0"?><text xml:lang="de"><s id="s1">Eins.</s></text>', encoding="utf-8")
    (tmp_path / "al.xml").write_text(
        '<?xml version="1.0"?><cesAlign version="1.0"><linkGrp fromDoc="a.xml" toDoc="b.xml"><link xtargets="s1;s1"/></linkGrp></cesAlign>',
        encoding="utf-8",
    )
    with pytest.raises(AlignerError, match=re.escape(f"{tmp_path / 'a.xml'}: ") + ".*; give the file an xml:lang or put it in a folder named for its language"):
        import_files([tmp_path / "al.xml"], "xces", tmp_path / "corpus")


def test_empty_moses_files_say_so(tmp_path: Path) -> None:
    for name in ("m.en", "m.zh-Hans"):
        (tmp_path / name).write_text("\n\n", encoding="utf-8")
    with pytest.raises(AlignerError, match="the files hold no text; give the line-aligned files of the corpus"):
        import_files([tmp_path / "m.en", tmp_path / "m.zh-Hans"], "moses", tmp_path / "corpus")


def test_an_xliff_root_without_its_namespace_says_which_to_add(tmp_path: Path) -> None:
    path = tmp_path / "x.xlf"
    path.write_text('<?xml version="1.0"?><xliff version="2.1" srcLang="en" trgLang="de"><file id="f"/></xliff>', encoding="utf-8")
    with pytest.raises(AlignerError, match=re.escape(f'{path}: the <xliff> root has no XLIFF namespace (it has none); add xmlns="urn:oasis:names:tc:xliff:document:2.0" (2.x)')):
        import_files([path], "xliff", tmp_path / "corpus")


def group(*links: str, to: str = "de/d.xml", frm: str = "en/d.xml") -> str:
    """An XCES <linkGrp> of `links` (xtargets), each on a line of its own."""
    return f'<linkGrp targType="s" fromDoc="{frm}" toDoc="{to}">\n' + "".join(f'<link xtargets="{x}"/>\n' for x in links) + "</linkGrp>\n"


def xces_of(folder: Path, *groups: str, en: str = "") -> Path:
    """`folder`/al.xml holding `groups` (line 3 on) over en/d.xml (`en`: its <s> elements, by default
    s1–s3) and de/d.xml of three sentences each."""
    sentences = {"en": en or '<s id="s1">One.</s><s id="s2">Two.</s><s id="s3">Three.</s>',
                 "de": '<s id="s1">Eins.</s><s id="s2">Zwei.</s><s id="s3">Drei.</s>'}
    for lang, body in sentences.items():
        (folder / lang).mkdir(parents=True, exist_ok=True)
        (folder / lang / "d.xml").write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<document xml:lang="{lang}"><p id="p1">{body}</p></document>\n', encoding="utf-8")
    (folder / "al.xml").write_text('<?xml version="1.0" encoding="UTF-8"?>\n<cesAlign version="1.0">\n' + "".join(groups) + "</cesAlign>\n", encoding="utf-8")
    return folder / "al.xml"


ONE_TO_THREE = (Link(("en.p1.s1",), ("de.p1.s1",), 1.0, "machine"), Link(("en.p1.s2",), ("de.p1.s2",), 1.0, "machine"),
                Link(("en.p1.s3",), ("de.p1.s3",), 1.0, "machine"))


@pytest.mark.parametrize(
    "groups",
    [(group("s1;s1", "s2;s2"), group(), group("s3;s3")), (group("s1;s1", "s2;s2"), group("s3;s3", to="en/d.xml", frm="de/d.xml"))],
    ids=["same direction, an empty group between", "the other direction"],
)
def test_xces_link_groups_of_one_pair_make_one_alignment(tmp_path: Path, groups: tuple[str, ...]) -> None:
    """Two linkGrps of one pair ended in 'the TEI we built breaks the align schema'; one the other way round was lost on export."""
    (text,) = import_files([xces_of(tmp_path, *groups)], "xces", tmp_path / "corpus")
    assert [(al.pair, al.links) for al in load(tmp_path / "corpus", "d").alignments] == [(("en", "de"), ONE_TO_THREE)]
    assert text == load(tmp_path / "corpus", "d")



def test_a_sentence_file_named_by_several_link_groups_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each linkGrp naming en/d.xml and de/d.xml parsed them again (thousands of groups in OPUS files)."""
    import aligner.formats.xces

    read: list[str] = []
    parse = aligner.formats.xces.parse

    def counted(path: Path) -> etree._Element:
        read.append(path.name)
        return parse(path)

    monkeypatch.setattr(aligner.formats.xces, "parse", counted)
    al = xces_of(tmp_path, group("s1;s1"), group("s2;s2"), group("s3;s3", to="en/d.xml", frm="de/d.xml"))
    import_files([al], "xces", tmp_path / "corpus")
    assert sorted(read) == ["al.xml", "d.xml", "d.xml"]
    assert load(tmp_path / "corpus", "d").alignments[0].links == ONE_TO_THREE

BAD_XCES = [
    ("linked twice in two groups", (group("s1;s1", "s2;s2"), group("s2;s3")),
     "8: sentence 's2' of en/d.xml is linked here and at {al}:5, and a sentence belongs to one link; remove it from one of the two, or join them into one link"),
    ("linked twice in a group", (group("s1;s1", "s1;s2"),),
     "5: sentence 's1' of en/d.xml is linked here and at {al}:4, and a sentence belongs to one link; remove it from one of the two, or join them into one link"),
    ("a sentence the file lacks", (group("s1;s9"),), "4: xtargets names sentence 's9', which de/d.xml lacks; correct the link or the file it names"),
    ("a link of no sentence", (group(";"),), "4: xtargets ';' names no sentence; remove the link"),
    ("a sentence file missing", (group("s1;s1", to="fr/d.xml"),),
     "3: toDoc 'fr/d.xml' names {dir}/fr/d.xml, which does not exist; put the sentence file there or correct toDoc"),
    ("one language twice", (group("s1;s1", to="en/d.xml"),),
     "3: fromDoc and toDoc are both en; a link group joins two languages: point one at the other language's file"),
    ("a second file of a version", (group("s1;s1"), group("s2;s2", to="de/../old/de/d.xml")),
     "6: toDoc 'de/../old/de/d.xml' is a second de version of document 'd' (the first is {dir}/de/d.xml); "
     "import the link groups of each in a run of their own, the later with --replace, which lays it over the first"),
]


@pytest.mark.parametrize(("label", "groups", "message"), BAD_XCES, ids=[b[0] for b in BAD_XCES])
def test_bad_xces_is_one_line_naming_file_and_line_with_status_1(tmp_path: Path, label: str, groups: tuple[str, ...], message: str) -> None:
    al = xces_of(tmp_path, *groups)
    (tmp_path / "old" / "de").mkdir(parents=True)
    shutil.copy(tmp_path / "de" / "d.xml", tmp_path / "old" / "de" / "d.xml")
    result = CliRunner().invoke(main, ["import", str(al), "--format", "xces", "--corpus", str(tmp_path / "corpus")])
    assert (result.exit_code, result.stderr) == (1, f"Error: {al}:{message.format(al=al, dir=tmp_path)}\n")
    assert not (tmp_path / "corpus").exists()


def test_xces_files_unreadable_as_sent_are_one_line_with_the_fix(tmp_path: Path) -> None:
    """A cut gzip file ended in 'Error: aborted'; bytes not in the declared encoding were only 'malformed XML; fix the file'."""
    al = xces_of(tmp_path, group("s1;s1"))
    (tmp_path / "al.xml.gz").write_bytes(gzip.compress(al.read_bytes())[:40])
    with pytest.raises(AlignerError, match=re.escape(f"{tmp_path / 'al.xml.gz'}: the gzip data is cut short or damaged (") + ".*; download or compress the file again$"):
        import_files([tmp_path / "al.xml.gz"], "xces", tmp_path / "corpus")
    fix = '; save the file as UTF-8 with encoding="UTF-8" in its XML declaration'
    (tmp_path / "de" / "d.xml").write_bytes((tmp_path / "de" / "d.xml").read_bytes().replace(b"Zwei", "Zwö".encode("latin-1")))
    with pytest.raises(AlignerError, match=re.escape(f"{tmp_path / 'de' / 'd.xml'}:2: the text is not in its declared encoding (UTF-8 when none is declared): Invalid bytes") + ".*" + re.escape(fix)):
        import_files([al], "xces", tmp_path / "corpus")
    al.write_text(al.read_text(encoding="utf-8").replace("UTF-8", "UTF-16"), encoding="utf-8")  # a .NET writer's slip
    with pytest.raises(AlignerError, match=re.escape(f"{al}:1: the text is not in its declared encoding (UTF-8 when none is declared): ") + ".*" + re.escape(fix)):
        import_files([al], "xces", tmp_path / "corpus")
    assert not (tmp_path / "corpus").exists()


@pytest.mark.parametrize(
    ("en", "ids"),
    [('<s id="x">One.</s><s id="en.p1.s1">Two.</s><s id="s1">Three.</s>', ["en.p1.s1", "en.p1.s2", "en.p1.s3"]),
     ('<s id="s1">One.</s><s>Two.</s><s>Three.</s>', ["en.p1.s1", "en.p1.s2", "en.p1.s3"]),
     ('<s id="en.p1.s1">One.</s><s id="en.p1.s2">Two.</s><s id="en.p1.s3">Three.</s>', ["en.p1.s1", "en.p1.s2", "en.p1.s3"])],
    ids=["an id of ours among others", "two without id", "all ours"],
)
def test_xces_sentence_ids_are_kept_only_when_all_are_ours(tmp_path: Path, en: str, ids: list[str]) -> None:
    """A kept en.p1.s1 met the one made for the sentence before it ('breaks the text schema'); two <s> without id were 'id '' twice'."""
    first = en.split('"')[1] if en.startswith("<s id") else "s1"
    import_files([xces_of(tmp_path, group(f"{first};s1"), en=en)], "xces", tmp_path / "corpus")
    text = load(tmp_path / "corpus", "d")
    assert [s.id for s in text.versions["en"].sentences()] == ids
    assert text.alignments[0].links == (Link(("en.p1.s1",), ("de.p1.s1",), 1.0, "machine"),)


def test_xces_files_named_apart_as_opus_names_them_are_one_document(tmp_path: Path) -> None:
    """OpenSubtitles names a film's files apart (en/1990/5/111.xml, de/1990/5/222.xml): the import said 'links point into en.xml, which is missing'."""
    al = xces_of(tmp_path, group("s1;s1", frm="en/1990/5/111.xml", to="de/1990/5/222.xml"))
    for lang, name in (("en", "111"), ("de", "222")):
        (tmp_path / lang / "1990" / "5").mkdir(parents=True)
        (tmp_path / lang / "d.xml").rename(tmp_path / lang / "1990" / "5" / f"{name}.xml")
    (text,) = import_files([al], "xces", tmp_path / "corpus")
    assert (text.doc_id, sorted(text.versions)) == ("111", ["de", "en"])


def test_a_tmx_gzipped_or_not_in_its_declared_encoding_is_read_or_told_how_to_save_it(tmp_path: Path) -> None:
    """TMX reads XML as the other importers do: an OPUS .tmx.gz imports, and Latin-1 bytes declared
    UTF-8 are one line telling how to save the file (it was 'malformed XML; fix the file')."""
    path = tmx_of(tmp_path / "t.tmx", [("Zwei Wörter.", "两个词。")], doc="d")
    (tmp_path / "t.tmx.gz").write_bytes(gzip.compress(path.read_bytes()))
    (text,) = import_files([tmp_path / "t.tmx.gz"], "tmx", tmp_path / "corpus")
    assert [s.text for s in text.versions["en"].sentences()] == ["Zwei Wörter."]
    path.write_bytes(path.read_bytes().replace("Wörter".encode(), "Wörter".encode("latin-1")))
    with pytest.raises(AlignerError, match=re.escape(f"{path}:1: the text is not in its declared encoding") + ".*" + re.escape('save the file as UTF-8 with encoding="UTF-8"')):
        import_files([path], "tmx", tmp_path / "other")
    assert not (tmp_path / "other").exists()


EMPTY_FILES = [
    ("tmx", "e.tmx", '<?xml version="1.0"?><tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
     'adminlang="en" srclang="en" datatype="plaintext"/><body/></tmx>', "no <tu> to import; give TMX files whose <body> has translation units"),
    ("xces", "e.xml", '<?xml version="1.0"?><cesAlign version="1.0"/>', "no <linkGrp> to import; give the XCES alignment files"),
    ("xliff", "e.xlf", '<?xml version="1.0"?><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="de">'
     '<file id="f"/></xliff>', "no units with text to import; give XLIFF files whose units have source text"),
]


@pytest.mark.parametrize(("fmt", "name", "content", "message"), EMPTY_FILES, ids=[f[0] for f in EMPTY_FILES])
def test_a_file_with_nothing_to_import_says_what_to_give(tmp_path: Path, fmt: str, name: str, content: str, message: str) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(tmp_path / name), "--format", fmt, "--corpus", str(tmp_path / "corpus")])
    assert result.exit_code == 1 and result.stderr.startswith(f"Error: {tmp_path / name}: {message}"), result.stderr
    assert len(result.stderr.splitlines()) == 1 and not (tmp_path / "corpus").exists()


def test_an_opus_sentence_file_takes_its_language_from_the_first_folder_named_by_one(tmp_path: Path) -> None:
    """fromDoc '../x/en/d.xml' took '..' as its language (the first folder of the path)."""
    for lang, body in (("en", "One."), ("de", "Eins.")):
        (tmp_path / "x" / lang).mkdir(parents=True)
        (tmp_path / "x" / lang / "d.xml").write_text(f'<?xml version="1.0"?><document><p id="p1"><s id="s1">{body}</s></p></document>', encoding="utf-8")
    (tmp_path / "al").mkdir()
    (tmp_path / "al" / "al.xml").write_text(
        '<?xml version="1.0"?><cesAlign version="1.0"><linkGrp fromDoc="../x/en/d.xml" toDoc="../x/de/d.xml"><link xtargets="s1;s1"/></linkGrp></cesAlign>',
        encoding="utf-8",
    )
    (text,) = import_files([tmp_path / "al" / "al.xml"], "xces", tmp_path / "corpus")
    assert sorted(text.versions) == ["de", "en"] and [s.text for s in text.versions["de"].sentences()] == ["Eins."]


DOC = "000_bf7a112df29932bd"  # the seed article, in the corpus `work` builds


def cli(*args: object) -> str:
    """`aligner ARGS`, checked to succeed; its standard output."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


def held_by_filter(text: ParallelText, below: float) -> tuple[int, int, int]:
    """The en and zh-Hans sentences, and the links, of the en–zh-Hans links under a confidence."""
    low = [lk for lk in links_of(text, "en", "zh-Hans") if lk.confidence < below]
    return sum(len(lk.src) for lk in low), sum(len(lk.tgt) for lk in low), len(low)


def links_of(text: ParallelText, src: str, tgt: str) -> tuple[Link, ...]:
    alignment = text.alignment(src, tgt)
    assert alignment is not None
    return alignment.links


@pytest.mark.parametrize("fmt", ["xliff", "tmx", "xlsx"])
def test_replace_with_a_filtered_export_keeps_what_the_file_left_out_and_says_so(work: Path, fmt: str) -> None:
    """Every sentence the export's filter left out was deleted, with its links, and the history made
    it a person's edit, which a build kept."""
    corpus, out = work / "corpus", work / f"review.{fmt}"
    before = load(corpus, DOC)
    cli("export", corpus, "--format", fmt, "--langs", "en,zh-Hans", "--min-confidence", "0.9", "-o", out)
    said = cli("import", out, "--format", fmt, "--corpus", corpus, "--replace", "--who", "r")
    after = load(corpus, DOC)
    assert (after.versions, after.alignments, after.changes) == (before.versions, before.alignments, before.changes)
    en, zh, kept = held_by_filter(before, 0.9)
    assert en and f"; kept as they were, not in the file: sentences en {en}, zh-Hans {zh}; links {kept}\n" in said


def test_replace_with_a_tmx_keeps_the_omissions_it_cannot_hold(tmp_path: Path) -> None:
    """TMX leaves out links with an empty side: their sentences were deleted by the import."""
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "corpus", corpus)
    before = load(corpus, "d1")
    export([before], "tmx", ["en", "zh-Hans", "zh-Hant"], tmp_path / "d1.tmx", Filters())
    import_files([tmp_path / "d1.tmx"], "tmx", corpus, replace=True)
    assert (load(corpus, "d1").versions, load(corpus, "d1").alignments) == (before.versions, before.alignments)


def sheet_column(ws: Any, name: str) -> int:
    """The column number of a header of the review sheet."""
    return next(c.column for c in ws[1] if c.value == name)


def test_a_sheet_row_deleted_keeps_its_sentences_and_a_row_emptied_removes_them(work: Path) -> None:
    """A row deleted (or its doc cell changed) deleted its sentences in silence; a reviewer who means
    to delete them empties the row's cells instead."""
    import openpyxl

    corpus, out = work / "corpus", work / "review.xlsx"
    cli("export", corpus, "--format", "xlsx", "-o", out)
    book = openpyxl.load_workbook(out)
    ws = book.active
    ids = {c.value.removesuffix(" ids"): c.column for c in ws[1] if c.value.endswith(" ids")}  # zh-Hant-TW …
    gone = {lang.split("-TW")[0]: ws.cell(4, col).value.split() for lang, col in ids.items()}  # row 4: emptied
    kept = {lang.split("-TW")[0]: ws.cell(3, col).value.split() for lang, col in ids.items()}  # row 3: deleted
    for lang in ids:
        ws.cell(4, sheet_column(ws, lang)).value = None
    ws.delete_rows(3)
    book.save(out)
    said = cli("import", out, "--format", "xlsx", "--corpus", corpus, "--replace", "--who", "r")
    after = load(corpus, DOC)
    have = {lang: [s.id for s in doc.sentences()] for lang, doc in after.versions.items()}
    assert all(sid in have[lang] for lang in kept for sid in kept[lang])
    assert not any(sid in have[lang] for lang in gone for sid in gone[lang])
    assert (tuple(kept["en"]), tuple(kept["zh-Hans"])) in {(lk.src, lk.tgt) for lk in links_of(after, "en", "zh-Hans")}
    sents = ", ".join(f"{lang} {len(kept[lang])}" for lang in ("en", "zh-Hans", "zh-Hant"))
    assert f"; kept as they were, not in the file: sentences {sents}; links 3\n" in said


@pytest.mark.parametrize(("seg", "p1"), [
    ("The Yangtze is very long. It flows east.", [("en.p1.s1", "The Yangtze is very long."), ("en.p1.s2", "It flows east.")]),
    ("The Yangtze is long. It flows.", [("en.p1.s1", "The Yangtze is long."), ("en.p1.s2", "It flows.")]),
    ("Long. It flows east.", [("en.p1.s1", "Long."), ("en.p1.s2", "It flows east.")]),
    ("The Yangtze is long and flows east.", [("en.p1.s1", "The Yangtze is long and flows east.")]),
    ("The Yangtze is long. It is wide. It flows east.",
     [("en.p1.s1", "The Yangtze is long."), ("en.p1.s2", "It is wide."), ("en.p1.s2.1", "It flows east.")]),
], ids=["longer", "shorter at the end", "shorter at the start", "one sentence left", "a sentence added"])
def test_a_corrected_tmx_segment_is_resplit_and_no_other_sentence_renumbered(tmp_path: Path, seg: str, p1: list[tuple[str, str]]) -> None:
    """The recorded offsets cut a longer segment in the wrong places (its end lost), and one that no
    longer fit them made every en sentence of the document en.p1.sN, in one paragraph."""
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "corpus", corpus)
    before = load(corpus, "d1")
    export([before], "tmx", ["en", "zh-Hans", "zh-Hant"], tmp_path / "d1.tmx", Filters())  # every version: en's ids may change
    path = edited(tmp_path / "d1.tmx", "<seg>The Yangtze is long. It flows east.</seg>", f"<seg>{seg}</seg>")
    import_files([path], "tmx", corpus, replace=True)
    after = load(corpus, "d1")
    paras = [[(s.id, s.text) for s in p.sentences] for p in after.versions["en"].paragraphs]
    was = [[(s.id, s.text) for s in p.sentences] for p in before.versions["en"].paragraphs]
    assert paras == [was[0], [*p1, was[1][2]], was[2]]
    for pair in (("en", "zh-Hans"), ("en", "zh-Hant"), ("zh-Hans", "zh-Hant")):
        assert [lk for k, lk in enumerate(links_of(after, *pair)) if k != 1 or pair[0] != "en"] == [
            lk for k, lk in enumerate(links_of(before, *pair)) if k != 1 or pair[0] != "en"
        ]
        assert pair[0] != "en" or links_of(after, *pair)[1] == replace(links_of(before, *pair)[1], src=tuple(sid for sid, _ in p1))


def test_ids_swapped_in_x_sentences_are_one_line_not_a_silent_swap(tmp_path: Path) -> None:
    """The two sentences of the tu changed places in the version."""
    path = edited(exported(tmp_path, "tmx"), "en.p1.s1:0-20 en.p1.s2:21-35", "en.p1.s2:0-20 en.p1.s1:21-35")
    assert refusal([path], "tmx", tmp_path / "corpus") == (
        f"{line_of(path, '<tu ', 1)}: its en sentences 'en.p1.s2' and 'en.p1.s1' are named in the other order than their text, "
        "and a version keeps the order of its ids; restore the ids the export wrote in the tuvs' x-sentences properties"
    )


FLAT = re.compile(r'<target><mrk id="[^"]*" type="generic">([^<]*)</mrk></target>')


@pytest.mark.parametrize(("every", "target", "zh"), [
    (False, "长江很长，向东流。", [("zh-Hans.p1.s1", "长江很长，向东流。")]),
    (True, "长江很长，向东流。", [("zh-Hans.p1.s1", "长江很长，向东流。")]),
    (False, "长江很长。\n  向东流。", [("zh-Hans.p1.s1", "长江很长。"), ("zh-Hans.p1.s1.1", "向东流。")]),
], ids=["one target without marks", "no target with marks", "one without marks, split"])
def test_xliff_targets_whose_marks_a_cat_tool_dropped_keep_their_ids(tmp_path: Path, every: bool, target: str, zh: list[tuple[str, str]]) -> None:
    """A <target> without <mrk> made every zh-Hans sentence of the document zh-Hans.p1.sN, in one paragraph."""
    corpus = tmp_path / "corpus"
    (before,) = import_files([exported(tmp_path / "first", "xliff")], "xliff", corpus)  # d1 in en and zh-Hans: their ids may change
    path = edited(exported(tmp_path, "xliff"), '<target><mrk id="zh-Hans.p1.s1" type="generic">长江很长，向东流。</mrk></target>',
                  f"<target>{target}</target>")
    if every:
        path.write_text(FLAT.sub(r"<target>\1</target>", path.read_text(encoding="utf-8")), encoding="utf-8")
    import_files([path], "xliff", corpus, replace=True)
    after = load(corpus, "d1")
    was = [[(s.id, s.text) for s in p.sentences] for p in before.versions["zh-Hans"].paragraphs]
    assert [[(s.id, s.text) for s in p.sentences] for p in after.versions["zh-Hans"].paragraphs] == [was[0], [*zh, was[1][1]], was[2]]
    assert links_of(after, "en", "zh-Hans")[1].tgt == tuple(sid for sid, _ in zh)
    assert after.versions["en"] == before.versions["en"]


def three_way(corpus: Path) -> ParallelText:
    """The seed article with a person's 1-2 en–zh-Hans link (its zh-Hans–zh-Hant links a machine's
    two 1-1) and the next link's confidence in four decimals, saved."""
    from aligner.corpus.store import save

    text = load(corpus, DOC)
    al = text.alignment("en", "zh-Hans")
    assert al is not None
    k = next(k for k, lk in enumerate(al.links) if lk.kind == "1-2")
    changed = {k: replace(al.links[k], resp="person", confidence=1.0), k + 1: replace(al.links[k + 1], confidence=0.8934)}
    al = replace(al, links=tuple(changed.get(n, lk) for n, lk in enumerate(al.links)))
    text = replace(text, alignments=tuple(al if a.pair == al.pair else a for a in text.alignments))
    save(corpus, text)
    return load(corpus, DOC)


@pytest.mark.parametrize("fmt", ["tmx", "xlsx"])
def test_a_three_version_export_imported_back_unchanged_leaves_every_link_as_it_was(work: Path, fmt: str) -> None:
    """Rows pool the links of three versions: a person's 1-2 link lost its maker, the two zh-Hans–zh-Hant
    1-1 links under it became one 2-2, confidences became the row's lowest, and links were lost."""
    corpus, out = work / "corpus", work / f"all.{fmt}"
    before = three_way(corpus)
    cli("export", corpus, "--format", fmt, "-o", out)
    cli("import", out, "--format", fmt, "--corpus", corpus, "--replace", "--who", "r")
    after = load(corpus, DOC)
    assert (after.versions, after.alignments, after.changes) == (before.versions, before.alignments, before.changes)


def test_one_row_edited_in_a_three_version_sheet_changes_only_that_rows_links(work: Path) -> None:
    """The edit rebuilt every pair from the rows (see above); now its links become a person's, the others stay."""
    import openpyxl

    corpus, out = work / "corpus", work / "all.xlsx"
    before = three_way(corpus)
    cli("export", corpus, "--format", "xlsx", "-o", out)
    book = openpyxl.load_workbook(out)
    ws = book.active
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, sheet_column(ws, "type")).value == "2-1-1")
    en = ws.cell(row, sheet_column(ws, "en"))
    first, second = en.value.split("\n")
    en.value = f"{first.replace(' ', '  ', 1).replace('  ', ' ', 1)[:-1]}!\n{second}"
    sids = set(ws.cell(row, sheet_column(ws, "en ids")).value.split())
    book.save(out)
    cli("import", out, "--format", "xlsx", "--corpus", corpus, "--replace", "--who", "r")
    after = load(corpus, DOC)
    for a, b in (("en", "zh-Hans"), ("en", "zh-Hant"), ("zh-Hans", "zh-Hant")):
        was, now = links_of(before, a, b), links_of(after, a, b)
        in_row = {k for k, lk in enumerate(was) if sids & set(lk.src) or (a != "en" and k in _row_links(before, sids, a, b))}
        assert [lk for k, lk in enumerate(now) if k not in in_row] == [lk for k, lk in enumerate(was) if k not in in_row]
        assert [now[k] for k in sorted(in_row)] == [replace(was[k], resp="person") for k in sorted(in_row)]
    assert [s.text for s in after.versions["en"].sentences() if s.id in sids][0].endswith("!")


def _row_links(text: ParallelText, en_ids: set[str], a: str, b: str) -> set[int]:
    """The positions of the a–b links whose a sentences the en sentences `en_ids` link to."""
    theirs = {sid for lk in links_of(text, "en", a) if en_ids & set(lk.src) for sid in lk.tgt}
    return {k for k, lk in enumerate(links_of(text, a, b)) if theirs & set(lk.src)}


def test_an_id_edited_to_one_the_document_lacks_is_one_line_naming_the_row(tmp_path: Path) -> None:
    """en.p1.s3 edited to en.p1.s7 moved its sentence in silence (it crossed no other link)."""
    import openpyxl

    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "corpus", corpus)
    path = exported(tmp_path, "xlsx")
    book = openpyxl.load_workbook(path)
    col = sheet_column(book.active, "en ids")
    cell = next(c for (c,) in book.active.iter_rows(min_col=col, max_col=col) if c.value == "en.p1.s3")
    cell.value = "en.p1.s7"
    book.save(path)
    with pytest.raises(AlignerError) as err:
        import_files([path], "xlsx", corpus, replace=True)
    assert str(err.value) == (
        f"{path}:{cell.row}: en sentence 'en.p1.s7' is not one of document 'd1' in {corpus}, so the import cannot tell which "
        "sentence it replaces; restore the id the export wrote in the hidden columns 'en ids', 'zh-Hans ids' of sheet "
        "'alignment', or export the document again"
    )
    assert load(corpus, "d1") == load(DATA / "corpus", "d1")


INLINE = [
    ("tmx", "t.tmx", '<?xml version="1.0"?><tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" '
     'o-tmf="t" adminlang="en" srclang="en" datatype="html"/><body><tu>'
     '<tuv xml:lang="en"><seg>\n   Click <bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept>\n   <hi>now</hi>.<ph>&lt;br/&gt;</ph></seg></tuv>'
     '<tuv xml:lang="zh-CN"><seg>现在点击\n   <bpt i="1">&lt;b&gt;</bpt>保存<ept i="1">&lt;/b&gt;</ept>。<ph>&lt;br/&gt;</ph></seg></tuv>'
     "</tu></body></tmx>"),
    ("xliff", "t12.xlf", '<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
     '<file original="t" source-language="en" target-language="zh-CN" datatype="html"><body><trans-unit id="1">'
     '<source>\n   Click <bpt id="1">&lt;b&gt;</bpt>Save<ept id="1">&lt;/b&gt;</ept>\n   <g id="2">now</g>.<ph id="3">&lt;br/&gt;</ph><x id="4"/></source>'
     '<target>现在点击\n   <bpt id="1">&lt;b&gt;</bpt>保存<ept id="1">&lt;/b&gt;</ept>。<ph id="3">&lt;br/&gt;</ph></target>'
     "</trans-unit></body></file></xliff>"),
    ("xliff", "t2.xlf", f'<?xml version="1.0"?><xliff xmlns="{NS2}" version="2.0" srcLang="en" trgLang="zh-CN"><file id="t"><unit id="1">'
     '<segment><source>\n   Click <pc id="1" dataRefStart="b">Save</pc>\n   <sc id="2"/>now<ec startRef="2"/>.<ph id="3" disp="&lt;br/&gt;"/></source>'
     '<target>现在点击\n   <pc id="1" dataRefStart="b">保存</pc>。<ph id="3" disp="&lt;br/&gt;"/></target></segment></unit></file></xliff>'),
]


@pytest.mark.parametrize(("fmt", "name", "data"), INLINE, ids=["tmx", "xliff 1.2", "xliff 2"])
def test_inline_codes_and_layout_are_not_sentence_text(tmp_path: Path, fmt: str, name: str, data: str) -> None:
    """<bpt>&lt;b&gt;</bpt> was stored as "<b>", and a segment's newlines and indentation as text (a
    space inside Chinese from a wrapped line)."""
    (tmp_path / name).write_text(data, encoding="utf-8")
    (text,) = import_files([tmp_path / name], fmt, tmp_path / "corpus")
    assert {lang: [s.text for s in doc.sentences()] for lang, doc in text.versions.items()} == {
        "en": ["Click Save now."], "zh-Hans": ["现在点击保存。"],
    }


def test_moses_characters_xml_cannot_hold_are_removed_with_a_warning_naming_the_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Web-crawled lines with U+0007 or U+FFFE ended in a traceback (ValueError: All strings must be XML compatible)."""
    (tmp_path / "d.en").write_text("Hello world.\nA bell\x07here.\nForm\x0bfeed and \x1bescape.\n", encoding="utf-8")
    (tmp_path / "d.zh-Hans").write_text("你好世界。\n铃\ufffe声。\n换页。\n", encoding="utf-8")
    (text,) = import_files([tmp_path / "d.en", tmp_path / "d.zh-Hans"], "moses", tmp_path / "corpus")
    assert [s.text for s in text.versions["en"].sentences()] == ["Hello world.", "A bellhere.", "Form feed and escape."]
    assert [s.text for s in text.versions["zh-Hans"].sentences()] == ["你好世界。", "铃声。", "换页。"]
    assert [r.getMessage() for r in caplog.records] == [
        f"{tmp_path / 'd.en'}:2: removed 3 characters XML cannot hold (U+0007, U+000B, U+001B) from 2 lines, the first here",
        f"{tmp_path / 'd.zh-Hans'}:2: removed 1 characters XML cannot hold (U+FFFE) from 1 lines, the first here",
    ]


def test_a_tu_repeated_in_a_memory_of_another_tool_is_one_line(tmp_path: Path) -> None:
    """Its sentences came twice: the ids that show a copy in our files are not in another tool's."""
    path = tmx_of(tmp_path / "t.tmx", [("One.", "一。"), ("Two.", "二。")])
    text = path.read_text(encoding="utf-8").replace("<tu>", '<tu tuid="1">', 1).replace("<tu>", '<tu tuid="2">', 1)
    copy = text[text.index('<tu tuid="2">') : text.index("</body>")]
    path.write_text(text.replace("</body>", f"\n{copy}</body>"), encoding="utf-8")
    assert refusal([path], "tmx", tmp_path / "corpus") == f"{path}:2: this <tu> repeats the one at line 1 (tuid '2'), so its sentences would come twice; remove the copy"
    other = copy.replace('tuid="2"', 'tuid="3"')
    path.write_text(text.replace("</body>", f"\n{other}</body>"), encoding="utf-8")
    (back,) = import_files([path], "tmx", tmp_path / "corpus")  # the same pair twice, told apart: a memory may hold it so
    assert [s.text for s in back.versions["en"].sentences()] == ["One.", "Two.", "Two."]
