"""Three versions, three link groups: the derived pair agrees with the other two, and follows the
text where the pivot (zh-Hans) has nothing to say."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from edit_fixtures import engine_for, three_versions

from aligner.align.bead import Bead
from aligner.build import align_text
from aligner.corpus.model import (
    Alignment,
    Document,
    Link,
    Paragraph,
    ParallelText,
    Sentence,
    reverse,
)
from aligner.corpus.triangle import carry, contradictions, derive
from aligner.edit.ops import Result, link_edit, sentence_edit
from aligner.edit.pairs import pair_links
from aligner.errors import EditError


def L(src: str, tgt: str, resp: str = "machine") -> Link:  # noqa: N802 - reads like the link it builds
    """A link from space-separated ids, '-' for an empty side."""
    return Link(tuple(src.split()) if src != "-" else (), tuple(tgt.split()) if tgt != "-" else (), 1.0, resp)  # type: ignore[arg-type]


AB = Alignment("a", "b", (L("a1", "b1"), L("a2", "-"), L("a3", "b2"), L("a4", "b3")))
BC = Alignment("b", "c", (L("b1", "c1"), L("-", "c2"), L("b2", "c3"), L("b3", "-")))

# (A↔C links, the contradictions found)
CHECKS = [
    ([L("a1", "c1"), L("a2", "-"), L("-", "c2"), L("a3", "c3"), L("a4", "-")], []),
    ([L("a1", "c1"), L("a2", "c2"), L("a3", "c3"), L("a4", "-")], []),  # the gap rule: neither has a b partner
    ([L("a1", "c3"), L("a2", "c2"), L("a3", "c1"), L("a4", "-")], [
        "a→b→c links [a1 | c1] but a↔c does not",
        "a→b→c links [a3 | c3] but a↔c does not",
        "a↔c link [a1 | c3] contradicts a→b→c, which links [a1 | c1] [a3 | c3]",
        "a↔c link [a3 | c1] contradicts a→b→c, which links [a3 | c3] [a1 | c1]",
    ]),
    ([L("a1", "-"), L("-", "c1"), L("a2", "c2"), L("a3", "c3"), L("a4", "-")], [
        "a→b→c links [a1 | c1] but a↔c does not",
        "a↔c link [a1 | -] contradicts a→b→c, which links [a1 | c1]",
        "a↔c link [- | c1] contradicts a→b→c, which links [a1 | c1]",
    ]),
    ([L("a1", "c1"), L("a2", "-"), L("a3", "c3"), L("a4", "c2")], [  # a4 has a b partner, c2 none
        "a↔c link [a4 | c2] contradicts a→b→c, which links [a4 | -]",
    ]),
]


@pytest.mark.parametrize(("links", "expected"), CHECKS)
def test_contradictions(links: list[Link], expected: list[str]) -> None:
    assert contradictions(AB, BC, Alignment("a", "c", tuple(links))) == expected


# (a person's X↔Z links, Z→P links, what is carried onto X↔P)
CARRIES = [
    ([L("x1", "z1")], [L("z1", "p1")], [L("x1", "p1")]),
    ([L("x1", "z1 z2")], [L("z1", "p1"), L("z2", "p2 p3")], [L("x1", "p1 p2 p3")]),
    ([L("x1", "z1")], [L("z1 z2", "p1")], []),  # would split the Z→P link
    ([L("x1", "z1")], [L("z1", "-")], [L("x1", "-")]),  # x1 has no P partner then
    ([L("-", "z1")], [L("z1", "p1")], [L("-", "p1")]),  # nor has p1 an X partner
    ([L("x1", "-")], [L("z1", "p1")], []),  # says nothing of P
]


@pytest.mark.parametrize(("person", "leg", "expected"), CARRIES)
def test_carry(person: list[Link], leg: list[Link], expected: list[Link]) -> None:
    assert carry(person, Alignment("z", "p", tuple(leg))) == expected


def doc(lang: str, texts: Sequence[str]) -> Document:
    sents = tuple(Sentence(f"{lang}{i}", t) for i, t in enumerate(texts, 1))
    return Document("d", lang, (Paragraph(f"{lang}.p1", sents),))


def scripted(
    beads: list[Bead], calls: list[tuple[list[str], list[str]]]
) -> Callable[[Sequence[str], Sequence[str]], list[Bead]]:
    """An engine that returns the given beads and records what it was asked to align."""

    def run(src: Sequence[str], tgt: Sequence[str]) -> list[Bead]:
        calls.append((list(src), list(tgt)))
        return beads

    return run


def test_a_gap_is_aligned_with_its_neighbours_as_context_and_only_confident_gap_links_are_taken() -> None:
    versions = doc("a", ["A1", "A2", "A3", "A4"]), doc("b", ["B1", "B3", "B4"]), doc("c", ["C1", "C2", "C3", "C4"])
    ab = Alignment("a", "b", (L("a1", "b1"), L("a2", "-"), L("a3", "b2"), L("a4", "b3")))
    bc = Alignment("b", "c", (L("b1", "c1"), L("-", "c2"), L("b2", "c3"), L("b3", "c4")))
    calls: list[tuple[list[str], list[str]]] = []
    beads = [Bead((0,), (0,)), Bead((1,), (1,), 0.9), Bead((2,), (2,)), Bead((3,), (3,))]
    got = derive(ab, bc, versions, scripted(beads, calls), engine_signature="E")
    assert calls == [(["A1", "A2", "A3", "A4"], ["C1", "C2", "C3", "C4"])]
    assert [(lk.src, lk.tgt, lk.confidence) for lk in got.links] == [
        (("a1",), ("c1",), 1.0), (("a2",), ("c2",), 0.9), (("a3",), ("c3",), 1.0), (("a4",), ("c4",), 1.0),
    ]
    assert got.signature == "composed through b: a→b→c; unpivoted gaps aligned by E"
    unsure = [Bead((0,), (0,)), Bead((1,), (1,), 0.4), Bead((2,), (2,)), Bead((3,), (3,))]
    kept = derive(ab, bc, versions, scripted(unsure, []), engine_signature="E")
    assert [(lk.src, lk.tgt) for lk in kept.links] == [
        (("a1",), ("c1",)), (("a2",), ()), ((), ("c2",)), (("a3",), ("c3",)), (("a4",), ("c4",)),
    ]
    assert kept.signature == "composed through b: a→b→c"


def test_a_persons_link_between_unpivoted_sentences_is_kept_and_one_against_the_pivot_dropped() -> None:
    versions = doc("a", ["A1", "A2"]), doc("b", ["B1"]), doc("c", ["C1", "C2"])
    ab = Alignment("a", "b", (L("a1", "b1"), L("a2", "-")))
    bc = Alignment("b", "c", (L("b1", "c1"), L("-", "c2")))
    person = [L("a2", "-", "person"), L("a1", "c2", "person")]
    got = derive(ab, bc, versions, scripted([], []), person)
    assert [(lk.src, lk.tgt, lk.resp) for lk in got.links] == [
        (("a1",), ("c1",), "machine"), (("a2",), (), "person"), ((), ("c2",), "machine"),
    ]
    assert contradictions(ab, bc, got) == []


def test_a_persons_link_in_a_gap_takes_its_sentences_from_the_engines_links() -> None:
    versions = doc("a", ["A1", "A2", "A3"]), doc("b", ["B1"]), doc("c", ["C1", "C2", "C3"])
    ab = Alignment("a", "b", (L("a1", "b1"), L("a2", "-"), L("a3", "-")))
    bc = Alignment("b", "c", (L("b1", "c1"), L("-", "c2"), L("-", "c3")))
    engine = scripted([Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), (2,))], [])
    got = derive(ab, bc, versions, engine, [L("a2", "c3", "person")])
    assert [(lk.src, lk.tgt, lk.resp) for lk in got.links] == [
        (("a1",), ("c1",), "machine"), (("a2",), ("c3",), "person"), ((), ("c2",), "machine"), (("a3",), (), "machine"),
    ]
    assert contradictions(ab, bc, got) == []


EN = [
    "The city council approved a new budget on Monday.",
    "The plan adds 200 million dollars for public transport.",
    "Bus fares will stay the same for the next two years.",
    "Critics say the money should go to housing instead.",
    "The mayor promised to publish a detailed report in March.",
    "A public hearing is planned for next month.",
]
HANS = ["市议会周一批准了新的预算。", "该计划为公共交通增加了2亿美元。", "未来两年公交车票价将保持不变。",
        "批评者说，这笔钱应该用于住房。", "市长承诺在三月发布一份详细报告。", "下个月计划举行公开听证会。"]
HANT = ["市議會週一批准了新的預算。", "該計畫為大眾運輸增加了2億美元。", "未來兩年公車票價將維持不變。",
        "批評者說，這筆錢應該用於住房。", "市長承諾在三月發佈一份詳細報告。", "下個月預計舉行公聽會。"]
EXTRA = "本報記者將持續追蹤報導。"

# (zh-Hans, zh-Hant, en↔zh-Hant links as (en numbers, zh-Hant numbers))
THREE_VERSIONS = [
    pytest.param(HANS[:3] + HANS[4:], HANT, [((k,), (k,)) for k in range(1, 7)], id="zh-Hans omits a sentence"),
    pytest.param(HANS, HANT[:3] + [EXTRA] + HANT[3:],
                 [((1,), (1,)), ((2,), (2,)), ((3,), (3,)), ((), (4,)), ((4,), (5,)), ((5,), (6,)), ((6,), (7,))],
                 id="zh-Hant adds a sentence"),
    pytest.param(HANS, HANT[:3] + HANT[4:],
                 [((1,), (1,)), ((2,), (2,)), ((3,), (3,)), ((4,), ()), ((5,), (4,)), ((6,), (5,))],
                 id="zh-Hant drops a sentence"),
]


@pytest.mark.parametrize(("hans", "hant", "expected"), THREE_VERSIONS)
def test_english_traditional_links_follow_the_text(hans: list[str], hant: list[str], expected: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> None:
    versions = {"en": doc("en", EN), "zh-Hans": doc("zh-Hans", hans), "zh-Hant": doc("zh-Hant", hant)}
    text = align_text(ParallelText("d", versions), None, quiet=True)
    al = text.alignment("en", "zh-Hant")
    assert al is not None
    assert [(lk.src, lk.tgt) for lk in al.links] == [
        (tuple(f"en{i}" for i in s), tuple(f"zh-Hant{j}" for j in t)) for s, t in expected
    ]
    assert contradictions(text.alignment("en", "zh-Hans"), text.alignment("zh-Hans", "zh-Hant"), al) == []  # type: ignore[arg-type]
    assert align_text(ParallelText("d", versions), text, quiet=True).alignments == text.alignments  # a rebuild is stable


DE = [
    "Der Stadtrat hat am Montag einen neuen Haushalt beschlossen.",
    "Der Plan sieht 200 Millionen Dollar für den öffentlichen Verkehr vor.",
    "Die Busfahrpreise bleiben in den nächsten zwei Jahren gleich.",
    "Kritiker sagen, das Geld sollte stattdessen in Wohnungen fließen.",
    "Der Bürgermeister versprach, im März einen ausführlichen Bericht zu veröffentlichen.",
    "Für nächsten Monat ist eine öffentliche Anhörung geplant.",
]


def test_a_persons_link_in_a_pair_derived_from_a_derived_pair_survives() -> None:
    versions = {"en": doc("en", EN), "de": doc("de", DE), "zh-Hans": doc("zh-Hans", HANS), "zh-Hant": doc("zh-Hant", HANT)}
    first = align_text(ParallelText("d", versions), None, quiet=True)
    mine = Link(("de1", "de2"), ("zh-Hant1", "zh-Hant2"), 1.0, "person")  # de↔zh-Hant comes through en↔zh-Hant
    edited = tuple(al if al.pair != ("de", "zh-Hant") else Alignment("de", "zh-Hant", (mine,)) for al in first.alignments)
    again = align_text(ParallelText("d", versions), ParallelText("d", versions, edited), quiet=True)
    de_hant, en_de, en_hant = (again.alignment(*p) for p in (("de", "zh-Hant"), ("en", "de"), ("en", "zh-Hant")))
    assert de_hant is not None and en_de is not None and en_hant is not None
    assert mine in de_hant.links
    assert [(lk.src, lk.tgt) for lk in en_de.links][:2] == [(("en1", "en2"), ("de1", "de2")), (("en3",), ("de3",))]
    assert contradictions(reverse(en_de), en_hant, de_hant) == []


def _rows(text: ParallelText, a: str, b: str) -> list[str]:
    """A pair's rows as "src|tgt|resp", '-' for an empty side."""
    return [f"{' '.join(lk.src) or '-'}|{' '.join(lk.tgt) or '-'}|{lk.resp}" for lk in pair_links(text, a, b)]


