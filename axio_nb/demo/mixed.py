"""A seeded markdown document of every block shape an answer holds, for `long N seed S` and the benchmarks."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable
from itertools import accumulate

from .text import code_block, paragraph, sentence, table, words


def _inline_math(rng: random.Random) -> str:
    v = rng.choice("xyzab")
    n = rng.randint(1, 9)
    return rng.choice([f"$x_{n}^2$", f"${v} = \\frac{{1}}{{{n + 1}}}$", f"$\\sum_i {v}_i$"])


def _math_paragraph(rng: random.Random) -> str:
    return f"{sentence(rng)[:-1]} {_inline_math(rng)}, so {words(rng, 5)} {_inline_math(rng)}. {sentence(rng)}"


def _display_math(rng: random.Random) -> str:
    n = rng.randint(2, 9)
    if rng.random() < 0.5:
        return f"$$\\int_0^{n} x^{n}\\,dx = \\frac{{{n}^{{{n + 1}}}}}{{{n + 1}}}$$"
    return f"$$\n\\begin{{aligned}}\na_{n} &= b_{n} + c \\\\\nd &= \\sqrt{{{n}}}\n\\end{{aligned}}\n$$"


def _loose_list(rng: random.Random) -> str:
    ordered = rng.random() < 0.4
    items = []
    for i in range(rng.randint(3, 7)):
        marker = f"{i + 1}." if ordered else "-"
        pad = " " * (len(marker) + 1)
        item = f"{marker} {sentence(rng)}"
        if rng.random() < 0.4:
            item += f"\n\n{pad}{paragraph(rng)}"
        items.append(item)
    return "\n\n".join(items)


def _nested_list(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(3, 6)):
        lines.append(f"- {words(rng, rng.randint(3, 9))}")
        for _ in range(rng.randint(0, 3)):
            lines.append(f"  - {words(rng, rng.randint(3, 8))}")
            if rng.random() < 0.3:
                lines.append(f"    1. {words(rng, rng.randint(2, 6))} {_inline_math(rng)}")
    return "\n".join(lines)


def _quote(rng: random.Random) -> str:
    lines = [f"> {sentence(rng)}" for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.4:
        lines += [">", f"> > {sentence(rng)}"]
    if rng.random() < 0.3:
        lines += [">", f"> - {words(rng, 5)}", f"> - {words(rng, 6)}"]
    return "\n".join(lines)


def _long_code(rng: random.Random, lines: int) -> str:
    body = [f"def generated_{rng.randint(0, 999)}(data):"]
    for i in range(lines - 1):
        name = rng.choice(("value", "total", "item", "row", "acc"))
        match i % 5:
            case 0:
                body.append(f"    {name}_{i} = transform(data[{i}], '{words(rng, 2)}')  # {words(rng, 3)}")
            case 1:
                body.append(f'    """{words(rng, 4)}"""' if rng.random() < 0.2 else f"    if {name}_{i - 1} > {i}:")
            case 2:
                body.append(f"        acc += {rng.randint(0, 9999)} * {rng.random():.3f}")
            case 3:
                body.append(f"    results.append(({name}_{i - 3}, {rng.randint(0, 99)}))")
            case _:
                body.append("")
    return "```python\n" + "\n".join(body) + "\n```"


def _small_code(rng: random.Random) -> str:
    return code_block(rng, rng.randint(3, 18))


_SHAPES: tuple[Callable[[random.Random], str], ...] = (
    paragraph,
    _math_paragraph,
    _display_math,
    _loose_list,
    _nested_list,
    table,
    _quote,
    _small_code,
)
#: Cumulative: 25 % paragraphs, 8 % with inline math, 5 % display math, 12 % loose lists, 12 % nested, 10 % tables …
_WEIGHTS = tuple(accumulate((0.25, 0.08, 0.05, 0.12, 0.12, 0.1, 0.1)))


def mixed_markdown(chars: int, seed: int, code_lines: int = 0) -> str:
    """About `chars` characters: headings, paragraphs with inline math, loose and nested lists, tables,
    quotes, `$$…$$` math, small code blocks, and one long fence (`code_lines`, or 300–900 lines) at a
    random position. The same seed gives the same text."""
    rng = random.Random(seed)
    long_at = rng.uniform(0.1, 0.85) * chars
    long_lines = code_lines or rng.randint(300, 900)
    parts: list[str] = [f"# {sentence(rng)[:-1]}"]
    size = len(parts[0])
    while size < chars:
        if long_at >= 0 and size >= long_at:
            parts.append(f"The long listing, {words(rng, 4)}:")
            parts.append(_long_code(rng, long_lines))
            long_at = -1
        elif rng.random() < 0.1:
            parts.append(f"{'#' * rng.randint(2, 4)} {sentence(rng)[:-1]}")
        else:
            parts.append(_SHAPES[bisect(_WEIGHTS, rng.random())](rng))
        size += len(parts[-1]) + 2
    return "\n\n".join(parts) + "\n"
