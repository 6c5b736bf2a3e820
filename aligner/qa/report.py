"""Findings for people and machines: a rich table, JSON, and a one-file HTML report in the
reader's style (its stylesheet embedded, so the report opens anywhere)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from lxml import etree

from aligner.qa.findings import SEVERITIES, Finding, Severity, rank
from aligner.qa.registry import Check

_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}
# Layout the reader's stylesheet does not have: a findings table, severity colours from its palette.
_REPORT_CSS = """
.findings { border-collapse: collapse; width: 100%; margin-top: 1rem; }
.findings th, .findings td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
.findings td.ids { font-size: .8rem; color: var(--muted); white-space: nowrap; }
.findings tr.error { background: var(--gap-bg); border-left: 4px solid var(--gap-edge); }
.findings tr.warning { background: var(--review-bg); border-left: 4px solid var(--review-edge); }
.sev { font-weight: 600; }
"""


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
        table.add_column(name, **opts)  # type: ignore[arg-type]
    for f in findings:
        ids = f"{f.doc_id}\n{' '.join(f.src_ids) or '—'}\n{' '.join(f.tgt_ids) or '—'}"
        table.add_row(f.severity, f.check, ids, f.src_text or "—", f.tgt_text or "—",
                      f.reason + (f"\nsuggested: {f.suggestion}" if f.suggestion else ""), style=_STYLE[f.severity])
    Console().print(table)


def plain(f: Finding) -> str:
    """A finding as plain lines: severity, check, ids and reason, then both texts."""
    head = f"{f.severity} {f.check} {f.doc_id} {f.src_lang}:{','.join(f.src_ids) or '-'} {f.tgt_lang}:{','.join(f.tgt_ids) or '-'}: {f.reason}"
    lines = [head, f"  {f.src_lang}: {f.src_text or '—'}", f"  {f.tgt_lang}: {f.tgt_text or '—'}"]
    if f.suggestion:
        lines.append(f"  suggested: {f.suggestion}")
    return "\n".join(lines)


def html_report(findings: Sequence[Finding], title: str) -> etree._Element:
    """A standalone HTML page listing the findings, styled with the reader's stylesheet."""
    from aligner.reader.markup import add
    from aligner.reader.site import static_bytes

    root = etree.Element("html", lang="en")
    head = add(root, "head")
    add(head, "meta", charset="utf-8")
    add(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    add(head, "title", title)
    add(head, "style", static_bytes("reader.css").decode("utf-8") + _REPORT_CSS)
    body = add(root, "body")
    top = add(body, "header", cls="top")
    add(top, "h1", title)
    total = Counter(f.severity for f in findings)
    add(top, "p", ", ".join(f"{total[s]} {s}s" for s in SEVERITIES), cls="facts")
    main = add(body, "main")
    table = add(main, "table", cls="findings")
    row = add(add(table, "thead"), "tr")
    for name in ("severity", "check", "ids", "source", "translation", "reason"):
        add(row, "th", name, scope="col")
    tbody = add(table, "tbody")
    for f in findings:
        tr = add(tbody, "tr", cls=f.severity)
        add(tr, "td", f.severity, cls="sev")
        add(tr, "td", f.check)
        add(tr, "td", f"{f.doc_id} {' '.join(f.src_ids) or '—'} → {' '.join(f.tgt_ids) or '—'}", cls="ids")
        add(tr, "td", f.src_text or "—", cls="cell", lang=f.src_lang)
        add(tr, "td", f.tgt_text or "—", cls="cell", lang=f.tgt_lang)
        reason = add(tr, "td", f.reason)
        if f.suggestion:
            add(reason, "br")
            add(reason, "span", f"suggested: {f.suggestion}", lang=f.tgt_lang if f.tgt_lang.startswith("zh") else f.src_lang)
    return root
