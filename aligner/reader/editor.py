"""`aligner serve --edit`: the editor in the browser, a small Starlette app over `aligner.edit`.

GET routes give the page and a document's rows as JSON; POST routes make one edit, undo or redo.
Safety: the app answers only Host headers that name this server (`Hosts`: no DNS rebinding), no
response may be shown in another site's frame (no clickjacking), every POST must carry the
per-server token from the page and an `Origin` of the server itself (no cross-site requests) and
a JSON object of at most `BODY_LIMIT` bytes whose fields have their types (anything else is a
one-line 400, never a traceback), document ids go through `session.folder_of` (nothing outside
the corpus), and an edit made on an older version is refused with 409 so the page can offer to
reload.

Speed: each open document stays in memory; an edit is answered once its journal record is on
disk, and a writer process per document (`python -m aligner.edit.files`) brings the TEI files
up to the journal in the background, several edits at a time. What every first edit would wait
for is loaded as the server starts (`warm_process`). A page asks `/api/version` every few
seconds, so a tab that only reads learns that the document changed elsewhere.
"""

from __future__ import annotations

import gc
import hmac
import json
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aligner.build import engine_signature
from aligner.corpus.model import (
    DOC_ID,
    Alignment,
    Document,
    Link,
    Paragraph,
    ParallelText,
    Sentence,
)
from aligner.corpus.store import doc_ids
from aligner.corpus.triangle import positions
from aligner.edit import files, session
from aligner.edit.links import Links
from aligner.edit.ops import LINK_OPS, SENTENCE_OPS, Result, changed_span, link_edit, sentence_edit
from aligner.edit.pairs import EngineFor, derived_pairs, pair_links
from aligner.errors import AlignerError, EditError, OutputError, StaleError
from aligner.qa.cedict import lexicon
from aligner.qa.registry import all_checks
from aligner.qa.run import run_qa
from aligner.reader.editor_page import editor_page, index_page
from aligner.reader.filters import LOW_CONFIDENCE
from aligner.reader.hosts import REFUSED, Hosts, hosts_for, refusal
from aligner.reader.markup import serialize
from aligner.reader.site import static_bytes

TOKEN_HEADER = "x-aligner-token"
BODY_LIMIT = 1 << 20  # bytes: an edit's JSON is a few hundred; a larger body is refused (413) unread
NO_FRAMES = {"x-frame-options": "DENY", "content-security-policy": "frame-ancestors 'none'"}  # single keys edit: no clickjacking


class Guard:
    """ASGI middleware around the whole app: a request whose Host does not name this server gets
    `REFUSED` before anything else, and every response (errors too) forbids being framed."""

    def __init__(self, app: ASGIApp, hosts: Hosts) -> None:
        self.app, self.hosts = app, hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with the frame headers added to its answer, or refuse a foreign Host."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_frame_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(NO_FRAMES)
            await send(message)

        host = Headers(scope=scope).get("host", "")
        if not self.hosts.allows(host):
            await JSONResponse({"error": refusal(host)}, status_code=REFUSED)(scope, receive, with_frame_headers)
            return
        await self.app(scope, receive, with_frame_headers)


Flags = dict[frozenset[str], list[str]]  # QA findings by the sentences of their link


def link_key(lk: Link) -> frozenset[str]:
    """The key of a link's findings in `Flags`: the sentences it links."""
    return frozenset((*lk.src, *lk.tgt))


@dataclass
class Findings:
    """QA findings of one pair of one document, worked out in the background (a whole document's
    checks take seconds to minutes; the rows are shown at once and the findings join them).
    Edits made meanwhile check their rows again: `checked` keeps the version those findings were
    worked out on, so the whole pass, worked out on an older one, does not overwrite them."""

    flags: Flags = field(default_factory=dict)
    checked: dict[frozenset[str], str] = field(default_factory=dict)  # link key: the version an edit's recheck of it was on
    ready: threading.Event = field(default_factory=threading.Event)

    def mark(self, links: Links, version: str) -> None:
        """Note that the findings of `links` in `flags` are those of document version `version`."""
        self.checked.update(dict.fromkeys(map(link_key, links), version))

    def first_pass(self, flags: Flags, version: str) -> None:
        """Take the whole pass's findings, worked out on `version`, and say they are ready; a link
        an edit has checked again on another version (a later one: the pass came first) keeps its own."""
        self.flags.update((key, found) for key, found in flags.items() if self.checked.get(key, version) == version)
        self.ready.set()


