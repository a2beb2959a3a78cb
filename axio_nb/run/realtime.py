"""`%axio realtime` and `axio_nb.realtime()`: a duplex voice session in a cell, run in the background.

axio's RealtimeAgent connects the transport and runs tool calls. Its events fold into a Transcript shown
by a StreamView (captions of both sides, tool cards) and into Turns (`call.transcript`); the assistant's
voice goes to the VoiceControls widget (axio_nb/views/voice.py), which plays it in the page and also
carries the microphone: PCM16 chunks at the session's input rate, through a bounded queue (oldest dropped,
counted) to `send(AudioBlock(...))`, in order with typed turns and push-to-talk commits
(axio_nb/run/voice_session.py). The voice is kept in the transcript only with `keep_audio`, one clip per
answer, so an hour's session holds no audio in memory and its snapshot none in the notebook.

A SpeechStarted while an answer plays is a barge-in: the page drops its buffered voice at once, the
answer is marked cut short (one notice), and `interrupt()` is called only when the session says a
response is still in flight (a provider refuses to cancel nothing). Push-to-talk turns server VAD off at
connect (`server_vad=False`, where the transport has that setting: OpenAI's and the demo's); release commits.
End closes the session; the snapshot replaces the live view and no task is left.
"""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from axio.realtime import RealtimeAgent
from axio.tool import Tool

from ..errors import AxioNbError
from ..media.audio import pcm_format
from ..stream.transcript import Transcript
from .loop import in_background
from .present import Mode
from .speech import open_speech
from .transports import Transports, redact
from .voice_session import MicQueue, VoiceSession, VoiceStats

__all__ = ["MicQueue", "RealtimeOptions", "VoiceSession", "VoiceStats", "launch", "start_realtime"]

#: What is asked for when the transport names no PCM default of its own (`asked_input_format`); the
#: session's own `input_audio_media_type`, where it has one, decides what the microphone sends.
INPUT_FORMAT: Final = "audio/pcm;rate=24000"
OUTPUT_FORMAT: Final = "audio/pcm;rate=24000"
#: What a static-display cell shows instead of the controls (the microphone is the browser's).
STATIC_NOTE: Final = (
    "Voice session started with no microphone: static display has no browser widget "
    "(AXIO_NB_DISPLAY=static). End it with `.end()`."
)
#: How long End waits for the event stream to finish after close before cancelling it.
CLOSE_TIMEOUT: Final = 5.0
BARGE_IN: Final = "Cut short: you spoke over the answer (barge-in). The answer above is not complete."
ENDED_MID_ANSWER: Final = "Cut short: the session ended during the answer. The answer above is not complete."
CLOSED_BY_PROVIDER: Final = "The connection closed: the session is over."
VAD_STAYS: Final = (
    "Push to talk: this transport has no server_vad setting, so its server VAD stays on; releasing still commits."
)
#: The longest typed turn taken from the page.
MAX_TEXT: Final = 8000


@dataclass(frozen=True, slots=True)
class RealtimeOptions:
    transport: str | None = None
    voice: str | None = None
    system: str = ""
    out: str | None = None
    push_to_talk: bool = False
    keep_audio: bool = False


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


def server_cancels(transport: Any) -> bool:
    """The transport's server VAD cancels a response the user speaks over by itself (OpenAI's
    `vad_interrupt_response`, on by default): a `response.cancel` sent after that is refused
    (`response_cancel_not_active`) and would show as an error, so the client leaves it to the server."""
    return (
        getattr(transport, "server_vad", False) is True and getattr(transport, "vad_interrupt_response", None) is True
    )


def should_interrupt(session: Any, answering: bool) -> bool:
    """Call `interrupt()` only with a response in flight: the events must show one (`answering`: the
    session's own `responding` is its state now, which may already hold the answer to the speech being
    reported), and the session, where it says, must still be responding (a server that already cancelled
    refuses a second cancel)."""
    responding = getattr(session, "responding", None)
    return answering and (responding if isinstance(responding, bool) else True)


