"""The wire: coalesces transcript ops into at most 30 numbered messages a second, and replays state.

The contract it carries is `widgets/PROTOCOL.md`. Nothing here imports Jupyter: `send` is any callable
taking ``(message, buffers)``, which lets the benchmarks and unit tests drive it without a kernel.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Sequence
from typing import Any

from .blocks import MEDIA_KINDS, AppendOp, ChunkOp, Meta, MetaOp, Op, OpenOp
from .pace import SpeechPace
from .transcript import Transcript

type Send = Callable[[dict[str, Any], list[bytes]], None]

#: 25 Hz: far below the 1000 msgs/s iopub limit, under the 30 Hz budget with room for the cell's own
#: few messages, and a frame at 4 000 chars/s carries ~160 chars, where the ~650 B of headers per
#: message stop dominating (docs/design.md, "Kernel → browser volume"). Smooth to the eye: the view
#: renders once per animation frame.
DEFAULT_INTERVAL = 1 / 25


class Wire:
    """Sends a transcript's ops to the views of one widget.

    The first op after a quiet spell goes at once (the user sees the first token without delay);
    later ones wait until `interval` has passed since the last send and go together. Chunks of speech
    the page is already playing may wait longer, while it has enough left to play (`pace.py`). Every
    message is numbered so a view can tell that it missed one and ask for the whole state instead.
    """

    def __init__(
        self,
        transcript: Transcript,
        send: Send,
        *,
        interval: float = DEFAULT_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.transcript = transcript
        self.seq = 0
        self.messages = 0
        self._send = send
        self._interval = interval
        self._clock = clock
        self._pending: list[Op] = []
        self._last_sent = -math.inf
        self._timer: asyncio.TimerHandle | None = None
        self._timer_due = math.inf
        self._pace = SpeechPace()
        #: A view has said hello (or resync). Until then media bytes are held back: a view that renders
        #: later asks for the state anyway, and messages sent before its model exists in the page are
        #: lost to it, so bytes sent early went twice (bench/media.py, BENCHMARKS.md).
        self._heard = False
        #: Media were held back: the first view to say hello gets the state, whatever seq it names.
        self._held = False

    def push(self, ops: Sequence[Op]) -> None:
        """Queue ops; send now if the last message is old enough, else once the interval is up (or, for
        chunks of speech the page is playing, once it is about to run short)."""
        if not ops:
            return
        self._pending.extend(ops)
        self._pace.saw(ops)
        now = self._clock()
        due = max(self._last_sent + self._interval, self._pace.hold_until(self._pending))
        if due <= now:
            self.flush()
            return
        if self._timer is not None:
            if self._timer_due <= due:
                return
            self._timer.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush()
            return
        self._timer_due = due
        self._timer = loop.call_later(due - now, self.flush)

    def flush(self) -> None:
        """Send whatever is queued, now."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
            self._timer_due = math.inf
        if not self._pending:
            return
        batch = coalesce(self._pending)
        self._pending = []
        if not self._heard:
            batch, held = hold_media(batch)
            self._held = self._held or held
            if not batch:
                return
        ops, buffers = encode(batch, self.transcript.media, self.transcript.posters)
        self.seq += 1
        self._last_sent = self._clock()
        self._pace.sent(batch, self._last_sent)
        self._deliver({"type": "ops", "seq": self.seq, "ops": ops}, buffers)

    def close(self) -> None:
        """The stream ended: nothing may stay queued."""
        self.flush()

    def state_message(self) -> tuple[dict[str, Any], list[bytes]]:
        """Everything the transcript holds, as of the last message sent."""
        self.flush()
        blocks, meta = self.transcript.state()
        buffers: list[bytes] = []
        for block in blocks:
            data = self.transcript.media.get(block["id"])
            if data is not None:
                block["buffer"] = len(buffers)
                buffers.append(bytes(data))
            poster = self.transcript.posters.get(block["id"])
            if poster is not None:
                block["poster_buffer"] = len(buffers)
                buffers.append(poster)
        return {"type": "state", "seq": self.seq, "blocks": blocks, "meta": meta}, buffers

    def receive(self, message: dict[str, Any]) -> None:
        """A view's `hello` or `resync`: replay the state if it is behind (or saw a gap).

        A view that has applied nothing (`seq` 0) always gets the state: the transcript's first meta
        (status, start time) and, for a view opened on a finished or replayed transcript whose wire
        has sent nothing yet (`ChatResult.view()`), everything, are in no `ops` message.
        """
        kind = message.get("type")
        if kind not in ("hello", "resync"):
            return
        seen = message.get("seq")
        # What is queued goes first, as it would have without this hello: for a first hello, without its
        # media bytes (the state below carries them; flushed after `_heard` they would go twice).
        self.flush()
        first, self._heard = not self._heard, True
        if (
            (first and self._held)
            or kind == "resync"
            or not isinstance(seen, int)
            or seen <= 0
            or seen < self.seq
            or self._pending
        ):
            message, buffers = self.state_message()
            self._pace.state_sent(message["blocks"], self._clock())
            self._deliver(message, buffers)

    def _deliver(self, message: dict[str, Any], buffers: list[bytes]) -> None:
        self.messages += 1
        self._send(message, buffers)


