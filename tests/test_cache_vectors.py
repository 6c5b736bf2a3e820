"""The embedding cache's damaged vectors (not finite, not of unit length) read as missing and
encoded again, named once; `aligner cache info` and `compact` saying what the folder holds and
what they did; a cache that cannot be written named once."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from aligner.align import cachefiles, embed
from aligner.align.compaction import compact
from aligner.align.encoders import USE, Spec
from aligner.cli import main

DIM = 8
TEXTS = ["One.", "Two.", "Three.", "Four."]


def unit(text: str) -> np.ndarray:
    """A vector of unit length that depends on the text alone, as an encoder's does."""
    vec = np.random.default_rng(sum(text.encode())).normal(size=DIM).astype(np.float32)
    return vec / np.linalg.norm(vec)


def counting_spec(asked: list[str]) -> Spec:
    """An encoder of `unit` vectors that records the texts it is given."""

    def load():  # type: ignore[no-untyped-def]
        def model(texts: list[str]) -> np.ndarray:
            asked.extend(texts)
            return np.stack([unit(t) for t in texts])

        return model

    return dataclasses.replace(USE, dim=DIM, load=load)


def damage(path: Path, rows: dict[int, float]) -> None:
    """Set every value of the given vector rows of a shard or segment (in place, size kept)."""
    shape = cachefiles.shape_of(path)
    assert shape is not None
    count, dim = shape
    raw = bytearray(path.read_bytes())
    start = len(raw) - count * dim * 4
    vecs = np.frombuffer(raw, "<f4", count * dim, start).reshape(count, dim).copy()
    for row, value in rows.items():
        vecs[row] = value
    raw[start:] = vecs.tobytes()
    path.write_bytes(bytes(raw))


def keys_rows(path: Path, texts: list[str]) -> list[int]:
    """The rows of a file holding the keys of `texts`, in that order."""
    mapped = cachefiles.open_file(path)
    assert mapped is not None
    stored = [bytes(key) for key in mapped.keys]
    return [stored.index(embed.text_key(t, USE.model_id)) for t in texts]


@pytest.mark.parametrize("kind", [".vec", ".seg"])
def test_damaged_vectors_are_encoded_again_and_their_file_named_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    """NaN vectors stopped a build with a traceback in the path search; zero vectors gave wrong
    confidences: both were used as read, with no word."""
    asked: list[str] = []
    spec = counting_spec(asked)
    expected = embed.Encoder(spec, tmp_path).encode(TEXTS)
    folder = tmp_path / USE.model_id
    if kind == ".seg":
        compact(folder)
    (stored,) = folder.glob(f"*{kind}")
    nan_row, zero_row, long_row = keys_rows(stored, TEXTS[:3])
    damage(stored, {nan_row: float("nan"), zero_row: 0.0, long_row: 1.0})
    monkeypatch.setattr(embed, "_FOLDERS", {})  # another process: nothing indexed
    asked.clear()
    caplog.set_level(logging.WARNING)
    again = embed.Encoder(spec, tmp_path)
    assert np.array_equal(again.encode(TEXTS), expected) and sorted(asked) == sorted(TEXTS[:3])
    assert np.array_equal(again.encode(TEXTS[::-1]), expected[::-1]) and len(asked) == 3  # the new shard is read
    assert [r.getMessage() for r in caplog.records] == [
        f"embedding cache {stored}: 3 of the vectors read are damaged (not finite or not of unit length), so encoded again;"
        " remove the file to stop this (the cache only saves time)"
    ]


def test_vectors_within_the_tolerance_are_whole_and_others_are_not() -> None:
    vecs = np.stack([unit("a"), unit("b") * (1 + 0.5 * cachefiles.UNIT_TOLERANCE), unit("c") * 1.01, np.full(DIM, np.inf, np.float32)])
    assert cachefiles.unit_rows(vecs).tolist() == [True, True, False, False]


def test_cache_info_names_damaged_files_and_counts_the_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`cache info` called damaged shards readable, and left out the CC-CEDICT table beside them."""
    embed.Encoder(counting_spec([]), tmp_path).encode(TEXTS)
    embed.Encoder(counting_spec([]), tmp_path).encode(["Five."])
    first, second = sorted((tmp_path / USE.model_id).glob("*.vec"), key=lambda p: p.stat().st_size, reverse=True)
    damage(first, {0: float("nan"), 2: 0.0})
    (tmp_path / "cedict-1.2.0-index-2.npz").write_bytes(b"x" * 3000)
    (tmp_path / ".cedict.tmp").write_bytes(b"x")  # a writer's temporary file: no table
    result = CliRunner().invoke(main, ["cache", "info", "--cache", str(tmp_path), "--json"])
    found = json.loads(result.output)
    assert (found["damaged"], found["tables"]) == ({USE.model_id: {first.name: 2}}, {"cedict-1.2.0-index-2.npz": 3000})
    text = CliRunner().invoke(main, ["cache", "info", "--cache", str(tmp_path)]).output.splitlines()
    vectors = 16 * 2 + 5 * (32 + 4 * DIM)
    assert text == [
        f"Cache folder {tmp_path}: {(vectors + 3000) / 1e6:.1f} MB",
        f"  {USE.model_id}: 5 vectors in 2 shards and 0 segments, 0.0 MB",
        f"    damaged: {first.name}: 2 vectors not finite or not of unit length, encoded again when read; remove the file",
        "  table cedict-1.2.0-index-2.npz: 0.0 MB",
    ]
    assert second.name not in "\n".join(text)


def test_cache_compact_says_when_there_is_nothing_to_do(tmp_path: Path) -> None:
    """Run again it said "0 shards and 0 segments merged into 0 segments"; with no encoder's
    folder yet it printed nothing."""
    runner = CliRunner()
    assert runner.invoke(main, ["cache", "compact", "--cache", str(tmp_path)]).output == f"{tmp_path}: no encoder's vectors cached yet; nothing to compact\n"
    assert runner.invoke(main, ["cache", "info", "--cache", str(tmp_path)]).output.endswith("  empty: nothing cached yet (a build fills it)\n")
    embed.Encoder(counting_spec([]), tmp_path).encode(TEXTS)
    folder = tmp_path / USE.model_id
    assert runner.invoke(main, ["cache", "compact", "--cache", str(tmp_path)]).output.startswith(f"{folder}: 1 shards and 0 segments merged into 1 segments")
    again = runner.invoke(main, ["cache", "compact", "--cache", str(tmp_path)])
    assert (again.exit_code, again.output) == (0, f"{folder}: no shards to merge; nothing to do\n")


def test_a_cache_that_cannot_be_written_is_named_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """It said "embedding cache … not written" once a shard: hundreds of lines in a large build."""
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    caplog.set_level(logging.WARNING)
    cache = embed.EmbeddingCache(blocked, USE.model_id)
    for k in range(3):
        cache.put([bytes([k]) * 32], np.stack([unit(str(k))]))
    assert all(cache.get(bytes([k]) * 32) is not None for k in range(3))
    assert len(caplog.records) == 1 and caplog.records[0].getMessage().startswith(f"embedding cache {blocked / USE.model_id} not written: ")
