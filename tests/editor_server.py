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
from aligner.reader.editor import Editor, hosts_for, listen, make_app


@contextmanager
def running(corpus: Path, engine_for: EngineFor, who: str = "tester") -> Iterator[tuple[str, Editor]]:
    """Serve the editor over `corpus` on a free port; yields its base URL and state."""
    sock = listen("127.0.0.1", 0)
    port = sock.getsockname()[1]
    app, editor = make_app(corpus, engine_for, hosts_for("127.0.0.1", port), who)
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
