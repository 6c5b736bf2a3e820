"""Paragraph and sentence splitting for English-like and Chinese text.

Rules, not a model: a sentence ends at a terminal stop followed (after closing quotes and
brackets) by the start of another sentence, except after abbreviations, initials and list
labels (the dots of a URL or e-mail address are none: a stop after one is the sentence's), inside
a quotation the sentence goes on after (She read “Hello! World” twice.), and in Chinese inside
quotations or book titles, at a title's close, or before the attribution of a quotation (“……。”他说。,
not 她没有回答). Chinese ； ends a sentence only before the next item of a list; …… only when a
closing quote follows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import cache

import regex

from aligner.ingest.langs import is_chinese, squeeze


@dataclass(frozen=True)
class _Abbreviations:
    """Abbreviations and ordinals of one language, or of all (folded lower case, but titles)."""

    never_final: frozenset[str] = frozenset()  # before a name or a day: Mr. Smith, Mar. 12
    before_number: frozenset[str] = frozenset()  # before a number or Roman numeral only: No. 5, Kap. IV
    titles: frozenset[str] = frozenset()  # before a name as written, not after an amount: Fr. Müller
    ends_list: frozenset[str] = frozenset()  # a capital after it starts a sentence: etc. Luego
    amounts: frozenset[str] = frozenset()  # after a number, go on before one of _UNITS: 5 Mio. Euro
    dot_ordinals: bool = False  # a number of one or two digits with a dot: am 3. Oktober
    roman_ordinals: bool = False  # a Roman numeral before a name: II. Mehmet (German's follows one)


# Those of every language: English ones, Latin etc., German and French ones that end no English
# sentence (Vgl., Nr., S., Abb., Bd., Kap., Swiss Fr. 7.-, chap. 2, also English), Drs. (English
# doctors, Dutch doctorandus) and the title Fr. (English Father, German Frau, French frère; but
# kostet 7 Fr. Dann: Swiss francs). An abbreviation spelt with a space is held with a dot for it
# (d. h. → d.h).
_ALL = _Abbreviations(
    never_final=frozenset({
        "mr", "mrs", "ms", "dr", "prof", "st", "sr", "gen", "col", "lt", "sgt", "capt", "rev",
        "hon", "gov", "sen", "rep", "pres", "vol", "vols", "fig", "figs", "ch", "pp", "p", "ed",
        "eds", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "e.g", "i.e", "cf", "vs", "ca", "approx", "dept", "est", "mt", "ft", "op", "cit", "vgl",
        "drs",
    }),
    before_number=frozenset({"no", "nos", "art", "nr", "s", "abb", "bd", "kap", "fr", "chap"}),
    titles=frozenset({"Fr"}),
    ends_list=frozenset({"etc"}),
)
# Those of one language, by its primary subtag, as their words end sentences of others (Polish
# ul. and ok. 5; English on Ul. The, was ok. 5 people, paid the tab. 20 minutes). German Fräulein,
# Herrn, das heißt, vor allem, Tab. 1, Herr (HR.) and Diplom-Ingenieur (ING.), Mio., Mrd., Tsd.;
# French Madame, Mademoiselle, par exemple, tome, Professeur (PR.) and Messieurs (5 mm.); Spanish
# and Portuguese Señora, Señorita, Doña, Doctora, Licenciado, por ejemplo, EE. UU., capítulo,
# página; Italian Signor(i), Dottore, Avvocato, Ingegnere, capitolo, pagina; Dutch de heer,
# mevrouw, bladzijde; Polish na przykład, to znaczy, to jest, ulica, między innymi, magister,
# około, Sp. z o.o. (a company's); Turkish doçent; Russian профессор, академик, улица, то есть, так
# как (not им., also "them"), том, страница, дом, квартира, глава, рисунок, город (в 1990 г.
# Затем: the year), и т.д., и т.п.
_LANGUAGES = {
    "de": _Abbreviations(
        never_final=frozenset({"frl", "hrn", "d.h", "v.a"}),
        before_number=frozenset({"tab"}),
        titles=frozenset({"Hr", "Ing"}),
        amounts=frozenset({"mio", "mrd", "tsd"}),
        dot_ordinals=True,
    ),
    "fr": _Abbreviations(
        never_final=frozenset({"mme", "mmes", "mlle", "mlles", "p.ex"}),
        before_number=frozenset({"t"}),
        titles=frozenset({"Pr", "MM"}),
    ),
    "es": _Abbreviations(
        never_final=frozenset({"sra", "srta", "sres", "dña", "dra", "lic", "p.ej", "ee"}),
        before_number=frozenset({"cap", "pág"}),
    ),
    "pt": _Abbreviations(
        never_final=frozenset({"sra", "srta", "dra", "p.ex"}),
        before_number=frozenset({"cap", "pág"}),
    ),
    "it": _Abbreviations(
        never_final=frozenset({"sig", "sigg", "dott", "avv"}),
        before_number=frozenset({"cap", "pag"}),
        titles=frozenset({"Ing"}),
    ),
    "nl": _Abbreviations(never_final=frozenset({"dhr", "mevr"}), before_number=frozenset({"blz"})),
    "pl": _Abbreviations(
        never_final=frozenset({"np", "tzn", "tj", "ul", "m.in", "mgr"}),
        before_number=frozenset({"ok"}),
        ends_list=frozenset({"o.o"}),
    ),
    "tr": _Abbreviations(never_final=frozenset({"doç"}), dot_ordinals=True, roman_ordinals=True),
    "ru": _Abbreviations(
        never_final=frozenset({"проф", "акад", "ул", "т.е", "т.к"}),
        before_number=frozenset({"т", "с", "стр", "д", "кв", "гл", "рис"}),
        titles=frozenset({"г"}),
        ends_list=frozenset({"т.д", "т.п"}),
    ),
}
# Abbreviations that end a sentence only when a typical sentence opener follows ("the U.S. With").
_MAYBE_FINAL = {
    "u.s", "u.k", "u.n", "e.u", "inc", "ltd", "co", "corp", "jr", "a.m", "p.m", "v", "al",
}
# Currencies and units after a German amount (5 Mio. Euro, 3 Mrd. Franken, 2 Tsd. Besucher); before
# another capital (bei 5 Mio. Das war viel) a sentence may start.
_UNITS = {
    "euro", "eur", "dollar", "usd", "franken", "fr", "chf", "pfund", "yen", "tonnen", "liter",
    "kilometer", "km", "einwohner", "menschen", "besucher",
}
_OPENERS = {
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "we", "they",
    "i", "you", "there", "here", "but", "and", "or", "so", "yet", "if", "when", "while", "with",
    "in", "on", "at", "for", "from", "as", "after", "before", "since", "though", "although",
    "however", "moreover", "meanwhile", "such", "what", "why", "how", "who", "where", "both",
    "each", "many", "most", "some", "all", "no", "not", "one", "two", "then", "thus", "to",
    "by", "his", "her", "their", "our", "my", "your", "later", "now", "today", "yesterday",
    "instead", "indeed", "finally", "afterwards", "therefore", "nevertheless", "eventually",
}

_CLOSERS = "\"'”’»)]}）】』」》〉"
# A stop (Arabic ؟ among them), its closing quotes and brackets (a quote standing alone after the
# stop, as in 'did it. " Then' or French « … demain. » Puis, closes too), the space, and the first
# character of the next sentence.
_EN_END = re.compile(
    r"(?P<stop>[.?!؟]+|…)(?P<close>[" + re.escape(_CLOSERS) + r"]*(?:\s+[\"”’»](?=\s))?)"
    r"(?P<space>\s+)(?=(?P<next>[\"'“‘(\[]*[\w¿¡]|’[st][ -]\w|[-–—]\s+\w))"  # ’s Avonds; a dash: the next speaker's
)
# A Dutch article elided before the first word of a sentence, which shows its capital: 's Avonds,
# ’t Was, 's-Hertogenbosch.
_ELIDED = re.compile(r"['’][st][ -](?=\w)")
# English-like quotation marks, opener → closer; a straight " opens before a word, closes after one.
_EN_QUOTES = {"“": "”", "‘": "’", "«": "»", '"': '"'}
# Characters from a stop to the end of its quotation: a title or an exclamation inside a sentence
# (“Hello! World”), not a speech of several sentences, which is split as usual.
_QUOTE_TAIL = 80
# After a quotation's closer (and any more closers): the first character of what follows.
_AFTER_QUOTE = re.compile(r"[\"'”’»)\]]*\s*(\S?)")
# The word before a stop, past an article or preposition elided before a vowel or h (l’Avv.,
# dell’Ing.; not Bill’s).
_WORD_BEFORE = re.compile(r"(?:\b(?:[dl]|\w{0,3}ll)['’](?=[aeiouhàâéèêîô]))?([\w.'’]+)$", re.I)
_LOOKBACK = 64  # characters searched for the word before a stop (keeps the scan linear)
# A URL or e-mail address (https://…, www.…, host.org/…, name@host): its dots are not abbreviations'.
_ADDRESS = re.compile(r"://|\bwww\.|\w\.[^\W\d_]{2,}/|\w@\w", re.I)
# An upper-case Roman numeral up to 399 (Kap. IV, S. XIV), not the start of a word (Ivan, XL's).
_ROMAN = re.compile(r"(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})(?![\w'’])")
# A day and a Roman month before a stop (am 3. IV. 1990): the year after them goes on with the date.
_ROMAN_DATE = re.compile(r"(?<!\d)(?:[1-9]|[12]\d|3[01])\. (?:I{1,3}|IV|VI{0,3}|IX|XI{0,2})$")
_ACRONYM = re.compile(r"([^\W\d_]\.)+[^\W\d_]")  # U.S, e.U.A: letters only, not "1.3"
# A label that is not a sentence of its own: "2.", "iv.", "1.3.", "Figure 1.2." (before a caption).
_LABEL = re.compile(
    r"((figure|fig|table|section|chapter|part|step)\.?\s+)?(\d+(\.\d+)*|[a-z]|[ivxlc]+)\.", re.I
)

_ZH_STOPS = "。！？!?"
_ZH_PAIRS = {
    "“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "〈": "〉", "（": "）", "【": "】",
    "(": "）", "[": "】", '"': '"',
}
_ZH_CLOSE_OF = {")": "）", "]": "】"}  # half-width closers that end full-width brackets
_ZH_CLOSERS = "”’」』》〉）】)]\"'"
_MAX_QUOTE = 400  # characters a quotation or title may span before its opener counts as stray
# The rest of a run of stops: more stops, ellipses, spaced dots standing for an ellipsis (。 . . .).
_ZH_STOP_RUN = regex.compile(r"(?:\s*(?:[。！？!?]|…+|\.(?:\s?\.)+))*")
# A list label after ；: the items of an enumeration are sentences (…；2.传递性：…).
_ZH_ENUMERATOR = regex.compile(r"\s*[（(]?(?:\d{1,2}|[一二三四五六七八九十]{1,3})[.．、)）](?!\d)")
# Verbs of saying that end an attribution (道 not in 知道, to know).
_ZH_SAYS = (
    r"(?:说|(?<!知)道|问|答|称|讲|說|問|稱|講|表示|指出|认为|認為|强调|強調|写道|寫道|回答|感叹道|感嘆道)"
)
# An attribution right after a closing quote continues the sentence: “……。”他说。 Before a colon
# it opens the next quotation instead (“你去吗？”我说：“去。” is two sentences).
_ZH_ATTRIBUTION = regex.compile(r"[\p{Han}\w·]{1,6}?" + _ZH_SAYS + r"(?=[，。！？,]|$)")
# A clause that says nobody spoke: a verb of saying negated, with only auxiliaries between
# (没有回答, 沒有再問, 不说, 无法回答), or nobody as its subject (没人回答, not 无人机 a drone). It
# is a new sentence, not the quotation's speaker; an adverb that merely holds a negation
# (没好气地说, 不禁问道, 不满道) negates no saying.
_ZH_NO_SPEAKER = regex.compile(
    r"(?:没|沒|未|不|别|別|无|無)(?:有|再|曾|肯|敢|能|会|會|愿|願|意|想|要|可|必|用|法|子|及|好)*"
    + _ZH_SAYS + r"$|^(?:没|沒|无|無)有?人(?![机機])"
)
# What introduces a quotation with its speaker before it: a colon (他说：“……”), or a verb of
# saying with or without a comma (他说，“……”). Such a quotation has its speaker; a clause ending
# in a verb of saying after it is someone else's reply or reaction (他问：“去吗？”她回答，“去。”).
_ZH_INTRODUCED = regex.compile(r"(?:[：:]|" + _ZH_SAYS + r"[，,]?)\s*$")
_ZH_OPENER_OF = {"”": "“", "’": "‘", "」": "「", "』": "『"}
_ZH_TITLES = "》〉"  # closers of the book and article titles 《…》 〈…〉


# Chinese and Japanese characters, CJK punctuation and full-width forms: written without spaces.
_WIDE = r"\p{Han}\p{Hiragana}\p{Katakana}\u3001-\u303f\uff00-\uffef"
# The label of an item of a list written one item a line: 1. / 2) / - / • / （一） with a space
# after it; in Chinese also with none before the item's first character (1.加密, １．加密, 1）加密,
# 1、加密, ・加密), and 一、 (a Chinese numeral and the enumeration comma). Not a wrapped line that
# goes on with a number (增长了\n１．５倍, 第\n1、2章, 分为\n一、二两类), nor one that goes on with a
# name after its middle dot (埃利\n·维瑟尔): · is a bullet only before a space.
_CHINESE_START = r"(?!\d)(?=[" + _WIDE + r"])"
_ITEM = regex.compile(
    r"^\s*(?:\d{1,3}[.)．）](?:\s|" + _CHINESE_START + r")|\d{1,3}、(?!\d)|[一二三四五六七八九十]{1,3}、(?![一二三四五六七八九十])"
    r"|[-•*·・]\s|[•・●▪■◆](?=\p{Han})|[（(][一二三四五六七八九十\d]{1,3}[)）])"
)


_ZH_LINE_END = ("。", "！", "？", "…", "」", "』", "”", "）")
_ZH_PUNCT = re.compile(r"[，、；：。！？]")


def _ends_chinese_paragraph(line: str) -> bool:
    """Whether a Chinese line ends its paragraph: Chinese is written a paragraph a line (no
    blank lines), so a line ending with a stop ends one, and a short line with no punctuation
    after its list label (第一章, a title, 一、总则) stands alone; a line cut mid-sentence goes on."""
    line = line.strip()
    if not any(map(is_chinese, line)):
        return False
    label = _ITEM.match(line)
    text = line[label.end() :] if label else line
    return line.endswith(_ZH_LINE_END) or (len(line) <= 30 and not _ZH_PUNCT.search(text))


# A line break after a Chinese character before anything but a word of a script written with
# spaces, or after a digit before a Chinese character: a wrap inside Chinese text, joined with
# nothing (截至\n2024年, 埃利\n·维瑟尔, 2024\n年). Between a Chinese character and a Latin word it is
# a space between words of two scripts (使用\nPython), as `langs.squeeze` makes it.
_SPACED_SCRIPT = r"\p{Latin}\p{Greek}\p{Cyrillic}"
_CHINESE_WRAP = regex.compile(
    r"(?<=[" + _WIDE + r"])[^\S\n]*\n\s*(?=[^\s" + _SPACED_SCRIPT + r"])"
    r"|(?<=\d)[^\S\n]*\n\s*(?=[" + _WIDE + r"])"
)
def _join_lines(lines: list[str]) -> str:
    """The lines of one paragraph as one line: each run of whitespace as one space
    (`langs.squeeze`, which keeps an ideographic space inside a Chinese line as written), but a
    wrap inside Chinese text as nothing (`_CHINESE_WRAP`): no space is put into Chinese text."""
    return squeeze(_CHINESE_WRAP.sub("", "\n".join(line.strip() for line in lines)))


def _starts_item(line: str, before: list[str]) -> bool:
    """Whether line starts an item of a list (`_ITEM`): not when its label 3) or 3） closes a
    bracket that the lines before it opened, as a line wrapped inside one does (（见图\n3）所示)."""
    label = _ITEM.match(line)
    if not label or label.group().rstrip()[-1:] not in ")）":
        return bool(label)
    text = "".join(before)
    return text.count("(") + text.count("（") <= text.count(")") + text.count("）")


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs are blocks separated by blank lines; hard-wrapped lines inside a block are
    joined (`_join_lines`: a space between Latin words, nothing inside Chinese), but a line
    that starts a list item (`_ITEM`, in Chinese also 1.加密 / 一、) starts a paragraph of its
    own, and so does the line after a Chinese line that ends one (`_ends_chinese_paragraph`)."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        parts: list[list[str]] = [[]]
        for line in block.split("\n"):
            if parts[-1] and (_starts_item(line, parts[-1]) or _ends_chinese_paragraph(parts[-1][-1])):
                parts.append([])
            parts[-1].append(line)
        out += [_join_lines(part) for part in parts]
    return [p for p in out if p]


def split_sentences(text: str, lang: str) -> list[str]:
    """Split one paragraph into sentences by the rules of its language."""
    text = " ".join(text.split()) if not lang.startswith("zh") else text.strip()
    if not text:
        return []
    if lang.startswith("zh") or lang in {"ja"}:
        return _split_chinese(text)
    return _split_latin(text, lang)


# German quotes („…“, ‚…‘) read as English ones of the same length, so the rules see them open and close.
_GERMAN_QUOTES = str.maketrans({"„": "“", "“": "”", "‚": "‘", "‘": "’"})


def _split_latin(text: str, lang: str = "en") -> list[str]:
    """Split at . ? ! … (with closing quotes) before the next sentence's first word."""
    sentences: list[str] = []
    start = 0
    scan = text.translate(_GERMAN_QUOTES) if lang.startswith("de") else text  # same length: indices hold
    for m in _EN_END.finditer(scan):
        candidate = text[start : m.start("space")].strip()
        if _is_boundary(scan, m, lang) and not _LABEL.fullmatch(candidate) and not _in_quotation(scan, start, m):
            sentences.append(candidate)
            start = m.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


