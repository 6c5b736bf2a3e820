"""SRT and WebVTT export: the target language's text on the source version's cue times.

For a document ingested from subtitles: every link is placed in the source cue of its first
source sentence; a cue's text is the target sentences of its links, and its times span the source
cues those links touch. Links with no source sentence join the cue before them; cues left with no
target text are dropped.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from aligner.errors import InputError
from aligner.formats import Batch
from aligner.ingest.blocks import require

Cue = tuple[int, int, str]


def cues(batch: Batch) -> list[Cue]:
    """The output cues: times from the source version, text from the target."""
    if len(batch.langs) != 2 or len(batch.texts) != 1:
        raise InputError("subtitle export writes one document in one language on another's timing: give one document and --langs SRC,TGT")
    src, tgt = batch.langs
    (text,) = batch.texts
    paragraph = {s.id: p for p in text.versions[src].paragraphs for s in p.sentences}
    if any(p.start is None for p in paragraph.values()) or not paragraph:
        raise InputError(f"{text.doc_id}: the {src} version has no cue times; subtitle export needs a version ingested from .srt or .vtt")
    starts: dict[str, int] = {}
    ends: dict[str, int] = {}
    lines: dict[str, list[str]] = {}
    last = ""
    for unit in batch.units:
        if unit.cells[src]:
            touched = [paragraph[s.id] for s in unit.cells[src]]
            last = touched[0].id
            starts[last] = min(starts.get(last, 1 << 62), *(p.start or 0 for p in touched))
            ends[last] = max(ends.get(last, 0), *(p.end or 0 for p in touched))
        if unit.cells[tgt] and last:
            lines.setdefault(last, []).append(unit.text(tgt))
    return [(starts[c], ends[c], "\n".join(lines[c])) for c in starts if c in lines]


def write_srt(batch: Batch, out: Path) -> dict[Path, bytes]:
    """SubRip: numbered cues with HH:MM:SS,mmm times."""
    srt = require("srt", "SRT")
    subs = [
        srt.Subtitle(n, datetime.timedelta(milliseconds=a), datetime.timedelta(milliseconds=b), text)
        for n, (a, b, text) in enumerate(cues(batch), 1)
    ]
    return {out: srt.compose(subs, reindex=False).encode()}


def _stamp(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def write_vtt(batch: Batch, out: Path) -> dict[Path, bytes]:
    """WebVTT: a WEBVTT header, then cues with HH:MM:SS.mmm times."""
    webvtt = require("webvtt", "WebVTT")
    captions = [webvtt.Caption(start=_stamp(a), end=_stamp(b), text=text) for a, b, text in cues(batch)]
    return {out: webvtt.WebVTT(captions=captions).content.encode()}
