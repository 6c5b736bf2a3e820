"""Score candidate translations against a corpus's reference version with sacrebleu.

Candidates are plain text (one segment per line, one line per source sentence of the document,
in reading order) or a TEI version. Segments are the links of the source → reference alignment:
a link's candidate lines are joined and compared with its reference sentences, so 2-1 and 1-2
links score as one segment. BLEU, chrF++ and TER are sacrebleu's; Chinese uses its `zh`
tokeniser and TER's Asian support (with its normalisation, without which sacrebleu ignores it and
compares whole unsegmented sentences). A target written without spaces between words (Chinese,
Japanese, Thai …) is scored with chrF, character n-grams alone: sacrebleu splits chrF++'s words at
spaces, so its words there were whole sentences (`chrf_name`). Both sides are width-folded first
(`fold_width`: ＧＰＵ and ２０２４ are GPU and 2024; the signatures say `|width:folded`). zh-Hant:
scored in its own script by default; with `simplify=True` both sides are then converted with OpenCC
t2s so a Traditional system's score is comparable with a Simplified one's (`|script:t2s`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aligner import evaluate
from aligner.corpus.model import ParallelText
from aligner.errors import InputError
from aligner.ingest.langs import convert, joiner, other_language


@dataclass(frozen=True)
class Segments:
    """Aligned segments of one or more documents: source, reference and each system's output."""

    ids: tuple[str, ...]  # doc-id:first source sentence id
    sources: tuple[str, ...]
    references: tuple[str, ...]
    systems: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class SystemScore:
    name: str
    bleu: float
    chrf: float
    ter: float
    bleu_ci: float | None = None  # 95% interval half-width from paired bootstrap
    chrf_ci: float | None = None
    ter_ci: float | None = None
    p_bleu: float | None = None  # against the first system (the baseline)
    p_chrf: float | None = None
    p_ter: float | None = None


_CANDIDATE = ("the candidate", "give a system's output file")  # a candidate file that cannot be read: its name, the fix


def read_lines(path: Path) -> list[str]:
    """A candidate file's lines, read as `evaluate.read_lines` reads a text (decoded as `aligner
    align` decodes one); blank lines at its end are not segments."""
    lines = evaluate.read_lines(path, *_CANDIDATE)
    while lines and not lines[-1]:
        lines.pop()
    if not "".join(lines).strip():
        raise InputError(f"{path}: the candidate is empty; give one translated segment per source sentence")
    return lines


def check_versions(text: ParallelText, src_lang: str, tgt_lang: str) -> None:
    """Refuse a document without the reference or the source version: one line naming the option
    that chooses it."""
    have = ", ".join(sorted(text.versions))
    if tgt_lang not in text.versions:
        raise InputError(f"{text.doc_id}: no {tgt_lang} reference (it has {have}); choose the reference with --lang")
    if src_lang not in text.versions:
        raise InputError(
            f"{text.doc_id}: no {src_lang} source (it has {have}); choose with --src the version the candidate"
            " lines translate, one line per sentence"
        )


def candidate_lines(path: Path, text: ParallelText, src_lang: str, tgt_lang: str) -> list[str]:
    """One line per source sentence, from plain text or from a TEI version of the document."""
    check_versions(text, src_lang, tgt_lang)
    n_source = sum(1 for _ in text.versions[src_lang].sentences())
    if path.suffix == ".xml":
        from aligner.corpus.tei import tei_to_document

        doc = tei_to_document(evaluate.read_bytes(path, *_CANDIDATE), text.doc_id, str(path))
        lines = [s.text for s in doc.sentences()]
    else:
        lines = read_lines(path)
    if len(lines) != n_source:
        raise InputError(
            f"{path}: {len(lines)} lines but {text.doc_id} has {n_source} {src_lang} sentences; "
            "give one translated line per source sentence"
        )
    return lines


def segments(
    texts: Sequence[ParallelText], candidates: dict[str, list[list[str]]], src_lang: str, tgt_lang: str
) -> Segments:
    """Join candidate lines and reference sentences link by link (links with an empty side are skipped)."""
    ids, sources, refs = [], [], []
    systems: dict[str, list[str]] = {name: [] for name in candidates}
    for k, text in enumerate(texts):
        check_versions(text, src_lang, tgt_lang)
        al = text.alignment(src_lang, tgt_lang)
        if al is None:
            raise InputError(f"{text.doc_id}: {src_lang} and {tgt_lang} are not aligned; run `aligner align` first")
        src_doc, ref_doc = text.versions[src_lang], text.versions[tgt_lang]
        line_of = {s.id: n for n, s in enumerate(src_doc.sentences())}
        s_index, r_index = src_doc.sentence_index(), ref_doc.sentence_index()
        for lk in al.links:
            if not (lk.src and lk.tgt):
                continue
            ids.append(f"{text.doc_id}:{lk.src[0]}")
            sources.append(joiner(src_lang).join(s_index[i].text for i in lk.src))
            refs.append(joiner(tgt_lang).join(r_index[i].text for i in lk.tgt))
            for name, docs in candidates.items():
                systems[name].append(joiner(tgt_lang).join(docs[k][line_of[i]] for i in lk.src))
    return Segments(tuple(ids), tuple(sources), tuple(refs), {n: tuple(v) for n, v in systems.items()})


def language_warnings(name: str, lines: Sequence[str], tgt_lang: str) -> list[str]:
    """Warn when a candidate looks like another language or script than the reference."""
    found = other_language(" ".join(lines), tgt_lang)
    if found is None:
        return []
    if tgt_lang.startswith("zh-") and found.startswith("zh"):
        return [f"{name}: the candidate looks like {found} but the reference is {tgt_lang}; use --simplify to compare across scripts"]
    return [f"{name}: the candidate looks like {found}, not {tgt_lang}"]


