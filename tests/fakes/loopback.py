"""Serve an aiohttp app on 127.0.0.1 (a free port) from a daemon thread, and what the realtime fakes share.

A kernel in another process reaches the app through the environment (docs/testing.md, "Pointing the real
axio transports at loopback fakes"). The realtime fakes (openai_realtime.py, gemini_live.py) hear speech
the way a server VAD does, by energy: `loud` tells a chunk of PCM16 with speech in it from silence.
"""

from __future__ import annotations

import array
import asyncio
import contextlib
import math
import threading
from collections.abc import Callable, Iterator
from typing import Any

from aiohttp import web

#: RMS (of PCM16 samples) at or above which a chunk counts as speech: −40 dBFS, as the demo's VAD.
LOUD_RMS = 32768 * 10 ** (-40 / 20)


def rms(pcm: bytes) -> float:
    samples = array.array("h", pcm[: len(pcm) - len(pcm) % 2])
    return math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0


def loud(pcm: bytes) -> bool:
    return rms(pcm) >= LOUD_RMS


def tone(samples: int, start: int, rate: int, pitch: float = 330.0, amplitude: int = 8000) -> bytes:
    """PCM16 LE mono: `samples` samples of a sine from sample `start` on (consecutive calls join seamlessly)."""
    out = array.array(
        "h", (round(amplitude * math.sin(2 * math.pi * pitch * (start + i) / rate)) for i in range(samples))
    )
    return out.tobytes()


@contextlib.contextmanager
def serve(make_app: Callable[[], web.Application], name: str) -> Iterator[int]:
    """Run `make_app()` on 127.0.0.1 in a daemon thread with its own event loop; yields the port."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    state: dict[str, Any] = {}

    async def start() -> None:
        runner = web.AppRunner(make_app(), handle_signals=False, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        state["port"] = runner.addresses[0][1]
        state["runner"] = runner

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(start())
        except BaseException as exc:  # surfaced in the caller's thread
            state["error"] = exc
            ready.set()
            return
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    if not ready.wait(10) or "error" in state:
        raise RuntimeError(f"{name} did not start: {state.get('error')!r}")
    try:
        yield int(state["port"])
    finally:
        # Open websockets would hold cleanup until they close: shutdown closes them with "going away".
        asyncio.run_coroutine_threadsafe(state["runner"].cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