@cache
def _abbreviations(lang: str) -> _Abbreviations:
    """Those of every language with those of lang's primary subtag (de-CH → de)."""
    own = _LANGUAGES.get(lang.split("-")[0].lower(), _Abbreviations())
    return _Abbreviations(**{f.name: getattr(_ALL, f.name) | getattr(own, f.name) for f in fields(_Abbreviations)})


def _is_boundary(text: str, m: re.Match[str], lang: str = "en") -> bool:
    """Decide whether a stop ends the sentence, looking at the word before and after it."""
    abbr = _abbreviations(lang)
    first = _first_letter(text, m)
    if m.group("stop") != "." or m.group("close"):
        return not first.islower()
    original = _word_before(text, m.start())
    word = _folded(original)
    if first.isdigit():
        return not _takes_number(text, m.start(), word, abbr)
    if first.islower():
        return False
    if _numbers(word, abbr) and _is_numeral(text, m.end(), lang):
        return False  # a Roman numeral: Kap. IV, Bd. II
    if _is_ordinal(text, m.start(), original, abbr):
        return False  # an ordinal: am 3. Oktober, im 19. Jahrhundert, 1. Dünya Savaşı, II. Mehmet
    if _is_title(text, m.start(), original, abbr) or _spaced(text, m.start(), original) in abbr.never_final:
        return False  # Fr. Müller, г. Москва; d. h. Kinder, т. е. Москва
    return _ends_after_word(word, original, _next_word(text, m.end()), abbr)


