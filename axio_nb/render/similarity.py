"""Embeddings as a cosine-similarity heatmap: plain HTML (a table) and text, readable in any saved notebook.

Up to `MAX_MATRIX` texts the output is the whole matrix, the texts on both axes; above it, a summary
with the most similar pairs. Texts are escaped; colours are computed here, so nothing needs a script.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Final

#: The most texts shown as a full matrix (50 × 50 cells is still readable; 100 × 100 is not).
MAX_MATRIX: Final = 50
#: Pairs listed in the summary of a large set.
TOP_PAIRS: Final = 10
_LABEL: Final = 32

_CSS = (
    ".axio-nb-sim{border-collapse:collapse;font-size:11px;font-family:var(--jp-ui-font-family,system-ui)}"
    ".axio-nb-sim th{font-weight:normal;text-align:right;padding:1px 4px;max-width:16em;overflow:hidden;"
    "white-space:nowrap;text-overflow:ellipsis}"
    ".axio-nb-sim thead th{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left;max-height:12em}"
    ".axio-nb-sim td{width:2.6em;height:1.6em;text-align:center;color:#111;padding:0}"
    ".axio-nb-sim-summary{font-size:12px}"
)


def cosine_matrix(vectors: Sequence[Sequence[float]]) -> list[list[float]]:
    """Cosine similarity of every pair (0 where a vector is all zeros)."""
    norms = [math.sqrt(sum(x * x for x in v)) for v in vectors]
    out = []
    for i, a in enumerate(vectors):
        row = []
        for j, b in enumerate(vectors):
            denom = norms[i] * norms[j]
            row.append(sum(x * y for x, y in zip(a, b, strict=True)) / denom if denom else 0.0)
        out.append(row)
    return out


def _label(text: str) -> str:
    one = " ".join(text.split())
    return one if len(one) <= _LABEL else one[: _LABEL - 1] + "…"


def _colour(sim: float) -> str:
    """-1 … 1 → a light-to-strong blue (negatives in orange), readable with dark text in both themes."""
    s = max(-1.0, min(1.0, sim))
    hue, strength = (215, s) if s >= 0 else (25, -s)
    return f"hsl({hue},70%,{round(96 - 46 * strength)}%)"


def similarity_html(texts: Sequence[str], matrix: Sequence[Sequence[float]], transport: str, dims: int) -> str:
    what = f"{len(texts)} texts, {dims} dimensions, {html.escape(transport)}: cosine similarity"
    head = f"<p class='axio-nb-sim-summary'>{what}</p>"
    if len(texts) > MAX_MATRIX:
        pairs = "".join(
            f"<li>{sim:.3f} — “{html.escape(_label(texts[i]))}” / “{html.escape(_label(texts[j]))}”</li>"
            for sim, i, j in top_pairs(matrix)
        )
        note = (
            f"More than {MAX_MATRIX} texts: the most similar pairs instead of the matrix (the matrix is in `--out`)."
        )
        return f"<style>{_CSS}</style>{head}<p class='axio-nb-sim-summary'>{note}</p><ol>{pairs}</ol>"
    cols = "".join(f"<th title='{html.escape(t, quote=True)}'>{html.escape(_label(t))}</th>" for t in texts)
    rows = []
    for i, text in enumerate(texts):
        cells = "".join(f"<td style='background:{_colour(sim)}' title='{sim:.4f}'>{sim:.2f}</td>" for sim in matrix[i])
        rows.append(f"<tr><th title='{html.escape(text, quote=True)}'>{html.escape(_label(text))}</th>{cells}</tr>")
    table = f"<table class='axio-nb-sim'><thead><tr><th></th>{cols}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return f"<style>{_CSS}</style>{head}{table}"


def top_pairs(matrix: Sequence[Sequence[float]], n: int = TOP_PAIRS) -> list[tuple[float, int, int]]:
    """The `n` most similar pairs of distinct texts, most similar first."""
    pairs = [(matrix[i][j], i, j) for i in range(len(matrix)) for j in range(i + 1, len(matrix))]
    return sorted(pairs, key=lambda p: (-p[0], p[1], p[2]))[:n]


def similarity_text(texts: Sequence[str], matrix: Sequence[Sequence[float]], transport: str, dims: int) -> str:
    lines = [f"{len(texts)} texts, {dims} dimensions, {transport}: most similar pairs"]
    lines += [f"  {sim:.3f}  {_label(texts[i])!r} / {_label(texts[j])!r}" for sim, i, j in top_pairs(matrix)]
    return "\n".join(lines)
