"""The editor's web API (Starlette's test client): edits land in the TEI, and nobody else gets in:
cross-site and token-less POSTs refused, a Host that is not this server's name refused (DNS
rebinding), no page in another site's frame, document ids that would leave the corpus refused, a
stale version answered with 409, a malformed request a one-line 400 that writes nothing. Also the
read-only server (`aligner serve` without --edit): Host check, frame headers, IPv6, SIGTERM; and QA
findings a first pass worked out on an older version never overwriting an edited row's."""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from edit_fixtures import engine_for, three_versions
from starlette.testclient import TestClient

from aligner.corpus.model import Link, ParallelText
from aligner.corpus.store import load, save
from aligner.edit.pairs import pair_links
from aligner.reader.editor import Editor, make_app
from aligner.reader.hosts import hosts_for

HOST = "127.0.0.1:8123"


@pytest.fixture
def served(tmp_path: Path) -> tuple[TestClient, Editor, Path]:
    corpus = tmp_path / "corpus"
    save(corpus, three_versions())
    app, editor = make_app(corpus, engine_for, hosts_for("127.0.0.1", 8123), "tester")
    return TestClient(app, base_url=f"http://{HOST}"), editor, corpus


def post(client: TestClient, editor: Editor, body: dict[str, object], doc: str = "doc", **headers: str) -> tuple[int, dict[str, object]]:
    sent = {"origin": f"http://{HOST}", "x-aligner-token": editor.token, **headers}
    response = client.post(f"/api/edit/{doc}", json=body, headers={k: v for k, v in sent.items() if v})
    is_json = response.headers.get("content-type", "").startswith("application/json")
    return response.status_code, response.json() if is_json else {}


def stored(editor: Editor, corpus: Path) -> ParallelText:
    """The document as its TEI files hold it once the background writer is done."""
    assert editor.settle()
    return load(corpus, "doc")


def version(client: TestClient) -> str:
    return str(client.get("/api/rows/doc?pair=en,zh-Hans").json()["version"])


def test_rows_an_edit_and_its_splice(served: tuple[TestClient, Editor, Path]) -> None:
    client, editor, corpus = served
    rows = client.get("/api/rows/doc?pair=en,zh-Hans").json()
    assert len(rows["rows"]) == 6 and rows["rows"][3]["src"] == [["en.p2.s1", "Four <b>bold</b>."]]
    status, answer = post(client, editor, {"op": "merge", "n": 1, "pair": "en,zh-Hans", "version": rows["version"]})
    assert status == 200, answer
    assert (answer["start"], answer["removed"], len(answer["rows"])) == (1, 2, 1)  # type: ignore[arg-type]
    assert pair_links(stored(editor, corpus), "en", "zh-Hans")[1].src == ("en.p1.s2", "en.p1.s3")
    status, answer = post(client, editor, {"op": "undo", "pair": "en,zh-Hans", "version": answer["version"]})
    assert status == 200 and answer["done"] == "undid: en–zh-Hans: merged link 1 with the link below: now [en.p1.s2 en.p1.s3 | zh-Hans.p1.s2 zh-Hans.p1.s3]"
    assert len(pair_links(stored(editor, corpus), "en", "zh-Hans")) == 6


@pytest.mark.parametrize(("headers", "status"), [
    ({"origin": "http://evil.example"}, 403),
    ({"origin": ""}, 403),
    ({"origin": "null"}, 403),
    ({"x-aligner-token": ""}, 403),
    ({"x-aligner-token": "guess"}, 403),
    ({"host": "evil.example:8123"}, 400),
])
def test_cross_site_or_tokenless_posts_are_refused_and_write_nothing(served: tuple[TestClient, Editor, Path], headers: dict[str, str], status: int) -> None:
    client, editor, corpus = served
    before = (corpus / "doc" / "align.xml").read_bytes()
    code, _ = post(client, editor, {"op": "confirm", "n": 0, "pair": "en,zh-Hans", "version": version(client)}, **headers)
    assert code == status
    assert (corpus / "doc" / "align.xml").read_bytes() == before


