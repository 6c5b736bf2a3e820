"""The reader's static site: pages, index, escaping, languages, bad input, and `aligner html`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree

from aligner.cli import main
from aligner.corpus.model import (
    Alignment,
    Document,
    Link,
    Metadata,
    Paragraph,
    ParallelText,
    Sentence,
)
from aligner.corpus.store import save
from aligner.errors import AlignerError
from aligner.reader.site import build_site

HOSTILE = '</script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2"> & <b>'

EN = ["The harbour opened in spring.", "Ships came from the south.", "Nobody expected the storm.", "It lasted three days."]
HANS = ["港口在春天开放。", "船只从南方驶来。", "没有人预料到这场风暴。", "它持续了三天。"]
HANT = ["港口在春天開放。", "船隻從南方駛來。", "沒有人預料到這場風暴。", "它持續了三天。"]


def version(doc_id: str, lang: str, title: str, texts: list[str], per_para: int = 2) -> Document:
    """A version whose sentences are `{lang}.pN.sM`, `per_para` to a paragraph, with a heading."""
    paras = [Paragraph(f"{lang}.head", (Sentence(f"{lang}.head.s1", title),), "head")]
    for p in range(0, len(texts), per_para):
        pid = f"{lang}.p{p // per_para + 1}"
        paras.append(Paragraph(pid, tuple(Sentence(f"{pid}.s{k + 1}", t) for k, t in enumerate(texts[p : p + per_para]))))
    return Document(doc_id, lang, tuple(paras), Metadata(title=title, date="2024-05-01"))


def ids(doc: Document) -> list[str]:
    return [s.id for s in doc.sentences()]


def one_to_one(a: Document, b: Document, confidences: dict[int, float] | None = None) -> Alignment:
    """Links sentence k of a to sentence k of b, with chosen confidences (default 0.9)."""
    conf = confidences or {}
    links = tuple(Link((x,), (y,), conf.get(k, 0.9)) for k, (x, y) in enumerate(zip(ids(a), ids(b), strict=False)))
    return Alignment(a.lang, b.lang, links)


def harbour(doc_id: str = "harbour", en: list[str] | None = None, title: str = "The harbour") -> ParallelText:
    """Three versions; en row 3 is weak (0.3), and zh-Hant lacks its last sentence (an omission)."""
    e = version(doc_id, "en", title, en or EN)
    s = version(doc_id, "zh-Hans", "港口", HANS)
    t = version(doc_id, "zh-Hant", "港口", HANT[:-1])
    es = one_to_one(e, s, {3: 0.3})
    st = Alignment("zh-Hans", "zh-Hant", one_to_one(s, t).links + (Link((ids(s)[-1],), ()),))
    return ParallelText(doc_id, {"en": e, "zh-Hans": s, "zh-Hant": t}, (es, st))


def synthetic(n: int, doc_id: str = "big") -> ParallelText:
    """A long three-version document of n sentences each; every 50th link weak, every 200th omitted."""
    en = [f"Sentence {k} tells of the harbour, the ships and the storm." for k in range(n)]
    hans = [f"第{k}句讲述港口、船只和风暴。" for k in range(n)]
    hant = [f"第{k}句講述港口、船隻和風暴。" for k in range(n)]
    e, s, t = (version(doc_id, lang, title, texts, 6) for lang, title, texts in
               (("en", "A long text", en), ("zh-Hans", "长文", hans), ("zh-Hant", "長文", hant)))
    weak = {k: 0.2 for k in range(0, n + 1, 50)}
    es = one_to_one(e, s, weak)
    gaps = set(range(7, n + 1, 200))
    st = Alignment("zh-Hans", "zh-Hant", tuple(
        Link((x,), () if k in gaps else (y,), 0.95) for k, (x, y) in enumerate(zip(ids(s), ids(t), strict=True))
    ))
    return ParallelText(doc_id, {"en": e, "zh-Hans": s, "zh-Hant": t}, (es, st))


def site(tmp_path: Path, *texts: ParallelText) -> Path:
    out = tmp_path / "site"
    build_site(texts, out)
    return out


def page(out: Path, doc_id: str) -> etree._Element:
    return etree.fromstring((out / "docs" / f"{doc_id}.html").read_bytes(), etree.HTMLParser())


def langs_of_text(root: etree._Element) -> list[tuple[str, str, str]]:
    """(text, nearest lang, the column's lang or '') for every non-blank text node in the body."""
    found = []
    for node in root.iter("span", "div", "h2", "h1", "p", "a", "label", "legend", "button", "li", "td", "th", "caption"):
        for piece, owner in ((node.text, node), (node.tail, node.getparent())):
            if piece and piece.strip() and owner is not None:
                lang = next(a.get("lang") for a in owner.iterancestors(None) if a.get("lang")) if not owner.get("lang") else owner.get("lang")
                col = next((c.get("class").split("c-")[1] for c in [owner, *owner.iterancestors()] if "c-" in (c.get("class") or "")), "")
                found.append((piece, lang, col))
    return found


def test_pages_are_strict_html5_with_unique_ids(tmp_path: Path) -> None:
    html5lib = pytest.importorskip("html5lib", reason="the strict HTML5 parser is a test extra: pip install html5lib")
    out = site(tmp_path, harbour(), harbour("other", title="Other"))
    for path in [out / "index.html", *(out / "docs").glob("*.html")]:
        html5lib.HTMLParser(strict=True).parse(path.read_bytes())  # raises on any parse error
        ids = [node.get("id") for node in etree.fromstring(path.read_bytes(), etree.HTMLParser()).iter() if node.get("id")]
        assert len(ids) == len(set(ids)), path
    assert sorted(p.name for p in (out / "static").iterdir()) == ["reader.css", "reader.js"]


def test_every_text_has_the_language_of_its_column(tmp_path: Path) -> None:
    root = page(site(tmp_path, harbour()), "harbour")
    found = langs_of_text(root)
    in_rows = langs_of_text(root.find(".//ol"))
    in_columns = [(text, lang, col) for text, lang, col in in_rows if col and text != "not in this version"]
    assert {text for text, _, _ in in_columns} >= set(EN + HANS + HANT[:-1])
    assert all(lang == col for _, lang, col in in_columns), [x for x in in_columns if x[1] != x[2]]
    assert all(lang == "en" for text, lang, _ in found if text == "not in this version")
    assert all(lang in ("en", "zh-Hans", "zh-Hant") for _, lang, _ in found)
    assert root.get("lang") == "en" and root.find(".//h1").get("lang") == "en"


def test_rows_mark_review_paragraphs_and_headings(tmp_path: Path) -> None:
    root = page(site(tmp_path, harbour()), "harbour")
    rows = root.findall(".//ol[@id='ui:rows']/li")
    assert [r.get("class") for r in rows] == ["row", "row pb", "row", "row pb review", "row review omission"]
    assert [r.findtext("span[@class='gut']/span") for r in rows] == [None, None, None, "check 0.30", "omission"]
    assert rows[0].find("h2[@lang='zh-Hant']").findtext("span") == "港口"
    en_cell = rows[1].find("div[@lang='en']")
    assert etree.tostring(en_cell, encoding="unicode", with_tail=False).count("</span> <span") == 0  # one sentence


def test_person_links_are_never_flagged_as_weak(tmp_path: Path) -> None:
    text = harbour()
    confirmed = tuple(
        Alignment(al.src_lang, al.tgt_lang, tuple(Link(lk.src, lk.tgt, lk.confidence, "person") for lk in al.links))
        for al in text.alignments
    )
    rows = page(site(tmp_path, ParallelText("harbour", text.versions, confirmed)), "harbour").findall(".//ol/li")
    assert [r.findtext("span/span") for r in rows] == [None, None, None, None, "omission"]


def test_index_and_header_count_rows_and_rows_to_review(tmp_path: Path) -> None:
    """They said "10 links" for 5 rows (links summed over the pairs, omissions counted), and the
    share of weak links, not of rows to review."""
    out = site(tmp_path, harbour())
    cells = [td.text_content() for td in lxml.html.fromstring((out / "index.html").read_bytes()).iter("td")]
    assert cells == ["The harbourharbour", "2024-05-01", "en, zh-Hans, zh-Hant", "en 5 · zh-Hans 5 · zh-Hant 4", "5", "2 (40%)"]
    facts = page(out, "harbour").findtext(".//p[@class='facts']")
    assert facts == ("2024-05-01 · English (en) 5 sentences · Chinese (Simplified script) (zh-Hans) 5 sentences"
                     " · Chinese (Traditional script) (zh-Hant) 4 sentences · 5 rows · 2 rows to review")
    rows = page(out, "harbour").findall(".//ol/li")
    assert (len(rows), sum("review" in row.get("class") for row in rows)) == (5, 2)  # as the page shows them


def test_empty_document_list_writes_an_index_saying_so(tmp_path: Path) -> None:
    out = site(tmp_path)
    assert b"No documents in this corpus yet" in (out / "index.html").read_bytes()


def test_hostile_text_is_escaped_in_html_and_json(tmp_path: Path) -> None:
    text = harbour("hostile", en=[HOSTILE, *EN[1:]], title=HOSTILE)
    out = tmp_path / "site"
    from aligner.reader.markup import serialize
    from aligner.reader.page import document_page

    raw = serialize(document_page(text, eager=1)).decode()
    build_site([text], out)
    assert "<script>window" not in raw and "<img" not in raw
    assert "\\u003c/script\\u003e\\u003cscript\\u003e" in raw  # the JSON copy of the sentence
    root = etree.fromstring(raw.encode(), etree.HTMLParser())
    assert root.findtext(".//h1") == HOSTILE and root.findtext("head/title").startswith(HOSTILE)
    assert [s.get("type") for s in root.iter("script")] == ["application/json", None, "application/json"]
    rest = json.loads(root.find(".//script[@id='ui:rest']").text)
    assert [r[0] for r in rest] == [1, 2, 3, 4] and len(root.findall(".//ol/li")) == 1
    assert b"<script>window" not in (out / "index.html").read_bytes()


def test_one_language_document_has_nothing_to_review(tmp_path: Path) -> None:
    text = ParallelText("solo", {"en": version("solo", "en", "Alone", EN)})
    root = page(site(tmp_path, text), "solo")
    rows = root.findall(".//ol/li")
    assert len(rows) == 5 and not [r for r in rows if "review" in r.get("class")]
    assert "0 rows to review" in root.findtext(".//p[@class='facts']")


def test_link_to_a_missing_sentence_is_left_out_of_the_page(tmp_path: Path) -> None:
    text = harbour()
    bad = Alignment("en", "zh-Hans", text.alignments[0].links + (Link(("en.p9.s9",), ("zh-Hans.p1.s1",)),))
    root = page(site(tmp_path, ParallelText("harbour", text.versions, (bad, text.alignments[1]))), "harbour")
    assert len(root.findall(".//ol/li")) == 5


@pytest.mark.parametrize("doc_id", ["../escape", "a/b", ".hidden", ""])
def test_document_ids_that_cannot_name_a_page_are_refused(tmp_path: Path, doc_id: str) -> None:
    with pytest.raises(AlignerError, match="cannot name a page"):
        build_site([harbour(doc_id)], tmp_path / "site")


def test_html_command_writes_the_site(tmp_path: Path) -> None:
    corpus = tmp_path / "corpora"
    save(corpus, harbour())
    result = CliRunner().invoke(main, ["html", str(corpus), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.output == f"Site written to {tmp_path / 'out'}: 1 documents, 4 files changed; open {tmp_path / 'out' / 'index.html'}\n"
    again = CliRunner().invoke(main, ["html", "harbour", "--corpus", str(corpus), "-o", str(tmp_path / "out"), "--json"])
    assert json.loads(again.output) == {"out": str(tmp_path / "out"), "documents": ["harbour"], "written": [], "removed": [], "skipped": [], "unlisted": []}


def broken_corpus(tmp_path: Path) -> Path:
    """A corpus of the harbour and a document whose link points at a sentence it does not have."""
    corpus = tmp_path / "corpora"
    save(corpus, harbour())
    text = harbour("broken")
    bad = Alignment("en", "zh-Hans", text.alignments[0].links + (Link(("en.p9.s9",), ()),))
    save(corpus, ParallelText("broken", text.versions, (bad,)))
    return corpus


BROKEN = r"Skipped: .*broken/align\.xml: a link points at 'en\.p9\.s9', which en\.xml does not have; fix or rebuild the alignment"


def test_html_command_skips_a_broken_document_and_says_so(tmp_path: Path) -> None:
    corpus = broken_corpus(tmp_path)
    result = CliRunner().invoke(main, ["html", str(corpus), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert re.fullmatch(BROKEN + "\n", result.stderr)
    assert (tmp_path / "out" / "docs" / "harbour.html").exists() and not (tmp_path / "out" / "docs" / "broken.html").exists()


@pytest.mark.parametrize(
    ("command", "done"),
    [
        (["export", "--format", "tsv", "-o", "{tmp}/x.tsv"], lambda tmp, out: "harbour" in (tmp / "x.tsv").read_text(encoding="utf-8")),
        (["export", "--format", "tsv", "-o", "{tmp}/x.tsv", "--json"], lambda tmp, out: json.loads(out)["skipped"][0].endswith("en.xml does not have; fix or rebuild the alignment")),
        (["qa", "--json"], lambda tmp, out: {f["doc_id"] for f in json.loads(out)["findings"]} == {"harbour"} and len(json.loads(out)["skipped"]) == 1),
        (["search", "harbour"], lambda tmp, out: out.startswith("harbour en.")),
    ],
)
def test_a_broken_document_is_skipped_by_every_command_that_reads_a_corpus(tmp_path: Path, command: list[str], done: object) -> None:
    corpus = broken_corpus(tmp_path)
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    result = CliRunner().invoke(main, [args[0], *(["--corpus", str(corpus)] if args[0] == "search" else [str(corpus)]), *args[1:]])
    assert result.exit_code == 1, result.output
    assert re.fullmatch(BROKEN + "\n", result.stderr)
    assert done(tmp_path, result.stdout)  # type: ignore[operator]


def test_search_indexes_a_broken_document_once_it_is_mended(tmp_path: Path) -> None:
    corpus = broken_corpus(tmp_path)
    assert CliRunner().invoke(main, ["search", "harbour", "--corpus", str(corpus)]).exit_code == 1
    assert CliRunner().invoke(main, ["search", "harbour", "--corpus", str(corpus)]).exit_code == 1  # until its files change
    save(corpus, harbour("broken"))
    result = CliRunner().invoke(main, ["search", "harbour", "--corpus", str(corpus), "--limit", "100"])
    assert result.exit_code == 0 and result.stderr == "" and "broken en." in result.stdout


def test_a_corpus_of_only_broken_documents_is_one_line(tmp_path: Path) -> None:
    corpus = broken_corpus(tmp_path)
    (corpus / "harbour" / "align.xml").write_text("<oops", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(corpus), "--format", "tsv", "-o", str(tmp_path / "x.tsv")])
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert result.output.startswith(f"Error: {corpus}: no document here can be read (2 tried); the first: ")


def test_html_command_on_an_empty_corpus_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["html", str(tmp_path / "empty"), "-o", str(tmp_path / "out")])
    assert (result.exit_code, result.output) == (1, f"Error: {tmp_path / 'empty'}: no documents here; run `aligner build` first\n")


@contextmanager
def serving(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`aligner serve` of the harbour corpus on a free port of 127.0.0.1: its address and its process, stopped after."""
    corpus = tmp_path / "corpora"
    save(corpus, harbour())
    proc = subprocess.Popen(
        [sys.executable, "-c", "from aligner.cli import main; main()", "serve", str(corpus), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        found = re.fullmatch(r"Serving 1 documents at (http://127\.0\.0\.1:\d+/) \(Ctrl-C stops\)\n", line)
        assert found, line
        yield found[1], proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_command_serves_the_site_on_localhost(tmp_path: Path) -> None:
    with serving(tmp_path) as (url, _):
        with urllib.request.urlopen(url + "docs/harbour.html", timeout=10) as reply:
            assert "港口在春天開放。" in reply.read().decode()
        with urllib.request.urlopen(url + "static/reader.js", timeout=10) as reply:
            assert reply.headers["Content-Type"] in ("text/javascript; charset=utf-8", "application/javascript; charset=utf-8")


def test_the_server_answers_reads_of_files_only_and_names_their_charset(tmp_path: Path) -> None:
    """Folders were listed, POST and PUT answered 501, and pages were sent without a charset."""
    import http.client

    with serving(tmp_path) as (url, _):
        port = int(url.rsplit(":", 1)[1].strip("/"))

        def ask(method: str, path: str) -> http.client.HTTPResponse:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request(method, path)
            reply = connection.getresponse()
            reply.read()
            connection.close()
            return reply

        assert [ask("GET", path).status for path in ("/docs/", "/docs", "/static/", "/static", "/nothing/")] == [404] * 5
        assert "<h1>Parallel texts</h1>" in urllib.request.urlopen(url, timeout=10).read().decode()  # the root is the index page
        for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
            refused = ask(method, "/index.html")
            assert (refused.status, refused.headers["Allow"]) == (405, "GET, HEAD"), method
        assert ask("GET", "/index.html").headers["Allow"] is None  # the next answer on a connection does not say it
        kinds = {path: ask("HEAD", path).headers["Content-Type"] for path in ("/", "/docs/harbour.html", "/static/reader.css")}
        assert kinds == {"/": "text/html; charset=utf-8", "/docs/harbour.html": "text/html; charset=utf-8", "/static/reader.css": "text/css; charset=utf-8"}


def test_the_server_serves_the_corpus_as_it_is_now(tmp_path: Path) -> None:
    """It served the site written at its start: a document removed afterwards was still there."""

    def get(url: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(url, timeout=10) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, ""

    corpus = tmp_path / "corpora"
    with serving(tmp_path) as (url, proc):
        save(corpus, harbour("other", title="Other"))
        assert get(url + "docs/other.html")[0] == 200 and "docs/other.html" in get(url)[1]
        save(corpus, harbour(en=["The port opened in spring.", *EN[1:]]))
        assert "The port opened in spring." in get(url + "docs/harbour.html")[1]
        shutil.rmtree(corpus / "other")
        assert get(url + "docs/other.html")[0] == 404 and "other" not in get(url)[1]
        (corpus / "harbour" / "new.tmp").write_text("<oops", encoding="utf-8")  # no longer readable, saved as tools do
        (corpus / "harbour" / "new.tmp").replace(corpus / "harbour" / "align.xml")
        assert get(url + "docs/harbour.html")[0] == 404
        proc.terminate()
        assert "Skipped: " in proc.communicate(timeout=10)[1]


@pytest.mark.parametrize("path", ["%00", "docs/harbour.html%00", "%ED%A0%80"])
def test_a_path_no_file_can_have_is_a_bad_request(tmp_path: Path, path: str) -> None:
    """`/%00` printed the standard library's traceback (embedded null byte) and dropped the connection."""
    with serving(tmp_path) as (url, proc):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + path, timeout=10)
        assert refused.value.code == 400
        with urllib.request.urlopen(url + "docs/harbour.html", timeout=10) as reply:
            assert reply.status == 200
    assert proc.stderr is not None and "Traceback" not in proc.stderr.read()


def test_html_without_a_target_writes_the_corpus_it_is_given(tmp_path: Path) -> None:
    corpus = tmp_path / "elsewhere"
    save(corpus, harbour())
    result = CliRunner().invoke(main, ["html", "--corpus", str(corpus), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "docs" / "harbour.html").exists()


def index_entries(out: Path) -> list[tuple[str, str | None]]:
    """The index's documents: (id line, the page its title links to, or None)."""
    root = lxml.html.fromstring((out / "index.html").read_bytes())
    return [(tr.find("td/div").text_content(), tr.find("td/a").get("href") if tr.find("td/a") is not None else None)
            for tr in root.iter("tr") if tr.find("td") is not None]  # fmt: skip


def test_html_of_one_document_keeps_every_document_in_the_index(tmp_path: Path) -> None:
    """`aligner html DOC -o SITE` wrote an index of DOC alone: the other pages were orphaned."""
    corpus, out = tmp_path / "corpora", tmp_path / "site"
    save(corpus, harbour())
    save(corpus, harbour("other", title="Other"))
    assert CliRunner().invoke(main, ["html", str(corpus), "-o", str(out)]).exit_code == 0
    save(corpus, harbour(en=["The port opened in spring.", *EN[1:]]))
    save(corpus, harbour("third", title="Third"))  # no page yet
    result = CliRunner().invoke(main, ["html", "harbour", "--corpus", str(corpus), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["written"] == [str(out / "docs" / "harbour.html"), str(out / "index.html")]
    assert "The port opened" in (out / "docs" / "harbour.html").read_text(encoding="utf-8")
    assert index_entries(out) == [
        ("harbour", "docs/harbour.html"), ("other", "docs/other.html"),
        ("third: no page yet; write it with `aligner html third -o SITE`", None),
    ]  # fmt: skip
    as_folder = CliRunner().invoke(main, ["html", str(corpus / "third"), "-o", str(out)])  # a document's folder
    assert as_folder.exit_code == 0 and [href for _, href in index_entries(out)] == ["docs/harbour.html", "docs/other.html", "docs/third.html"]


def test_pages_of_documents_gone_from_the_corpus_are_removed_and_nothing_else(tmp_path: Path) -> None:
    """A document removed from the corpus stayed published at its old address."""
    corpus, out = tmp_path / "corpora", tmp_path / "site"
    for doc in ("harbour", "other", "gone"):
        save(corpus, harbour(doc))
    assert CliRunner().invoke(main, ["html", str(corpus), "-o", str(out)]).exit_code == 0
    mine = {"docs/notes.html": "<!DOCTYPE html><p>my notes</p>", "docs/old.txt": "x", "docs/sub.html/keep": "x",
            "docs/copy.html": (out / "docs" / "gone.html").read_text(encoding="utf-8").replace("aligner", "mine")}  # fmt: skip
    for name, text in mine.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    shutil.rmtree(corpus / "gone")
    (corpus / "broken").mkdir()  # a document that cannot be read keeps its page
    (corpus / "broken" / "en.xml").write_text("<oops", encoding="utf-8")
    (out / "docs" / "broken.html").write_bytes((out / "docs" / "other.html").read_bytes())
    result = CliRunner().invoke(main, ["html", "other", "--corpus", str(corpus), "-o", str(out)])
    assert result.exit_code == 0  # broken is left out of the index, which is no failure of other's page
    assert result.stderr.splitlines()[0] == f"Removed {out / 'docs' / 'gone.html'}: gone is no longer in {corpus}"
    assert result.stderr.splitlines()[1].startswith("Left out of the index: ") and len(result.stderr.splitlines()) == 2
    assert sorted(p.name for p in (out / "docs").iterdir()) == ["broken.html", "copy.html", "harbour.html", "notes.html", "old.txt", "other.html", "sub.html"]
    assert [entry for entry, _ in index_entries(out)] == ["harbour", "other"]


def test_html_of_one_document_is_not_failed_by_another_that_cannot_be_read(tmp_path: Path) -> None:
    """`aligner html DOC` reads the corpus for its index: a broken other document made it exit 1
    though DOC's page was written."""
    corpus, out = tmp_path / "corpora", tmp_path / "site"
    save(corpus, harbour())
    save(corpus, harbour("bad", title="Bad"))
    (corpus / "bad" / "en.xml").write_text("<TEI>", encoding="utf-8")
    result = CliRunner().invoke(main, ["html", "harbour", "--corpus", str(corpus), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Left out of the index:" in result.stderr and f"{corpus / 'bad' / 'en.xml'}" in result.stderr
    assert (out / "docs" / "harbour.html").exists()


def test_a_save_in_the_same_clock_tick_as_the_servers_look_is_seen_next_time(tmp_path: Path) -> None:
    """The server compares folders' modification times: a save landing in the tick of its last
    look left the time as it was, and the page stale until some later change."""
    import os

    from aligner.reader.serve import LiveSite

    corpus, site = tmp_path / "corpora", tmp_path / "site"
    save(corpus, harbour())
    live = LiveSite(site, corpus, [harbour()], None, 0.5)
    stamp = (corpus / "harbour").stat().st_mtime_ns
    save(corpus, harbour(en=["The port opened in spring.", *EN[1:]]))
    os.utime(corpus / "harbour", ns=(stamp, stamp))  # the same tick: the folder's time did not move
    live.refresh()
    assert "The port opened in spring." in (site / "docs" / "harbour.html").read_text(encoding="utf-8")
