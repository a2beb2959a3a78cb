"""StreamView: the live view of one transcript, fed by the wire (protocol: widgets/PROTOCOL.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anywidget

from ..render.snapshot import describe
from ..stream.transcript import Transcript
from ..stream.wire import DEFAULT_INTERVAL, Wire
from .inbox import LoopInbox
from .loader import _STATIC, BundleLoader, hashes


class StreamView(LoopInbox, BundleLoader, anywidget.AnyWidget):
    """One chat turn, live.

    anywidget puts `_esm` into every widget's comm_open: with the full view (~240 KB) that cost every
    cell a quarter of a megabyte of iopub. `_esm` is the ~2 KB shared loader instead, which asks the
    kernel for the `stream` bundle once per page, and for `katex` only when an answer holds math.
    """

    _esm = _STATIC / "boot.js"

    def __init__(
        self,
        transcript: Transcript,
        *,
        on_stop: Callable[[], None] | None = None,
        interval: float = DEFAULT_INTERVAL,
        **kwargs: Any,
    ) -> None:
        super().__init__(_view="stream", _bundles=hashes("stream", "katex"), **kwargs)
        self.transcript = transcript
        self.wire = Wire(transcript, self._to_views, interval=interval)
        self.on_stop = on_stop
        self.listen()

    def _to_views(self, message: dict[str, Any], buffers: list[bytes]) -> None:
        self.send(message, buffers)

    def _handle(self, content: dict[str, Any], _buffers: Any = None, _received: float = 0.0) -> None:
        if self.answer_code_request(content):
            return
        match content.get("type"):
            case "stop":
                if self.on_stop is not None:
                    self.on_stop()
            case _:
                self.wire.receive(content)

    def __repr__(self) -> str:
        return describe("StreamView", self.transcript)
