"""The editor's web API (Starlette's test client): edits land in the TEI, and nobody else gets in:
cross-site and token-less POSTs refused, document ids that would leave the corpus refused, a
stale version answered with 409."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from edit_fixtures import engine_for, three_versions
from starlette.testclient import TestClient

from aligner.corpus.model import ParallelText
from aligner.corpus.store import load, save
from aligner.edit.pairs import pair_links
from aligner.reader.editor import Editor, make_app

HOST = "127.0.0.1:8123"


@pytest.fixture
def served(tmp_path: Path) -> tuple[TestClient, Editor, Path]:
    corpus = tmp_path / "corpus"
    save(corpus, three_versions())
    app, editor = make_app(corpus, engine_for, {HOST}, "tester")
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
    assert status == 200 and answer["done"] == "undid: en–zh-Hans: merged link 1 with the link below"
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
    app, editor = make_app(corpus, engine_for, {HOST}, "tester")  # a server started again
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


def test_on_every_address_any_host_is_answered_but_the_origin_must_match_it(tmp_path: Path) -> None:
    from aligner.reader.editor import hosts_for

    save(tmp_path, three_versions())
    assert hosts_for("127.0.0.1", 8000) == {"127.0.0.1:8000", "localhost:8000"}
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
    import subprocess
    import sys
    import urllib.request

    save(tmp_path, three_versions())
    proc = subprocess.Popen([sys.executable, "-c", "from aligner.cli import main; main()", "serve", str(tmp_path), "--edit", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
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
        proc.send_signal(signal.SIGINT)
        proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert "Traceback" not in proc.stderr.read()  # type: ignore[union-attr]
    assert len(pair_links(load(tmp_path, "doc"), "en", "zh-Hans")) == 5
