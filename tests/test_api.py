"""The public API as a user calls it: from a fresh interpreter, through `aligner.api` only."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from scale_seeds import paragraphs, write_seeds

SCRIPT = """
import json, sys
from aligner.api import align, build, links, load, pair
from aligner.errors import AlignerError

seeds, corpus, en, zh, crawl = sys.argv[1:]
out = {}
found = align(json.loads(en), json.loads(zh), "en", "zh-Hans")
out["align"] = [[list(lk.src), list(lk.tgt), lk.confidence] for lk in found]
report = build(seeds, corpus, jobs=2)
out["built"] = sorted(report.sentences)
out["again_skipped"] = build(seeds, corpus, jobs=1).skipped
text = load(corpus, "part1")
out["langs"] = sorted(text.versions)
out["rows"] = [[[s.text for s in row.src], [s.text for s in row.tgt], row.link.confidence]
               for row in links(text, "en", "zh-Hant")]
for call in (lambda: load(corpus, "nope"), lambda: list(links(text, "en", "de"))):
    try:
        call()
    except AlignerError as err:
        out.setdefault("errors", []).append(str(err))
found = pair(f"{crawl}/en", f"{crawl}/zh", ("en", "zh-Hans"), write_seeds=f"{crawl}/seeds")
out["paired"] = sorted([a.name, b.name] for a, b, _ in found.pairs)
out["crawl_built"] = sorted(build(f"{crawl}/seeds", f"{crawl}/corpus", jobs=1).sentences)
print(json.dumps(out, ensure_ascii=False))
"""


def test_api_from_a_fresh_interpreter(tmp_path: Path) -> None:
    write_seeds(tmp_path / "seeds", docs=3)
    for lang, folder, names in (("en", "en", "abc"), ("zh-Hans", "zh", "zyx")):
        (tmp_path / "crawl" / folder).mkdir(parents=True)
        for name, text in zip(names, paragraphs(lang)[4:7], strict=True):
            (tmp_path / "crawl" / folder / f"{name}.txt").write_text(text, encoding="utf-8")
    en = [s for p in paragraphs("en")[:1] for s in p.split(". ")]
    zh = [s for p in paragraphs("zh-Hans")[:1] for s in p.split("。") if s]
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT), str(tmp_path / "seeds"), str(tmp_path / "corpus"),
         json.dumps(en), json.dumps(zh), str(tmp_path / "crawl")],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    # every sentence in exactly one link, positions as strings, in order
    assert [i for src, _, _ in out["align"] for i in src] == [str(i) for i in range(len(en))]
    assert [j for _, tgt, _ in out["align"] for j in tgt] == [str(j) for j in range(len(zh))]
    assert all(0 <= conf <= 1 for _, _, conf in out["align"])
    assert out["built"] == ["part0", "part1", "part2"] and out["again_skipped"] == out["built"]
    assert out["langs"] == ["en", "zh-Hans", "zh-Hant"]
    english = " ".join(s for src, _, _ in out["rows"] for s in src)
    assert english == " ".join(" ".join(p.split()) for p in paragraphs("en")[2:4])
    chinese = "".join(t for _, tgt, _ in out["rows"] for t in tgt)
    assert chinese == "".join("".join(p.split()) for p in paragraphs("zh-Hant")[2:4])
    assert sum(1 for src, tgt, _ in out["rows"] if src and tgt) >= 0.8 * len(out["rows"])
    assert out["paired"] == [["a.txt", "z.txt"], ["b.txt", "y.txt"], ["c.txt", "x.txt"]]
    assert out["crawl_built"] == ["a", "b", "c"]
    assert out["errors"][0].startswith(str(tmp_path / "corpus" / "nope"))
    assert out["errors"][1] == "part1: no alignment of en with de (aligned pairs: en-zh-Hans, en-zh-Hant, zh-Hans-zh-Hant)"


def test_align_refuses_a_string_for_its_sentences_and_takes_a_generator() -> None:
    import pytest

    from aligner.api import align
    from aligner.errors import AlignerError

    with pytest.raises(AlignerError, match="align: src_sentences must be a list of sentences, not str; split the text first"):
        align("It rains.", ["下雨了。"], "en", "zh-Hans")  # type: ignore[arg-type]
    with pytest.raises(AlignerError, match="align: tgt_lang must be a language tag"):
        align(["It rains."], ["下雨了。"], "en", None)  # type: ignore[arg-type]
    assert len(align((s for s in ["It rains."]), ["下雨了。"], "en", "zh-Hans")) == 1


def test_arguments_of_the_wrong_type_are_one_clear_error() -> None:
    import pytest

    from aligner.api import build, links, load, pair
    from aligner.errors import AlignerError

    calls = [
        (lambda: build(None, "corpus"), "seeds must be a folder (a str or a Path), not None"),  # type: ignore[arg-type]
        (lambda: build("seeds", "corpus", jobs="2"), "build: jobs must be a whole number of processes, not '2'"),  # type: ignore[arg-type]
        (lambda: load("corpus", 3), "load: doc_id must be a document's id (a str), not 3"),  # type: ignore[arg-type]
        (lambda: list(links("text", "en", "de")), "links: text must be a document from load(), not str"),  # type: ignore[arg-type]
        (lambda: pair("a", "b", "en,zh-Hans"), "langs 'en,zh-Hans': give the two folders' languages"),
    ]
    for call, message in calls:
        with pytest.raises(AlignerError, match=message.replace("(", r"\(").replace(")", r"\)")):
            call()


def test_more_arguments_a_user_gets_wrong_are_one_clear_error(tmp_path: Path) -> None:
    """Each was a TypeError from deep inside (an int address, a list for the encoder), or read
    the sentences in no order of the text's (a set, a dict's keys), or aligned a blank line."""
    import pytest

    from aligner.api import align, build
    from aligner.errors import AlignerError

    calls = [
        (lambda: build("seeds", tmp_path / "c", jobs=1, scheduler=5), "build: scheduler must be a Dask scheduler's address"),  # type: ignore[arg-type]
        (lambda: align(["It rains."], ["下雨了。"], "en", "zh-Hans", encoder=["use"]), "encoder must be one of auto, use, e5 (a str), not ['use']"),  # type: ignore[arg-type]
        (lambda: align({"It rains.", "We stay in."}, ["下雨了。"], "en", "zh-Hans"), "align: src_sentences must be in reading order (a list or a tuple), not a set"),
        (lambda: align(["It rains."], {"下雨了。": 1}, "en", "zh-Hans"), "align: tgt_sentences must be in reading order (a list or a tuple), not a dict"),
        (lambda: align(["", "It rains."], ["下雨了。"], "en", "zh-Hans"), "align: src_sentences[0] is blank; leave blank lines out"),
    ]
    for call, message in calls:
        with pytest.raises(AlignerError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[").replace("]", r"\]")):
            call()


def test_unrelated_texts_and_mislabelled_folders_are_warnings_of_the_api_logger(tmp_path: Path, caplog: object) -> None:
    """The command line warns of texts that are not translations and of a file in another
    language than its folder's; the API said nothing (the signal sat in undocumented fields)."""
    import logging

    import pytest

    from aligner.api import align, pair

    assert isinstance(caplog, pytest.LogCaptureFixture)
    with caplog.at_level(logging.WARNING, logger="aligner.api"):
        align(["I like trains."], ["今天天气很好。"], "en", "zh-Hans")
    assert [r.name for r in caplog.records] == ["aligner.api"]
    assert caplog.messages[0].startswith("the two lists of sentences do not look like translations of each other: only 0%")
    caplog.clear()
    for folder, lang, names in (("en", "zh-Hans", "ab"), ("zh", "zh-Hans", "zy")):  # Chinese in the English folder
        (tmp_path / folder).mkdir()
        for name, text in zip(names, paragraphs(lang)[4:6], strict=True):
            (tmp_path / folder / f"{name}.txt").write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="aligner.api"):
        report = pair(tmp_path / "en", tmp_path / "zh", ("en", "zh-Hans"))
    assert sorted(p.name for p in report.off_language) == ["a.txt", "b.txt"]
    assert sorted(caplog.messages) == [
        f"{tmp_path / 'en' / name}: looks written in zh-Hans, not in en as langs says of {tmp_path / 'en'}; check that it belongs there"
        for name in ("a.txt", "b.txt")
    ]


