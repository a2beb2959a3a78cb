"""The footer under an answer, in words: one definition for the snapshot and the text output.

The live view's `widgets/src/lib/footer.js` says the same thing in the same words; both test suites
read `tests/fixtures/footer.json`, so neither can drift. Numbers are rounded half up on their exact
value (as JavaScript's `toFixed` does), never by Python's round-half-even, so the two agree on ties.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

#: (key, text) pairs: the key names the fact (a CSS class `axio-nb-footer-KEY` in both renderers).
type FooterItem = tuple[str, str]


def footer_items(meta: Any, *, timings: bool = True) -> list[FooterItem]:
    """The facts of a turn's meta, in order; missing ones are left out. `timings=False` for output nbval compares."""
    items: list[FooterItem] = []
    model = meta.get("model")
    if isinstance(model, str) and model:
        items.append(("model", model))
    iterations = meta.get("iterations")
    if _is_num(iterations) and iterations > 1:
        items.append(("iterations", f"{iterations} iterations"))
    usage = meta.get("usage")
    if isinstance(usage, dict) and (_is_num(usage.get("input")) or _is_num(usage.get("output"))):
        text = f"{format_count(usage.get('input') or 0)} in / {format_count(usage.get('output') or 0)} out tokens"
        extra = [
            f"+{format_count(usage[k])} {k}" for k in ("cached", "reasoning") if _is_num(usage.get(k)) and usage[k]
        ]
        items.append(("tokens", text + (f" ({', '.join(extra)})" if extra else "")))
    cost = meta.get("cost")
    if _is_num(cost):
        items.append(("cost", format_cost(cost)))
    if timings and _is_num(meta.get("elapsed_ms")):
        items.append(("elapsed", format_duration(meta["elapsed_ms"])))
    if timings and _is_num(meta.get("ttft_ms")):
        items.append(("ttft", f"first token {format_duration(meta['ttft_ms'])}"))
    reason = meta.get("stop_reason")
    if isinstance(reason, str) and reason:
        items.append(("stop", f"stop: {reason}"))
    return items


def format_count(n: float) -> str:
    """1234567 → "1,234,567" (fixed separators, not the reader's locale)."""
    return f"{int(_half_up(n, 0)):,}"


def format_duration(ms: float) -> str:
    """412 → "412 ms", 3456 → "3.5 s", 61000 → "1 min 1 s"."""
    if ms < 1000:
        return f"{_half_up(ms, 0)} ms"
    if ms < 60_000:
        return f"{_half_up(ms / 1000, 1)} s"
    seconds = int(_half_up(ms / 1000, 0))
    return f"{seconds // 60} min {seconds % 60} s"


def format_cost(usd: float) -> str:
    """USD: "$0", "<$0.0001", "$0.0123" under a dollar, "$2.50" above."""
    if usd == 0:
        return "$0"
    if usd < 0.0001:
        return "<$0.0001"
    return f"${_half_up(usd, 4 if usd < 1 else 2)}"


def _half_up(value: float, places: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _is_num(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
