"""The blocks of text a reader sees in an (X)HTML tree, for EPUB chapters, Markdown's raw HTML and
web pages alike: every run of text between block boundaries is a block, so text straight inside a
<div> is kept, a paragraph inside a list item is read once, and a <br> is a space between words;
the head, scripts, styles, navigation and footnote reference marks are no text of the reader's."""

from __future__ import annotations

from typing import Any

from aligner.ingest.blocks import Block
from aligner.ingest.langs import squeeze

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Elements that flow inside a line; every other element ends one block of text and starts another.
_INLINE = frozenset(
    "a abbr b bdi bdo big cite code data del dfn em font i img ins kbd label mark q rp rt ruby s samp small span"
    " strike strong sub sup time tt u var wbr br".split()
)


def tree_blocks(root: Any) -> list[Block]:
    """A parsed (X)HTML tree's runs of text (`text_runs`) once what no reader reads is dropped (`drop_unread`)."""
    drop_unread(root)
    return text_runs(root)


def drop_unread(root: Any) -> None:
    """Drop a tree's head, scripts, styles, navigation and footnote reference marks; the text after each (its tail) stays."""
    for bad in [*root.xpath("//head|//script|//style|//nav"), *filter(_is_noteref, root.iter("a", "sup", "span"))]:
        bad.drop_tree()


def _is_noteref(node: Any) -> bool:
    """A footnote reference mark (`epub:type="noteref"`, `role="doc-noteref"`), not text of its sentence."""
    return "noteref" in (node.get("epub:type") or "").split() or "doc-noteref" in (node.get("role") or "").split()


def text_runs(root: Any) -> list[Block]:
    """The runs of text of an lxml HTML tree, in order; a heading's run is a "head" block."""
    out: list[Block] = []
    _runs(root, out)
    return out


def _runs(node: Any, out: list[Block]) -> None:
    """Append the runs of text of a block element and of the block elements inside it, in order."""
    run = [node.text or ""]

    def close() -> None:
        text = squeeze("".join(run))
        if text:
            out.append(Block(text, kind="head" if node.tag in HEADINGS else "p"))
        run.clear()

    for child in node:
        if isinstance(child.tag, str) and child.tag.lower() not in _INLINE:
            close()
            _runs(child, out)
        else:
            run.append(_inline(child) if isinstance(child.tag, str) else "")  # a comment adds nothing
        run.append(child.tail or "")
    close()


def _inline(node: Any) -> str:
    """The text of an inline element; a line break (<br>) counts as a space between words."""
    if node.tag.lower() == "br":
        return " "
    if node.tag.lower() in ("rt", "rp"):
        return ""  # a ruby reading (furigana, pinyin) is not text of the sentence
    return (node.text or "") + "".join(
        (_inline(child) if isinstance(child.tag, str) else "") + (child.tail or "") for child in node
    )
