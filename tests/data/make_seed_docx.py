"""Write the seed article's English version as a Word file: `python tests/data/make_seed_docx.py`.

The DOCX holds what plain-text ingest keeps of `seeds/<doc>.txt`: the title in Word's Title
style, the body paragraphs, and the byline (author, date) in the document properties, so that
ingesting it gives the same sentences and ids as the .txt (tests/test_ingest_docx.py checks it).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import docx

from aligner.ingest.text import decode, normalize, strip_chrome

ROOT = Path(__file__).resolve().parent.parent.parent
DOC = "000_bf7a112df29932bd"
OUT = ROOT / "tests" / "data" / "docx" / f"{DOC}.en.docx"


def main() -> None:
    """Build the DOCX from the seed text."""
    text = normalize(decode((ROOT / "seeds" / f"{DOC}.txt").read_bytes(), DOC))
    body, meta = strip_chrome(text)
    document = docx.Document()
    document.add_paragraph(meta.title, style="Title")
    for para in body:
        document.add_paragraph(para)
    props = document.core_properties
    props.title, props.author = meta.title, meta.author
    props.created = props.modified = datetime.datetime.fromisoformat(meta.date or "2013-01-01")
    props.last_modified_by, props.revision = meta.author, 1
    document.save(str(OUT))


if __name__ == "__main__":
    main()
