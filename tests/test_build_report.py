"""What a build says of a person's work: a link kept across a slight edit of its sentences, one
dropped (in `--json`, the summary and the document's history), and documents of the corpus that no
seed names any more (removed or renamed seeds), with `--prune`."""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_build_keep import person_links, run

from aligner.build import build
from aligner.cli import main
from aligner.corpus.model import Link
from aligner.corpus.store import load, save

TOY = {
    "en": """The River Town

The river runs through the old town. Boats carry rice and tea to the market every morning.

The market opens at six o'clock. Farmers sell vegetables, fish and fruit. Children run between the stalls.

In the evening the lanterns are lit. Families walk along the river and talk about the day.

The town has a small school. Forty pupils study there. The teacher came from the city ten years ago.
""",
    "zh-Hans": """河边小镇

河水流过古老的小镇。每天早上，船只把大米和茶叶运到市场。

市场六点开门。农民卖蔬菜、鱼和水果。孩子们在摊位之间奔跑。

晚上，灯笼被点亮。一家人沿着河边散步，谈论这一天。

小镇有一所小学校。四十名学生在那里学习。老师十年前从城里来。
""",
}
PLAIN = {"en": "A Walk\n\nWe walked to the hill. The sky was clear.\n", "zh-Hans": "散步\n\n我们走到山上。天空很晴朗。\n"}
# the links alice made on toy (en–zh-Hans): two 2-2 merges and a confirmed 1-1
MINE = [
    (("en.p2.s2", "en.p2.s3"), ("zh-Hans.p2.s2", "zh-Hans.p2.s3")),
    (("en.p3.s1",), ("zh-Hans.p3.s1",)),
    (("en.p4.s1", "en.p4.s2"), ("zh-Hans.p4.s1", "zh-Hans.p4.s2")),
]


def write_doc(seeds: Path, doc_id: str, texts: dict[str, str]) -> None:
    for lang, text in texts.items():
        (seeds / f"{doc_id}.{lang}.txt").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds of two documents, toy and plain, built, with alice's three links on toy (`MINE`)."""
    root = tmp_path_factory.mktemp("edited")
    (root / "seeds").mkdir()
    write_doc(root / "seeds", "toy", TOY)
    write_doc(root / "seeds", "plain", PLAIN)
    corpus = str(root / "corpus")
    build(root / "seeds", root / "corpus")
    for edit in (["merge", "4"], ["merge", "7"], ["confirm", "5"]):
        assert run("edit", "toy", "--corpus", corpus, "--who", "alice", *edit)[0] == 0
    assert mine(root / "corpus") == MINE
    return root


@pytest.fixture
def work(edited: Path, tmp_path: Path) -> Path:
    """A copy of the edited seeds and corpus a test may change."""
    shutil.copytree(edited, tmp_path, dirs_exist_ok=True)
    return tmp_path


def mine(corpus: Path, doc_id: str = "toy") -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    links: list[Link] = person_links(load(corpus, doc_id)).get(("en", "zh-Hans"), [])
    return [(lk.src, lk.tgt) for lk in links]


def edit_seed(seeds: Path, name: str, old: str, new: str) -> None:
    path = seeds / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def build_cli(work: Path, *args: str) -> tuple[int, str]:
    """`aligner build` of the work folder, in this process: its status and stdout."""
    result = CliRunner().invoke(main, ["build", "--seeds", str(work / "seeds"), "--corpus", str(work / "corpus"), "-q", "-j", "1", *args])
    return result.exit_code, result.stdout


REWRITTEN = "In the evening the lanterns are lit.", "Lanterns glow along the water once the sun has set."
WHY = "its sentences changed in the input files (rewritten, split, joined or removed)"


@pytest.mark.parametrize(("name", "old", "new"), [
    ("toy.en.txt", "fish and fruit", "fish, and fruit"),  # a comma (the audit's case: the 2-2 link was dropped)
    ("toy.en.txt", "between the stalls", "between the Stalls"),  # case
    ("toy.en.txt", "lanterns are lit", "lantterns are lit"),  # a typo, in the confirmed 1-1 link
    ("toy.zh-Hans.txt", "农民卖蔬菜、鱼和水果", "农民卖蔬菜、鱼与水果"),  # one 字 replaced
    ("toy.en.txt", "Forty pupils study there.", "Forty-two pupils study there."),  # a word in a 2-2 link
], ids=["comma", "case", "typo", "zh-character", "word"])  # fmt: skip
def test_a_slight_edit_of_a_linked_sentence_keeps_the_persons_link(
    work: Path, caplog: pytest.LogCaptureFixture, name: str, old: str, new: str,
) -> None:  # fmt: skip
    edit_seed(work / "seeds", name, old, new)
    report = build(work / "seeds", work / "corpus")
    assert mine(work / "corpus") == MINE
    assert report.dropped == {} and "is dropped" not in caplog.text
    assert report.skipped == ["plain"]  # the edited document was aligned again, on the new text
    assert any(new in s.text for s in load(work / "corpus", "toy").versions[name.split(".")[1]].sentences())


