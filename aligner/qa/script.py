"""Script consistency between the Simplified and Traditional versions.

`script-mix`: Simplified-only characters in zh-Hant text, Traditional-only ones in zh-Hans text.
`conversion`: where the Traditional text differs from OpenCC's conversion of the Simplified one
in a way regional vocabulary does not explain. The two texts are compared through t2s: runs that
read the same in Simplified are conversions, and there every character must be one OpenCC gives
(s2t, s2tw or s2twp), else it is a one-to-many choice to review (髮 for 發, 后 for 後). Runs that
differ even in Simplified are vocabulary (朝鲜 → 北韓, 导弹 → 飛彈, 软件 → 軟體) and not reported,
except a lone changed character that no OpenCC configuration gives and that makes no CC-CEDICT
word there, which is more likely a slip (numerals are left to the numbers check).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from aligner.align.anchors import numbers
from aligner.langs import convert, is_chinese
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
    variants = [v for v in converted if len(v) == len(hans)]
    found: list[Difference] = []
    matcher = SequenceMatcher(None, hans, back, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for off in range(i2 - i1):
                i, j = i1 + off, j1 + off
                allowed = {v[i] for v in variants}
                if is_chinese(hant[j]) and hant[j] not in allowed and variants and not _variant_word(hant, hans, j, i - j):
                    found.append(Difference(hant[j], variants[-1][i], hans[i]))
        elif op == "replace" and i2 - i1 == 1 and j2 - j1 == 1 and is_chinese(hant[j1]) and not numbers(hans[i1] + hant[j1] + "次"):
            vocabulary = in_word(back, j1) or any(v[i1] == hant[j1] for v in variants)
            if variants and not vocabulary:
                found.append(Difference(hant[j1], variants[-1][i1], hans[i1]))
    return found


def _variant_word(hant: str, hans: str, j: int, shift: int) -> bool:
    """A Traditional CC-CEDICT headword covers position `j` and converts back to the Simplified
    text there: a recognised spelling (台灣 for 臺灣), not a slip. Simplified headwords do not
    count: 以后 is a word, but not a Traditional one (以後)."""
    words = lexicon().traditional_words
    for size in range(2, 5):
        for a in range(max(0, j - size + 1), min(j, len(hant) - size) + 1):
            word = hant[a : a + size]
            if word in words and convert(word, "t2s") == hans[a + shift : a + shift + size]:
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
