"""What a realtime voice session gives the notebook: `VoiceSession` (`call`), its stats, its turns, its mic queue.

`%axio realtime --out call` and `axio_nb.realtime(...)` both return a VoiceSession; the runner that drives it
is axio_nb/run/realtime.py. Everything here is read and called on the kernel's loop.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol, overload

from ..errors import AxioNbError
from ..stream.transcript import Transcript
from ..stream.turns import Turn, Turns

#: Mic chunks waiting for `send()`: 20 × 100 ms (widgets/src/voice.js, `MIC_CHUNK_MS`) = 2 s; past that the
#: oldest is dropped.
QUEUE_CHUNKS: Final = 20


@dataclass(slots=True)
class VoiceStats:
    """Counts of one session. `played` and `underruns` come from the page's player (its `playback` messages)."""

    #: Microphone chunks (and their bytes) that reached the kernel to be sent.
    mic_chunks: int = 0
    mic_bytes: int = 0
    #: Mic chunks dropped because the provider did not take them fast enough (the queue holds 2 s), or held back
    #: in the page while the kernel had 2 s of them unread (widgets/src/voice.js, MIC_AHEAD).
    dropped: int = 0
    #: `AudioOutputDelta`s received from the session, and how many of them the page played to the end.
    audio_chunks: int = 0
    played: int = 0
    #: Milliseconds of the assistant's voice the page played, and how often its buffer ran dry mid-answer.
    played_ms: int = 0
    underruns: int = 0
    #: The user spoke over an answer; `interrupt()` calls that followed (only with a response in flight).
    barge_ins: int = 0
    interrupts: int = 0
    #: Typed turns sent (`send_text`, the text box) and push-to-talk commits.
    texts: int = 0
    commits: int = 0
    #: The session's input rate, which the microphone records at (0 until connected).
    input_rate: int = 0
    #: The rate the browser says it captures at (its `started` message): input_rate when all is well.
    mic_rate: int = 0
    #: What the browser said when the microphone failed (blocked, missing), if it did.
    mic_error: str | None = None
    muted: bool = False
    push_to_talk: bool = False
    state: str = "connecting"
    started_at: float = field(default_factory=time.monotonic, repr=False)
    ended_at: float | None = field(default=None, repr=False)

    @property
    def session_seconds(self) -> float:
        """Seconds since the session started (until it ended, once it has)."""
        return round((self.ended_at or time.monotonic()) - self.started_at, 3)


@dataclass(frozen=True, slots=True)
class Typed:
    """A typed turn, queued in order with the microphone's audio."""

    text: str


class Commit:
    """The end of a push-to-talk utterance: `commit()` after the audio queued before it."""


type Outgoing = bytes | Typed | Commit


class MicQueue:
    """What goes to `send()`, in order: mic chunks (bounded, the oldest dropped and counted), typed turns, commits."""

    def __init__(self, stats: VoiceStats, size: int = QUEUE_CHUNKS) -> None:
        self.stats = stats
        self.size = size
        self._items: deque[Outgoing] = deque()
        self._audio = 0
        self._ready = asyncio.Event()

    def put(self, item: Outgoing) -> None:
        if isinstance(item, bytes):
            if self._audio >= self.size:
                oldest = next(i for i, x in enumerate(self._items) if isinstance(x, bytes))
                del self._items[oldest]
                self._audio -= 1
                self.stats.dropped += 1
            self._audio += 1
        self._items.append(item)
        self._ready.set()

    async def get(self) -> Outgoing:
        while not self._items:
            self._ready.clear()
            await self._ready.wait()
        item = self._items.popleft()
        if isinstance(item, bytes):
            self._audio -= 1
        return item


