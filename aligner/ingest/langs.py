"""Language tags and script detection: BCP 47 tags, Han by Unicode property, Simplified vs Traditional."""

from __future__ import annotations

import difflib
from functools import cache
from typing import Any

import regex

from aligner.errors import LanguageError

HAN = regex.compile(r"\p{Han}")  # any Han character, Extension B included
_LATIN = regex.compile(r"\p{Latin}")
_LATIN_WORD = regex.compile(r"\p{Latin}+")

# Tags people type for Chinese, as (version key, region): the key is the tag without its region.
_ALIASES = {
    "zh-cn": ("zh-Hans", "CN"), "zh-sg": ("zh-Hans", "SG"),
    "zh-tw": ("zh-Hant", "TW"), "zh-hk": ("zh-Hant", "HK"), "zh-mo": ("zh-Hant", "MO"),
}
# ISO 639-1's two-letter codes, and the withdrawn ones still met in files (in, iw, ji, jw, mo, sh).
ISO_639_1 = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv
    dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii
    ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk
    ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc
    sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve
    vi vo wa wo xh yi yo za zh zu in iw ji jw mo sh""".split()
)
# ISO 639-2 codes people write for languages that have a two-letter code (BCP 47 takes the
# two-letter one: eng → en, chi → zh), and three-letter codes of languages that have none.
ISO_639_2 = dict(pair.split(":") for pair in (
    "eng:en chi:zh zho:zh ger:de deu:de fre:fr fra:fr spa:es ita:it jpn:ja kor:ko rus:ru por:pt dut:nl nld:nl"
    " pol:pl tur:tr ara:ar tha:th vie:vi swe:sv ind:id swa:sw ukr:uk heb:he gre:el ell:el hin:hi fin:fi dan:da"
    " nor:no nob:nb ces:cs cze:cs hun:hu ron:ro rum:ro bul:bg hrv:hr srp:sr slk:sk slo:sk slv:sl est:et lav:lv"
    " lit:lt per:fa fas:fa urd:ur ben:bn msa:ms may:ms tgl:tl cat:ca eus:eu baq:eu glg:gl wel:cy cym:cy gle:ga"
    " isl:is ice:is"
).split())
THREE_LETTER = frozenset("yue lzh wuu nan hak cmn".split())  # Chinese languages without a two-letter code
REGION_NAMES = {"TW": "Taiwan", "HK": "Hong Kong", "MO": "Macau", "CN": "mainland China", "SG": "Singapore"}


def is_region(subtag: str) -> bool:
    """A BCP 47 region subtag: two letters (TW, HK) or three digits (419)."""
    return (len(subtag) == 2 and subtag.isalpha()) or (len(subtag) == 3 and subtag.isdigit())


def _is_script(subtag: str) -> bool:
    """A BCP 47 script subtag: four letters (Hant, Latn)."""
    return len(subtag) == 4 and subtag.isalpha()


# RFC 5646's well-formed tag from a 2- or 3-letter language on (extended languages, script, region,
# variants, extensions, private use), each subtag ending at a hyphen or the end.
_WELL_FORMED = regex.compile(
    r"""[a-z]{2,3}(?:-[a-z]{3}(?![a-z0-9])){0,3}
    (?:-[a-z]{4}(?![a-z0-9]))?
    (?:-(?:[a-z]{2}|[0-9]{3})(?![a-z0-9]))?
    (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3})(?![a-z0-9]))*
    (?:-[0-9a-wyz](?:-[a-z0-9]{2,8}(?![a-z0-9]))+)*
    (?:-x(?:-[a-z0-9]{1,8}(?![a-z0-9]))+)?""",
    regex.VERBOSE,
)


def _misplaced(low: str) -> str:
    """The first subtag of a lower-case tag that BCP 47 does not allow where it stands ('foo' in
    en-xx-foo: a variant has 5 to 8 characters), or '' for a well-formed tag."""
    well = _WELL_FORMED.match(low)
    return low[well.end() if well else 0 :].lstrip("-").split("-")[0]


def split_tag(tag: str) -> tuple[str, str]:
    """(version key, region) of a BCP 47 tag: zh-TW → (zh-Hant, TW), zh-Hant-HK → (zh-Hant, HK), en → (en, '').

    The key names the version's file and sentence ids (zh-Hant.xml, zh-Hant.p1.s1), so a
    region added later does not rename anything; the region says whose usage the text follows.
    """
    low = tag.strip().replace("_", "-").lower()
    if low in _ALIASES:
        return _ALIASES[low]
    parts = low.split("-")
    if not parts[0].isalpha() or not 2 <= len(parts[0]) <= 3 or not all(parts[1:]):
        raise LanguageError(f"'{tag}' is not a language tag; use a BCP 47 tag such as en, zh-Hans, zh-Hant-TW")
    if len(parts[0]) == 2 and parts[0] not in ISO_639_1:
        raise LanguageError(
            f"'{tag}' is not a language tag ('{parts[0]}' is no ISO 639-1 code{did_you_mean(parts[0])}); "
            "use a BCP 47 tag such as en, zh-Hans, zh-Hant-TW"
        )
    if bad := _misplaced(low):
        raise LanguageError(
            f"'{tag}' is not a language tag ('{bad}' cannot stand there: a script has 4 letters, a region 2 letters"
            " or 3 digits, a variant 5 to 8 characters); use a BCP 47 tag such as en, zh-Hans, zh-Hant-TW"
        )
    subtags = [ISO_639_2.get(parts[0], parts[0])] + [p.title() if len(p) == 4 else p.upper() for p in parts[1:]]
    at = 2 if len(subtags) > 1 and _is_script(subtags[1]) else 1
    region = subtags.pop(at) if len(subtags) > at and is_region(subtags[at]) else ""
    return "-".join(subtags), region


_FREQUENT = ("en", "zh", "de", "fr", "es", "it", "ja", "ko", "ru", "pt", "nl", "pl", "tr", "ar", "th", "vi")


def tag_within(asked: str, tag: str) -> bool:
    """Whether a version tagged `tag` lies within the tag `asked` for: its language, script and
    region as far as `asked` names them (zh: every Chinese version; zh-Hant: Taiwan's and Hong
    Kong's; zh-Hant-HK: Hong Kong's only; sr-RS: sr-Latn-RS too)."""
    key, region = split_tag(asked)
    have_key, have_region = split_tag(tag)
    return (have_key == key or have_key.startswith(f"{key}-")) and region in ("", have_region)


def did_you_mean(code: str) -> str:
    """A hint naming the known codes nearest a mistyped one, frequent languages first (zn → zh)."""
    near = difflib.get_close_matches(code.lower(), sorted(ISO_639_1), n=6, cutoff=0.5)
    near.sort(key=lambda c: _FREQUENT.index(c) if c in _FREQUENT else len(_FREQUENT))
    return f"; did you mean {' or '.join(near[:2])}?" if near else ""


def normalize_tag(tag: str) -> str:
    """The version key of a language tag (zh-CN → zh-Hans, zh-Hant-TW → zh-Hant, EN → en)."""
    return split_tag(tag)[0]


def full_tag(key: str, region: str) -> str:
    """The BCP 47 tag of a version: its key with the region in place (zh-Hant + TW → zh-Hant-TW)."""
    if not region:
        return key
    head, *rest = key.split("-")
    at = 1 if rest and _is_script(rest[0]) else 0
    return "-".join([head, *rest[:at], region, *rest[at:]])


def region_name(region: str) -> str:
    """A region's name for people: TW → Taiwan; an unknown code stays as it is."""
    return REGION_NAMES.get(region, region)


