"""The main job on the seed corpus: three versions in TEI, aligned, stable, keeping a person's links."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.build import alignment_plan, build
from aligner.cli import main
from aligner.corpus.model import Alignment, Link, Note, ParallelText, State
from aligner.corpus.store import load, save
from aligner.corpus.triangle import contradictions
from aligner.errors import CorpusError
from seed_gold import gold_links

SEEDS = Path(__file__).parent.parent / "seeds"
DOC = "000_bf7a112df29932bd"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    build(SEEDS, out)
    return out


def f1(gold: list[tuple[tuple[str, ...], tuple[str, ...]]], pred: list[tuple[tuple[str, ...], tuple[str, ...]]]) -> float:
    tp = len(set(gold) & set(pred))
    return 2 * tp / (len(gold) + len(pred))


def test_the_bundled_corpus_is_what_a_build_of_the_seeds_writes_now(corpus: Path) -> None:
    """corpora/ is in the repository: a change to the engine or the TEI must come with it rebuilt
    (`aligner build`), or readers of the repository see a corpus the code no longer makes."""
    bundled = SEEDS.parent / "corpora" / DOC
    assert {p.name: p.read_bytes() for p in sorted(bundled.glob("*.xml"))} == {p.name: p.read_bytes() for p in sorted((corpus / DOC).glob("*.xml"))}


def test_three_versions_and_alignment_files(corpus: Path) -> None:
    assert sorted(p.name for p in (corpus / DOC).iterdir()) == [".lock", "align.xml", "en.xml", "zh-Hans.xml", "zh-Hant.xml"]  # the lock builds and editors share
    text = load(corpus, DOC)
    assert sorted(text.versions) == ["en", "zh-Hans", "zh-Hant"]
    assert {al.pair for al in text.alignments} == {("en", "zh-Hans"), ("en", "zh-Hant"), ("zh-Hans", "zh-Hant")}
    assert "translation prepared for this corpus" in text.versions["zh-Hans"].meta.translator + text.versions["zh-Hans"].meta.note


def test_scripts_pair_reproduces_the_gold_exactly(corpus: Path) -> None:
    text = load(corpus, DOC)
    pred = [(lk.src, lk.tgt) for lk in text.alignment("zh-Hans", "zh-Hant").links]  # type: ignore[union-attr]
    assert pred == gold_links(dict(text.versions), "zh-Hans", "zh-Hant")


@pytest.mark.parametrize("tgt", ["zh-Hans", "zh-Hant"])
def test_english_chinese_alignment_is_close_to_the_gold(corpus: Path, tgt: str) -> None:
    text = load(corpus, DOC)
    pred = [(lk.src, lk.tgt) for lk in text.alignment("en", tgt).links]  # type: ignore[union-attr]
    assert f1(gold_links(dict(text.versions), "en", tgt), pred) >= 0.9


def test_link_groups_do_not_contradict_each_other(corpus: Path) -> None:
    assert contradictions(*legs(load(corpus, DOC))) == []


def test_confidences_are_probabilities(corpus: Path) -> None:
    for al in load(corpus, DOC).alignments:
        assert all(0.0 <= lk.confidence <= 1.0 for lk in al.links)


def test_rebuilding_unchanged_text_rewrites_nothing(corpus: Path, tmp_path: Path) -> None:
    copy = tmp_path / "c"
    shutil.copytree(corpus, copy)
    before = {p: p.read_bytes() for p in copy.rglob("*.xml")}
    report = build(SEEDS, copy)
    assert report.changed == []
    assert {p: p.read_bytes() for p in copy.rglob("*.xml")} == before


def rebuilt_after_a_persons_link(corpus: Path, tmp_path: Path, pair: tuple[str, str], mine: Link) -> ParallelText:
    """Copy the corpus, put a person's link into one pair in place of the links it overlaps, rebuild."""
    copy = tmp_path / "c"
    shutil.copytree(corpus, copy)
    text = load(copy, DOC)
    before = text.alignment(*pair)
    assert before is not None
    mentioned = {*mine.src, *mine.tgt}
    kept = [lk for lk in before.links if not mentioned & {*lk.src, *lk.tgt}]
    others = tuple(al for al in text.alignments if al.pair != pair)
    save(copy, replace(text, alignments=others + (Alignment(*pair, (mine, *kept)),)))
    build(SEEDS, copy)
    return load(copy, DOC)


def legs(text: ParallelText) -> tuple[Alignment, Alignment, Alignment]:
    """en↔zh-Hans, zh-Hans↔zh-Hant and the pair derived from them."""
    return text.alignment("en", "zh-Hans"), text.alignment("zh-Hans", "zh-Hant"), text.alignment("en", "zh-Hant")  # type: ignore[return-value]


