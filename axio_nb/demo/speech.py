"""Demo speech: a humming "voice" streamed as PCM16 (DemoTTS), and a transcriber that measures audio (DemoSTT)."""

from __future__ import annotations

import array
import io
import math
import struct
import sys
import wave
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, Literal

from .samples import pause, seed
from .sound import pcm16

#: TTS output: signed 16-bit little-endian mono at 24 kHz, as OpenAI's `pcm` speech format.
TTS_RATE: Final = 24_000
TTS_PCM_MEDIA_TYPE: Final = f"audio/pcm;rate={TTS_RATE}"
#: Each character of the text lasts this long; the voice stops at MAX_SPEECH_SECONDS.
MS_PER_CHAR: Final = 60
MAX_SPEECH_SECONDS: Final = 20
WAV_TYPES: Final = frozenset({"audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave"})
PCM_TYPES: Final = frozenset({"audio/pcm"})
#: (F1, F2) in Hz of the vowels the voice shapes; other letters get a neutral vowel, spaces and marks silence.
_FORMANTS: Final = {
    "a": (730, 1090),
    "e": (530, 1840),
    "i": (270, 2290),
    "o": (570, 840),
    "u": (300, 870),
    "y": (300, 2000),
}
_HISS: Final = frozenset("szfhxcjt")
_TABLE: Final = 512


def voice_pitch(voice: str) -> float:
    """The voice's fundamental in Hz, 90..240, from a hash of its name: each voice has its own pitch."""
    return 90.0 + seed("voice", voice) % 151


def speech_frames(text: str) -> int:
    """How many samples the voice speaks for `text`: MS_PER_CHAR per character, at most MAX_SPEECH_SECONDS."""
    return min(len(text) * TTS_RATE * MS_PER_CHAR // 1000, MAX_SPEECH_SECONDS * TTS_RATE)


def _wavetable(char: str, pitch: float) -> list[float]:
    """One period of a vowel at `pitch`: harmonics weighted by their distance from the vowel's formants."""
    f1, f2 = _FORMANTS.get(char, (500, 1500))
    harmonics = [k for k in range(1, 20) if k * pitch < 4000]
    weights = [1 / (1 + ((k * pitch - f1) / 90) ** 2) + 0.6 / (1 + ((k * pitch - f2) / 120) ** 2) for k in harmonics]
    total = sum(weights)
    return [
        sum(w * math.sin(2 * math.pi * k * i / _TABLE) for k, w in zip(harmonics, weights, strict=True)) / total
        for i in range(_TABLE)
    ]


class _Voice:
    """Samples of the voice by index, so a stream makes each chunk only when it sends it."""

    def __init__(self, text: str, voice: str) -> None:
        self.text = text.lower()
        self.pitch = voice_pitch(voice)
        self.per_char = TTS_RATE * MS_PER_CHAR // 1000
        self.phase = 0.0
        self.tables: dict[str, list[float]] = {}

    def samples(self, start: int, stop: int) -> list[float]:
        out = [0.0] * (stop - start)
        for n in range(start, stop):
            index, at = divmod(n, self.per_char)
            char = self.text[index]
            # A pitch that falls over every 12 characters and wavers a little: less of a drone.
            pitch = self.pitch * (1.1 - 0.2 * (index % 12) / 12 + 0.03 * math.sin(index))
            self.phase = (self.phase + pitch / TTS_RATE) % 1.0
            edge = min(1.0, at / 120, (self.per_char - at) / 120)
            if char in _HISS:
                out[n - start] = 0.15 * edge * _hiss(n)
            elif char.isalnum():
                if char not in self.tables:
                    self.tables[char] = _wavetable(char, self.pitch)
                table = self.tables[char]
                pos = self.phase * _TABLE
                i = int(pos)
                value = table[i] + (table[(i + 1) % _TABLE] - table[i]) * (pos - i)
                out[n - start] = (0.6 if char in _FORMANTS else 0.35) * edge * value
        return out


def _hiss(n: int) -> float:
    """White noise in -1..1 as a pure function of the sample's index (a 32-bit integer hash)."""
    x = (n * 0x9E3779B1) & 0xFFFFFFFF
    x ^= x >> 15
    x = (x * 0x85EBCA77) & 0xFFFFFFFF
    x ^= x >> 13
    return x / 0x80000000 - 1.0


def wav_header(frames: int, rate: int = TTS_RATE) -> bytes:
    """The 44-byte header of a PCM16 mono WAV of `frames` samples: a stream can send it first, sizes true."""
    data = frames * 2
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + data, b"WAVE", b"fmt ", 16, 1, 1, rate, rate * 2, 2, 16, b"data", data
    )


