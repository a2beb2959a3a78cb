"""DemoRealtime: an offline, deterministic axio RealtimeTransport, so voice turns run with no API key.

What it imitates, read from axio 0.12.2 (`RealtimeAgent`, the `RealtimeSession` protocol) and from
axio-transport-openai 0.12.2 (`OpenAIRealtimeSession`), restated so this file stands alone:

- axio's `RealtimeAgent` connects with `system, tools, voice, input_audio_format, output_audio_format`
  (its own default input is `audio/pcm;rate=16000`), passes `send`/`commit`/`interrupt` through and
  yields the session's events unchanged. It gathers `ToolUseStart` + `ToolInputDelta` and runs the calls
  only on `TurnComplete(stop_reason=tool_use)`, each in a task whose result comes back through
  `send_tool_result`; no `ToolResult` event is emitted. Its `interrupt()` cancels those tasks and drops
  half-gathered calls, then calls the session's.
- OpenAI's session streams PCM16 mono at 24 kHz both ways and names its formats in
  `input_audio_media_type` / `output_audio_media_type`. Each `AudioBlock` must match the connected input
  format; axio's `AudioBlock` media type is a bare `audio/pcm`, which means the connected rate.
- With server VAD, speech edges arrive as `SpeechStarted` / `SpeechStopped`, the answer follows the stop,
  and by default a response the user talks over is cancelled. Without it, nothing happens until `commit()`.
  A finished response is `TurnComplete(end_turn)`, one with calls `tool_use`, a cancelled one `cancelled`.
- `interrupt()` with no response in flight is refused by the server (`response_cancel_not_active`); the
  refusal comes back on the stream as `Error(StreamError(...))`, which `RealtimeAgent` raises from
  `events()` when `raise_on_error` is set. The demo does the same.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final

from axio.blocks import AudioBlock, ContentBlock, TextBlock
from axio.events import Error, SpeechStarted, SpeechStopped, StreamEvent, TranscriptDelta, TurnComplete
from axio.exceptions import StreamError
from axio.tool import Tool
from axio.transport import RealtimeSession, RealtimeTransport
from axio.types import StopReason, ToolCallID, ToolName

from .speech import TTS_PCM_MEDIA_TYPE, TTS_RATE
from .spoken import CHUNK_MS, SpokenReply, answer_from_tools, answer_to_speech, answer_to_text, heard_caption
from .transport import _tool_calls
from .vad import EnergyVAD

#: Both directions default to OpenAI's realtime format: PCM16 little-endian mono at 24 kHz.
DEMO_REALTIME_MEDIA_TYPE: Final = TTS_PCM_MEDIA_TYPE


def pcm_rate(media_type: str, default: int) -> int:
    """The rate of `audio/pcm;rate=N` (`default` for a bare `audio/pcm`); ValueError for anything else."""
    mime, _, params = media_type.partition(";")
    values = dict(part.strip().lower().partition("=")[::2] for part in params.split(";") if part.strip())
    if mime.strip().lower() != "audio/pcm" or values.keys() - {"rate"} or not values.get("rate", "0").isdigit():
        msg = f"the demo realtime session speaks PCM16 mono, `audio/pcm;rate=N`; got {media_type!r}"
        raise ValueError(msg)
    return int(values["rate"]) if "rate" in values else default


@dataclass(frozen=True, slots=True)
class Interruption:
    """One call of `interrupt()`: the response it cut (None: none was in flight) and how much voice had gone out."""

    response: int | None
    audio_ms: int


@dataclass(slots=True)
class DemoRealtime(RealtimeTransport):
    """`RealtimeTransport` offline: hears how long you speak, answers with the demo voice (speech.py).

    - audio (`send(AudioBlock("audio/pcm", pcm16))` at the connected input rate, any of 8-48 kHz): an
      energy VAD (vad.py) on 20 ms frames, speech after `vad_start_ms` at or above `vad_threshold_dbfs`,
      silence after `vad_stop_ms` below it. With `server_vad` the edges are `SpeechStarted` /
      `SpeechStopped` and the stop ends the turn; without, `commit()` ends it (push-to-talk). The user's
      caption is `TranscriptDelta("user", "(heard 1.8 s of speech)")`.
    - text (`send(TextBlock(...))`): answered at once; `commit()` after it finds nothing to commit. A text
      naming a tool (or saying "tool", "weather", "call") calls tools, as DemoTransport does; the answer
      from their results follows the last `send_tool_result`.
    - every answer: per 100 ms, a caption piece `TranscriptDelta("assistant", ...)` then that much voice,
      `AudioOutputDelta` of PCM16 mono 24 kHz (`audio/pcm;rate=24000`, 60 ms per character), then
      `TurnComplete`. Chunk k is due k·100 ms·`voice_pace` after the answer starts: `voice_pace=1` is real time, `0`
      no waiting. Answers queue; one plays at a time.
    - `interrupt()` cuts the answer in flight at once (`TurnComplete(cancelled)`, no more of its audio)
      and is recorded in `session.interrupts`. With none in flight the stream reports
      `Error(StreamError("... [response_cancel_not_active] ..."))`; check `session.responding` first.
    - `interrupt_response`: speech starting during an answer cancels it, as OpenAI's server VAD does.

    Same input, same events and bytes; with `voice_pace=0`, the same interleaving too.
    """

    display_name: ClassVar[str] = "Demo voice (offline)"

    session: Any = field(default=None, repr=False, compare=False)
    voice_pace: float = 1.0
    voice: str = "demo"
    server_vad: bool = True
    vad_threshold_dbfs: float = -40.0
    vad_start_ms: int = 100
    vad_stop_ms: int = 500
    interrupt_response: bool = True

    async def connect(
        self,
        *,
        system: str,
        tools: list[Tool[Any]],
        voice: str | None = None,
        input_audio_format: str = DEMO_REALTIME_MEDIA_TYPE,
        output_audio_format: str = DEMO_REALTIME_MEDIA_TYPE,
    ) -> DemoRealtimeSession:
        if pcm_rate(output_audio_format, TTS_RATE) != TTS_RATE:
            msg = f"the demo voice speaks {DEMO_REALTIME_MEDIA_TYPE}; got output_audio_format={output_audio_format!r}"
            raise ValueError(msg)
        if not self.voice_pace >= 0:
            msg = f"voice_pace must be 0 (no waiting) or more (1 is real time); got {self.voice_pace!r}"
            raise ValueError(msg)
        rate = pcm_rate(input_audio_format, TTS_RATE)
        vad = EnergyVAD(rate, self.vad_threshold_dbfs, self.vad_start_ms, self.vad_stop_ms)
        return DemoRealtimeSession(
            system,
            list(tools),
            voice or self.voice,
            f"audio/pcm;rate={rate}",
            DEMO_REALTIME_MEDIA_TYPE,
            self.voice_pace,
            self.server_vad,
            self.interrupt_response,
            vad,
        )


@dataclass(slots=True, eq=False)
class DemoRealtimeSession(RealtimeSession):
    """One connection of DemoRealtime. It starts no task: `events()` makes each event when it is pulled."""

    system: str
    tools: list[Tool[Any]] = field(repr=False)
    voice: str
    input_audio_media_type: str
    output_audio_media_type: str
    voice_pace: float
    server_vad: bool
    interrupt_response: bool
    vad: EnergyVAD = field(repr=False)
    interrupts: list[Interruption] = field(default_factory=list, init=False)
    closed: bool = field(default=False, init=False)
    _inbox: deque[StreamEvent] = field(default_factory=deque, init=False, repr=False)
    _queued: deque[SpokenReply] = field(default_factory=deque, init=False, repr=False)
    _reply: SpokenReply | None = field(default=None, init=False, repr=False)
    _started: float = field(default=0.0, init=False, repr=False)
    _responses: int = field(default=0, init=False, repr=False)
    _unheard: bool = field(default=False, init=False, repr=False)
    _waiting: dict[ToolCallID, ToolName] = field(default_factory=dict, init=False, repr=False)
    _results: dict[ToolCallID, str] = field(default_factory=dict, init=False, repr=False)
    _wake: asyncio.Event = field(default_factory=asyncio.Event, init=False, repr=False)

    @property
    def input_rate(self) -> int:
        return self.vad.rate

    @property
    def output_rate(self) -> int:
        return TTS_RATE

    @property
    def responding(self) -> bool:
        """A response is playing or queued: the one time `interrupt()` is accepted."""
        return self._reply is not None or bool(self._queued)

    async def send(self, content: ContentBlock | list[ContentBlock]) -> None:
        self._check_open()
        for block in content if isinstance(content, list) else [content]:
            match block:
                case AudioBlock(data=data, media_type=media_type):
                    if pcm_rate(media_type, self.input_rate) != self.input_rate:
                        msg = f"this session was connected for {self.input_audio_media_type}; got {media_type!r}"
                        raise ValueError(msg)
                    await self._hear(data)
                case TextBlock(text=text) if text.strip():
                    calls = _tool_calls(self.tools, text.lower())
                    number = self._responses + 1
                    ids = [(f"demo_rt_{number}_{i}", name, args) for i, (name, args) in enumerate(calls)]
                    self._queue(
                        answer_to_text(text) if not ids else "Let me check with the tools.", len(text.split()), ids
                    )
                case TextBlock():
                    raise ValueError("send() got an empty TextBlock; the demo answers text that has words")
                case _:
                    msg = f"the demo realtime session takes AudioBlock and TextBlock; got {type(block).__name__}"
                    raise TypeError(msg)
        self._wake.set()

    async def commit(self) -> None:
        self._check_open()
        if self.server_vad and self.vad.speaking:
            self._inbox.append(SpeechStopped())
            self._user_turn(self.vad.end())
        elif not self.server_vad and self._unheard:
            self._user_turn(self.vad.end())
        self._wake.set()

    async def interrupt(self) -> None:
        self._check_open()
        if not self.responding:
            self.interrupts.append(Interruption(None, 0))
            msg = "demo realtime [response_cancel_not_active]: no response in flight; check session.responding"
            self._inbox.append(Error(StreamError(msg)))
            self._wake.set()
            return
        reply = self._reply or self._queued[0]
        self.interrupts.append(Interruption(reply.number, reply.sent_chunks * CHUNK_MS))
        await self._cancel()

    async def send_tool_result(
        self, tool_use_id: ToolCallID, name: ToolName, content: str | list[ContentBlock]
    ) -> None:
        self._check_open()
        if tool_use_id not in self._waiting:
            msg = (
                f"no tool call {tool_use_id!r} is waiting for a result; waiting: {', '.join(self._waiting) or 'none'}"
            )
            raise ValueError(msg)
        if isinstance(content, list):
            if not all(isinstance(b, TextBlock) for b in content):
                msg = f"tool results are str or TextBlocks; got {[type(b).__name__ for b in content]}"
                raise TypeError(msg)
            content = "".join(b.text for b in content if isinstance(b, TextBlock))
        self._results[tool_use_id] = content
        if self._waiting.keys() <= self._results.keys():
            results = [(self._waiting[call], self._results[call]) for call in self._waiting]
            self._waiting.clear()
            self._results.clear()
            self._queue(answer_from_tools(results), sum(len(text) for _, text in results) // 4 + 1)
            self._wake.set()

    async def events(self) -> AsyncIterator[StreamEvent]:
        loop = asyncio.get_running_loop()
        while not self.closed:
            if self._inbox:
                yield self._inbox.popleft()
                continue
            if self._reply is None and self._queued:
                self._reply, self._started = self._queued.popleft(), loop.time()
            reply = self._reply
            if reply is None:
                await self._sleep(None)
                continue
            delay = self._started + reply.due_ms / 1000 * self.voice_pace - loop.time()
            if delay > 0:
                await self._sleep(delay)
                continue
            last = reply.finishing
            event = await reply.next_event()
            if last:
                self._reply = None
                await reply.aclose()
                if isinstance(event, TurnComplete) and event.stop_reason is StopReason.tool_use:
                    self._waiting.update((call, name) for call, name, _ in reply.calls)
            yield event

    async def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        reply, self._reply = self._reply, None
        self._queued.clear()
        self._inbox.clear()
        self._wake.set()
        if reply is not None:
            await reply.aclose()

    def _check_open(self) -> None:
        if self.closed:
            raise RuntimeError("this demo realtime session is closed; connect again for a new one")

    async def _hear(self, pcm: bytes) -> None:
        self._unheard = True
        for edge, _ in self.vad.feed(pcm):
            if not self.server_vad:
                continue
            if edge == "started":
                self._inbox.append(SpeechStarted())
                if self.interrupt_response and self.responding:
                    await self._cancel()
            else:
                self._inbox.append(SpeechStopped())
                self._user_turn(self.vad.end())

    def _user_turn(self, heard: float) -> None:
        self._unheard = False
        self._inbox.append(TranscriptDelta(role="user", delta=heard_caption(heard)))
        self._queue(answer_to_speech(heard), round(heard * 10))

    def _queue(self, text: str, input_tokens: int, calls: list[tuple[str, str, dict[str, Any]]] | None = None) -> None:
        self._responses += 1
        self._queued.append(SpokenReply(self._responses, text, self.voice, input_tokens, calls or []))

    async def _cancel(self) -> None:
        reply = self._reply or self._queued.popleft()
        if reply is self._reply:
            self._reply = None
        self._inbox.append(reply.cancelled())
        self._wake.set()
        await reply.aclose()

    async def _sleep(self, seconds: float | None) -> None:
        """Until something is sent, interrupted or closed, or `seconds` pass."""
        self._wake.clear()
        try:
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        except TimeoutError:
            pass