def is_chinese(char: str) -> bool:
    """True for a Han character (any CJK block, Extension B included)."""
    return bool(HAN.match(char))


def han_ratio(text: str) -> float:
    """Share of Han characters among the letters of a text."""
    han = len(HAN.findall(text))
    latin = len(_LATIN.findall(text))
    return han / (han + latin) if han + latin else 0.0


@cache
def converter(config: str) -> Any:
    """The OpenCC converter for a config such as s2t, t2s, s2twp or s2hkp, built once (5–80 ms)
    and kept: every config asked for stays, so callers reading many (QA alone reads eight) never
    push each other out. None for a config the installed OpenCC lacks (s2hkp is not in every
    version the project allows)."""
    import opencc

    try:
        return opencc.OpenCC(config)
    except Exception:  # opencc raises its own errors (RuntimeError) for a missing config file
        return None


def convert(text: str, config: str) -> str:
    """Convert Chinese text with OpenCC (s2t, t2s, s2twp …); a RuntimeError naming the config
    if the installed OpenCC lacks it (`converter` tells beforehand: None)."""
    cc = converter(config)
    if cc is None:
        raise RuntimeError(f"the installed OpenCC has no configuration '{config}'")
    return str(cc.convert(text))


def chinese_script(text: str) -> str:
    """'zh-Hans', 'zh-Hant', or 'zh' when the text uses only characters shared by both."""
    han = "".join(HAN.findall(text))
    simplified_only = sum(a != b for a, b in zip(han, convert(han, "s2t"), strict=False))
    traditional_only = sum(a != b for a, b in zip(han, convert(han, "t2s"), strict=False))
    if simplified_only == traditional_only:
        return "zh"
    return "zh-Hans" if simplified_only > traditional_only else "zh-Hant"


