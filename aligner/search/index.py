"""A parallel concordance over the TEI corpus, backed by an SQLite FTS5 index.

The index (`corpus/.search.sqlite`) is a cache: the TEI files stay the source of truth, and a
document is re-indexed whenever one of its files changes (size and mtime, then SHA-256). A
damaged index is made anew; one that cannot be written (a read-only folder, a full disk) is read
as it is while it is current, else a temporary one is made for the search (see `_with_index`).
Three FTS5 tables: `words` (unicode61, every sentence, for space-separated languages),
`grams` (trigram, sentences with Han characters: no word segmentation, so no segmentation
errors) and `raw` (trigram over the sentences as written, without a copy of the text: it
narrows `--regex` queries to sentences holding the literal runs, or one of the alternative
runs, that every match of the pattern contains). Chinese is indexed and queried in Simplified
form, so either script finds both; compatibility forms are folded (NFKC: full-width ２０２４ is
2024), and so are the punctuation marks scripts and regions write differently (every quote mark:
「」, “”, ‘’ and " alike) and the marks grouping a number's digits (1,250, 1.250 in German, 1 250
and 1250 alike; see aligner.search.numbers), for matching only: hits show the sentences as written. In `words` a
run of Chinese, Japanese or Korean letters is a word of its own, so that Latin words and numbers
written inside Chinese (据TrendForce的报告, 涵盖1250个) are words there too. What these indexes
cannot answer is searched in each language's sentences joined into a few long texts (table
`joined`, rebuilt whenever a document is re-indexed; see aligner.search.regex_scan): a `--regex`
without such literals over the text as written (its class escapes made character ranges where
the distinct characters of those texts, table `alphabets`, make that exact; only the sentences
holding a character every match needs, when the counts in `alphabets` show it is rare, and no
language lacking one), a word of one or two Han characters over the Simplified form. A query of
several words, one of them that short, is a substring scan, of only the sentences holding that
word when the joined texts show there are few. Sentences, joined texts and alphabets are kept
under their version's full tag (zh-Hant-TW, not zh-Hant), so that `--lang` tells regional versions apart.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
import sys
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import TypeVar

import regex

from aligner.corpus.model import ParallelText
from aligner.corpus.rows import aligned_rows
from aligner.corpus.store import cause, disk_full, doc_ids, holding, load_current, write_fix
from aligner.edit.journal import JOURNAL_FILE
from aligner.errors import AlignerError, SearchError
from aligner.ingest.langs import HAN, convert, split_tag, tag_within
from aligner.search.numbers import decimal_mark, fold_numbers, group_marks, readings
from aligner.search.regex_literals import required_literals
from aligner.search.regex_scan import Alphabet, Scan, join
from aligner.search.regex_size import MAX_SIZE, size

T = TypeVar("T")
log = logging.getLogger(__name__)

INDEX_FILE = ".search.sqlite"
LOCK_FILE = ".search.lock"  # held while the index is made or refreshed: searches run at once would collide
INDEX_VERSION = 13  # PRAGMA user_version; an index of another version is rebuilt (13: digit groups folded)
CANDIDATES = 200  # more sentences holding a short word than this: the substring scan, which stops at the limit, is faster
CHUNK = 1 << 16  # characters per joined text: a scan that stops early reads only the first few
_DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}  # not a database, or not a whole one: made anew
_UNWRITABLE = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL}
_TERM = re.compile(r'"([^"]*)"|(\S+)')
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_ASCII_LETTER = re.compile("[A-Za-z]")
_ROWS = "SELECT s.doc_id, s.lang, s.sid, s.row, s.text, s.norm FROM sents s"
SCHEMA = """
CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, doc_id TEXT, mtime_ns INT, size INT, sha256 TEXT);
CREATE TABLE IF NOT EXISTS sents(id INTEGER PRIMARY KEY, doc_id TEXT, lang TEXT, sid TEXT, row INT, text TEXT, norm TEXT);
CREATE INDEX IF NOT EXISTS sents_row ON sents(doc_id, row);
CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5(norm, tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS grams USING fts5(norm, tokenize='trigram');
CREATE VIRTUAL TABLE IF NOT EXISTS raw USING fts5(text, content='sents', content_rowid='id', tokenize='trigram');
CREATE TABLE IF NOT EXISTS joined(form TEXT, lang TEXT, first INT, encoding TEXT, text BLOB, ids BLOB, starts BLOB,
                                  loose BLOB, PRIMARY KEY(form, first));
CREATE TABLE IF NOT EXISTS unreadable(doc_id TEXT PRIMARY KEY, reason TEXT);
CREATE TABLE IF NOT EXISTS alphabets(form TEXT, lang TEXT, chars TEXT, counts BLOB, sentences INT, PRIMARY KEY(form, lang));
"""


@dataclass(frozen=True)
class Hit:
    """A matching sentence with its keyword span and the sentences aligned to it; `lang` and the
    keys of `aligned` are versions' full tags (zh-Hant-HK), which tell regional versions apart."""

    doc_id: str
    lang: str
    sid: str
    text: str
    span: tuple[int, int] | None
    aligned: dict[str, list[str]] = field(default_factory=dict)

    def kwic(self, width: int = 30) -> tuple[str, str, str]:
        """Left context, keyword, right context (contexts cut to `width` characters)."""
        start, end = self.span or (0, 0)
        left = self.text[:start]
        left = ("…" + left[-width:]) if len(left) > width else left
        right = self.text[end:]
        right = (right[:width] + "…") if len(right) > width else right
        return left, self.text[start:end], right

    def as_json(self) -> dict[str, object]:
        left, key, right = self.kwic()
        return {"doc_id": self.doc_id, "lang": self.lang, "id": self.sid, "text": self.text,
                "kwic": [left, key, right], "aligned": self.aligned}


# Punctuation that scripts and regions write differently, folded for matching (after NFKC, which
# already makes full-width forms half-width and ﹁ 「, … "..."): every quote mark is ' (zh-Hans “”
# and ‘’, zh-Hant 「」 and 『』, ASCII, guillemets), a middle dot · (‧ in Taiwan, ・ in Japan), a
# long dash — (―, ─), a midline ellipsis ... as NFKC makes …, a wave dash ~ as NFKC makes ～.
_PUNCTUATION = str.maketrans(
    {**dict.fromkeys("\"\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2039\u203a\u00ab\u00bb"
                     "\u300c\u300d\u300e\u300f\u301d\u301e\u301f\u2e42", "'"),
     **dict.fromkeys("\u2027\u30fb", "\u00b7"), **dict.fromkeys("\u2015\u2500\u2501", "\u2014"),
     "\u22ef": "...", "\u301c": "~"}
)
_FOLDED = re.compile("[" + "".join(map(chr, _PUNCTUATION)) + "]")
# Letters of the scripts written without spaces, Chinese (Han, Bopomofo) and Japanese (kana), and
# of Korean, whose particles join a Latin word (H100을): a run of them is a word of its own in the
# `words` table. As ranges, which the `re` module tests faster than `regex` tests \p{Han} and the
# like (looking for a run in the 72,687 sentences of the Bible benchmark: 47 ms against 127);
# jamo and half-width forms included, CJK punctuation (、。「」・) not.
_CJK = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3038-\u303b\u3041-\u3096\u309d-\u309f"
    "\u30a1-\u30fa\u30fc-\u30ff\u3105-\u312f\u3131-\u318e\u31a0-\u31bf\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uffdc\U00020000-\U0003ffff"
)
_CJK_RUN = re.compile(f"[{_CJK}]+")
_NOT_CJK = re.compile(f"[^\\W{_CJK}]")  # a letter or digit of another script
_WORD_START = f"(?<![^\\W{_CJK}])"  # not after a letter or digit of the same word, as `words` splits words


