"""Derived tables kept in the cache folder: read back as written, rebuilt when the file is
missing or unreadable, and never fatal when the folder cannot be written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from aligner.cache import cached_arrays, cached_json


def test_arrays_are_built_once_then_read_back_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path))
    built = []

    def build() -> dict[str, np.ndarray]:
        built.append(1)
        return {"keys": np.array([3, 1, 2], np.uint64), "names": np.array(["a", "bé", "中"])}

    first = cached_arrays("t.npz", build)
    second = cached_arrays("t.npz", build)
    assert len(built) == 1
    assert second["keys"].dtype == np.uint64 and second["keys"].tolist() == [3, 1, 2]
    assert second["names"].tolist() == first["names"].tolist() == ["a", "bé", "中"]


@pytest.mark.parametrize("kind", ["npz", "json"])
def test_an_unreadable_cache_file_is_built_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path))
    (tmp_path / f"t.{kind}").write_bytes(b"\x00 half a file")
    if kind == "npz":
        assert cached_arrays("t.npz", lambda: {"x": np.arange(3)})["x"].tolist() == [0, 1, 2]
        assert cached_arrays("t.npz", lambda: {"x": np.arange(5)})["x"].tolist() == [0, 1, 2]  # rewritten
    else:
        assert cached_json("t.json", lambda: {"x": [1]}) == {"x": [1]}
        assert cached_json("t.json", lambda: {"x": [2]}) == {"x": [1]}


def test_a_cache_folder_that_cannot_be_written_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("ALIGNER_CACHE", str(blocked))
    assert cached_arrays("t.npz", lambda: {"x": np.ones(2)})["x"].tolist() == [1.0, 1.0]


def test_a_table_written_removes_the_files_it_replaces_and_only_those(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path))
    for name in ("t-1.json", "t-2.json", "u-1.json", "t-1.npz"):
        (tmp_path / name).write_text("{}")
    assert cached_json("t-3.json", lambda: [3], ("t-*.json",)) == [3]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t-1.npz", "t-3.json", "u-1.json"]
    (tmp_path / "t-2.json").write_text("{}")  # an older release run again: its table is kept while read
    assert cached_json("t-3.json", lambda: [4], ("t-*.json",)) == [3] and (tmp_path / "t-2.json").exists()


def test_an_older_table_that_cannot_be_removed_is_named_and_the_new_one_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path))
    (tmp_path / "t-1.json").mkdir()  # a folder: unlink refuses it
    assert cached_json("t-3.json", lambda: [3], ("t-*.json",)) == [3]
    assert cached_json("t-3.json", lambda: [4], ("t-*.json",)) == [3]  # the new table was cached
    assert "older table" in caplog.text and "t-1.json left in place" in caplog.text and "not cached" not in caplog.text


def test_the_dictionary_index_replaces_its_older_forms_and_the_stems_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aligner.align import lexicon

    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path))
    old = [tmp_path / "cedict-1.0.0-stems-2.json", tmp_path / "cedict-1.0.0-index-1.npz", tmp_path / "cedict-1.0.0-qa-5.json"]
    for path in old:
        path.write_text("{}")
    lexicon._index.cache_clear()
    try:
        assert len(lexicon._index().keys) > 100_000
    finally:
        lexicon._index.cache_clear()
    assert [path.exists() for path in old] == [False, False, True]  # QA's table is QA's to replace
    assert len(list(tmp_path.glob("cedict-*-index-*.npz"))) == 1  # the one just written
