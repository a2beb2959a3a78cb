"""VoiceControls: the browser's microphone for `%axio realtime`, and the session's state.

The transcript is shown by a StreamView (axio_nb/run/present.py); this widget only carries the microphone
to the kernel (widgets/src/voice.js), as RecorderView does (axio_nb/views/recorder.py): each 40 ms chunk
is a custom message with one binary buffer, never a synced trait. `rate` is the session's input rate,
set once connected; `state` is the label the page shows. Messages are handled on the loop that runs the
session, as StreamView's are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

from .inbox import LoopInbox
from .loader import _STATIC, BundleLoader, hashes

#: The labels `state` takes, in the order a session usually goes through them.
STATES = ("connecting", "listening", "user speaking", "assistant speaking", "ended")


class VoiceControls(LoopInbox, BundleLoader, anywidget.AnyWidget):
    _esm = _STATIC / "boot.js"
    #: The session's input rate (0 until connected: the Microphone button waits for it).
    rate = traitlets.Int(0).tag(sync=True)
    state = traitlets.Unicode("connecting").tag(sync=True)

    def __init__(self, on_message: Callable[[dict[str, Any], list[bytes], float], None], **kwargs: Any) -> None:
        super().__init__(_view="voice", _bundles=hashes("voice"), **kwargs)
        self._on_message = on_message
        self.listen()

    def _handle(self, content: dict[str, Any], buffers: Any, received: float) -> None:
        if self.answer_code_request(content):
            return
        self._on_message(content, [bytes(b) for b in buffers or []], received)

    def __repr__(self) -> str:
        return f"<VoiceControls {self.state} at {self.rate} Hz>"
