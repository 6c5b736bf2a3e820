"""Ingest: bytes of a text or HTML page → one language version as a `Document`.

Decodes (UTF-8/16 with BOM, UTF-8, GB18030, Big5, EUC-KR, Shift_JIS, Windows code pages),
extracts text from HTML, normalises (NFC, whitespace), strips page chrome keeping what it says
as metadata, then splits paragraphs and sentences and gives them stable ids.
"""

from __future__ import annotations

import itertools
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import regex

from aligner.corpus.model import DOC_ID, Document, Metadata, Paragraph, Sentence
from aligner.errors import InputError
from aligner.ingest.blocks import READERS, document_from_blocks, reader
from aligner.ingest.langs import (
    CJK_MARKS,
    HAN,
    ISO_639_1,
    ISO_639_2,
    THREE_LETTER,
    detect_language,
    guess_language,
    normalize_tag,
    other_language,
    split_tag,
    squeeze,
)
from aligner.ingest.runs import drop_unread, text_runs
from aligner.ingest.segment import split_paragraphs, split_sentences

log = logging.getLogger(__name__)

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Full-width punctuation that correctly decoded Chinese prose is full of.
_CJK_PUNCT = set("，。、；：？！“”「」（）《》")

_HTML_START = re.compile(r"\s*(<\?xml[^>]*>\s*)?(<!doctype html[^>]*>\s*)?<html", re.I)  # a page, whatever its name
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")  # XHTML pages open with one
_LANGUAGE_BAR = re.compile(r"^\s*(Language|语言|語言)\s*[:：]\s*[^\s.。:：]{1,12}(\s+[^\s.。:：]{1,12})+\s*$", re.I)  # a switcher: two or more names
_CHROME_LINE = re.compile(
    r"^\s*(Back to Top|返回顶部|回到頂部|返回頂部|回到顶部|Share( this( article| story| page)?)?|Print|Email|分享|打印|列印)\s*$", re.I
)
_TAIL_MARKER = re.compile(
    r"^\s*(You might also like|Related( Articles)?|你可能还喜欢|你可能也喜歡|你可能也喜欢|相关文章|相關文章)\s*$",
    re.I,
)
_BY = re.compile(r"^\s*(?:By|作者[:：]?)\s+(?P<name>[^.。!?]{2,60}?)\s*$")
_BULLET = re.compile(r"^\s*[•·●▪◦*]\s*(?P<name>.+?)\s*$")
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_EN_DATE = re.compile(
    r"^\s*(?P<mon>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2})\s*,\s*(?P<year>\d{4})\s*$"
)
_EN_DAY_FIRST = re.compile(r"^\s*(?P<day>\d{1,2})\s+(?P<mon>[A-Z][a-z]{2,8})\.?\s+(?P<year>\d{4})\s*$")  # 4 March 2021
_ZH_DATE = re.compile(r"^\s*(?P<year>\d{4})\s*年\s*(?P<mon>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日\s*$")
_ISO_DATE = re.compile(r"^\s*(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})\s*$")
# Words of a class or id, and roles, that name page chrome; the words split at '-', '_' and case (siteFooter, NavBar).
_CHROME_WORDS = frozenset(
    "footer copyright nav navbar navigation menu breadcrumb sidebar cookie share sharing social related advert advertisement ad".split()
)
_CHROME_ROLES = frozenset("navigation contentinfo complementary search menu menubar".split())
_NEAR = 2 / 3  # a section this share of the longest is as long (digits, a word more): the first such <h1> starts the main text
_NAME_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_LANG_SUFFIX = re.compile(r"\.(?P<lang>[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*)$")  # zh-TW, zh_TW


@dataclass(frozen=True)
class Source:
    """A file found for ingest: which document and language version it holds."""

    path: Path
    doc_id: str
    lang: str | None  # None: detect from the text
    region: str = ""  # from a tag with a region (DOC.zh-TW.txt → TW)


HTML_SUFFIXES = (".html", ".htm", ".xhtml")  # names of pages read as HTML (XHTML is HTML to the reader)


