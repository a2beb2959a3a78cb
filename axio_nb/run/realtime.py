"""`%axio realtime`: a duplex voice session in a cell, run in the background so the notebook stays usable.

The realtime class comes from the `axio.transport.realtime` entry points, made as open_speech makes a
speech class (axio_nb/run/speech.py). axio's RealtimeAgent connects it and runs tool calls; its events
fold into a Transcript shown by the usual Presenter (axio_nb/run/present.py), so captions, tool cards and
streamed assistant audio need nothing new. The microphone is the browser's: VoiceControls
(axio_nb/views/voice.py) sends PCM16 chunks at the session's input rate, which go through a bounded queue
(oldest dropped first, counted) to `send(AudioBlock(...))`. A SpeechStarted while a response is in flight
is a barge-in: the fold marks the speech cut (axio_nb/stream/audio.py) and `interrupt()` is called only
when the session says a response is still in flight. End closes the session; the snapshot replaces the
live view and no task is left.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, cast

from axio import AudioOutputDelta, SpeechStarted, SpeechStopped, StreamEvent, TranscriptDelta, TurnComplete
from axio.blocks import AudioBlock
from axio.realtime import RealtimeAgent
from axio.tool import Tool

from ..media.audio import pcm_format
from ..stream.transcript import Transcript
from .loop import in_background
from .present import Mode, Presenter
from .speech import open_speech
from .transports import Transports, redact

log = logging.getLogger(__name__)

#: What is asked for when the transport names no PCM default of its own (`asked_input_format`); the
#: session's own `input_audio_media_type`, where it has one, decides what the microphone sends.
INPUT_FORMAT: Final = "audio/pcm;rate=24000"
OUTPUT_FORMAT: Final = "audio/pcm;rate=24000"
#: Mic chunks waiting for `send()`: 50 × 40 ms = 2 s; past that the oldest is dropped.
QUEUE_CHUNKS: Final = 50
#: What a static-display cell shows instead of the controls (the microphone is the browser's).
STATIC_NOTE: Final = (
    "Voice session started with no microphone: static display has no browser widget "
    "(AXIO_NB_DISPLAY=static). End it with `.end()`."
)
#: How long End waits for the event stream to finish after close before cancelling it.
CLOSE_TIMEOUT: Final = 5.0


@dataclass(frozen=True, slots=True)
class RealtimeOptions:
    transport: str | None = None
    voice: str | None = None
    system: str = ""
    out: str | None = None


@dataclass(slots=True)
class VoiceStats:
    mic_chunks: int = 0
    mic_bytes: int = 0
    dropped: int = 0
    audio_chunks: int = 0
    barge_ins: int = 0
    interrupts: int = 0
    #: The session's input rate, which the microphone records at (0 until connected).
    input_rate: int = 0
    #: The rate the browser says it captures at (its `started` message): input_rate when all is well.
    mic_rate: int = 0
    #: What the browser said when the microphone failed (blocked, missing), if it did.
    mic_error: str | None = None
    state: str = "connecting"


class MicQueue:
    """Mic chunks for `send()`: bounded, the oldest dropped (and counted) when full."""

    def __init__(self, stats: VoiceStats, size: int = QUEUE_CHUNKS) -> None:
        self.stats = stats
        self._queue: asyncio.Queue[bytes] = asyncio.Queue(size)

    def put(self, pcm: bytes) -> None:
        if self._queue.full():
            self._queue.get_nowait()
            self.stats.dropped += 1
        self._queue.put_nowait(pcm)

    async def get(self) -> bytes:
        return await self._queue.get()


def input_rate(media_type: str) -> int:
    """The microphone's rate: the one the connected session names (`audio/pcm;rate=N`), else OpenAI's 24 kHz."""
    return pcm_format(media_type, default_rate=24000)[0]


def asked_input_format(transport: Any) -> str:
    """The input format to connect `transport` with: the PCM format its own `connect()` defaults to (Gemini
    Live 16 kHz; OpenAI and the demo 24 kHz), else INPUT_FORMAT. Gemini Live's session does not say what it
    was connected for, so this is also the rate the microphone records at for it."""
    try:
        default = inspect.signature(transport.connect).parameters["input_audio_format"].default
    except (AttributeError, KeyError, TypeError, ValueError):
        return INPUT_FORMAT
    return default if isinstance(default, str) and default.startswith("audio/pcm") else INPUT_FORMAT


def should_interrupt(session: Any, answering: bool) -> bool:
    """Call `interrupt()` only with a response in flight: the events must show one (`answering`: the
    session's own `responding` is its state now, which may already hold the answer to the speech being
    reported), and the session, where it says, must still be responding (a server that already cancelled
    refuses a second cancel)."""
    responding = getattr(session, "responding", None)
    return answering and (responding if isinstance(responding, bool) else True)


def server_cancels(transport: Any) -> bool:
    """The transport's server VAD cancels a response the user speaks over by itself (OpenAI's
    `vad_interrupt_response`, on by default): a `response.cancel` sent after that is refused
    (`response_cancel_not_active`) and would show as an error, so the client leaves it to the server."""
    return (
        getattr(transport, "server_vad", False) is True and getattr(transport, "vad_interrupt_response", None) is True
    )


@dataclass(eq=False)
class VoiceSession:
    """What `--out VAR` holds: `.transcript`, `.stats`, `.end()`; `await VAR.wait()` for the end."""

    transcript: Transcript
    stats: VoiceStats = field(default_factory=VoiceStats)
    task: asyncio.Task[None] | None = field(default=None, repr=False)
    _ended: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    def end(self) -> None:
        """Close the session (as the End button does); the cell keeps the transcript's snapshot."""
        self._ended.set()

    async def wait(self) -> None:
        if self.task is not None:
            await asyncio.shield(self.task)

    @property
    def done(self) -> bool:
        return self.task is not None and self.task.done()

    def __repr__(self) -> str:
        s = self.stats
        return (
            f"<VoiceSession {s.state}: {s.mic_chunks} mic chunks ({s.mic_bytes} bytes, {s.dropped} dropped), "
            f"{s.audio_chunks} audio chunks, {s.barge_ins} barge-ins>"
        )