def _first_letter(text: str, m: re.Match[str]) -> str:
    """The first letter after the stop of m, past quotes, brackets, a dialogue dash and an elided
    Dutch article, lower case before the capital that starts a sentence ('s Avonds at hij)."""
    elided = _ELIDED.match(text, m.end())
    return text[elided.end()] if elided else m.group("next").lstrip("\"'“‘([-–— ")[:1]


def _word_before(text: str, end: int) -> str:
    """The word ending at end as written ("U.S", "Nr.", "Bentham’s"); "" when it ends a URL or
    e-mail address, whose dots are no abbreviation's (www.example.co.uk/x.y. Next)."""
    start = text.rfind(" ", 0, end) + 1  # split_sentences leaves single spaces between words
    if _ADDRESS.search(text, start, end):
        return ""
    before = _WORD_BEFORE.search(text[max(start, end - _LOOKBACK) : end])
    return before.group(1) if before else ""


def _folded(word: str) -> str:
    """A word as the abbreviation lists hold it: lower case, without its final dots (Nr. → nr)."""
    return word.lower().rstrip(".")


def _numbers(word: str, abbr: _Abbreviations) -> bool:
    """Whether a number after word belongs to it (Nr. 5, S. 12, Mar. 12), so starts no sentence."""
    return word in abbr.before_number or word in abbr.never_final