def normalize(text: str) -> str:
    """The searchable form of a text whose digit groups are folded (`numbers.fold_numbers`):
    compatibility forms folded (NFKC: Ｆｕｌｌ → Full, ﬁ → fi, ２０２４ → 2024), Chinese in Simplified
    script, punctuation that scripts and regions write differently folded (`_PUNCTUATION`: 「不」,
    ‘不’ and "不" are all '不'); FTS5 folds case itself."""
    text = unicodedata.normalize("NFKC", text)
    if HAN.search(text):
        text = convert(text, "t2s")
    return text.translate(_PUNCTUATION) if _FOLDED.search(text) else text


def words_form(norm: str) -> str:
    """What the `words` table holds of a sentence's searchable form: when it also holds letters or
    digits of another script, each run of Chinese, Japanese or Korean letters set apart by spaces,
    so that FTS5's unicode61 tokenizer, which breaks words only at spaces and punctuation, makes
    据 trendforce 的报告 of 据TrendForce的报告 and 2024 年 of 2024年."""
    return _CJK_RUN.sub(r" \g<0> ", norm) if _CJK_RUN.search(norm) and _NOT_CJK.search(norm) else norm


class _Unwritable(Exception):
    """A file of the index (the index, its lock) cannot be written: a read-only folder, a full disk
    (`full`, which decides the fix to suggest)."""

    def __init__(self, path: Path, reason: str, full: bool) -> None:
        super().__init__(f"{path}: cannot write the search index ({reason})")
        self.full = full

    @classmethod
    def of(cls, path: Path, err: OSError) -> _Unwritable:
        """A file of the index that the system refused to write."""
        return cls(path, cause(path, err), disk_full(err))