def source_of(path: Path) -> Source:
    """Read doc id and language from a name like `DOC.zh-Hans.txt` (no tag: detect later)."""
    stem = path.name
    for ext in (".txt", *HTML_SUFFIXES, *READERS):
        if stem.lower().endswith(ext):
            stem = stem[: -len(ext)]
    lang, region = None, ""
    m = _LANG_SUFFIX.search(stem)
    if m and _looks_like_tag(m.group("lang"), path):
        lang, region = split_tag(m.group("lang"))
        stem = stem[: m.start()]
    if not DOC_ID.fullmatch(stem):
        raise InputError(f"{path}: '{stem}' cannot be a document id; rename the file with letters, digits, '_', '-' or '.'")
    return Source(path, stem, lang, region)


def _looks_like_tag(tag: str, path: Path) -> bool:
    """A language suffix is short and known-shaped (en, de, zh-Hans), not a hash or a word.

    A suffix that starts as one but is no language tag is an error, not a name part: two letters
    that are no ISO 639-1 code (a typo such as `zn`), or a language with subtags BCP 47 does not
    allow there (en-XX-foo), as the language options refuse them.
    """
    head = re.split(r"[-_]", tag)[0]
    primary = head.lower()
    known = len(primary) == 2 or primary in ISO_639_2 or primary in THREE_LETTER  # minutes.new.txt: 'new' is part of the name
    try:
        normalize_tag(tag)
    except InputError as err:
        if not known:
            return False
        if len(primary) == 2 and primary not in ISO_639_1:
            raise InputError(f"{path}: {err}, or join '{head}' to the name with '-' or '_'") from None
        raise InputError(f"{path}: {err} in the file's name (NAME.TAG{path.suffix})") from None
    return known