def _takes_number(text: str, end: int, word: str, abbr: _Abbreviations) -> bool:
    """Whether a number after the word ending at end goes on with its sentence: one the word numbers
    (Nr. 5), a citation's year or reference (et al. (2019), et al. [12]), a date's year (am 3. IV. 1990)."""
    return _numbers(word, abbr) or word == "al" or bool(_ROMAN_DATE.search(text, max(0, end - _LOOKBACK), end))


def _is_numeral(text: str, pos: int, lang: str) -> bool:
    """Whether a Roman numeral starts at pos (Kap. IV, Bd. V); one of one letter only outside English,
    where it is a pronoun or an initial (no. I left, no. X marks, art. C. S. Lewis), and a lone I
    only before no word (Bd. I, S. 12), which it may be in Italian (di no. I bambini)."""
    numeral = _ROMAN.match(text, pos)
    if not numeral or len(numeral.group()) > 1:
        return bool(numeral)
    if lang.startswith("en"):
        return False
    return numeral.group() != "I" or text[numeral.end() : numeral.end() + 1] in ".,;:)]"  # "" at the end


def _is_title(text: str, end: int, original: str, abbr: _Abbreviations) -> bool:
    """Whether the word ending at end is a title before a name (Fr. Müller, г. Москва), not a
    unit after an amount (kostet 7 Fr. Dann, в 1990 г. Затем), which may end the sentence."""
    return original in abbr.titles and not text[: end - len(original)].rstrip()[-1:].isdigit()


