"""`aligner pair`: which file of one folder is the translation of which file of another.

Files are read as `build` reads them (any encoding it knows, HTML, page chrome); `features`
turns each into signals, `assign` solves one assignment. Nothing is written unless asked:
`write_seeds` copies the pairs into the DOC.LANG.ext layout `aligner build` reads.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from aligner.build import texts_in
from aligner.corpus.model import Document, safe_doc_id
from aligner.corpus.store import write_atomic
from aligner.errors import InputError
from aligner.ingest.langs import normalize_tag
from aligner.ingest.text import ingest_file, off_language


@dataclass
class PairReport:
    """Pairs of files (A's, B's, confidence) and the files of each side left without a partner."""

    dir_a: Path
    dir_b: Path
    langs: tuple[str, str]
    pairs: list[tuple[Path, Path, float]] = field(default_factory=list)
    unpaired_a: list[Path] = field(default_factory=list)
    unpaired_b: list[Path] = field(default_factory=list)
    # files whose text looks written in another language than their folder's: file → (its side,
    # 0 for A and 1 for B; that language)
    off_language: dict[Path, tuple[int, str]] = field(default_factory=dict)

    def off_language_lines(self, given: str) -> list[str]:
        """A line for each file in `off_language` (`given`: what named the folders' languages)."""
        folders = (self.dir_a, self.dir_b)
        return [
            f"{path}: looks written in {found}, not in {self.langs[at]} as {given} says of {folders[at]}; check that it belongs there"
            for path, (at, found) in self.off_language.items()
        ]

    def as_json(self) -> dict[str, object]:
        return {
            "langs": list(self.langs),
            "pairs": [{"a": str(a), "b": str(b), "confidence": c} for a, b, c in self.pairs],
            "unpaired_a": [str(p) for p in self.unpaired_a],
            "unpaired_b": [str(p) for p in self.unpaired_b],
            "off_language": {str(p): lang for p, (_, lang) in self.off_language.items()},
        }


def list_files(folder: Path) -> list[Path]:
    """The text files of a folder (as `build` finds them), each once: a file given twice is an error."""
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder; give two folders of documents")
    files = texts_in(folder)
    if not files:
        raise InputError(f"{folder}: no .txt or .html files; give a folder of documents in one language")
    seen: dict[str, Path] = {}
    for path in files:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest in seen:
            raise InputError(f"{path}: the same file as {seen[digest]}; remove one of them")
        seen[digest] = path
    return files


def read_side(files: list[Path], lang: str) -> list[Document]:
    """Each file as a document in `lang`; a file with no sentences is an error naming it."""
    docs = []
    for path in files:
        doc = ingest_file(path, doc_id="d", lang=lang)
        if not any(True for _ in doc.sentences()):
            raise InputError(f"{path}: no sentences in this file; remove it or give it its text")
        docs.append(doc)
    return docs


def folder_languages(langs: tuple[str, str]) -> tuple[str, str]:
    """The version keys of the two folders' language tags, which must be two languages."""
    lang_a, lang_b = normalize_tag(langs[0]), normalize_tag(langs[1])
    if lang_a == lang_b:  # the seeds written would be two versions of one language: one overwrites the other
        raise InputError(f"{langs[0]},{langs[1]}: the two folders must hold two languages; give each folder's own")
    return lang_a, lang_b


def pair_folders(dir_a: Path, dir_b: Path, langs: tuple[str, str], encoder: str = "auto") -> PairReport:
    """Decide which file of `dir_a` (in langs[0]) translates which file of `dir_b` (in langs[1])."""
    return pair_keys(dir_a, dir_b, folder_languages(langs), encoder)


def pair_keys(dir_a: Path, dir_b: Path, keys: tuple[str, str], encoder: str = "auto") -> PairReport:
    """`pair_folders` for the two folders' version keys as `folder_languages` gives them (`aligner pair`'s --langs)."""
    from aligner.align.embed import Encoder
    from aligner.align.encoders import choose
    from aligner.pairing.assign import assign
    from aligner.pairing.features import features

    if dir_a.resolve() == dir_b.resolve():
        raise InputError(f"{dir_b}: the same folder as {dir_a}; give the folder of each language")
    for inner, outer in ((dir_a, dir_b), (dir_b, dir_a)):
        if outer.resolve() in inner.resolve().parents:  # its files would be read on both sides
            raise InputError(f"{inner}: inside {outer}; give two folders side by side, one a language")
    lang_a, lang_b = keys
    files_a, files_b = list_files(dir_a), list_files(dir_b)
    spec = choose(encoder, lang_a, lang_b)
    encode = Encoder(spec).encode
    docs_a, docs_b = read_side(files_a, lang_a), read_side(files_b, lang_b)
    fa, fb = features(docs_a, lang_a, docs_b, lang_b, encode, spec.dim)
    result = assign(fa, fb)
    report = PairReport(dir_a, dir_b, (lang_a, lang_b))
    for side, (files, docs, lang) in enumerate(((files_a, docs_a, lang_a), (files_b, docs_b, lang_b))):
        report.off_language |= {path: (side, found) for path, doc in zip(files, docs, strict=True) if (found := off_language(doc, lang))}
    report.pairs = [(files_a[i], files_b[j], conf) for i, j, _, conf in result.pairs]
    report.unpaired_a = [files_a[i] for i in result.unpaired_a]
    report.unpaired_b = [files_b[j] for j in result.unpaired_b]
    return report


def write_seeds(report: PairReport, seeds: Path) -> list[Path]:
    """Copy each pair into `seeds` as DOC.LANG.ext (DOC: the A file's name without its suffix)."""
    written: list[Path] = []
    names: dict[str, Path] = {}
    for a, _, _ in report.pairs:  # every name checked before any file is written
        doc = safe_doc_id(str(a.relative_to(report.dir_a).with_suffix("")).replace("/", "_").replace(".", "_"))
        if doc in names:
            raise InputError(f"{a}: the same document name '{doc}' as {names[doc]}; rename one of them")
        names[doc] = a
    for (doc, a), (_, b, _) in zip(names.items(), report.pairs, strict=True):
        for path, lang in ((a, report.langs[0]), (b, report.langs[1])):
            target = seeds / f"{doc}.{lang}{path.suffix.lower()}"
            write_atomic(target, path.read_bytes())
            written.append(target)
    return written
