"""Benchmark `aligner build` at corpus scale: every chapter of Bible 006 as its own document.

    python tests/benchmarks/build_scale.py ../shared/gold --mode jobs1|jobs2|dask [--work DIR]

English and Chinese chapters from set 006 (the first 30,000 English verse lines, 1,040
chapters), with a Traditional version made from the Chinese by OpenCC s2t: three versions
a document. Each mode builds into a fresh corpus and prints wall time, peak memory of the
process that aligned (jobs1), or the largest worker (jobs2: pool processes; dask: two workers
started here on 127.0.0.1), CPU seconds of all its processes, and the load average. Run each mode in its own process, with a warm
embedding cache for comparable numbers (the first run fills it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from aligner.build import build
from aligner.ingest.langs import convert


def write_seeds(gold: Path, seeds: Path) -> int:
    """One DOC.LANG.txt per chapter and version; return the number of chapters."""
    sys.path.insert(0, str(Path(__file__).parent))
    from pair_docs import bible_chapters

    en, zh = bible_chapters(gold)
    seeds.mkdir(parents=True, exist_ok=True)
    for n, (e, z) in enumerate(zip(en, zh, strict=True)):
        doc = f"ch{n:04d}"
        (seeds / f"{doc}.en.txt").write_text(e.replace("\n", "\n\n"), encoding="utf-8")
        (seeds / f"{doc}.zh-Hans.txt").write_text(z.replace("\n", "\n\n"), encoding="utf-8")
        (seeds / f"{doc}.zh-Hant.txt").write_text(convert(z, "s2t").replace("\n", "\n\n"), encoding="utf-8")
    return len(en)


def dask_cluster(folder: Path, workers: int) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """A scheduler and `workers` single-threaded workers on 127.0.0.1, started as subprocesses."""
    info = folder / "scheduler.json"
    info.unlink(missing_ok=True)
    run = [sys.executable, "-m", "dask"]
    procs = [subprocess.Popen([*run, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(info)], stderr=subprocess.DEVNULL, start_new_session=True)]
    while not info.exists():
        time.sleep(0.1)
    address = json.loads(info.read_text())["address"]
    for _ in range(workers):
        procs.append(subprocess.Popen([*run, "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                                       "--host", "127.0.0.1"], stderr=subprocess.DEVNULL, start_new_session=True))
    from distributed import Client

    with Client(address) as client:
        client.wait_for_workers(workers, timeout=120)
    return address, procs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gold", type=Path)
    parser.add_argument("--mode", choices=["jobs1", "jobs2", "dask"], required=True)
    parser.add_argument("--work", type=Path, default=Path("/tmp/aligner-build-scale"))
    args = parser.parse_args()
    seeds, corpus = args.work / "seeds", args.work / f"corpus-{args.mode}"
    docs = len(list(seeds.glob("*.en.txt"))) if seeds.is_dir() else write_seeds(args.gold, seeds)
    shutil.rmtree(corpus, ignore_errors=True)
    procs: list[subprocess.Popen[bytes]] = []
    scheduler = None
    if args.mode == "dask":
        scheduler, procs = dask_cluster(args.work, 2)
    load = os.getloadavg()
    start = time.perf_counter()
    report = build(seeds, corpus, jobs=2 if args.mode == "jobs2" else 1, scheduler=scheduler)
    seconds = time.perf_counter() - start
    for proc in reversed(procs):
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
    usage = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    own, children = usage[0].ru_maxrss / 1024, usage[1].ru_maxrss / 1024
    cpu = sum(u.ru_utime + u.ru_stime for u in usage)  # all processes: less sensitive to others' load
    peak = own if args.mode == "jobs1" else children
    print(json.dumps({
        "mode": args.mode, "documents": docs, "built": len(report.sentences), "seconds": round(seconds, 1),
        "seconds_per_document": round(seconds / docs, 3), "cpu_seconds": round(cpu, 1), "peak_worker_mib": round(peak),
        "client_mib": round(own), "load_before": [round(x, 2) for x in load],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }))


if __name__ == "__main__":
    main()
