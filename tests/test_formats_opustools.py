"""OpusTools reads our XCES export: `opus_read` prints the same sentence pairs as our links.

Runs the real `opus_read` (PyPI `opustools`) on the seed article exported to XCES, with each
paragraph linked to the paragraph of the same rank (multi-sentence links and omissions included).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from aligner.corpus.model import Alignment, Link, ParallelText
from aligner.formats import units
from aligner.formats.export import export
from aligner.formats.filters import Filters
from aligner.ingest.text import ingest_file

SEED = Path(__file__).parent.parent / "seeds" / "000_bf7a112df29932bd"
LANGS = ["en", "zh-Hans", "zh-Hant"]

pytestmark = pytest.mark.skipif(
    shutil.which("opus_read") is None,
    reason="opustools is not installed (pip install opustools): cannot check that OpusTools reads our XCES",
)


def seed_text() -> ParallelText:
    """The seed article in three versions, paragraph i linked to paragraph i (leftovers are omissions)."""
    files = {"en": SEED.with_suffix(".txt"), "zh-Hans": SEED.with_suffix(".zh-Hans.txt"), "zh-Hant": SEED.with_suffix(".zh-Hant.txt")}
    versions = {lang: ingest_file(path, "seed", lang) for lang, path in files.items()}
    alignments = []
    for i, a in enumerate(LANGS):
        for b in LANGS[i + 1 :]:
            pa, pb = versions[a].paragraphs, versions[b].paragraphs
            links = tuple(
                Link(tuple(s.id for s in (pa[n].sentences if n < len(pa) else ())),
                     tuple(s.id for s in (pb[n].sentences if n < len(pb) else ())), 0.5, "machine")
                for n in range(max(len(pa), len(pb)))
            )
            alignments.append(Alignment(a, b, links, "paragraph rank"))
    return ParallelText("seed", versions, tuple(alignments))


@pytest.mark.parametrize(("src", "tgt"), [("en", "zh-Hans"), ("en", "zh-Hant"), ("zh-Hans", "zh-Hant")])
def test_opus_read_prints_our_sentence_pairs(tmp_path: Path, src: str, tgt: str) -> None:
    text = seed_text()
    export([text], "xces", LANGS, tmp_path / "out", Filters())
    result = subprocess.run(
        ["opus_read", "-d", "aligner", "-s", src, "-t", tgt, "-af", f"out/{src}-{tgt}.xml", "-dl", "out",
         "-p", "raw", "-wm", "moses"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=True,
    )
    rows = units(text, [src, tgt])
    ours = ["\t".join(" ".join(s.text for s in unit.cells[lang]) for lang in (src, tgt)) for unit in rows]
    assert len(ours) >= 10
    assert any(len(unit.cells[src]) > 1 for unit in rows)
    assert result.stdout.splitlines() == ours
