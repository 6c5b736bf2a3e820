"""The engine on small fixtures: 1-2, 2-1, omissions, scripts, bad input, the embedding cache."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest

from aligner.align import embed, engine
from aligner.align.bead import Bead
from aligner.align.confidence import PARALLEL, linked_share, unrelated
from aligner.align.encoders import E5, USE
from aligner.align.engine import align
from aligner.errors import InputTooLongError, LanguageError
from aligner.evaluate import read_links

DATA = Path(__file__).parent / "data" / "align"


def lines(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One embedding cache for the module: each fixture sentence is encoded once."""
    return tmp_path_factory.mktemp("cache")


def links(beads: list[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.src, b.tgt) for b in beads]


def assert_covers(beads: list[Bead], n: int, m: int) -> None:
    """Every sentence of both sides in exactly one bead, in order, confidences in [0, 1]."""
    assert [i for b in beads for i in b.src] == list(range(n))
    assert [j for b in beads for j in b.tgt] == list(range(m))
    assert all(0.0 <= b.confidence <= 1.0 for b in beads)


@pytest.mark.parametrize(("src", "tgt"), [("en", "zh-Hans"), ("zh-Hans", "en")])
def test_english_chinese_both_directions(cache: Path, src: str, tgt: str) -> None:
    gold = read_links(DATA / "report.gold")
    if src != "en":
        gold = [(t, s) for s, t in gold]
    beads = align(lines(f"report.{src}"), lines(f"report.{tgt}"), src, tgt, cache_dir=cache)
    assert links(beads) == gold
    assert_covers(beads, len(lines(f"report.{src}")), len(lines(f"report.{tgt}")))


@pytest.mark.parametrize("encoder", ["use", "e5"])
def test_reordered_sentences_make_no_false_link(cache: Path, encoder: str) -> None:
    """A monotone alignment holds two swapped sentences as one 2-2 bead, or links one of them and
    leaves the other out on both sides; never as false 1-1 links."""
    en = ["The committee met in Geneva on 12 March 2013.",
          "Prices rose by 15 percent in the first quarter.",
          "The museum will close at six o'clock.", "Thank you for reading."]  # fmt: skip
    zh = ["委员会于二〇一三年三月十二日在日内瓦举行会议。", "博物馆将于六点关闭。",
          "第一季度物价上涨了百分之十五。", "感谢阅读。"]  # fmt: skip
    beads = align(en, zh, "en", "zh-Hans", cache_dir=cache, encoder=encoder)
    assert links(beads) in (
        [((0,), (0,)), ((1, 2), (1, 2)), ((3,), (3,))],
        [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((), (2,)), ((3,), (3,))],
        [((0,), (0,)), ((), (1,)), ((1,), (2,)), ((2,), ()), ((3,), (3,))],
    )


def test_simplified_against_edited_traditional() -> None:
    beads = align(lines("report.zh-Hans"), lines("report.zh-Hant"), "zh-Hans", "zh-Hant")
    assert links(beads) == read_links(DATA / "report.hans-hant.gold")
    assert min(b.confidence for b in beads if b.src and b.tgt) > 0.5


def test_script_autodetected_with_plain_zh() -> None:
    beads = align(lines("report.zh-Hant"), lines("report.zh-Hans"), "zh", "zh")
    assert links(beads) == [(t, s) for s, t in read_links(DATA / "report.hans-hant.gold")]


