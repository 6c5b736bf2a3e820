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