QUIET = 1.0  # seconds without an edit before the writer starts (it takes a core for a while)
PATIENCE = 10.0  # seconds of a burst of edits after which it starts anyway


@dataclass
class Writer:
    """A document's background writer: one `files.flush` process at a time, once a burst of edits
    has ended (all of them written at once), started again while edits keep coming."""

    corpus: Path
    doc_id: str
    wake: threading.Event = field(default_factory=threading.Event)
    idle: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        """Run the writer's loop in a daemon thread."""
        self.idle.set()
        threading.Thread(target=self._loop, daemon=True, name=f"writer {self.doc_id}").start()

    def kick(self) -> None:
        """Ask for the files to be brought up to the journal."""
        self.idle.clear()
        self.wake.set()

    def _loop(self) -> None:
        while True:
            self.wake.wait()
            self.wake.clear()
            started = time.monotonic()
            while self.wake.wait(QUIET) and time.monotonic() - started < PATIENCE:  # let a burst of edits end
                self.wake.clear()
            try:
                code = subprocess.run([sys.executable, "-m", "aligner.edit.files", str(self.corpus / self.doc_id), self.doc_id], check=False).returncode
                why = f"exit {code}"
            except OSError as err:  # no process to start (memory, process limits): the next edit tries again
                code, why = 1, f"cannot start its process: {err.strerror or err}"
            if code:
                print(f"aligner: writing {self.doc_id} failed ({why}); its edits stay in the journal", file=sys.stderr)
            if not self.wake.is_set():
                self.idle.set()


@dataclass
class Editor:
    """The server's state: the corpus, its token, and each open document (loaded once)."""

    corpus: Path
    engine_for: EngineFor
    who: str = "editor"
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    open: dict[str, session.Opened] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    findings: dict[tuple[str, str, str], Findings] = field(default_factory=dict)
    writers: dict[str, Writer] = field(default_factory=dict)

    def written(self, doc_id: str) -> None:
        """Have the document's TEI files brought up to its journal, in the background."""
        if doc_id not in self.writers:
            self.writers[doc_id] = Writer(self.corpus, doc_id)
            self.writers[doc_id].start()
        self.writers[doc_id].kick()

    def write_all(self) -> None:
        """Write every document's pending edits now, in this process (the server is stopping):
        once it has stopped, `show`, `export` and `qa` read files that hold every edit."""
        for doc_id in list(self.writers):
            files.flush(self.corpus / doc_id, doc_id)

    def settle(self, timeout: float = 60.0) -> bool:
        """Wait until every writer is idle (the files hold every edit); False on timeout."""
        return all(w.idle.wait(timeout) for w in list(self.writers.values()))

    def findings_of(self, opened: session.Opened, pair: tuple[str, str]) -> Findings:
        """The pair's findings, started in a background thread the first time they are asked for."""
        key = (opened.text.doc_id, *pair)
        if key not in self.findings:
            found = self.findings[key] = Findings()

            def work() -> None:
                warm(opened.text)
                flags = findings_by_link(opened.text, pair)
                gc.freeze()  # what was just made lives as long as the document
                with self.lock:  # no edit's findings are put in between the version check and the write
                    found.first_pass(flags, opened.version)

            threading.Thread(target=work, daemon=True, name=f"qa {key}").start()
        return self.findings[key]

    def recheck(self, before: session.Opened, after: session.Opened, shown: tuple[str, str]) -> None:
        """Check again the rows an edit changed in the document's other pairs whose findings are
        kept (the page's pair is checked with its answer), so a pair chosen later shows no stale
        ones; in every pair, mark those rows' findings as of the edit's version (`Findings.mark`)."""
        for (doc_id, a, b), found in list(self.findings.items()):
            if doc_id == after.text.doc_id:
                start, _, end = changed_span(before.text, after.text, (a, b))
                changed = pair_links(after.text, a, b)[start:end]
                if (a, b) != shown:
                    rechecked(after.text, (a, b), changed, found.flags)
                found.mark(changed, after.version)

    def document(self, doc_id: str) -> session.Opened:
        """The open document, loaded on first use (or again, with its findings worked out again,
        when its files changed on disk)."""
        opened = self.open.get(doc_id)
        if opened is None or session.current_version(self.corpus, doc_id) != opened.version:
            if opened is not None:  # changed on disk (`aligner edit`): its findings are of the old text
                for key in [key for key in self.findings if key[0] == doc_id]:
                    del self.findings[key]
            opened = self.open[doc_id] = session.open_document(self.corpus, doc_id)
            gc.freeze()  # a loaded document lives long: keep the collector from walking its objects at every edit
            if opened.pending:  # edits a kill left in the journal only
                self.written(doc_id)
        return opened


