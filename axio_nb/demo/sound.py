"""Demo sounds: WAV files whose character comes from the prompt (rain → filtered noise, otherwise a tune)."""

from __future__ import annotations

import array
import asyncio
import io
import math
import random
import sys
import wave
from collections.abc import Iterable
from typing import ClassVar, Final

from .samples import check_count, draw, pause, seed

#: What `generate_audios` returns (the protocol returns bare bytes): PCM16 mono WAV at RATE.
AUDIO_MEDIA_TYPE: Final = "audio/wav"
RATE: Final = 24_000
DEFAULT_SECONDS: Final = 3.0
MAX_SECONDS: Final = 10.0
MAX_AUDIOS: Final = 4
#: Words that pick a sound; the first kind whose word is in the prompt wins, a tune otherwise.
KINDS: Final = {
    "noise": ("rain", "wind", "ocean", "sea", "wave", "storm", "water", "stream", "static", "noise", "waterfall"),
    "drums": ("drum", "beat", "rhythm", "knock", "heartbeat", "footstep"),
    "bells": ("bell", "beep", "alarm", "chime", "ding", "notification"),
}
_PENTATONIC = (0, 2, 4, 7, 9)


def sound_kind(prompt: str) -> str:
    """ "noise", "drums", "bells" or "tune": what the prompt's words ask for."""
    low = prompt.lower()
    return next((kind for kind, words in KINDS.items() if any(word in low for word in words)), "tune")


def pcm16(samples: Iterable[float]) -> bytes:
    """Floats in -1..1 (clipped) as little-endian signed 16-bit PCM."""
    data = array.array("h", (max(-32767, min(32767, round(s * 32767))) for s in samples))
    if sys.byteorder == "big":
        data.byteswap()
    return data.tobytes()


def wav_bytes(pcm: bytes, rate: int = RATE, channels: int = 1) -> bytes:
    """PCM16 frames in a WAV container whose header holds their true length."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm)
    return out.getvalue()


def render_sound(prompt: str, *, index: int = 0, seconds: float = DEFAULT_SECONDS) -> bytes:
    """A WAV of `seconds` (0.5..10) whose kind follows the prompt and whose details follow (prompt, index)."""
    count = round(max(0.5, min(MAX_SECONDS, seconds)) * RATE)
    rng = random.Random(seed("sound", prompt, index))
    make = {"noise": _noise, "drums": _drums, "bells": _bells}.get(sound_kind(prompt), _tune)
    samples = make(rng, count)
    fade = min(count // 2, RATE // 50)
    for i in range(fade):
        samples[i] *= i / fade
        samples[count - 1 - i] *= i / fade
    gain = 0.8 / max(1e-9, max(map(abs, samples)))
    return wav_bytes(pcm16(s * gain for s in samples))


def _noise(rng: random.Random, count: int) -> list[float]:
    """Low-passed white noise swelling like surf, with drops ticking on top."""
    smooth = 0.05 + rng.random() * 0.25
    swell = 0.15 + rng.random() * 0.35
    drops = 4 + rng.randrange(20)
    level = 0.0
    out = [0.0] * count
    for i in range(count):
        level += smooth * (rng.uniform(-1, 1) - level)
        out[i] = level * (0.9 + 0.6 * math.sin(2 * math.pi * swell * i / RATE))
    for _ in range(drops * count // RATE):
        at = rng.randrange(count)
        pitch = rng.uniform(1500, 4000)
        for j in range(min(RATE // 50, count - at)):
            out[at + j] += 0.25 * math.exp(-j / 60) * math.sin(2 * math.pi * pitch * j / RATE)
    return out


def _drums(rng: random.Random, count: int) -> list[float]:
    """A kick drum (a falling sine) on a seeded pattern of sixteenths at 90..130 bpm."""
    step = RATE * 60 // rng.randrange(90, 131) // 4
    pattern = [rng.random() < 0.4 for _ in range(16)]
    pattern[0] = True
    out = [0.0] * count
    for n, at in enumerate(range(0, count, step)):
        if not pattern[n % 16]:
            continue
        phase = 0.0
        for j in range(min(RATE // 4, count - at)):
            phase += 2 * math.pi * (50 + 120 * math.exp(-j / 600)) / RATE
            out[at + j] += 0.8 * math.exp(-j / 2500) * math.sin(phase)
    return out


def _bells(rng: random.Random, count: int) -> list[float]:
    """Struck bells: inharmonic partials decaying at their own rates."""
    out = [0.0] * count
    strikes = 2 + rng.randrange(3)
    for k in range(strikes):
        at = k * count // strikes
        base = 440 * 2 ** (rng.randrange(-5, 8) / 12)
        for ratio, amp, decay in ((1.0, 0.5, 0.8), (2.76, 0.25, 0.4), (5.4, 0.12, 0.2)):
            w = 2 * math.pi * base * ratio / RATE
            tau = decay * RATE
            for j in range(count - at):
                out[at + j] += amp * math.exp(-j / tau) * math.sin(w * j)
    return out


def _tune(rng: random.Random, count: int) -> list[float]:
    """Eight notes of a seeded pentatonic tune, each a sine and its octave under a plucked envelope."""
    root = 220 * 2 ** (rng.randrange(12) / 12)
    notes = 8
    length = count // notes
    out = [0.0] * count
    for k in range(notes):
        semis = _PENTATONIC[rng.randrange(5)] + 12 * rng.randrange(2)
        w = 2 * math.pi * root * 2 ** (semis / 12) / RATE
        for j in range(length):
            env = min(1.0, j / 120) * math.exp(-3 * j / length)
            out[k * length + j] = env * (0.45 * math.sin(w * j) + 0.15 * math.sin(2 * w * j))
    return out


class DemoAudio:
    """`AudioGenTransport` for DemoTransport: WAV (PCM16 mono, 24 kHz) sounds made offline."""

    __slots__ = ()
    media_delay: float
    draws: dict[str, int]
    audio_media_type: ClassVar[str] = AUDIO_MEDIA_TYPE

    async def generate_audios(
        self, prompt: str, *, model: str | None = None, n: int = 1, duration_seconds: float = DEFAULT_SECONDS
    ) -> list[bytes]:
        """`n` different WAVs of `duration_seconds` (clamped 0.5..10); `sound_kind` says what the prompt picks."""
        count = check_count(n, MAX_AUDIOS)
        if isinstance(duration_seconds, bool) or not isinstance(duration_seconds, int | float):
            msg = f"duration_seconds must be a number of seconds; got {duration_seconds!r}"
            raise ValueError(msg)
        first = draw(self.draws, "audio", prompt, count)
        await pause(self.media_delay)
        return await asyncio.to_thread(
            lambda: [render_sound(prompt, index=first + i, seconds=duration_seconds) for i in range(count)]
        )