class VoiceTranscript(Sequence[Turn]):
    """`call.transcript`: the conversation as turns (role, text, start/end seconds, interrupted).

    It is also the session's transcript record: `.blocks`, `.meta` and `.text` are those of the fold the
    live view shows (`.fold`), so `axio_nb.ChatResult(call.transcript)` shows the conversation again.
    """

    def __init__(self, fold: Transcript, turns: Turns) -> None:
        self._fold = fold
        self._turns = turns

    @property
    def fold(self) -> Transcript:
        return self._fold

    @property
    def turns(self) -> list[Turn]:
        return list(self._turns)

    @overload
    def __getitem__(self, index: int) -> Turn: ...
    @overload
    def __getitem__(self, index: slice) -> list[Turn]: ...
    def __getitem__(self, index: int | slice) -> Turn | list[Turn]:
        return self._turns.turns[index]

    def __len__(self) -> int:
        return len(self._turns)

    def __iter__(self) -> Iterator[Turn]:
        return iter(self._turns)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._fold, name)

    def __str__(self) -> str:
        return "\n".join(str(turn) for turn in self._turns)

    def __repr__(self) -> str:
        return f"<VoiceTranscript {len(self)} turns>"


class _Driver(Protocol):
    """What VoiceSession asks of the runner that drives it (axio_nb/run/realtime.py)."""

    def send_text(self, text: str) -> None: ...
    def set_muted(self, muted: bool) -> None: ...
    def show(self) -> None: ...


class VoiceSession:
    """A running (or ended) realtime voice session: what `%axio realtime --out call` and `axio_nb.realtime()` give.

    `call.send_text("…")` a typed turn, `call.mute()` / `call.unmute()`, `call.end()`, `await call.wait()`;
    `call.transcript` (turns), `call.stats` (counts), `call.session` (axio's connected RealtimeSession).
    Displaying `call` shows its controls and live transcript (again: a second view of the same session).
    """

    def __init__(self, fold: Transcript | None = None, turns: Turns | None = None) -> None:
        self.stats = VoiceStats()
        self.transcript = VoiceTranscript(fold or Transcript(), turns or Turns())
        self.task: asyncio.Task[None] | None = None
        #: axio's RealtimeSession once connected (what `interrupt()`, `commit()` reach); None before.
        self.session: Any = None
        self.ended = asyncio.Event()
        self.driver: _Driver | None = None

    def send_text(self, text: str) -> None:
        """Send a typed turn, as the text box does; the assistant answers it as it would speech."""
        if not isinstance(text, str) or not text.strip():
            raise AxioNbError("send_text() takes the words to send, a non-empty str.")
        self._live("send_text").send_text(text.strip())

    def mute(self) -> None:
        """Stop sending the microphone's audio; the session (and the microphone) stay open."""
        self._live("mute").set_muted(True)

    def unmute(self) -> None:
        self._live("unmute").set_muted(False)

    def end(self) -> None:
        """Close the session (as the End button does); the cell keeps the transcript's snapshot."""
        self.ended.set()

    async def wait(self) -> VoiceSession:
        """Wait until the session has ended and everything is closed."""
        if self.task is not None:
            await asyncio.shield(self.task)
        return self

    @property
    def done(self) -> bool:
        return self.task is not None and self.task.done()

    def _live(self, what: str) -> _Driver:
        if self.driver is None or self.done or self.ended.is_set():
            raise AxioNbError(f"{what}(): this voice session has ended; start a new one with `axio_nb.realtime()`.")
        return self.driver

    def _ipython_display_(self) -> None:
        if self.driver is not None and not self.done:
            self.driver.show()
        else:
            from IPython.display import display

            display(_snapshot(self))  # type: ignore[no-untyped-call]

    def __repr__(self) -> str:
        s = self.stats
        return (
            f"<VoiceSession {s.state}: {s.mic_chunks} mic chunks ({s.mic_bytes} bytes, {s.dropped} dropped), "
            f"{s.audio_chunks} audio chunks, {s.barge_ins} barge-ins>"
        )


def _snapshot(call: VoiceSession) -> Any:
    from ..render.snapshot import Snapshot

    return Snapshot(call.transcript.fold)