def chrf_name(tgt_lang: str) -> str:
    """sacrebleu's name for the chrF scored: chrF2++ (character and word n-grams) for a language
    written with spaces between words; chrF2 (character n-grams alone) for one written without
    (Chinese, Japanese, Thai …), where sacrebleu's words, split at spaces, are whole sentences: chrF++
    there is 6/7 of chrF for every sentence not matched whole (one character changed: 59.6 against 69.5)."""
    return "chrF2++" if joiner(tgt_lang) else "chrF2"


def metrics(tgt_lang: str) -> dict[str, object]:
    """sacrebleu's BLEU, chrF (`chrf_name`) and TER with the tokenisation right for the target language."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    chinese = tgt_lang.startswith("zh")
    return {
        "BLEU": BLEU(tokenize="zh" if chinese else "13a"),
        chrf_name(tgt_lang): CHRF(word_order=2 if joiner(tgt_lang) else 0),
        "TER": TER(normalized=chinese, asian_support=chinese),  # sacrebleu reads Asian support only when normalising
    }


# Full-width letters and digits (Ａ, ａ, ０) and half-width katakana and hangul (ｶ), whose width
# means nothing; and a full-width comma or point between full-width digits (１，２５０．５), part of
# the number. CJK punctuation elsewhere (，。：？) is kept: it is Chinese's own, one token each in
# sacrebleu's `zh` tokeniser, and its ASCII look-alike is another mark, not another width.
_WIDE_ALNUM = "".join(ch for ch in map(chr, range(0xFF00, 0xFFF0)) if unicodedata.category(ch)[0] in "LN")
_WIDE_RUN = re.compile(f"(?:[{_WIDE_ALNUM}]|(?<=[０-９])[，．](?=[０-９]))+")


def fold_width(text: str) -> str:
    """`text` with its full-width letters and digits, and the marks inside full-width numbers, as
    NFKC writes them (ＧＰＵ２０２４ → GPU2024, １，２５０ → 1,250, ｶﾞ → ガ), so that a translator's
    choice of width does not change a score."""
    return _WIDE_RUN.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def prepare(segs: Segments, tgt_lang: str, simplify: bool) -> Segments:
    """References and outputs as they are scored: width-folded (`fold_width`), then with `simplify`
    converted to Simplified (t2s)."""
    t2s = simplify and tgt_lang.startswith("zh")

    def ready(texts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(convert(fold_width(t), "t2s") if t2s else fold_width(t) for t in texts)

    return Segments(segs.ids, segs.sources, ready(segs.references), {n: ready(v) for n, v in segs.systems.items()})


@dataclass(frozen=True)
class Report:
    scores: list[SystemScore]  # ranked by chrF, best first
    signatures: dict[str, str]
    segments: Segments  # as scored (`prepare`)
    per_segment: dict[str, list[float]]  # sentence chrF per system
    chrf: str  # the chrF scored (`chrf_name`): chrF2++, or chrF2 for a target written without spaces


def score(segs: Segments, tgt_lang: str, simplify: bool = False, samples: int = 1000) -> Report:
    """Corpus scores per system; with several systems, paired bootstrap CIs and p-values
    against the first system."""
    segs = prepare(segs, tgt_lang, simplify)
    ms = metrics(tgt_lang)
    chrf_metric = chrf_name(tgt_lang)
    refs = [list(segs.references)]
    suffix = "|width:folded" + ("|script:t2s" if simplify and tgt_lang.startswith("zh") else "")
    results: list[SystemScore] = []
    if len(segs.systems) > 1:
        from sacrebleu.significance import PairedTest

        test = PairedTest(list(segs.systems.items()), ms, refs, test_type="bs", n_samples=samples)  # type: ignore[arg-type]
        sigs, table = test()
        for k, name in enumerate(table["System"]):
            b, c, t = (table[m][k] for m in ("BLEU", chrf_metric, "TER"))
            extra = (b.ci, c.ci, t.ci, b.p_value, c.p_value, t.p_value)  # type: ignore[union-attr]
            scores = (float(b.score), float(c.score), float(t.score))  # type: ignore[union-attr]  # numpy → float
            results.append(SystemScore(str(name), *scores, *(None if v is None else float(v) for v in extra)))
        signatures = {m: str(s) + suffix for m, s in sigs.items()}
    else:
        ((name, hyps),) = segs.systems.items()
        got = {m: metric.corpus_score(list(hyps), refs) for m, metric in ms.items()}  # type: ignore[attr-defined]
        results.append(SystemScore(name, got["BLEU"].score, got[chrf_metric].score, got["TER"].score))
        signatures = {m: str(metric.get_signature()) + suffix for m, metric in ms.items()}  # type: ignore[attr-defined]
    chrf = ms[chrf_metric]
    per_segment = {
        name: [chrf.sentence_score(h, [r]).score for h, r in zip(hyps, segs.references, strict=True)]  # type: ignore[attr-defined]
        for name, hyps in segs.systems.items()
    }
    ranked = sorted(results, key=lambda s: (-s.chrf, s.name))
    return Report(ranked, signatures, segs, per_segment, chrf_metric)


def worst(report: Report, name: str, n: int) -> list[tuple[str, str, str, str, float]]:
    """The n segments where a system scores lowest: (id, source, output, reference, chrF)."""
    segs = report.segments
    rows = zip(segs.ids, segs.sources, segs.systems[name], segs.references, report.per_segment[name], strict=True)
    return sorted(rows, key=lambda r: (r[4], r[0]))[:n]