def resolve_tools(names: Sequence[str], namespace: Mapping[str, Any]) -> list[Tool[Any]]:
    from .chat_runner import _as_tool, _tool_source

    return [_as_tool(name, _tool_source(namespace, name)) for name in names]


async def start_realtime(
    transports: Transports,
    opts: RealtimeOptions,
    tools: list[Tool[Any]],
    mode: Mode,
    bind: Callable[[VoiceSession], None] | None = None,
) -> VoiceSession:
    """Show the controls and the live transcript, start the session in the background, return at once.

    Static display (headless runs: nbval, `nbconvert --execute`) has no browser, so no microphone: the
    session still connects and ends as usual, with no controls and a one-line note in their place, and its
    transcript's snapshot is the cell's one display when it ends.
    """
    transport = await open_speech(transports, "realtime", opts.transport, {"voice": opts.voice})
    agent = RealtimeAgent(
        system=opts.system,
        transport=transport,
        tools=tools,
        voice=opts.voice,
        input_audio_format=asked_input_format(transport),
        output_audio_format=OUTPUT_FORMAT,
        raise_on_error=False,
    )
    from IPython.display import display

    from ..views.voice import VoiceControls

    name = opts.transport or type(transport).__name__
    call = VoiceSession(Transcript(transport=name, format_error=lambda exc: redact(str(exc), transport)))
    runner = _Runner(agent, call)
    if mode == "live":
        from .frontend import show_mic_notice

        show_mic_notice("realtime")
        runner.controls = VoiceControls(runner.from_view)
        runner.handle = display(runner.controls, display_id=True)  # type: ignore[no-untyped-call]
    else:
        print(STATIC_NOTE)
    runner.presenter = Presenter(call.transcript, mode=mode, on_stop=call.end)
    if bind is not None:
        bind(call)
    call.task = in_background(runner.run())
    return call


