"""How many cores the numeric work of this process may use, and BLAS held to one thread while
encoders share the cores out among their own threads."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from typing import Any

_lock = threading.Lock()  # one encoder at a time holds BLAS to one thread
_outside: int | None = None  # the BLAS thread count from before, while one holds it


@functools.cache
def _controller() -> Any:
    """threadpoolctl's view of the loaded BLAS libraries, found once (it scans the process, so
    numpy's BLAS is loaded first)."""
    import numpy  # noqa: F401
    from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

    return ThreadpoolController()


def _blas_threads() -> int:
    counts = [info["num_threads"] for info in _controller().info() if info["user_api"] == "blas"]
    return max(1, min(counts)) if counts else 1


def numeric_threads() -> int:
    """Return the BLAS thread limit in force: all cores in a lone process, its share of them in a
    build worker (`aligner.parallel` sets it), so that encoders never oversubscribe the machine.
    While an encoder holds BLAS to one thread (`one_blas_thread`), the limit from before.

    Measured with two BLAS threads in each of several busy processes on two cores: the USE pass
    ran 30 times slower than alone (threads waiting on each other), one thread 3 times faster.
    """
    held = _outside
    return held if held is not None else _blas_threads()


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Hold BLAS to one thread (an encoder shares the cores out among threads of its own), one
    caller at a time: the thread that set the limit must be the one to restore it, as OpenBLAS
    ignores a count raised from another thread while the first lives (two overlapping encodes
    each taking threadpoolctl's limit left the whole process at one BLAS thread for good). An
    encoder already uses every core the process may use, so callers taking turns lose nothing."""
    global _outside
    with _lock:
        _outside = _blas_threads()
        limiter = _controller().limit(limits=1, user_api="blas")
        try:
            yield
        finally:
            limiter.restore_original_limits()
            _outside = None
