"""`aligner build --scheduler` on a real Dask cluster: a scheduler and two workers started here,
on 127.0.0.1 only. The corpus is the same bytes as a local build, a worker killed mid-build
loses nothing, a bad input file fails once with its one-line error (not retried), and a worker
that cannot write its cache is a clear error."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from scale_seeds import attempt, tree_bytes, write_seeds

from aligner.build import BuildReport, build
from aligner.cli import main
from aligner.cluster import ClusterError, run_on_cluster
from aligner.errors import InputError
from aligner.progress import progress

pytest.importorskip("distributed")

_START = 90  # seconds a cluster may take to come up


def _dask(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """A `dask` command in its own process group (so it and its children can be killed), able to
    import the tests' helper modules (scale_seeds) as tasks."""
    path = os.pathsep.join(p for p in (str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.Popen(
        [sys.executable, "-m", "dask", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, env={**os.environ, "PYTHONPATH": path, **(env or {})},
    )  # fmt: skip


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _address(info: Path, deadline: float) -> str:
    """The scheduler's address from its file, once the file is there and whole (it is written
    after it is created: reading it at once can find it empty)."""
    while time.monotonic() < deadline:
        try:
            return str(json.loads(info.read_text())["address"])
        except (OSError, ValueError, KeyError):
            time.sleep(0.1)
    raise RuntimeError(f"the Dask scheduler wrote no address to {info} in {_START} s")


def start_cluster(folder: Path, workers: list[dict[str, str]]) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """Start a scheduler and one worker per environment; return its address and the processes."""
    from distributed import Client

    info = folder / "scheduler.json"
    procs = [_dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(info))]
    try:
        address = _address(info, time.monotonic() + _START)
        for n, env in enumerate(workers):
            procs.append(_dask(
                "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard", "--no-nanny",
                "--host", "127.0.0.1", "--name", f"w{n}", env=env,
            ))  # fmt: skip
        with Client(address, timeout=_START) as client:
            client.wait_for_workers(len(workers), timeout=_START)
    except BaseException:  # a cluster that did not come up must not outlive the test
        for proc in reversed(procs):
            _stop(proc)
        raise
    return address, procs


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    address, procs = start_cluster(tmp_path_factory.mktemp("cluster"), [{}, {}])
    yield address, procs
    for proc in reversed(procs):
        _stop(proc)


def test_cluster_build_is_byte_identical_to_a_local_one(
    cluster: tuple[str, list[subprocess.Popen[bytes]]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_seeds(tmp_path / "seeds", docs=3)
    build(tmp_path / "seeds", tmp_path / "local", jobs=1)
    monkeypatch.chdir(tmp_path)  # relative paths: the workers run in another folder
    report = build(Path("seeds"), Path("dask"), scheduler=cluster[0])
    assert tree_bytes(tmp_path / "dask") == tree_bytes(tmp_path / "local")
    assert list(report.sentences) == ["part0", "part1", "part2"] and report.skipped == []
    assert build(tmp_path / "seeds", tmp_path / "dask", scheduler=cluster[0]).skipped == ["part0", "part1", "part2"]


BROKEN_SRT = "1\n00:00:01,000 --> 00:0x:03,500\nThe river is long.\n"


def test_a_bad_input_file_is_one_line_error_as_in_a_local_build(
    cluster: tuple[str, list[subprocess.Popen[bytes]]], tmp_path: Path
) -> None:
    write_seeds(tmp_path / "seeds", docs=2, size=1)
    (tmp_path / "seeds" / "film.en.srt").write_text(BROKEN_SRT, encoding="utf-8")
    with pytest.raises(InputError) as local:
        build(tmp_path / "seeds", tmp_path / "local", jobs=1)
    result = CliRunner().invoke(main, ["build", "--seeds", str(tmp_path / "seeds"), "--corpus", str(tmp_path / "dask"),
                                       "--scheduler", cluster[0], "--quiet"])
    assert result.exit_code == 1
    assert result.output == f"Error: {local.value}\n"
    assert "broken time line" in str(local.value)


def test_a_user_error_runs_once_and_a_workers_own_error_is_retried(
    cluster: tuple[str, list[subprocess.Popen[bytes]]], tmp_path: Path
) -> None:
    user, worker, fine = (str(tmp_path / name) for name in ("user", "worker", "fine"))
    with progress("test", 3, quiet=True) as bar:
        with pytest.raises(InputError, match=rf"^{user}:1: a bad input; fix it$"):
            run_on_cluster(attempt, [(fine, "fine"), (user, "user")], cluster[0], bar)
        with pytest.raises(OSError, match="lost file handle"):
            run_on_cluster(attempt, [(worker, "worker")], cluster[0], bar)
    assert Path(user).read_text(encoding="utf-8").count("attempt") == 1
    assert Path(worker).read_text(encoding="utf-8").count("attempt") == 3  # run, then two retries


def test_a_worker_killed_mid_build_loses_nothing(cluster: tuple[str, list[subprocess.Popen[bytes]]], tmp_path: Path) -> None:
    docs = write_seeds(tmp_path / "seeds", docs=8, size=1)
    build(tmp_path / "seeds", tmp_path / "local", jobs=1)
    reports: list[BuildReport] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            reports.append(build(tmp_path / "seeds", tmp_path / "dask", scheduler=cluster[0]))
        except BaseException as err:  # noqa: BLE001 - re-raised in the test's thread below
            errors.append(err)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 300
    while not list((tmp_path / "dask").glob("*/align.xml")) and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    _stop(cluster[1][1])  # the first worker, dead mid-build
    finished_at_kill = len(list((tmp_path / "dask").glob("*/align.xml")))
    thread.join(timeout=600)
    assert not errors, errors
    assert finished_at_kill < len(docs)
    assert tree_bytes(tmp_path / "dask") == tree_bytes(tmp_path / "local")
    assert sorted(reports[0].sentences) == docs  # each document reported once


def test_a_worker_that_cannot_write_its_cache_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    cache = tmp_path / "a-file" / "cache"
    address, procs = start_cluster(tmp_path, [{"ALIGNER_CACHE": str(cache)}])
    try:
        write_seeds(tmp_path / "seeds", docs=1)
        with pytest.raises(ClusterError, match=rf"^worker tcp://127\.0\.0\.1:\d+ cannot see or write {cache}; put the seeds"):
            build(tmp_path / "seeds", tmp_path / "corpus", scheduler=address)
        assert not (tmp_path / "corpus" / "part0").exists()
    finally:
        for proc in reversed(procs):
            _stop(proc)


def test_no_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    write_seeds(tmp_path / "seeds", docs=1)
    with pytest.raises(ClusterError, match=r"tcp://127\.0\.0\.1:9: no Dask scheduler answers"):
        build(tmp_path / "seeds", tmp_path / "corpus", scheduler="tcp://127.0.0.1:9")


def test_jobs_with_a_scheduler_is_said_to_be_unused(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from aligner.cli import main

    result = CliRunner().invoke(main, ["build", "--seeds", str(tmp_path), "--corpus", str(tmp_path / "c"), "--scheduler", "tcp://127.0.0.1:1", "--jobs", "2"])
    assert result.stderr.startswith("Warning: --jobs is not used with --scheduler: the cluster's workers run the documents\n")
    assert result.exit_code == 1  # and the empty seeds folder is then the error


def _build_on(scheduler: str, tmp_path: Path) -> tuple[int, str, str, float]:
    """`aligner build --scheduler` in its own process (a Client left half-made held that process's
    exit): exit status, stdout, stderr and seconds taken."""
    write_seeds(tmp_path / "seeds", docs=1, size=1)
    start = time.monotonic()
    done = subprocess.run(["aligner", "build", "--seeds", str(tmp_path / "seeds"), "--corpus", str(tmp_path / "c"),
                           "--scheduler", scheduler, "-q"], capture_output=True, text=True, timeout=120)  # fmt: skip
    return done.returncode, done.stdout, done.stderr, time.monotonic() - start


@pytest.mark.parametrize("address", ["foo", "tcp://127.0.0.1:", "http://127.0.0.1:8786", "tcp://127.0.0.1:99999", "tcp://:8786"])
def test_a_malformed_scheduler_address_is_one_line_at_once(tmp_path: Path, address: str) -> None:
    """`--scheduler foo` printed its error, then hung 20 s and printed a TimeoutError traceback; it
    is a misused option (status 2), refused before anything is made."""
    code, out, err, seconds = _build_on(address, tmp_path)
    assert (code, out, err) == (2, "", (
        f"Error: Invalid value for '--scheduler': {address}: not a Dask scheduler address; give PROTOCOL://HOST:PORT as `dask scheduler`"
        " prints it, e.g. tcp://192.168.1.5:8786; see `aligner build --help`\n"
    ))
    assert seconds < 15 and not (tmp_path / "c").exists()


def test_a_client_that_fails_half_made_is_closed_at_once(tmp_path: Path) -> None:
    """tls:// without certificates: a TypeError in the Client, then the same 20 s hang and traceback."""
    code, out, err, seconds = _build_on("tls://127.0.0.1:1", tmp_path)
    assert (code, out, err.count("\n")) == (1, "", 1) and seconds < 15
    assert err.startswith("Error: tls://127.0.0.1:1: no Dask scheduler answers (TLS expects a `ssl_context`")