@dataclass(slots=True)
class DemoTTS:
    """`TTSTransport` offline: a hummed voice, MS_PER_CHAR per character (at most MAX_SPEECH_SECONDS).

    `synthesize` yields chunks of `chunk_ms` of PCM16 mono at 24 kHz, with `delay` seconds between them,
    so a player can be seen to start before the last chunk arrives. `response_format="wav"` sends a WAV
    header (with the final sizes) before the first samples. `voice` changes the pitch (`voice_pitch`).
    """

    display_name: ClassVar[str] = "Demo speech (offline)"

    session: Any = field(default=None, repr=False, compare=False)
    voice: str = "demo"
    response_format: Literal["pcm", "wav"] = "pcm"
    chunk_ms: int = 100
    delay: float = 0.05

    @property
    def media_type(self) -> str:
        return "audio/wav" if self.response_format == "wav" else TTS_PCM_MEDIA_TYPE

    async def synthesize(self, text: str, *, voice: str | None = None) -> AsyncIterator[bytes]:
        if not text.strip():
            msg = "synthesize needs some text to speak; got an empty string"
            raise ValueError(msg)
        if self.response_format not in ("pcm", "wav"):
            msg = f"response_format must be 'pcm' or 'wav'; got {self.response_format!r}"
            raise ValueError(msg)
        if not 10 <= self.chunk_ms <= 1000:
            msg = f"chunk_ms must be 10 to 1000 milliseconds; got {self.chunk_ms!r}"
            raise ValueError(msg)
        frames = speech_frames(text)
        speaker = _Voice(text, voice or self.voice)
        step = TTS_RATE * self.chunk_ms // 1000
        head = wav_header(frames) if self.response_format == "wav" else b""
        for start in range(0, frames, step):
            if start:
                await pause(self.delay)
            yield head + pcm16(speaker.samples(start, min(frames, start + step)))
            head = b""


@dataclass(frozen=True, slots=True)
class AudioStats:
    """What DemoSTT measures. `rms_dbfs` is 20·log10(√(Σs²/N) / 32768) over all N PCM16 samples of all
    channels (a full-scale square wave is 0 dBFS, a full-scale sine −3.01; silence is −inf)."""

    seconds: float
    rms_dbfs: float
    rate: int
    channels: int

    def describe(self) -> str:
        layout = {1: "mono", 2: "stereo"}.get(self.channels, f"{self.channels} channels")
        return (
            f"[demo transcript] {self.seconds:.2f} s of audio, RMS {self.rms_dbfs:.1f} dBFS, {self.rate} Hz {layout}"
        )


def measure(audio: bytes, media_type: str = "audio/wav") -> AudioStats:
    """Duration (frames / rate) and RMS level of a PCM16 WAV, or of raw PCM16 (`audio/pcm;rate=16000`)."""
    if not audio:
        msg = "the audio is empty (0 bytes)"
        raise ValueError(msg)
    mime, _, params = media_type.partition(";")
    mime = mime.strip().lower()
    if mime in WAV_TYPES:
        pcm, rate, channels = read_wav(audio)
    elif mime in PCM_TYPES:
        rate, channels = _pcm_params(media_type, params)
        if len(audio) % (2 * channels):
            msg = f"raw PCM16 with {channels} channel(s) comes in {2 * channels}-byte frames; got {len(audio)} bytes"
            raise ValueError(msg)
        pcm = audio
    else:
        supported = ", ".join(sorted(WAV_TYPES)) + ", audio/pcm;rate=N[;channels=C]"
        msg = f"the demo transcriber reads {supported}; got {media_type!r}"
        raise ValueError(msg)
    samples = array.array("h", pcm)
    if sys.byteorder == "big":
        samples.byteswap()
    power = math.fsum(s * s for s in samples) / len(samples)
    rms_dbfs = 20 * math.log10(math.sqrt(power) / 32768) if power else -math.inf
    return AudioStats(len(samples) / channels / rate, rms_dbfs, rate, channels)