def _code(err: sqlite3.Error) -> int:
    """An SQLite error's primary result code (sqlite3.SQLITE_FULL …)."""
    return err.sqlite_errorcode & 0xFF


def _with_index(corpus: Path, work: Callable[[sqlite3.Connection], T]) -> T:
    """`work` on the corpus index (`connect`). A damaged index file is made anew (once). One that
    cannot be written (a read-only folder, a full disk) is read as it is when it is current, else
    gives way to a temporary index made for this search alone; a rebuild or a temporary index is
    said on stderr. When the temporary one cannot be written either, one line naming the file and the fix."""
    if not corpus.is_dir():
        raise SearchError(f"{corpus}: no such corpus folder; build or import documents first")
    try:
        return _on_file(corpus, work)
    except _Unwritable as err:
        unwritable = err
    try:  # read only: any write (a document to index again, a damaged file) fails
        read_only = sqlite3.connect(f"{(corpus / INDEX_FILE).resolve().as_uri()}?mode=ro", uri=True)
        with closing(_ready(read_only, corpus)) as conn:
            return work(conn)
    except sqlite3.DatabaseError as err:
        if _code(err) not in _UNWRITABLE | _DAMAGED:
            raise
    fix = write_fix(unwritable.full, corpus)
    try:
        with closing(_ready(sqlite3.connect(""), corpus)) as conn:  # "": a file in the temporary folder, gone when closed
            result = work(conn)
    except sqlite3.OperationalError as err:
        if _code(err) not in _UNWRITABLE:
            raise
        raise SearchError(f"{unwritable}, nor a temporary one ({err}); {fix}") from None
    log.warning("%s; searched a temporary index instead, made anew for every search: %s to keep one", unwritable, fix)
    return result


def _on_file(corpus: Path, work: Callable[[sqlite3.Connection], T]) -> T:
    """`work` on the index file, made anew (once) if it is damaged."""
    try:
        return _attempt(corpus, work)
    except sqlite3.DatabaseError as err:
        if _code(err) not in _DAMAGED:
            raise
        log.warning("%s: the search index is damaged (%s); making it anew from the TEI files", corpus / INDEX_FILE, err)
    _remove(corpus / INDEX_FILE)
    return _attempt(corpus, work)


def _attempt(corpus: Path, work: Callable[[sqlite3.Connection], T]) -> T:
    """`work` on the index file (`connect`); `_Unwritable` when the file cannot be written."""
    try:
        with connect(corpus) as conn:
            return work(conn)
    except sqlite3.OperationalError as err:
        if _code(err) not in _UNWRITABLE:
            raise
        raise _Unwritable(corpus / INDEX_FILE, str(err), _code(err) == sqlite3.SQLITE_FULL) from None


def _remove(path: Path) -> None:
    """Delete a damaged index file and its rollback journal, which SQLite would apply to the new one."""
    for stale in (path, path.with_name(path.name + "-journal")):
        try:
            stale.unlink(missing_ok=True)
        except OSError as err:
            raise _Unwritable.of(stale, err) from None


@contextmanager
def connect(corpus: Path) -> Iterator[sqlite3.Connection]:
    """The corpus index file, created if missing and refreshed from the TEI files. It is opened
    once the lock is held, so that a search that waited while another made it anew opens the new file."""
    lock = corpus / LOCK_FILE
    with ExitStack() as held:
        try:
            held.enter_context(holding(lock))  # one process makes or refreshes the index at a time
        except OSError as err:
            raise _Unwritable.of(lock, err) from None
        conn = _ready(sqlite3.connect(corpus / INDEX_FILE, timeout=60), corpus)
    with closing(conn):
        yield conn


