"""Write the reader as a static site: `index.html`, `docs/<doc-id>.html`, `static/` (CSS, JS).

No network and no CDN: the pages link only to each other and to the copied static files, by
relative paths, so the folder works from `file://` and from any static host.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from importlib import resources
from pathlib import Path

from aligner.corpus.model import ParallelText
from aligner.corpus.store import write_atomic
from aligner.corpus.tei import ALIGNMENT_FILE
from aligner.progress import progress
from aligner.reader.filters import LOW_CONFIDENCE
from aligner.reader.index import index_page, page_name, summarize
from aligner.reader.markup import DOCTYPE, GENERATOR, serialize
from aligner.reader.page import page_and_summary

STATIC_FILES = ("reader.css", "reader.js")


def static_bytes(name: str) -> bytes:
    """A shipped static file (package data under aligner/reader/static/)."""
    return resources.files("aligner.reader").joinpath("static", name).read_bytes()


def build_site(
    texts: Iterable[ParallelText],
    out_dir: Path,
    threshold: float = LOW_CONFIDENCE,
    quiet: bool = True,
    listed: Iterable[ParallelText] | None = None,
) -> list[Path]:
    """Write a page for each of `texts`, the index of `listed` (default: `texts`) and the static
    files; return the files written. The index lists every document of the corpus when given
    them all as `listed`: a page written again for one document keeps the site's contents (a
    document without a page yet is listed without a link)."""
    texts = list(texts)
    listed = texts if listed is None else list(listed)
    files = {out_dir / "static" / name: static_bytes(name) for name in STATIC_FILES}
    made = {}  # the summaries the pages were made with
    with progress("Writing pages", len(texts), quiet) as bar:
        for text in texts:
            page, made[text.doc_id] = page_and_summary(text, threshold)
            files[out_dir / page_name(text.doc_id)] = serialize(page)
            bar.advance()
    summaries = sorted((made.get(t.doc_id) or summarize(t, threshold) for t in listed), key=lambda s: s.doc_id)
    pages = {s.doc_id: out_dir / page_name(s.doc_id) for s in summaries}
    published = {doc for doc, page in pages.items() if page in files or page.is_file()}
    files[out_dir / "index.html"] = serialize(index_page(summaries, threshold, published))
    return [path for path, data in files.items() if write_atomic(path, data)]


def remove_withdrawn(out_dir: Path, keep: Collection[str]) -> list[Path]:
    """Remove the pages of documents not in `keep` (the corpus's ids) from the site in
    `out_dir`, so a document withdrawn from the corpus is no longer published; return them.
    Only pages this generator wrote go (`written_here`): any other file is left alone."""
    pages = out_dir / "docs"
    found = sorted(pages.glob("*.html")) if pages.is_dir() else []
    gone = [page for page in found if page.stem not in keep and page.is_file() and written_here(page)]
    for page in gone:
        page.unlink(missing_ok=True)
    return gone


def written_here(page: Path) -> bool:
    """Whether a file is a page of this site generator: it opens as `serialize` writes a page,
    and its head names aligner as its generator (`markup.shell`)."""
    try:
        with page.open("rb") as file:
            head = file.read(1024)
    except OSError:
        return False
    return head.startswith(DOCTYPE) and f'<meta name="generator" content="{GENERATOR} '.encode() in head


def corpus_of(target: str | None, corpus: Path) -> tuple[Path, bool]:
    """The corpus folder a TARGET of `aligner html` or `serve` is in, as `store.resolve` reads
    TARGET: --corpus for a document id (or no TARGET), the folder holding a document's folder,
    else TARGET itself (a corpus folder); and whether TARGET names that whole folder."""
    if target is None:
        return corpus, True
    path = Path(target)
    if not path.is_absolute() and len(path.parts) == 1 and (corpus / target).is_dir():
        return corpus, False
    if path.is_dir() and (path / ALIGNMENT_FILE).exists():
        return path.parent, False
    return path, True
