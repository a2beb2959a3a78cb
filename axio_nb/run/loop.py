"""Runs streams on the kernel's own loop: awaited by the cell, or in the background; cancellable.

No patched, re-entrant event loop and no worker thread (docs/facts.md#no-re-entrant-event-loop): the magic
returns a coroutine that the cell awaits as top-level await, so ipykernel keeps handling widget messages
while the stream runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from ..stream.notes import FoldEvent
from ..stream.transcript import Transcript
from .present import Presenter

log = logging.getLogger(__name__)

#: A ~100 ms wake-up keeps Ctrl-C prompt while the stream waits in silence for its first byte:
#: SIGINT lands only when the selector wakes (9 s without, 0.14 s with: docs/facts.md#interrupt-latency).
TICK = 0.1

#: Background turns still running, so unload can cancel them and none outlives the extension.
BACKGROUND: set[asyncio.Task[Any]] = set()


async def _tick() -> None:
    while True:
        await asyncio.sleep(TICK)


async def consume(stream: AsyncIterator[FoldEvent], transcript: Transcript, presenter: Presenter) -> None:
    """Fold every event into the transcript and show it; a cancel or interrupt keeps what came."""
    ticker = asyncio.ensure_future(_tick())
    try:
        async for event in stream:
            presenter.push(transcript.apply(event))
        presenter.push(transcript.finish())
    except (asyncio.CancelledError, KeyboardInterrupt):
        presenter.push(transcript.interrupt())
        raise
    except Exception as exc:
        # A raw transport stream raises instead of sending Error: shown, never lost, not re-raised,
        # so Run All goes on and the error is where the answer would have been.
        log.debug("stream failed", exc_info=True)
        presenter.push(transcript.fail(exc))
    finally:
        ticker.cancel()
        close = getattr(stream, "aclose", None)
        if close is not None:
            with contextlib.suppress(Exception):
                await close()


class Stopper:
    """The Stop button's callback: cancels the stream's task, and remembers that it did."""

    def __init__(self) -> None:
        self.task: asyncio.Task[None] | None = None
        self.stopped = False

    def __call__(self) -> None:
        self.stopped = True
        if self.task is not None and not self.task.done():
            self.task.cancel()


async def run_stoppable(
    stream: AsyncIterator[FoldEvent], transcript: Transcript, presenter: Presenter, stopper: Stopper
) -> None:
    """Consume in a child task so the Stop button ends the stream without failing the cell.

    A cancel from outside (Ctrl-C, the cell's own task cancelled) still propagates: the caller's
    `cancelling()` count tells the two apart.
    """
    task = stopper.task = asyncio.ensure_future(consume(stream, transcript, presenter))
    try:
        await task
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if stopper.stopped and current is not None and current.cancelling() == 0:
            return
        await _cancel(task)
        raise
    except KeyboardInterrupt:
        await _cancel(task)
        raise


async def _cancel(task: asyncio.Task[None]) -> None:
    if not task.done():
        task.cancel()
        with contextlib.suppress(BaseException):
            await task


def in_background[T](coro: Any) -> asyncio.Task[T]:
    """Start a turn on the kernel loop and return at once; its output still lands in its own cell."""
    task: asyncio.Task[T] = asyncio.ensure_future(coro)
    BACKGROUND.add(task)
    task.add_done_callback(_background_done)
    return task


def _background_done(task: asyncio.Task[Any]) -> None:
    BACKGROUND.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.error("axio_nb background turn failed", exc_info=task.exception())


def cancel_background() -> None:
    for task in list(BACKGROUND):
        task.cancel()
