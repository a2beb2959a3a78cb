"""One turn, end to end: queue on the session, stream through the presenter, repair, snapshot, result."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from ..stream.blocks import BROKEN
from ..stream.notes import FoldEvent
from ..stream.transcript import Transcript
from .loop import Stopper, run_stoppable
from .present import Mode, Presenter
from .result import ChatResult
from .sessions import Session


async def run_turn(
    make_stream: Callable[[], AsyncIterator[FoldEvent]],
    transcript: Transcript,
    *,
    mode: Mode,
    session: Session | None = None,
    result: ChatResult | None = None,
    fresh: bool = False,
) -> ChatResult:
    """Show the view at once (it says "waiting" while an earlier turn of the session runs), then stream.

    Whatever ends the turn (the answer, an error, Stop, Ctrl-C), the partial output stays, the
    session's history is left valid for the next turn, and the cell keeps the static snapshot.
    """
    result = result or ChatResult(transcript, session.name if session else None)
    stopper = Stopper()
    presenter = Presenter(transcript, mode=mode, on_stop=stopper)
    try:
        if session is None:
            await run_stoppable(make_stream(), transcript, presenter, stopper)
        else:
            async with session.lock:
                if fresh:
                    # Under the lock: a `--new` turn queued behind a background one clears after it.
                    await session.context.clear()
                    session.turns = 0
                try:
                    await run_stoppable(make_stream(), transcript, presenter, stopper)
                finally:
                    session.turns += 1
                    if transcript.status in BROKEN:
                        await session.repair(transcript.text)
    finally:
        presenter.finish()
        result.done.set()
    return result
