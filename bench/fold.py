"""Fold benchmark: CPU per delta of `Transcript.apply` alone, for a 40 KB and a 1 MB answer.

The fold must cost the same per delta however long the answer grows (it keeps appended text as parts
and joins them on read). Pure Python, no kernel: `.venv/bin/python bench/fold.py`.
"""

from __future__ import annotations

import time

from axio import TextDelta

from axio_nb.demo.text import long_markdown
from axio_nb.stream.transcript import Transcript


def per_delta_us(chars: int, repeat: int = 3) -> tuple[int, float]:
    text = long_markdown(chars)
    deltas = [TextDelta(0, text[i : i + 4]) for i in range(0, len(text), 4)]
    best = float("inf")
    for _ in range(repeat):
        transcript = Transcript()
        start = time.process_time()
        for delta in deltas:
            transcript.apply(delta)
        assert transcript.text == text
        best = min(best, time.process_time() - start)
    return len(deltas), best / len(deltas) * 1e6


def main() -> None:
    rows = {chars: per_delta_us(chars) for chars in (40_000, 1_000_000)}
    for chars, (n, us) in rows.items():
        print(f"| {chars:,} chars | {n} | {us:.2f} |")
    print(f"1 MB / 40 KB per delta: {rows[1_000_000][1] / rows[40_000][1]:.2f}× (target ≤ 1.2)")


if __name__ == "__main__":
    main()
