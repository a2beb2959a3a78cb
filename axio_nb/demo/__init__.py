"""Offline demo transports: everything in axio_nb runs with no API key."""

from __future__ import annotations

from .text import long_markdown
from .transport import DEMO_MODELS, DemoTransport

__all__ = ["DEMO_MODELS", "DemoTransport", "long_markdown"]