# Scripts that name their language well enough for a version key; kana marks Japanese even among Han.
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_SCRIPTS = {
    "ko": regex.compile(r"\p{Hangul}"), "ru": regex.compile(r"\p{Cyrillic}"), "ar": regex.compile(r"\p{Arabic}"),
    "he": regex.compile(r"\p{Hebrew}"), "el": regex.compile(r"\p{Greek}"), "th": regex.compile(r"\p{Thai}"),
    "hi": regex.compile(r"\p{Devanagari}"),
}
_UKRAINIAN = regex.compile(r"[ґєії]", regex.IGNORECASE)  # letters Russian does not have
# The commonest function words of languages written in Latin letters: a text's language is the
# one whose words it uses most (the short-word method, which Grefenstette (1995) found as sure as
# character trigrams on sentences of a dozen words or more).
_FUNCTION_WORDS = {
    "en": "the of and to in is that it was for with as on are this be by not have from",
    "de": "der die und das ist nicht ein eine zu den mit sich auf für von dem des auch im wird",
    "fr": "le la les et est des une un du que pas pour dans qui sur au ce avec il sont",
    "es": "el la los las y es que en un una por con para del se no al lo como más",
    "it": "il di che e la per un una non sono con del della è gli le si anche nel alla",
    "pt": "o a os as de que não em um uma para com do da é se dos das ao mais",
    "nl": "de het een en van is dat niet op te zijn met voor die ook aan er maar",
    "pl": "i w się nie na że z do to jest jak o co ale po od są przez dla",
    "tr": "ve bir bu da de için ile ne gibi olarak daha çok var değil ama olan",
    "sv": "och att det som är en på av för med till inte den har jag om ett",
    "id": "yang dan di ini itu dengan untuk tidak dari dalam akan ke pada adalah",
    "vi": "và của là có không một những được cho trong người các với này",
    "sw": "na ya wa kwa ni la za katika kuwa hiyo hii au lakini kama",
}
_WORD_LISTS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_WORD = regex.compile(r"\p{L}+")
_LETTER = regex.compile(r"\p{L}")


def guess_language(text: str, plain_zh: bool = False, distinct: bool = False) -> str | None:
    """The language a text is in, by its script or its function words; None when nothing is sure.

    Chinese gives its script (zh-Hans, zh-Hant), zh-Hans when its characters are shared by both
    (zh with `plain_zh`); Latin letters need at least three function words and half again as many
    of one language's as of any other's (with `distinct`, three different ones: "A page … A page"
    is not Portuguese for its repeated "a").
    """
    letters = len(_LETTER.findall(text)) or 1
    if len(_KANA.findall(text)) >= 0.1 * letters:
        return "ja"
    han = len(HAN.findall(text))
    if han and han >= len(_LATIN_WORD.findall(text)):  # a Han character against a Latin word, not a letter: 使用Kubernetes
        script = chinese_script(text)
        return script if script != "zh" or plain_zh else "zh-Hans"
    for lang, pattern in _SCRIPTS.items():
        if len(pattern.findall(text)) >= 0.5 * letters:
            return "uk" if lang == "ru" and _UKRAINIAN.search(text) else lang
    words = [w.lower() for w in _WORD.findall(text)]
    if distinct:
        words = list(dict.fromkeys(words))
    hits = sorted(((sum(w in vocab for w in words), lang) for lang, vocab in _WORD_LISTS.items()), reverse=True)
    (best, lang), (second, _) = hits[0], hits[1]
    return lang if best >= 3 and best >= 1.5 * second else None


def other_language(text: str, tag: str) -> str | None:
    """The language `text` looks written in when it is another than `tag` (neither within the
    other, `tag_within`: Chinese whose characters both scripts share is zh, within either), else
    None. A warning, so Latin-script languages need three different function words of their own."""
    found = guess_language(text, plain_zh=True, distinct=True)
    return None if found is None or tag_within(tag, found) or tag_within(found, tag) else found


def detect_language(text: str) -> str:
    """A text's language for a version key (`guess_language`), English when nothing is sure."""
    return guess_language(text) or "en"


_WORDED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]|\p{L}\p{M}*\p{L}|\p{N}")


def worded(text: str) -> bool:
    """True if the text has a word: two letters running, a digit, or a CJK or Hangul character.

    Lines without one (OCR debris such as "V" or ".-^ !", a lone "»") have nothing to translate.
    """
    return _WORDED.search(text) is not None


_GAP = regex.compile(r"\s+")
CJK_MARKS = r"\u3000-\u303f\uff00-\uffef"  # CJK punctuation and full-width forms, for a character class
_WIDE = regex.compile(rf"[\p{{Han}}\p{{Hiragana}}\p{{Katakana}}{CJK_MARKS}]")  # scripts written without spaces


def squeeze(text: str) -> str:
    """Each run of whitespace as one space, but a line break between two Chinese or Japanese
    characters as nothing: a line wrapped inside such text (a cue's second line, a soft break,
    a page's source layout) is not a space the writer put there. An ideographic space beside
    such a character inside a line (第一条　为了…) is written, so kept as written."""

    def gap(m: regex.Match[str]) -> str:
        run, before, after = m.group(), text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
        wide_before, wide_after = bool(before) and bool(_WIDE.match(before)), bool(after) and bool(_WIDE.match(after))
        if "\n" in run:
            return "" if wide_before and wide_after else " "
        return "\u3000" * run.count("\u3000") if "\u3000" in run and (wide_before or wide_after) else " "

    return _GAP.sub(gap, text).strip()


_NO_SPACE = regex.compile(r"^(zh|ja|lzh|yue|wuu|th|lo|km|my)\b", regex.IGNORECASE)


def joiner(lang: str) -> str:
    """How a language joins sentences: nothing for Chinese, Japanese, Thai …; a space otherwise."""
    return "" if _NO_SPACE.match(lang) else " "
