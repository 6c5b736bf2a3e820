"""Run a build's per-document tasks on an existing Dask cluster (`dask.distributed`).

Workers read the seeds and write the corpus and the embedding cache themselves, so all three
must sit on storage every worker sees; each worker is checked before any task is sent. A worker
that dies has its tasks run again elsewhere (the scheduler does that); a task that is run twice
writes the same bytes, so nothing is lost or duplicated. A task that raises for a reason outside
it (a lost file handle) is retried, but a user error (`AlignerError`: a bad input file) comes
back once, as it is, and stops the build: running it again would only fail again.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from aligner.cache import cache_dir
from aligner.errors import AlignerError
from aligner.progress import Progress

if TYPE_CHECKING:
    from distributed import Client

T = TypeVar("T")
R = TypeVar("R")

_CONNECT_TIMEOUT = "10s"
_NEEDS_DISTRIBUTED = "--scheduler needs the distributed package: pip install 'aligner[cluster]'"
_RETRIES = 2  # a task whose worker raised for a reason outside the task (lost file handle) runs again


class ClusterError(AlignerError):
    """The cluster cannot be reached, or a worker cannot see the files a build needs."""


@dataclass(frozen=True)
class Failed:
    """A task's user error, returned rather than raised so that the scheduler does not retry it."""

    error: AlignerError


def guarded(func: Callable[[T], R], task: T) -> R | Failed:
    """`func(task)`, or its user error as a `Failed` value (run on the worker)."""
    try:
        return func(task)
    except AlignerError as err:
        return Failed(err)


def missing_paths(reads: Sequence[str], writes: Sequence[str]) -> list[str]:
    """Those of `reads` this process cannot read, and of `writes` and its own embedding cache
    folders it cannot write into (run on each worker: its environment names its cache)."""
    unreadable = [p for p in reads if not os.access(p, os.R_OK)]
    return unreadable + [p for p in [*writes, str(cache_dir())] if not _writable(p)]


def _writable(folder: str) -> bool:
    """Whether a folder exists or can be made, and files can be created in it."""
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK)


def check_address(scheduler: str) -> None:
    """Refuse an address that is not PROTOCOL://HOST:PORT (or HOST:PORT) before connecting: a
    `Client` given one failed half-made, and its finaliser then held the exit for 20 s and
    printed a traceback."""
    try:
        from distributed.comm.addressing import parse_address, parse_host_port
        from distributed.comm.registry import get_backend
    except ImportError:
        raise ClusterError(_NEEDS_DISTRIBUTED) from None
    try:
        scheme, location = parse_address(scheduler)
        get_backend(scheme)  # a protocol Dask knows and can load
        host, port = parse_host_port(location)
    except (ValueError, ImportError):
        host, port = "", 0
    if not (host and 0 < port < 65536):
        raise ClusterError(
            f"{scheduler}: not a Dask scheduler address; give PROTOCOL://HOST:PORT as `dask scheduler`"
            " prints it, e.g. tcp://192.168.1.5:8786"
        )


def run_on_cluster(
    func: Callable[[T], R], tasks: Sequence[T], scheduler: str, bar: Progress,
    reads: Sequence[Path] = (), writes: Sequence[Path] = (),
) -> list[R]:  # fmt: skip
    """`func` over the tasks on the cluster at `scheduler`, results in task order. Every worker
    must be able to read `reads` and write into the folders `writes` (checked first)."""
    check_address(scheduler)
    from distributed import as_completed

    try:
        client = _connect(scheduler)
    except (OSError, TimeoutError, ValueError, TypeError) as err:  # TypeError: tls:// without certificates
        raise ClusterError(
            f"{scheduler}: no Dask scheduler answers ({err}); start one with `dask scheduler` and give the"
            " address it prints"
        ) from None
    with client:
        _check_workers(client, [str(p.resolve()) for p in reads], [str(p.resolve()) for p in writes])
        futures = client.map(functools.partial(guarded, func), tasks, pure=False, retries=_RETRIES)
        index = {future.key: i for i, future in enumerate(futures)}
        results: dict[int, R] = {}
        for future in as_completed(futures, loop=client.loop):
            result = future.result()
            if isinstance(result, Failed):
                client.cancel(futures)
                raise result.error
            results[index[future.key]] = result
            bar.advance()
        return [results[i] for i in range(len(tasks))]


def _connect(scheduler: str) -> Client:
    """A client of the scheduler. One that fails is closed at once: left half-made, its finaliser
    held the exit for 20 s and printed a traceback."""
    from distributed import Client

    client = Client.__new__(Client)
    try:
        Client.__init__(client, scheduler, timeout=_CONNECT_TIMEOUT, set_as_default=False)
    except BaseException:
        with contextlib.suppress(AttributeError):  # it failed before it had a loop: nothing to close
            client.close()
        raise
    return client


def _check_workers(client: object, reads: list[str], writes: list[str]) -> None:
    """Fail before any work when the cluster has no worker, or a worker cannot read `reads` or
    write into `writes`."""
    info = client.scheduler_info()  # type: ignore[attr-defined]
    if not info.get("workers"):
        raise ClusterError("the Dask cluster has no workers; start some with `dask worker SCHEDULER_ADDRESS`")
    for worker, missing in client.run(missing_paths, reads, writes).items():  # type: ignore[attr-defined]
        if missing:
            raise ClusterError(
                f"worker {worker} cannot see or write {missing[0]}; put the seeds, the corpus and the"
                " embedding cache ($ALIGNER_CACHE) on storage every worker mounts at the same path"
            )