def _spaced(text: str, end: int, original: str) -> str:
    """The abbreviation spelt with a space that ends at end, as the lists hold it (d. h → d.h,
    p. ej → p.ej, т. е → т.е): the word after a one-letter abbreviation, joined; "" if none."""
    start = end - len(original)
    before = _word_before(text, start - 1) if start > 0 else ""
    if len(before) == 2 and before[0].isalpha() and before[1] == ".":
        return before.lower() + _folded(original)
    return ""


def _is_ordinal(text: str, end: int, number: str, abbr: _Abbreviations) -> bool:
    """Whether the number ending at end is an ordinal: one of one or two digits in German or Turkish
    (am 3. Oktober), a Roman numeral in Turkish (II. Mehmet); not one that an abbreviation numbers
    (Haus Nr. 5. Dann, Kap. IV. Dort), whose stop ends the sentence."""
    digits = abbr.dot_ordinals and number.isdigit() and len(number) <= 2
    if not (digits or (abbr.roman_ordinals and _ROMAN.fullmatch(number))):
        return False
    return not _numbers(_folded(_word_before(text, end - len(number) - 1)), abbr)  # the word before the number


def _in_quotation(text: str, start: int, m: re.Match[str]) -> bool:
    """Whether the stop of m sits inside a quotation that closes later in the paragraph and is
    followed by words that continue the sentence (She read “Hello! World” twice.)."""
    closer = _open_quote(text, start, m.end("close"))
    if not closer:
        return False
    end = _quote_end(text, m.end("close"), closer)
    return end > 0 and _continues(text, end)


