"""HTML building blocks: lxml elements (so every text and attribute is escaped) and the page shell."""

from __future__ import annotations

import json

from lxml import etree, html

from aligner import __version__

UI_LANG = "en"  # the language of the reader's own labels
DOCTYPE = b"<!DOCTYPE html>"
GENERATOR = "aligner"  # the generator a page names in its head (`shell`), how `site.written_here` knows it


def add(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """Append a child element; `cls` stands for `class`, `data_x` for `data-x`, `aria_x` for `aria-x`."""
    node = etree.SubElement(parent, tag)
    for key, value in attrs.items():
        name = "class" if key == "cls" else key.replace("_", "-")
        node.set(name, value)
    if text is not None:
        node.text = text
    return node


def json_script(parent: etree._Element, element_id: str, data: object) -> etree._Element:
    """Embed data as JSON in a script element; `<`, `>` and `&` are escaped so it cannot end the script."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return add(parent, "script", text, type="application/json", id=element_id)


def shell(title: str, root_prefix: str) -> tuple[etree._Element, etree._Element, etree._Element]:
    """A page with head (charset, viewport, title, stylesheet, script) → (html, head, body).

    `root_prefix` leads from the page back to the site root ("" or "../"), so pages work from
    `file://` as well as from any static host.
    """
    root = etree.Element("html", lang=UI_LANG)
    head = add(root, "head")
    add(head, "meta", charset="utf-8")
    add(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    add(head, "meta", name="generator", content=f"{GENERATOR} {__version__}")
    add(head, "title", title)
    add(head, "link", rel="stylesheet", href=f"{root_prefix}static/reader.css")
    body = add(root, "body")
    return root, head, body


def serialize(root: etree._Element) -> bytes:
    """The page as UTF-8 HTML5 with its doctype."""
    return html.tostring(root, doctype=DOCTYPE.decode(), encoding="utf-8", method="html") + b"\n"
