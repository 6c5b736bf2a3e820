"""Edits of one pair's links, in row order: pure functions from links to links.

Every link an edit makes or changes is a person's (`resp="person"`, confidence 1.0): a person
decided it, so `aligner build` keeps it. It keeps the XLIFF notes of the links it is made from
(and their state where they agree). Positions are 0-based rows as `aligner show` numbers them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from aligner.corpus.model import Link
from aligner.errors import EditError

Links = tuple[Link, ...]
Side = Literal["src", "tgt"]
Direction = Literal["up", "down"]


def person(src: Sequence[str], tgt: Sequence[str], *made_from: Link) -> Link:
    """A link a person made, with the notes of the links it is made from and their state if one."""
    states = {lk.state for lk in made_from}
    notes = tuple(dict.fromkeys(note for lk in made_from for note in lk.notes))
    return Link(tuple(src), tuple(tgt), 1.0, "person", notes, states.pop() if len(states) == 1 else None)


def check_row(links: Sequence[Link], n: int) -> Link:
    """Link `n`, or a one-line error saying which rows exist."""
    if not 0 <= n < len(links):
        raise EditError(f"link {n} does not exist: there are {len(links)} links, numbered 0 to {len(links) - 1}")
    return links[n]


def _neighbour(links: Sequence[Link], n: int, direction: Direction) -> int:
    """The row above or below `n`; an error at either end."""
    m = n - 1 if direction == "up" else n + 1
    if not 0 <= m < len(links):
        raise EditError(f"link {n} is the {'first' if direction == 'up' else 'last'} link: there is none {'above' if direction == 'up' else 'below'} it")
    return m


def merge(links: Links, n: int, direction: Direction = "down") -> Links:
    """Link `n` joined with the link below (or above) it into one n-m link."""
    check_row(links, n)
    m = _neighbour(links, n, direction)
    a, b = links[min(n, m)], links[max(n, m)]
    return links[: min(n, m)] + (person(a.src + b.src, a.tgt + b.tgt, a, b),) + links[max(n, m) + 1 :]


def split(links: Links, n: int, at_src: int, at_tgt: int) -> Links:
    """Link `n` cut in two: its first `at_src` source and `at_tgt` target sentences, and the rest."""
    lk = check_row(links, n)
    if not (0 <= at_src <= len(lk.src) and 0 <= at_tgt <= len(lk.tgt)):
        raise EditError(f"link {n} is {lk.kind}: split it at 0-{len(lk.src)} source and 0-{len(lk.tgt)} target sentences, not {at_src}:{at_tgt}")
    first, rest = person(lk.src[:at_src], lk.tgt[:at_tgt], lk), person(lk.src[at_src:], lk.tgt[at_tgt:], lk)
    if not (first.src or first.tgt) or not (rest.src or rest.tgt):
        raise EditError(f"link {n} split at {at_src}:{at_tgt} leaves one part empty; choose a point inside the link")
    return links[:n] + (first, rest) + links[n + 1 :]


def _side(lk: Link, side: Side) -> tuple[str, ...]:
    return lk.src if side == "src" else lk.tgt


def _with(lk: Link, side: Side, ids: tuple[str, ...]) -> Link:
    return person(ids, lk.tgt, lk) if side == "src" else person(lk.src, ids, lk)


def shift(links: Links, n: int, direction: Direction, side: Side = "tgt") -> Links:
    """Move the first (up) or last (down) sentence of one side of link `n` into the link above or
    below; a link left empty disappears."""
    lk = check_row(links, n)
    m = _neighbour(links, n, direction)
    ids = _side(lk, side)
    if not ids:
        raise EditError(f"link {n} has no {'source' if side == 'src' else 'target'} sentence to shift; shift the other side (--side)")
    moved, kept = (ids[0], ids[1:]) if direction == "up" else (ids[-1], ids[:-1])
    other = links[m]
    into = _with(other, side, _side(other, side) + (moved,) if direction == "up" else (moved,) + _side(other, side))
    left = _with(lk, side, kept)
    pair = (into, left) if direction == "up" else (left, into)
    return links[: min(n, m)] + tuple(x for x in pair if x.src or x.tgt) + links[max(n, m) + 1 :]


def detach(links: Links, n: int, side: Side, which: Literal["first", "last"] = "last") -> Links:
    """Take the first or last sentence of one side of link `n` out as an omission (1-0 or 0-1),
    placed before or after what is left of the link."""
    lk = check_row(links, n)
    ids = _side(lk, side)
    if not ids or len(lk.src) + len(lk.tgt) < 2:
        raise EditError(f"link {n} ({lk.kind}) has no {side} sentence to detach beside another one")
    moved, kept = (ids[0], ids[1:]) if which == "first" else (ids[-1], ids[:-1])
    alone = _with(Link((), ()), side, (moved,))
    left = _with(lk, side, kept)
    pair = (alone, left) if which == "first" else (left, alone)
    return links[:n] + pair + links[n + 1 :]


def attach(links: Links, n: int, direction: Direction) -> Links:
    """Join omission `n` (a link with one side empty) to the link above or below it."""
    lk = check_row(links, n)
    if lk.src and lk.tgt:
        raise EditError(f"link {n} is {lk.kind}, not an omission; use merge to join two links")
    return merge(links, n, direction)


def confirm(links: Links, n: int) -> Links:
    """Link `n` made a person's: kept as it is by every later build and re-alignment."""
    check_row(links, n)
    return links[:n] + (replace(links[n], resp="person"),) + links[n + 1 :]


def unconfirm(links: Links, n: int) -> Links:
    """Link `n` handed back to the machine: the next re-alignment may change it. Its notes stay;
    its XLIFF state, which may say a person approved it, goes."""
    check_row(links, n)
    return links[:n] + (replace(links[n], resp="machine", state=None),) + links[n + 1 :]


def stretch(links: Sequence[Link], n: int) -> tuple[int, int]:
    """The rows [start, end) of unconfirmed links around `n`, between the nearest confirmed ones."""
    if check_row(links, n).resp == "person":
        raise EditError(f"link {n} is confirmed; unconfirm it first to let the machine re-align it")
    start = n
    while start > 0 and links[start - 1].resp != "person":
        start -= 1
    end = n + 1
    while end < len(links) and links[end].resp != "person":
        end += 1
    return start, end
