"""Script consistency: each Chinese version against its label, and the Traditional version
against OpenCC's conversion of the Simplified one.

`script-mix`: a sentence with Simplified-only characters in a zh-Hant version, or Traditional-only
ones in a zh-Hans version, whether or not the document has the other script's version (a
sentence of characters shared by both scripts is both, and fits either label). A character is
the other script's only where that script writes it otherwise: Hong Kong writes 着 温 户 税 as
s2hk does, and a Simplified text may write 讟, which has no Simplified form.
`conversion`: one-to-many slips, where the Traditional text writes another Traditional form of
the same Simplified character than the conversion does (乾部 for 幹部, 頭發 for 頭髮, 隻在 for 只在).
The conversion is the version's region's: s2tw and s2twp for Taiwan, s2hk (and s2hkp where OpenCC
has it) for Hong Kong and Macau, and s2t, whose forms every region accepts; a version with no
region is held to s2t's and Taiwan's forms, and suggested s2t's.
The texts are compared through t2s, against the Simplified text and against each conversion read
back: where the Traditional text reads the same as one of them, every character must be one some
conversion writes there (髮 for 發, 后 for 後, 印錶機 for s2twp's 印表機). Where it reads
differently even in Simplified, the translator chose another word (車資 for 車費, 調漲 for 上漲,
北韓 for 朝鮮, Hong Kong's written Cantonese 嘅 for 的): no slip, unless a character there is one
of the Traditional forms CC-CEDICT gives that Simplified character (瞭 for 了, 藉 for 借) that no
conversion writes and that makes no word there, or a rare variant outside the basic CJK block
(Extension B 𠮷 for 吉, compatibility ideographs) that no conversion writes. Written Cantonese
(嘅 咗 係 喺 …) in a Hong Kong or Macau version is usage, never a slip, even where it happens to
line up with a Simplified character it is a form of (係 with 系).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache

from aligner.ingest.langs import convert, converter, is_chinese
from aligner.qa.cedict import in_word, lexicon
from aligner.qa.findings import Finding
from aligner.qa.language import wrong_script
from aligner.qa.pairs import LinkView, PairView, chinese_versions, script_pair
from aligner.qa.regional import TABLE_OF_REGION
from aligner.qa.registry import Params, check

# The conversions whose forms a version's region writes, its own (the suggestion's) last; MO
# follows HK. A version with no region is held to OpenCC's standard forms (s2t) and Taiwan's,
# as ever: Hong Kong's variants (説 for 說, 麽 for 麼) are a Hong Kong version's.
_CONVERSIONS = {"TW": ("s2t", "s2tw", "s2twp"), "HK": ("s2t", "s2hk", "s2hkp"), "": ("s2tw", "s2twp", "s2t")}
_CHAR_FORMS = {"TW": "s2tw", "HK": "s2hk"}  # the characters a region writes (for no region: Taiwan's)
# Written Cantonese, Hong Kong's and Macau's usage: never a conversion slip there, even where
# the text happens to line up with a Simplified character one of them is a form of (係 with 系)
_CANTONESE = frozenset("嘅咗係唔喺啲冇嚟佢哋嘢咁噉畀俾嗰睇諗咩乜嘞囉噃吖㗎嘥攞搵瞓冚嚿晒咪喎咋啱嗌")


@dataclass(frozen=True)
class Difference:
    """A place where the Traditional text is not OpenCC's conversion of the Simplified one."""

    hant: str  # what the Traditional text has
    suggestion: str  # what OpenCC gives there
    simplified: str  # the Simplified text there
    at: int = -1  # its position in the Traditional text


def region_conversions(region: str) -> tuple[str, ...]:
    """The OpenCC configurations that write the Traditional usage of `region` (TW, HK, MO; any
    other, or none, may follow any), the region's own last: the one to suggest."""
    return tuple(c for c in _CONVERSIONS[TABLE_OF_REGION.get(region, "")] if converter(c) is not None)


