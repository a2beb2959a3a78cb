"""Speech in and out: `%%axio tts` streams `synthesize()` through the chat turn's path; `%axio stt` transcribes.

Speech classes are not the chat transports: packages declare them under `axio.transport.tts` and
`axio.transport.stt` (axio_nb/run/protocols.py). Such a class is made here with the settings
`%axio use NAME …` stored for that name (e.g. `base_url`), the kernel's one HTTP session, and the
call's own options (`response_format`, `model`, `speed`), whichever of them its constructor takes.
A chat transport that speaks the protocol itself (the demo) is used as it is.
"""

from __future__ import annotations

import dataclasses
import inspect
import os
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from axio import AudioOutputDelta, StreamEvent

from ..errors import AxioNbError, MissingCredentials
from ..media.audio import AudioError, check_wav, is_pcm, pcm_format, pcm_to_wav
from ..media.inputs import InputError, lookup_ref
from ..media.kinds import recognise
from ..stream.transcript import Transcript
from .media_result import MediaItem, MediaResult
from .present import Mode
from .protocols import protocol_table
from .transports import DEMO, Transports
from .turn import run_turn

#: What each `response_format` streams (PCM: OpenAI's, 16-bit little-endian mono at 24 kHz).
FORMATS: Final = {
    "pcm": "audio/pcm;rate=24000",
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "opus": "audio/ogg",
    "aac": "audio/aac",
    "flac": "audio/flac",
}


@dataclass(frozen=True, slots=True)
class SpeechOptions:
    transport: str | None = None
    model: str | None = None
    voice: str | None = None
    format: str = "pcm"
    speed: float | None = None
    out: str | None = None
    display: Mode | None = None


async def open_speech(transports: Transports, protocol: str, name: str | None, options: Mapping[str, Any]) -> Any:
    """An object speaking `protocol` ("tts", "stt" or "realtime") for transport `name` (default: the current one if it
    can, else the demo)."""
    table = protocol_table({n: e.cls for n, e in transports.catalog.entries.items()})
    able = sorted(n for n, row in table.items() if protocol in row.classes)
    picked = name or transports.default_name or os.environ.get("AXIO_NB_TRANSPORT") or DEMO
    if name is None and picked not in able:
        picked = DEMO if DEMO in able else (able[0] if able else picked)
    if picked not in table or protocol not in table[picked].classes:
        what = {
            "tts": "speak (text to speech)",
            "stt": "transcribe (speech to text)",
            "realtime": "hold a realtime voice session",
        }[protocol]
        known = (
            f"Transports that can: {', '.join(able)}; pick one with --transport." if able else "None installed can."
        )
        raise AxioNbError(f"Transport `{picked}` cannot {what}. {known}")
    cls = table[picked].classes[protocol]
    entry = transports.catalog.entries.get(picked)
    if entry is not None and entry.cls is cls:
        return await transports.open(picked)
    env_vars = getattr(cls, "env_vars", ())
    if env_vars and not any(os.environ.get(v) for v in env_vars):
        raise MissingCredentials(
            f"{' or '.join(env_vars)} is not set; `%env {env_vars[0]}=…` or use --transport demo."
        )
    wanted = {**transports.settings.get(picked, {}), **{k: v for k, v in options.items() if v is not None}}
    takes = _init_params(cls)
    kwargs = {k: v for k, v in wanted.items() if k in takes}
    if "session" in takes:
        kwargs["session"] = await transports.http_session()
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        raise AxioNbError(f"Transport `{picked}` ({protocol}) rejected its settings: {exc}.") from None


def _init_params(cls: Any) -> set[str]:
    if dataclasses.is_dataclass(cls):
        return {f.name for f in dataclasses.fields(cls) if f.init}
    try:
        return set(inspect.signature(cls).parameters)
    except (TypeError, ValueError):
        return set()


async def run_tts(
    transports: Transports,
    opts: SpeechOptions,
    text: str,
    default_mode: Callable[[], Mode],
    bind: Callable[[MediaResult], None] | None = None,
) -> MediaResult:
    """Stream `text` as speech: the cell plays it as it arrives and keeps a player of the whole clip."""
    if opts.format not in FORMATS:
        raise AxioNbError(f"--format {opts.format}: use one of {', '.join(FORMATS)}.")
    options = {"response_format": opts.format, "model": opts.model, "speed": opts.speed}
    speaker = await open_speech(transports, "tts", opts.transport, options)
    transcript = Transcript(transport=opts.transport or type(speaker).__name__)
    result = MediaResult(transcript)
    if bind is not None:
        bind(result)
    declared = getattr(speaker, "media_type", None) or FORMATS[opts.format]

    async def events() -> AsyncIterator[StreamEvent]:
        media_type: str | None = None
        parts: list[bytes] = []
        try:
            async for chunk in speaker.synthesize(text, voice=opts.voice):
                if not chunk:
                    continue
                if media_type is None:
                    media_type = _stream_type(chunk, declared)
                parts.append(chunk)
                yield AudioOutputDelta(data=chunk, media_type=media_type)
        finally:
            if parts and media_type is not None:
                result.add(MediaItem(0, b"".join(parts), media_type))

    await run_turn(events, transcript, mode=opts.display or default_mode(), result=result)
    return result