def _ready(conn: sqlite3.Connection, corpus: Path) -> sqlite3.Connection:
    """`conn`'s index in this version's schema and refreshed from the TEI files (closed if that fails)."""
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] != INDEX_VERSION:
            _reset(conn)
        refresh(conn, corpus)
    except BaseException:
        conn.close()
        raise
    return conn


def _reset(conn: sqlite3.Connection) -> None:
    """Drop every table of an index made by another version and create the current schema."""
    with conn:
        for name in ("unreadable", "alphabets", "joined", "raw", "grams", "words", "sents", "files"):
            conn.execute(f"DROP TABLE IF EXISTS {name}")
    conn.execute("PRAGMA page_size = 65536")  # joined texts read ~4x faster than with 4k pages (measured)
    conn.execute("VACUUM")  # applies the page size
    with conn:
        conn.executescript(SCHEMA)
        conn.execute(f"PRAGMA user_version = {INDEX_VERSION}")


def _stat(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_mtime_ns, st.st_size


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tracked(folder: Path) -> list[str]:
    """The files whose change makes a document indexed again: its TEI files, and its editor's
    journal, whose pending edits are written when the document is read again (`load_current`)."""
    journal = folder / JOURNAL_FILE
    return sorted([*(str(p) for p in folder.glob("*.xml")), *([str(journal)] if journal.is_file() else [])])


def refresh(conn: sqlite3.Connection, corpus: Path) -> list[str]:
    """Re-index the documents whose files changed (`_tracked`), drop removed ones; return those re-indexed."""
    known = {path: (doc, mtime, size, sha) for path, doc, mtime, size, sha in conn.execute("SELECT * FROM files")}
    current = {doc: _tracked(corpus / doc) for doc in doc_ids(corpus)}
    stale = []
    for doc, paths in current.items():
        mine = {p for p, rec in known.items() if rec[0] == doc}
        if mine != set(paths):
            stale.append(doc)
            continue
        for path in paths:
            if _stat(Path(path)) != known[path][1:3]:
                if _sha(Path(path)) != known[path][3]:
                    stale.append(doc)
                    break
                conn.execute("UPDATE files SET mtime_ns=?, size=? WHERE path=?", (*_stat(Path(path)), path))
    gone = {rec[0] for rec in known.values()} - set(current)
    with conn:
        for doc in sorted(gone | set(stale)):
            _drop(conn, doc)
        for doc in stale:
            _index(conn, corpus, doc, current[doc])
        if gone or stale:
            _join(conn)
    return stale


def _drop(conn: sqlite3.Connection, doc: str) -> None:
    ids = [(i,) for (i,) in conn.execute("SELECT id FROM sents WHERE doc_id=?", (doc,))]
    conn.executemany("DELETE FROM words WHERE rowid=?", ids)
    conn.executemany("DELETE FROM grams WHERE rowid=?", ids)
    conn.execute("INSERT INTO raw(raw, rowid, text) SELECT 'delete', id, text FROM sents WHERE doc_id=?", (doc,))
    conn.execute("DELETE FROM sents WHERE doc_id=?", (doc,))
    conn.execute("DELETE FROM files WHERE doc_id=?", (doc,))
    conn.execute("DELETE FROM unreadable WHERE doc_id=?", (doc,))


def _index(conn: sqlite3.Connection, corpus: Path, doc: str, paths: list[str]) -> None:
    """Index one document: every sentence with its row, so aligned sentences share a row number,
    and its version's full tag (zh-Hant-TW), so a region asked for finds that region's version only.
    A document that cannot be read is recorded as unreadable, with its reason, until its files change."""
    try:
        text = load_current(corpus, doc)
    except AlignerError as err:
        conn.execute("INSERT INTO unreadable VALUES (?, ?)", (doc, str(err)))
        text = ParallelText(doc, {}, ())
    langs = sorted(text.versions, key=lambda lang: (lang != "en", lang))
    tags = {lang: version.tag for lang, version in text.versions.items()}
    marks = {lang: decimal_mark(tag) for lang, tag in tags.items()}
    records = [
        (doc, tags[lang], s.id, row.index, s.text, normalize(fold_numbers(s.text, marks[lang])))
        for row in aligned_rows(text, langs)
        for lang in langs
        for s in row.cells[lang]
    ]
    for rec in records:
        cur = conn.execute("INSERT INTO sents(doc_id, lang, sid, row, text, norm) VALUES (?,?,?,?,?,?)", rec)
        conn.execute("INSERT INTO words(rowid, norm) VALUES (?, ?)", (cur.lastrowid, words_form(rec[5])))
        conn.execute("INSERT INTO raw(rowid, text) VALUES (?, ?)", (cur.lastrowid, rec[4]))
        if HAN.search(rec[5]):
            conn.execute("INSERT INTO grams(rowid, norm) VALUES (?, ?)", (cur.lastrowid, rec[5]))
    conn.executemany(
        "INSERT INTO files VALUES (?,?,?,?,?)", [(p, doc, *_stat(Path(p)), _sha(Path(p))) for p in paths]
    )


def _join(conn: sqlite3.Connection) -> None:
    """Rebuild the joined texts (about CHUNK characters each, in corpus order) of each language:
    form "text" holds the sentences as written, "norm" the Simplified form of those with Han;
    and the alphabet of each: its distinct characters (codepoint order) with their counts."""
    conn.execute("DELETE FROM joined")
    conn.execute("DELETE FROM alphabets")
    rows = conn.execute("SELECT lang, id, text, norm FROM sents ORDER BY lang, id").fetchall()
    for lang, group in groupby(rows, key=itemgetter(0)):
        sents = list(group)
        for form, pairs in (("text", [(i, text) for _, i, text, _ in sents]),
                             ("norm", [(i, norm) for _, i, _, norm in sents if HAN.search(norm)])):
            alphabet = Alphabet.of([sentence for _, sentence in pairs])
            conn.execute("INSERT INTO alphabets VALUES (?,?,?,?,?)",
                         (form, lang, alphabet.chars, _int64(list(alphabet.counts)), alphabet.sentences))
            for chunk in _chunks(pairs):
                text, starts, loose = join([t for _, t in chunk])
                encoding = "utf-8" if text.isascii() else "utf-16-le"  # the faster to decode for Han (measured)
                conn.execute("INSERT INTO joined VALUES (?,?,?,?,?,?,?,?)", (form, lang, chunk[0][0], encoding,
                             text.encode(encoding), _int64([i for i, _ in chunk]), _int64(starts), _int64(loose)))


def _chunks(pairs: list[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    """Consecutive runs of (id, text) holding about CHUNK characters of text (at least one each)."""
    chunk: list[tuple[int, str]] = []
    size = 0
    for pair in pairs:
        if chunk and size + len(pair[1]) > CHUNK:
            yield chunk
            chunk, size = [], 0
        chunk.append(pair)
        size += len(pair[1]) + 1
    if chunk:
        yield chunk


def _int64(values: list[int]) -> bytes:
    return array("q", values).tobytes()


def _scan(
    conn: sqlite3.Connection, form: str, pattern: regex.Pattern[str], tags: list[str] | None, limit: int
) -> list[int]:
    """Ids of the first `limit` sentences (in corpus order) of the versions tagged `tags` (None:
    all) in which `pattern` finds a match.

    Joined texts are read in the order of their first sentence, all versions together (but for
    those whose alphabet shows no sentence can match); once `limit` hits are found, only the
    sentences before the last of them are searched.
    """
    if limit == 0:
        return []
    limit = limit if limit > 0 else sys.maxsize  # a negative limit is none, as in SQL
    scan = Scan.of(pattern)
    scans = {}
    for tag, chars, counts, sentences in conn.execute("SELECT lang, chars, counts, sentences FROM alphabets WHERE form=?", (form,)):
        on = scan.on(Alphabet(chars, array("q", counts), sentences)) if tags is None or tag in tags else None
        if on is not None:
            scans[tag] = on
    found: list[int] = []
    for text_lang, first, encoding, text, id_bytes, start_bytes, loose in conn.execute(
        "SELECT lang, first, encoding, text, ids, starts, loose FROM joined"
        " WHERE form=? AND lang IN (SELECT value FROM json_each(?)) ORDER BY first", (form, json.dumps(list(scans)))
    ):
        if len(found) == limit and first > found[-1]:
            break
        ids, starts, joined = array("q", id_bytes), array("q", start_bytes), text.decode(encoding)
        if len(found) == limit and (count := bisect_left(ids, found[-1])) < len(ids):
            joined, starts = joined[: starts[count] - 1], starts[:count]  # only these can come before the last hit
        hits = scans[text_lang].first_hits(joined, starts, set(array("q", loose)), limit)
        found = sorted([*found, *map(ids.__getitem__, hits)])[:limit]
    return found


def terms(query: str) -> list[str]:
    """The words and phrases of an FTS5 query, without operators and prefix stars."""
    if query.count('"') % 2:
        raise SearchError(f"query '{query}': unbalanced double quote; close the phrase with \"")
    out = []
    for phrase, word in _TERM.findall(query):
        term = (phrase or word).rstrip("*").strip("()")
        if term and term not in _OPERATORS:
            out.append(term)
    return out


_BARE = re.compile(r'"[^"]*"|[^\s"]+')
_FTS_WORD = re.compile(r"[\w\x80-\U0010ffff]+")  # what FTS5 takes as a bare word


def fts_query(query: str) -> str:
    """The query with each bare word FTS5 cannot take as one (six-party, China's, U.S.) quoted as
    a phrase, which its tokenizer splits as it split the text, and runs of Chinese, Japanese or
    Korean letters set apart as `words_form` sets them apart in the text (H100을: the phrase
    "H100 을"); operators, groups and phrases as written (a NEAR(...) query as it is, but for those runs)."""
    if "NEAR(" in query:
        return words_form(query)

    def quoted(m: re.Match[str]) -> str:
        token = m.group()
        if token.startswith('"'):
            return f'"{words_form(token[1:-1]).strip()}"'
        core = token.lstrip("(").rstrip(")")
        lead, trail = token[: len(token) - len(token.lstrip("("))], token[len(token.rstrip(")")) :]
        word, star = (core[:-1], "*") if core.endswith("*") else (core, "")
        spaced = words_form(word).strip()
        if not word or word in _OPERATORS or (_FTS_WORD.fullmatch(word) and spaced == word):
            return token
        return f'{lead}"{spaced}"{star}{trail}'

    return _BARE.sub(quoted, query)


_NOT = re.compile(r'\s+NOT\s+(?=(?:[^"]*"[^"]*")*[^"]*$)')  # FTS5's NOT, outside a "phrase"


def _where(query: str, use_regex: bool) -> tuple[str, list[object]]:
    """The SQL condition and parameters for a query; a plain one is found in any of its `readings`
    (1.250 read as 1.250 and as 1250), OR'd in one FTS5 query where it takes an FTS5 table."""
    if use_regex:
        match = " AND ".join(
            "(" + " OR ".join('"' + lit.replace('"', '""') + '"' for lit in clause) + ")" for clause in required_literals(query)
        )
        return "s.id IN (SELECT rowid FROM raw WHERE raw MATCH ?) AND regexp(?, s.text)", [match, query]
    parts = _NOT.split(query)
    if len(parts) > 1:  # `a NOT b`: every reading of b left out, not only one (their OR lost the NOT)
        each = [[_plain(reading) for reading in readings(part)] for part in parts]
        if all(table == "words" for found in each for table, _ in found):
            match = " NOT ".join("(" + " OR ".join(f"({ps[0]})" for _, ps in found) + ")" for found in each)
            return "s.id IN (SELECT rowid FROM words WHERE words MATCH ?)", [match]
    found = [_plain(reading) for reading in readings(query)]
    tables = {table for table, _ in found}
    if len(tables) == 1 and "" not in tables:  # one FTS5 table for every reading: one MATCH
        table = tables.pop()
        match = " OR ".join(f"({ps[0]})" for _, ps in found) if len(found) > 1 else found[0][1][0]
        return f"s.id IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)", [match]
    conditions = [  # readings searched differently (1 250 as two words, 1250万 as one): each its own way
        f"s.id IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)" if table
        else "(" + " AND ".join("s.norm LIKE ? ESCAPE '\\'" for _ in ps) + ")"
        for table, ps in found
    ]
    return "(" + " OR ".join(conditions) + ")", [p for _, ps in found for p in ps]


def _plain(query: str) -> tuple[str, list[str]]:
    """How to find a plain query whose numbers are folded: the FTS5 table to match and the query
    for it, or "" and a LIKE pattern for each term that every sentence found holds."""
    words = terms(query)
    if not words:
        raise SearchError(f"query '{query}': nothing to search for; give a word or a \"phrase\"")
    symbols = any(unicodedata.category(ch) == "So" for ch in query)  # 🚀: no word to FTS5, which drops it
    if not HAN.search(query) and not symbols:
        # NFKC alone: the query's quote marks are FTS5's, and `words` holds no punctuation to fold
        return "words", [fts_query(unicodedata.normalize("NFKC", query))]
    norm = [normalize(t) for t in words]
    if all(len(t) >= 3 for t in norm) and not symbols:
        return "grams", [" ".join(f'"{t}"' for t in norm)]
    escaped = [t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for t in norm]
    return "", [f"%{t}%" for t in escaped]


def _span(hit_text: str, norm: str, words: list[str], pattern: regex.Pattern[str] | None, decimal: str) -> tuple[int, int] | None:
    """Where the first of the query's `words` (its terms in each of its readings) or the first
    match of the --regex pattern sits in the sentence, whose decimal mark is `decimal`, for the KWIC
    view; a point or a comma between digits matches either, as FTS5 split words there (1.250 found German 1,250)."""
    if pattern is not None:
        m = pattern.search(hit_text)
        return m.span() if m else None
    low, starts, ends = _searchable(hit_text, norm, decimal)
    for term in words:
        word = normalize(term).casefold()
        start = _WORD_START if word[:1].isalnum() and not _CJK_RUN.match(word[:1]) else ""  # FTS5 matched a word, not inside one
        found = regex.search(start + "[.,]".join(map(regex.escape, _DECIMAL.split(word))), low)
        if found:
            return starts[found.start()], ends[found.end() - 1]
    return None


_GRAPHEME = regex.compile(r"\X")
_DECIMAL = re.compile(r"(?<=\d)[.,](?=\d)")  # a decimal mark in a folded number


def _searchable(text: str, norm: str, decimal: str) -> tuple[str, Sequence[int], Sequence[int]]:
    """`norm`, the searchable form of the sentence `text` (whose decimal mark is `decimal`),
    case-folded, with the start and the end in `text` of what each of its characters comes from
    (the marks grouping digits, which `norm` lacks, left out)."""
    marks = set(group_marks(text, decimal))
    if not marks:
        return _unfolded(text, norm)
    kept = [i for i in range(len(text)) if i not in marks]
    low, starts, ends = _unfolded("".join(text[i] for i in kept), norm)
    return low, [kept[i] for i in starts], [kept[i - 1] + 1 for i in ends]


def _unfolded(text: str, norm: str) -> tuple[str, Sequence[int], Sequence[int]]:
    """`norm`, the searchable form of `text` (which holds no digit groups), case-folded, with the
    start and the end in `text` of what each of its characters comes from: the same character when
    the lengths agree; else (NFKC, casefolding or the folded punctuation made something longer: …
    is ..., ß ss) each grapheme of the text is made searchable alone."""
    low = norm.casefold()
    if len(low) == len(text):
        return low, range(len(text)), range(1, len(text) + 1)
    pieces, starts, ends = [], [], []
    for m in _GRAPHEME.finditer(text):
        piece = unicodedata.normalize("NFKC", m.group()).translate(_PUNCTUATION).casefold()
        pieces.append(piece)
        starts += [m.start()] * len(piece)
        ends += [m.end()] * len(piece)
    low = "".join(pieces)
    if HAN.search(low) and len(simplified := convert(low, "t2s")) == len(low):
        low = simplified
    return low, starts, ends


def _joined_plan(query: str, pattern: regex.Pattern[str] | None) -> tuple[str, regex.Pattern[str], bool] | None:
    """What to search in the joined texts (form, pattern, and whether its hits are the answer or
    only candidates for the substring scan) for a query the FTS5 tables cannot answer; or None."""
    if pattern is not None:
        return None if required_literals(query) else ("text", pattern, True)
    if not HAN.search(query):
        return None
    words = [normalize(t) for t in terms(query)]
    short = [w for w in words if len(w) < 3 and not _ASCII_LETTER.search(w)]  # LIKE folds ASCII case
    if not short:
        return None
    return "norm", regex.compile(regex.escape(max(short, key=len))), len(words) == 1


def _compile(query: str) -> regex.Pattern[str]:
    """The --regex pattern compiled, or one line saying why not: its syntax, or a size that would
    take gigabytes to compile (`regex_size`), refused before it is tried."""
    if (items := size(query)) > MAX_SIZE:
        raise SearchError(
            f"--regex '{query}': its repeats come to {items} items, over the limit of {MAX_SIZE} (nested counts"
            " multiply); lower the counts, or use + or * for a run of any length"
        )
    try:
        return regex.compile(query)
    except regex.error as err:
        raise SearchError(f"--regex '{query}': {err}; fix the regular expression") from None


def _select(
    conn: sqlite3.Connection, query: str, pattern: regex.Pattern[str] | None, tags: list[str] | None, limit: int,
    within: list[int] | None = None,
) -> list[tuple[str, str, str, int, str, str]]:
    """The first `limit` matching sentence rows of the versions tagged `tags` (None: all) through
    the FTS5 tables (or a substring scan of the sentences `within`, when given)."""
    where, params = _where(query, pattern is not None)
    if tags is not None:
        where += " AND s.lang IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(tags))
    if within is not None:
        where += " AND s.id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(within))
    if pattern is not None:
        conn.create_function("regexp", 2, lambda _p, text: pattern.search(text) is not None, deterministic=True)
    try:
        return conn.execute(f"{_ROWS} WHERE {where} ORDER BY s.id LIMIT ?", [*params, limit]).fetchall()
    except sqlite3.OperationalError as err:
        if _code(err) != sqlite3.SQLITE_ERROR:  # not the query's syntax: the index's trouble (`_with_index`)
            raise
        raise SearchError(f"query '{query}': {err}; see FTS5 syntax: words, \"a phrase\", AND, OR, NOT, prefix*") from None


def _tags(conn: sqlite3.Connection, asked: str) -> list[str]:
    """The full tags of the indexed versions within the tag asked for (`langs.tag_within`)."""
    rows = conn.execute("SELECT lang FROM alphabets WHERE form='text'")  # one row per indexed version
    return [tag for (tag,) in rows if tag_within(asked, tag)]


@dataclass(frozen=True)
class Found:
    """A search's answer: the hits, and why each document the index left out could not be read."""

    hits: list[Hit]
    unreadable: list[str]


def find(corpus: Path, query: str, lang: str | None = None, use_regex: bool = False, limit: int = 20) -> Found:
    """Sentences matching `query` (FTS5 syntax, or a regular expression), in corpus order; with
    `lang`, a BCP 47 tag, only those of the versions within it (see `_tags`); and the documents
    the index left out, in id order."""
    if not use_regex and HAN.search(query) and {"OR", "NOT", "NEAR"} & set(re.findall(r"[A-Z]+", query)):
        raise SearchError(
            f"query '{query}': OR, NOT and NEAR work on words in Latin script; a Chinese query's words must all match, "
            "or use --regex, e.g. --regex '核试验|制裁'"
        )
    if lang:
        split_tag(lang)  # a bad tag is refused before the index is opened
    pattern = _compile(query) if use_regex else None
    plan = _joined_plan(query, pattern)

    def answer(conn: sqlite3.Connection) -> Found:
        unreadable = [reason for (reason,) in conn.execute("SELECT reason FROM unreadable ORDER BY doc_id")]
        return Found(_hits(conn, query, pattern, plan, _tags(conn, lang) if lang else None, limit), unreadable)

    return _with_index(corpus, answer)


def search(corpus: Path, query: str, lang: str | None = None, use_regex: bool = False, limit: int = 20) -> list[Hit]:
    """The hits of `find`."""
    return find(corpus, query, lang, use_regex, limit).hits


def _hits(
    conn: sqlite3.Connection, query: str, pattern: regex.Pattern[str] | None,
    plan: tuple[str, regex.Pattern[str], bool] | None, tags: list[str] | None, limit: int,
) -> list[Hit]:
    """The first `limit` matching sentences of the versions tagged `tags` (None: all), each with
    the sentences aligned to it; `plan` is the query's `_joined_plan`."""
    if plan and plan[2]:
        ids = json.dumps(_scan(conn, plan[0], plan[1], tags, limit))
        rows = conn.execute(f"{_ROWS} WHERE s.id IN (SELECT value FROM json_each(?)) ORDER BY s.id", (ids,)).fetchall()
    else:
        within = _scan(conn, plan[0], plan[1], tags, CANDIDATES + 1) if plan else None
        if within is not None and len(within) > CANDIDATES:
            within = None  # too many to list: the substring scan reaches the limit sooner
        rows = _select(conn, query, pattern, tags, limit, within)
    hits = []
    words = [] if pattern else [term for reading in readings(query) for term in terms(reading)]
    for doc, hit_lang, sid, row, text, norm in rows:
        aligned: dict[str, list[str]] = {}
        for other, other_text in conn.execute(
            "SELECT lang, text FROM sents WHERE doc_id=? AND row=? AND lang<>? ORDER BY id", (doc, row, hit_lang)
        ):
            aligned.setdefault(other, []).append(other_text)
        hits.append(Hit(doc, hit_lang, sid, text, _span(text, norm, words, pattern, decimal_mark(hit_lang)), aligned))
    return hits