def to_traditional(text: str, region: str) -> str:
    """`text` in the Traditional characters and words of `region` (s2twp for Taiwan, s2hk for
    Hong Kong and Macau, s2t for a version with no region)."""
    return convert(text, region_conversions(region)[-1])


def foreign_chars(text: str, lang: str, region: str = "") -> list[str]:
    """Characters of the other script: in zh-Hant text, those CC-CEDICT lists only as Simplified
    that the region's conversion does not keep as they are (s2hk keeps 着 温 户 税: Hong Kong's
    forms; s2tw keeps 彝, for Taiwan and for a version with no region); in zh-Hans text, those it
    lists only as Traditional that t2s changes (not 讟, which has no other form)."""
    if lang == "zh-Hant":
        other, config = lexicon().simplified_only, _CHAR_FORMS.get(TABLE_OF_REGION.get(region, ""), "s2tw")
    else:
        other, config = lexicon().traditional_only, "t2s"
    return list(dict.fromkeys(c for c in text if c in other and _converted(c, config) != c))


@cache
def _converted(char: str, config: str) -> str:
    """One character converted by OpenCC's `config`, kept: `foreign_chars` asks it of every
    script-specific character of every sentence, mostly the same few."""
    return convert(char, config)


def conversion_differences(hans: str, hant: str, region: str = "") -> list[Difference]:
    """Where `hant` departs from every OpenCC conversion of `hans` for `region` by a one-to-many
    slip or a rare variant (not by another word)."""
    configs = region_conversions(region)
    converted = [convert(hans, cfg) for cfg in configs]  # the region's own last
    if hant in converted:
        return []
    back = convert(hant, "t2s")
    same_length = [v for v in converted if len(v) == len(hans)]
    # each reading in Simplified, with the Traditional texts it stands for: the original, and
    # every conversion read back (so the regional words s2twp substitutes are compared too)
    readings = [(hans, same_length)] + [(simp, [v]) for v in converted if len(simp := convert(v, "t2s")) == len(v)]
    given: dict[int, dict[str, None]] = defaultdict(dict)  # position → what conversions write there
    preferred: dict[int, str] = {}  # position → what the region's own conversion writes there
    anchors: dict[int, list[tuple[str, int]]] = defaultdict(list)  # position → (reading, shift)
    slips: dict[int, Difference] = {}
    for simp, variants in readings:
        for op, i1, i2, j1, j2 in SequenceMatcher(None, simp, back, autojunk=False).get_opcodes():
            if op == "equal":
                for off in range(i2 - i1):
                    given[j1 + off].update(dict.fromkeys(v[i1 + off] for v in variants))
                    if variants and variants[-1] is converted[-1]:
                        preferred[j1 + off] = variants[-1][i1 + off]
                    anchors[j1 + off].append((simp, i1 - j1))
            elif op == "replace" and variants:
                slips.update(_slips(simp[i1:i2], hant, back, j1, j2, [v[i1:i2] for v in variants]))
    found = {j: d for j, d in slips.items() if j not in given or _rare(d.hant)}
    for j, chars in given.items():
        if chars and is_chinese(hant[j]) and hant[j] not in chars and not any(_variant_word(hant, simp, j, k) for simp, k in anchors[j]):
            found[j] = Difference(hant[j], preferred.get(j) or list(chars)[-1], back[j], j)
    usage = _CANTONESE if TABLE_OF_REGION.get(region) == "HK" else frozenset()
    return [found[j] for j in sorted(found) if found[j].hant not in usage]


