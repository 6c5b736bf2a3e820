"""A live editor server in a background thread, for the browser tests, the benchmark and the
README screenshots."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from aligner.edit.pairs import EngineFor
from aligner.reader.editor import Editor, listen, make_app
from aligner.reader.hosts import hosts_for


@contextmanager
def running(corpus: Path, engine_for: EngineFor, who: str = "tester", host: str = "127.0.0.1") -> Iterator[tuple[str, Editor]]:
    """Serve the editor over `corpus` on a free port of `host` (0.0.0.0: every address, as
    `--host 0.0.0.0` does); yields its base URL on 127.0.0.1 and its state."""
    sock = listen(host, 0)
    port = sock.getsockname()[1]
    app, editor = make_app(corpus, engine_for, hosts_for(host, port), who)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", editor
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
