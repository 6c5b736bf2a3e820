"""Findings for people and machines: a rich table, JSON, and a one-file HTML report in the
reader's style (its stylesheet embedded, so the report opens anywhere)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import regex
from lxml import etree

from aligner.ingest.langs import chinese_script
from aligner.qa.findings import SEVERITIES, Finding, Severity, rank
from aligner.qa.registry import Check

_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}
# Layout the reader's stylesheet does not have: a findings table with severity colours from its
# palette; fixed columns so long text wraps instead of widening the page; cards at phone width.
_REPORT_CSS = """
.findings { border-collapse: collapse; width: 100%; margin-top: 1rem; table-layout: fixed; }
.findings th, .findings td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
.findings .sev { width: 6.5rem; font-weight: 600; }
.findings .check { width: 8rem; }
.findings .ids { width: 10rem; }
.findings td.ids { font-size: .8rem; color: var(--muted); }
.findings tr.error { background: var(--gap-bg); border-left: 4px solid var(--gap-edge); }
.findings tr.error .sev { color: var(--gap-fg); }
.findings tr.warning { background: var(--review-bg); border-left: 4px solid var(--review-edge); }
.findings tr.warning .sev { color: var(--review-fg); }
.findings tr.info .sev { color: var(--muted); }
@media (max-width: 40rem) {
  .findings, .findings tbody, .findings tr, .findings td { display: block; width: auto; }
  .findings thead { display: none; }
  .findings tr { padding: .4rem .5rem .4rem .75rem; border-bottom: 1px solid var(--line); }
  .findings td { border: 0; padding: .1rem 0; }
  .findings td.sev, .findings td.check { display: inline-block; margin-right: .75rem; }
}
"""
# Han characters and CJK punctuation: runs of them in a reason are Chinese and get its lang.
_CJK_RUN = regex.compile(r"([\p{Han}\u3000-\u303f\uff00-\uffef]+)")
_COLUMNS = (("severity", "sev"), ("check", "check"), ("ids", "ids"), ("source", "src"), ("translation", "tgt"), ("reason", "reason"))


def counts(findings: Sequence[Finding]) -> dict[str, dict[str, int]]:
    """Findings per check and severity."""
    table: dict[str, Counter[str]] = {}
    for f in findings:
        table.setdefault(f.check, Counter())[f.severity] += 1
    return {check: dict(c) for check, c in sorted(table.items())}


def failing(findings: Sequence[Finding], fail_on: Severity | None) -> bool:
    """Whether any finding is at least as severe as `fail_on`."""
    return fail_on is not None and any(rank(f.severity) <= rank(fail_on) for f in findings)


def as_json(findings: Sequence[Finding], checks: Sequence[Check]) -> dict[str, object]:
    """The report as a JSON object: checks run, counts, and every finding."""
    return {
        "checks": [c.name for c in checks],
        "counts": counts(findings),
        "total": {s: sum(f.severity == s for f in findings) for s in SEVERITIES},
        "findings": [f.as_json() for f in findings],
    }


def print_table(findings: Sequence[Finding], title: str) -> None:
    """Findings as a terminal table, errors in red and warnings in yellow."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=True, expand=True)
    for name, opts in (("severity", {"no_wrap": True}), ("check", {"no_wrap": True}), ("ids", {"overflow": "fold"}),
                       ("source", {"ratio": 2}), ("translation", {"ratio": 2}), ("reason", {"ratio": 2})):
        table.add_column(name, **opts)
    for f in findings:
        ids = f"{f.doc_id}\n{f.src_tag}: {' '.join(f.src_ids) or '—'}\n{f.tgt_tag}: {' '.join(f.tgt_ids) or '—'}"
        table.add_row(f.severity, f.check, ids, f.src_text or "—", f.tgt_text or "—",
                      f.reason + (f"\nsuggested: {f.suggestion}" if f.suggestion else ""), style=_STYLE[f.severity])
    Console().print(table)


