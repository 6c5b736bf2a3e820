"""Apply the enabled checks to documents and collect their findings in a stable order."""

from __future__ import annotations

from collections.abc import Iterable

from aligner.corpus.model import ParallelText
from aligner.qa.config import QAConfig
from aligner.qa.findings import Finding, sort_key
from aligner.qa.pairs import pair_views
from aligner.qa.registry import all_checks


def run_qa(texts: Iterable[ParallelText], config: QAConfig | None = None) -> list[Finding]:
    """Every finding of every enabled check on every aligned pair of the documents."""
    config = config or QAConfig()
    pairs = [view for text in texts for view in pair_views(text)]
    findings: set[Finding] = set()
    for chk in config.enabled(all_checks()):
        findings.update(chk.run(pairs, config.params(chk)))
    return sorted(findings, key=sort_key)
