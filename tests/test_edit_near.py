"""Deriving en↔zh-Hant again only around an edit (`triangle.derive_near`) gives exactly the
links that deriving the whole pair gives (`triangle.derive`), and a pair's rows found from the
rows before the edit (`pairs.pair_links`) are the rows worked out afresh, over random edit
sequences on a document long enough for the edit to lie far from its ends. (The group's signature may keep its
note that gaps were aligned directly after an edit removed the last such gap, until a build.)"""

from __future__ import annotations

from typing import Any

import pytest
from edit_fixtures import engine_for
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.corpus import triangle
from aligner.corpus.model import Alignment, Document, Link, Paragraph, ParallelText, Sentence
from aligner.corpus.triangle import contradictions, derive
from aligner.edit import pairs
from aligner.edit.ops import LINK_OPS, link_edit, sentence_edit
from aligner.errors import EditError

LANGS = ("en", "zh-Hans", "zh-Hant")
SIZE = 60  # sentences per version, in paragraphs of five


def long_document() -> ParallelText:
    """Three versions of SIZE sentences; zh-Hans leaves out every 17th sentence, zh-Hant joins
    every 11th to the one before, so the derived pair has gaps, omissions and 2-1 links."""
    ids = {lang: [f"{lang}.p{k // 5 + 1}.s{k % 5 + 1}" for k in range(SIZE)] for lang in LANGS}
    versions = {lang: Document("doc", lang, tuple(Paragraph(f"{lang}.p{p + 1}", tuple(Sentence(i, f"{lang} {i}.") for i in ids[lang][5 * p : 5 * p + 5]))
                                                 for p in range(SIZE // 5))) for lang in LANGS}
    en_hans = tuple(Link((e,), (h,) if k % 17 != 8 else (), 0.8) for k, (e, h) in enumerate(zip(ids["en"], ids["zh-Hans"], strict=True)))
    en_hans += tuple(Link((), (h,), 0.5) for k, h in enumerate(ids["zh-Hans"]) if k % 17 == 8)
    hans_hant, k = [], 0
    while k < SIZE:
        span = 2 if k % 11 == 10 and k + 1 < SIZE else 1
        hans_hant.append(Link(tuple(ids["zh-Hans"][k : k + span]), (ids["zh-Hant"][k],) if span == 1 else tuple(ids["zh-Hant"][k : k + 2]), 0.8))
        k += span
    ab = Alignment("en", "zh-Hans", pairs.pair_links(ParallelText("doc", versions, (Alignment("en", "zh-Hans", en_hans),)), "en", "zh-Hans"))
    bc = Alignment("zh-Hans", "zh-Hant", tuple(hans_hant))
    ac = derive(ab, bc, (versions["en"], versions["zh-Hans"], versions["zh-Hant"]), engine_for("en", "zh-Hant"))
    return ParallelText("doc", versions, (ab, ac, bc))


PAIRS = [("en", "zh-Hans"), ("zh-Hans", "en"), ("zh-Hans", "zh-Hant"), ("en", "zh-Hant")]
STEP = st.one_of(
    st.tuples(st.just("link"), st.sampled_from(PAIRS), st.sampled_from([op for op in LINK_OPS if op != "realign"]),
              st.integers(0, SIZE + 5), st.sampled_from(["up", "down"]), st.sampled_from(["src", "tgt"]), st.integers(0, 2), st.integers(0, 2)),
    st.tuples(st.just("sentence"), st.sampled_from(LANGS), st.sampled_from(["split-sentence", "join"]), st.integers(0, SIZE), st.integers(1, 3)),
)


def _edit(text: ParallelText, step: tuple[Any, ...]) -> ParallelText:
    if step[0] == "link":
        _, pair, op, n, direction, side, i, j = step
        return link_edit(text, pair, op, n, engine_for, direction=direction, side=side, at=(i, j)).text
    _, lang, op, k, at = step
    ids = [s.id for s in text.versions[lang].sentences()]
    return sentence_edit(text, lang, op, ids[k % len(ids)], engine_for, at=at).text


@settings(max_examples=40, deadline=None)
@given(st.lists(STEP, min_size=1, max_size=8))
def test_deriving_near_the_edit_equals_deriving_everything(steps: list[tuple[Any, ...]]) -> None:
    text = long_document()
    for step in steps:
        try:
            near = _edit(text, step)
        except EditError:
            continue
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(pairs, "derive_near", lambda *a, **k: None)
            full = _edit(text, step)
        assert near.versions == full.versions
        for here, there in zip(near.alignments, full.alignments, strict=True):
            assert here.links == there.links
        al = {a.pair: a for a in near.alignments}
        assert contradictions(al["en", "zh-Hans"], al["zh-Hans", "zh-Hant"], al["en", "zh-Hant"]) == []
        for a, b in PAIRS:  # rows found from the rows before the edit are the rows worked out afresh
            view = near.alignment(a, b)
            assert view is not None
            fresh = pairs._row_order(view.links, near, a, b) or pairs._by_rows(view.links, near, a, b)
            assert pairs.pair_links(near, a, b) == fresh
        text = near


def test_an_edit_in_the_middle_is_derived_again_only_around_it(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    real = triangle.derive_near

    def spy(*args: Any, **kwargs: Any) -> Any:
        out = real(*args, **kwargs)
        seen.append(len(out[1][0].links) if out else -1)
        return out

    monkeypatch.setattr(pairs, "derive_near", spy)
    text = link_edit(long_document(), ("en", "zh-Hans"), "merge", 30, engine_for).text
    assert seen and 0 < seen[0] < 40  # links of en↔zh-Hans in the stretch derived again, of 63
    legs = text.alignment("en", "zh-Hans"), text.alignment("zh-Hans", "zh-Hant")
    whole = derive(*legs, tuple(text.versions[lang] for lang in LANGS), engine_for("en", "zh-Hant"))  # type: ignore[arg-type]
    assert text.alignments[1].links == whole.links