def _slips(simp: str, hant: str, back: str, start: int, end: int, written: list[str]) -> dict[int, Difference]:
    """In a run that reads differently even in Simplified (`simp` there, `hant[start:end]`): a
    character that is another of the Traditional forms CC-CEDICT gives the Simplified character
    in its place (瞭 for 了, whose t2s is 瞭), that no conversion writes and that makes no word
    there; and characters outside the basic CJK block that no conversion writes (Extension B 𠮷
    for 吉, compatibility ideographs): rare variants that look right but do not match in search.
    Any other character is another word (車資 for 車費, 嘅 for 的), not a conversion slip."""
    found: dict[int, Difference] = {}
    forms = lexicon().forms
    aligned = len(simp) == end - start
    for off, char in enumerate(hant[start:end]):
        at, i = start + off, off if aligned else -1
        suggestion = written[-1][i] if i >= 0 else unicodedata.normalize("NFC", char)
        if _rare(char) and not any(char in w for w in written):
            found[at] = Difference(char, suggestion, simp[i] if i >= 0 else "", at)
        elif i >= 0 and char in forms.get(simp[i], ()) and all(w[i] != char for w in written):
            if not (in_word(back, at) or in_word(hant, at, lexicon().traditional_words)):
                found[at] = Difference(char, suggestion, simp[i], at)
    return found


def _rare(char: str) -> bool:
    """A Han character outside the basic CJK block (U+4E00–U+9FFF): Extensions A to G, compatibility ideographs."""
    return is_chinese(char) and not "\u4e00" <= char <= "\u9fff"


def _variant_word(hant: str, simp: str, j: int, shift: int) -> bool:
    """A Traditional CC-CEDICT headword covers position `j` and converts back to the Simplified
    text `simp` there (`shift` maps positions): a recognised spelling (台灣 for 臺灣), not a slip.
    Simplified headwords do not count: 以后 is a word, but not a Traditional one (以後)."""
    words = lexicon().traditional_words
    for size in range(2, 5):
        for a in range(max(0, j - size + 1), min(j, len(hant) - size) + 1):
            word = hant[a : a + size]
            if word in words and convert(word, "t2s") == simp[a + shift : a + shift + size]:
                return True
    return False


def corrected(hant: str, diffs: list[Difference]) -> str:
    """The Traditional text with each difference replaced by what the conversion writes there:
    its words, punctuation (「」) and everything else as the translator wrote them."""
    chars = list(hant)
    for d in diffs:
        if 0 <= d.at < len(chars) and d.suggestion:
            chars[d.at] = d.suggestion
    return "".join(chars)


def _sides(view: LinkView, roles: tuple[str, str]) -> tuple[str, str]:
    texts = {"src": view.src_text, "tgt": view.tgt_text}
    return texts[roles[0]], texts[roles[1]]


@check("script-mix", "Simplified-only characters in zh-Hant text, or Traditional-only ones in zh-Hans")
def script_mix(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for pair, side, lang, region in chinese_versions(pairs, prefer_script_pair=True):
        for view in pair.links:
            text = view.src_text if side == "src" else view.tgt_text
            sentences = (view.src_sentences if side == "src" else view.tgt_sentences) or (text,)
            # a sentence in another language (Japanese kana) is the wrong-language check's
            chars = [c for s in sentences if not wrong_script(s, lang) for c in foreign_chars(s, lang, region)]
            if chars:
                kind = "Simplified" if lang == "zh-Hant" else "Traditional"
                fix = to_traditional(text, region) if lang == "zh-Hant" else convert(text, "t2s")
                shown = "".join(dict.fromkeys(chars))
                yield view.finding("script-mix", "error", f"{kind}-only characters in the {lang} text: {shown}", fix)


@check("conversion", "a one-to-many slip against the region's OpenCC conversion (頭發 for 頭髮), not another word")
def conversions(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for pair in pairs:
        roles = script_pair(pair)
        if roles is None:
            continue
        region = pair.tgt_region if roles[1] == "tgt" else pair.src_region
        for view in pair.links:
            hans, hant = _sides(view, roles)
            if not (hans and hant) or foreign_chars(hant, "zh-Hant", region):
                continue
            diffs = conversion_differences(hans, hant, region)
            if diffs:
                listed = "; ".join(f"{d.hant} where OpenCC gives {d.suggestion} (for {d.simplified})" for d in diffs)
                yield view.finding("conversion", "warning", f"conversion differences to review: {listed}", corrected(hant, diffs))
