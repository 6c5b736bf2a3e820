"""Compaction of the embedding cache: shards merged into sorted segments lose no vector and
mistake none, segments grow geometrically, readers that indexed the shards before keep finding
everything, and litter of killed writers is swept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from scale_seeds import tree_bytes, write_seeds

from aligner.align import cachefiles, compaction, embed
from aligner.align.compaction import compact
from aligner.align.encoders import USE
from aligner.build import build
from aligner.cli import main

DIM = 4


def random_keys(rng: np.random.Generator, count: int) -> list[bytes]:
    return [bytes(k) for k in rng.integers(0, 256, (count, 32), dtype=np.uint8)]


def fill(folder: Path, shards: list[list[bytes]]) -> dict[bytes, np.ndarray]:
    """Write one shard a key list (as encoder calls do); return every key's vector."""
    cache = embed.EmbeddingCache(folder.parent, folder.name)
    vectors: dict[bytes, np.ndarray] = {}
    for keys in shards:
        vecs = np.stack([np.frombuffer(key[:16], np.uint8)[:DIM].astype(np.float32) + 0.5 for key in keys])
        cache.put(keys, vecs)
        vectors.update(zip(keys, vecs, strict=True))
    return vectors


def fresh_reader(folder: Path, monkeypatch: pytest.MonkeyPatch) -> embed.EmbeddingCache:
    """A cache object as a new process has it: nothing indexed or mapped."""
    monkeypatch.setattr(embed, "_FOLDERS", {})
    return embed.EmbeddingCache(folder.parent, folder.name)


