"""Score candidate translations against a corpus's reference version with sacrebleu.

Candidates are plain text (one segment per line, one line per source sentence of the document,
in reading order) or a TEI version. Segments are the links of the source → reference alignment:
a link's candidate lines are joined and compared with its reference sentences, so 2-1 and 1-2
links score as one segment. BLEU, chrF++ and TER are sacrebleu's; Chinese uses its `zh`
tokeniser and TER's Asian support (with its normalisation, without which sacrebleu ignores it and
compares whole unsegmented sentences). zh-Hant: scored in its own script by default; with
`simplify=True` both sides are first converted with OpenCC t2s so a Traditional system's score is
comparable with a Simplified one's (the signature then ends in `|script:t2s`).
"""

from __future__ import annotations

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


def metrics(tgt_lang: str) -> dict[str, object]:
    """sacrebleu's BLEU, chrF++ and TER with the tokenisation right for the target language."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    chinese = tgt_lang.startswith("zh")
    return {
        "BLEU": BLEU(tokenize="zh" if chinese else "13a"),
        "chrF2++": CHRF(word_order=2),
        "TER": TER(normalized=chinese, asian_support=chinese),  # sacrebleu reads Asian support only when normalising
    }


def prepare(segs: Segments, tgt_lang: str, simplify: bool) -> Segments:
    """With `simplify`, convert references and outputs to Simplified (t2s) before scoring."""
    if not (simplify and tgt_lang.startswith("zh")):
        return segs
    to_s = lambda xs: tuple(convert(x, "t2s") for x in xs)  # noqa: E731
    return Segments(segs.ids, segs.sources, to_s(segs.references), {n: to_s(v) for n, v in segs.systems.items()})


@dataclass(frozen=True)
class Report:
    scores: list[SystemScore]  # ranked by chrF++, best first
    signatures: dict[str, str]
    segments: Segments
    per_segment: dict[str, list[float]]  # sentence chrF++ per system


def score(segs: Segments, tgt_lang: str, simplify: bool = False, samples: int = 1000) -> Report:
    """Corpus scores per system; with several systems, paired bootstrap CIs and p-values
    against the first system."""
    segs = prepare(segs, tgt_lang, simplify)
    ms = metrics(tgt_lang)
    refs = [list(segs.references)]
    suffix = "|script:t2s" if simplify and tgt_lang.startswith("zh") else ""
    results: list[SystemScore] = []
    if len(segs.systems) > 1:
        from sacrebleu.significance import PairedTest

        test = PairedTest(list(segs.systems.items()), ms, refs, test_type="bs", n_samples=samples)  # type: ignore[arg-type]
        sigs, table = test()
        for k, name in enumerate(table["System"]):
            b, c, t = (table[m][k] for m in ("BLEU", "chrF2++", "TER"))
            extra = (b.ci, c.ci, t.ci, b.p_value, c.p_value, t.p_value)  # type: ignore[union-attr]
            scores = (float(b.score), float(c.score), float(t.score))  # type: ignore[union-attr]  # numpy → float
            results.append(SystemScore(str(name), *scores, *(None if v is None else float(v) for v in extra)))
        signatures = {m: str(s) + suffix for m, s in sigs.items()}
    else:
        ((name, hyps),) = segs.systems.items()
        got = {m: metric.corpus_score(list(hyps), refs) for m, metric in ms.items()}  # type: ignore[attr-defined]
        results.append(SystemScore(name, got["BLEU"].score, got["chrF2++"].score, got["TER"].score))
        signatures = {m: str(metric.get_signature()) + suffix for m, metric in ms.items()}  # type: ignore[attr-defined]
    chrf = ms["chrF2++"]
    per_segment = {
        name: [chrf.sentence_score(h, [r]).score for h, r in zip(hyps, segs.references, strict=True)]  # type: ignore[attr-defined]
        for name, hyps in segs.systems.items()
    }
    ranked = sorted(results, key=lambda s: (-s.chrf, s.name))
    return Report(ranked, signatures, segs, per_segment)


def worst(report: Report, name: str, n: int) -> list[tuple[str, str, str, str, float]]:
    """The n segments where a system scores lowest: (id, source, output, reference, chrF++)."""
    segs = report.segments
    rows = zip(segs.ids, segs.sources, segs.systems[name], segs.references, report.per_segment[name], strict=True)
    return sorted(rows, key=lambda r: (r[4], r[0]))[:n]