def test_rebuild_keeps_links_a_person_made(corpus: Path, tmp_path: Path) -> None:
    # A person decides that the first English sentence of paragraph 3 is the first two of zh-Hans.
    mine = Link(("en.p3.s1",), ("zh-Hans.p3.s1", "zh-Hans.p3.s2"), 1.0, "person")
    rebuilt = rebuilt_after_a_persons_link(corpus, tmp_path, ("en", "zh-Hans"), mine)
    assert mine in legs(rebuilt)[0].links
    assert contradictions(*legs(rebuilt)) == []


def test_rebuild_keeps_the_xliff_notes_and_state_of_the_links_it_keeps(corpus: Path, tmp_path: Path) -> None:
    said = (Note("check the name", "review", "zh-Hans"), Note("client approved")), State("final", "acme:checked")
    mine = Link(("en.p3.s1",), ("zh-Hans.p3.s1", "zh-Hans.p3.s2"), 1.0, "person", *said)
    copy = tmp_path / "c"
    shutil.copytree(corpus, copy)
    text = load(copy, DOC)
    head = text.alignment("en", "zh-Hans").links[0]  # type: ignore[union-attr]  # a machine link the engine makes again
    noted = replace(head, notes=(Note("title"),), state=State("translated", "acme:mt"))
    mentioned = {*mine.src, *mine.tgt}
    kept = [noted if lk == head else lk for lk in text.alignment("en", "zh-Hans").links if not mentioned & {*lk.src, *lk.tgt}]  # type: ignore[union-attr]
    save(copy, replace(text, alignments=(*(al for al in text.alignments if al.pair != ("en", "zh-Hans")), Alignment("en", "zh-Hans", (mine, *kept)))))
    assert "xliff-substate" in (copy / DOC / "align.xml").read_text(encoding="utf-8")
    build(SEEDS, copy)
    said_of = [(lk.src, lk.tgt, lk.resp, lk.notes, lk.state) for lk in legs(load(copy, DOC))[0].links if lk.notes or lk.state]
    assert said_of == [(lk.src, lk.tgt, lk.resp, lk.notes, lk.state) for lk in (noted, mine)]


def test_rebuild_keeps_a_link_a_person_corrected_in_the_derived_pair(corpus: Path, tmp_path: Path) -> None:
    mine = Link(("en.p3.s1",), ("zh-Hant.p3.s1", "zh-Hant.p3.s2"), 1.0, "person")
    rebuilt = rebuilt_after_a_persons_link(corpus, tmp_path, ("en", "zh-Hant"), mine)
    en_hans, _, en_hant = legs(rebuilt)
    assert mine in en_hant.links
    carried = [(lk.src, lk.tgt, lk.resp) for lk in en_hans.links if "en.p3.s1" in lk.src]
    assert carried == [(("en.p3.s1",), ("zh-Hans.p3.s1", "zh-Hans.p3.s2"), "machine")]  # carried onto en↔zh-Hans
    assert contradictions(*legs(rebuilt)) == []
    assert build(SEEDS, tmp_path / "c").changed == []


