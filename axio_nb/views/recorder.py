"""RecorderView: the browser's microphone as PCM16 in the kernel, for `%axio stt` with no source.

The microphone is where the page is (a remote kernel or Binder has none), so the widget captures
(widgets/src/recorder.js) and sends each 40 ms chunk as a custom message with one binary buffer;
nothing is a synced trait. Messages are handled on the loop the cell awaits on, as StreamView's are.
"""

from __future__ import annotations

import asyncio
from typing import Any

import anywidget
import traitlets

from .inbox import LoopInbox
from .loader import _STATIC, BundleLoader, hashes


class RecordingFailed(Exception):
    """The browser could not record (blocked, no device, insecure page); the message says what to do."""


class RecorderView(LoopInbox, BundleLoader, anywidget.AnyWidget):
    _esm = _STATIC / "boot.js"
    rate = traitlets.Int(16000).tag(sync=True)
    max_seconds = traitlets.Float(60.0).tag(sync=True)
    #: The browser's echo cancellation, noise suppression and automatic gain (off: the signal as it is).
    processing = traitlets.Bool(True).tag(sync=True)

    def __init__(
        self, *, rate: int = 16000, max_seconds: float = 60.0, processing: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(
            _view="recorder",
            _bundles=hashes("recorder"),
            rate=rate,
            max_seconds=max_seconds,
            processing=processing,
            **kwargs,
        )
        self.pcm = bytearray()
        #: The rate the browser recorded at (it says so when it starts).
        self.recorded_rate = rate
        #: (kernel receive time, browser send time) per chunk, epoch seconds: for the benchmarks.
        self.arrivals: list[tuple[float, float]] = []
        self.error: str | None = None
        self._done = asyncio.Event()
        self.listen()

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / self.recorded_rate

    async def recording(self) -> bytes:
        """Wait for the user to stop (or the browser to fail); the PCM16 mono samples."""
        try:
            await self._done.wait()
        except (asyncio.CancelledError, KeyboardInterrupt):
            self.send({"type": "stop"})
            raise
        if self.error is not None:
            raise RecordingFailed(self.error)
        return bytes(self.pcm)

    def _handle(self, content: dict[str, Any], buffers: Any, received: float) -> None:
        if self.answer_code_request(content):
            return
        match content.get("type"):
            case "started":
                rate = content.get("rate")
                if isinstance(rate, int) and 8000 <= rate <= 192000:
                    self.recorded_rate = rate
            case "audio":
                for buf in buffers or []:
                    self.pcm.extend(bytes(buf))
                sent = content.get("t")
                if isinstance(sent, int | float):
                    self.arrivals.append((received, sent / 1000))
            case "end":
                self._done.set()
            case "error":
                self.error = " ".join(str(content.get("message") or "The browser could not record.").split())[:300]
                self._done.set()

    def __repr__(self) -> str:
        return f"<RecorderView {self.seconds:.1f} s at {self.recorded_rate} Hz>"