def _open_quote(text: str, start: int, end: int) -> str:
    """The closer of the innermost quotation still open at end, scanning from start; "" if none."""
    stack: list[str] = []
    for i in range(start, end):
        ch = text[i]
        if stack and ch == stack[-1] and not _is_apostrophe(text, i):
            stack.pop()
        elif ch in _EN_QUOTES and (ch != '"' or _opens_word(text, i)):
            stack.append(_EN_QUOTES[ch])
    return stack[-1] if stack else ""


def _is_apostrophe(text: str, i: int) -> bool:
    """A ’ between two letters (don’t) is an apostrophe, not a closing quote."""
    return text[i] == "’" and 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()


def _opens_word(text: str, i: int) -> bool:
    """A straight quote at i opens a quotation: a word follows it and none comes right before it."""
    word_after = i + 1 < len(text) and (text[i + 1].isalnum() or text[i + 1] in "‘'([")
    return word_after and (i == 0 or not text[i - 1].isalnum())


def _quote_end(text: str, pos: int, closer: str) -> int:
    """Index after the closer from pos on (within _QUOTE_TAIL characters); -1 if none comes, or
    if a quotation of the same kind opens first (the open one was a stray mark)."""
    opener = next(o for o, c in _EN_QUOTES.items() if c == closer)
    for i in range(pos, min(len(text), pos + _QUOTE_TAIL)):
        if text[i] == opener and (opener != '"' or _opens_word(text, i)):
            return -1
        if text[i] == closer and not _is_apostrophe(text, i):
            return i + 1
    return -1