def test_an_edit_of_a_leg_makes_no_link_of_the_derived_pair_a_persons() -> None:
    """A person's omission in en–zh-Hans once made en–zh-Hant's omission a person's too (its only
    part was), so the next edit of en–zh-Hans wrote into the history that "the en↔zh-Hant link
    [en.p2.s2 | -] a person made no longer agrees with zh-Hans and was undone"."""
    text = link_edit(three_versions(), ("en", "zh-Hans"), "merge", 3, engine_for).text
    text = link_edit(text, ("en", "zh-Hans"), "split", 3, engine_for, at=(1, 2)).text
    assert _rows(text, "en", "zh-Hans")[3:5] == ["en.p2.s1|zh-Hans.p2.s1 zh-Hans.p2.s2|person", "en.p2.s2|-|person"]
    assert [row.rsplit("|", 1)[1] for row in _rows(text, "en", "zh-Hant")] == ["machine"] * 6  # 0 of 6 confirmed
    again = link_edit(text, ("en", "zh-Hans"), "attach", 4, engine_for, direction="up")
    assert again.what == "en–zh-Hans: attached omission 4 to the link above: now [en.p2.s1 en.p2.s2 | zh-Hans.p2.s1 zh-Hans.p2.s2]"
    assert _rows(again.text, "en", "zh-Hant")[3] == "en.p2.s1 en.p2.s2|zh-Hant.p2.s1 zh-Hant.p2.s2|machine"


