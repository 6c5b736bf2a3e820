"""Script consistency between the Simplified and Traditional versions.

`script-mix`: Simplified-only characters in zh-Hant text, Traditional-only ones in zh-Hans text.
`conversion`: where the Traditional text differs from OpenCC's conversion of the Simplified one
in a way regional vocabulary does not explain. The texts are compared through t2s, against the
Simplified text and against each conversion (s2t, s2tw, s2twp) read back: where the Traditional
text reads the same as one of them, every character must be one some conversion writes there,
else it is a one-to-many choice to review (髮 for 發, 后 for 後, 印錶機 for s2twp's 印表機).
Runs that read differently even in Simplified are vocabulary (朝鲜 → 北韓, 导弹 → 飛彈) and not
reported, except a lone changed character that no conversion gives and that makes no CC-CEDICT
word there (a slip; numerals are left to the numbers check), and rare variants outside the basic
CJK block (Extension B 𠮷 for 吉, compatibility ideographs) that no conversion writes.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from aligner.align.anchors import numbers
from aligner.ingest.langs import convert, is_chinese
from aligner.qa.cedict import in_word, lexicon
from aligner.qa.findings import Finding
from aligner.qa.pairs import LinkView, PairView
from aligner.qa.registry import Params, check

_VARIANTS = ("s2t", "s2tw", "s2twp")


@dataclass(frozen=True)
class Difference:
    """A place where the Traditional text is not OpenCC's conversion of the Simplified one."""

    hant: str  # what the Traditional text has
    suggestion: str  # what OpenCC gives there
    simplified: str  # the Simplified text there


def script_pair(pair: PairView) -> tuple[str, str] | None:
    """(Simplified side, Traditional side) as 'src'/'tgt' for a zh-Hans ↔ zh-Hant pair, else None."""
    if (pair.src_lang, pair.tgt_lang) == ("zh-Hans", "zh-Hant"):
        return "src", "tgt"
    if (pair.src_lang, pair.tgt_lang) == ("zh-Hant", "zh-Hans"):
        return "tgt", "src"
    return None


def foreign_chars(text: str, lang: str) -> list[str]:
    """Characters of the other script: Simplified-only ones in zh-Hant text and vice versa."""
    other = lexicon().simplified_only if lang == "zh-Hant" else lexicon().traditional_only
    return list(dict.fromkeys(c for c in text if c in other))


def conversion_differences(hans: str, hant: str) -> list[Difference]:
    """Where `hant` departs from every OpenCC conversion of `hans`, beyond regional vocabulary."""
    converted = [convert(hans, cfg) for cfg in _VARIANTS]
    if hant in converted:
        return []
    back = convert(hant, "t2s")
    same_length = [v for v in converted if len(v) == len(hans)]
    # each reading in Simplified, with the Traditional texts it stands for: the original, and
    # every conversion read back (so the regional words s2twp substitutes are compared too)
    readings = [(hans, same_length)] + [(simp, [v]) for v in converted if len(simp := convert(v, "t2s")) == len(v)]
    given: dict[int, dict[str, None]] = defaultdict(dict)  # position → what conversions write there
    anchors: dict[int, list[tuple[str, int]]] = defaultdict(list)  # position → (reading, shift)
    slips: dict[int, Difference] = {}
    for simp, variants in readings:
        for op, i1, i2, j1, j2 in SequenceMatcher(None, simp, back, autojunk=False).get_opcodes():
            if op == "equal":
                for off in range(i2 - i1):
                    given[j1 + off].update(dict.fromkeys(v[i1 + off] for v in variants))
                    anchors[j1 + off].append((simp, i1 - j1))
            elif op == "replace" and variants:
                slips.update(_slips(simp[i1:i2], hant[j1:j2], back, j1, [v[i1:i2] for v in variants]))
    found = {j: d for j, d in slips.items() if j not in given or _rare(d.hant)}
    for j, chars in given.items():
        if is_chinese(hant[j]) and hant[j] not in chars and not any(_variant_word(hant, simp, j, k) for simp, k in anchors[j]):
            found[j] = Difference(hant[j], list(chars)[-1], back[j])
    return [found[j] for j in sorted(found)]


def _slips(simp: str, hant: str, back: str, start: int, written: list[str]) -> dict[int, Difference]:
    """In a run that reads differently even in Simplified (`simp` there, `hant` at `start`): a
    lone changed character that no conversion writes and that makes no CC-CEDICT word there
    (numerals are left to the numbers check), and characters outside the basic CJK block that no
    conversion writes (Extension B 𠮷 for 吉, compatibility ideographs): rare variants that look
    right but do not match in search."""
    found: dict[int, Difference] = {}
    for off, char in enumerate(hant):
        i = off if len(simp) == len(hant) else -1
        suggestion = written[-1][i] if i >= 0 else unicodedata.normalize("NFC", char)
        if _rare(char) and not any(char in w for w in written):
            found[start + off] = Difference(char, suggestion, simp[i] if i >= 0 else "")
    if len(simp) == 1 and len(hant) == 1 and is_chinese(hant) and not numbers(simp + hant + "次"):
        if not in_word(back, start) and all(w != hant for w in written):
            found[start] = Difference(hant, written[-1], simp)
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


def _sides(view: LinkView, roles: tuple[str, str]) -> tuple[str, str]:
    texts = {"src": view.src_text, "tgt": view.tgt_text}
    return texts[roles[0]], texts[roles[1]]


@check("script-mix", "Simplified-only characters in zh-Hant text, or Traditional-only ones in zh-Hans")
def script_mix(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for pair in pairs:
        if script_pair(pair) is None:
            continue
        for view in pair.links:
            for lang, text in ((pair.src_lang, view.src_text), (pair.tgt_lang, view.tgt_text)):
                chars = foreign_chars(text, lang)
                if chars:
                    kind = "Simplified" if lang == "zh-Hant" else "Traditional"
                    fix = convert(text, "s2twp" if lang == "zh-Hant" else "t2s")
                    yield view.finding("script-mix", "error", f"{kind}-only characters in the {lang} text: {''.join(chars)}", fix)


@check("conversion", "the Traditional text differs from OpenCC's conversion beyond regional vocabulary")
def conversions(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for pair in pairs:
        roles = script_pair(pair)
        if roles is None:
            continue
        for view in pair.links:
            hans, hant = _sides(view, roles)
            if not (hans and hant) or foreign_chars(hant, "zh-Hant"):
                continue
            diffs = conversion_differences(hans, hant)
            if diffs:
                listed = "; ".join(f"{d.hant} where OpenCC gives {d.suggestion} (for {d.simplified})" for d in diffs)
                yield view.finding("conversion", "warning", f"conversion differences to review: {listed}", convert(hans, "s2twp"))