def _continues(text: str, end: int) -> bool:
    """Whether words after a quotation that closes at end continue the sentence around it: any
    word when the quotation ends without a stop (“Hello! World” twice), else a lower-case word
    or a comma, colon, semicolon, dash or bracket (“Stop! Thief!” and ran)."""
    following = _AFTER_QUOTE.match(text, end).group(1)  # type: ignore[union-attr]  # matches the empty rest
    last = text[max(0, end - _LOOKBACK) : end - 1].rstrip()[-1:]  # 'did it. "' ends with the stop
    if not following or last in {",", ";", ":"}:
        return False
    if last not in {".", "?", "!", "؟", "…"}:
        return True
    return following.islower() or following in ",;:–—)]"


def _next_word(text: str, pos: int) -> str:
    """The word starting at pos, after any opening quotes or brackets, with a following dot
    (so that the initial "A." in "H. L. A. Hart" is not taken for the article)."""
    following = re.match(r"[\"'“‘(\[]*(\w+\.?)", text[pos : pos + _LOOKBACK])
    return following.group(1) if following else ""


def _ends_after_word(word: str, original: str, next_word: str, abbr: _Abbreviations) -> bool:
    """Whether '<word>. <Capitalised next_word>' is a sentence boundary."""
    opener = next_word.lower() in _OPENERS
    if word in abbr.never_final:
        return False  # Mr. Smith, Mar. 12
    if word in abbr.ends_list:
        return True  # etc. Luego, и т.д. Потом (т.д is no acronym)
    if word in abbr.amounts:
        return _folded(next_word) not in _UNITS  # 5 Mio. Euro, but bei 5 Mio. Das war viel
    if word in _MAYBE_FINAL or _ACRONYM.fullmatch(word):
        return opener  # the U.S. With … / the U.S. Secretary
    if len(word) == 1 and word.isalpha() and re.fullmatch(r"[^\W\d_]\.", next_word):
        return False  # an abbreviation spelt with a space: z. B., d. h., u. a.
    if len(word) == 1 and word.isalpha() and word != "i":
        # Initials are capitals (J. R. R. Tolkien) unless an opener follows (plan B. The);
        # a lower-case letter is a variable or unit at the end of a sentence (x ≥ y. We).
        return opener or original.islower()
    return True


def _closes_nearby(text: str, i: int) -> bool:
    """True if the opener at i is closed before another of its kind opens (else it is stray)."""
    opener, closer = text[i], _ZH_PAIRS[text[i]]
    for j in range(i + 1, min(len(text), i + 1 + _MAX_QUOTE)):
        if _ZH_CLOSE_OF.get(text[j], text[j]) == closer:
            return True
        if text[j] == opener:
            return False
    return False


