"""A small static web server for a quick look at the reader: local only unless told otherwise,
and it answers only Host headers that name it (`hosts.Hosts`: no DNS rebinding), as the editor does."""

from __future__ import annotations

import functools
import logging
import socket
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO

from aligner.errors import AlignerError
from aligner.reader.hosts import REFUSED, Hosts, hosts_for, refusal

log = logging.getLogger(__name__)


class _Server(ThreadingHTTPServer):
    """The server on an IPv4 address (or a name), with the Host headers it answers, known once
    it is bound (port 0 becomes the free port picked)."""

    hosts: Hosts

    def server_bind(self) -> None:
        """Bind, then work out the Host headers of the address and port bound."""
        super().server_bind()
        host, port = self.server_address[:2]
        self.hosts = hosts_for(str(host), int(port))


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files from the site folder to requests whose Host names the server; requests go
    to the log, not to stderr."""

    server: _Server

    def parse_request(self) -> bool:
        """Read the request line and headers, then refuse a Host that does not name the server
        before any file is read (a rebound name must not read the site)."""
        if not super().parse_request():
            return False
        host = self.headers.get("Host", "")
        if self.server.hosts.allows(host):
            return True
        self.send_error(REFUSED, explain=refusal(host))
        return False

    def send_head(self) -> BinaryIO | None:
        """The file a GET or HEAD asks for; a path no file can have (`/%00`) is a bad request, not a traceback."""
        try:
            return super().send_head()
        except ValueError:  # from opening the file: no response has been sent yet
            self.send_error(HTTPStatus.BAD_REQUEST, explain="the path holds a character no file name can")
            return None

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        log.info("%s " + format, self.address_string(), *args)

    def end_headers(self) -> None:
        """Every answer (errors too) forbids being shown in another site's frame."""
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Content-Security-Policy", "frame-ancestors 'none'")
        super().end_headers()


class _ServerV6(_Server):
    """The server on an IPv6 address (`--host ::1`): the base class makes IPv4 sockets only."""

    address_family = socket.AF_INET6


def server_class(host: str) -> type[_Server]:
    """The server class for an address: IPv6 when it holds a ':', else IPv4 (or a name)."""
    return _ServerV6 if ":" in host else _Server


def url_of(host: str, port: int) -> str:
    """The address to open in a browser; an IPv6 address goes in brackets (http://[::1]:8000/)."""
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def make_server(site: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A server for the files under `site` (port 0 picks a free port); call serve_forever on it."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    try:
        return server_class(host)((host, port), handler)
    except OSError as err:
        raise AlignerError(f"{host}:{port}: cannot listen there ({err.strerror}); choose another with --port") from None
