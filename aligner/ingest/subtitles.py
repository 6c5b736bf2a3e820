"""SRT and WebVTT subtitles → blocks: one per cue, its text with markup removed and its times kept."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

from aligner.errors import InputError
from aligner.ingest.blocks import Block, Blocks, require
from aligner.ingest.langs import squeeze

_TAG = re.compile(
    r"</?(?:[ibus]|c|ruby|rt)(?:\.[\w-]+)*>"  # <i>, </b>, <c.yellow>
    r"|</?(?:v|lang)(?:\.[\w-]+)*(?:\s[^<>]*)?>"  # <v Name>, <lang en>
    r"|</?font(?:\s[^<>]*)?>"  # <font color="#ff0">
    r"|<(?:\d+:)?\d{2}:\d{2}\.\d{3}>"  # karaoke time stamps <00:01.000>
    r"|\{\\[^}]*\}",  # SSA overrides {\an8}
    re.IGNORECASE,
)
_REFERENCE = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")  # &amp; &#8212; &#x2014;
_STAMP = {".srt": r"\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}", ".vtt": r"(\d+:)?\d{2}:\d{2}\.\d{3}"}
_FORM = {".srt": "HH:MM:SS,mmm --> HH:MM:SS,mmm", ".vtt": "HH:MM:SS.mmm --> HH:MM:SS.mmm"}


def _check_time_lines(path: Path, text: str) -> None:
    """Every line with '-->', or that starts with a time stamp, must be a well-formed time line
    (the libraries skip or misread others, and report the cue after)."""
    suffix = path.suffix.lower()
    stamp = _STAMP[suffix]
    line_re = re.compile(rf"{stamp}\s*-->\s*{stamp}(\s.*)?")
    starts = re.compile(rf"{stamp}\s*[-=>–—]")
    for n, line in enumerate(text.split("\n"), 1):
        if ("-->" in line or starts.match(line.strip())) and not line_re.fullmatch(line.strip()):
            raise InputError(f"{path}:{n}: broken time line '{line.strip()}'; write it as {_FORM[suffix]}")


def _text(raw: str) -> str:
    """A cue's lines as one line of text, markup and speaker tags removed (a lone '<' or '>' is text)."""
    return squeeze(_TAG.sub("", raw))


def _unescaped(text: str) -> str:
    """WebVTT character references (&amp; &lt; &nbsp; &#8212; …) as their characters; only ones closed by ';', so 'AT&T' stays."""
    return _REFERENCE.sub(lambda ref: html.unescape(ref.group()), text)


def _checked(path: Path, blocks: list[Block]) -> list[Block]:
    """Every cue must end after it starts."""
    for n, block in enumerate(blocks, 1):
        if block.start is None or block.end is None or block.end < block.start:
            raise InputError(f"{path}: cue {n} ends before it starts ({block.start} ms → {block.end} ms); fix its time line")
    return blocks


def _in_time_order(blocks: list[Block]) -> list[Block]:
    """Cues sorted by start time, ties kept in file order: alignment by cue times reads them in sequence."""
    return sorted(blocks, key=lambda block: block.start or 0)


def _srt(path: Path, text: str) -> list[Block]:
    srt = require("srt", "SRT")
    try:
        cues = list(srt.parse(text, ignore_errors=False))
    except (srt.SRTParseError, ValueError) as err:
        start = getattr(err, "actual_start", 0)
        line = text.count("\n", 0, start) + 1
        raise InputError(f"{path}:{line}: broken cue (number or time line 'HH:MM:SS,mmm --> HH:MM:SS,mmm'); fix it") from None
    return [Block(_text(c.content), round(c.start.total_seconds() * 1000), round(c.end.total_seconds() * 1000)) for c in cues]


def _vtt(path: Path, text: str) -> list[Block]:
    webvtt = require("webvtt", "WebVTT")
    try:
        captions = webvtt.from_buffer(io.StringIO(text)).captions
    except Exception as err:  # webvtt-py raises MalformedFileError, MalformedCaptionError, ValueError
        raise InputError(f"{path}: broken WebVTT ({err}); check the WEBVTT header and the 'HH:MM:SS.mmm --> HH:MM:SS.mmm' time lines") from None
    return [Block(_unescaped(_text(c.raw_text)), _ms(c.start), _ms(c.end)) for c in captions]


def _ms(stamp: str) -> int:
    """'01:02:03.456' or '02:03.456' → milliseconds."""
    parts = [float(p) for p in stamp.split(":")]
    seconds = sum(v * 60**i for i, v in enumerate(reversed(parts)))
    return round(seconds * 1000)


def read(path: Path) -> Blocks:
    """Read an .srt or .vtt file, cues in time order; broken times are an error naming the cue."""
    from aligner.ingest.text import decode

    try:
        text = decode(path.read_bytes(), str(path))
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from None
    _check_time_lines(path, text)
    blocks = _vtt(path, text) if path.suffix.lower() == ".vtt" else _srt(path, text)
    if not blocks:
        raise InputError(f"{path}: no subtitle cues found; is this a subtitle file?")
    return Blocks("", _in_time_order(_checked(path, blocks)))
