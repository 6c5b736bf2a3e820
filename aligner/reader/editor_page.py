"""The editor's pages: the list of documents, and one document's editing page.

The page is a shell (header, toolbar, keys, status line, an empty grid); editor.js fetches the
rows as JSON and renders them with textContent only, so sentence text is never read as HTML.
"""

from __future__ import annotations

from urllib.parse import quote

from lxml import etree

from aligner.corpus.model import ParallelText
from aligner.reader.index import lang_label, reading_order
from aligner.reader.markup import add, json_script, shell

# (key, what it does, its action: an edit sent to the server or one of editor.js's own): shown on
# the page, each action with a button, and used by editor.js
KEYS = (
    ("j / ↓", "next link", ""),
    ("k / ↑", "previous link", ""),
    ("PgDn / PgUp", "a screenful of links down or up", ""),
    ("Home / End", "first or last link", ""),
    ("m", "merge with the link below", "merge"),
    ("M", "merge with the link above", "merge-up"),
    ("s", "split the link at the point in “Split at”", "split"),
    ("[", "shift the first target sentence up", "shift-up"),
    ("]", "shift the last target sentence down", "shift-down"),
    ("{", "shift the first source sentence up", "shift-src-up"),
    ("}", "shift the last source sentence down", "shift-src-down"),
    ("d", "detach the last target sentence as an omission", "detach"),
    ("D", "detach the last source sentence as an omission", "detach-src"),
    ("a", "attach an omission to the link below", "attach"),
    ("A", "attach an omission to the link above", "attach-up"),
    ("c", "confirm the link, or unconfirm a confirmed one", "confirm"),
    ("r", "re-align the unconfirmed links around this one", "realign"),
    ("u", "undo", "undo"),
    ("y", "redo", "redo"),
    ("n", "next unconfirmed link", "next-unconfirmed"),
    ("l", "next low-confidence link", "next-low"),
    ("f", "next link with QA findings", "next-flagged"),
    ("t", "sentence tools: split, join or correct a sentence", "sentence-tools"),
)


def index_page(ids: list[str]) -> etree._Element:
    """The documents of the corpus, each linking to its editing page."""
    root, _head, body = shell("Edit alignments", "/")
    add(add(body, "header", cls="top"), "h1", "Edit alignments")
    main = add(body, "main")
    if not ids:
        add(main, "p", "No documents in this corpus yet; run `aligner build` first.")
    ul = add(main, "ul")
    for doc_id in ids:
        add(add(ul, "li"), "a", doc_id, href=f"/edit/{quote(doc_id)}")
    return root


def editor_page(text: ParallelText, token: str) -> etree._Element:
    """One document's editing page; the token goes with every edit the page sends."""
    root, head, body = shell(f"Edit {text.doc_id}", "/")
    add(head, "meta", name="aligner-token", content=token)
    add(head, "link", rel="stylesheet", href="/static/editor.css")
    langs = reading_order(list(text.versions))
    pairs = [al.pair for al in text.alignments]
    default = next((p for p in (("en", "zh-Hans"),) if p in pairs or p[::-1] in pairs), pairs[0] if pairs else ("", ""))
    tags = {lang: text.versions[lang].tag for lang in langs}  # with the region: zh-Hant-TW
    json_script(head, "ui:data", {"doc_id": text.doc_id, "langs": langs, "tags": tags, "pair": list(default),
                                   "keys": [[k, what, op] for k, what, op in KEYS]})
    add(head, "script", src="/static/editor.js", defer="defer")
    body.set("class", "editor")
    header = add(body, "header", cls="top")
    nav = add(header, "nav", aria_label="Site")
    add(nav, "a", "All documents", href="/")
    title = text.versions[langs[0]].meta.title if langs else ""
    add(header, "h1", title or text.doc_id, lang=langs[0] if langs else "en")
    add(header, "p", "", id="ui:progress", cls="facts")
    tools = add(header, "div", cls="tools", role="toolbar", aria_label="Editing")
    pick = add(tools, "label")
    add(pick, "span", "Pair ")
    select = add(pick, "select", id="ui:pair")
    for a, b in pairs:
        for x, y in ((a, b), (b, a)):
            option = add(select, "option", f"{tags[x]} ↔ {tags[y]}", value=f"{x},{y}", title=f"{lang_label(tags[x])} ↔ {lang_label(tags[y])}")
            if (x, y) == default:
                option.set("selected", "selected")
    split = add(tools, "label")
    add(split, "span", "Split at ")
    add(split, "input", id="ui:split-at", value="1:1", size="4", aria_describedby="ui:split-help")
    add(tools, "span", "source:target sentences the first part keeps", id="ui:split-help", cls="hint")
    goto = add(tools, "form", id="ui:goto", cls="goto")
    label = add(goto, "label")
    add(label, "span", "Go to link ")
    add(label, "input", id="ui:goto-n", type="number", min="0", size="6")
    add(goto, "button", "Go", type="submit")
    for key, what, op in KEYS:
        if op:
            button = add(tools, "button", type="button", data_op=op, aria_keyshortcuts=key)
            add(button, "kbd", key).tail = " " + what[0].upper() + what[1:]
    keys = add(header, "details", cls="keys", open="open")
    add(keys, "summary", "Keys")
    dl = add(keys, "dl")
    for key, what, _op in KEYS:
        add(dl, "dt", key)
        add(dl, "dd", what)
    add(body, "p", "Loading…", id="ui:status", role="status", aria_live="polite", cls="status")  # sticky: in view at any row
    tools_form = add(body, "form", id="ui:sentence", cls="sentence", hidden="hidden", aria_label="Sentence tools")
    label = add(tools_form, "label")
    add(label, "span", "Sentence ")
    add(label, "select", id="ui:sid")
    label = add(tools_form, "label")
    add(label, "span", "Text ")
    add(label, "textarea", id="ui:text", rows="2", aria_describedby="ui:text-help")
    add(tools_form, "span", "to split, put the text cursor where the second sentence begins", id="ui:text-help", cls="hint")
    label = add(tools_form, "label")
    add(label, "span", "Split before character ")
    add(label, "input", id="ui:offset", type="number", min="1", size="5")
    for op, label_text in (("split-sentence", "Split sentence"), ("join", "Join with next sentence"), ("correct", "Save text")):
        add(tools_form, "button", label_text, type="button", data_sop=op)
    add(tools_form, "button", "Close", type="button", id="ui:sentence-close")
    add(tools_form, "p", "", id="ui:sentence-note", cls="note")  # why the last action of the form was refused
    main = add(body, "main", id="ui:main")
    add(main, "div", id="ui:grid", role="grid", aria_label="Links of the chosen pair", aria_rowcount="0", cls="grid")
    return root