@pytest.mark.parametrize("doc", ["..%2F..%2Fetc", "%2Fetc%2Fpasswd", "..", "%2e%2e", "doc%2F..%2F..%2Fx", "link", "doc%00"])
def test_doc_ids_that_leave_the_corpus_are_refused(served: tuple[TestClient, Editor, Path], tmp_path: Path, doc: str) -> None:
    client, editor, corpus = served
    outside = tmp_path / "outside"
    save(outside, three_versions())
    if not (corpus / "link").exists():
        os.symlink(outside / "doc", corpus / "link")
    assert client.get(f"/api/rows/{doc}").status_code in (400, 404)
    page = client.get(f"/edit/{doc}")  # the client turns /edit/.. into /, the index
    assert page.status_code in (400, 404) or 'name="aligner-token"' not in page.text
    code, _ = post(client, editor, {"op": "confirm", "n": 0, "pair": "en,zh-Hans", "version": "x"}, doc=doc)
    assert code in (400, 404, 405)
    assert load(outside, "doc") == three_versions()


def test_a_stale_version_gets_409_and_nothing_is_written(served: tuple[TestClient, Editor, Path]) -> None:
    client, editor, corpus = served
    old = version(client)
    assert post(client, editor, {"op": "confirm", "n": 0, "pair": "en,zh-Hans", "version": old})[0] == 200
    assert editor.settle()
    before = (corpus / "doc" / "align.xml").read_bytes()
    status, answer = post(client, editor, {"op": "confirm", "n": 1, "pair": "en,zh-Hans", "version": old})
    assert status == 409 and answer["stale"] is True and "reload it" in str(answer["error"])
    assert editor.settle() and (corpus / "doc" / "align.xml").read_bytes() == before


def test_an_edit_from_the_command_line_makes_the_page_stale(served: tuple[TestClient, Editor, Path]) -> None:
    from click.testing import CliRunner

    from aligner.cli import main

    client, editor, corpus = served
    old = version(client)
    assert CliRunner().invoke(main, ["edit", "doc", "--corpus", str(corpus), "confirm", "2"]).exit_code == 0
    assert post(client, editor, {"op": "confirm", "n": 1, "pair": "en,zh-Hans", "version": old})[0] == 409
    assert version(client) != old


def test_errors_are_400_with_one_line(served: tuple[TestClient, Editor, Path]) -> None:
    client, editor, _ = served
    status, answer = post(client, editor, {"op": "merge", "n": 5, "pair": "en,zh-Hans", "version": version(client)})
    assert (status, answer["error"]) == (400, "link 5 is the last link: there is none below it")