Index = dict[str, Sentence]
_INDEXES: dict[int, tuple[Document, Index]] = {}


def sentences_of(doc: Document) -> Index:
    """A version's sentences by id, kept for the last few versions (most edits leave them as
    they were, and a 30k-sentence index takes a moment to make)."""
    hit = _INDEXES.get(id(doc))
    if hit is None or hit[0] is not doc:
        hit = _INDEXES[id(doc)] = (doc, doc.sentence_index())
        while len(_INDEXES) > 24:
            del _INDEXES[next(iter(_INDEXES))]
    return hit[1]


def warm(text: ParallelText) -> None:
    """Make what the first edit would otherwise wait for: the versions' sentence positions and
    indexes, each pair's rows seen from either side (a sentence edit reads them all), and the
    engine's description for each derived pair (its import takes a moment)."""
    for doc in text.versions.values():
        positions(doc)
        sentences_of(doc)
    for al in text.alignments:
        pair_links(text, al.src_lang, al.tgt_lang)
        pair_links(text, al.tgt_lang, al.src_lang)
    for a, _pivot, c in derived_pairs(text):
        engine_signature(a, c)


def warm_process() -> None:
    """Load what the first edit after the server starts would otherwise wait 1–2 s for (more while
    a page's first QA pass runs beside it): the engine's module, imported to describe a derived
    pair, and the QA checks with CC-CEDICT's tables, read to check the edited rows again."""
    engine_signature("en", "zh-Hans")
    all_checks()
    lexicon()


def row_json(src: Index, tgt: Index, n: int, lk: Link, flags: Flags) -> dict[str, Any]:
    """One row for the page: its sentences (id, text) per side, confidence, who made it, QA findings."""
    return {
        "n": n, "type": lk.kind, "confidence": lk.confidence, "resp": lk.resp,
        "src": [[s, src[s].text] for s in lk.src], "tgt": [[t, tgt[t].text] for t in lk.tgt],
        "findings": flags.get(link_key(lk), []),
    }


def findings_by_link(text: ParallelText, pair: tuple[str, str], links: tuple[Link, ...] | None = None) -> Flags:
    """QA findings of the pair (as `aligner qa` reports them) by the sentences of their link;
    `links` limits the checks to those links (after an edit), and the versions to their
    sentences (the checks read only a link's texts and the versions' regions)."""
    if links is not None:
        versions = {lang: replace(text.versions[lang], paragraphs=(Paragraph(f"{lang}.edited", tuple(
            sentences_of(text.versions[lang])[x] for lk in links for x in (lk.src if lang == pair[0] else lk.tgt))),)) for lang in pair}
        text = replace(text, versions=versions, alignments=(Alignment(pair[0], pair[1], links),))
    out: dict[frozenset[str], list[str]] = {}
    for f in run_qa([text]):
        if {f.src_lang, f.tgt_lang} == set(pair):
            out.setdefault(frozenset((*f.src_ids, *f.tgt_ids)), []).append(f"{f.severity} {f.check}: {f.reason}")
    return out