def resolve_tools(names: Sequence[str], namespace: Mapping[str, Any]) -> list[Tool[Any]]:
    from .chat_runner import _as_tool, _tool_source

    return [_as_tool(name, _tool_source(namespace, name)) for name in names]


def as_tools(tools: Sequence[Any]) -> list[Tool[Any]]:
    from .chat_runner import _as_tool

    return [_as_tool(str(getattr(t, "name", None) or getattr(t, "__name__", None) or repr(t)), t) for t in tools]


def without_vad(transport: Any) -> Any:
    """The transport with server VAD off, where it has the setting (a dataclass field `server_vad`)."""
    if dataclasses.is_dataclass(transport) and any(f.name == "server_vad" for f in dataclasses.fields(transport)):
        return dataclasses.replace(transport, server_vad=False)  # type: ignore[type-var]
    return transport


def make_agent(
    source: Any, *, system: str, tools: list[Tool[Any]], voice: str | None, push_to_talk: bool = False
) -> RealtimeAgent:
    """A fresh RealtimeAgent (errors as data: a UI shows them) from a RealtimeAgent's settings or a transport;
    with `push_to_talk`, on a copy of the transport with server VAD off (the caller's object is left alone)."""
    if isinstance(source, RealtimeAgent):
        return RealtimeAgent(
            system=system or source.system,
            transport=without_vad(source.transport) if push_to_talk else source.transport,
            tools=[*source.tools, *tools],
            voice=voice or source.voice,
            input_audio_format=source.input_audio_format,
            output_audio_format=source.output_audio_format,
            raise_on_error=False,
        )
    return RealtimeAgent(
        system=system,
        transport=without_vad(source) if push_to_talk else source,
        tools=tools,
        voice=voice,
        input_audio_format=asked_input_format(source),
        output_audio_format=OUTPUT_FORMAT,
        raise_on_error=False,
    )


async def start_realtime(
    transports: Transports,
    opts: RealtimeOptions,
    tools: list[Tool[Any]],
    mode: Mode,
    bind: Callable[[VoiceSession], None] | None = None,
) -> VoiceSession:
    """`%axio realtime`: open the transport (a bad name or a missing key fails the cell), show the controls
    and the live transcript, start the session in the background, return at once."""
    options: dict[str, Any] = {"voice": opts.voice}
    if opts.push_to_talk:
        options["server_vad"] = False
    transport = await open_speech(transports, "realtime", opts.transport, options)
    agent = make_agent(transport, system=opts.system, tools=tools, voice=opts.voice)

    async def ready() -> RealtimeAgent:
        return agent

    label = opts.transport or type(transport).__name__
    call = launch(
        ready, label=label, mode=mode, push_to_talk=opts.push_to_talk, keep_audio=opts.keep_audio, secrets=transport
    )
    if bind is not None:
        bind(call)
    call.driver.show()  # type: ignore[union-attr]
    return call


def launch(
    agent: Callable[[], Awaitable[RealtimeAgent]],
    *,
    label: str,
    mode: Mode,
    push_to_talk: bool,
    keep_audio: bool,
    secrets: Any = None,
) -> VoiceSession:
    """Start a session whose agent `agent()` makes, in the background; shown when `call.driver.show()` is called.
    An error shown in the cell never carries a credential of `secrets` (the transport) or a `key=` query."""
    from .voice_runner import Runner

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        raise AxioNbError("A voice session runs on the kernel's event loop: start it in a notebook cell.") from None
    call = VoiceSession(Transcript(transport=label, format_error=lambda exc: redact(str(exc), secrets)))
    runner = Runner(agent, call, mode=mode, push_to_talk=push_to_talk, keep_audio=keep_audio)
    call.driver = runner
    call.task = in_background(runner.run())
    return call
