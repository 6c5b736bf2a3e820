"""What a check reports: a finding on one link, with severity, ids, both texts and a reason."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One problem on one link of one language pair of one document."""

    check: str
    severity: Severity
    doc_id: str
    src_lang: str
    tgt_lang: str
    link: int  # the link's position in the pair's alignment
    src_ids: tuple[str, ...]
    tgt_ids: tuple[str, ...]
    src_text: str
    tgt_text: str
    reason: str  # one line, naming the values that disagree
    suggestion: str = ""  # e.g. the OpenCC conversion to compare with
    src_tag: str = ""  # the versions' full tags (zh-Hant-HK; `src_lang` is the key, zh-Hant)
    tgt_tag: str = ""

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["src_ids"] = list(self.src_ids)
        data["tgt_ids"] = list(self.tgt_ids)
        return data


def rank(severity: Severity) -> int:
    """0 for errors, 1 for warnings, 2 for info: the order a reviewer reads them in."""
    return SEVERITIES.index(severity)


def sort_key(f: Finding) -> tuple[object, ...]:
    """Findings in document order, then by pair, position and check (deterministic output)."""
    return (f.doc_id, f.src_lang, f.tgt_lang, f.link, rank(f.severity), f.check, f.reason)
