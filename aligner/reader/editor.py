"""`aligner serve --edit`: the editor in the browser, a small Starlette app over `aligner.edit`.

GET routes give the page and a document's rows as JSON; POST routes make one edit, undo or redo.
Safety: the app answers only for the host it was bound to (no DNS rebinding), every POST must
carry the per-server token from the page and an `Origin` of the server itself (no cross-site
requests), document ids go through `session.folder_of` (nothing outside the corpus), and an edit
made on an older version is refused with 409 so the page can offer to reload.

Speed: each open document stays in memory; an edit is answered once its journal record is on
disk, and a writer process per document (`python -m aligner.edit.files`) brings the TEI files
up to the journal in the background, several edits at a time.
"""

from __future__ import annotations

import gc
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
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from aligner.build import engine_signature
from aligner.corpus.model import Alignment, Document, Link, Paragraph, ParallelText, Sentence
from aligner.corpus.store import doc_ids
from aligner.corpus.triangle import positions
from aligner.edit import files, session
from aligner.edit.journal import trimmed
from aligner.edit.ops import LINK_OPS, SENTENCE_OPS, Result, link_edit, sentence_edit
from aligner.edit.pairs import EngineFor, derived_pairs, pair_links
from aligner.errors import AlignerError, EditError, OutputError, StaleError
from aligner.qa.run import run_qa
from aligner.reader.editor_page import editor_page, index_page
from aligner.reader.filters import LOW_CONFIDENCE
from aligner.reader.markup import serialize
from aligner.reader.site import static_bytes

TOKEN_HEADER = "x-aligner-token"


Flags = dict[frozenset[str], list[str]]  # QA findings by the sentences of their link


@dataclass
class Findings:
    """QA findings of one pair of one document, worked out in the background (a whole document's
    checks take seconds to minutes; the rows are shown at once and the findings join them)."""

    flags: Flags = field(default_factory=dict)
    ready: threading.Event = field(default_factory=threading.Event)


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
            done = subprocess.run([sys.executable, "-m", "aligner.edit.files", str(self.corpus / self.doc_id), self.doc_id], check=False)
            if done.returncode:
                print(f"aligner: writing {self.doc_id} failed (exit {done.returncode}); its edits stay in the journal", file=sys.stderr)
            if not self.wake.is_set():
                self.idle.set()


@dataclass
class Editor:
    """The server's state: the corpus, its token, and each open document (loaded once)."""

    corpus: Path
    engine_for: EngineFor
    allowed_hosts: set[str] | None  # None: bound to every address, any Host header is answered
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
                found.flags.update(findings_by_link(opened.text, pair))
                gc.freeze()  # what was just made lives as long as the document
                found.ready.set()

            threading.Thread(target=work, daemon=True, name=f"qa {key}").start()
        return self.findings[key]

    def document(self, doc_id: str) -> session.Opened:
        """The open document, loaded on first use (or again when its files changed on disk)."""
        opened = self.open.get(doc_id)
        if opened is None or session.current_version(self.corpus, doc_id) != opened.version:
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


