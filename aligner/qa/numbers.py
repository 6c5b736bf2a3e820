"""Numbers, dates, percentages, money and ordinals that disagree between source and translation."""

from __future__ import annotations

from collections.abc import Iterator

from aligner.qa.findings import Finding, Severity
from aligner.qa.pairs import PairView
from aligner.qa.quantities import in_digits, mentioned, stated
from aligner.qa.registry import Params, check


def _show(values: set[float]) -> str:
    return ", ".join(str(int(v)) if v == int(v) else str(v) for v in sorted(values))


@check("numbers", "a number, date, percentage, amount or ordinal that differs in the translation")
def number_mismatches(pairs: list[PairView], params: Params) -> Iterator[Finding]:
    for pair in pairs:
        for view in pair.links:
            if not (view.link.src and view.link.tgt):
                continue
            missing = stated(view.src_text) - mentioned(view.tgt_text)
            extra = stated(view.tgt_text) - mentioned(view.src_text)
            if not (missing or extra):
                continue
            digits = in_digits(view.src_text) | in_digits(view.tgt_text)
            parts = []
            if missing:
                parts.append(f"{_show(missing)} in {pair.src_lang} but not in {pair.tgt_lang}")
            if extra:
                parts.append(f"{_show(extra)} in {pair.tgt_lang} but not in {pair.src_lang}")
            severity: Severity = "error" if (missing | extra) & digits else "warning"
            yield view.finding("numbers", severity, "numbers disagree: " + "; ".join(parts))