def coalesce(ops: Sequence[Op]) -> list[Op]:
    """Merge runs of appends to the same place, and runs of meta updates, into one op each.

    A run's texts are joined once at its end: adding them up one by one copied the text so far on
    every op, quadratic in a batch that can hold a whole answer (a fast stream, the final flush).
    """
    out: list[Op] = []
    run: AppendOp | None = None  # the append run that ends `out`, when there is one
    texts: list[str] = []
    for op in ops:
        if op["op"] == "append" and run is not None and op["id"] == run["id"] and op["path"] == run["path"]:
            texts.append(op["text"])
            continue
        _close_run(out, run, texts)
        run = None
        prev = out[-1] if out else None
        if (
            op["op"] == "chunk"
            and prev is not None
            and prev["op"] == "chunk"
            and prev["id"] == op["id"]
            and prev["start"] + prev["size"] == op["start"]
        ):
            out[-1] = ChunkOp(op="chunk", id=op["id"], start=prev["start"], size=prev["size"] + op["size"])
            continue
        if op["op"] == "meta" and prev is not None and prev["op"] == "meta":
            merged = Meta(**prev["value"])
            merged.update(op["value"])
            out[-1] = MetaOp(op="meta", value=merged)
            continue
        out.append(op)
        if op["op"] == "append":
            run, texts = op, [op["text"]]
    _close_run(out, run, texts)
    return out


def _close_run(out: list[Op], run: AppendOp | None, texts: list[str]) -> None:
    if run is not None and len(texts) > 1:
        out[-1] = AppendOp(op="append", id=run["id"], path=run["path"], text="".join(texts))


def hold_media(ops: list[Op]) -> tuple[list[Op], bool]:
    """The ops without media bytes, for a wire no view has spoken to yet; and whether any were held.

    A media block opens marked `deferred` (the view shows it as coming) and streamed audio's chunk ops are
    left out: the state the first view asks for carries them all.
    """
    out: list[Op] = []
    held = False
    for op in ops:
        if op["op"] == "chunk":
            held = True
            continue
        if op["op"] == "open" and op["block"]["kind"] in MEDIA_KINDS:
            held = True
            op = OpenOp(op="open", block={**op["block"], "deferred": True})
        out.append(op)
    return out, held


def encode(
    ops: list[Op], media: dict[int, bytes | bytearray], posters: dict[int, bytes] | None = None
) -> tuple[list[Op], list[bytes]]:
    """Attach media bytes as binary buffers (never base64 in JSON): whole to the op that opens a block (and
    a video's poster beside them), by range to each chunk op of streaming audio (whose `open` carries none:
    its chunks follow)."""
    buffers: list[bytes] = []
    out: list[Any] = []
    for op in ops:
        if (
            op["op"] == "open"
            and op["block"]["id"] in media
            and not op["block"].get("streaming")
            and not op["block"].get("deferred")
        ):
            block: dict[str, Any] = {**op["block"], "buffer": len(buffers)}
            buffers.append(bytes(media[op["block"]["id"]]))
            poster = (posters or {}).get(op["block"]["id"])
            if poster is not None:
                block["poster_buffer"] = len(buffers)
                buffers.append(poster)
            op = OpenOp(op="open", block=block)
        elif op["op"] == "chunk":
            buffers.append(bytes(media[op["id"]][op["start"] : op["start"] + op["size"]]))
            out.append({**op, "buffer": len(buffers) - 1})
            continue
        out.append(op)
    return out, buffers
