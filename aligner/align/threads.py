"""How many cores the numeric work of this process may use."""

from __future__ import annotations


def numeric_threads() -> int:
    """Return the BLAS thread limit in force: all cores in a lone process, its share of them in a
    build worker (`aligner.parallel` sets it), so that encoders never oversubscribe the machine.

    Measured with two BLAS threads in each of several busy processes on two cores: the USE pass
    ran 30 times slower than alone (threads waiting on each other), one thread 3 times faster.
    """
    from threadpoolctl import threadpool_info  # type: ignore[import-untyped]

    counts = [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]
    return max(1, min(counts)) if counts else 1
