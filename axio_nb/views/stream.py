"""StreamView: the live view of one transcript, fed by the wire (protocol: widgets/PROTOCOL.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget

from ..transcript import Transcript
from ..wire import DEFAULT_INTERVAL, Wire

_STATIC = Path(__file__).parent.parent / "static"


class StreamView(anywidget.AnyWidget):
    _esm = _STATIC / "stream.js"
    _css = _STATIC / "stream.css"

    def __init__(
        self,
        transcript: Transcript,
        *,
        on_stop: Callable[[], None] | None = None,
        interval: float = DEFAULT_INTERVAL,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.transcript = transcript
        self.wire = Wire(transcript, self._to_views, interval=interval)
        self.on_stop = on_stop
        self.on_msg(self._from_view)

    def _to_views(self, message: dict[str, Any], buffers: list[bytes]) -> None:
        self.send(message, buffers)

    def _from_view(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        if content.get("type") == "stop":
            if self.on_stop is not None:
                self.on_stop()
            return
        self.wire.receive(content)

    def __repr__(self) -> str:
        return describe("StreamView", self.transcript)


def describe(label: str, transcript: Transcript) -> str:
    """`<StreamView 4 blocks end_turn 120→45 tok>`: cheap, deterministic, what nbval and GitHub show."""
    meta = transcript.meta
    parts = [label, f"{len(transcript.blocks)} blocks", str(meta.get("stop_reason") or meta.get("status"))]
    usage = meta.get("usage")
    if usage:
        parts.append(f"{usage['input']}→{usage['output']} tok")
    return f"<{' '.join(parts)}>"
