"""A small static web server for a quick look at the reader: local only unless told otherwise,
and it answers only Host headers that name it (`hosts.Hosts`: no DNS rebinding), as the editor does.
Before a page is sent, the site is brought up to date with the corpus (`LiveSite`)."""

from __future__ import annotations

import functools
import logging
import os
import socket
import threading
import time
from collections.abc import Collection
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO

from aligner.corpus.model import ParallelText
from aligner.corpus.store import doc_ids, load_current
from aligner.errors import AlignerError
from aligner.reader.hosts import REFUSED, Hosts, hosts_for, refusal
from aligner.reader.site import build_site, remove_withdrawn

log = logging.getLogger(__name__)

_TEXTS = frozenset({"application/javascript", "application/json", "image/svg+xml"})  # texts outside text/*


class LiveSite:
    """A site written from a corpus folder's documents (`ids`: those served; None: every one the
    folder holds), written again for the documents changed since, and without the pages of those
    gone or no longer readable. `refresh` compares the modification times of the documents'
    folders (a stat a document: it runs before each page sent), which a save changes, as it
    renames its files into place; a file rewritten in place by hand is seen once the folder changes."""

    def __init__(self, site: Path, folder: Path, texts: list[ParallelText], ids: Collection[str] | None, threshold: float) -> None:
        self.site, self.folder, self.ids, self.threshold = site, folder, ids, threshold
        self.seen = _settled(self._state())  # before the pages are written: a change meanwhile is seen next time
        self.texts = {text.doc_id: text for text in texts}
        self._lock = threading.Lock()
        build_site(texts, site, threshold)

    def _state(self) -> dict[str, int]:
        """The folders of the documents served (or of every folder in the corpus folder), with
        their modification times."""
        if self.ids is not None:
            return {doc: _mtime(self.folder / doc) for doc in self.ids}
        try:
            with os.scandir(self.folder) as entries:
                return {entry.name: entry.stat().st_mtime_ns for entry in entries if entry.is_dir()}
        except OSError:  # the corpus folder is gone
            return {}

    def refresh(self) -> None:
        """Write again the pages of documents changed since the last look, and the index;
        remove those of documents gone; a document that cannot be read, or a page that cannot
        be written, is named on stderr."""
        with self._lock:
            now = self._state()
            if now == self.seen:
                return
            docs = set(self.ids if self.ids is not None else doc_ids(self.folder))
            changed = sorted(name for name, time in now.items() if self.seen.get(name) != time and name in docs)
            for doc in [*changed, *(set(self.texts) - docs)]:
                self.texts.pop(doc, None)
            for doc in changed:
                try:
                    self.texts[doc] = load_current(self.folder, doc)
                except AlignerError as err:
                    log.warning("Skipped: %s", err)
            try:
                remove_withdrawn(self.site, set(self.texts))
                build_site([self.texts[doc] for doc in changed if doc in self.texts], self.site, self.threshold, listed=self.texts.values())
            except AlignerError as err:  # the temporary folder cannot be written: the pages as they were, tried again next time
                log.warning("The reader's pages were not brought up to date: %s", err)
                return
            self.seen = _settled(now)


_RACY_NS = 2_000_000_000  # a folder changed this recently may change again within the same clock tick


def _settled(state: dict[str, int]) -> dict[str, int]:
    """The folders' times as a look may trust them: one changed in the last `_RACY_NS` is marked
    unseen (-2), so the next look reads it again (a save landing in the same tick as the look
    leaves the time as it was: git's "racily clean" files)."""
    recent = time.time_ns() - _RACY_NS
    return {doc: -2 if stamp > recent else stamp for doc, stamp in state.items()}


def _mtime(folder: Path) -> int:
    """A folder's modification time (-1 when it is gone)."""
    try:
        return folder.stat().st_mtime_ns
    except OSError:
        return -1


class _Server(ThreadingHTTPServer):
    """The server on an IPv4 address (or a name), with the Host headers it answers, known once
    it is bound (port 0 becomes the free port picked), and the site it brings up to date."""

    hosts: Hosts
    live: LiveSite | None = None

    def server_bind(self) -> None:
        """Bind, then work out the Host headers of the address and port bound."""
        super().server_bind()
        host, port = self.server_address[:2]
        self.hosts = hosts_for(str(host), int(port))


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files from the site folder to requests whose Host names the server; requests go
    to the log, not to stderr."""

    server: _Server
    allowed = False  # the answer being sent is a 405, which names the methods allowed

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
        """The file a GET or HEAD asks for, a page brought up to date with the corpus first; a
        folder without an index.html is not found (no listing of the site's files); a path no
        file can have (`/%00`) is a bad request, not a traceback."""
        folder = Path(self.translate_path(self.path))
        if self.server.live is not None and not self.path.startswith("/static/"):
            self.server.live.refresh()
        if folder.is_dir() and not (folder / "index.html").is_file():
            self.send_error(HTTPStatus.NOT_FOUND, explain="the reader lists its documents in /index.html")
            return None
        try:
            return super().send_head()
        except ValueError:  # from opening the file: no response has been sent yet
            self.send_error(HTTPStatus.BAD_REQUEST, explain="the path holds a character no file name can")
            return None

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        """The file's media type; a text's with its charset (every page and script is UTF-8)."""
        kind = super().guess_type(path)
        return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind in _TEXTS else kind

    def refuse_method(self) -> None:
        """405 with the methods the site answers: it is read, never written."""
        self.allowed = True
        self.send_error(HTTPStatus.METHOD_NOT_ALLOWED, explain="the reader's site is only read: GET or HEAD")

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = refuse_method

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        log.info("%s " + format, self.address_string(), *args)

    def end_headers(self) -> None:
        """Every answer (errors too) forbids being shown in another site's frame; a 405 names
        the methods allowed."""
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Content-Security-Policy", "frame-ancestors 'none'")
        if self.allowed:
            self.send_header("Allow", "GET, HEAD")
            self.allowed = False
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


def make_server(site: Path, host: str = "127.0.0.1", port: int = 8000, live: LiveSite | None = None) -> ThreadingHTTPServer:
    """A server for the files under `site` (port 0 picks a free port), brought up to date by
    `live` before a page is sent, when given; call serve_forever on it."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    try:
        server = server_class(host)((host, port), handler)
    except OSError as err:
        raise AlignerError(f"{host}:{port}: cannot listen there ({err.strerror}); choose another with --port") from None
    server.live = live
    return server
