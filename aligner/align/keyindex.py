"""Where each cached embedding is: its key's first 64 bits in sorted runs, 16 bytes a key.

A dictionary from 32-byte digests to (shard, row) costs about 190 bytes a key, and a site's
archive puts tens of millions of keys in one cache, indexed by every worker. Here a key is its
first 8 bytes and its place (shard number and row packed in one int64), in sorted numpy runs.
A new run is merged into the one before it while that one is at most twice its size (as in a
log-structured merge), so adding keys costs O(log n) amortised per key and a lookup searches
O(log n) runs. Two keys can share a prefix: whoever reads the place checks the whole key.
"""

from __future__ import annotations

import numpy as np

_ROW_BITS = 32  # a place is shard number << 32 | row


def prefixes(keys: np.ndarray) -> np.ndarray:
    """The first 8 bytes of each key (rows of a uint8 array, at least 8 wide) as uint64."""
    return np.ascontiguousarray(keys[:, :8]).view("<u8").ravel()


def places(shard: int, count: int) -> np.ndarray:
    """The packed places of rows 0..count-1 of shard number `shard`."""
    return (np.int64(shard) << _ROW_BITS) | np.arange(count, dtype=np.int64)


def unpack(place: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shard numbers and rows of packed places."""
    return place >> _ROW_BITS, place & ((1 << _ROW_BITS) - 1)


class KeyIndex:
    """Sorted runs of (key prefix, place); the newest run last."""

    def __init__(self) -> None:
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        return sum(len(run) for run, _ in self.runs)

    def add(self, keys: np.ndarray, where: np.ndarray) -> None:
        """Index `where` under the prefixes `keys` (uint64), merging runs of similar size."""
        order = np.argsort(keys, kind="stable")
        self.runs.append((keys[order], where[order]))
        while len(self.runs) > 1 and len(self.runs[-2][0]) <= 2 * len(self.runs[-1][0]):
            (older, at_older), (newer, at_newer) = self.runs[-2:]
            merged = np.concatenate([older, newer])
            order = np.argsort(merged, kind="stable")
            self.runs[-2:] = [(merged[order], np.concatenate([at_older, at_newer])[order])]

    def find(self, keys: np.ndarray) -> np.ndarray:
        """The place of each prefix in `keys`, -1 where none is indexed (newest runs first)."""
        found = np.full(len(keys), -1, np.int64)
        for run, where in reversed(self.runs):
            todo = np.flatnonzero(found < 0)
            if not len(todo):
                break
            wanted = keys[todo]
            at = np.minimum(np.searchsorted(run, wanted), len(run) - 1)
            hit = run[at] == wanted
            found[todo[hit]] = where[at[hit]]
        return found