REFUSED = ("this edit would undo en↔zh-Hant link 2 [en.p1.s3 | zh-Hant.p1.s3], which a person made or confirmed (en↔zh-Hant is "
           "derived through zh-Hans and must agree with it); to make this edit, unconfirm that link first: "
           "aligner edit doc --pair en,zh-Hant unconfirm 2")


@pytest.mark.parametrize(("edit", "derived"), [
    pytest.param(lambda t: link_edit(t, ("en", "zh-Hans"), "merge", 2, engine_for), "en.p1.s3 en.p2.s1|zh-Hant.p1.s3 zh-Hant.p2.s1",
                 id="a link edit of en–zh-Hans"),
    pytest.param(lambda t: link_edit(t, ("zh-Hant", "zh-Hans"), "merge", 1, engine_for), "en.p1.s2 en.p1.s3|zh-Hant.p1.s2 zh-Hant.p1.s3",
                 id="a link edit of zh-Hans–zh-Hant"),
    pytest.param(lambda t: sentence_edit(t, "zh-Hans", "join", "zh-Hans.p1.s2", engine_for), "en.p1.s2 en.p1.s3|zh-Hant.p1.s2 zh-Hant.p1.s3",
                 id="a join of zh-Hans sentences"),
])
def test_a_persons_confirmed_derived_link_is_never_undone_by_an_edit_of_a_leg(edit: Callable[[ParallelText], Result], derived: str) -> None:
    """The edit is refused, naming the link, its row and how to go on; once the person unconfirmed
    it, the edit is made (before: the link was undone, told only in the edit's status line)."""
    confirmed = link_edit(three_versions(), ("en", "zh-Hant"), "confirm", 2, engine_for).text
    with pytest.raises(EditError) as refused:
        edit(confirmed)
    assert str(refused.value) == REFUSED
    done = edit(link_edit(confirmed, ("en", "zh-Hant"), "unconfirm", 2, engine_for).text).text
    assert f"{derived}|machine" in _rows(done, "en", "zh-Hant")
    assert contradictions(done.alignment("en", "zh-Hans"), done.alignment("zh-Hans", "zh-Hant"), done.alignment("en", "zh-Hant")) == []  # type: ignore[arg-type]