def test_a_rewritten_sentence_drops_the_link_and_json_lists_it(work: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The audit: the drop was a stderr warning only, exit 0; `build --json` had no key for it."""
    edit_seed(work / "seeds", "toy.en.txt", *REWRITTEN)
    code, out = build_cli(work, "--json")
    assert code == 0
    report = json.loads(out)
    assert report["person_links_dropped"] == {"toy": [{
        "pair": "en-zh-Hans", "src": ["en.p3.s1"], "tgt": ["zh-Hans.p3.s1"],
        "src_text": [REWRITTEN[0]], "tgt_text": ["晚上，灯笼被点亮。"], "why": WHY,
    }]}  # fmt: skip
    assert mine(work / "corpus") == [MINE[0], MINE[2]]
    assert f"toy: a link made by a person (en.p3.s1 | zh-Hans.p3.s1) is dropped: {WHY}; review the alignment" in caplog.text


def test_the_summary_counts_and_names_a_dropped_link(work: Path) -> None:
    edit_seed(work / "seeds", "toy.en.txt", *REWRITTEN)
    code, out = build_cli(work)
    assert code == 0
    assert out.splitlines()[0] == (
        f"Corpus written to {(work / 'corpus').resolve()} (2 files changed, 1 documents unchanged and skipped,"
        " 1 link made by a person dropped)"
    )  # fmt: skip
    assert f"    dropped a link made by a person, en-zh-Hans en.p3.s1 | zh-Hans.p3.s1: {WHY} (in `aligner edit toy history`)" in out.splitlines()


def test_a_dropped_link_is_in_the_documents_history_and_no_version_is_taken_as_edited(work: Path) -> None:
    corpus = work / "corpus"
    edit_seed(work / "seeds", "toy.en.txt", *REWRITTEN)
    build(work / "seeds", corpus)
    code, out = run("edit", "toy", "--corpus", str(corpus), "history")
    assert code == 0
    line = out.splitlines()[-1]
    assert line.endswith(
        f"  aligner build: en–zh-Hans: dropped a link a person made, en.p3.s1 | zh-Hans.p3.s1"
        f" (“{REWRITTEN[0]}” | “晚上，灯笼被点亮。”): {WHY}"
    ), line
    assert [c.target for c in load(corpus, "toy").changes][-1] == ("#en--zh-Hans",)
    edit_seed(work / "seeds", "toy.en.txt", "Forty pupils", "Fifty pupils")  # the seed is still read: not a person's version
    build(work / "seeds", corpus)
    assert "Fifty pupils study there." in [s.text for s in load(corpus, "toy").versions["en"].sentences()]
    assert run("edit", "toy", "--corpus", str(corpus), "history")[1].count("aligner build") == 1  # nothing dropped the second time


def test_what_a_sentence_edited_only_slightly_is() -> None:
    """The rule and its threshold (`SAME_SENTENCE`), on sentences of the seed article."""
    from aligner.corpus.follow import same_sentence

    sentence = "As far as denuclearization is concerned, China and the U.S. have common interests."
    assert same_sentence(sentence, sentence.replace("concerned,", "concerned"))  # punctuation
    assert same_sentence(sentence, sentence.replace("common", "comon"))  # a typo
    assert same_sentence(sentence, sentence.replace("common", "shared"))  # a word, 0.91
    assert same_sentence("中美在朝鲜问题上合作的强烈信号", "中美在朝鲜问题上合作的强烈讯号")  # a 字 in the title
    assert same_sentence("河边小镇", "河边小城")  # one character apart, though 0.75
    assert not same_sentence("是。", "否。")
    assert not same_sentence(sentence, "China and the U.S. share an interest in denuclearization.")  # a paraphrase, 0.39
    assert not same_sentence(sentence, sentence[:40] + "but they disagree about almost everything else.")  # half rewritten
    assert not same_sentence("在无核化问题上，中美两国拥有共同利益。", "中美两国在无核化上利益一致。")


def test_a_persons_link_crossing_another_is_reported_as_dropped_too(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Links a person made that cross (an import, a hand-edited align.xml): the build keeps the
    first, and dropped the other without a word."""
    seeds, corpus = tmp_path / "seeds", tmp_path / "corpus"
    seeds.mkdir()
    write_doc(seeds, "d", {"zh-Hans": "河水流过古老的小镇。船只把大米运到市场。市场六点开门。\n",
                           "zh-Hant": "河水流過古老的小鎮。船隻把大米運到市場。市場六點開門。\n"})  # fmt: skip
    build(seeds, corpus)
    text = load(corpus, "d")
    crossing = (Link(("zh-Hans.p1.s1",), ("zh-Hant.p1.s2",), 1.0, "person"), Link(("zh-Hans.p1.s2",), ("zh-Hant.p1.s1",), 1.0, "person"))
    save(corpus, replace(text, alignments=(replace(text.alignments[0], links=crossing),)))
    report = build(seeds, corpus)
    assert [lk.as_json() for lk in report.dropped["d"]] == [{
        "pair": "zh-Hans-zh-Hant", "src": ["zh-Hans.p1.s2"], "tgt": ["zh-Hant.p1.s1"], "src_text": ["船只把大米运到市场。"],
        "tgt_text": ["河水流過古老的小鎮。"], "why": "it crosses or overlaps another link a person made",
    }]  # fmt: skip
    assert "d: a link made by a person (zh-Hans.p1.s2 | zh-Hant.p1.s1) is dropped: it crosses" in caplog.text
    assert [c.who for c in load(corpus, "d").changes] == ["aligner build"]


def rename(seeds: Path, old: str, new: str) -> None:
    for path in seeds.glob(f"{old}.*"):
        path.rename(seeds / path.name.replace(f"{old}.", f"{new}.", 1))


def test_a_renamed_document_is_named_with_its_new_name_and_kept(work: Path) -> None:
    """The audit: renaming toy.* to town.* built town and left toy without a word, so export wrote
    every unit twice."""
    seeds, corpus = work / "seeds", work / "corpus"
    rename(seeds, "toy", "town")
    edit_seed(seeds, "town.en.txt", "fish and fruit", "fish, and fruit")  # almost exactly: still renamed
    code, out = build_cli(work)
    assert code == 0 and (corpus / "toy").is_dir() and mine(corpus) == MINE
    assert "1 document with no seed left in place" in out.splitlines()[0]
    assert (
        "  toy: looks renamed to town (its texts are those of town, which was built without what toy holds: a person's work"
        " (3 links made by a person, 3 lines of history, a journal of edits)): to keep that, name the seeds toy.* again and"
        f" remove {corpus / 'town'}; else remove {corpus / 'toy'}"
    ) in out.splitlines()  # fmt: skip
    stale = json.loads(build_cli(work, "--json")[1])["stale"]
    assert [(d["doc_id"], d["renamed_to"], d["prunable"]) for d in stale] == [("toy", None, False)]  # town is not new any more
    assert stale[0]["fix"].startswith("no seed any more, but still in the corpus, with a person's work (3 links made by a person")


def test_a_document_whose_seeds_are_gone_is_listed_with_the_fix(work: Path) -> None:
    for path in (work / "seeds").glob("plain.*"):
        path.unlink()
    code, out = build_cli(work)
    assert code == 0 and (work / "corpus" / "plain").is_dir()
    assert out.splitlines()[0].endswith(" files changed, 1 document with no seed left in place)")
    assert out.splitlines()[-1] == (
        f"  plain: no seed any more, but still in the corpus (no person's work in it: --prune removes it): remove"
        f" {work / 'corpus' / 'plain'}, or put its seeds back (plain.LANG.txt)"
    )  # fmt: skip


def test_prune_removes_a_document_with_no_seed_and_no_persons_work_and_names_one_it_keeps(work: Path) -> None:
    seeds, corpus = work / "seeds", work / "corpus"
    write_doc(seeds, "other", {"en": "Rain\n\nIt rained all day.\n", "zh-Hans": "雨\n\n下了一整天雨。\n"})
    for path in [*seeds.glob("toy.*"), *seeds.glob("plain.*")]:
        path.unlink()
    code, out = build_cli(work, "--prune", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["pruned"] == ["plain"] and [d["doc_id"] for d in report["stale"]] == ["toy"]
    assert sorted(p.name for p in corpus.iterdir()) == ["other", "toy"]  # nothing of plain left, hidden or not
    assert mine(corpus) == MINE
    code, out = build_cli(work, "--prune")
    assert code == 0
    assert out.splitlines()[-1].startswith("  toy: not removed (--prune): no seed any more, but still in the corpus, with a person's work")


@pytest.fixture(autouse=True)
def _warnings(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
