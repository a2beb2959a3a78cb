"""The task behind a VoiceSession: connect, pump the microphone, fold the events, play the voice, end cleanly.

How the pieces fit is told in axio_nb/run/realtime.py; the page's messages are in widgets/PROTOCOL.md, "Voice".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, cast

from axio import AudioOutput, AudioOutputDelta, SpeechStarted, SpeechStopped, TranscriptDelta, TurnComplete
from axio.blocks import AudioBlock, TextBlock
from axio.realtime import RealtimeAgent
from axio.types import StopReason

from ..media.audio import pcm_format, pcm_to_wav
from ..stream.blocks import NoticeLevel, Op
from ..stream.notes import FoldEvent, Note
from ..stream.transcript import cut_text
from .present import Mode
from .realtime import (
    BARGE_IN,
    CLOSE_TIMEOUT,
    CLOSED_BY_PROVIDER,
    ENDED_MID_ANSWER,
    INPUT_FORMAT,
    MAX_TEXT,
    STATIC_NOTE,
    VAD_STAYS,
    input_rate,
    server_cancels,
    should_interrupt,
)
from .voice_session import Commit, MicQueue, Typed, VoiceSession
from .voice_tools import ReportingTransport

log = logging.getLogger(__name__)

#: The kernel tells the page how far it read the microphone every this many chunks (twice a second at 100 ms):
#: the page holds chunks back while more than 2 s of them are unread (widgets/src/voice.js, `MIC_AHEAD`).
HEARD_EVERY = 5


def _count(value: Any) -> int:
    return value if isinstance(value, int) and 0 <= value < 1 << 31 else 0


class Runner:
    def __init__(
        self,
        agent: Callable[[], Awaitable[RealtimeAgent]],
        call: VoiceSession,
        *,
        mode: Mode,
        push_to_talk: bool = False,
        keep_audio: bool = False,
    ) -> None:
        self.make_agent = agent
        self.agent: RealtimeAgent | None = None
        self.call = call
        self.fold = call.transcript.fold
        self.turns = call.transcript._turns
        self.stats = call.stats
        self.stats.push_to_talk = push_to_talk
        self.mic = MicQueue(call.stats)
        self.mode = mode
        self.keep_audio = keep_audio
        self.answering = False
        self.shown = False
        self.controls: Any = None
        self.view: Any = None
        self._ids = (uuid.uuid4().hex, uuid.uuid4().hex)
        self._noted: object = None
        self._voice = bytearray()
        self._voice_type = ""
        self._mic_error = ""
        #: The media type of every mic chunk sent: the connected session's input format.
        self.input_type = INPUT_FORMAT
        if mode == "live":
            from ..views.stream import StreamView
            from ..views.voice import VoiceControls

            self.controls = VoiceControls(self.from_view, push_to_talk=push_to_talk)
            self.view = StreamView(self.fold, on_stop=call.end)

    # -- shown in the cell ---------------------------------------------------------------------------
    def show(self) -> None:
        """Display the controls and the live transcript (again, for a second look at the same session)."""
        self.shown = True
        if self.controls is None:
            print(STATIC_NOTE)
            return
        from IPython.display import display

        from .frontend import show_mic_notice

        show_mic_notice("realtime")

        display(self.controls, display_id=self._ids[0])  # type: ignore[no-untyped-call]
        display(self.view, display_id=self._ids[1])  # type: ignore[no-untyped-call]

    def push(self, ops: Sequence[Op]) -> None:
        if self.view is not None:
            self.view.wire.push(ops)

    def apply(self, event: FoldEvent) -> None:
        self.push(self.fold.apply(event))

    def note(self, text: str, level: NoticeLevel = NoticeLevel.warning) -> None:
        self.apply(Note(text, level))

    def set_state(self, state: str) -> None:
        self.stats.state = state
        if self.controls is not None:
            self.controls.state = state

    # -- what the driver (VoiceSession) and the page ask -----------------------------------------------
    def send_text(self, text: str) -> None:
        self.stats.texts += 1
        self.turns.typed(text)
        self.apply(TranscriptDelta(role="user", delta=text))
        self.mic.put(Typed(text))

    def set_muted(self, muted: bool) -> None:
        self.stats.muted = muted
        if self.controls is not None:
            self.controls.muted = muted

    def from_view(self, content: dict[str, Any], buffers: list[bytes], _received: float) -> None:  # noqa: C901
        if self.call.done:
            return
        match content.get("type"):
            case "started":
                rate = content.get("rate")
                if isinstance(rate, int) and 8000 <= rate <= 192000:
                    self.stats.mic_rate = rate
            case "audio":
                self._heard(content)
                if not self.stats.muted:
                    for buf in buffers:
                        self.stats.mic_chunks += 1
                        self.stats.mic_bytes += len(buf)
                        self.mic.put(buf)
            case "talk":
                self._talk(content.get("on") is True)
            case "mute":
                self.set_muted(content.get("on") is True)
            case "text":
                text = content.get("text")
                if isinstance(text, str) and text.strip() and not self.call.ended.is_set():
                    self.send_text(text.strip()[:MAX_TEXT])
            case "playback":
                self.stats.played += _count(content.get("played"))
                self.stats.underruns += _count(content.get("underruns"))
                self.stats.played_ms += _count(content.get("played_ms"))
            case "end":
                self.call.end()
            case "error":
                message = " ".join(str(content.get("message") or "The microphone failed.").split())[:300]
                self.stats.mic_error = message
                if message != self._mic_error:  # one line per failure, not one per click
                    self._mic_error = message
                    self.note(message)

    def _heard(self, content: dict[str, Any]) -> None:
        """A microphone chunk was read: count the ones the page held back, and tell it how far the kernel got
        (every `HEARD_EVERY` chunks), so that it never has more than 2 s in flight while the kernel is busy."""
        self.stats.dropped += _count(content.get("skipped"))
        seq = content.get("seq")
        if isinstance(seq, int) and seq % HEARD_EVERY == HEARD_EVERY - 1 and self.controls is not None:
            self.controls.heard(seq)

    def _talk(self, on: bool) -> None:
        if on:
            self.turns.user_started()
            self.set_state("user speaking")
        else:
            self.stats.commits += 1
            self.mic.put(Commit())
            self.turns.user_stopped()
            self.set_state("listening")

    # -- the session ---------------------------------------------------------------------------------
    async def run(self) -> None:
        try:
            try:
                agent = self.agent = await self.make_agent()
                if self.stats.push_to_talk and getattr(agent.transport, "server_vad", None) is not False:
                    self.note(VAD_STAYS, NoticeLevel.info)
                if agent.tools:  # results go back to the provider, not into the events: show them on the cards
                    cast(Any, agent).transport = ReportingTransport(agent.transport, self.apply)
                await agent.connect()
            except Exception as exc:
                log.debug("realtime connect failed", exc_info=True)
                self.push(self.fold.fail(exc))
                return
            self.call.session = agent.session
            media_type = getattr(agent.session, "input_audio_media_type", None) or agent.input_audio_format
            self.input_type = str(media_type)
            self.stats.input_rate = input_rate(self.input_type)
            if self.controls is not None:
                self.controls.rate = self.stats.input_rate
            self.set_state("listening")
            await self._session(agent)
        finally:
            self._finish()

    async def _session(self, agent: RealtimeAgent) -> None:
        pump = asyncio.ensure_future(self._pump(agent))
        events = asyncio.ensure_future(self._events(agent))
        ended = asyncio.ensure_future(self.call.ended.wait())
        try:
            await asyncio.wait({events, ended, pump}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (pump, ended):
                task.cancel()
            with contextlib.suppress(BaseException):
                await asyncio.gather(pump, ended, return_exceptions=True)
            with contextlib.suppress(Exception):
                await agent.close()  # the session's events() ends once it is closed
            if not events.done():
                try:
                    await asyncio.wait_for(asyncio.shield(events), CLOSE_TIMEOUT)
                except TimeoutError:
                    events.cancel()
                    with contextlib.suppress(BaseException):
                        await events
        failed = next(
            (t.exception() for t in (events, pump) if t.done() and not t.cancelled() and t.exception()), None
        )
        if failed is not None:
            log.debug("realtime session failed", exc_info=failed)
            self.push(self.fold.fail(failed))
        elif not self.call.ended.is_set():
            self.note(CLOSED_BY_PROVIDER, NoticeLevel.info)

    async def _pump(self, agent: RealtimeAgent) -> None:
        while True:
            item = await self.mic.get()
            if isinstance(item, bytes):
                # Named with its rate: Gemini Live reads a bare `audio/pcm` as 16 kHz whatever was connected
                # (axio 0.12.2 types AudioBlock's media type without parameters, though its transports read them).
                await agent.send(AudioBlock(media_type=cast(Any, self.input_type), data=item))
            elif isinstance(item, Typed):
                await agent.send(TextBlock(text=item.text))
                await agent.commit()  # OpenAI answers a text item only on response.create
            else:
                await agent.commit()

    async def _events(self, agent: RealtimeAgent) -> None:
        async for event in agent.events():
            match event:
                case AudioOutputDelta(data=data, media_type=media_type):
                    self.stats.audio_chunks += 1
                    self.turns.apply(event)
                    if self.controls is not None:
                        self.controls.play(data, media_type)
                    if self.keep_audio:
                        self._voice += data
                        self._voice_type = media_type
                    self.answering = True
                    self.set_state("assistant speaking")
                case SpeechStarted():
                    self.apply(event)
                    self.set_state("user speaking")
                    if self.answering:
                        self.stats.barge_ins += 1
                        if self.controls is not None:
                            self.controls.cut()  # first: the page stops playing before anything else
                        self._cut(BARGE_IN)
                    if should_interrupt(agent.session, self.answering) and not server_cancels(agent.transport):
                        self.stats.interrupts += 1
                        await agent.interrupt()
                    self.answering = False
                    self.turns.apply(event)
                case TurnComplete(stop_reason=reason):
                    open_turn = self.turns.answering
                    self.turns.apply(event)
                    if open_turn is not None and reason is StopReason.cancelled:
                        self._cut(cut_text(str(reason)), open_turn)
                    self._keep_voice()
                    if self.controls is not None and open_turn is not None:
                        self.controls.end_answer()
                    self.apply(event)
                    self.answering = False
                    self.set_state("listening")
                case _:
                    self.turns.apply(event)
                    self.apply(event)
                    if isinstance(event, TranscriptDelta) and event.role == "assistant":
                        self.answering = True
                    elif isinstance(event, SpeechStopped):
                        self.set_state("listening")

    def _cut(self, text: str, turn: object = None) -> None:
        """One "cut short" notice per answer, after what it said (and its voice, with keep_audio)."""
        turn = turn or self.turns.cut()
        if turn is None or turn is self._noted:
            return
        self._noted = turn
        self._keep_voice()
        self.note(text)

    def _keep_voice(self) -> None:
        """With keep_audio: the answer's voice so far, as one WAV clip in the transcript."""
        if not self._voice:
            return
        rate, channels = pcm_format(self._voice_type)
        wav = pcm_to_wav(bytes(self._voice), rate, channels)
        self._voice.clear()
        self.apply(AudioOutput(index=0, data=wav, media_type="audio/wav"))

    def _finish(self) -> None:
        self.stats.ended_at = time.monotonic()
        cut = self.turns.close()
        if cut is not None and cut is not self._noted and not self.fold.finished:
            self._noted = cut
            self._keep_voice()
            self.note(ENDED_MID_ANSWER)
        self._keep_voice()
        if not self.fold.finished and self.fold.meta.get("stop_reason") not in (None, "end_turn"):
            # Each cut answer already has its notice: the session itself ended as asked.
            self.fold.meta["stop_reason"] = "end_turn"
            self.push([{"op": "meta", "value": {"stop_reason": "end_turn"}}])
        self.push(self.fold.finish())
        self.set_state("ended")
        from IPython.display import display, update_display

        from ..render.snapshot import Snapshot

        if self.controls is not None:
            self.controls.send({"type": "stop"})
            self.view.wire.close()
            update_display(Snapshot(self.fold), display_id=self._ids[1])  # type: ignore[no-untyped-call]
            update_display({"text/plain": f"Voice session ended. {self.call!r}"}, raw=True, display_id=self._ids[0])  # type: ignore[no-untyped-call]
            # Not closed: a page reloaded mid-session holds views the display update above cannot reach
            # (no display id survives a reload); they stay readable, in their ended state.
            self.controls.finish()
        elif self.shown:
            display(Snapshot(self.fold))  # type: ignore[no-untyped-call]
