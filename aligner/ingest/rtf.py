"""RTF → blocks: one per paragraph (`\\par`) or table cell, text extracted by striprtf after a
rewrite that decodes bytes by their font's charset (text in a symbol font by its table), keeps a
`\\upr` group's Unicode (`\\ud`) text and takes footnotes out, to follow their paragraph as
DOCX's do; a line break inside a paragraph (`\\line`) is a space."""

from __future__ import annotations

import codecs
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from aligner.errors import InputError
from aligner.ingest.blocks import Block, Blocks, require
from aligner.ingest.symbol_font import is_symbol_font, symbol_text, warn_left_out

# \fcharsetN → the code page of its \'hh bytes, for charsets other than ANSI (0), default (1) and symbol (2)
_CHARSETS = {
    77: "mac_roman", 128: "cp932", 129: "cp949", 130: "johab", 134: "gbk", 136: "cp950", 161: "cp1253", 162: "cp1254",
    163: "cp1258", 177: "cp1255", 178: "cp1256", 186: "cp1257", 204: "cp1251", 222: "cp874", 238: "cp1250",
}
_TOKEN = re.compile(
    r"\\bin(\d+) ?"  # binary data (a picture's), never text: skipped
    r"|\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # a control word and its argument
    r"|\\'([0-9a-fA-F]{2})|([\x80-\xff])"  # a byte, escaped or raw
    r"|([{}])|([\r\n]+)"  # a group's start or end; line ends, which RTF ignores
    r"|(\\.?|[^\\{}\r\n\x80-\xff]+)",  # a control symbol or text
    re.S,
)
_SPECIAL = re.compile(r"(?:\\\*)?\\(footnote|upr|ud)(?![a-zA-Z]) ?")  # the groups the rewrite handles itself
_NOTE = 0xF0000  # a footnote's place in the text: this private-use character plus the footnote's number
_MARK = re.compile("[\U000f0000-\U0010fffd]")
# Destinations whose text is not the document's (striprtf leaves it out, as it does {\*…} groups):
# not decoded by a symbol font, nor counted
_NOT_TEXT = {"fonttbl", "stylesheet", "info", "fldinst"}
_LABELS = {"listtext", "pntext", "pntxta", "pntxtb"}  # a list item's bullet or number: a glyph dropped there is not counted
# A SYMBOL field's character and the font (\\f, its backslash doubled in RTF) it is in: SYMBOL 97 \\f "Symbol"
_SYMBOL_FIELD = re.compile(r'(?<![\\\w])SYMBOL\s+(0x[0-9a-f]{1,4}|\d{1,5})\b[^{}]*?\\\\f\s*(?:"([^"]+)"|([^\s\\{}]+))', re.I)
log = logging.getLogger(__name__)


@dataclass
class _Group:
    """An RTF group being rewritten: its font and \\uc count (its parent's to begin with), which of
    the special groups it is (a footnote, \\upr, \\ud, the font table, a field's instruction or
    result, a SYMBOL field), whether it is in a destination that is not text, and its text so far."""

    font: str
    uc: int
    special: str = ""
    hidden: bool = False
    out: list[str] = field(default_factory=list)


def _literal(text: str) -> str:
    """Decoded text as RTF text: braces and backslashes escaped."""
    return re.sub(r"([{}\\])", r"\\\1", text)


