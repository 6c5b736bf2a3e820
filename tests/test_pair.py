"""`aligner pair`: the seed article's paragraphs as documents under shuffled names, in English,
Simplified and Traditional Chinese; files without a partner; bad inputs; --write-seeds."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from scale_seeds import paragraphs

from aligner.cli import main
from aligner.errors import InputError
from aligner.pairing import pair_folders

DOCS = 11


def shuffled(folder: Path, lang: str, seed: int, drop: frozenset[int] = frozenset()) -> dict[str, int]:
    """Write each paragraph as its own file under a shuffled name; return name → paragraph."""
    folder.mkdir(parents=True)
    order = list(range(DOCS))
    random.Random(seed).shuffle(order)
    truth = {}
    for k, i in enumerate(order):
        if i not in drop:
            name = f"page{k * 7 % 97:03d}.txt"
            (folder / name).write_text(paragraphs(lang)[i], encoding="utf-8")
            truth[name] = i
    return truth


@pytest.mark.parametrize(("lang_a", "lang_b"), [("en", "zh-Hans"), ("zh-Hans", "zh-Hant"), ("en", "zh-Hant")])
def test_every_paragraph_finds_its_translation(tmp_path: Path, lang_a: str, lang_b: str) -> None:
    truth_a = shuffled(tmp_path / "a", lang_a, seed=1)
    truth_b = shuffled(tmp_path / "b", lang_b, seed=2)
    report = pair_folders(tmp_path / "a", tmp_path / "b", (lang_a, lang_b))
    assert sorted((truth_a[a.name], truth_b[b.name]) for a, b, _ in report.pairs) == [(i, i) for i in range(DOCS)]
    assert report.unpaired_a == [] and report.unpaired_b == []
    assert all(0.5 < confidence <= 1 for _, _, confidence in report.pairs)


def test_files_whose_partner_is_missing_stay_unpaired(tmp_path: Path) -> None:
    truth_a = shuffled(tmp_path / "a", "en", seed=1)
    truth_b = shuffled(tmp_path / "b", "zh-Hans", seed=2, drop=frozenset({3, 7}))
    report = pair_folders(tmp_path / "a", tmp_path / "b", ("en", "zh-Hans"))
    assert all(truth_a[a.name] == truth_b[b.name] for a, b, _ in report.pairs)
    assert sorted(truth_a[p.name] for p in report.unpaired_a) == [3, 7]
    assert len(report.pairs) == DOCS - 2 and report.unpaired_b == []


def test_cli_prints_pairs_writes_nothing_and_json(tmp_path: Path) -> None:
    truth_a = shuffled(tmp_path / "a", "en", seed=1)
    truth_b = shuffled(tmp_path / "b", "zh-Hans", seed=2, drop=frozenset({0}))
    before = sorted(tmp_path.rglob("*"))
    result = CliRunner().invoke(main, ["pair", str(tmp_path / "a"), str(tmp_path / "b"), "--langs", "en,zh-Hans"])
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert len(lines) == DOCS - 1 and all(truth_a[Path(a).name] == truth_b[Path(b).name] for a, b, _ in lines)
    unpaired = next(name for name, i in truth_a.items() if i == 0)
    assert f"unpaired in A: {tmp_path / 'a' / unpaired}" in result.stderr
    assert sorted(tmp_path.rglob("*")) == before  # nothing written
    as_json = CliRunner().invoke(main, ["pair", str(tmp_path / "a"), str(tmp_path / "b"), "--langs", "en,zh-Hans", "--json"])
    data = json.loads(as_json.stdout)
    assert len(data["pairs"]) == DOCS - 1 and data["unpaired_a"] == [str(tmp_path / "a" / unpaired)]
    assert data["unpaired_b"] == [] and data["written"] == []


def test_write_seeds_gives_the_layout_build_reads(tmp_path: Path) -> None:
    truth_a = shuffled(tmp_path / "a", "en", seed=1)
    shuffled(tmp_path / "b", "zh-Hant", seed=2)
    args = ["pair", str(tmp_path / "a"), str(tmp_path / "b"), "--langs", "en,zh-Hant", "--write-seeds", str(tmp_path / "seeds")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "seeds").iterdir())
    assert written == sorted([f"{Path(n).stem}.en.txt" for n in truth_a] + [f"{Path(n).stem}.zh-Hant.txt" for n in truth_a])
    for name, i in truth_a.items():
        stem = Path(name).stem
        assert (tmp_path / "seeds" / f"{stem}.zh-Hant.txt").read_text(encoding="utf-8") == paragraphs("zh-Hant")[i]


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    shuffled(tmp_path / "a", "en", seed=1)
    shuffled(tmp_path / "b", "zh-Hans", seed=2)
    return tmp_path / "a", tmp_path / "b"


BAD = [
    ("empty folder", lambda a, b: [p.unlink() for p in b.iterdir()], "{b}: no .txt or .html files; give a folder of documents in one language"),
    ("empty file", lambda a, b: (b / "page000.txt").write_text(""), "{b}/page000.txt: the file is empty; give a text or HTML file with the document"),
    ("binary file", lambda a, b: (a / "page007.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00"), "{a}/page007.txt: byte 8: a NUL byte; this looks like a binary file, not text"),
    ("same file twice", lambda a, b: (a / "copy.txt").write_bytes((a / "page007.txt").read_bytes()), "{a}/page007.txt: the same file as {a}/copy.txt; remove one of them"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "spoil", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_one_clear_line(tmp_path: Path, what: str, spoil, message: str) -> None:  # type: ignore[no-untyped-def]
    a, b = _folders(tmp_path)
    spoil(a, b)
    result = CliRunner().invoke(main, ["pair", str(a), str(b), "--langs", "en,zh-Hans", "--write-seeds", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message.format(a=a, b=b)}\n"
    assert not (tmp_path / "s").exists()


def test_one_language_for_both_folders_is_refused_before_any_seed_is_written(tmp_path: Path) -> None:
    a, b = _folders(tmp_path)
    result = CliRunner().invoke(main, ["pair", str(a), str(b), "--langs", "en,en-GB", "--write-seeds", str(tmp_path / "s")], prog_name="aligner")
    assert result.exit_code == 2 and result.stderr == (
        "Error: Invalid value for '--langs': en,en-GB: the two folders must hold two languages; give each folder's own; see `aligner pair --help`\n"
    )
    assert not (tmp_path / "s").exists()


def test_the_same_folder_twice_and_bad_langs_are_errors(tmp_path: Path) -> None:
    a, _ = _folders(tmp_path)
    with pytest.raises(InputError, match="the same folder as"):
        pair_folders(a, a, ("en", "zh-Hans"))
    result = CliRunner().invoke(main, ["pair", str(a), str(a), "--langs", "en"])
    assert result.exit_code == 2 and "give the two folders' languages, e.g. --langs en,zh-Hans; see `" in result.stderr


def test_files_of_any_name_pair_and_become_seeds_build_reads(tmp_path: Path) -> None:
    from aligner.build import find_sources

    a, b = _folders(tmp_path)
    for old, new in (("page000.txt", "with space.txt"), ("page007.txt", "报告.txt"), ("page014.txt", "-dash.txt")):
        (a / old).rename(a / new)
    result = CliRunner().invoke(main, ["pair", str(a), str(b), "--langs", "en,zh-Hans", "--write-seeds", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    names = list(find_sources(tmp_path / "s"))  # every written name is a document id build takes
    assert "with_space" in names and "dash" in names and any(n.startswith("doc-") for n in names)


def test_one_folder_inside_the_other_is_refused(tmp_path: Path) -> None:
    a, _ = _folders(tmp_path)
    shuffled(a / "zh", "zh-Hans", seed=3)
    with pytest.raises(InputError, match=f"{a / 'zh'}: inside {a}; give two folders side by side"):
        pair_folders(a, a / "zh", ("en", "zh-Hans"))


def test_a_readme_in_a_folder_is_not_a_document_to_pair(tmp_path: Path) -> None:
    a, b = _folders(tmp_path)
    (a / "README.md").write_text("# About these pages\n\nCrawled in May.\n", encoding="utf-8")
    report = pair_folders(a, b, ("en", "zh-Hans"))
    assert all(p.name != "README.md" for p in [*report.unpaired_a, *(x for x, _, _ in report.pairs)])


def test_a_folder_named_as_a_text_is_the_error_build_gives(tmp_path: Path) -> None:
    """pair left such a folder out, where build refuses it."""
    a, b = _folders(tmp_path)
    (a / "page999.txt").mkdir()
    paired = CliRunner().invoke(main, ["pair", str(a), str(b), "--langs", "en,zh-Hans"])
    built = CliRunner().invoke(main, ["build", "--seeds", str(a), "--corpus", str(tmp_path / "c"), "-q"])
    assert paired.exit_code == built.exit_code == 1
    assert paired.stderr == built.stderr == (
        f"Error: {a / 'page999.txt'}: a folder, but named as a text to ingest; rename it, or move it out of the seeds folder\n"
    )


def test_a_file_in_another_language_than_its_folder_is_named(tmp_path: Path) -> None:
    """An English file among the Chinese ones was paired with its English twin's partner, no word said."""
    a, b = tmp_path / "a", tmp_path / "b"
    shuffled(a, "en", seed=1)
    name, i = next(iter(shuffled(b, "zh-Hans", seed=2).items()))
    english = b / name
    english.write_text(paragraphs("en")[i], encoding="utf-8")
    result = CliRunner().invoke(main, ["pair", str(a), str(b), "--langs", "en,zh-Hans"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        f"Warning: {english}: looks written in en, not in zh-Hans as --langs says of {b}; check that it belongs there"
    )
    assert result.stderr.count("Warning:") == 1
    as_json = CliRunner().invoke(main, ["pair", str(a), str(b), "--langs", "en,zh-Hans", "--json"])
    assert json.loads(as_json.stdout)["off_language"] == {str(english): "en"}


@pytest.mark.parametrize(("lang", "folder", "found"), [
    ("en", "en", None), ("zh-Hans", "zh-Hans", None), ("zh-Hant", "zh", None), ("zh-Hant", "zh-Hant", None),
    ("en", "zh-Hans", "en"), ("zh-Hant", "zh-Hans", "zh-Hant"), ("zh-Hans", "en", "zh-Hans"),
])
def test_the_language_a_text_looks_written_in(tmp_path: Path, lang: str, folder: str, found: str | None) -> None:
    from aligner.ingest.text import ingest_file, off_language

    (tmp_path / "t.txt").write_text(paragraphs(lang)[2], encoding="utf-8")
    assert off_language(ingest_file(tmp_path / "t.txt", "d", folder), folder) == found
    (tmp_path / "t.txt").write_text("山水人口", encoding="utf-8")  # characters both scripts share: either script's folder
    assert off_language(ingest_file(tmp_path / "t.txt", "d", "zh-Hant"), "zh-Hant") is None
