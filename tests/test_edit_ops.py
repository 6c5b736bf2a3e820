"""The editor's operations on the data model: link edits, sentence edits with their id scheme,
the three versions kept consistent over random edit sequences, and undo patches."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

import pytest
from edit_fixtures import engine_for, three_versions
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.build import engine_for as real_engine_for
from aligner.corpus.model import Link, Note, ParallelText, Sentence, State
from aligner.corpus.triangle import contradictions
from aligner.edit import journal
from aligner.edit import links as L
from aligner.edit.ops import LINK_OPS, changed_rows, link_edit, sentence_edit
from aligner.edit.pairs import pair_links, with_links
from aligner.errors import EditError


def lk(src: str, tgt: str, resp: str = "machine", conf: float = 0.8) -> Link:
    """A link from space-separated ids, '-' for an empty side."""
    return Link(tuple(src.split()) if src != "-" else (), tuple(tgt.split()) if tgt != "-" else (), conf, resp)  # type: ignore[arg-type]


ROWS = (lk("a1", "b1"), lk("a2 a3", "b2"), lk("a4", "b3 b4"), lk("-", "b5"))

# (operation, expected rows as "src|tgt|resp")
EDITS = [
    (lambda r: L.merge(r, 0), ["a1 a2 a3|b1 b2|person", "a4|b3 b4|machine", "-|b5|machine"]),
    (lambda r: L.merge(r, 1, "up"), ["a1 a2 a3|b1 b2|person", "a4|b3 b4|machine", "-|b5|machine"]),
    (lambda r: L.split(r, 1, 1, 1), ["a1|b1|machine", "a2|b2|person", "a3|-|person", "a4|b3 b4|machine", "-|b5|machine"]),
    (lambda r: L.shift(r, 2, "down"), ["a1|b1|machine", "a2 a3|b2|machine", "a4|b3|person", "-|b4 b5|person"]),
    (lambda r: L.shift(r, 2, "up"), ["a1|b1|machine", "a2 a3|b2 b3|person", "a4|b4|person", "-|b5|machine"]),
    (lambda r: L.shift(r, 1, "up", "src"), ["a1 a2|b1|person", "a3|b2|person", "a4|b3 b4|machine", "-|b5|machine"]),
    (lambda r: L.shift(r, 0, "down"), ["a1|-|person", "a2 a3|b1 b2|person", "a4|b3 b4|machine", "-|b5|machine"]),
    (lambda r: L.detach(r, 2, "tgt"), ["a1|b1|machine", "a2 a3|b2|machine", "a4|b3|person", "-|b4|person", "-|b5|machine"]),
    (lambda r: L.detach(r, 1, "src", "first"), ["a1|b1|machine", "a2|-|person", "a3|b2|person", "a4|b3 b4|machine", "-|b5|machine"]),
    (lambda r: L.attach(r, 3, "up"), ["a1|b1|machine", "a2 a3|b2|machine", "a4|b3 b4 b5|person"]),
    (lambda r: L.confirm(r, 0), ["a1|b1|person", "a2 a3|b2|machine", "a4|b3 b4|machine", "-|b5|machine"]),
]

ERRORS = [
    (lambda r: L.merge(r, 3), "link 3 is the last link: there is none below it"),
    (lambda r: L.merge(r, 4), "link 4 does not exist: there are 4 links, numbered 0 to 3"),
    (lambda r: L.merge(r, -1), "link -1 does not exist: there are 4 links, numbered 0 to 3"),
    (lambda r: L.split(r, 0, 0, 0), "link 0 split at 0:0 leaves one part empty; choose a point inside the link"),
    (lambda r: L.split(r, 1, 3, 0), "link 1 is 2-1: split it at 0-2 source and 0-1 target sentences, not 3:0"),
    (lambda r: L.shift(r, 3, "up", "src"), "link 3 has no source sentence to shift; shift the other side (--side)"),
    (lambda r: L.attach(r, 0, "down"), "link 0 is 1-1, not an omission; use merge to join two links"),
    (lambda r: L.detach(r, 3, "tgt"), "link 3 (0-1) has no tgt sentence to detach beside another one"),
]


def show(rows: tuple[Link, ...]) -> list[str]:
    return [f"{' '.join(r.src) or '-'}|{' '.join(r.tgt) or '-'}|{r.resp}" for r in rows]


@pytest.mark.parametrize(("edit", "expected"), EDITS)
def test_link_edits(edit, expected) -> None:  # type: ignore[no-untyped-def]
    assert show(edit(ROWS)) == expected


@pytest.mark.parametrize(("edit", "message"), ERRORS)
def test_link_edits_that_make_no_sense_are_one_line_errors(edit, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EditError) as err:
        edit(ROWS)
    assert str(err.value) == message


def test_the_stretch_to_realign_lies_between_confirmed_links() -> None:
    rows = L.confirm(L.confirm(ROWS, 0), 3)
    assert L.stretch(rows, 2) == (1, 3)
    with pytest.raises(EditError, match="link 0 is confirmed; unconfirm it first"):
        L.stretch(rows, 0)


def test_realign_runs_the_engine_only_between_confirmed_links() -> None:
    text = three_versions()
    text = link_edit(text, ("en", "zh-Hans"), "merge", 1, engine_for).text  # rows 1-2 one link
    text = link_edit(text, ("en", "zh-Hans"), "merge", 3, engine_for).text  # rows 4-5 one link, a person's
    text = link_edit(text, ("en", "zh-Hans"), "confirm", 0, engine_for).text
    text = link_edit(text, ("en", "zh-Hans"), "unconfirm", 1, engine_for).text
    before = pair_links(text, "en", "zh-Hans")
    rows = pair_links(link_edit(text, ("en", "zh-Hans"), "realign", 1, engine_for).text, "en", "zh-Hans")
    assert [(r.src, r.tgt, r.confidence) for r in rows[1:4]] == [
        ((f"en.p{p}.s{k}",), (f"zh-Hans.p{p}.s{k}",), 0.95) for p, k in ((1, 2), (1, 3), (2, 1))]
    assert (rows[0], rows[4]) == (before[0], before[3])  # the confirmed links stand


def test_an_edit_to_a_leg_is_followed_by_the_derived_pair() -> None:
    text = link_edit(three_versions(), ("zh-Hans", "en"), "merge", 0, engine_for).text
    derived = pair_links(text, "en", "zh-Hant")
    assert (derived[0].src, derived[0].tgt) == (("en.p1.s1", "en.p1.s2"), ("zh-Hant.p1.s1", "zh-Hant.p1.s2"))
    assert contradictions(*legs(text)) == []


def test_a_confirmed_derived_link_is_a_persons_and_one_against_the_pivot_is_refused() -> None:
    text = link_edit(three_versions(), ("en", "zh-Hant"), "confirm", 2, engine_for).text
    assert pair_links(text, "en", "zh-Hant")[2].resp == "person"
    with pytest.raises(EditError, match="en↔zh-Hant is derived through zh-Hans: the link .* contradicts"):
        link_edit(text, ("en", "zh-Hant"), "merge", 0, engine_for)
    with pytest.raises(EditError, match=r"this edit would undo en↔zh-Hant link 2 \[en\.p1\.s3 \| zh-Hant\.p1\.s3\], which a person made or confirmed"):
        link_edit(text, ("en", "zh-Hans"), "merge", 2, engine_for)  # it undid the person's link, saying so in a line few read


def test_sentence_split_keeps_other_ids_and_names_the_new_one_after_its_parent() -> None:
    text = three_versions()
    once = sentence_edit(text, "en", "split-sentence", "en.p2.s2", engine_for, at=5).text
    twice = sentence_edit(once, "en", "split-sentence", "en.p2.s2", engine_for, at=2).text
    ids = [s.id for s in twice.versions["en"].sentences()]
    assert ids == ["en.p1.s1", "en.p1.s2", "en.p1.s3", "en.p2.s1", "en.p2.s2", "en.p2.s2.2", "en.p2.s2.1", "en.p2.s3"]
    assert [s.text for s in twice.versions["en"].sentences()][4:7] == ["Fi", "ve", "& six."]
    row = pair_links(twice, "en", "zh-Hans")[4]
    assert row.src == ("en.p2.s2", "en.p2.s2.2", "en.p2.s2.1") and row.tgt == ("zh-Hans.p2.s2",)
    assert contradictions(*legs(twice)) == []


def test_join_merges_the_links_of_the_two_sentences() -> None:
    text = sentence_edit(three_versions(), "zh-Hans", "join", "zh-Hans.p1.s1", engine_for).text
    assert [s.text for s in text.versions["zh-Hans"].sentences()][:2] == ["一。二。", "三。"]
    row = pair_links(text, "en", "zh-Hans")[0]
    assert (row.src, row.tgt, row.resp) == (("en.p1.s1", "en.p1.s2"), ("zh-Hans.p1.s1",), "person")
    assert contradictions(*legs(text)) == []
    with pytest.raises(EditError, match="zh-Hans.p1.s3 is the last sentence of its paragraph"):
        sentence_edit(text, "zh-Hans", "join", "zh-Hans.p1.s3", engine_for)


def test_correct_text_changes_only_that_sentence() -> None:
    text = sentence_edit(three_versions(), "en", "correct", "en.p1.s2", engine_for, new_text="  Two,\n fixed. ").text
    assert [s.text for s in text.versions["en"].sentences()][:3] == ["One.", "Two, fixed.", "Three."]
    assert text.alignments == three_versions().alignments
    with pytest.raises(EditError, match="a sentence cannot be empty"):
        sentence_edit(text, "en", "correct", "en.p1.s2", engine_for, new_text=" ")


def test_a_correction_joins_its_lines_as_a_build_joins_them() -> None:
    """A line break between two Chinese characters is no space (`squeeze`), elsewhere one."""
    text = sentence_edit(three_versions(), "zh-Hans", "correct", "zh-Hans.p1.s1", engine_for, new_text="中文第一行\n第二行继续。").text
    assert next(text.versions["zh-Hans"].sentences()).text == "中文第一行第二行继续。"
    text = sentence_edit(text, "zh-Hans", "correct", "zh-Hans.p1.s2", engine_for, new_text="用 API\n接口。").text
    assert [s.text for s in text.versions["zh-Hans"].sentences()][1] == "用 API 接口。"


@pytest.mark.parametrize(("lang", "sid", "new_text", "message"), [
    ("en", "en.p1.s2", "Two. And a third one.", "en.p1.s2: the corrected text is 2 sentences (the next begins “And a third one.”); "
                                                 "split the sentence first (split-sentence), then correct each part"),
    ("zh-Hans", "zh-Hans.p1.s2", "二。三。", "zh-Hans.p1.s2: the corrected text is 2 sentences (the next begins “三。”); "
                                            "split the sentence first (split-sentence), then correct each part"),
    ("zh-Hans", "zh-Hans.p1.s2", "这是一个非常长的句子，" * 400, "zh-Hans.p1.s2: a corrected text of 4,400 characters is not one sentence "
                                                             "(the longest zh-Hans sentence has 14; at most 1,000 are taken); give this sentence's text only"),
])
def test_a_correction_that_is_not_one_sentence_is_refused(lang: str, sid: str, new_text: str, message: str) -> None:
    """Such a "sentence" throws off the next build's alignment of the whole document (a
    4,400-character one took en–zh-Hans from 45 1-1 links to 25 and 16 omissions)."""
    with pytest.raises(EditError) as refused:
        sentence_edit(three_versions(), lang, "correct", sid, engine_for, new_text=new_text)
    assert str(refused.value) == message


def test_a_joined_sentence_or_a_long_version_keeps_what_it_had() -> None:
    joined = sentence_edit(three_versions(), "zh-Hans", "join", "zh-Hans.p1.s1", engine_for).text  # 一。二。: two by the splitter
    fixed = sentence_edit(joined, "zh-Hans", "correct", "zh-Hans.p1.s1", engine_for, new_text="一！二。").text
    assert next(fixed.versions["zh-Hans"].sentences()).text == "一！二。"
    long = sentence_edit(three_versions(), "en", "correct", "en.p1.s1", engine_for, new_text="word, " * 160 + "end.").text  # 964: allowed
    longer = "word, " * 300 + "end."  # 1,804: more than 1,000 but no more than twice the longest
    assert [s.text for s in sentence_edit(long, "en", "correct", "en.p1.s2", engine_for, new_text=longer).text.versions["en"].sentences()][1] == longer


def legs(text: ParallelText) -> tuple:  # type: ignore[type-arg]
    """en→zh-Hans, zh-Hans→zh-Hant and en↔zh-Hant, as `contradictions` takes them."""
    return (text.alignment("en", "zh-Hans"), text.alignment("zh-Hans", "zh-Hant"), text.alignment("en", "zh-Hant"))


PAIRS = [("en", "zh-Hans"), ("zh-Hans", "en"), ("zh-Hans", "zh-Hant"), ("en", "zh-Hant")]
STEP = st.one_of(
    st.tuples(st.just("link"), st.sampled_from(PAIRS), st.sampled_from(LINK_OPS), st.integers(0, 7),
              st.sampled_from(["up", "down"]), st.sampled_from(["src", "tgt"]), st.integers(0, 2), st.integers(0, 2)),
    st.tuples(st.just("sentence"), st.sampled_from(["en", "zh-Hans", "zh-Hant"]),
              st.sampled_from(["split-sentence", "join", "correct"]), st.integers(0, 8), st.integers(1, 3)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(STEP, min_size=1, max_size=12))
def test_random_edit_sequences_keep_the_three_versions_consistent_and_undo_exactly(steps: list[tuple]) -> None:  # type: ignore[type-arg]
    text = three_versions()
    for step in steps:
        try:
            if step[0] == "link":
                _, pair, op, n, direction, side, i, j = step
                after = link_edit(text, pair, op, n, engine_for, direction=direction, side=side, at=(i, j)).text
            else:
                _, lang, op, k, at = step
                ids = [s.id for s in text.versions[lang].sentences()]
                after = sentence_edit(text, lang, op, ids[k % len(ids)], engine_for, at=at, new_text="Fixed.").text
        except EditError:
            continue
        assert contradictions(*legs(after)) == []
        for al in after.alignments:  # every sentence in exactly one link of each pair
            for side, lang in ((0, al.src_lang), (1, al.tgt_lang)):
                held = [x for link in al.links for x in (link.src, link.tgt)[side]]
                assert sorted(held) == sorted(s.id for s in after.versions[lang].sentences())
        patch = journal.diff(text, after)
        assert journal.apply(after, patch, forward=False) == text
        assert journal.apply(text, patch) == after
        text = after


def test_changed_rows_are_numbered_as_after_the_edit() -> None:
    before = three_versions()
    after = link_edit(before, ("en", "zh-Hans"), "merge", 2, engine_for).text
    assert [(n, r.src) for n, r in changed_rows(before, after, ("en", "zh-Hans"))] == [(2, ("en.p1.s3", "en.p2.s1"))]
    assert changed_rows(before, replace(before), ("en", "zh-Hans")) == []


BEADS = st.lists(st.sampled_from([(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (0, 2), (2, 0), (2, 2)]), min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(BEADS)
def test_the_fast_row_order_is_aligned_rows_order(beads: list[tuple[int, int]]) -> None:
    from aligner.corpus.model import Alignment, Document, Paragraph, Sentence
    from aligner.edit.pairs import _by_rows, _row_order

    counts = [sum(b[k] for b in beads) for k in (0, 1)]
    docs = {lang: Document("d", lang, (Paragraph(f"{lang}.p1", tuple(Sentence(f"{lang}.p1.s{k}", "x") for k in range(n))),))
            for lang, n in zip(("en", "zh-Hans"), counts, strict=True)}
    links, i, j = [], 0, 0
    for x, y in beads:
        links.append(Link(tuple(f"en.p1.s{k}" for k in range(i, i + x)), tuple(f"zh-Hans.p1.s{k}" for k in range(j, j + y))))
        i, j = i + x, j + y
    text = ParallelText("d", docs, (Alignment("en", "zh-Hans", tuple(links)),))
    assert _row_order(links, text, "en", "zh-Hans") == _by_rows(links, text, "en", "zh-Hans")


NOTE_A, NOTE_B = Note("a note"), Note("check the term", "review", "zh-Hans")
NOTED = (replace(ROWS[0], notes=(NOTE_A,), state=State("final")), replace(ROWS[1], notes=(NOTE_B, NOTE_A), state=State("final")), *ROWS[2:])


def test_link_edits_keep_the_xliff_notes_of_the_links_they_are_made_from() -> None:
    merged = L.merge(NOTED, 0)[0]
    assert (merged.notes, merged.state) == ((NOTE_A, NOTE_B), State("final"))  # each note once, the state they share
    assert L.merge(NOTED, 1)[1].state is None  # the two links' states differ (final, none)
    first, rest = L.split(NOTED, 1, 1, 1)[1:3]
    assert first.notes == rest.notes == (NOTE_B, NOTE_A) and first.state == rest.state == State("final")
    into, left = L.shift(NOTED, 0, "down")[:2]
    assert (into.notes, left.notes) == ((NOTE_A,), (NOTE_B, NOTE_A))
    assert L.detach(NOTED, 1, "src")[1:3] == (L.person(("a2",), ("b2",), NOTED[1]), L.person(("a3",), ()))
    assert L.confirm(NOTED, 0)[0] == replace(NOTED[0], resp="person")
    assert L.unconfirm(L.confirm(NOTED, 0), 0)[0] == replace(NOTED[0], state=None)  # notes stay; a person's state goes


def test_undo_gives_back_the_notes_an_edit_changed() -> None:
    text = three_versions()
    al = text.alignments[0]
    noted = replace(text, alignments=(replace(al, links=(replace(al.links[0], notes=(NOTE_B,), state=State("reviewed", "a:b")), *al.links[1:])),
                                      *text.alignments[1:]))
    after = link_edit(noted, ("en", "zh-Hans"), "merge", 0, engine_for).text
    patch = json.loads(json.dumps(journal.diff(noted, after)))  # as journal.json keeps it
    assert journal.apply(after, patch, forward=False) == noted
    assert journal.apply(noted, patch) == after
    assert after.alignments[0].links[0].notes == (NOTE_B,)


LONG = " ".join(["word"] * 9000)  # 44,999 characters: an imported text not split into sentences


def with_long_sentence() -> ParallelText:
    """The three versions with en.p1.s2 one long line, left out of en↔zh-Hans and its zh-Hans
    sentence out of zh-Hans↔zh-Hant (so that deriving en↔zh-Hant near it asks the engine)."""
    text = three_versions()
    en = text.versions["en"]
    first = en.paragraphs[0]
    sentences = (first.sentences[0], Sentence("en.p1.s2", LONG), first.sentences[2])
    text = replace(text, versions={**text.versions, "en": replace(en, paragraphs=(replace(first, sentences=sentences), *en.paragraphs[1:]))})
    for a, b in (("en", "zh-Hans"), ("zh-Hans", "zh-Hant")):
        rows = pair_links(text, a, b)
        text = with_links(text, a, b, (rows[0], Link((f"{a}.p1.s2",), ()), Link((), (f"{b}.p1.s2",)), *rows[2:]))
    return text


TOO_LONG = ("doc: en sentence en.p1.s2 has 44999 characters, too long to align (its text was not split into sentences); "
            "split it first: aligner edit doc split-sentence en.p1.s2 AT")


# the real engine (as `aligner edit` runs it) refuses the long sentence in the first stretch an edit gives it
@pytest.mark.parametrize("make", [
    lambda text: link_edit(text, ("en", "zh-Hans"), "realign", 1, real_engine_for),
    lambda text: link_edit(text, ("en", "zh-Hans"), "confirm", 0, real_engine_for),  # en↔zh-Hant derived again near it
    lambda text: sentence_edit(text, "en", "split-sentence", "en.p1.s3", real_engine_for, at=3),
])
def test_a_sentence_too_long_to_align_is_named_with_its_document_id_and_fix(make: Callable[[ParallelText], object]) -> None:
    with pytest.raises(EditError) as refused:
        make(with_long_sentence())
    assert str(refused.value) == TOO_LONG


def test_a_too_long_half_of_a_split_is_named_by_its_new_id() -> None:
    text = sentence_edit(with_long_sentence(), "en", "split-sentence", "en.p1.s2", engine_for, at=100).text
    with pytest.raises(EditError, match="^doc: en sentence en.p1.s2.1 has 44899 characters, too long to align"):
        link_edit(text, ("en", "zh-Hans"), "confirm", 0, real_engine_for)


def test_a_patch_that_does_not_fit_the_document_is_refused() -> None:
    text = three_versions()
    after = sentence_edit(text, "en", "split-sentence", "en.p1.s2", engine_for, at=2).text
    patch = json.loads(json.dumps(journal.diff(text, after)))
    no_links = {**patch, "links": []}  # the paragraphs go back, the links holding the new sentence stay
    with pytest.raises(journal.Mismatch, match="^a link holds sentence 'en.p1.s2.1', which it took out of en.xml$"):
        journal.apply(after, no_links, forward=False)
    with pytest.raises(journal.Mismatch, match="^the en.xml paragraphs at 0 are not as it left them$"):
        journal.apply(text, no_links, forward=False)  # already undone
    with pytest.raises(journal.Mismatch, match="^doc has no fr version$"):
        journal.apply(after, {**patch, "versions": [{**patch["versions"][0], "lang": "fr"}]}, forward=False)


def test_a_patch_of_another_shape_than_diff_gives_is_refused_when_applied() -> None:
    """`journal.read` leaves the undo steps' patches to `apply`, which refuses one that a hand
    edit or damage put out of shape before using any of it."""
    text = three_versions()
    after = link_edit(text, ("en", "zh-Hans"), "merge", 0, engine_for).text
    patch = json.loads(json.dumps(journal.diff(text, after)))
    patch["links"][0]["old"].append(["en.p1.s1"])
    with pytest.raises(journal.Mismatch, match=r"^patch\.links\[0\]\.old\[2\] is not a link$"):
        journal.apply(after, patch, forward=False)
    with pytest.raises(journal.Mismatch, match="^patch is not an object$"):
        journal.apply(after, [], forward=False)  # type: ignore[arg-type]


def test_reading_a_journal_leaves_its_undo_steps_to_their_use(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A web editor reads the journal after each background write: `read` checks all but the
    steps' patches; `check_steps` (the command line) checks those too."""
    from aligner.corpus.store import save
    from aligner.edit import session

    tmp_path = tmp_path_factory.mktemp("corpus")
    save(tmp_path, three_versions())
    opened = session.open_document(tmp_path, "doc")
    session.commit(opened, link_edit(opened.text, ("en", "zh-Hans"), "merge", 0, engine_for), "tester")
    path = tmp_path / "doc" / journal.JOURNAL_FILE
    log = json.loads(path.read_text(encoding="utf-8"))
    log["steps"][0]["patch"]["links"][0]["new"][0][2] = "sure"
    path.write_text(json.dumps(log), encoding="utf-8")
    assert journal.read(tmp_path / "doc") == log
    with pytest.raises(EditError, match=r"journal\.json: not a readable journal \(journal\.steps\[0\]\.patch\.links\[0\]\.new\[0\] is not a link\)"):
        journal.check_steps(tmp_path / "doc", log)
    before = path.read_bytes()
    with pytest.raises(EditError, match=r"not a readable journal \(its undo step 1 does not apply: patch\.links\[0\]\.new\[0\] is not a link\)"):
        session.undo(session.open_document(tmp_path, "doc"), "tester")
    assert path.read_bytes() == before
