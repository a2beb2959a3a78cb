"""StreamView: the live view of one transcript, fed by the wire (protocol: widgets/PROTOCOL.md)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import anywidget

from ..render.snapshot import describe
from ..stream.transcript import Transcript
from ..stream.wire import DEFAULT_INTERVAL, Wire
from .loader import _STATIC, BundleLoader, hashes


class StreamView(BundleLoader, anywidget.AnyWidget):
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
        try:
            self._loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None
        self._loop_thread = threading.get_ident()
        self.on_msg(self._from_view)

    def _to_views(self, message: dict[str, Any], buffers: list[bytes]) -> None:
        self.send(message, buffers)

    def _from_view(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """A view's message, handled on the loop that runs the stream.

        ipykernel 7 may deliver comm messages on another thread while the cell runs. Handled there, a
        `hello` could build the state between `apply` and `push` of one event (the view then showed
        those characters twice), and Stop would cancel a task from a foreign thread.
        """
        if not isinstance(content, dict):
            return
        loop = self._loop
        if loop is not None and threading.get_ident() != self._loop_thread and not loop.is_closed():
            loop.call_soon_threadsafe(self._handle, content)
        else:
            self._handle(content)

    def _handle(self, content: dict[str, Any]) -> None:
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