def read_wav(data: bytes) -> tuple[bytes, int, int]:
    """(PCM16 frames, rate, channels) of a WAV whose chunk sizes add up to the file's length.

    Python's `wave` reads a truncated file (or a header written before the recording's end) as if it were
    whole, returning fewer frames than it announces; the RIFF and chunk sizes are checked first for that.
    """
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        msg = f"not a WAV file: it starts {data[:12]!r}, not RIFF…WAVE; raw samples need media_type='audio/pcm;rate=N'"
        raise ValueError(msg)
    declared = int.from_bytes(data[4:8], "little") + 8
    if declared != len(data):
        msg = f"WAV header says the file is {declared} bytes but it is {len(data)}: it is cut short or its header lies"
        raise ValueError(msg)
    pos = 12
    while pos + 8 <= len(data):
        name, size = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "little")
        if not all(32 <= byte < 127 for byte in name):
            msg = f"WAV has no chunk header at byte {pos}: the size of the chunk before it is wrong"
            raise ValueError(msg)
        if pos + 8 + size > len(data):
            held, label = len(data) - pos - 8, name.decode("latin-1")
            msg = f"WAV chunk {label!r} says it holds {size} bytes but {held} follow: cut short or lying"
            raise ValueError(msg)
        pos += 8 + size + (size & 1)
    if pos < len(data):
        msg = f"WAV ends in {len(data) - pos} bytes that are no chunk: its chunk sizes do not add up to its length"
        raise ValueError(msg)
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            width, rate, channels, frames = (
                wav.getsampwidth(),
                wav.getframerate(),
                wav.getnchannels(),
                wav.getnframes(),
            )
            pcm = wav.readframes(frames)
    except (wave.Error, EOFError) as exc:
        msg = f"not a WAV file Python's wave module reads: {exc}"
        raise ValueError(msg) from exc
    if width != 2:
        msg = f"the WAV holds {8 * width}-bit samples; the demo transcriber reads 16-bit PCM only"
        raise ValueError(msg)
    if not frames:
        msg = "the WAV holds no samples"
        raise ValueError(msg)
    if len(pcm) != frames * width * channels:
        msg = f"the WAV announces {frames} frames but holds {len(pcm) // (width * channels)}"
        raise ValueError(msg)
    return pcm, rate, channels


def _pcm_params(media_type: str, params: str) -> tuple[int, int]:
    values = dict(part.strip().lower().partition("=")[::2] for part in params.split(";") if part.strip())
    try:
        rate, channels = int(values["rate"]), int(values.get("channels", "1"))
    except (KeyError, ValueError):
        msg = f"raw PCM16 needs its sample rate, e.g. media_type='audio/pcm;rate=16000'; got {media_type!r}"
        raise ValueError(msg) from None
    if not (1000 <= rate <= 384_000 and 1 <= channels <= 8):
        msg = f"rate must be 1000..384000 Hz and channels 1..8; got {media_type!r}"
        raise ValueError(msg)
    return rate, channels


@dataclass(slots=True)
class DemoSTT:
    """`STTTransport` offline: no words, but an exact measure of the audio (see `AudioStats`).

    Reads PCM16 WAV (`audio/wav`) and raw little-endian PCM16 (`audio/pcm;rate=16000[;channels=1]`).
    """

    display_name: ClassVar[str] = "Demo transcriber (offline)"

    session: Any = field(default=None, repr=False, compare=False)
    delay: float = 0.0

    async def transcribe(self, audio: bytes, media_type: str = "audio/wav") -> str:
        """ "[demo transcript] 2.41 s of audio, RMS -18.3 dBFS, 16000 Hz mono" for the audio given."""
        stats = measure(audio, media_type)
        await pause(self.delay)
        return stats.describe()