def test_links_take_tags_as_build_does_and_check_before_reading(tmp_path: Path) -> None:
    """`links` matched tags exactly (zh-Hant-TW, EN found nothing) and raised only when first
    read; `documents` lists what `load` takes; `sentences` splits as `build` does."""
    import pytest

    from aligner.api import build, documents, links, load, sentences
    from aligner.errors import AlignerError

    write_seeds(tmp_path / "seeds", docs=1)
    build(tmp_path / "seeds", tmp_path / "corpus", jobs=1)
    assert documents(tmp_path / "corpus") == ["part0"]
    with pytest.raises(AlignerError, match="no such corpus folder"):
        documents(tmp_path / "nothing")
    text = load(tmp_path / "corpus", "part0")
    assert repr(text).startswith("ParallelText('part0', versions {") and len(repr(text)) < 300  # not every sentence
    rows = list(links(text, "EN", "zh-hant-TW"))
    assert rows and [r.link for r in rows] == [r.link for r in links(text, "en", "zh-Hant")]
    with pytest.raises(AlignerError, match="part0: no alignment of en with de"):
        links(text, "en", "de")  # not iterated
    assert sentences("It rains. We stay in.\n\nThe end.", "en") == ["It rains.", "We stay in.", "The end."]
    assert sentences("下雨了。我们待在家里。", "zh-CN") == ["下雨了。", "我们待在家里。"]


def test_build_from_a_script_read_on_stdin_runs_in_one_process(tmp_path: Path) -> None:
    """Spawned workers import the main program again, and a program read from stdin ("<stdin>")
    is no file: each worker died with pages of tracebacks and the build failed. It now aligns in
    the calling process, with a warning."""
    write_seeds(tmp_path / "seeds", docs=2)
    script = (
        "from aligner.api import build\n"
        "if __name__ == '__main__':\n"
        f"    print(sorted(build({str(tmp_path / 'seeds')!r}, {str(tmp_path / 'corpus')!r}, jobs=2).sentences))\n"
    )
    result = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['part0', 'part1']"
    assert "Traceback" not in result.stderr
    assert "<stdin>: worker processes cannot import the calling program again (it is not a file); aligning here, in one process" in result.stderr


def test_a_build_refused_for_its_options_makes_no_corpus_folder(tmp_path: Path) -> None:
    """An unknown encoder or a scheduler address that is none was found only once documents ran,
    after the corpus folder was made: each left an empty one behind."""
    import pytest

    from aligner.api import build
    from aligner.errors import AlignerError

    write_seeds(tmp_path / "seeds", docs=1)
    for options, message in (({"encoder": "bogus"}, "unknown encoder 'bogus'"), ({"scheduler": "nonsense"}, "nonsense: not a Dask scheduler address")):
        with pytest.raises(AlignerError, match=message):
            build(tmp_path / "seeds", tmp_path / "corpus", jobs=1, **options)  # type: ignore[arg-type]
        assert not (tmp_path / "corpus").exists()