class _Rewriter:
    """Rewrites an RTF file's text for striprtf: bytes (\\'hh) decoded by their font's charset or
    the file's code page, \\u characters written out (their fallbacks skipped), a \\upr group as
    its \\ud text, each footnote taken out (a marker left in its place), \\line as U+2028 (which
    blocks do not split at) and \\cell as \\par (a table cell is a paragraph, as in DOCX). Text in
    a symbol font (one of charset 2, or named Symbol, Wingdings…) is decoded by it, a SYMBOL
    field's by its instruction; the symbols with no character are counted in `left_out`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.codepage = "cp1252"
        self.fonts: dict[str, str] = {}  # font number → code page, for fonts of a charset of their own
        self.symbol_fonts: set[str] = set()  # font numbers of charset 2 (symbol)
        self.names: dict[str, str] = {}  # font number → its name in the font table, up to its ";"
        self.left_out: Counter[str] = Counter()
        self.symbolic: dict[str, str | None] = {}  # font number → its name when a symbol font, else None (`_symbols`)
        self.groups = [_Group("", 1)]
        self.notes: list[str] = []  # each footnote as an RTF group
        self.skip = 0  # characters still to skip after a \u: its fallback for readers without Unicode
        self.pending = bytearray()  # bytes in a row, decoded together (a Chinese character is two)
        self.codec = ""
        self.at: list[int] = []  # where each pending byte is in the file

    def rewrite(self, rtf: str) -> str:
        """The whole file (its bytes as Latin-1) rewritten; unclosed groups are closed at its end."""
        pos = 0
        while pos < len(rtf):
            token = _TOKEN.match(rtf, pos)
            assert token is not None  # the last alternative matches any character but a line end
            pos = token.end()
            binary, word, arg, escaped, raw, brace, line_end, other = token.groups()
            if escaped or raw:
                self._byte(int(escaped, 16) if escaped else ord(raw), token.start())
                continue
            self._flush()
            if binary:
                pos += int(binary)
            elif brace == "{" and (special := _SPECIAL.match(rtf, pos)):
                self._open(special.group(1))
                pos = special.end()
            elif brace == "{":
                self._open("")
            elif brace:
                self._close()
            elif line_end:
                continue
            elif self.skip:
                self._skip(other or token.group())
            elif word:
                self._word(word, arg)
            else:
                self._text(other)
        self._flush()
        while len(self.groups) > 1:
            self._close()
        return "".join(self.groups[0].out)

    def _open(self, special: str) -> None:
        """Start a group; a \\u's fallback ends with the group it is in."""
        self.skip = 0
        parent = self.groups[-1]
        self.groups.append(_Group(parent.font, parent.uc, special, parent.hidden))

    def _close(self) -> None:
        """End a group: a footnote leaves its marker, a \\upr group only its \\ud group's text; a
        SYMBOL field in a symbol font has its character from its instruction, not its result
        (which Word often leaves empty)."""
        self.skip = 0
        if len(self.groups) == 1:
            self._emit("}")  # one brace too many: striprtf ends the document at it
            return
        group = self.groups.pop()
        text = "{" + "".join(group.out) + "}"
        if group.special == "footnote":
            self.notes.append(text)
            text = chr(_NOTE + len(self.notes) - 1)
        elif group.special == "fldinst" and not self.groups[-1].special and (char := self._symbol_field(text)) is not None:
            self.groups[-1].special, self.groups[-1].hidden = "symbol", True  # the field's result is not read
            text += _literal(char)
        elif group.special == "fldrslt" and self.groups[-1].special == "symbol":
            return
        if self.groups[-1].special != "upr" or group.special == "ud":
            self.groups[-1].out.append(text)

    def _emit(self, text: str) -> None:
        """Add RTF to the current group; a \\upr group's own text is its fallback, not kept."""
        if self.groups[-1].special != "upr":
            self.groups[-1].out.append(text)

    def _skip(self, token: str) -> None:
        """Skip a \\u's fallback: a control word or symbol counts one character, text each of its own."""
        units = 1 if token.startswith("\\") else len(token)
        if units > self.skip:
            self._text(token[self.skip :])
        self.skip = max(0, self.skip - units)

    def _word(self, word: str, arg: str | None) -> None:
        """Follow a control word: Unicode characters, fonts and their charsets, the code page."""
        group = self.groups[-1]
        if word == "u" and arg:
            char = chr(int(arg) % 0x10000)  # negative above 32767
            self._emit(_literal(char if (decoded := self._symbols(char)) is None else decoded))
            self.skip = group.uc
            return
        if word == "uc":
            group.uc = int(arg or 0)
        elif word in ("f", "deff"):
            group.font = arg or ""
        elif word == "fcharset" and int(arg or 0) == 2:
            self.symbol_fonts.add(group.font)
            self.symbolic.pop(group.font, None)
        elif word == "fcharset" and (charset := _CHARSETS.get(int(arg or 0))):
            self.fonts[group.font] = charset
        elif word == "ansicpg":
            self.codepage = _code_page(int(arg or 0), self.codepage)
        elif word in ("fonttbl", "fldinst", "fldrslt") and not group.special:
            group.special = word
        elif word in _LABELS and not group.special:
            group.special = "label"
        group.hidden = group.hidden or word in _NOT_TEXT
        self._emit({"line": "\u2028", "cell": "\\par "}.get(word, f"\\{word}{arg or ''} "))  # a space ends it, whatever did

    def _byte(self, value: int, at: int) -> None:
        """Take a byte of text (or skip it, as a \\u's fallback), to decode with those next to it."""
        if self.skip:
            self.skip -= 1
            return
        if (decoded := self._symbols(chr(value))) is not None:
            self._emit(_literal(decoded))  # no bytes are pending: a token between them and this one flushed them
            return
        codec = self.fonts.get(self.groups[-1].font, self.codepage)
        if codec != self.codec:
            self._flush()
            self.codec = codec
        self.pending.append(value)
        self.at.append(at)

    def _flush(self) -> None:
        """Decode the bytes taken so far; ones that are not text in their code page are an error."""
        if not self.pending:
            return
        try:
            text = self.pending.decode(self.codec)
        except UnicodeDecodeError as err:
            raise InputError(
                f"{self.path}: byte {self.at[err.start]}: \\'{self.pending[err.start]:02x} is not {self.codec} text "
                "(its font's charset, else the file's \\ansicpg); open it in a word processor and save it again as RTF"
            ) from None
        self.pending.clear()
        self.at.clear()
        self._emit(_literal(text))

    def _text(self, text: str) -> None:
        """Add text or a control symbol: \\* makes its group a destination that is not text; in the
        font table, text is a font's name; in a symbol font, it is decoded by the font."""
        group = self.groups[-1]
        if text == "\\*":
            group.hidden = True
        elif any(g.special == "fonttbl" for g in self.groups[-2:]):  # a font's own group, not one in it ({\*\panose})
            self.names[group.font] = self.names.get(group.font, "") + text
            self.symbolic.pop(group.font, None)
        elif not text.startswith("\\") and (decoded := self._symbols(text)) is not None:
            text = _literal(decoded)
        self._emit(text)

    def _symbols(self, text: str) -> str | None:
        """`text` (bytes as Latin-1) decoded by the current font when that is a symbol font, one of
        charset 2 or named as one (see symbol_font), outside destinations that are not text; else None."""
        group = self.groups[-1]
        if group.hidden:
            return None
        if group.font not in self.symbolic:  # once a font, not once a byte (every byte of a Chinese RTF comes here)
            named = self.names.get(group.font, "").split(";")[0].strip()
            self.symbolic[group.font] = named if group.font in self.symbol_fonts or is_symbol_font(named) else None
        name = self.symbolic[group.font]
        if name is None:
            return None
        labels = any(g.special == "label" for g in self.groups)  # a Wingdings bullet is decoration: not worth a warning
        return symbol_text(name, text, Counter() if labels else self.left_out)

    def _symbol_field(self, instruction: str) -> str | None:
        """The character of a field instruction (as rewritten) that is SYMBOL with a symbol font's
        name (\\f), else None (any other field keeps its result)."""
        found = _SYMBOL_FIELD.search(instruction)
        if found is None or not is_symbol_font(font := found[2] or found[3]):
            return None
        code = found[1]
        return symbol_text(font, chr(int(code, 16) if code[:2].lower() == "0x" else int(code)), self.left_out)


