"""The build fingerprint: a digest of what a document's links were made from.

A build records it in the document's `align.xml` header (`<idno type="fingerprint">`) and skips
a document whose versions, person links and engine configuration give the same digest again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping

from aligner import __version__
from aligner.corpus.links import person_links
from aligner.corpus.model import Alignment


def engine_config(pairs: Mapping[tuple[str, str], str], encoder: str) -> dict[str, str]:
    """What decides the machine links besides the texts: the package version, the encoder asked
    for and the model it stands for in each pair, the engine's weights and each pair's signature."""
    from aligner.align import engine

    return {
        "aligner": __version__,
        "encoder": encoder,
        "models": "\n".join(f"{a}-{b} {_model(encoder, a, b)}" for a, b in sorted(pairs)),
        "weights": repr(getattr(engine, "WEIGHTS", "")),
        "signatures": "\n".join(pairs[pair] for pair in sorted(pairs)),
    }


def _model(encoder: str, src_lang: str, tgt_lang: str) -> str:
    """The sentence encoder the engine takes for a pair: its model and its calibration."""
    from aligner.align.engine import spec_for

    spec = spec_for(src_lang, tgt_lang, encoder)
    return f"{spec.model_id} {spec.calibration!r}"


def person_part(alignments: Iterable[Alignment]) -> list[object]:
    """The links a person made, pair by pair in a fixed order, as plain data."""
    return [
        [al.src_lang, al.tgt_lang, [[lk.src, lk.tgt, lk.confidence] for lk in person_links(al)]]
        for al in sorted(alignments, key=lambda al: al.pair)
    ]


def fingerprint(versions: Mapping[str, bytes], person: list[object], config: Mapping[str, str]) -> str:
    """sha256 over the versions' TEI bytes (by language), the person's links and the engine config."""
    digest = hashlib.sha256()
    for lang in sorted(versions):
        digest.update(f"{lang}\0{len(versions[lang])}\0".encode())
        digest.update(versions[lang])
    digest.update(json.dumps([person, dict(sorted(config.items()))], ensure_ascii=False).encode())
    return f"sha256:{digest.hexdigest()}"
