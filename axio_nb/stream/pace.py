"""Speech pacing on the wire: how long chunks of streamed audio may wait in the kernel to travel together.

Every message costs ~730 B besides its payload (Jupyter's envelope, the ops JSON), and speech comes in
small chunks: a TTS stream of 100 ms chunks sent one message each cost 1.15 bytes on the wire per byte of
speech (BENCHMARKS.md, "Wire bytes per media byte"). The page plays PCM as it comes, so what it has not yet
played is a buffer: once a block's first bytes are out (they go at once), later chunks may wait and go
together as long as the page still holds `MARGIN` of unplayed speech when they leave. The buffer is
estimated from the kernel's side only: playback is taken to start when the first bytes were sent (it
starts later in the page, so the page holds more than the estimate says), and a page that ran dry is
taken to resume when the next bytes leave.

Compressed speech (MP3, Opus, …) is not played until the stream ends (widgets/src/lib/speech.js), so its
chunks wait up to `COMPRESSED_HOLD` to go together.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Final

from ..media.audio import is_pcm, pcm_format
from .blocks import Block, BlockKind, Op

#: Unplayed speech the page must still hold when the next chunks leave: room for the message to reach
#: the page and the player on a busy machine (a warm page pushed a chunk to its player 11–42 ms after
#: the kernel sent it, BENCHMARKS.md).
MARGIN: Final = 0.25
#: At most this much speech waits for one message.
MAX_HELD_SECONDS: Final = 1.0
#: Compressed speech: chunks wait at most this long after the block's last message.
COMPRESSED_HOLD: Final = 0.5


def _bytes_per_second(media_type: str) -> float:
    """PCM16's byte rate; 0 for a compressed format, whose chunks the page does not play as they come."""
    if not is_pcm(media_type):
        return 0.0
    rate, channels = pcm_format(media_type)
    return float(rate * channels * 2)


def pcm_seconds(nbytes: int, media_type: str) -> float:
    """How long `nbytes` of `media_type` play: PCM16's duration; 0 for a compressed format."""
    rate = _bytes_per_second(media_type)
    return nbytes / rate if rate else 0.0


class Playhead:
    """Where the page is in one stream of voice it plays as it comes, by the kernel's estimate, and so how long
    the voice held in the kernel may wait: while the page still holds `MARGIN` of unplayed voice when it leaves.

    Playback is taken to start when the first bytes were sent (it starts later in the page, so the page holds
    more than the estimate says), and a page that ran dry is taken to resume when the next bytes leave. A
    provider that sends in real time never puts the page that far ahead, so its voice goes as it comes; one
    that sends faster than real time gets its pieces batched instead of one message each. SpeechPace keeps one
    per streaming speech block; the realtime controls one per answer (axio_nb/views/voice.py).
    """

    __slots__ = ("_sent", "_start")

    def __init__(self) -> None:
        self._start: float | None = None  # when the page started this voice, by the estimate
        self._sent = 0.0  # seconds of it sent

    @property
    def started(self) -> bool:
        """Whether the page has the voice's first bytes."""
        return self._start is not None

    def hold_until(self, held: float) -> float:
        """The latest time `held` seconds of voice may wait to; -inf: it goes now (the voice's first bytes, or
        more than `MAX_HELD_SECONDS` waiting)."""
        if self._start is None or held >= MAX_HELD_SECONDS:
            return -math.inf
        return self._start + self._sent - MARGIN

    def due(self, held: float, now: float) -> float:
        """When voice held now (`held` seconds of it) leaves: `now`, or later while the page is far enough ahead."""
        return max(now, self.hold_until(held))

    def sent(self, seconds: float, now: float) -> None:
        """`seconds` of voice left at `now`."""
        if self._start is None:
            self._start = now
        elif self._start + self._sent < now:  # the page ran dry: it plays on from when these arrive
            self._start = now - self._sent
        self._sent += seconds

    def reset(self) -> None:
        """The voice ended (or was cut): the next is a new one, and its first bytes go at once."""
        self._start = None
        self._sent = 0.0


class SpeechPace:
    """What the page has been sent of each streaming audio block, and when its unsent chunks must go."""

    __slots__ = ("_heads", "_last", "_rate", "_sent")

    def __init__(self) -> None:
        self._rate: dict[int, float] = {}  # streaming audio block → bytes per second (0: compressed)
        self._heads: dict[int, Playhead] = {}  # where the page is in each, once its first bytes went
        self._sent: dict[int, int] = {}  # bytes of it sent so far
        self._last: dict[int, float] = {}  # when its bytes last went

    def saw(self, ops: Iterable[Op]) -> None:
        """Note the streaming audio blocks these ops open."""
        for op in ops:
            if op["op"] == "open" and op["block"]["kind"] == BlockKind.audio and op["block"].get("streaming"):
                self._rate[op["block"]["id"]] = _bytes_per_second(str(op["block"]["media_type"]))

    def sent(self, ops: Iterable[Op], now: float) -> None:
        """These ops left at `now`: their chunks are in the page."""
        for op in ops:
            if op["op"] == "chunk" and op["id"] in self._rate:
                self._went(op["id"], self._sent.get(op["id"], 0) + op["size"], now)

    def state_sent(self, blocks: Sequence[Block], now: float) -> None:
        """A state left at `now`, carrying every byte of its blocks so far."""
        for block in blocks:
            if block["kind"] == BlockKind.audio and block.get("streaming"):
                self._rate.setdefault(block["id"], _bytes_per_second(str(block["media_type"])))
                self._went(block["id"], max(int(block.get("size", 0)), self._sent.get(block["id"], 0)), now)

    def _went(self, block_id: int, total: int, now: float) -> None:
        rate = self._rate[block_id]
        # Compressed speech is not played as it comes: its playhead only records that its first bytes went.
        seconds = (total - self._sent.get(block_id, 0)) / rate if rate else 0.0
        self._heads.setdefault(block_id, Playhead()).sent(seconds, now)
        self._sent[block_id] = total
        self._last[block_id] = now

    def hold_until(self, pending: Sequence[Op]) -> float:
        """The latest time the pending ops may wait to: -inf unless they are all chunks of speech whose first
        bytes the page already has (the first chunk, and any other op, go on the wire's usual schedule)."""
        held: dict[int, int] = {}
        for op in pending:
            if op["op"] != "chunk" or op["id"] not in self._heads:
                return -math.inf
            held[op["id"]] = held.get(op["id"], 0) + op["size"]
        if not held:
            return -math.inf
        until = math.inf
        for block_id, size in held.items():
            rate = self._rate[block_id]
            if rate:
                until = min(until, self._heads[block_id].hold_until(size / rate))
            else:
                until = min(until, self._last[block_id] + COMPRESSED_HOLD)
        return until
