"""Link operations: engine beads to links, composition through a pivot, keeping a person's links."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path

from aligner.align.bead import Bead
from aligner.align.engine import align
from aligner.corpus.links import align_keeping_person_links, compose, person_links
from aligner.corpus.model import Alignment, Document, Link, Paragraph, ParallelText, Sentence
from aligner.corpus.rows import aligned_rows


def version(lang: str, n: int) -> Document:
    return written(lang, [f"{lang} sentence {i}" for i in range(1, n + 1)])


def written(lang: str, texts: Sequence[str]) -> Document:
    """A version of one paragraph; its sentences are numbered from 1, as `ids` names them."""
    sents = tuple(Sentence(f"{lang}.p1.s{i}", text) for i, text in enumerate(texts, 1))
    return Document("d", lang, (Paragraph(f"{lang}.p1", sents),))


def ids(lang: str, *nums: int) -> tuple[str, ...]:
    return tuple(f"{lang}.p1.s{i}" for i in nums)


EN_ZH = Alignment("en", "zh-Hans", (
    Link(ids("en", 1), ids("zh-Hans", 1), 0.9),
    Link(ids("en", 2, 3), ids("zh-Hans", 2), 0.8),
    Link(ids("en", 4), (), 0.5),
    Link(ids("en", 5), ids("zh-Hans", 3, 4), 0.7),
))
HANS_HANT = Alignment("zh-Hans", "zh-Hant", (
    Link(ids("zh-Hans", 1), ids("zh-Hant", 1), 1.0, "person"),
    Link(ids("zh-Hans", 2), ids("zh-Hant", 2), 0.95),
    Link(ids("zh-Hans", 3, 4), ids("zh-Hant", 3), 0.6),
    Link((), ids("zh-Hant", 4), 0.2),
))


def test_compose_through_pivot() -> None:
    got = compose(EN_ZH, HANS_HANT, ids("zh-Hans", 1, 2, 3, 4))
    assert (got.src_lang, got.tgt_lang) == ("en", "zh-Hant")
    assert [(lk.src, lk.tgt, lk.confidence, lk.resp) for lk in got.links] == [
        (ids("en", 1), ids("zh-Hant", 1), 0.9, "machine"),
        (ids("en", 2, 3), ids("zh-Hant", 2), 0.8, "machine"),
        (ids("en", 4), (), 0.5, "machine"),
        (ids("en", 5), ids("zh-Hant", 3), 0.6, "machine"),
        ((), ids("zh-Hant", 4), 0.2, "machine"),
    ]


def test_compose_merges_links_that_share_a_pivot_sentence() -> None:
    ab = Alignment("a", "b", (Link(("a1",), ("b1",)), Link(("a2",), ("b2",))))
    bc = Alignment("b", "c", (Link(("b1", "b2"), ("c1",)),))
    got = compose(ab, bc, ["b1", "b2"])
    assert [(lk.src, lk.tgt) for lk in got.links] == [(("a1", "a2"), ("c1",))]


def fake_engine(calls: list[tuple[int, int]]) -> Callable[[Sequence[str], Sequence[str]], list[Bead]]:
    """An engine that pairs sentences one to one and records the stretches it was given."""

    def run(src: Sequence[str], tgt: Sequence[str]) -> list[Bead]:
        calls.append((len(src), len(tgt)))
        n = min(len(src), len(tgt))
        beads = [Bead((i,), (i,), 0.5) for i in range(n)]
        beads += [Bead((i,), (), 0.1) for i in range(n, len(src))]
        beads += [Bead((), (j,), 0.1) for j in range(n, len(tgt))]
        return beads

    return run


def test_person_links_are_kept_and_the_machine_aligns_between_them() -> None:
    en, zh = version("en", 5), version("zh-Hans", 5)
    person = Link(ids("en", 2, 3), ids("zh-Hans", 2), 1.0, "person")
    previous = Alignment("en", "zh-Hans", (Link(ids("en", 1), ids("zh-Hans", 1), 0.3), person))
    calls: list[tuple[int, int]] = []
    links = align_keeping_person_links(en, zh, person_links(previous), fake_engine(calls))
    assert person in links
    assert calls == [(1, 1), (2, 3)]  # before the person's link, and after it
    covered_en = [s for lk in links for s in lk.src]
    covered_zh = [t for lk in links for t in lk.tgt]
    assert covered_en == list(ids("en", 1, 2, 3, 4, 5))
    assert covered_zh == list(ids("zh-Hans", 1, 2, 3, 4, 5))


def test_person_links_to_vanished_sentences_are_dropped() -> None:
    en, zh = version("en", 2), version("zh-Hans", 2)
    previous = Alignment("en", "zh-Hans", (Link(ids("en", 9), ids("zh-Hans", 1), 1.0, "person"),))
    links = align_keeping_person_links(en, zh, person_links(previous), fake_engine([]))
    assert all(lk.resp == "machine" for lk in links)


def test_rows_join_three_versions_and_keep_omissions_in_place() -> None:
    text = ParallelText(
        "d",
        {"en": version("en", 5), "zh-Hans": version("zh-Hans", 4), "zh-Hant": version("zh-Hant", 4)},
        (EN_ZH, HANS_HANT),
    )
    rows = aligned_rows(text, ["en", "zh-Hans", "zh-Hant"])
    cells = [{lang: tuple(s.id for s in sents) for lang, sents in r.cells.items()} for r in rows]
    assert cells[1] == {"en": ids("en", 2, 3), "zh-Hans": ids("zh-Hans", 2), "zh-Hant": ids("zh-Hant", 2)}
    assert cells[2] == {"en": ids("en", 4), "zh-Hans": (), "zh-Hant": ()}
    assert cells[-1] == {"en": (), "zh-Hans": (), "zh-Hant": ids("zh-Hant", 4)}
    assert [r.is_omission for r in rows] == [False, False, True, False, True]
    assert rows[0].confidence == 0.9


def test_fixed_links_are_taken_in_reading_order_whatever_order_they_come_in() -> None:
    en, zh = version("en", 3), version("zh-Hans", 4)
    later = Link(ids("en", 3), ids("zh-Hans", 4), 1.0, "person")
    omitted = Link((), ids("zh-Hans", 2), 1.0, "person")
    calls: list[tuple[int, int]] = []
    links = align_keeping_person_links(en, zh, [later, omitted], fake_engine(calls))
    assert [lk for lk in links if lk.resp == "person"] == [omitted, later]
    assert calls == [(2, 2)]  # the omission does not cut the stretch before `later`


def test_a_held_omission_leaves_the_other_version_to_the_engine() -> None:
    en, zh = version("en", 4), version("zh-Hans", 5)
    omitted = Link((), ids("zh-Hans", 2), 1.0, "person")
    links = align_keeping_person_links(en, zh, [omitted], fake_engine([]))
    assert [(lk.src, lk.tgt) for lk in links] == [
        (ids("en", 1), ids("zh-Hans", 1)), ((), ids("zh-Hans", 2)), (ids("en", 2), ids("zh-Hans", 3)),
        (ids("en", 3), ids("zh-Hans", 4)), (ids("en", 4), ids("zh-Hans", 5))]


def test_the_engine_aligns_around_person_links_with_the_whole_texts_signals(tmp_path: Path) -> None:
    """One search of the whole text through a person's links: "馆长表示非常高兴。" stays an addition,
    as without them. Aligned as a text of its own, the stretch after the person's links (two
    sentences against three, with only their own signals) joined it to the cafe sentence at 0.985."""
    en = written("en", ["City News", "The mayor opened a new library on Monday.", "It has forty thousand books.",
                        "Children can borrow ten books at a time.", "The library is open every day.",
                        "A cafe will open next month.", "Parking is free for visitors."])  # fmt: skip
    zh = written("zh-Hans", ["城市新闻", "市长周一开放了一座新图书馆。", "馆内藏书四万册。", "图书馆每天开放。",
                             "下个月将开一家咖啡馆。", "馆长表示非常高兴。", "访客停车免费。"])  # fmt: skip
    merged = Link(ids("en", 2, 3), ids("zh-Hans", 2, 3), 1.0, "person")
    confirmed = Link(ids("en", 5), ids("zh-Hans", 4), 1.0, "person")
    engine = functools.partial(align, src_lang="en", tgt_lang="zh-Hans", cache_dir=tmp_path)
    links = align_keeping_person_links(en, zh, [merged, confirmed], engine)
    assert [(lk.src, lk.tgt) for lk in links] == [
        (ids("en", 1), ids("zh-Hans", 1)), (merged.src, merged.tgt), (ids("en", 4), ()),
        (confirmed.src, confirmed.tgt), (ids("en", 6), ids("zh-Hans", 5)), ((), ids("zh-Hans", 6)),
        (ids("en", 7), ids("zh-Hans", 7))]  # fmt: skip
    assert links[1] is merged and links[3] is confirmed
    assert links[5].confidence > 0.9


def test_a_composed_link_is_a_machines_even_when_a_person_made_all_its_parts() -> None:
    """A link of the derived pair is a person's only where a person made or confirmed it there
    (`triangle.derive` puts those back): a person's omission in A↔B is no person's work in A↔C."""
    ab = Alignment("a", "b", (Link(("a1",), ("b1",), 1.0, "person"), Link(("a2",), (), 1.0, "person")))
    bc = Alignment("b", "c", (Link(("b1",), ("c1",), 1.0, "person"),))
    got = compose(ab, bc, ["b1"])
    assert [(lk.src, lk.tgt, lk.resp) for lk in got.links] == [(("a1",), ("c1",), "machine"), (("a2",), (), "machine")]