class _Runner:
    def __init__(self, agent: RealtimeAgent, call: VoiceSession) -> None:
        self.agent = agent
        self.call = call
        self.stats = call.stats
        self.mic = MicQueue(call.stats)
        self.controls: Any = None
        self.handle: Any = None
        self.presenter: Presenter | None = None
        self.answering = False
        #: The media type of every mic chunk sent: the connected session's input format.
        self.input_type = agent.input_audio_format

    def set_state(self, state: str) -> None:
        self.stats.state = state
        if self.controls is not None:
            self.controls.state = state

    def from_view(self, content: dict[str, Any], buffers: list[bytes], _received: float) -> None:
        match content.get("type"):
            case "started":
                rate = content.get("rate")
                if isinstance(rate, int) and 8000 <= rate <= 192000:
                    self.stats.mic_rate = rate
            case "audio":
                for buf in buffers:
                    self.stats.mic_chunks += 1
                    self.stats.mic_bytes += len(buf)
                    self.mic.put(buf)
            case "end":
                self.call.end()
            case "error":
                self.stats.mic_error = " ".join(str(content.get("message") or "The microphone failed.").split())[:300]

    def push(self, event: StreamEvent) -> None:
        assert self.presenter is not None
        self.presenter.push(self.call.transcript.apply(event))

    async def run(self) -> None:
        transcript = self.call.transcript
        assert self.presenter is not None
        try:
            try:
                await self.agent.connect()
            except Exception as exc:
                self.presenter.push(transcript.fail(exc))
                return
            media_type = getattr(self.agent.session, "input_audio_media_type", None) or self.agent.input_audio_format
            self.input_type = str(media_type)
            self.stats.input_rate = input_rate(self.input_type)
            if self.controls is not None:
                self.controls.rate = self.stats.input_rate
            self.set_state("listening")
            await self._session()
        finally:
            self.set_state("ended")
            if self.controls is not None:
                self.controls.send({"type": "stop"})
            self.presenter.push(transcript.finish())
            self.presenter.finish()
            if self.handle is not None:
                self.handle.update({"text/plain": f"Voice session ended. {self.call!r}"}, raw=True)
            if self.controls is not None:
                self.controls.close()

    async def _session(self) -> None:
        pump = asyncio.ensure_future(self._pump())
        events = asyncio.ensure_future(self._events())
        ended = asyncio.ensure_future(self.call._ended.wait())
        try:
            await asyncio.wait({events, ended}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (pump, ended):
                task.cancel()
            with contextlib.suppress(BaseException):
                await asyncio.gather(pump, ended, return_exceptions=True)
            with contextlib.suppress(Exception):
                await self.agent.close()  # the session's events() ends once it is closed
            if not events.done():
                try:
                    await asyncio.wait_for(asyncio.shield(events), CLOSE_TIMEOUT)
                except TimeoutError:
                    events.cancel()
                    with contextlib.suppress(BaseException):
                        await events
        failed = events.exception() if events.done() and not events.cancelled() else None
        if failed is not None:
            log.debug("realtime session failed", exc_info=failed)
            assert self.presenter is not None
            self.presenter.push(self.call.transcript.fail(failed))

    async def _pump(self) -> None:
        while True:
            pcm = await self.mic.get()
            # Named with its rate: Gemini Live reads a bare `audio/pcm` as 16 kHz whatever was connected (axio
            # 0.12.2 types AudioBlock's media type without parameters, though its transports read them).
            await self.agent.send(AudioBlock(media_type=cast(Any, self.input_type), data=pcm))

    async def _events(self) -> None:
        async for event in self.agent.events():
            self.push(event)  # first: a SpeechStarted cuts the page's playback before anything else
            match event:
                case SpeechStarted():
                    self.set_state("user speaking")
                    if self.answering:
                        self.stats.barge_ins += 1
                    if should_interrupt(self.agent.session, self.answering) and not server_cancels(
                        self.agent.transport
                    ):
                        self.stats.interrupts += 1
                        await self.agent.interrupt()
                    self.answering = False
                case SpeechStopped():
                    self.set_state("listening")
                case AudioOutputDelta():
                    self.stats.audio_chunks += 1
                    self.answering = True
                    self.set_state("assistant speaking")
                case TranscriptDelta(role="assistant"):
                    self.answering = True
                case TurnComplete():
                    self.answering = False
                    self.set_state("listening")