def test_doc_id_collision_is_an_error(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("Title\n\nOne sentence here.", encoding="utf-8")
    (seeds / "a.en.txt").write_text("Title\n\nAnother text.", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"a\.txt: document 'a' already has a version tagged en \(from .*a\.en\.txt\)"):
        build(seeds, tmp_path / "corpus")


PLANS = [
    (["en", "zh-Hans", "zh-Hant"], [("en", "zh-Hans"), ("zh-Hans", "zh-Hant")], [("en", "zh-Hans", "zh-Hant")]),
    (["de", "fr"], [("de", "fr")], []),
    (["en", "de", "fr"], [("en", "de"), ("en", "fr")], [("de", "en", "fr")]),
    (["en"], [], []),
]


@pytest.mark.parametrize(("langs", "direct", "derived"), PLANS)
def test_alignment_plan(langs: list[str], direct: list[tuple[str, str]], derived: list[tuple[str, str, str]]) -> None:
    assert alignment_plan(langs) == (direct, derived)


def test_cli_build_prints_summary_and_show_lists_rows(corpus: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "corpora"
    result = runner.invoke(main, ["build", "--seeds", str(SEEDS), "--corpus", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert f"Corpus written to {out.resolve()}" in result.output
    assert "sentences en 54, zh-Hans 54, zh-Hant-TW 54" in result.output
    assert result.stderr == ""  # the three versions look like translations: no warning
    shown = runner.invoke(main, ["show", DOC, "--corpus", str(out), "--langs", "en,zh-Hant"])
    assert shown.exit_code == 0, shown.output
    assert "en: A Strong Signal of China-US Cooperation on North Korea" in shown.output
    assert "zh-Hant-TW: 中美在北韓問題上合作的強烈訊號" in shown.output


def test_cli_build_warns_about_versions_that_are_not_translations(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "recipe.en.txt").write_text(
        "Risotto\n\nChop the onions finely. Fry them in butter until golden. Add the rice and"
        " stir for two minutes. Pour in the hot stock slowly.\n", encoding="utf-8")  # fmt: skip
    (seeds / "recipe.zh-Hans.txt").write_text(
        "星空\n\n恒星在核心中聚变氢。银河系包含数千亿颗恒星。黑洞的引力连光都无法逃脱。"
        "天文学家用望远镜观测遥远的星系。\n", encoding="utf-8")  # fmt: skip
    args = ["build", "--seeds", str(seeds), "--corpus", str(tmp_path / "c"), "--quiet"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        "Warning: recipe: versions en-zh-Hans do not look like translations of each other: only "
    )
    assert result.stderr.count("\n") == 1
    assert "Corpus written to" in result.stdout


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--seeds", str(tmp_path / "nope"), "--corpus", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'nope'}: no such folder; give the folder holding the texts to ingest\n"
    shown = CliRunner().invoke(main, ["show", "missing", "--corpus", str(tmp_path)])
    assert shown.exit_code == 1 and shown.output.count("\n") == 1


def test_each_link_group_names_the_encoder_that_made_it(corpus: Path, tmp_path: Path) -> None:
    """auto takes USE for English–Chinese; the Chinese scripts compare by characters, no encoder;
    --encoder e5 is recorded the same way, in the TEI and in build --json."""
    def signature(text: ParallelText, a: str, b: str) -> str:
        al = text.alignment(a, b)
        assert al is not None
        return al.signature

    text = load(corpus, DOC)
    assert "sentence encoder use: Universal Sentence Encoder" in signature(text, "en", "zh-Hans")
    assert "no sentence encoder" in signature(text, "zh-Hans", "zh-Hant")
    result = CliRunner().invoke(main, ["build", "--seeds", str(SEEDS), "--corpus", str(tmp_path), "--encoder", "e5", "--json", "-q"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["encoders"][DOC] == {"en-zh-Hans": "e5", "en-zh-Hant": "e5", "zh-Hans-zh-Hant": "none"}
    assert "sentence encoder e5: multilingual-e5-small" in signature(load(tmp_path, DOC), "en", "zh-Hans")


def test_a_corpus_under_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("not a folder")
    result = CliRunner().invoke(main, ["build", "--seeds", str(SEEDS), "--corpus", str(tmp_path / "afile" / "sub")])
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert f"cannot create the folder ({tmp_path / 'afile'} is a file, not a folder); choose another path" in result.output


@pytest.mark.parametrize("address", ["foo", "tcp://127.0.0.1:99999"])
def test_a_malformed_scheduler_address_is_a_usage_error_before_anything_is_made(tmp_path: Path, address: str) -> None:
    """`--scheduler foo` was status 1, and the corpus folder was made before the address was checked."""
    result = CliRunner().invoke(main, ["build", "--seeds", str(SEEDS), "--corpus", str(tmp_path / "c"), "--scheduler", address], prog_name="aligner")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"Error: Invalid value for '--scheduler': {address}: not a Dask scheduler address; give PROTOCOL://HOST:PORT"
        " as `dask scheduler` prints it, e.g. tcp://192.168.1.5:8786; see `aligner build --help`\n"
    )
    assert not (tmp_path / "c").exists()


def test_a_version_in_a_format_not_read_is_named_on_stderr(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """`q.en.csv` was left out with no word, and `q` built from its other version alone."""
    from aligner.build import find_sources

    for name in ("q.de.txt", "q.fr.htm", "q.en.csv", "notes.csv", "q.de.meta.json", "q.de.txt~", "data.zn.csv"):
        (tmp_path / name).write_text("Der Hafen öffnete im Frühling.\n", encoding="utf-8")
    assert find_sources(tmp_path) == {"q": [tmp_path / "q.de.txt", tmp_path / "q.fr.htm"]}
    formats = ".txt, .html, .htm, .xhtml, .docx, .odt, .epub, .pdf, .rtf, .srt, .vtt, .md, .markdown"
    assert caplog.messages == [
        f"{tmp_path / name}: not read: {suffix} is none of the formats read ({formats}); convert it to one, or move it out of the folder"
        for name, suffix in (("q.de.txt~", ".txt~"), ("q.en.csv", ".csv"))
    ]


@pytest.mark.parametrize(("name", "message"), [
    ("r.en.doc", "old Word files (.doc) are not read; save it as .docx (Word: File › Save As › Word Document)"),
    ("r.doc", "old Word files (.doc) are not read; save it as .docx (Word: File › Save As › Word Document)"),
])
def test_a_text_in_a_format_read_once_converted_is_an_error(tmp_path: Path, name: str, message: str) -> None:
    """`r.en.doc` was left out with no word, and `r` built from its other version alone."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "r.de.txt").write_text("Der Hafen öffnete im Frühling.\n", encoding="utf-8")
    (seeds / name).write_bytes(b"\xd0\xcf\x11\xe0")
    result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--corpus", str(tmp_path / "c"), "-q"])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"Error: {seeds / name}: {message}, or move it out of the folder\n")
    assert not (tmp_path / "c").exists()