def rows_payload(opened: session.Opened, pair: tuple[str, str], flags: Flags) -> dict[str, Any]:
    """Every row of a pair with the document's version, and the findings known so far."""
    links = pair_links(opened.text, *pair)
    src, tgt = (sentences_of(opened.text.versions[lang]) for lang in pair)
    rows = [row_json(src, tgt, n, lk, flags) for n, lk in enumerate(links)]
    pairs = [list(al.pair) for al in opened.text.alignments]
    return {"doc_id": opened.text.doc_id, "version": opened.version, "pair": list(pair), "pairs": pairs,
            "low": LOW_CONFIDENCE, "rows": rows}


def rechecked(text: ParallelText, pair: tuple[str, str], links: Links, known: Flags) -> Flags:
    """The QA findings of links an edit changed, put into `known` in place of what it held for
    them (a link whose findings went away loses them), so `/api/findings` tells no stale ones."""
    flags = findings_by_link(text, pair, links) if links else {}
    for key in map(link_key, links):
        if key in flags:
            known[key] = flags[key]
        else:
            known.pop(key, None)
    return flags


def splice_payload(before: session.Opened, after: session.Opened, pair: tuple[str, str], done: str, known: Flags) -> dict[str, Any]:
    """What an edit changed in a pair's rows: replace `removed` rows from `start` with `rows`
    (`changed_span`); those rows are checked again (their findings go into `known`)."""
    start, old_end, new_end = changed_span(before.text, after.text, pair)
    changed = pair_links(after.text, *pair)[start:new_end]
    flags = rechecked(after.text, pair, changed, known)
    src, tgt = (sentences_of(after.text.versions[lang]) for lang in pair)
    return {"version": after.version, "done": done, "start": start, "removed": old_end - start,
            "rows": [row_json(src, tgt, start + k, lk, flags) for k, lk in enumerate(changed)]}


def _pair(text: ParallelText, value: str) -> tuple[str, str]:
    parts = tuple(v for v in value.split(",") if v)
    if len(parts) != 2 or not all(p in text.versions for p in parts):
        raise EditError(f"pair '{value}': give two of {', '.join(sorted(text.versions))}, e.g. en,zh-Hans")
    return parts[0], parts[1]


def _shown(value: object) -> str:
    """A JSON value in an error message: a scalar as written, a container by its kind."""
    if isinstance(value, list | dict):
        return "an array" if isinstance(value, list) else "an object"
    return json.dumps(value)[:40]


def _string(body: dict[str, Any], name: str, default: str = "") -> str:
    """Field `name` of an edit's body, which must be a string (stored as text, never str() of something else)."""
    value = body.get(name, default)
    if not isinstance(value, str):
        raise EditError(f"'{name}' must be a string, not {_shown(value)}")
    return value


def _is_integer(value: object) -> bool:
    """Whether a JSON value is an integer (true and false are not, nor 1.5)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _integer(body: dict[str, Any], name: str, default: int) -> int:
    """Field `name` of an edit's body, which must be an integer."""
    value = body.get(name, default)
    if not _is_integer(value):
        raise EditError(f"'{name}' must be an integer, not {_shown(value)}")
    return int(value)


def _cut(body: dict[str, Any]) -> tuple[int, int]:
    """Field `at` of a split: [I, J], the source and target sentences the first part keeps."""
    value = body.get("at", [0, 0])
    if not (isinstance(value, list) and len(value) == 2 and all(_is_integer(v) for v in value)):
        raise EditError(f"'at' must be two integers [I, J] (the sentences the first part keeps), not {_shown(value)}")
    return value[0], value[1]


def _apply(editor: Editor, opened: session.Opened, body: dict[str, Any], pair: tuple[str, str]) -> Result:
    """The edit a request asks for, made on the open document (not saved yet)."""
    op = _string(body, "op")
    if op in LINK_OPS:
        return link_edit(
            opened.text, pair, op, _integer(body, "n", -1), editor.engine_for,
            direction="up" if _string(body, "direction", "down") == "up" else "down",
            side="src" if _string(body, "side", "tgt") == "src" else "tgt",
            at=_cut(body), which="first" if _string(body, "which", "last") == "first" else "last",
        )  # fmt: skip
    if op in SENTENCE_OPS:
        sid = _string(body, "sid")
        lang = next((lang for lang in pair if sid in sentences_of(opened.text.versions[lang])), pair[0])
        return sentence_edit(opened.text, lang, op, sid, editor.engine_for, at=_integer(body, "offset", 0), new_text=_string(body, "text"))
    raise EditError(f"unknown operation '{op}'; choose one of {', '.join(LINK_OPS + SENTENCE_OPS)}")


