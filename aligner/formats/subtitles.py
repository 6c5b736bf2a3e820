"""SRT and WebVTT export: the target language's text on the source version's cue times.

For a document ingested from subtitles: every link is placed in the source cue of its first
source sentence; a cue's text is the target sentences of its links, and its times span the source
cues those links touch. Links with no source sentence join the cue before them; cues left with no
target text are dropped. Cues are written in time order and never overlap: a cue starts where its
first source cue starts and ends, at the latest, where the next one starts (cues that start
together become one). Empty lines are left out, as they would end a cue; in SRT, '-->' in the text
is written '→' (it would read as a time line); in WebVTT, &, < and > are written &amp; &lt; &gt;,
which also keeps '-->' out of the text.
"""

from __future__ import annotations

import datetime
import html
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
            lines.setdefault(last, []).extend(_lines(unit.text(tgt)))
    return _in_sequence([(starts[c], ends[c], "\n".join(lines[c])) for c in starts if lines.get(c)])


def _lines(text: str) -> list[str]:
    """A target text's lines without empty ones, which would end the cue in SRT and WebVTT."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _in_sequence(timed: list[Cue]) -> list[Cue]:
    """Cues by start time, each cut where the next starts and ones starting together joined: one on screen at a time."""
    out: list[Cue] = []
    for start, end, text in sorted(timed, key=lambda cue: cue[0]):
        if out and out[-1][0] == start:
            out[-1] = (start, max(end, out[-1][1]), f"{out[-1][2]}\n{text}")
            continue
        if out:
            out[-1] = (out[-1][0], min(out[-1][1], start), out[-1][2])
        out.append((start, end, text))
    return out


def write_srt(batch: Batch, out: Path) -> dict[Path, bytes]:
    """SubRip: numbered cues with HH:MM:SS,mmm times; '-->' in the text written '→', not to read as a time line."""
    srt = require("srt", "SRT")
    subs = [
        srt.Subtitle(n, datetime.timedelta(milliseconds=a), datetime.timedelta(milliseconds=b), text.replace("-->", "→"))
        for n, (a, b, text) in enumerate(cues(batch), 1)
    ]
    return {out: srt.compose(subs, reindex=False).encode()}


def _stamp(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def write_vtt(batch: Batch, out: Path) -> dict[Path, bytes]:
    """WebVTT: a WEBVTT header, then cues with HH:MM:SS.mmm times; &, < and > escaped as cue text requires."""
    webvtt = require("webvtt", "WebVTT")
    captions = [webvtt.Caption(start=_stamp(a), end=_stamp(b), text=html.escape(text, quote=False)) for a, b, text in cues(batch)]
    return {out: webvtt.WebVTT(captions=captions).content.encode()}
