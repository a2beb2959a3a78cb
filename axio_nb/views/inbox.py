"""Messages from a widget's views, handled on the loop the cell runs on (every axio_nb widget needs this).

ipykernel 7 may deliver comm messages on another thread while a cell awaits. Handled there, a `hello`
could build a transcript's state between `apply` and `push` of one event (a view once showed those
characters twice), Stop would cancel a task from a foreign thread, and a recorder's bytes would be
appended beside the loop reading them. So each message goes to the loop's thread first.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any, cast


class LoopInbox:
    """Mixed into a widget: `listen()` in `__init__`, then `_handle(content, buffers, received)` runs each
    dict message on the loop that was running when the widget was made (or at once, without one).
    `received` is the kernel's epoch time on arrival, before any hop between threads."""

    _loop: asyncio.AbstractEventLoop | None
    _loop_thread: int

    def listen(self) -> None:
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None
        self._loop_thread = threading.get_ident()
        cast(Any, self).on_msg(self._from_view)  # the widget's (ipywidgets' Widget.on_msg, untyped)

    def _from_view(self, _widget: Any, content: Any, buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        received = time.time()
        loop = self._loop
        if loop is not None and threading.get_ident() != self._loop_thread and not loop.is_closed():
            loop.call_soon_threadsafe(self._handle, content, buffers or [], received)
        else:
            self._handle(content, buffers or [], received)

    def _handle(self, content: dict[str, Any], buffers: Any, received: float) -> None:
        raise NotImplementedError