def _close(stack: list[str], ch: str) -> bool:
    """Close the open pair that ch ends (and any unclosed pairs inside it); False if none is open."""
    closer = _ZH_CLOSE_OF.get(ch, ch)
    if closer not in stack:
        return False
    while stack.pop() != closer:
        pass
    return True


def _track_pairs(text: str, i: int, stack: list[str]) -> None:
    """Update the open quotations and brackets for the character at i (stray marks are ignored)."""
    if not _close(stack, text[i]) and text[i] in _ZH_PAIRS and _closes_nearby(text, i):
        stack.append(_ZH_PAIRS[text[i]])


def _stop_end(text: str, i: int, stack: list[str]) -> tuple[int, int]:
    """End of the stops at i with the closing quotes and brackets after them; and how many closed."""
    end = _ZH_STOP_RUN.match(text, i + 1).end()  # type: ignore[union-attr]  # matches the empty run
    closed = 0
    while end < len(text) and text[end] in _ZH_CLOSERS:
        opens_next = not stack and text[end] in _ZH_PAIRS and _closes_nearby(text, end)
        if not _close(stack, text[end]) and opens_next:
            break  # a straight quote opening the next sentence
        end += 1
        closed += 1
    return end, closed


def _is_stop(text: str, i: int) -> bool:
    """A sentence-final mark at i: 。！？, an ellipsis, or ； before the next item of a list."""
    ch = text[i]
    if ch == "；":
        return bool(_ZH_ENUMERATOR.match(text, i + 1))
    return ch in _ZH_STOPS or text.startswith("……", i)


def _ends_sentence(text: str, i: int, end: int, stack: list[str], closed: int) -> bool:
    """Whether the stops at i..end end a sentence: outside quotations and titles, not before an
    attribution (“……。”他说, Japanese 「……！」と), and an ellipsis only when a stop or a closing
    quote follows it."""
    if stack or end >= len(text):
        return False
    if text[i] == "…" and not closed and not any(ch in _ZH_STOPS for ch in text[i:end]):
        return False  # ……。 ends with its stop
    return not (closed and (_attributed(text, end) or text.startswith("と", end)))  # 「…！」と言った


def _attributed(text: str, end: int) -> bool:
    """Whether the clause at end, right after a quotation that closes at end - 1, names its
    speaker (“……。”他说。): a short clause ending in a verb of saying that says somebody spoke,
    after a quotation whose speaker was not named before it (他说：“……。”她没有回答。 is two
    sentences, and so is 他问：“去吗？”她回答，“去。”)."""
    attribution = _ZH_ATTRIBUTION.match(text, end)
    if not attribution or _ZH_NO_SPEAKER.search(attribution.group()):
        return False
    return not _introduced(text, end - 1)


def _introduced(text: str, close: int) -> bool:
    """Whether the quotation that closes at close was opened right after its speaker (他说：“ / 他说，“)."""
    opener = _ZH_OPENER_OF.get(text[close])
    if not opener:
        return False  # a straight quote, a bracket: its opener is not told apart from its closer
    depth = 0
    for j in range(close - 1, max(-1, close - 1 - _MAX_QUOTE), -1):
        if text[j] == text[close]:
            depth += 1
        elif text[j] == opener and depth:
            depth -= 1
        elif text[j] == opener:
            return bool(_ZH_INTRODUCED.search(text[max(0, j - _LOOKBACK) : j]))
    return False


def _split_chinese(text: str) -> list[str]:
    """Split after 。！？ (and closing quotes/brackets), never inside quotations, nor inside or
    at the close of a title 《…》 〈…〉: 他读了《活着！》和《兄弟》。 is one sentence."""
    sentences: list[str] = []
    stack: list[str] = []
    start = i = 0
    while i < len(text):
        if not _is_stop(text, i):
            _track_pairs(text, i, stack)
            i += 1
            continue
        titled = any(closer in _ZH_TITLES for closer in stack)  # a stop inside 《…》 is the title's
        end, closed = _stop_end(text, i, stack)
        if not titled and _ends_sentence(text, i, end, stack, closed):
            sentences.append(text[start:end].strip())
            start = end
        i = end
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]
