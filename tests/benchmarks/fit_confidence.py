"""Fit an encoder's confidence mapping: logistic regressions of "this bead is a gold link".

Usage: python tests/benchmarks/fit_confidence.py ../shared/gold --encoder use

Data: aca, mag and textberg aligned as they are, plus texts paired with the wrong partner (aca's
English with mag's Chinese and the reverse, textberg 001 with 002: every link there is wrong,
every omission right), so that unrelated texts get low confidence. Features are those of
`aligner.align.confidence.features` (similarity, merged, context, margin for links; best rival
for omissions), taken from the engine's last search; beads fixed by the first pass keep their own
confidence and are left out. Prints the coefficients to put in `encoders.Calibration`, and the
reliability of links with the fitted ones.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from aligner.align import engine
from aligner.align.confidence import features
from aligner.align.encoders import CHOICES
from aligner.align.search import Span
from aligner.evaluate import read_lines, read_links

Sample = tuple[tuple[float, float, float, float], bool, bool]  # features, is a link, is right
Links = set[tuple[tuple[int, ...], tuple[int, ...]]]
Pair = tuple[str, list[str], list[str], tuple[str, str], Links | None]


def pairs(gold: Path) -> list[Pair]:
    """(name, source, target, languages, gold links or None for a wrong partner)."""
    out: list[Pair] = []
    for name, langs in (("aca", ("en", "zh")), ("mag", ("en", "zh")), ("textberg", ("de", "fr"))):
        for path in sorted((gold / name / "gold").glob("*.align")):
            src = read_lines(gold / name / "src" / path.stem)
            tgt = read_lines(gold / name / "tgt" / path.stem)
            out.append((f"{name} {path.stem}", src, tgt, langs, set(read_links(path))))
    text = {n: (s, t) for n, s, t, _, _ in out}
    wrong = (("aca 001", "mag 003", ("en", "zh")), ("mag 003", "aca 001", ("en", "zh")),
             ("textberg 001", "textberg 002", ("de", "fr")))  # fmt: skip
    for a, b, langs in wrong:
        out.append((f"{a} x {b}", text[a][0], text[b][1], langs, None))
    return out


def samples(gold: Path, encoder: str) -> list[Sample]:
    """Align every pair, capturing the features of the final search's beads."""
    captured: list[tuple[Sequence[Span], Any, list[float], dict[Span, float]]] = []
    original = engine.confidences

    def capture(path, similarity, calibration, margins, sure=None):  # type: ignore[no-untyped-def]
        captured.append((list(path), similarity, list(margins), dict(sure or {})))
        return original(path, similarity, calibration, margins, sure)

    engine.confidences = capture  # type: ignore[assignment]
    out: list[Sample] = []
    for name, src, tgt, langs, links in pairs(gold):
        captured.clear()
        engine.align(src, tgt, *langs, encoder=encoder)
        path, similarity, margins, sure = captured[-1]
        for span, feats in zip(path, features(path, similarity, sure, margins), strict=True):  # type: ignore[arg-type]
            if span in sure:
                continue
            i0, i1, j0, j1 = span
            bead = (tuple(range(i0, i1)), tuple(range(j0, j1)))
            is_link = bool(bead[0] and bead[1])
            right = (bead in links) if links is not None else not is_link
            out.append((feats, is_link, right))
        print(f"{name}: {len(path)} beads", flush=True)
    return out


def fit(x: np.ndarray, y: np.ndarray, steps: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method with a little ridge; returns bias first."""
    x = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        hessian = x.T @ (x * (p * (1 - p))[:, None]) + 1e-3 * np.eye(len(w))
        w -= np.linalg.solve(hessian, x.T @ (p - y) + 1e-3 * w)
    return w


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--encoder", default="use", choices=CHOICES)
    args = parser.parse_args()
    data = samples(args.gold, args.encoder)
    links = [(f, r) for f, is_link, r in data if is_link]
    omissions = [(f, r) for f, is_link, r in data if not is_link]
    xl, yl = np.array([f for f, _ in links]), np.array([r for _, r in links], float)
    xo, yo = np.array([f[:1] for f, _ in omissions]), np.array([r for _, r in omissions], float)
    wl, wo = fit(xl, yl), fit(xo, yo)
    print(f"link={tuple(round(float(v), 2) for v in wl)}, omission={tuple(round(float(v), 2) for v in wo)}")
    p = 1 / (1 + np.exp(-(wl[0] + xl @ wl[1:])))
    for low, high in ((0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01)):
        sel = (p >= low) & (p < high)
        if sel.any():
            print(f"links {low:.2f}-{min(high, 1):.2f}: {sel.sum():5d}  correct {yl[sel].mean():.3f}")


if __name__ == "__main__":
    main()
