"""Import: InterText structure and status, bad input rejected with one line and nothing written."""

from __future__ import annotations

import gzip
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from aligner.cli import main
from aligner.corpus.model import Alignment, Link
from aligner.corpus.store import load
from aligner.errors import AlignerError
from aligner.formats.export import export
from aligner.formats.filters import Filters
from aligner.formats.imports import import_files

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


@pytest.mark.parametrize(("fmt", "start", "end", "unit"), [
    ("tmx", '<tu tuid="d1:l1">', "</tu>", "<tu "), ("xliff", '<file id="d1"', "</file>", "<segment "),
], ids=["a tu twice", "an xliff <file> twice"])
def test_a_unit_twice_in_a_file_is_one_line_naming_both(tmp_path: Path, fmt: str, start: str, end: str, unit: str) -> None:
    """An XLIFF holding its <file> twice doubled every sentence, a TMX holding a tu twice its sentences."""
    path = exported(tmp_path, fmt)
    text = path.read_text(encoding="utf-8")
    block = text[text.index(start) : text.index(end) + len(end)]
    path.write_text(text.replace(block, f"{block}\n{block}", 1), encoding="utf-8")
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