def plain(f: Finding) -> str:
    """A finding as plain lines: severity, check, ids and reason, then both texts, each version
    named by its full tag (zh-Hant-HK)."""
    head = f"{f.severity} {f.check} {f.doc_id} {f.src_tag}:{','.join(f.src_ids) or '-'} {f.tgt_tag}:{','.join(f.tgt_ids) or '-'}: {f.reason}"
    lines = [head, f"  {f.src_tag}: {f.src_text or '—'}", f"  {f.tgt_tag}: {f.tgt_text or '—'}"]
    if f.suggestion:
        lines.append(f"  suggested: {f.suggestion}")
    return "\n".join(lines)


def chinese_lang(text: str, f: Finding) -> str:
    """The lang of Chinese text quoted in a finding: the full tag of the side in its script
    (zh-Hant-HK, so a Hong Kong font), its script when neither side is, or the Chinese side's
    when the characters are shared by both."""
    script = chinese_script(text)
    sides = [(lang, tag) for lang, tag in ((f.tgt_lang, f.tgt_tag), (f.src_lang, f.src_tag)) if lang.startswith("zh")]
    if script != "zh":
        return next((tag for lang, tag in sides if lang == script), script)
    return next((tag for _, tag in sides), "zh")


def html_report(findings: Sequence[Finding], title: str) -> etree._Element:
    """A standalone HTML page listing the findings, styled with the reader's stylesheet."""
    from aligner.reader.markup import UI_LANG, add
    from aligner.reader.site import static_bytes

    root = etree.Element("html", lang=UI_LANG)
    head = add(root, "head")
    add(head, "meta", charset="utf-8")
    add(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    add(head, "title", title)
    add(head, "style", static_bytes("reader.css").decode("utf-8") + _REPORT_CSS)
    body = add(root, "body")
    top = add(body, "header", cls="top")
    add(top, "h1", title)
    total = Counter(f.severity for f in findings)
    add(top, "p", ", ".join(f"{total[s]} {s}{'s' if s != 'info' and total[s] != 1 else ''}" for s in SEVERITIES), cls="facts")
    main = add(body, "main")
    table = add(main, "table", cls="findings")
    row = add(add(table, "thead"), "tr")
    for name, cls in _COLUMNS:
        add(row, "th", name, scope="col", cls=cls)
    tbody = add(table, "tbody")
    for f in findings:
        tr = add(tbody, "tr", cls=f.severity)
        add(tr, "td", f.severity, cls="sev")
        add(tr, "td", f.check, cls="check")
        ids = add(tr, "td", f.doc_id, cls="ids")
        add(ids, "br").tail = " ".join(f.src_ids) or "—"
        add(ids, "br").tail = f"→ {' '.join(f.tgt_ids) or '—'}"
        for text, lang in ((f.src_text, f.src_tag), (f.tgt_text, f.tgt_tag)):
            cell = add(tr, "td", text or None, cls="cell", lang=lang)
            if not text:
                add(cell, "span", "not in this version", cls="none", lang=UI_LANG)
        reason = add(tr, "td", cls="reason")
        mixed_text(reason, f.reason, f)
        if f.suggestion:
            add(reason, "br").tail = "suggested: "
            add(reason, "span", f.suggestion, lang=chinese_lang(f.suggestion, f) if _CJK_RUN.search(f.suggestion) else f.tgt_tag)
    return root


def mixed_text(parent: etree._Element, text: str, f: Finding) -> None:
    """Set an empty element's text, each run of Chinese in a span with its lang (so it gets a CJK font)."""
    from aligner.reader.markup import add

    parts = _CJK_RUN.split(text)  # plain, Chinese, plain, Chinese, …, plain
    parent.text = parts[0]
    for run, after in zip(parts[1::2], parts[2::2], strict=True):
        add(parent, "span", run, lang=chinese_lang(run, f)).tail = after
