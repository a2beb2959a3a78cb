"""Audio bytes: raw PCM16 (`audio/pcm;rate=24000`, what TTS and realtime stream) wrapped as WAV for players and files."""

from __future__ import annotations

import io
import re
import wave

_RATE = re.compile(r"rate=(\d+)")
_CHANNELS = re.compile(r"channels=(\d+)")


def is_pcm(media_type: str) -> bool:
    return media_type.split(";", 1)[0].strip().lower() in ("audio/pcm", "audio/l16")


def pcm_format(media_type: str, default_rate: int = 24000) -> tuple[int, int]:
    """(sample rate, channels) named by a PCM media type's parameters (24 kHz mono unless it says)."""
    rate = _RATE.search(media_type)
    channels = _CHANNELS.search(media_type)
    return (int(rate.group(1)) if rate else default_rate, int(channels.group(1)) if channels else 1)


def pcm_to_wav(data: bytes | bytearray, rate: int, channels: int = 1) -> bytes:
    """Little-endian PCM16 samples as a WAV file (an odd trailing byte is dropped)."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(data[: len(data) - len(data) % (2 * channels)]))
    return buf.getvalue()


def playable(data: bytes | bytearray, media_type: str) -> tuple[bytes, str]:
    """Bytes and media type an `<audio>` element plays: PCM becomes WAV, anything else passes."""
    if is_pcm(media_type):
        rate, channels = pcm_format(media_type)
        return pcm_to_wav(data, rate, channels), "audio/wav"
    return bytes(data), media_type