def test_second_run_encodes_nothing(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    align(lines("report.en"), lines("report.zh-Hans"), "en", "zh-Hans", cache_dir=cache)

    def refuse(self: embed.Encoder, texts: list[str]) -> None:
        raise AssertionError(f"encoded {len(texts)} texts on a warm run")

    monkeypatch.setattr(embed.Encoder, "_embed", refuse)
    align(lines("report.en"), lines("report.zh-Hans"), "en", "zh-Hans", cache_dir=cache)


def test_encoder_only_where_the_word_pass_is_unsure(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """1-1 links the word-vector pass had no doubt about are kept as anchors: no sentence is encoded."""
    asked: list[str] = []
    encode = embed.Encoder.encode

    def recording(self: embed.Encoder, texts: list[str], quiet: bool = True) -> np.ndarray:
        asked.extend(texts)
        return encode(self, texts, quiet)

    monkeypatch.setattr(embed.Encoder, "encode", recording)
    en = [lines("report.en")[i] for i in (0, 3, 6, 7)]
    zh = [lines("report.zh-Hans")[i] for i in (0, 2, 5, 7)]
    beads = align(en, zh, "en", "zh-Hans", cache_dir=tmp_path)
    assert links(beads) == [((k,), (k,)) for k in range(4)]
    assert not set(asked) & set(en + zh)  # no sentence, only words
    assert {"committee", "geneva", "委员会", "日内瓦"} <= set(asked)
    assert min(b.confidence for b in beads) > 0.9


class _Table:
    """A first-pass scorer reduced to a table of similarities, (i, a, b, j) → value."""

    def __init__(self, values: dict[tuple[int, int, int, int], float]) -> None:
        self.values = values

    def similarities(self, beads: np.ndarray) -> np.ndarray:
        return np.array([self.values.get((i1, i1 - i0, j1 - j0, j1), np.nan) for i0, i1, j0, j1 in beads.tolist()])


def test_anchors_are_1_1_links_the_first_pass_preferred_clearly_to_any_local_change() -> None:
    path = [(0, 1, 0, 1), (1, 3, 1, 2), (3, 4, 2, 3)]  # a 1-1, a 2-1, a 1-1 link
    scorer = _Table({
        (1, 1, 1, 1): 2.0, (3, 2, 1, 2): 1.5, (4, 1, 1, 3): 1.8,  # the path
        (2, 2, 1, 1): 1.9, (3, 1, 1, 2): 0.5,  # src[1] moved into the first link: 1.1 less
        (2, 1, 1, 2): 1.0, (4, 2, 1, 3): 2.0,  # src[2] moved into the last link: only 0.3 less
    })  # fmt: skip
    kept = engine._anchors(path, scorer, E5.calibration)  # type: ignore[arg-type]
    assert list(kept) == [(0, 1, 0, 1)]  # not the 2-1 link, not the last one (margin 0.3)
    assert 0.0 <= kept[(0, 1, 0, 1)] <= 1.0
    scorer.values[(1, 1, 1, 1)] = -0.5  # a clear boundary, but less similar than unrelated text
    scorer.values[(2, 2, 1, 1)] = -0.6
    assert engine._anchors(path, scorer, E5.calibration) == {}  # type: ignore[arg-type]


def test_cache_ignores_a_broken_shard(tmp_path: Path) -> None:
    encoder = embed.Encoder(USE, tmp_path)
    first = encoder.encode(["One sentence.", "Another one."])
    (whole,) = [shard.read_bytes() for shard in (tmp_path / USE.model_id).glob("*.vec")]
    (tmp_path / USE.model_id / "broken.vec").write_bytes(b"not a shard")
    (tmp_path / USE.model_id / "cut.vec").write_bytes(whole[:-4])  # a shard cut short
    assert embed.read_keys(tmp_path / USE.model_id / "cut.vec") is None
    assert embed.read_keys(tmp_path / USE.model_id / "broken.vec") is None
    again = embed.Encoder(USE, tmp_path)
    assert (again.encode(["Another one.", "One sentence."]) == first[::-1]).all()
    assert again.encoded == 0


def test_cache_sees_shards_written_by_others_and_reads_only_those_it_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Build workers share one cache folder: each must find what the others wrote since it
    started, and a lookup must not read every shard (a site's archive has thousands)."""
    mine = embed.EmbeddingCache(tmp_path, USE.model_id)
    keys = [bytes([k]) * 32 for k in range(1, 4)]
    for k, key in enumerate(keys):
        mine.put([key], np.full((1, USE.dim), k, dtype=np.float32))
    monkeypatch.setattr(embed, "_FOLDERS", {})  # another process: nothing indexed yet
    theirs = embed.EmbeddingCache(tmp_path, USE.model_id)
    opened: list[str] = []
    read_keys, read_rows = embed.read_keys, embed.read_rows

    def keys_counted(path: Path) -> object:
        opened.append(path.name)
        return read_keys(path)

    def rows_counted(path: Path, rows: list[int], asked: np.ndarray) -> object:
        opened.append(path.name)
        return read_rows(path, rows, asked)

    monkeypatch.setattr(embed, "read_keys", keys_counted)
    monkeypatch.setattr(embed, "read_rows", rows_counted)
    assert float(theirs.get_many([keys[1]])[keys[1]][0]) == 1.0
    assert len(opened) == 3 + 1  # every shard's keys once, then one shard's vectors
    listed: list[int] = []
    refresh = theirs._refresh

    def counted() -> bool:
        listed.append(1)
        return refresh()

    monkeypatch.setattr(theirs, "_refresh", counted)
    assert float(theirs.get_many([keys[2]])[keys[2]][0]) == 2.0 and listed == []  # indexed: no listing
    late = bytes([9]) * 32
    embed.EmbeddingCache(tmp_path / "elsewhere", "x")  # unrelated folders stay apart
    mine.put([late], np.full((1, USE.dim), 9, dtype=np.float32))
    assert theirs.get(late) is not None and len(opened) == 3 + 1 + 1 + 2  # the new shard's keys and vectors
    assert listed == [1]


def test_cache_of_the_older_npz_form_is_converted_not_encoded_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An upgrade keeps a long-built cache: shards of the older form (two arrays in an .npz)
    become .vec shards the first time a process looks, and their vectors are found."""
    texts = ["One sentence.", "Another one."]
    vectors = embed.Encoder(USE, tmp_path).encode(texts)
    folder = tmp_path / USE.model_id
    for shard in folder.glob("*.vec"):  # write the same vectors the way the older version did
        keys = embed.read_keys(shard)
        assert keys is not None
        got = embed.read_rows(shard, [0, 1], keys)
        assert got is not None and got[1].all()
        np.savez(shard.with_suffix(".npz"), keys=np.array([bytes(key) for key in keys], dtype="S32"), vecs=got[0])
        shard.unlink()
    (folder / "broken.npz").write_bytes(b"not a zip file")
    monkeypatch.setattr(embed, "_FOLDERS", {})  # a new process: nothing indexed
    again = embed.Encoder(USE, tmp_path)
    assert (again.encode(texts) == vectors).all() and again.encoded == 0
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".npz") == ["broken.npz"]  # left, and warned about


def test_a_shard_another_process_converted_first_is_no_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Build workers share the cache: when two convert the same old shard, the later one finds
    it gone, which is not an error."""
    embed.convert_npz(tmp_path / "gone.npz")
    assert not caplog.records


def test_unwritable_cache_only_warns(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    cache = embed.EmbeddingCache(blocked, USE.model_id)
    cache.put([b"k" * 32], np.ones((1, USE.dim), dtype=np.float32))
    assert cache.get(b"k" * 32) is not None


def test_cache_keeps_digests_ending_in_nul(tmp_path: Path) -> None:
    key = b"k" * 30 + b"\0\0"
    embed.EmbeddingCache(tmp_path, USE.model_id).put([key], np.ones((1, USE.dim), dtype=np.float32))
    assert embed.EmbeddingCache(tmp_path, USE.model_id).get(key) is not None


@pytest.mark.parametrize(("n", "m"), [(0, 0), (3, 0), (0, 2)])
def test_empty_sides(n: int, m: int) -> None:
    beads = align(["Hello."] * n, ["你好。"] * m, "en", "zh")
    assert_covers(beads, n, m)


def test_unrelated_texts_get_low_confidence(cache: Path) -> None:
    cooking = [
        "Chop the onions finely.", "Fry them in butter until golden.",
        "Add the rice and stir for two minutes.", "Pour in the hot stock slowly.",
        "Season with salt and pepper before serving.",
    ]  # fmt: skip
    stars = ["恒星在核心中聚变氢。", "银河系包含数千亿颗恒星。", "黑洞的引力连光都无法逃脱。",
             "天文学家用望远镜观测遥远的星系。", "宇宙大约有一百三十八亿年的历史。"]  # fmt: skip
    beads = align(cooking, stars, "en", "zh-Hans", cache_dir=cache)
    assert_covers(beads, 5, 5)
    assert all(b.confidence < 0.5 for b in beads if b.src and b.tgt)
    assert linked_share(beads) < PARALLEL
    report = align(lines("report.en"), lines("report.zh-Hans"), "en", "zh-Hans", cache_dir=cache)
    assert linked_share(report) > 0.8  # its omissions (a translator's note) are not links


@pytest.mark.parametrize(
    ("src", "tgt", "langs"),
    [
        (["The weather is fine today."], ["Das Wetter ist heute schön."], ("en", "de")),
        (["The weather is fine today."], ["今天天气很好。"], ("en", "zh-Hans")),
        (["今天天气很好。"], ["今天天氣很好。"], ("zh-Hans", "zh-Hant")),
    ],
)
def test_a_text_of_one_sentence_is_judged_against_the_encoders_unrelated_level(
    cache: Path, src: list[str], tgt: list[str], langs: tuple[str, str]
) -> None:
    """With one sentence a side, the only "random" partner is the translation itself: its
    unrelated level comes from the encoder's prior, so a translation is a confident link."""
    (bead,) = align(src, tgt, *langs, cache_dir=cache)
    assert bead.src == (0,) and bead.tgt == (0,) and bead.confidence >= 0.5
    assert unrelated([bead]) is None
    (other,) = align(["I like trains."], tgt, "en", langs[1], cache_dir=cache)
    assert other.confidence < 0.5 and unrelated([other]) is not None


def test_linked_share_counts_sentences_in_confident_links() -> None:
    beads = [Bead((0,), (0, 1), 0.9), Bead((1,), (2,), 0.4), Bead((2,), (), 0.99),
             Bead((3,), (3,), 0.5)]  # fmt: skip
    assert linked_share(beads) == pytest.approx(5 / 8)  # not the omission, not the 0.4 link
    assert linked_share([]) == 0.0


def test_unrelated_judges_only_texts_with_both_sides() -> None:
    unsure = [Bead((k,), (k,), 0.9 if k == 0 else 0.1) for k in range(5)]
    assert unrelated(unsure) == pytest.approx(1 / 5)
    assert unrelated([*unsure, Bead((5,), (5,), 0.9)]) is None  # a third linked: translations
    assert unrelated([Bead((0,), (), 1.0), Bead((1,), (), 1.0)]) is None  # nothing on one side


def test_one_sentence_against_hundreds_and_duplicates(cache: Path) -> None:
    tgt = lines("report.zh-Hans") * 40
    beads = align(["The museum will close at six o'clock."], tgt, "en", "zh-Hans", cache_dir=cache)
    assert_covers(beads, 1, len(tgt))


def test_long_sentence_and_limit(cache: Path) -> None:
    long = "The committee met again and discussed the budget at length. " * 80  # ~5,000 chars
    beads = align([long, "Thank you for reading."], ["委员会再次开会并详细讨论了预算。" * 40, "感谢阅读。"],
                  "en", "zh", cache_dir=cache)  # fmt: skip
    assert links(beads) == [((0,), (0,)), ((1,), (1,))]
    with pytest.raises(InputTooLongError, match="source sentence 0 has 25000 characters"):
        align(["x" * 25_000], ["y"], "en", "zh")


def test_a_sentence_too_long_is_refused_by_its_place_in_the_lists_given() -> None:
    """Its index counts the sentences without words the engine leaves out of the search."""
    with pytest.raises(InputTooLongError, match="^target sentence 2 has 25000 characters") as refused:
        align(["A sentence."], ["» .", "一句。", "y" * 25_000], "en", "zh")
    assert (refused.value.side, refused.value.index) == ("target", 2)


def test_bad_language_tag() -> None:
    with pytest.raises(LanguageError, match="'english' is not a language tag"):
        align(["a"], ["b"], "english", "zh")


@pytest.mark.parametrize("n", [0, 1, 2, 3, 10])
def test_span_norms_from_neighbours_equal_norms_of_summed_spans(n: int) -> None:
    vecs = np.random.default_rng(0).normal(size=(n, 5)).astype(np.float32)
    norms = engine._span_norms(vecs)
    assert sorted(norms) == list(range(1, engine.MAX_SIDE + 1))
    for size, got in norms.items():  # spans near the start are clipped at sentence 0
        want = [np.linalg.norm(vecs[max(end - size, 0) : end].sum(axis=0)) for end in range(n + 1)]
        assert got == pytest.approx(want, rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("english", [["2094"], ["3.5%"], ["2013", "2094"]])
def test_an_english_side_with_no_words_aligns_with_chinese(english: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Numbers alone give the dictionary signal nothing to look up (it raised a dimension
    mismatch); the other signals still align the texts. (Punctuation alone is no sentence to
    align: `fragments`.)"""
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path))
    chinese = ["一。", "二。"][: len(english)]
    beads = align(english, chinese, "en", "zh-Hans", quiet=True)
    assert [(b.src, b.tgt) for b in beads] == [((k,), (k,)) for k in range(len(english))]


def test_a_one_sentence_translation_is_a_confident_link_not_an_unrelated_text(cache: Path) -> None:
    """A text of one link has no neighbours to give its context; its own similarity stands for it
    (with 0 there, the seed's one-sentence author note came out at 0.49 and was called unrelated)."""
    en = ["Sun Ru is research professor and Deputy Director of Institute of World Political Studies,"
          " China Institutes of Contemporary International Relations."]  # fmt: skip
    zh = ["孙茹，中国现代国际关系研究院世界政治研究所研究员、副所长。"]
    (bead,) = align(en, zh, "en", "zh-Hans", cache_dir=cache)
    assert bead.confidence >= 0.9 and unrelated([bead]) is None
    (other,) = align(["I like trains."], zh, "en", "zh-Hans", cache_dir=cache)
    assert other.confidence < 0.5 and unrelated([other]) is not None


def test_a_kept_bead_stands_as_given_and_the_rest_is_aligned_around_it(cache: Path) -> None:
    """A person's link (`keep`) holds even where the boundary check would move a sentence into it
    ("It discussed the budget…" joins "The budget was approved…" against 会议讨论了来年的预算…, as
    the gold has it); no other bead takes its sentences, and the beads after it are the gold's."""
    gold = read_links(DATA / "report.gold")
    beads = align(lines("report.en"), lines("report.zh-Hans"), "en", "zh-Hans", cache_dir=cache, keep=[(2, 3, 1, 2)])
    assert ((2,), (1,)) in links(beads)
    assert links(beads)[-6:] == gold[-6:]
    assert_covers(beads, 8, 8)


def test_a_kept_bead_keeps_its_sentences_without_words(cache: Path) -> None:
    """A line without words is left out of the search (`fragments`), but not out of a person's link."""
    zh = lines("report.zh-Hans")
    zh = [*zh[:5], "» .", *zh[5:]]  # OCR debris after the 1-2 link's second sentence
    beads = align(lines("report.en"), zh, "en", "zh-Hans", cache_dir=cache, keep=[(5, 6, 3, 6)])
    assert ((5,), (3, 4, 5)) in links(beads)
    assert_covers(beads, 8, 9)


def test_a_kept_bead_far_from_the_searched_band_widens_it(cache: Path) -> None:
    """A person may link a sentence to a copy two repetitions away: the coarse search's band,
    narrowed around the diagonal, must still hold the bead (it refused: outside the band)."""
    en, zh = lines("report.en") * 40, lines("report.zh-Hans") * 40
    beads = align(en, zh, "en", "zh-Hans", cache_dir=cache, keep=[(80, 81, 96, 97)])
    assert ((80,), (96,)) in links(beads)
    assert_covers(beads, len(en), len(zh))


def test_a_kept_bead_too_far_for_one_band_is_aligned_around_stretch_by_stretch(cache: Path) -> None:
    """One band holding a bead far off the path is as wide for every row (10,000 × 10,000 with a
    bead 2,000 off: 2,012 positions a row, gigabytes of scores); the engine says so, and keeping a
    person's links falls back to aligning each stretch between them."""
    from aligner.align.engine import FarFromPath
    from aligner.corpus.links import align_keeping_person_links
    from aligner.corpus.model import Document, Link, Metadata, Paragraph, Sentence

    en, zh = lines("report.en") * 40, lines("report.zh-Hans") * 40
    with pytest.raises(FarFromPath):
        align(en, zh, "en", "zh-Hans", cache_dir=cache, keep=[(40, 41, len(zh) - 40, len(zh) - 39)])

    def version(lang: str, texts: list[str]) -> Document:
        sents = tuple(Sentence(f"{lang}.p1.s{k}", t) for k, t in enumerate(texts, 1))
        return Document("d", lang, (Paragraph(f"{lang}.p1", sents),), Metadata())

    far = Link(("en.p1.s41",), (f"zh-Hans.p1.s{len(zh) - 39}",), 1.0, "person")
    engine = functools.partial(align, src_lang="en", tgt_lang="zh-Hans", cache_dir=cache)
    links = align_keeping_person_links(version("en", en), version("zh-Hans", zh), [far], engine)
    assert far in links and sum(len(lk.src) for lk in links) == len(en) and sum(len(lk.tgt) for lk in links) == len(zh)
