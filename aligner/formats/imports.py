"""Import: parallel data in a format → documents checked in full → the TEI corpus (all or nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aligner.corpus.model import ParallelText
from aligner.corpus.store import check_links, doc_ids, serialise, write_atomic
from aligner.errors import CorpusError
from aligner.formats import get


def import_files(
    paths: Sequence[Path], fmt: str, corpus: Path, resp: str | None = None,
    langs: Sequence[str] = (), replace: bool = False,
) -> list[ParallelText]:
    """Read the files, check every document (links, TEI schema), then write them all.

    Each document is serialised once: the checked bytes are the bytes written.

    A document id already in the corpus is an error unless `replace`.
    """
    read = get(fmt, "read")
    kwargs = {"langs": list(langs)} if fmt == "intertext" else {}
    texts: list[ParallelText] = read(list(paths), resp=resp, **kwargs)  # type: ignore[assignment]
    existing = set(doc_ids(corpus))
    files: dict[Path, bytes] = {}
    for text in texts:
        if text.doc_id in existing and not replace:
            raise CorpusError(f"{corpus / text.doc_id}: document '{text.doc_id}' exists; use --replace to overwrite it")
        check_links(text, Path(text.doc_id))
        files.update(serialise(corpus, text))
    for path, data in files.items():
        write_atomic(path, data)
    return texts