def _code_page(number: int, default: str) -> str:
    """An \\ansicpg number's codec, or `default` for one Python does not know."""
    try:
        return codecs.lookup(f"cp{number}").name
    except LookupError:
        return default


def _blocks(text: str, notes: list[str]) -> list[Block]:
    """A block per line of striprtf's text, each followed by the footnotes whose markers it holds."""
    out: list[Block] = []
    for line in text.split("\n"):
        out.append(Block(_MARK.sub("", line)))
        out += [Block(notes[ord(mark) - _NOTE], kind="note") for mark in _MARK.findall(line)]
    return [block for block in out if block.text.strip()]


def read(path: Path) -> Blocks:
    """Read an RTF file; it must start with `{\\rtf`."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from None
    if not data.lstrip().startswith(b"{\\rtf"):
        raise InputError(f"{path}: not an RTF file (it does not start with {{\\rtf); save it again as RTF or give it its own suffix")
    striprtf = require("striprtf.striprtf", "RTF")
    rewriter = _Rewriter(path)
    rtf = rewriter.rewrite(data.decode("latin-1"))
    try:
        text = striprtf.rtf_to_text(rtf)
        notes = [" ".join(_MARK.sub("", striprtf.rtf_to_text(note)).split("\n")) for note in rewriter.notes]
    except Exception:  # striprtf raises ValueError or IndexError on broken control words
        raise InputError(f"{path}: a broken RTF (unbalanced braces or control words); open it in a word processor and save it again") from None
    warn_left_out(log, path, rewriter.left_out)
    return Blocks("", _blocks(text, notes))
