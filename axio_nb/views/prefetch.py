"""Prefetch: the page fetches the stream view's code when the extension loads, not when the first turn shows.

The first axio widget of a page loads the view's code (~280 KB) over its comm and imports it before it can
show anything: a fresh page's first speech started 137–247 ms after its first chunk, against 32–75 ms once
the code was in (BENCHMARKS.md, "TTS: first chunk sent → audible"). `%load_ext axio_nb` in a live kernel
opens this widget without displaying it: the page makes its model, whose loader (boot.js, with no `_view`)
asks for the bundles it declares and keeps them for the widgets to come. It stays open while the extension
is loaded (a page that reloads while the kernel lives may restore it, and fetch the code again; not
measured). A page opened after `%load_ext` ran pays the first load at its first widget, as before.
"""

from __future__ import annotations

from typing import Any

import anywidget

from .inbox import LoopInbox
from .loader import _STATIC, BundleLoader, hashes


class Prefetch(LoopInbox, BundleLoader, anywidget.AnyWidget):
    """A widget with no view: its model's loader fetches the `stream` bundle into the page."""

    _esm = _STATIC / "boot.js"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(_view="", _bundles=hashes("stream"), **kwargs)
        self.listen()

    def _handle(self, content: dict[str, Any], _buffers: Any = None, _received: float = 0.0) -> None:
        self.answer_code_request(content)

    def __repr__(self) -> str:
        return "<axio_nb Prefetch>"
