"""The embedding cache's key index: every key found where it was put, absent keys not found,
few runs and 16 bytes a key, and two digests sharing the index's prefix never mistaken."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from aligner.align import embed
from aligner.align.encoders import USE
from aligner.align.keyindex import KeyIndex, places, prefixes, unpack


def test_keys_added_shard_by_shard_are_found_at_their_place() -> None:
    rng = np.random.default_rng(7)
    index = KeyIndex()
    shards = [rng.integers(0, 256, (int(n), 32), dtype=np.uint8) for n in rng.integers(1, 300, 200)]
    for number, keys in enumerate(shards):
        index.add(prefixes(keys), places(number, len(keys)))
    total = sum(len(keys) for keys in shards)
    assert len(index) == total
    assert len(index.runs) <= 2 * np.log2(total)  # merged as it grows, not a run a shard
    assert sum(run.nbytes + where.nbytes for run, where in index.runs) == 16 * total
    for number in (0, 57, 199):  # the first shard, one in the middle, the last
        shard, row = unpack(index.find(prefixes(shards[number])))
        assert (shard == number).all() and (row == np.arange(len(shards[number]))).all()
    absent = rng.integers(0, 256, (50, 32), dtype=np.uint8)
    assert (index.find(prefixes(absent)) == -1).all()
    assert (KeyIndex().find(prefixes(absent)) == -1).all()


def test_prefixes_are_the_first_eight_bytes() -> None:
    keys = np.frombuffer(bytes(range(32)) + bytes(range(100, 132)), np.uint8).reshape(2, 32)
    assert prefixes(keys).tolist() == [int.from_bytes(bytes(range(8)), "little"), int.from_bytes(bytes(range(100, 108)), "little")]


def test_two_keys_sharing_a_prefix_are_never_mistaken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The index keeps 8 bytes of a 32-byte digest: a key whose prefix leads to another key's
    row is read as absent (encoded again), never given the other text's vector."""
    first, second = b"p" * 8 + b"a" * 24, b"p" * 8 + b"b" * 24
    cache = embed.EmbeddingCache(tmp_path, USE.model_id)
    cache.put([first], np.full((1, USE.dim), 1.0, np.float32))
    cache.put([second], np.full((1, USE.dim), 2.0, np.float32))
    monkeypatch.setattr(embed, "_FOLDERS", {})  # and in another process, which reads the shards
    for reader in (cache, embed.EmbeddingCache(tmp_path, USE.model_id)):
        got = reader.get_many([first, second])
        assert len(got) == 1 and all(float(vec[0]) == (1.0 if key == first else 2.0) for key, vec in got.items())
        out = np.zeros((2, USE.dim), np.float32)
        found = reader.read([first, second], out)
        assert found.sum() == 1 and out[found, 0].tolist() == [1.0 + int(found[1])]
        assert not out[~found].any()
