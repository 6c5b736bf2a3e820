"""The main job on the seed corpus: three versions in TEI, aligned, stable, keeping a person's links."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.build import alignment_plan, build
from aligner.cli import main
from aligner.errors import CorpusError
from aligner.model import Alignment, Link
from aligner.store import load, save
from seed_gold import gold_links

SEEDS = Path(__file__).parent.parent / "seeds"
DOC = "000_bf7a112df29932bd"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    build(SEEDS, out)
    return out


def f1(gold: list, pred: list) -> float:  # type: ignore[type-arg]
    tp = len(set(gold) & set(pred))
    return 2 * tp / (len(gold) + len(pred))


def test_three_versions_and_alignment_files(corpus: Path) -> None:
    assert sorted(p.name for p in (corpus / DOC).iterdir()) == ["align.xml", "en.xml", "zh-Hans.xml", "zh-Hant.xml"]
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
    text = load(corpus, DOC)
    en_hans = {(lk.src, lk.tgt) for lk in text.alignment("en", "zh-Hans").links}  # type: ignore[union-attr]
    hans_hant = {lk.src[0]: lk.tgt for lk in text.alignment("zh-Hans", "zh-Hant").links if len(lk.src) == 1}  # type: ignore[union-attr]
    for lk in text.alignment("en", "zh-Hant").links:  # type: ignore[union-attr]
        hans = tuple(h for h, t in hans_hant.items() if set(t) & set(lk.tgt))
        assert (lk.src, tuple(sorted(hans))) in {(s, tuple(sorted(t))) for s, t in en_hans}


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


def test_rebuild_keeps_links_a_person_made(corpus: Path, tmp_path: Path) -> None:
    copy = tmp_path / "c"
    shutil.copytree(corpus, copy)
    text = load(copy, DOC)
    en_hans = text.alignment("en", "zh-Hans")
    assert en_hans is not None
    # A person decides that the first two English sentences of paragraph 3 and 4 form one odd link.
    mine = Link(("en.p3.s1",), ("zh-Hans.p3.s1", "zh-Hans.p3.s2"), 1.0, "person")
    others = tuple(al for al in text.alignments if al.pair != ("en", "zh-Hans"))
    kept = [lk for lk in en_hans.links if not set(lk.src) & {"en.p3.s1"} and not set(lk.tgt) & set(mine.tgt)]
    save(copy, text.__class__(DOC, text.versions, others + (Alignment("en", "zh-Hans", (mine, *kept)),)))
    build(SEEDS, copy)
    assert mine in load(copy, DOC).alignment("en", "zh-Hans").links  # type: ignore[union-attr]


def test_doc_id_collision_is_an_error(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("Title\n\nOne sentence here.", encoding="utf-8")
    (seeds / "a.en.txt").write_text("Title\n\nAnother text.", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"a\.txt: document 'a' already has a en version from .*a\.en\.txt"):
        build(seeds, tmp_path / "corpus")


PLANS = [
    (["en", "zh-Hans", "zh-Hant"], [("en", "zh-Hans"), ("zh-Hans", "zh-Hant")], [("en", "zh-Hans", "zh-Hant")]),
    (["de", "fr"], [("de", "fr")], []),
    (["en", "de", "fr"], [("en", "de"), ("en", "fr")], [("de", "en", "fr")]),
    (["en"], [], []),
]


@pytest.mark.parametrize(("langs", "direct", "derived"), PLANS)
def test_alignment_plan(langs: list[str], direct: list, derived: list) -> None:  # type: ignore[type-arg]
    assert alignment_plan(langs) == (direct, derived)


def test_cli_build_prints_summary_and_show_lists_rows(corpus: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "corpora"
    result = runner.invoke(main, ["build", "--seeds", str(SEEDS), "--corpus", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert f"Corpus written to {out.resolve()}" in result.output
    assert "sentences en 54, zh-Hans 54, zh-Hant 54" in result.output
    shown = runner.invoke(main, ["show", DOC, "--corpus", str(out), "--langs", "en,zh-Hant"])
    assert shown.exit_code == 0, shown.output
    assert "en: A Strong Signal of China-US Cooperation on North Korea" in shown.output
    assert "zh-Hant: 中美在北韓問題上合作的強烈訊號" in shown.output


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--seeds", str(tmp_path / "nope"), "--corpus", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'nope'}: no such folder; give the folder holding the texts to ingest\n"
    shown = CliRunner().invoke(main, ["show", "missing", "--corpus", str(tmp_path)])
    assert shown.exit_code == 1 and shown.output.count("\n") == 1