def test_a_disk_that_refuses_the_edit_is_500_with_one_line(served: tuple[TestClient, Editor, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from aligner.edit import files
    from aligner.errors import OutputError

    def full(path: Path, *args: object, **kwargs: object) -> bool:
        raise OutputError(28, f"{path}: cannot write (No space left on device); free some disk space or write elsewhere")

    client, editor, _ = served
    monkeypatch.setattr(files, "write_atomic", full)
    status, answer = post(client, editor, {"op": "confirm", "n": 0, "pair": "en,zh-Hans", "version": version(client)})
    assert status == 500 and str(answer["error"]).endswith(": cannot write (No space left on device); free some disk space or write elsewhere")


def test_an_edit_says_its_server_time_and_answers_without_waiting_for_an_ack(served: tuple[TestClient, Editor, Path]) -> None:
    import socket

    from aligner.reader.editor import listen

    client, editor, _ = served
    response = client.post("/api/edit/doc", json={"op": "confirm", "n": 0, "pair": "en,zh-Hans", "version": version(client)},
                           headers={"origin": f"http://{HOST}", "x-aligner-token": editor.token})
    assert response.status_code == 200 and float(response.headers["server-timing"].removeprefix("app;dur=")) > 0
    sock = listen("127.0.0.1", 0)
    assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)  # else each answer waits ~40 ms for a delayed ACK
    sock.close()


def test_edits_a_dead_server_left_in_the_journal_are_shown_and_written(served: tuple[TestClient, Editor, Path]) -> None:
    from edit_fixtures import written

    from aligner.edit import session
    from aligner.edit.ops import link_edit

    _, _, corpus = served
    opened = session.open_document(corpus, "doc")
    session.commit(opened, link_edit(opened.text, ("en", "zh-Hans"), "merge", 0, engine_for), "tester", write_behind=True)
    assert len(pair_links(load(corpus, "doc"), "en", "zh-Hans")) == 6  # the files do not have it yet
    app, editor = make_app(corpus, engine_for, hosts_for("127.0.0.1", 8123), "tester")  # a server started again
    client = TestClient(app, base_url=f"http://{HOST}")
    assert len(client.get("/api/rows/doc?pair=en,zh-Hans").json()["rows"]) == 5
    assert editor.settle() and len(pair_links(written(corpus), "en", "zh-Hans")) == 5


def test_serve_edit_starts_the_editor_on_localhost(tmp_path: Path) -> None:
    import re
    import subprocess
    import sys
    import urllib.request

    save(tmp_path, three_versions())
    proc = subprocess.Popen([sys.executable, "-c", "from aligner.cli import main; main()", "serve", str(tmp_path), "--edit", "--port", "0"],
                            stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        url = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert url, line
        with urllib.request.urlopen(url.group(0) + "edit/doc", timeout=30) as page:
            assert 'name="aligner-token"' in page.read().decode()
    finally:
        proc.terminate()
        proc.wait(10)


def test_on_every_address_an_ip_address_is_answered_but_the_origin_must_match_it(tmp_path: Path) -> None:
    save(tmp_path, three_versions())
    app, editor = make_app(tmp_path, engine_for, hosts_for("0.0.0.0", 8000))
    client = TestClient(app, base_url="http://192.0.2.7:8000")
    rows = client.get("/api/rows/doc?pair=en,zh-Hans").json()
    body = {"op": "confirm", "n": 0, "pair": "en,zh-Hans", "version": rows["version"]}
    token = {"x-aligner-token": editor.token}
    assert client.post("/api/edit/doc", json=body, headers={**token, "origin": "http://evil.example"}).status_code == 403
    assert client.post("/api/edit/doc", json=body, headers={**token, "origin": "http://192.0.2.7:8000"}).status_code == 200


def test_a_stopped_server_leaves_every_edit_in_the_files(tmp_path: Path) -> None:
    """Ctrl-C right after an edit: the server writes what its background writer had not yet
    (which waits for a pause in the edits), so `show` and `export` read the edit at once."""
    import json
    import re
    import signal
    import urllib.request

    save(tmp_path, three_versions())
    with cli_server(["serve", str(tmp_path), "--edit", "--port", "0"], signal.SIGINT) as proc:
        url = re.search(r"http://127\.0\.0\.1:\d+", proc.stdout.readline())  # type: ignore[union-attr]
        assert url, proc.stderr.read()  # type: ignore[union-attr]
        base = url.group(0)
        with urllib.request.urlopen(base + "/edit/doc", timeout=30) as page:
            token = re.search(r'name="aligner-token" content="([^"]+)"', page.read().decode())
        assert token
        with urllib.request.urlopen(base + "/api/rows/doc?pair=en,zh-Hans", timeout=30) as rows:
            current = json.load(rows)["version"]
        body = json.dumps({"op": "merge", "n": 0, "pair": "en,zh-Hans", "version": current}).encode()
        request = urllib.request.Request(base + "/api/edit/doc", body, method="POST", headers={
            "content-type": "application/json", "origin": base, "x-aligner-token": token.group(1)})
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status == 200
    assert len(pair_links(load(tmp_path, "doc"), "en", "zh-Hans")) == 5


@contextmanager
def cli_server(args: list[str], stop: int, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[str]]:
    """`aligner ARGS` as a process for the block, stopped with signal `stop` after it (killed if
    it hangs or the block fails); a traceback on its stderr fails the test."""
    proc = subprocess.Popen([sys.executable, "-c", "from aligner.cli import main; main()", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        yield proc
        proc.send_signal(stop)
        proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert "Traceback" not in proc.stderr.read()  # type: ignore[union-attr]


def first_line(proc: subprocess.Popen[str], timeout: float = 60.0) -> str:
    """The first line a server process prints (its URL), waiting at most `timeout` seconds."""
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    assert ready, f"no line from the server in {timeout} s"
    return proc.stdout.readline()


@pytest.mark.parametrize(("bound", "header", "allowed"), [
    ("127.0.0.1", "127.0.0.1:8000", True),
    ("127.0.0.1", "localhost:8000", True),
    ("127.0.0.1", "LOCALHOST:8000", True),
    ("127.0.0.1", "192.0.2.7:8000", False),  # on loopback, only loopback names
    ("127.0.0.1", "127.0.0.1:8001", False),
    ("127.0.0.1", "127.0.0.1", False),  # no port: 80
    ("0.0.0.0", "192.0.2.7:8000", True),  # an IP address cannot be rebound
    ("0.0.0.0", "[::1]:8000", True),
    ("0.0.0.0", "localhost:8000", True),
    ("0.0.0.0", f"{socket.gethostname()}:8000", True),
    ("0.0.0.0", "rebind.attacker.example:8000", False),
    ("0.0.0.0", "[192.0.2.7]:8000", False),
    ("0.0.0.0", "192.0.2.7:8000@rebind.attacker.example", False),
    ("0.0.0.0", "", False),
    ("::1", "[::1]:8000", True),
    ("::1", "::1:8000", False),
])
def test_only_host_headers_that_name_this_server_are_answered(bound: str, header: str, allowed: bool) -> None:
    assert hosts_for(bound, 8000).allows(header) is allowed


def test_a_rebound_name_gets_neither_a_page_nor_the_token_nor_an_edit(tmp_path: Path) -> None:
    """DNS rebinding: a page at rebind.attacker.example whose name now points at this machine
    sends that Host. The server listens on every address, as with `--host 0.0.0.0`; the test
    reaches it through 127.0.0.1 only."""
    import http.client

    from editor_server import running

    save(tmp_path, three_versions())
    before = (tmp_path / "doc" / "align.xml").read_bytes()
    with running(tmp_path, engine_for, host="0.0.0.0") as (base, editor):
        port = int(base.rsplit(":", 1)[1])

        def ask(method: str, path: str, host: str, body: bytes | None = None) -> tuple[int, str]:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request(method, path, body, {"Host": host, "Origin": f"http://{host}", "x-aligner-token": editor.token,
                                                        "content-type": "application/json"})
                answer = connection.getresponse()
                return answer.status, answer.read().decode()
            finally:
                connection.close()

        forged = f"rebind.attacker.example:{port}"
        for path in ("/", "/edit/doc", "/api/rows/doc?pair=en,zh-Hans", "/static/editor.js"):
            status, text = ask("GET", path, forged)
            assert status == 400 and editor.token not in text and "aligner-token" not in text, (path, status)
        rows = json.loads(ask("GET", "/api/rows/doc?pair=en,zh-Hans", f"127.0.0.1:{port}")[1])
        edit = json.dumps({"op": "merge", "n": 0, "pair": "en,zh-Hans", "version": rows["version"]}).encode()
        assert ask("POST", "/api/edit/doc", forged, edit)[0] == 400
        assert editor.settle()
        assert (tmp_path / "doc" / "align.xml").read_bytes() == before
        status, text = ask("GET", "/edit/doc", f"localhost:{port}")  # the server's own names still work
        assert status == 200 and editor.token in text


def test_no_answer_may_be_framed_by_another_site(served: tuple[TestClient, Editor, Path]) -> None:
    """Clickjacking: single keys edit, so no page of the editor may sit in another site's frame."""
    client, editor, _ = served
    answers = [client.get(path) for path in ("/", "/edit/doc", "/api/rows/doc?pair=en,zh-Hans", "/static/editor.js", "/edit/nothing", "/nowhere")]
    answers.append(client.get("/", headers={"host": "rebind.attacker.example:8123"}))
    answers.append(client.post("/api/edit/doc", json={}, headers={"origin": "http://evil.example"}))
    answers.append(client.post("/api/edit/doc", json={"op": "confirm", "n": 0, "pair": "en,zh-Hans", "version": version(client)},
                               headers={"origin": f"http://{HOST}", "x-aligner-token": editor.token}))
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 404, 404, 400, 403, 200]
    for answer in answers:
        assert answer.headers["x-frame-options"] == "DENY" and answer.headers["content-security-policy"] == "frame-ancestors 'none'"


@contextmanager
def reader_server(site: Path) -> Iterator[int]:
    """The read-only server over `site` on a free port of 127.0.0.1, in a thread for the block; yields its port."""
    import threading

    from aligner.reader.serve import make_server

    (site / "index.html").write_text("<!doctype html><title>reader</title>", encoding="utf-8")
    server = make_server(site, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_the_reader_server_forbids_frames_and_speaks_ipv6(tmp_path: Path) -> None:
    import urllib.error
    import urllib.request

    from aligner.reader.serve import server_class, url_of

    with reader_server(tmp_path) as port:
        base = url_of("127.0.0.1", port)
        with urllib.request.urlopen(base, timeout=30) as page:
            assert page.headers["X-Frame-Options"] == "DENY" and page.headers["Content-Security-Policy"] == "frame-ancestors 'none'"
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(base + "nothing.html", timeout=30)
        assert missing.value.code == 404 and missing.value.headers["X-Frame-Options"] == "DENY"
    assert url_of("::1", 8000) == "http://[::1]:8000/" and url_of("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert server_class("::1").address_family == socket.AF_INET6 and server_class("127.0.0.1").address_family == socket.AF_INET


def test_the_reader_server_answers_only_host_headers_that_name_it(tmp_path: Path) -> None:
    """DNS rebinding against `aligner serve`: a page at a name the attacker pointed at 127.0.0.1
    sends that name as its Host and gets no page, as from the editor; the loopback names get it."""
    import http.client

    def ask(port: int, method: str, host: str) -> tuple[int, str, str | None]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(method, "/index.html", headers={"Host": host})
            answer = connection.getresponse()
            return answer.status, answer.read().decode(), answer.getheader("X-Frame-Options")
        finally:
            connection.close()

    with reader_server(tmp_path) as port:
        for host in (f"rebind.attacker.example:{port}", f"127.0.0.1:{port + 1}", "127.0.0.1", ""):
            for method in ("GET", "HEAD"):
                status, text, frames = ask(port, method, host)
                assert (status, frames) == (400, "DENY") and "<title>reader</title>" not in text, (method, host)
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}"):
            status, text, _ = ask(port, "GET", host)
            assert status == 200 and "<title>reader</title>" in text, host


def test_the_editor_answers_on_ipv6_loopback(tmp_path: Path) -> None:
    save(tmp_path, three_versions())
    app, editor = make_app(tmp_path, engine_for, hosts_for("::1", 8123))
    client = TestClient(app, base_url="http://127.0.0.1:8123", headers={"host": "[::1]:8123"})  # the client cannot parse [::1] itself
    assert 'name="aligner-token"' in client.get("/edit/doc").text
    body = {"op": "confirm", "n": 0, "pair": "en,zh-Hans", "version": version(client)}
    answer = client.post("/api/edit/doc", json=body, headers={"origin": "http://[::1]:8123", "x-aligner-token": editor.token})
    assert answer.status_code == 200, answer.text


def findings_of(client: TestClient, pair: str) -> dict[int, list[str]]:
    """The QA findings of a pair's rows, once the background check is done (60 s at most)."""
    deadline = time.monotonic() + 60
    while not (answer := client.get(f"/api/findings/doc?pair={pair}").json())["ready"]:
        assert time.monotonic() < deadline, "QA findings not ready in 60 s"
        time.sleep(0.05)
    return {n: found for n, found in answer["rows"]}


def test_a_correction_answers_the_row_with_its_new_text_and_findings(served: tuple[TestClient, Editor, Path]) -> None:
    """A correction moves no link, but the page must get the row with the new text (a second
    correction of the sentence would otherwise send the old text back) and its findings again."""
    client, editor, corpus = served
    assert "numbers disagree" in findings_of(client, "en,zh-Hans")[5][0]  # 30 dollars in en, 40 in zh-Hans
    assert 5 in findings_of(client, "en,zh-Hant")
    old = "It cost 30 dollars in 2013."
    status, answer = post(client, editor, {"op": "correct", "sid": "en.p2.s3", "text": "It cost 40 dollars in 2013.", "pair": "en,zh-Hans", "version": version(client)})
    assert status == 200, answer
    assert (answer["start"], answer["removed"]) == (5, 1)
    assert answer["rows"] == [{"n": 5, "type": "1-1", "confidence": 0.8, "resp": "machine", "src": [["en.p2.s3", "It cost 40 dollars in 2013."]],
                               "tgt": [["zh-Hans.p2.s3", "它在2013年花了40美元。"]], "findings": []}]
    assert 5 not in findings_of(client, "en,zh-Hans") and 5 not in findings_of(client, "en,zh-Hant")
    status, answer = post(client, editor, {"op": "undo", "pair": "en,zh-Hans", "version": answer["version"]})
    assert status == 200 and len(answer["rows"]) == 1  # type: ignore[arg-type]
    row = answer["rows"][0]  # type: ignore[index]
    assert row["src"] == [["en.p2.s3", old]] and "numbers disagree" in row["findings"][0]
    assert 5 in findings_of(client, "en,zh-Hans") and 5 in findings_of(client, "en,zh-Hant")
    status, answer = post(client, editor, {"op": "redo", "pair": "en,zh-Hans", "version": answer["version"]})
    assert status == 200 and answer["rows"][0]["src"] == [["en.p2.s3", "It cost 40 dollars in 2013."]]  # type: ignore[index]
    assert [s.text for s in stored(editor, corpus).versions["en"].sentences()][5] == "It cost 40 dollars in 2013."


def test_the_first_qa_pass_does_not_overwrite_the_findings_of_a_row_edited_meanwhile(served: tuple[TestClient, Editor, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole pair's first QA pass, on the version the page opened, ends after a correction
    whose row was checked again on the new version: the row keeps its new findings (none)."""
    import threading

    from aligner.reader import editor as editor_module

    started, release = threading.Event(), threading.Event()
    real = editor_module.findings_by_link

    def held(text: ParallelText, pair: tuple[str, str], links: tuple[Link, ...] | None = None) -> dict[frozenset[str], list[str]]:
        if links is None:  # the whole pass: wait until the edit has been answered
            started.set()
            assert release.wait(60), "the test never let the QA pass go on"
        return real(text, pair, links)

    monkeypatch.setattr(editor_module, "findings_by_link", held)
    client, editor, _ = served
    try:
        opened = version(client)  # the page's rows start the pass on this version
        assert started.wait(60), "the QA pass did not start"
        status, answer = post(client, editor, {"op": "correct", "sid": "en.p2.s3", "text": "It cost 40 dollars in 2013.", "pair": "en,zh-Hans", "version": opened})
        assert status == 200 and answer["rows"][0]["findings"] == []  # type: ignore[index]
    finally:
        release.set()
    found = findings_of(client, "en,zh-Hans")  # the pass's findings, from before the correction, are in now
    assert 5 not in found, found[5]  # "numbers disagree" (30 dollars against 40) was true only of the old text


WRONG_TYPES = [
    ({"op": "correct", "sid": "en.p1.s1", "text": None}, "text"),
    ({"op": "correct", "sid": "en.p1.s1", "text": {"a": 1}}, "text"),
    ({"op": "correct", "sid": "en.p1.s1", "text": ["a"]}, "text"),
    ({"op": "correct", "sid": ["en.p1.s1"], "text": "A."}, "sid"),
    ({"op": "confirm", "n": 1.5}, "n"),
    ({"op": "confirm", "n": True}, "n"),
    ({"op": "confirm", "n": "abc"}, "n"),
    ({"op": "confirm", "n": None}, "n"),
    ({"op": "split", "n": 1, "at": "ab"}, "at"),
    ({"op": "split", "n": 1, "at": [1]}, "at"),
    ({"op": "split", "n": 1, "at": None}, "at"),
    ({"op": "split", "n": 1, "at": {}}, "at"),
    ({"op": "split", "n": 1, "at": [True, 0]}, "at"),
    ({"op": "split-sentence", "sid": "en.p1.s1", "offset": "x"}, "offset"),
    ({"op": "split-sentence", "sid": "en.p1.s1", "offset": 1.5}, "offset"),
    ({"op": 1}, "op"),
]


@pytest.mark.parametrize(("fields", "name"), WRONG_TYPES)
def test_a_field_of_the_wrong_type_is_a_400_that_names_it_and_writes_nothing(served: tuple[TestClient, Editor, Path], fields: dict[str, object], name: str) -> None:
    client, editor, corpus = served
    files = {path.name: path.read_bytes() for path in (corpus / "doc").glob("*.xml")}
    status, answer = post(client, editor, {"pair": "en,zh-Hans", "version": version(client), **fields})
    assert status == 400 and str(answer["error"]).startswith(f"'{name}' must be ") and "\n" not in str(answer["error"])
    assert editor.settle() and {path.name: path.read_bytes() for path in (corpus / "doc").glob("*.xml")} == files
    assert client.get("/api/rows/doc?pair=en,zh-Hans").json()["rows"][0]["src"] == [["en.p1.s1", "One."]]


@pytest.mark.parametrize(("content", "status"), [
    (b"{not json", 400),
    (b"", 400),
    ('{"op": "confirm", "n": 0, "pair": "é"}'.encode("latin-1"), 400),  # not UTF-8
    (b"op=confirm&n=0", 400),  # a form
    (b"[" * 100_000, 400),  # too deep for the parser
    (b'{"op": "confirm", "n": NaN}', 400),
    (b"[1]", 400),
    (b" " * (2 << 20), 413),
], ids=["not json", "empty", "not utf-8", "a form", "too deep", "NaN", "an array", "too long"])  # short ids: pytest puts the id in every subprocess's environment
def test_a_body_that_is_not_a_json_object_is_refused_in_one_line(served: tuple[TestClient, Editor, Path], content: bytes, status: int) -> None:
    client, editor, _ = served
    answer = client.post("/api/edit/doc", content=content, headers={"origin": f"http://{HOST}", "x-aligner-token": editor.token, "content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code == status and "\n" not in answer.json()["error"]


def test_a_body_without_a_length_is_cut_off_past_the_limit(served: tuple[TestClient, Editor, Path]) -> None:
    client, editor, _ = served
    chunks = (b" " * 65536 for _ in range(32))  # 2 MB, sent chunked
    answer = client.post("/api/edit/doc", content=chunks, headers={"origin": f"http://{HOST}", "x-aligner-token": editor.token})
    assert answer.status_code == 413


def test_a_token_that_is_not_ascii_is_a_wrong_token(served: tuple[TestClient, Editor, Path]) -> None:
    client, _, _ = served
    answer = client.post("/api/edit/doc", json={}, headers={b"origin": f"http://{HOST}".encode(), b"x-aligner-token": "é".encode()})
    assert answer.status_code == 403 and answer.json()["error"] == "missing or wrong token; reload the page"


def test_the_index_lists_only_real_document_folders(served: tuple[TestClient, Editor, Path], tmp_path: Path) -> None:
    client, _, corpus = served
    save(tmp_path / "outside", three_versions())
    os.symlink(tmp_path / "outside" / "doc", corpus / "elsewhere")
    os.symlink(corpus / "doc", corpus / "alias")
    index = client.get("/").text
    assert 'href="/edit/doc"' in index and "elsewhere" not in index and "alias" not in index
    assert client.get("/edit/alias").status_code == 404


def test_the_reader_server_removes_its_site_folder_on_sigterm(tmp_path: Path) -> None:
    import signal

    save(tmp_path / "corpus", three_versions())
    temp = tmp_path / "temp"
    temp.mkdir()
    with cli_server(["serve", str(tmp_path / "corpus"), "--port", "0"], signal.SIGTERM, {**os.environ, "TMPDIR": str(temp)}) as proc:
        assert "Serving 1 documents at http://127.0.0.1:" in first_line(proc)
        assert [p.name.startswith("aligner-site-") for p in temp.iterdir()] == [True]
    assert list(temp.iterdir()) == []


def test_findings_are_worked_out_again_when_the_command_line_changed_the_document(served: tuple[TestClient, Editor, Path]) -> None:
    """A correction made with `aligner edit` while the page is open: the reloaded document's
    findings are those of the new text, not the ones kept from before (30 dollars against 40)."""
    from click.testing import CliRunner

    from aligner.cli import main

    client, _, corpus = served
    assert "numbers disagree" in findings_of(client, "en,zh-Hans")[5][0]
    done = CliRunner().invoke(main, ["edit", "doc", "--corpus", str(corpus), "correct", "en.p2.s3", "It cost 40 dollars in 2013."])
    assert done.exit_code == 0, done.output
    assert 5 not in findings_of(client, "en,zh-Hans")


def test_a_writer_process_that_cannot_start_leaves_the_edit_in_the_journal(served: tuple[TestClient, Editor, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Starting the writer process failed with E2BIG (an environment too large): the writer thread
    died with a traceback and never said it was idle; now it says so in one line and waits."""
    import errno

    from aligner.reader import editor as editor_module

    def refused(*args: object, **kwargs: object) -> object:
        raise OSError(errno.E2BIG, "Argument list too long")

    monkeypatch.setattr(editor_module.subprocess, "run", refused)
    client, editor, corpus = served
    before = (corpus / "doc" / "align.xml").read_bytes()
    assert post(client, editor, {"op": "confirm", "n": 1, "pair": "en,zh-Hans", "version": version(client)})[0] == 200
    assert editor.settle(30), "the writer never became idle"
    assert "aligner: writing doc failed (cannot start its process: Argument list too long); its edits stay in the journal" in capsys.readouterr().err
    assert (corpus / "doc" / "align.xml").read_bytes() == before and editor.document("doc").pending


def test_an_edit_that_changes_nothing_says_so_and_records_no_step(served: tuple[TestClient, Editor, Path]) -> None:
    """A no-op said "corrected …" (or "re-aligned …") as if done, yet left no undo step: the next
    undo then took back the edit before it, unannounced."""
    client, editor, _ = served
    status, answer = post(client, editor, {"op": "confirm", "n": 0, "pair": "en,zh-Hans", "version": version(client)})
    assert status == 200 and answer["changed"] is True
    status, same = post(client, editor, {"op": "correct", "sid": "en.p1.s1", "text": "One.", "pair": "en,zh-Hans", "version": answer["version"]})
    assert status == 200 and same["changed"] is False and same["version"] == answer["version"] and same["rows"] == []
    assert same["done"] == "corrected the text of en sentence en.p1.s1 — nothing changed, so no undo step was made"
    status, undone = post(client, editor, {"op": "undo", "pair": "en,zh-Hans", "version": same["version"]})
    assert status == 200 and undone["done"] == "undid: en–zh-Hans: confirmed link 0: now [en.p1.s1 | zh-Hans.p1.s1]"


def test_the_version_check_of_a_reading_page_sees_an_edit_made_elsewhere(served: tuple[TestClient, Editor, Path]) -> None:
    from click.testing import CliRunner

    from aligner.cli import main

    client, _, corpus = served
    before = version(client)
    assert client.get("/api/version/doc").json() == {"version": before}
    assert CliRunner().invoke(main, ["edit", "doc", "--corpus", str(corpus), "confirm", "2"]).exit_code == 0
    assert client.get("/api/version/doc").json()["version"] not in ("", before)
    assert client.get("/api/version/nodoc").status_code == 404


def test_the_server_loads_at_start_what_the_first_edit_would_wait_for(served: tuple[TestClient, Editor, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The first edit after `aligner serve --edit` started took 1-2 s (the engine's import and the
    QA checks' CC-CEDICT tables, with the page's first QA pass beside it); they load at start now."""
    import threading

    from aligner.qa.cedict import lexicon
    from aligner.reader import editor as editor_module

    client, _, _ = served
    warmed = threading.Event()
    original = editor_module.warm_process

    def warm_and_say() -> None:
        original()
        warmed.set()

    monkeypatch.setattr(editor_module, "warm_process", warm_and_say)
    lexicon.cache_clear()
    with client:  # the app's lifespan runs, as under `aligner serve --edit`
        assert warmed.wait(60), "nothing was loaded at start"
    assert lexicon.cache_info().currsize == 1 and "aligner.align.engine" in sys.modules
