"""anywidget views: one class per widget, traits and assets only; behaviour lives in plain modules."""

from __future__ import annotations

from .stream import StreamView

__all__ = ["StreamView"]
