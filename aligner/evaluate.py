"""Alignment files (`[0, 1]:[2]` per line) and their strict and lax precision, recall and F1.

The definitions are the field's (Sennrich & Volk 2011, as computed by Vecalign's score.py):
strict precision counts predicted links, omissions included, equal to a gold link; strict
recall counts gold links with both sides non-empty that the prediction reproduces; a lax
match overlaps a gold link on both sides. Counts are summed over files before dividing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from aligner.corpus.disjoint import DisjointSets
from aligner.errors import InputError

Link = tuple[tuple[int, ...], tuple[int, ...]]
log = logging.getLogger(__name__)


def numbered_links(text: str, name: str = "<alignment>") -> list[tuple[int, Link]]:
    """Parse `[src indices]:[tgt indices]` lines, each with its line number (a line ends at \\n
    alone, as the texts' do: `read_lines`; blank lines ignored; a third `:score` field too)."""
    links: list[tuple[int, Link]] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        parts = line.strip().split(":")
        try:
            src, tgt = (_indices(part) for part in parts[:2])
        except ValueError:
            raise InputError(
                f"{name}, line {number}: expected '[0, 1]:[2]', got {line.strip()!r}"
            ) from None
        links.append((number, (src, tgt)))
    return links


def parse_links(text: str, name: str = "<alignment>") -> list[Link]:
    """Parse `[src indices]:[tgt indices]` lines (`numbered_links`, without the numbers)."""
    return [link for _, link in numbered_links(text, name)]


def _indices(field: str) -> tuple[int, ...]:
    """Parse `[1, 2]` into (1, 2); raise ValueError otherwise."""
    field = field.strip()
    if not (field.startswith("[") and field.endswith("]")):
        raise ValueError(field)
    inner = field[1:-1].strip()
    return tuple(int(x) for x in inner.split(",")) if inner else ()


def format_links(links: Iterable[Link]) -> str:
    """Render links one per line as `[0, 1]:[2]`."""
    return "".join(f"[{', '.join(map(str, s))}]:[{', '.join(map(str, t))}]\n" for s, t in links)


def read_links(path: Path) -> list[Link]:
    """Read an alignment file (a byte order mark dropped, as `read_lines` does for the texts)."""
    return parse_links("\n".join(read_lines(path)), str(path))


@dataclass(frozen=True)
class Counts:
    """True and false positives, strict and lax, for precision (or recall, arguments swapped)."""

    strict_hit: int = 0
    strict_miss: int = 0
    lax_hit: int = 0
    lax_miss: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.strict_hit + other.strict_hit,
            self.strict_miss + other.strict_miss,
            self.lax_hit + other.lax_hit,
            self.lax_miss + other.lax_miss,
        )


def match_counts(reference: Sequence[Link], candidate: Sequence[Link]) -> Counts:
    """Count candidate links that equal (strict) or overlap on both sides (lax) a reference link."""
    ref = {(tuple(s), tuple(t)) for s, t in reference if s or t}
    targets_of: dict[int, set[int]] = defaultdict(set)
    for src, tgt in ref:
        for i in src:
            targets_of[i].update(tgt)
    strict = strict_miss = lax = lax_miss = 0
    for link in {(tuple(s), tuple(t)) for s, t in candidate if s or t}:
        if link in ref:
            strict += 1
            lax += 1
            continue
        strict_miss += 1
        reachable = set().union(*(targets_of[i] for i in link[0])) if link[0] else set()
        if reachable.intersection(link[1]):
            lax += 1
        else:
            lax_miss += 1
    return Counts(strict, strict_miss, lax, lax_miss)


def _both_sides(links: Sequence[Link]) -> list[Link]:
    """Drop omissions (links with an empty side)."""
    return [(s, t) for s, t in links if s and t]


@dataclass(frozen=True)
class Score:
    """Strict and lax precision, recall and F1 from summed counts."""

    precision: Counts
    recall: Counts

    @staticmethod
    def _ratio(hit: int, miss: int) -> float:
        return hit / (hit + miss) if hit + miss else 0.0

    @staticmethod
    def _f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        """Return precision, recall and F1, strict and lax."""
        ps = self._ratio(self.precision.strict_hit, self.precision.strict_miss)
        pl = self._ratio(self.precision.lax_hit, self.precision.lax_miss)
        rs = self._ratio(self.recall.strict_hit, self.recall.strict_miss)
        rl = self._ratio(self.recall.lax_hit, self.recall.lax_miss)
        return {
            "precision_strict": ps, "recall_strict": rs, "f1_strict": self._f1(ps, rs),
            "precision_lax": pl, "recall_lax": rl, "f1_lax": self._f1(pl, rl),
        }  # fmt: skip

    def __add__(self, other: Score) -> Score:
        return Score(self.precision + other.precision, self.recall + other.recall)


def score(gold: Sequence[Link], predicted: Sequence[Link]) -> Score:
    """Score one file's prediction against its gold (add Scores to pool files)."""
    return Score(
        precision=match_counts(gold, predicted),
        recall=match_counts(_both_sides(predicted), _both_sides(gold)),
    )


