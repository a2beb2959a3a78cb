"""Offline demo transports: everything in axio_nb runs with no API key."""

from __future__ import annotations

from .images import IMAGE_MEDIA_TYPE
from .sound import AUDIO_MEDIA_TYPE
from .speech import TTS_PCM_MEDIA_TYPE, DemoSTT, DemoTTS
from .text import long_markdown
from .transport import DEMO_MODELS, DemoTransport
from .video import VIDEO_MEDIA_TYPE

__all__ = [
    "AUDIO_MEDIA_TYPE",
    "DEMO_MODELS",
    "IMAGE_MEDIA_TYPE",
    "TTS_PCM_MEDIA_TYPE",
    "VIDEO_MEDIA_TYPE",
    "DemoSTT",
    "DemoTTS",
    "DemoTransport",
    "long_markdown",
]
