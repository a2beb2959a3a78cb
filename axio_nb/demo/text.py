"""Deterministic, varied markdown for the demo transport (varied, so axio's repetition detector stays quiet)."""

from __future__ import annotations

import random

_WORDS = (
    "agent transport stream event token delta kernel widget notebook cell render buffer frame latency "
    "context history session model tool result reasoning answer prompt budget policy schema field value "
    "browser socket message queue sequence snapshot markdown fence heading table column row index cache "
    "signal clock thread loop task future await yield iterate parse encode decode verify sample measure "
    "quickly slowly carefully roughly exactly often rarely gently firmly clearly simply openly lightly "
    "the a an of to in on for with from by over under between across through about after before"
).split()

_LANGS = ("python", "javascript", "bash", "json", "sql", "rust")


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n))


def sentence(rng: random.Random) -> str:
    text = words(rng, rng.randint(6, 16))
    return text[0].upper() + text[1:] + rng.choice("...!?")


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def code_block(rng: random.Random, lines: int) -> str:
    lang = rng.choice(_LANGS)
    body = []
    for i in range(lines):
        name = rng.choice(_WORDS)
        match lang:
            case "python":
                body.append(f"{'    ' * (i % 3)}{name}_{i} = compute({rng.randint(0, 999)}, '{rng.choice(_WORDS)}')")
            case "javascript":
                body.append(f"const {name}{i} = await load({rng.randint(0, 999)}); // {rng.choice(_WORDS)}")
            case "bash":
                body.append(f"echo {name} | grep -c {rng.choice(_WORDS)} >> out_{i}.log")
            case "json":
                body.append(f'  "{name}_{i}": {rng.randint(0, 9999)},')
            case "sql":
                body.append(f"SELECT {name}, count(*) FROM t{i} WHERE v > {rng.randint(0, 99)} GROUP BY {name};")
            case _:
                body.append(f"let {name}_{i}: u32 = {rng.randint(0, 999)}; // {rng.choice(_WORDS)}")
    return f"```{lang}\n" + "\n".join(body) + "\n```"


def table(rng: random.Random) -> str:
    cols = rng.sample(_WORDS, 3)
    rows = [f"| {' | '.join(cols)} |", "|---|---|---|"]
    for _ in range(rng.randint(3, 6)):
        rows.append(f"| {rng.choice(_WORDS)} | {rng.randint(0, 999)} | {rng.choice(_WORDS)} |")
    return "\n".join(rows)


def long_markdown(chars: int, seed: int = 7, big_code: int = 0) -> str:
    """About `chars` characters of markdown: headings, lists, tables, code; one `big_code`-char fence if asked."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    section = 0
    big_at = chars // 2 if big_code else -1
    while size < chars:
        section += 1
        choice = rng.random()
        if big_at >= 0 and size >= big_at:
            lines: list[str] = []
            length = 0
            while length < big_code:
                lines.append(f"    value_{len(lines)} = transform({rng.randint(0, 9999)}, '{rng.choice(_WORDS)}')")
                length += len(lines[-1]) + 1
            parts.append("```python\ndef big():\n" + "\n".join(lines) + "\n```")
            big_at = -1
        elif section % 7 == 1:
            parts.append(f"## {sentence(rng)[:-1]}")
        elif choice < 0.45:
            parts.append(paragraph(rng))
        elif choice < 0.65:
            parts.append("\n".join(f"- {words(rng, rng.randint(3, 9))}" for _ in range(rng.randint(2, 6))))
        elif choice < 0.8:
            parts.append(code_block(rng, rng.randint(3, 14)))
        else:
            parts.append(table(rng))
        size += len(parts[-1]) + 2
    return "\n\n".join(parts) + "\n"