def _stream_type(first: bytes, declared: str) -> str:
    """What a speech stream is, from its first chunk: raw PCM cannot be sniffed (a sample of -1 looks like an
    MP3 frame header), so a stream declared PCM stays PCM unless it starts as a WAV file."""
    if is_pcm(declared):
        return "audio/wav" if recognise(first) == "audio/wav" else declared
    return recognise(first) or declared


def as_wav_if_pcm(data: bytes, media_type: str) -> tuple[bytes, str]:
    """Transcribers take files: raw PCM16 is wrapped as WAV (docs/design.md)."""
    if is_pcm(media_type):
        rate, channels = pcm_format(media_type, default_rate=16000)
        return pcm_to_wav(data, rate, channels), "audio/wav"
    return data, media_type


@dataclass(frozen=True, slots=True)
class SttOptions:
    transport: str | None = None
    model: str | None = None
    language: str | None = None
    rate: int = 16000
    out: str | None = None


def audio_input(source: str, namespace: Mapping[str, Any], rate: int) -> tuple[bytes, str]:
    """The audio `source` names (a path, or a variable: bytes, a numpy array of samples, a media item), as
    (bytes, media type); a WAV's header is checked; raw PCM and arrays become WAV."""
    value: Any
    try:
        found, value = lookup_ref(source, namespace, "%axio stt")
    except InputError as exc:
        raise AxioNbError(str(exc)) from None
    if not found:
        path = Path(source).expanduser()
        if not path.is_file():
            msg = f"{source}: no such file and no such variable; give a path, or a variable holding audio."
            raise AxioNbError(msg)
        value = path.read_bytes()
    if hasattr(value, "data") and hasattr(value, "media_type"):  # a MediaItem, an axio AudioBlock
        data, media_type = bytes(value.data), str(value.media_type)
    elif isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        media_type = recognise(data) or f"audio/pcm;rate={rate}"
    elif hasattr(value, "dtype") and hasattr(value, "tobytes"):  # numpy samples: float in -1..1, or int16
        data, media_type = _array_pcm(value), f"audio/pcm;rate={rate}"
    else:
        raise AxioNbError(f"{source}: a {type(value).__name__} is not audio; give a path, bytes or a numpy array.")
    data, media_type = as_wav_if_pcm(data, media_type)
    if media_type == "audio/wav":
        try:
            check_wav(data)
        except AudioError as exc:
            raise AxioNbError(f"{source}: not a usable WAV: {exc}.") from None
    if not media_type.startswith(("audio/", "video/")):
        raise AxioNbError(f"{source}: {media_type} is not audio.")
    return data, media_type


def _array_pcm(samples: Any) -> bytes:
    import numpy as np  # type: ignore[import-not-found,unused-ignore]

    arr = np.asarray(samples)
    if arr.ndim > 1:
        arr = arr.mean(axis=1) if arr.shape[1] <= 8 else arr.mean(axis=0)
    if arr.dtype.kind == "f":
        arr = (np.clip(arr, -1.0, 1.0) * 32767).round()
    return bytes(arr.astype("<i2").tobytes())


async def run_stt(transports: Transports, opts: SttOptions, data: bytes, media_type: str) -> str:
    options = {"model": opts.model, "language": opts.language}
    listener = await open_speech(transports, "stt", opts.transport, options)
    try:
        return str(await listener.transcribe(data, media_type))
    except Exception as exc:
        raise AxioNbError(f"Transcription failed: {' '.join(str(exc).split())[:300] or type(exc).__name__}") from None


async def record_in_browser(rate: int, max_seconds: float, mode: Mode, processing: bool = True) -> tuple[bytes, float]:
    """Show the recorder, wait for the user's recording, leave a player of it in the cell; (WAV, seconds).

    The widget is replaced by a static player once the recording is in: a saved notebook keeps what was
    said, and shows no "Error displaying widget" where the widget's model is gone.
    """
    if mode != "live":
        msg = "Recording needs a live notebook (the microphone is in the browser): pass a file or a variable."
        raise AxioNbError(msg)
    from IPython.display import display

    from ..views.recorder import RecorderView, RecordingFailed
    from .frontend import show_mic_notice

    show_mic_notice("stt")
    view = RecorderView(rate=rate, max_seconds=max_seconds, processing=processing)
    handle = display(view, display_id=True)  # type: ignore[no-untyped-call]
    try:
        pcm = await view.recording()
    except RecordingFailed as exc:
        if handle is not None:
            handle.update({"text/plain": f"Not recorded: {exc}"}, raw=True)
        raise AxioNbError(str(exc)) from None
    finally:
        view.close()
    wav = pcm_to_wav(pcm, view.recorded_rate)
    seconds = view.seconds
    if handle is not None:
        handle.update(recording_bundle(wav, seconds, view.recorded_rate), raw=True)
    return wav, seconds


def recording_bundle(wav: bytes, seconds: float, rate: int) -> dict[str, str]:
    import base64

    what = f"Recorded {seconds:.1f} s at {rate} Hz"
    uri = "data:audio/wav;base64," + base64.b64encode(wav).decode()
    html = f'<div class="axio-nb-recording"><audio controls src="{uri}"></audio> <span>{what}</span></div>'
    return {"text/html": html, "text/plain": what}
