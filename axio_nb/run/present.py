"""Where a turn is shown: a live view swapped for the static snapshot at the end, or (headless) the snapshot alone.

The swap is what makes a saved notebook readable with no kernel: a widget-view output whose model is
gone shows "Error displaying widget: model not found" in JupyterLab, whatever else the bundle holds.
nbval, papermill and `nbconvert --execute` cannot see updates (docs/facts.md#what-nbval-sees), so in static mode the
cell shows one final display, the same one the live cell ends with.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, Literal

from IPython.display import DisplayHandle, display

from ..render.snapshot import Snapshot
from ..stream.blocks import Op
from ..stream.transcript import Transcript

type Mode = Literal["live", "static"]


def default_mode() -> Mode:
    """$AXIO_NB_DISPLAY if set; else live in a kernel, static in terminal IPython (no widgets there)."""
    env = os.environ.get("AXIO_NB_DISPLAY", "").lower()
    if env in ("live", "static"):
        return env  # type: ignore[return-value]
    from IPython import get_ipython

    shell = get_ipython()
    return "live" if shell is not None and getattr(shell, "kernel", None) is not None else "static"


class Presenter:
    """Shows one transcript while it streams and leaves the snapshot behind."""

    def __init__(self, transcript: Transcript, *, mode: Mode, on_stop: Callable[[], None] | None = None) -> None:
        self.transcript = transcript
        self.mode = mode
        self.view: Any = None
        self._handle: DisplayHandle | None = None
        if mode == "live":
            from ..views.stream import StreamView

            self.view = StreamView(transcript, on_stop=on_stop)
            self._handle = display(self.view, display_id=True)

    def push(self, ops: Sequence[Op]) -> None:
        if self.view is not None:
            self.view.wire.push(ops)

    def finish(self) -> None:
        snapshot = Snapshot(self.transcript)
        if self.view is None:
            display(snapshot)
            return
        self.view.wire.close()
        assert self._handle is not None
        self._handle.update(snapshot)
