"""Small multi-document seed folders cut from the seed article, for build, API and pairing tests."""

from __future__ import annotations

from pathlib import Path

SEEDS = Path(__file__).parent.parent / "seeds"
ARTICLE = "000_bf7a112df29932bd"
LANGS = {"en": "", "zh-Hans": ".zh-Hans", "zh-Hant": ".zh-Hant"}
_BODY = slice(4, -1)  # the body: after the language line, title, date, author; before the footer


def paragraphs(lang: str) -> list[str]:
    """The body paragraphs of the seed article in one language (11 of them, parallel across languages)."""
    text = (SEEDS / f"{ARTICLE}{LANGS[lang]}.txt").read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()][_BODY]


def write_seeds(folder: Path, docs: int = 3, size: int = 2, langs: tuple[str, ...] = ("en", "zh-Hans", "zh-Hant")) -> list[str]:
    """Write `docs` documents of `size` paragraphs each, as DOC.LANG.txt; return their ids."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = [f"part{i}" for i in range(docs)]
    for lang in langs:
        paras = paragraphs(lang)
        for i, doc in enumerate(ids):
            text = "\n\n".join(paras[i * size : (i + 1) * size])
            (folder / f"{doc}.{lang}.txt").write_text(text + "\n", encoding="utf-8")
    return ids


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under a folder by relative path: to compare two corpora byte for byte."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def die(_: object) -> None:
    """A task whose worker process dies at once, as one killed by the system would."""
    import os

    os._exit(3)


def attempt(task: tuple[str, str]) -> str:
    """Note an attempt in a file, then fail as asked: a user error ("user"), or an error of the
    worker's own ("worker"); a task for the cluster tests, which count the attempts."""
    from aligner.errors import InputError

    path, kind = task
    with open(path, "a", encoding="utf-8") as out:
        out.write("attempt\n")
    if kind == "user":
        raise InputError(f"{path}:1: a bad input; fix it")
    if kind == "worker":
        raise OSError("lost file handle")
    return kind