def row_json(src: Index, tgt: Index, n: int, lk: Link, flags: Flags) -> dict[str, Any]:
    """One row for the page: its sentences (id, text) per side, confidence, who made it, QA findings."""
    return {
        "n": n, "type": lk.kind, "confidence": lk.confidence, "resp": lk.resp,
        "src": [[s, src[s].text] for s in lk.src], "tgt": [[t, tgt[t].text] for t in lk.tgt],
        "findings": flags.get(frozenset((*lk.src, *lk.tgt)), []),
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


def splice_payload(before: session.Opened, after: session.Opened, pair: tuple[str, str], done: str, known: Flags) -> dict[str, Any]:
    """What an edit changed in a pair's rows: replace `removed` rows from `start` with `rows`;
    the changed links are checked again (their findings go into `known`)."""
    old, new = pair_links(before.text, *pair), pair_links(after.text, *pair)
    start, old_end, new_end = trimmed(old, new)
    changed = new[start:new_end]
    flags = findings_by_link(after.text, pair, changed) if changed else {}
    known.update(flags)
    src, tgt = (sentences_of(after.text.versions[lang]) for lang in pair)
    return {"version": after.version, "done": done, "start": start, "removed": old_end - start,
            "rows": [row_json(src, tgt, start + k, lk, flags) for k, lk in enumerate(changed)]}


def _pair(text: ParallelText, value: str) -> tuple[str, str]:
    parts = tuple(v for v in value.split(",") if v)
    if len(parts) != 2 or not all(p in text.versions for p in parts):
        raise EditError(f"pair '{value}': give two of {', '.join(sorted(text.versions))}, e.g. en,zh-Hans")
    return parts[0], parts[1]


def _apply(editor: Editor, opened: session.Opened, body: dict[str, Any], pair: tuple[str, str]) -> Result:
    """The edit a request asks for, made on the open document (not saved yet)."""
    op = str(body.get("op", ""))
    if op in LINK_OPS:
        at = body.get("at", [0, 0])
        return link_edit(
            opened.text, pair, op, int(body.get("n", -1)), editor.engine_for,
            direction="up" if body.get("direction") == "up" else "down",
            side="src" if body.get("side") == "src" else "tgt",
            at=(int(at[0]), int(at[1])), which="first" if body.get("which") == "first" else "last",
        )  # fmt: skip
    if op in SENTENCE_OPS:
        sid = str(body.get("sid", ""))
        lang = next((lang for lang in pair if sid in sentences_of(opened.text.versions[lang])), pair[0])
        return sentence_edit(opened.text, lang, op, sid, editor.engine_for, at=int(body.get("offset", 0)), new_text=str(body.get("text", "")))
    raise EditError(f"unknown operation '{op}'; choose one of {', '.join(LINK_OPS + SENTENCE_OPS)}")


def _refusal(editor: Editor, request: Request, mutating: bool) -> Response | None:
    """403 for a request from another site or without the token; 400 for a foreign Host header."""
    host = request.headers.get("host", "")
    if editor.allowed_hosts is not None and host not in editor.allowed_hosts:
        return JSONResponse({"error": f"host '{host}' is not this server"}, status_code=400)
    if mutating:
        origin = request.headers.get("origin")
        if origin != f"http://{host}":
            return JSONResponse({"error": "cross-site request refused: the Origin is not this server"}, status_code=403)
        if not secrets.compare_digest(request.headers.get(TOKEN_HEADER, ""), editor.token):
            return JSONResponse({"error": "missing or wrong token; reload the page"}, status_code=403)
    return None


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


def make_app(corpus: Path, engine_for: EngineFor, hosts: set[str] | None, who: str = "editor") -> tuple[Starlette, Editor]:
    """The editor app for a corpus; `hosts` are the Host headers it answers (host:port)."""
    editor = Editor(corpus, engine_for, hosts, who)

    def guarded(handler: Callable[[Request], Response], mutating: bool) -> Handler:
        async def endpoint(request: Request) -> Response:
            refused = _refusal(editor, request, mutating)
            if refused is not None:
                return refused
            body = await request.json() if mutating else {}
            if mutating and not isinstance(body, dict):
                return JSONResponse({"error": "expected a JSON object"}, status_code=400)
            request.state.body = body
            started = time.perf_counter()
            response = _answer(editor, handler, request)
            response.headers["server-timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"  # what an edit costs here
            return response
        return endpoint

    def index(request: Request) -> Response:
        return HTMLResponse(serialize(index_page(doc_ids(editor.corpus))))

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
        rows = [[n, found.flags[key]] for n, lk in enumerate(pair_links(opened.text, *pair)) if (key := frozenset((*lk.src, *lk.tgt))) in found.flags]
        return JSONResponse({"ready": True, "version": opened.version, "rows": rows})

    def edit(request: Request) -> Response:
        body = request.state.body
        opened = editor.document(request.path_params["doc_id"])
        pair = _pair(opened.text, str(body.get("pair", "")))
        expected = str(body.get("version", ""))
        if expected != opened.version:
            raise StaleError(f"{opened.text.doc_id}: the document changed since version {expected} (now {opened.version}), in another tab or by another editor; reload it and make the edit again")
        op = body.get("op")
        if op in ("undo", "redo"):
            after, done = (session.undo if op == "undo" else session.redo)(opened, editor.who, expected, write_behind=True)
        else:
            result = _apply(editor, opened, body, pair)
            after, done = session.commit(opened, result, editor.who, expected, write_behind=True), result.what
        editor.open[opened.text.doc_id] = after
        if after is not opened:
            editor.written(opened.text.doc_id)
            gc.freeze()  # the new state lives on: no collector walk over it (or the document) at the next edits
        return JSONResponse(splice_payload(opened, after, pair, done, editor.findings_of(after, pair).flags))

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
        Route("/api/edit/{doc_id:path}", guarded(edit, True), methods=["POST"]),
    ]
    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        editor.write_all()  # a stopping server leaves files that hold every edit

    return Starlette(routes=routes, lifespan=lifespan), editor


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


def hosts_for(host: str, port: int) -> set[str] | None:
    """The Host headers a browser sends to this server; None when it listens on every address
    (`--host 0.0.0.0`): then the token and the Origin check alone keep other sites out."""
    if host in ("0.0.0.0", "::"):
        return None
    names = {host, "localhost", "127.0.0.1"} if host in ("127.0.0.1", "localhost") else {host}
    return {f"{name}:{port}" for name in names}


def serve_editor(corpus: Path, sock: socket.socket, engine_for: EngineFor, who: str) -> None:
    """Run the editor on a bound socket until interrupted."""
    import uvicorn

    host, port = sock.getsockname()[:2]
    app, _editor = make_app(corpus, engine_for, hosts_for(host, port), who)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    server.run(sockets=[sock])