def test_shards_become_one_sorted_segment_holding_every_vector(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    folder = tmp_path / "model"
    shards = [random_keys(rng, int(n)) for n in rng.integers(1, 90, 40)]
    vectors = fill(folder, shards)
    report = compact(folder)
    assert (report.shards, report.segments, report.written, report.vectors, report.duplicates) == (40, 0, 1, len(vectors), 0)
    assert not list(folder.glob("*.vec"))
    (segment,) = folder.glob("*.seg")
    mapped = cachefiles.open_file(segment)
    assert mapped is not None and mapped.prefixes is not None
    assert (np.diff(mapped.prefixes.astype(np.float64)) >= 0).all()  # ascending: searchable
    reader = fresh_reader(folder, monkeypatch)
    asked = list(vectors) + random_keys(rng, 20)  # and 20 keys never stored
    got = reader.get_many(asked)
    assert set(got) == set(vectors) and all((got[k] == v).all() for k, v in vectors.items())
    out = np.zeros((len(asked), DIM), np.float32)
    found = reader.read(asked, out)
    assert found.tolist() == [True] * len(vectors) + [False] * 20
    assert (out[: len(vectors)] == np.stack(list(vectors.values()))).all() and not out[len(vectors) :].any()


def test_a_key_stored_twice_is_kept_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(4)
    folder = tmp_path / "model"
    keys = random_keys(rng, 10)
    vectors = fill(folder, [keys[:6], keys[4:]])  # two workers encoded keys 4 and 5 both
    report = compact(folder)
    assert (report.vectors, report.duplicates) == (10, 2)
    assert len(fresh_reader(folder, monkeypatch).get_many(keys)) == 10 == len(vectors)


def test_keys_sharing_the_prefix_are_each_found_with_their_own_vector(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A segment is searched by each key's first 8 bytes: keys that share them all stay findable."""
    shared = [b"p" * 8 + bytes([c]) * 24 for c in b"zaqm"]
    folder = tmp_path / "model"
    vectors = fill(folder, [shared[:2], shared[2:], random_keys(np.random.default_rng(5), 30)])
    compact(folder)
    got = fresh_reader(folder, monkeypatch).get_many(shared + [b"p" * 8 + b"x" * 24])
    assert set(got) == set(shared) and all((got[k] == vectors[k]).all() for k in shared)


def test_segments_grow_geometrically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A compaction takes a segment only when it is at most twice what it has taken so far, so
    a large segment is not rewritten for a few new shards, and is when enough have come."""
    rng = np.random.default_rng(6)
    folder = tmp_path / "model"
    vectors = fill(folder, [random_keys(rng, 100) for _ in range(3)])
    compact(folder)  # one segment of 300
    vectors |= fill(folder, [random_keys(rng, 20)])
    small = compact(folder)
    assert (small.shards, small.segments, small.vectors) == (1, 0, 20)
    assert sorted(cachefiles.open_file(p).count for p in folder.glob("*.seg")) == [20, 300]  # type: ignore[union-attr]
    vectors |= fill(folder, [random_keys(rng, 140)])  # 140 takes the 20 (≤ 280), then 160 takes the 300 (≤ 320)
    large = compact(folder)
    assert (large.shards, large.segments, large.vectors) == (1, 2, 460)
    assert len(list(folder.glob("*.seg"))) == 1
    assert len(fresh_reader(folder, monkeypatch).get_many(list(vectors))) == 460


def test_readers_that_indexed_the_shards_before_find_everything_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Compaction runs while workers read: one that indexed a shard now removed lists the folder
    again and finds the segment; one that mapped a segment now merged keeps reading it."""
    rng = np.random.default_rng(8)
    folder = tmp_path / "model"
    first = fill(folder, [random_keys(rng, 30) for _ in range(3)])
    before = fresh_reader(folder, monkeypatch)
    assert len(before.get_many(list(first))) == 90  # every shard indexed by this reader
    compact(folder)
    got = before.get_many(list(first))
    assert len(got) == 90 and all((got[k] == v).all() for k, v in first.items())
    second = fill(folder, [random_keys(rng, 200)])  # indexed by this process as it is put
    compact(folder)  # merges the reader's mapped segment into a new one and removes it
    assert len(list(folder.glob("*.seg"))) == 1
    everything = first | second
    got = before.get_many(list(everything))
    assert len(got) == 290 and all((got[k] == v).all() for k, v in everything.items())
    assert [s.path for s in before._folder.segments] == list(folder.glob("*.seg"))  # the merged one unmapped: its space freed


def test_encoder_warm_after_compaction_encodes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["One sentence.", "Another one.", "一个句子。"]
    vectors = embed.Encoder(USE, tmp_path).encode(texts)
    embed.Encoder(USE, tmp_path).encode(["And a third call."])
    assert compact(tmp_path / USE.model_id).shards == 2
    monkeypatch.setattr(embed, "_FOLDERS", {})
    again = embed.Encoder(USE, tmp_path)
    assert (again.encode(texts) == vectors).all() and again.encoded == 0


def test_broken_files_are_left_and_counted_and_stale_temp_files_swept(tmp_path: Path) -> None:
    rng = np.random.default_rng(9)
    folder = tmp_path / "model"
    fill(folder, [random_keys(rng, 5)])
    (folder / "broken.vec").write_bytes(b"not a shard")
    (folder / "half.seg").write_bytes(cachefiles.header(cachefiles.SEGMENT_MAGIC, 10, DIM))
    stale, live = folder / ".x.vec.1234.tmp", folder / ".y.vec.5678.tmp"
    killed_merge, recent_shard = folder / ".abc.seg.compact.k1.tmp", folder / ".z.vec.9999.tmp"
    for path in (stale, live, killed_merge, recent_shard):
        path.write_bytes(b"...")
    old = time.time() - 2 * compaction.STALE
    os.utime(stale, (old, old))
    paused = time.time() - 2 * compaction.STALE_COMPACT  # a compaction killed ten minutes ago
    for path in (killed_merge, recent_shard):
        os.utime(path, (paused, paused))
    report = compact(folder)
    assert (report.shards, report.skipped, report.stale) == (1, 2, 2)
    assert (folder / "broken.vec").exists() and (folder / "half.seg").exists()
    assert not stale.exists() and not killed_merge.exists() and live.exists() and recent_shard.exists()


def test_a_file_left_out_is_counted_once_however_many_batches_meet_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compaction, "BATCH", 2)
    rng = np.random.default_rng(12)
    folder = tmp_path / "model"
    everything = fill(folder, [random_keys(rng, 3) for _ in range(6)])
    (folder / "half.seg").write_bytes(cachefiles.header(cachefiles.SEGMENT_MAGIC, 10, DIM))
    wide_keys = random_keys(rng, 2)  # a segment of another dimension, smaller than any merge
    wide = folder / "wide.seg"
    wide.write_bytes(b"".join(cachefiles.segment_chunks(
        cachefiles.key_rows(sorted(wide_keys, key=lambda k: k[:8][::-1])), iter([np.ones((2, DIM + 1), np.float32)]), DIM + 1
    )))  # fmt: skip
    opened = cachefiles.open_file(wide)
    assert opened is not None and opened.dim == DIM + 1
    report = compact(folder)
    assert (report.shards, report.skipped, report.written) == (6, 2, 3)
    assert wide.exists() and (folder / "half.seg").exists() and len(list(folder.glob("*.seg"))) == 3  # one merged
    monkeypatch.setattr(embed, "_FOLDERS", {})
    got = embed.EmbeddingCache(tmp_path, "model").get_many(list(everything))
    assert all((got[k] == v).all() for k, v in everything.items())


def test_a_folder_with_few_shards_is_left_when_asked_for_more(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    fill(folder, [random_keys(np.random.default_rng(10), 3)])
    assert compact(folder, at_least=2).written == 0 and list(folder.glob("*.vec"))


def test_cli_cache_info_and_compact(tmp_path: Path) -> None:
    rng = np.random.default_rng(11)
    fill(tmp_path / "model", [random_keys(rng, 7) for _ in range(4)])
    runner = CliRunner()
    info = runner.invoke(main, ["cache", "info", "--cache", str(tmp_path), "--json"])
    assert info.exit_code == 0, info.output
    assert json.loads(info.output)["models"] == [
        {"model": "model", "shards": 4, "segments": 0, "vectors": 28, "bytes": 4 * (16 + 7 * 48), "unreadable": 0}
    ]
    done = runner.invoke(main, ["cache", "compact", "--cache", str(tmp_path), "--json"])
    assert done.exit_code == 0, done.output
    (report,) = json.loads(done.output)["compacted"]
    assert (report["shards"], report["vectors"]) == (4, 28)
    text = runner.invoke(main, ["cache", "info", "--cache", str(tmp_path)])
    assert "model: 28 vectors in 0 shards and 1 segments" in text.output
    segment = next((tmp_path / "model").glob("*.seg"))
    (tmp_path / "model" / "cut.seg").write_bytes(segment.read_bytes()[:-10])
    (tmp_path / "model" / "foreign.vec").write_bytes(b"not a shard")
    text = runner.invoke(main, ["cache", "info", "--cache", str(tmp_path)])
    assert "model: 28 vectors in 0 shards and 1 segments" in text.output and "; 2 unreadable files (cut short or foreign), passed over" in text.output
    missing = runner.invoke(main, ["cache", "compact", "--cache", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "nowhere" in missing.output and "Traceback" not in missing.output


def test_a_build_that_leaves_many_shards_compacts_them_and_a_rebuild_encodes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("ALIGNER_CACHE", str(cache))
    monkeypatch.setattr(compaction, "AUTO", 2)  # instead of 1,024: three documents leave a few shards
    write_seeds(tmp_path / "seeds", docs=3)
    first = build(tmp_path / "seeds", tmp_path / "corpus", jobs=1)
    (merged,) = first.compacted
    assert int(merged["shards"]) >= 2 and merged["written"] == 1  # type: ignore[call-overload]
    folder = Path(str(merged["folder"]))
    assert not list(folder.glob("*.vec")) and len(list(folder.glob("*.seg"))) == 1
    monkeypatch.setattr(embed, "_FOLDERS", {})

    def refuse(self: embed.Encoder, texts: list[str]) -> None:
        raise AssertionError(f"encoded again: {texts[:2]}")

    monkeypatch.setattr(embed.Encoder, "_embed", refuse)
    again = build(tmp_path / "seeds", tmp_path / "again", jobs=1)
    assert tree_bytes(tmp_path / "again") == tree_bytes(tmp_path / "corpus")
    assert again.compacted == [] and again.as_json()["cache_compacted"] == []


def test_a_long_build_compacts_its_cache_while_workers_run_and_writes_the_same_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aligner import build as build_module

    write_seeds(tmp_path / "seeds", docs=4)
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path / "plain-cache"))
    plain = build(tmp_path / "seeds", tmp_path / "plain", jobs=2)
    assert plain.compacted == []  # four documents leave far fewer than 1,024 shards
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(compaction, "AUTO", 1)
    monkeypatch.setattr(build_module, "COMPACT_EVERY", 1)  # look after every document, not every 128
    report = build(tmp_path / "seeds", tmp_path / "corpus", jobs=2)
    assert len(report.compacted) >= 2  # during the build, not only at its end
    assert tree_bytes(tmp_path / "corpus") == tree_bytes(tmp_path / "plain")


def test_a_cache_that_cannot_be_compacted_does_not_fail_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from aligner.errors import OutputError

    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(compaction, "AUTO", 1)

    def full(folder: Path, at_least: int = 1, bar: object = None) -> compaction.Compaction:
        raise OutputError(28, f"{folder}/x.seg: cannot write (No space left on device); free some disk space or write elsewhere")

    monkeypatch.setattr(compaction, "compact", full)
    write_seeds(tmp_path / "seeds", docs=1)
    report = build(tmp_path / "seeds", tmp_path / "corpus", jobs=1)
    assert report.compacted == [] and list(report.sentences) == ["part0"]
    assert "not compacted" in caplog.text and "No space left on device" in caplog.text


def test_a_worker_reading_while_compactions_run_never_misses_a_vector(tmp_path: Path) -> None:
    """A reader in another process looks up the same keys again and again while this one
    writes shards and compacts, each compaction merging the segment before into a new one: it
    never misses a key nor reads a wrong vector."""
    rng = np.random.default_rng(12)
    folder = tmp_path / "model"
    keys = random_keys(rng, 200)
    vectors = fill(folder, [keys[k : k + 20] for k in range(0, 200, 20)])
    np.save(tmp_path / "keys.npy", np.frombuffer(b"".join(keys), np.uint8).reshape(-1, 32))
    np.save(tmp_path / "vecs.npy", np.stack([vectors[k] for k in keys]))
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, str(Path(__file__).parent / "cache_reader.py"), str(tmp_path), "model",
         str(tmp_path / "keys.npy"), str(tmp_path / "vecs.npy"), str(stop)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        time.sleep(0.5)  # the reader has indexed the shards
        total = 200
        for round in range(8):
            fill(folder, [random_keys(rng, total // 2 + 1)])  # enough for the segment to be merged
            total += total // 2 + 1
            assert compact(folder).segments == min(round, 1)
            assert len(list(folder.glob("*.seg"))) == 1
            time.sleep(0.1)
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=60)
    got = json.loads(out)
    assert got["lookups"] >= 10 and got["missed"] == 0 and got["wrong"] == 0
    assert not list(folder.glob("*.vec"))
