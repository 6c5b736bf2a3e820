"""Write the reader as a static site: `index.html`, `docs/<doc-id>.html`, `static/` (CSS, JS).

No network and no CDN: the pages link only to each other and to the copied static files, by
relative paths, so the folder works from `file://` and from any static host.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from aligner.corpus.model import ParallelText
from aligner.corpus.store import write_atomic
from aligner.progress import progress
from aligner.reader.filters import LOW_CONFIDENCE
from aligner.reader.index import index_page, page_name, summarize
from aligner.reader.markup import serialize
from aligner.reader.page import document_page

STATIC_FILES = ("reader.css", "reader.js")


def static_bytes(name: str) -> bytes:
    """A shipped static file (package data under aligner/reader/static/)."""
    return resources.files("aligner.reader").joinpath("static", name).read_bytes()


def build_site(
    texts: Iterable[ParallelText], out_dir: Path, threshold: float = LOW_CONFIDENCE, quiet: bool = True
) -> list[Path]:
    """Write the index, one page per document and the static files; return the files written."""
    texts = list(texts)
    files = {out_dir / "static" / name: static_bytes(name) for name in STATIC_FILES}
    with progress("Writing pages", len(texts), quiet) as bar:
        for text in texts:
            files[out_dir / page_name(text.doc_id)] = serialize(document_page(text, threshold))
            bar.advance()
    summaries = sorted((summarize(t, threshold) for t in texts), key=lambda s: s.doc_id)
    files[out_dir / "index.html"] = serialize(index_page(summaries, threshold))
    return [path for path, data in files.items() if write_atomic(path, data)]
