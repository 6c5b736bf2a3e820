"""Run independent tasks (a build's documents) here, in a pool of processes, or on a Dask cluster.

Each task is a picklable value and the function a module-level one, so the same pair runs
anywhere. Results come back in task order whatever order they finish in, so a parallel run
reports exactly what a serial one does; one progress bar counts the finished tasks.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TypeVar

from aligner.errors import AlignerError
from aligner.progress import Progress, progress

T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger(__name__)


class WorkerError(AlignerError):
    """A worker process or cluster failed in a way the task itself did not report."""


def cores() -> int:
    """The CPU cores this process may run on: the default number of jobs."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class _Then:
    """Progress that also calls `after` in this process each time a task is done."""

    def __init__(self, bar: Progress, after: Callable[[], None]) -> None:
        self.bar, self.after = bar, after

    def advance(self, steps: int = 1) -> None:
        self.bar.advance(steps)
        self.after()


def run_tasks(
    func: Callable[[T], R], tasks: Sequence[T], jobs: int, label: str, quiet: bool = False,
    scheduler: str | None = None, shared: tuple[Sequence[Path], Sequence[Path]] = ((), ()),
    after_each: Callable[[], None] | None = None,
) -> list[R]:  # fmt: skip
    """`func` applied to every task, in task order: here when one job (or one task) suffices, else
    in `jobs` worker processes, or on the Dask cluster at `scheduler` when one is given, whose
    workers must read the first paths of `shared` and write into the second. `after_each` runs
    here each time a task is done, while the others go on."""
    if jobs < 1:
        raise WorkerError(f"--jobs {jobs}: give at least 1 (the default is all {cores()} cores)")
    with progress(label, len(tasks), quiet) as shown:
        bar: Progress = _Then(shown, after_each) if after_each else shown
        if scheduler:
            from aligner.cluster import run_on_cluster

            return run_on_cluster(func, tasks, scheduler, bar, *shared)
        if pooled(jobs, len(tasks)) and (script := _unimportable_main()):
            log.warning("%s: worker processes cannot import the calling program again (it is not a file); aligning here, in one process", script)
            jobs = 1
        if not pooled(jobs, len(tasks)):
            results = []
            for task in tasks:
                results.append(func(task))
                bar.advance()
            return results
        return _in_pool(func, tasks, min(jobs, len(tasks)), bar)


def pooled(jobs: int, tasks: int) -> bool:
    """Whether `run_tasks` runs this many tasks in worker processes (with no scheduler given)."""
    return jobs > 1 and tasks > 1


def _unimportable_main() -> str:
    """The name of the main program when spawned workers cannot import it again (a script read
    from stdin is "<stdin>": each worker died trying, after pages of tracebacks); else ''."""
    name = getattr(sys.modules.get("__main__"), "__file__", None)
    return name if isinstance(name, str) and not os.path.isfile(name) else ""


def _in_pool(func: Callable[[T], R], tasks: Sequence[T], workers: int, bar: Progress) -> list[R]:
    """Run the tasks in fresh worker processes (spawned: no state copied from this one)."""
    context = multiprocessing.get_context("spawn")
    threads = max(1, cores() // workers)
    level = logging.getLogger().getEffectiveLevel()
    results: dict[int, R] = {}
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(threads, level)) as pool:
        futures: dict[Future[R], int] = {pool.submit(func, task): i for i, task in enumerate(tasks)}
        try:
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                bar.advance()
        except BrokenProcessPool:
            raise WorkerError(
                "a worker process died (killed, or out of memory); run the build again: finished"
                " documents are skipped, or give fewer --jobs (from a Python script, put the build"
                " under `if __name__ == \"__main__\":`, as worker processes import the script again)"
            ) from None
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return [results[i] for i in range(len(tasks))]


def _start_worker(threads: int, level: int) -> None:
    """Set up a worker: logging as in the parent, BLAS threads shared out so workers do not
    oversubscribe the cores, and an end with the parent. Models load on first use and stay for
    the worker's life."""
    _die_with_parent()
    import numpy  # noqa: F401  (BLAS must be loaded for the limit to reach it)
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    logging.basicConfig(level=level, format="%(message)s")
    threadpool_limits(limits=threads)


def _die_with_parent() -> None:
    """Ask Linux to end this process when its parent dies (prctl PR_SET_PDEATHSIG): a build
    killed by itself (kill -9, the out-of-memory killer) left its workers idle forever. Elsewhere
    nothing is asked; those workers end when their pipe to the parent closes."""
    if sys.platform != "linux":
        return
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request: end now
        os._exit(1)