def decode(data: bytes, name: str, lang: str | None = None) -> str:
    """Decode a file's bytes: BOMs, UTF-8, then GB18030 or Big5 (the one that reads most as
    Chinese), EUC-KR, Shift_JIS, then a Windows code page (`_single_byte`, `lang` the language
    the file is in, if known); bytes that read as none of them are refused rather than turned
    into text no one wrote."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty; give a text or HTML file with the document")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as err:
                raise InputError(f"{name}: byte {err.start}: not valid {codec} despite its byte order mark") from None
    if b"\x00" in data:
        nul = data.index(b"\x00")
        head = data[:2000]
        if max(head[0::2].count(0), head[1::2].count(0)) > len(head) // 5:  # every other byte: UTF-16 text
            raise InputError(f"{name}: byte {nul}: a NUL byte every other byte: UTF-16 without a byte order mark; save the file as UTF-8")
        raise InputError(f"{name}: byte {nul}: a NUL byte; this looks like a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        utf8_error = err
    candidates = []
    for codec in ("gb18030", "big5"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        sample = text[:_READ]
        if _chinese_share(sample) >= _SURE:
            candidates.append((_word_share(sample), sum(ch in _CJK_PUNCT for ch in sample), codec == "gb18030", text))
    if candidates and max(candidates)[0] >= _WORDS:
        return max(candidates)[3]
    for codec, script, kana in (("euc-kr", _HANGUL, None), ("shift_jis", _KANA_HAN, _HIRAGANA)):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        at = _non_ascii(text[:_READ])
        if at and sum(bool(script.match(text[i])) for i in at) >= _SURE * len(at) and (
            kana is None or sum(bool(kana.match(text[i])) for i in at) >= 0.1 * len(at)  # Japanese writes hiragana
        ):
            return text
    if (single := _single_byte(data, lang)) is not None:
        return single
    raise InputError(
        f"{name}: byte {utf8_error.start}: not UTF-8, GB18030, Big5, EUC-KR, Shift_JIS or Windows-1252 text; "
        "convert the file to UTF-8"
    )


def _single_byte(data: bytes, lang: str | None) -> str | None:
    """The bytes read by a Windows code page, or None when none reads as a language.

    A known language's own code page is taken when the text reads as that language; else the
    Latin code page whose letters read most as one language's (ties: the one of the language
    its function words name, then Windows-1252); else, for a text of unknown language, Windows-1252
    if its letters are Latin ones. Cyrillic and Greek code pages fill the same bytes with letters
    alike, so only a known language picks them.
    """
    if lang:
        page, letters = _code_page(lang)
        own = data.decode(page, errors="replace")
        reads = _latin_share(own[:_READ]) >= _SURE if page == "cp1252" else _fit(own[:_READ], [letters]) >= _FITS
        if reads:
            return own
    readings = {page: data.decode(page, errors="replace") for page in _BY_LETTERS}
    fits = {page: _fit(readings[page][:_READ], _ALPHABETS[page].values()) for page in _BY_LETTERS}
    guessed = _code_page(guess_language(readings["cp1252"][:_READ]) or "")[0]
    best = max(_BY_LETTERS, key=lambda page: (fits[page], page == guessed, page == "cp1252"))
    if fits[best] >= _FITS:
        return readings[best]
    return readings["cp1252"] if not lang and _latin_share(readings["cp1252"][:_READ]) >= _SURE else None


def _code_page(lang: str) -> tuple[str, frozenset[str]]:
    """The Windows code page a language's single-byte files use, and the letters beyond a-z it
    writes (a language not listed: Windows-1252, judged by `_latin_share`)."""
    primary = lang.split("-")[0].lower()
    for page, alphabets in _ALPHABETS.items():
        if primary in alphabets:
            return page, alphabets[primary]
    return "cp1252", frozenset()


def _fit(text: str, alphabets: Iterable[frozenset[str]]) -> float:
    """The share of a decoding's non-ASCII characters that a text in one of some languages writes,
    for the language that writes most: its letters, and Western punctuation not between two
    letters (an apostrophe aside); none in a run of three alike, which is bytes of something else."""
    at = _non_ascii(text)
    marks, letters = 0, Counter[str]()
    for i in at:
        ch = text[i]
        if ch * 3 in text[max(0, i - 2) : i + 3]:
            continue
        inside = 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()
        if ch in _WESTERN and (not inside or ch in "’·"):
            marks += 1
        else:
            letters[ch] += 1
    return max(marks + sum(letters[ch] for ch in alphabet) for alphabet in alphabets) / len(at) if at else 1.0


_SURE = 0.8  # share of a decoding's non-ASCII characters that must read as its script
_WORDS = 0.08  # share of adjacent Han pairs that must be CC-CEDICT words: Korean or Japanese bytes read as Chinese make few
_FEW_PAIRS = 5
_HANGUL = regex.compile(rf"[\p{{Hangul}}{CJK_MARKS}]")
_KANA_HAN = regex.compile(rf"[\p{{Hiragana}}\p{{Katakana}}\p{{Han}}{CJK_MARKS}]")
_CHINESE = regex.compile(rf"[\p{{Han}}{CJK_MARKS}]")
_HIRAGANA = regex.compile(r"\p{Hiragana}")
_READ = 200_000  # characters a decoding is judged on: enough to tell, and a long file costs no more
_WESTERN = set("“”‘’„‚–—…«»°€£§©®±·×÷•№")
_FITS = 0.95  # share of a single-byte decoding's non-ASCII characters that must be its language's letters
# The letters beyond a-z each language writes, by the Windows code page of its single-byte files
# (Windows-1252 last: Estonian is in two).
_ALPHABETS = {
    page: {lang: frozenset(letters + letters.upper()) for lang, letters in alphabets.items()}
    for page, alphabets in {
        "cp1250": {"cs": "áčďéěíňóřšťúůýž", "sk": "áäčďéíĺľňóôŕšťúýž", "pl": "ąćęłńóśźż", "hu": "áéíóöőúüű",
                   "ro": "ăâîşţ", "hr": "čćđšž", "sl": "čšž"},
        "cp1254": {"tr": "çğıöşüâîûİ"},
        "cp1257": {"lt": "ąčęėįšųūž", "lv": "āčēģīķļņšūž", "et": "äõöüšž"},
        "cp1251": {"ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
                   "bg": "абвгдежзийклмнопрстуфхцчшщъьюя"},
        "cp1253": {"el": "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώϊϋΐΰς"},
        "cp1252": {"fr": "àâæçéèêëîïôœùûüÿ", "de": "äöüß", "es": "áéíñóúü", "pt": "àáâãçéêíóôõú", "it": "àèéìíîòóùú",
                   "nl": "áéëíïóöúü", "da": "æøåé", "no": "æøåéèóôò", "sv": "åäöé", "fi": "åäöšž", "is": "áæðéíóöúýþ",
                   "ca": "àçèéíïòóúü", "et": "äõöüšž"},
    }.items()
}
_BY_LETTERS = ("cp1252", "cp1250", "cp1254", "cp1257")  # the Latin code pages, told apart by their letters


def _non_ascii(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if ord(ch) > 127]


def _chinese_share(text: str) -> float:
    """The share of a decoding's non-ASCII characters that are Chinese: Han or CJK punctuation,
    not kana or Cyrillic, and not a lone Han character inside a Latin word (a Western file's ß or
    é read as half of a two-byte character)."""
    at = _non_ascii(text)

    def chinese(i: int) -> bool:
        ch = text[i]
        if not (_CHINESE.match(ch) or ch in _CJK_PUNCT):
            return False
        return not (0 < i < len(text) - 1 and text[i - 1].isascii() and text[i - 1].isalpha() and text[i + 1].isascii() and text[i + 1].isalpha())

    return sum(map(chinese, at)) / len(at) if at else 1.0


def _word_share(text: str) -> float:
    """The share of a decoding's adjacent Han pairs that are CC-CEDICT words: high for Chinese,
    near nothing for other bytes read as Chinese (and for Big5 read as GB18030: 臺灣 as 籓芖);
    a text of a few pairs is never refused by it, only ranked."""
    from aligner.align.lexicon import headwords

    pairs = [text[i : i + 2] for i in range(len(text) - 1) if HAN.match(text[i]) and HAN.match(text[i + 1])]
    if not pairs:
        return 1.0
    words = headwords()
    share = sum(pair in words for pair in pairs) / len(pairs)
    return share if len(pairs) >= _FEW_PAIRS else max(share, _WORDS)  # a few pairs rank, but cannot refuse


def _latin_share(text: str) -> float:
    """The share of a decoding's non-ASCII characters that a Western text uses: Latin letters
    (é, ß, ø …) and its punctuation (“ ” – … €), each beside an ASCII character, as in words
    (a run such as ÿÿÿÿ is bytes of something else)."""
    at = _non_ascii(text)

    def western(i: int) -> bool:
        ch = text[i]
        beside = any(0 <= j < len(text) and text[j].isascii() for j in (i - 1, i + 1))
        return beside and (ch in _WESTERN or (ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")))

    return sum(map(western, at)) / len(at) if at else 1.0


def html_to_text(html: str, where: str = "page") -> str:
    """The visible text of an HTML page, a blank line between blocks (`runs.text_runs`), from the
    <h1> that starts its main text on (`_main_title`); what no reader reads (`runs.drop_unread`:
    scripts, menus, footnote marks), footers, forms and elements whose class, id or role names
    chrome dropped unless they hold most of the page's text (a WebForms page puts all of it in a
    form), and a page header unless it holds the title. Text left out before the title is noted
    as a warning naming `where`."""
    from lxml import html as lxml_html

    root = lxml_html.fromstring(_XML_DECLARATION.sub("", html, count=1))  # lxml refuses a str that declares its encoding
    drop_unread(root)  # first, so that a page's scripts weigh nothing in the counts below
    for bad in root.xpath("//noscript|//footer|//aside|//header[not(.//h1)]"):
        bad.drop_tree()
    total = _letters(root.xpath("//text()"))
    for node in root.xpath(".//form|.//*[@class or @id or @role or @hidden or @aria-hidden]"):
        if (node.tag == "form" or _marked_chrome(node)) and 2 * _letters(node.xpath(".//text()")) <= total:
            node.drop_tree()
    title = _main_title(root)
    if title is not None and title[1]:
        log.warning("%s: %d characters before the title '%s' left out as the site's menus", where, title[1], squeeze(title[0].text_content()))
    node = title[0] if title else None
    while node is not None and node.getparent() is not None:  # what comes before the title is the site's menus
        parent = node.getparent()
        for sibling in list(node.itersiblings(preceding=True)):
            parent.remove(sibling)  # with its tail: text before the title too
        parent.text, node = None, parent
    return "\n\n".join(block.text for block in text_runs(root))


def _letters(texts: Iterable[str | None]) -> int:
    """How many characters other than spaces some text nodes hold (None: an element without text)."""
    return sum(not ch.isspace() for text in texts if text for ch in text)


def _marked_chrome(node: Any) -> bool:
    """An element hidden, or whose role or a word of its class or id names page chrome
    (site-footer, mainNav, share-buttons; not navigate-article-body)."""
    if node.get("hidden") is not None or node.get("aria-hidden") == "true" or node.get("role", "").lower() in _CHROME_ROLES:
        return True
    words = _NAME_WORD.findall(f"{node.get('class', '')} {node.get('id', '')}")
    return any(word.lower().removesuffix("s") in _CHROME_WORDS for word in words)


def _main_title(root: Any) -> tuple[Any, int] | None:
    """The <h1> that starts the page's main text and how many letters come before it: among those
    inside <main> or <article> if any is, the first whose section (its text up to the next) is
    near the longest, so a page of equal sections starts at its first; None when more text comes
    before it than from it on (a sidebar's heading after the article), or the page has none."""
    heads = root.xpath("//main//h1|//article//h1") or root.xpath("//h1")
    if not heads:
        return None
    before, total = _letters_before(root, heads)
    starts = [before[head] for head in heads]
    sizes = [end - start for start, end in zip(starts, [*starts[1:], total], strict=True)]
    k = next(i for i, size in enumerate(sizes) if size >= _NEAR * max(sizes))
    return (heads[k], starts[k]) if 2 * starts[k] <= total else None


def _letters_before(root: Any, heads: list[Any]) -> tuple[dict[Any, int], int]:
    """How many letters of the page's text come before each of `heads` (`preceding::text()`), and in all, in one walk."""
    from lxml import etree

    wanted, before, seen = set(heads), {}, 0
    for event, node in etree.iterwalk(root.getroottree().getroot(), events=("start", "end", "comment", "pi")):
        if event == "start" and node in wanted:
            before[node] = seen
        seen += _letters([node.text if event == "start" else node.tail])  # a comment's own text is none of the page's
    return before, seen


# Characters XML 1.0 cannot hold besides controls: lone surrogates (bytes that were not UTF-8) and U+FFFE, U+FFFF.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def normalize(text: str) -> str:
    """NFC, Unix newlines, no control characters nor others XML cannot hold, spaces folded inside
    lines as `squeeze` folds them (an ideographic space in Chinese kept); punctuation untouched."""
    text = unicodedata.normalize("NFC", NOT_IN_XML.sub("", text)).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    lines = [squeeze(ln) for ln in text.split("\n")]
    return "\n".join(lines)


def _iso_date(line: str) -> str:
    """An ISO date for a date line ('Mar 12 , 2013', '2013年3月12日'), or ''."""
    for pattern in (_EN_DATE, _EN_DAY_FIRST, _ZH_DATE, _ISO_DATE):
        m = pattern.match(line)
        if not m:
            continue
        mon = m.group("mon")
        month = int(mon) if mon.isdigit() else _MONTHS.get(mon[:3].lower(), 0)
        if 1 <= month <= 12 and 1 <= int(m.group("day")) <= 31:
            return f"{m.group('year')}-{month:02d}-{int(m.group('day')):02d}"
    return ""


def strip_chrome(text: str) -> tuple[list[str], Metadata]:
    """Remove page chrome; return the body paragraphs and the metadata the chrome carried.

    The first block is the title; the byline right after it (a date line, a bulleted author
    and the short line after it, the affiliation) becomes metadata. Every other block stays in
    the body: a date or a bulleted list further on is text.
    """
    kept: list[str] = []
    for line in text.split("\n"):
        if _TAIL_MARKER.match(line):
            break  # everything after "You might also like" is other articles
        if not (_LANGUAGE_BAR.match(line) or _CHROME_LINE.match(line)):
            kept.append(line)
    blocks = [p for block in re.split(r"\n\s*\n", "\n".join(kept)) for p in _block_paragraphs(block)]
    title = blocks[0] if blocks and len(blocks[0]) < 200 and not _ends_sentence(blocks[0]) else ""
    date, author, affiliation, byline = "", "", "", set()
    at = 1 if title else 0
    while at < min(len(blocks), 6):  # the byline: right after the title, until the first other block
        if not date and (iso := _iso_date(blocks[at])):
            date = iso
        elif not author and (name := _byline_name(blocks, at)):
            author = name
            if at + 1 < len(blocks) and len(blocks[at + 1]) < 120 and not _ends_sentence(blocks[at + 1]) and not _iso_date(blocks[at + 1]):
                affiliation = blocks[at + 1]
                byline.add(at)
                at += 1
        else:
            break  # the body has begun: a date or a bullet further on is text
        byline.add(at)
        at += 1
    body = [block for k, block in enumerate(blocks) if k not in byline and not (title and k == 0)]
    return body, Metadata(title=title, date=date, author=author, affiliation=affiliation)


def _byline_name(blocks: list[str], at: int) -> str:
    """The name of a byline at `at`: bulleted (• Sun Ru), not an item of a list (a bullet beside
    another), or a short 'By Jane Doe' line."""
    if by := _BY.match(blocks[at]):
        return by.group("name")
    bullet = _BULLET.match(blocks[at])
    beside = [blocks[k] for k in (at - 1, at + 1) if 0 <= k < len(blocks)]
    return bullet.group("name") if bullet and not any(_BULLET.match(b) for b in beside) else ""


def _block_paragraphs(block: str) -> list[str]:
    """A block between blank lines is one paragraph (hard-wrapped lines joined), unless it holds
    byline lines (a date, a bulleted name), which stand alone."""
    lines = [ln for ln in block.split("\n") if ln.strip()]
    if any(_iso_date(ln) or _BULLET.match(ln) for ln in lines):
        return [ln.strip() for ln in lines]
    return split_paragraphs(block)


def _ends_sentence(text: str) -> bool:
    return text.rstrip("”’\"')）」』").endswith(tuple(".?!。？！…"))


def build_document(doc_id: str, lang: str, title: str, body: list[str], meta: Metadata) -> Document:
    """Split paragraphs into sentences and number them: `{lang}.head.s1`, `{lang}.p3.s2` …"""
    paragraphs = []
    if title:
        head = tuple(
            Sentence(f"{lang}.head.s{i}", s) for i, s in enumerate(split_sentences(title, lang), 1)
        )
        paragraphs.append(Paragraph(f"{lang}.head", head, "head"))
    for n, para in enumerate(body, 1):
        sents = split_sentences(para, lang)
        if sents:
            pid = f"{lang}.p{n}"
            paragraphs.append(
                Paragraph(pid, tuple(Sentence(f"{pid}.s{i}", s) for i, s in enumerate(sents, 1)))
            )
    return Document(doc_id, lang, tuple(paragraphs), meta)


def ingest_text(text: str, doc_id: str, lang: str | None, source: str, where: str = "") -> Document:
    """Turn decoded page or plain text into a Document (language detected when not given);
    `source` is the file's name for the TEI header, `where` its path for messages."""
    if source.lower().endswith(HTML_SUFFIXES) or _HTML_START.match(text):
        text = html_to_text(text, where or source)
    text = normalize(text)
    body, meta = strip_chrome(text)
    if not body and not meta.title:
        raise InputError(f"{where or source}: no text left after removing page chrome; is this the article?")
    lang = lang or detect_language(" ".join(body[:5]) or meta.title)
    meta = Metadata(meta.title, meta.date, meta.author, meta.affiliation, source=source)
    return build_document(doc_id, lang, meta.title, body, meta)


def ingest_file(path: Path, doc_id: str | None = None, lang: str | None = None) -> Document:
    """Read one file as a language version; doc id and language from its name unless given."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from None
    src = source_of(path) if doc_id is None or lang is None else Source(path, doc_id, lang)  # given both: the name says nothing
    if (read := reader(path)) is not None:
        doc = document_from_blocks(doc_id or src.doc_id, lang or src.lang, read(path), path.name, str(path))
    else:
        doc = ingest_text(decode(data, str(path), lang or src.lang), doc_id or src.doc_id, lang or src.lang, path.name, str(path))
    if lang is None and src.lang and (found := off_language(doc, src.lang)):
        log.warning("%s: looks written in %s, not in %s as its name says; if that is its language, rename it %s",
                    path, found, src.lang, path.name.replace(f".{path.name.split('.')[-2]}.", f".{found}.", 1))
    return replace(doc, region=src.region) if src.region and not lang else doc


_SAMPLE = 50  # sentences of a document its language is told from


def off_language(doc: Document, lang: str) -> str | None:
    """The language `doc`'s first sentences look written in when it is not `lang` (`langs.other_language`), else None."""
    return other_language(" ".join(s.text for s in itertools.islice(doc.sentences(), _SAMPLE)), lang)