def merge_by_unit(
    links: Sequence[Link], src_units: Sequence[str], tgt_units: Sequence[str]
) -> list[Link]:
    """Merge links that share a unit id (a Bible verse) on either side into one link per group."""
    sets: DisjointSets[int] = DisjointSets()
    first_with: dict[tuple[str, str], int] = {}
    for k, (src, tgt) in enumerate(links):
        keys = [("s", src_units[i]) for i in src] + [("t", tgt_units[j]) for j in tgt]
        for key in keys:
            sets.union(first_with.setdefault(key, k), k)
    groups: dict[int, tuple[set[int], set[int]]] = {}
    for k, (src, tgt) in enumerate(links):
        group = groups.setdefault(sets.find(k), (set(), set()))
        group[0].update(src)
        group[1].update(tgt)
    merged = [(tuple(sorted(s)), tuple(sorted(t))) for s, t in groups.values()]
    return sorted(merged, key=lambda link: (link[0] or (-1,), link[1] or (-1,)))


@dataclass(frozen=True)
class FileResult:
    """One gold file's name and score."""

    name: str
    score: Score


def read_bytes(path: Path, what: str = "it", fix: str = "") -> bytes:
    """A file's bytes, or one line saying why `what` (the file, as the message names it) cannot
    be read, and the `fix` if given."""
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read {what} ({err.strerror or err}){fix and '; ' + fix}") from None


def read_lines(path: Path, what: str = "it", fix: str = "") -> list[str]:
    """Read one sentence per line, in any encoding the ingester reads (UTF-8 or UTF-16 with a
    byte order mark, which is dropped; UTF-8, GB18030, Big5); `what` and `fix` as `read_bytes`
    takes them. A line ends at \\n (a \\r before it dropped; none after the last line), as a gold
    file counts them: not at U+2028, NEL or a form feed in a sentence, where str.splitlines ends one."""
    from aligner.ingest.text import decode

    data = read_bytes(path, what, fix)
    if not data.strip():  # `decode` refuses blank bytes as an input's
        return []
    lines = decode(data, str(path)).split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def texts_of(gold_dir: Path, stem: str) -> tuple[list[str], list[str]]:
    """The source and target lines of gold file `stem` (`src/STEM`, `tgt/STEM`); an empty one is
    refused, naming it: there is nothing to align and score."""
    sides = []
    for side in ("src", "tgt"):
        path = gold_dir / side / stem
        lines = read_lines(path)
        if not lines:
            raise InputError(f"{path}: the file is empty; put the {side} text of gold/{stem}.align in it, a sentence a line")
        sides.append(lines)
    return sides[0], sides[1]


def read_gold(path: Path, n: int, m: int) -> list[Link]:
    """A gold file's links, checked against its texts of `n` source and `m` target lines
    (`check_gold`); a file without links is refused: every score against it would be 0."""
    numbered = numbered_links("\n".join(read_lines(path)), str(path))
    if not numbered:
        raise InputError(f"{path}: no links; a gold file holds a link a line, e.g. [0]:[0] (nothing to score against)")
    check_gold(numbered, n, m, str(path))
    return [link for _, link in numbered]


def check_gold(numbered: Sequence[tuple[int, Link]], n: int, m: int, name: str) -> None:
    """Refuse, naming the gold file's line, a link that indexes a sentence outside 0…n-1 and
    0…m-1; warn once for the file about sentences that two links hold (a duplicated or
    overlapping link: scored as given, as other scorers do; Text+Berg's 002.align has one)."""
    held: dict[tuple[str, int], int] = {}  # (side, index) → the line of the first link holding it
    shared: list[tuple[int, str, int]] = []  # (line, side, index) of each sentence an earlier link holds
    for number, (src, tgt) in numbered:
        if any(not 0 <= i < n for i in src) or any(not 0 <= j < m for j in tgt):
            raise InputError(
                f"{name}, line {number}: link {list(src)}:{list(tgt)} is outside the texts ({n} source, {m} target"
                " lines): the gold file does not belong to these texts"
            )
        for side, index in [("source", i) for i in src] + [("target", j) for j in tgt]:
            if (side, index) in held:
                shared.append((number, side, index))
            held.setdefault((side, index), number)
    if shared:
        number, side, index = shared[0]
        more = f" ({len(shared)} sentences are in more than one link)" if len(shared) > 1 else ""
        log.warning("%s, line %d: %s sentence %d is in this link and in the one at line %d%s; a sentence "
                    "belongs to one gold link: scored as the file is, but fix it to score right",
                    name, number, side, index, held[side, index], more)


def gold_files(gold_dir: Path) -> list[Path]:
    """Return the `gold/*.align` files of a gold set, checking `src/` and `tgt/` have each text."""
    files = sorted((gold_dir / "gold").glob("*.align"))
    if not files:
        raise InputError(f"{gold_dir}: no gold/*.align files: give a folder with src/, tgt/, gold/")
    for file in files:
        for side in ("src", "tgt"):
            if not (gold_dir / side / file.stem).is_file():
                raise InputError(f"{gold_dir}: {side}/{file.stem} is missing for gold/{file.name}")
    return files


def unit_ids(path: Path, needed: int) -> list[str]:
    """Read one unit id (e.g. a verse) per line; there must be at least `needed` lines."""
    ids = read_lines(path)
    if len(ids) < needed:
        raise InputError(
            f"{path}: {len(ids)} verse ids for {needed} lines: give the ids of every line"
        )
    return ids
