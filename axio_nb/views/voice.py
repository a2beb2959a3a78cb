"""VoiceControls: the browser end of a realtime session — its microphone, its speaker and its controls.

The transcript is shown by a StreamView next to it (axio_nb/run/realtime.py). This widget carries the
microphone to the kernel (widgets/src/voice.js), as RecorderView does (axio_nb/views/recorder.py): each
100 ms chunk is a custom message with one binary buffer, never a synced trait. It also plays the
assistant's voice: the kernel sends the `AudioOutputDelta` bytes here, at most one message per
`AUDIO_INTERVAL`, and held together while the page still has enough of the answer to play (`Playhead`,
axio_nb/stream/pace.py: each message costs ~450 B of Jupyter's envelope, sent with no parent header); the
page's player (widgets/src/lib/audio/player.js) reports back how much of it played and how often it ran
dry. Playing here, not in the transcript, keeps the voice out of the transcript (its memory stays flat
over an hour, and the saved notebook holds no audio unless asked) and puts barge-in, playback counts and
the microphone in one place.

Traits are set by the kernel only (a browser's trait update stalls while a cell runs:
docs/facts.md); they are what a reloaded page gets back: `rate`, `state`, `muted`, `push_to_talk`.
Messages are handled on the loop that runs the session, as StreamView's are. Protocol: widgets/PROTOCOL.md,
"Voice".
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, Final

import anywidget
import traitlets

from ..stream.pace import Playhead, pcm_seconds
from .inbox import LoopInbox
from .loader import _STATIC, BundleLoader, hashes

#: The labels `state` takes, in the order a session usually goes through them.
STATES = ("connecting", "listening", "user speaking", "assistant speaking", "ended")
#: At most one audio message per this many seconds (the first of a burst goes at once): 25 a second, as the wire.
AUDIO_INTERVAL: Final = 0.04


class VoiceControls(LoopInbox, BundleLoader, anywidget.AnyWidget):
    _esm = _STATIC / "boot.js"
    #: The session's input rate (0 until connected: the Microphone button waits for it).
    rate = traitlets.Int(0).tag(sync=True)
    state = traitlets.Unicode("connecting").tag(sync=True)
    #: The microphone is open but sends nothing (Mute, or `call.mute()`).
    muted = traitlets.Bool(False).tag(sync=True)
    #: The session takes turns by push-to-talk: audio goes only while Push to talk is held; release commits.
    push_to_talk = traitlets.Bool(False).tag(sync=True)

    def __init__(self, on_message: Callable[[dict[str, Any], list[bytes], float], None], **kwargs: Any) -> None:
        super().__init__(_view="voice", _bundles=hashes("voice"), **kwargs)
        self._on_message = on_message
        self._pending: list[bytes] = []
        self._media_type = ""
        self._told_type = ""  # the format this answer's messages named already ("": none yet)
        self._last_sent = 0.0
        self._timer: asyncio.TimerHandle | None = None
        self._pace = Playhead()
        self.listen()

    def _handle(self, content: dict[str, Any], buffers: Any, received: float) -> None:
        if self.answer_code_request(content):
            return
        self._on_message(content, [bytes(b) for b in buffers or []], received)

    # -- the assistant's voice, kernel → page ------------------------------------------------------
    def play(self, pcm: bytes, media_type: str) -> None:
        """Queue one `AudioOutputDelta` for the page: sent now, or with the next ones (within AUDIO_INTERVAL,
        or while the page has enough of the answer left to play)."""
        if self._pending and media_type != self._media_type:
            self._flush_audio()
        self._media_type = media_type
        self._pending.append(pcm)
        now = time.monotonic()
        due = max(self._last_sent + AUDIO_INTERVAL, self._pace.due(self._pending_seconds(), now))
        if due <= now:
            self._flush_audio()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(due - now, self._flush_audio)

    def end_answer(self) -> None:
        """The answer's audio is complete: the page plays what it has and counts it all as played."""
        self._flush_audio()
        self._pace.reset()
        self._told_type = ""
        self.send({"type": "audio_end"})

    def cut(self) -> None:
        """Barge-in: the page drops what it has buffered at once; what is still here is not sent."""
        self._cancel_timer()
        self._pending.clear()
        self._pace.reset()
        self._told_type = ""
        self.send({"type": "flush"})

    def heard(self, seq: int) -> None:
        """The kernel has read the page's microphone chunks up to `seq`."""
        self._send_unparented({"type": "heard", "seq": seq}, [])

    def _pending_seconds(self) -> float:
        """Seconds of voice held (0 for a compressed format, which the pace does not estimate)."""
        return pcm_seconds(sum(len(p) for p in self._pending), self._media_type)

    def _flush_audio(self) -> None:
        self._cancel_timer()
        if not self._pending:
            return
        seconds = self._pending_seconds()
        sizes = [len(p) for p in self._pending]
        data = b"".join(self._pending)
        self._pending.clear()
        self._last_sent = time.monotonic()
        if seconds:
            self._pace.sent(seconds, self._last_sent)
        # `t` lets the page count its wait from when the voice left (widgets/src/lib/audio/voice-out.js).
        content: dict[str, Any] = {"type": "audio", "t": round(self._last_sent * 1000)}
        if self._media_type != self._told_type:  # an answer's first message, or the format changed
            content["media_type"] = self._told_type = self._media_type
        if len(sizes) > 1:  # one delta: the buffer's length
            content["sizes"] = sizes
        self._send_unparented(content, [data])

    def _send_unparented(self, content: dict[str, Any], buffers: list[bytes]) -> None:
        """`send`, with an empty parent header. A running session's voice answers no request, yet ipykernel puts
        the header of the cell that started the session (~215 B) on every message its task sends: 4.5 % more
        bytes around each 100 ms of voice (BENCHMARKS.md, "Realtime voice"). Frontends route comm messages by
        `comm_id` alone. Falls back to `send` where the kernel is not ipykernel's."""
        comm = self.comm
        kernel = getattr(comm, "kernel", None)
        session, iopub, topic = (
            getattr(kernel, "session", None),
            getattr(kernel, "iopub_socket", None),
            getattr(comm, "topic", None),
        )
        if comm is None or session is None or iopub is None or not topic:
            self.send(content, buffers)
            return
        data = {"data": {"method": "custom", "content": content}, "comm_id": comm.comm_id}
        session.send(iopub, "comm_msg", data, parent={}, ident=topic, buffers=buffers)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def finish(self) -> None:
        """The session ended: nothing more to play."""
        self._cancel_timer()
        self._pending.clear()

    def close(self) -> None:
        self.finish()
        super().close()

    def __repr__(self) -> str:
        flags = (" muted" if self.muted else "") + (" push-to-talk" if self.push_to_talk else "")
        return f"<VoiceControls {self.state} at {self.rate} Hz{flags}>"
