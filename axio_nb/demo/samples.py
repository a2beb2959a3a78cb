"""Seeds, counts and pauses shared by the demo media, so one request always gives the same bytes."""

from __future__ import annotations

import asyncio
import hashlib


def seed(*parts: object) -> int:
    """A 64-bit seed from the request's inputs; blake2b, not `hash()`, which Python salts per process."""
    text = "\x1f".join(str(part) for part in parts)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def check_count(n: object, most: int) -> int:
    """`n` as the number of samples to make, or a ValueError that says what was wrong."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= most:
        msg = f"n must be a whole number from 1 to {most}; got {n!r}"
        raise ValueError(msg)
    return n


def draw(draws: dict[str, int], kind: str, prompt: str, count: int) -> int:
    """The index of the first of `count` samples of `kind` for `prompt`: 0 on the first call, then on.

    A real model gives a different picture each time it is asked; so does the demo, deterministically:
    `%%axio image -n 4` makes four one-sample calls, and they must not be four copies. A fresh
    transport starts again at 0.
    """
    key = f"{kind}\x00{prompt}"
    start = draws.get(key, 0)
    draws[key] = start + count
    return start


async def pause(seconds: float) -> None:
    """The simulated provider latency; zero (the default) does not even yield to the loop."""
    if seconds > 0:
        await asyncio.sleep(seconds)
