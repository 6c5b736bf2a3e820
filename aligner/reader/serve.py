"""A small static web server for a quick look at the reader: local only unless told otherwise."""

from __future__ import annotations

import functools
import logging
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aligner.errors import AlignerError

log = logging.getLogger(__name__)


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files from the site folder; requests go to the log, not to stderr."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        log.info("%s " + format, self.address_string(), *args)


def make_server(site: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A server for the files under `site` (port 0 picks a free port); call serve_forever on it."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    try:
        return ThreadingHTTPServer((host, port), handler)
    except OSError as err:
        raise AlignerError(f"{host}:{port}: cannot listen there ({err.strerror}); choose another with --port") from None
