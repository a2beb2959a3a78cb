"""Audio bytes: raw PCM16 (`audio/pcm;rate=24000`, as TTS and realtime stream it) wrapped as WAV."""

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


#: Sizes a streaming writer puts in a header before it knows the length.
_UNKNOWN = (0, 0xFFFFFFFF)


class AudioError(ValueError):
    """Audio bytes that are not what they claim; the message says what is wrong."""


def check_wav(data: bytes) -> tuple[int, int, float]:
    """(sample rate, channels, seconds) of a PCM WAV whose header tells the truth; AudioError otherwise.

    A header that claims more data than the file holds (a cut download, a recorder that died) would
    make a transcriber read past the end or reject the upload with an opaque error.
    """
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise AudioError("not a WAV file (no RIFF/WAVE header)")
    riff_size = int.from_bytes(data[4:8], "little")
    if riff_size not in _UNKNOWN and riff_size + 8 > len(data) + 1:  # one pad byte of slack
        raise AudioError(f"its header says {riff_size + 8} bytes but the file has {len(data)}: it is cut short")
    pos, fmt, seconds = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "little")
        if cid == b"data" and size in _UNKNOWN:  # a streamed WAV: the data runs to the end of the file
            size = len(data) - pos - 8
        body = data[pos + 8 : pos + 8 + size]
        if len(body) < size:
            raise AudioError(
                f"its {cid.decode('latin-1').strip()!r} chunk claims {size} bytes, the file holds {len(body)}"
            )
        if cid == b"fmt " and size >= 16:
            fmt = (
                int.from_bytes(body[2:4], "little"),
                int.from_bytes(body[4:8], "little"),
                int.from_bytes(body[14:16], "little"),
            )
        elif cid == b"data":
            if fmt is None:
                raise AudioError("its data comes before its format (fmt) chunk")
            channels, rate, bits = fmt
            if not channels or not rate or not bits:
                raise AudioError("its format chunk says 0 channels, 0 Hz or 0 bits")
            seconds = size / (rate * channels * bits / 8)
            return rate, channels, seconds
        pos += 8 + size + (size & 1)
    raise AudioError("it has no data chunk")