class Refusal(Exception):
    """A request refused before it reaches a document: its HTTP status and a one-line message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status

    def response(self) -> JSONResponse:
        """The refusal as the page reads every error: JSON with one line under "error"."""
        return JSONResponse({"error": str(self)}, status_code=self.status)


def check_sender(editor: Editor, request: Request) -> None:
    """Refuse (403) a POST from another site or without the token. The token is compared as bytes
    (the header's bytes as sent), so a header that is not ASCII is a wrong token, not an error."""
    if request.headers.get("origin") != f"http://{request.headers.get('host', '')}":
        raise Refusal(403, "cross-site request refused: the Origin is not this server")
    if not hmac.compare_digest(request.headers.get(TOKEN_HEADER, "").encode("latin-1"), editor.token.encode("ascii")):
        raise Refusal(403, "missing or wrong token; reload the page")


async def body_bytes(request: Request) -> bytes:
    """The request's body, refused (413) beyond `BODY_LIMIT`: on its declared length before a
    byte is read, else as soon as the bytes read pass it (a body sent without a length)."""
    declared = request.headers.get("content-length", "")
    too_large = Refusal(413, f"the request body is larger than {BODY_LIMIT} bytes")
    if declared.isdigit() and int(declared) > BODY_LIMIT:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > BODY_LIMIT:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _no_constant(name: str) -> Any:
    """json's hook for NaN and Infinity, which are not JSON: refuse them."""
    raise ValueError(f"{name} is not a JSON value")


def json_object(raw: bytes) -> dict[str, Any]:
    """An edit's body: one JSON object in UTF-8; anything else (a form, broken or too deeply nested
    JSON, NaN) is refused with 400."""
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise Refusal(400, "the request body is not UTF-8 text") from None
    except (ValueError, RecursionError) as err:
        raise Refusal(400, f"the request body is not JSON ({str(err).splitlines()[0]})") from None
    if not isinstance(body, dict):
        raise Refusal(400, "expected a JSON object")
    return body


Handler = Callable[[Request], Awaitable[Response]]


def _answer(editor: Editor, handler: Callable[[Request], Response], request: Request) -> Response:
    """The handler's response, one request at a time; a stale version is 409, other user errors 404 or 400."""
    try:
        with editor.lock:
            return handler(request)
    except StaleError as err:
        return JSONResponse({"error": str(err), "stale": True}, status_code=409)
    except OutputError as err:  # the server's disk, not the request
        return JSONResponse({"error": str(err)}, status_code=500)
    except AlignerError as err:
        return JSONResponse({"error": str(err)}, status_code=404 if "no such document" in str(err) or "is not a document id" in str(err) else 400)


def make_app(corpus: Path, engine_for: EngineFor, hosts: Hosts, who: str = "editor") -> tuple[ASGIApp, Editor]:
    """The editor app for a corpus, behind its `Guard`; `hosts` are the Host headers it answers."""
    editor = Editor(corpus, engine_for, who)

    def guarded(handler: Callable[[Request], Response], mutating: bool) -> Handler:
        async def endpoint(request: Request) -> Response:
            try:
                if mutating:
                    check_sender(editor, request)
                request.state.body = json_object(await body_bytes(request)) if mutating else {}
            except Refusal as refusal:
                return refusal.response()
            started = time.perf_counter()
            response = _answer(editor, handler, request)
            response.headers["server-timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"  # what an edit costs here
            return response
        return endpoint

    def index(request: Request) -> Response:
        return HTMLResponse(serialize(index_page(documents(editor.corpus))))

    def page(request: Request) -> Response:
        opened = editor.document(request.path_params["doc_id"])
        return HTMLResponse(serialize(editor_page(opened.text, editor.token)))

    def rows(request: Request) -> Response:
        opened = editor.document(request.path_params["doc_id"])
        pair = _pair(opened.text, request.query_params.get("pair", "en,zh-Hans"))
        found = editor.findings_of(opened, pair)
        return JSONResponse({**rows_payload(opened, pair, found.flags), "findings_ready": found.ready.is_set()})

    def findings(request: Request) -> Response:
        opened = editor.document(request.path_params["doc_id"])
        pair = _pair(opened.text, request.query_params.get("pair", "en,zh-Hans"))
        found = editor.findings_of(opened, pair)
        if not found.ready.is_set():
            return JSONResponse({"ready": False})
        rows = [[n, found.flags[key]] for n, lk in enumerate(pair_links(opened.text, *pair)) if (key := link_key(lk)) in found.flags]
        return JSONResponse({"ready": True, "version": opened.version, "rows": rows})

    def edit(request: Request) -> Response:
        body = request.state.body
        opened = editor.document(request.path_params["doc_id"])
        pair = _pair(opened.text, _string(body, "pair"))
        expected = _string(body, "version")
        if expected != opened.version:
            raise StaleError(f"{opened.text.doc_id}: the document changed since version {expected} (now {opened.version}), in another tab or by another editor; reload it and make the edit again")
        op = _string(body, "op")
        if op in ("undo", "redo"):
            after, done = (session.undo if op == "undo" else session.redo)(opened, editor.who, expected, write_behind=True)
        else:
            result = _apply(editor, opened, body, pair)
            after, done = session.commit(opened, result, editor.who, expected, write_behind=True), result.what
        editor.open[opened.text.doc_id] = after
        if after is opened:  # nothing to save: no undo step either, so `u` undoes the edit before
            return JSONResponse({**splice_payload(opened, after, pair, f"{done} — nothing changed, so no undo step was made", {}), "changed": False})
        editor.written(opened.text.doc_id)
        gc.freeze()  # the new state lives on: no collector walk over it (or the document) at the next edits
        answer = splice_payload(opened, after, pair, done, editor.findings_of(after, pair).flags)
        editor.recheck(opened, after, pair)
        return JSONResponse({**answer, "changed": True})

    def current(request: Request) -> Response:
        return JSONResponse({"version": editor.document(request.path_params["doc_id"]).version})

    def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ("reader.css", "editor.css", "editor.js"):
            return Response(status_code=404)
        media = "text/css" if name.endswith(".css") else "text/javascript"
        return Response(static_bytes(name), media_type=media)

    routes = [
        Route("/", guarded(index, False)),
        Route("/static/{name}", guarded(static, False)),
        Route("/edit/{doc_id:path}", guarded(page, False)),
        Route("/api/rows/{doc_id:path}", guarded(rows, False)),
        Route("/api/findings/{doc_id:path}", guarded(findings, False)),
        Route("/api/version/{doc_id:path}", guarded(current, False)),
        Route("/api/edit/{doc_id:path}", guarded(edit, True), methods=["POST"]),
    ]
    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        threading.Thread(target=warm_process, daemon=True, name="warm").start()  # the page is served meanwhile
        yield
        editor.write_all()  # a stopping server leaves files that hold every edit

    return Guard(Starlette(routes=routes, lifespan=lifespan), hosts), editor


def listen(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free one); a clear error when the address is taken."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # inherited by connections: no 40 ms wait for a delayed ACK between a response's parts
    try:
        sock.bind((host, port))
        sock.listen(128)  # connections wait from now on, before the server takes them
    except OSError as err:
        sock.close()
        raise AlignerError(f"{host}:{port}: cannot listen there ({err.strerror}); choose another with --port") from None
    return sock


def documents(corpus: Path) -> list[str]:
    """The documents the editor lists: folders of the corpus named by a document id, not symlinks
    (`session.folder_of` refuses those, so a listed symlink would only lead to a 404)."""
    return [doc_id for doc_id in doc_ids(corpus) if DOC_ID.fullmatch(doc_id) and not (corpus / doc_id).is_symlink()]


def serve_editor(corpus: Path, sock: socket.socket, engine_for: EngineFor, who: str) -> None:
    """Run the editor on a bound socket until interrupted."""
    import uvicorn

    host, port = sock.getsockname()[:2]
    app, _editor = make_app(corpus, engine_for, hosts_for(host, port), who)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    server.run(sockets=[sock])
