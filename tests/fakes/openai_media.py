"""OpenAI speech, transcription and embeddings, and ChatGPT's image endpoint, for the fake in openai_server.py.

Routes (docs/facts.md#what-the-media-fakes-must-speak), added with ``fake_openai(extra=[add_media_routes])``:

* ``POST /v1/audio/speech``: ``pcm`` streams `speech_pcm(input)` in `SPEECH_CHUNKS` pieces with a pause
  between them, so the kernel sees several chunks; ``mp3`` sends `speech_mp3(input)`, a real MP3 that
  PyAV encoded from the same tone, in three pieces. Other formats: HTTP 400.
* ``POST /v1/audio/transcriptions`` (multipart): answers ``{"text": heard(file bytes)}``, the file's length
  and SHA-256, so a test proves the exact bytes arrived.
* ``POST /v1/embeddings``: `embedding(text)` for each input, listed in reverse order with their indices
  (the client sorts them by index).
* ``POST /backend-api/codex/images/generations``: one PNG, `png(prompt)`, as ``b64_json``.

Every request is logged in `FakeOpenAI.requests`; uploaded bytes are logged as length and SHA-256.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import hashlib
import io
import json
import math
import struct
from typing import Any

from aiohttp import BodyPartReader, web

from .openai_server import FakeOpenAI, Request

#: OpenAI's PCM: 16-bit little-endian mono at 24 kHz.
RATE = 24000
#: 100 ms of PCM a chunk, five chunks: half a second of speech.
SPEECH_CHUNK = RATE // 10 * 2
SPEECH_CHUNKS = 5
#: Seconds between speech chunks: enough for each to reach the kernel on its own, and still fast.
SPEECH_PAUSE = 0.05
CODEX_IMAGES = "/backend-api/codex/images/generations"
EMBED_DIMS = 16


@functools.cache
def speech_pcm(text: str) -> bytes:
    """Half a second of a tone whose pitch depends on `text`: the "speech" the fake says for it."""
    pitch = 220 + sum(text.encode()) % 440
    samples = SPEECH_CHUNK * SPEECH_CHUNKS // 2
    return b"".join(struct.pack("<h", int(9000 * math.sin(2 * math.pi * pitch * i / RATE))) for i in range(samples))


@functools.cache
def speech_mp3(text: str) -> bytes:
    """`speech_pcm(text)` encoded as MP3 (MPEG-2 Layer III at 24 kHz) by PyAV's libmp3lame."""
    import av

    pcm = speech_pcm(text)
    out = io.BytesIO()
    with av.open(out, mode="w", format="mp3") as container:
        stream = container.add_stream("libmp3lame", rate=RATE)
        stream.layout = "mono"
        stream.bit_rate = 32_000
        frame = av.AudioFrame(format="s16", layout="mono", samples=len(pcm) // 2)
        frame.planes[0].update(pcm)
        frame.sample_rate = RATE
        frame.pts = 0
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    return out.getvalue()


def heard(audio: bytes) -> str:
    """The fake's transcript of an upload: what it received, exactly."""
    return f"received {len(audio)} bytes, sha256 {hashlib.sha256(audio).hexdigest()}"


def embedding(text: str) -> list[float]:
    """A unit vector from the words of `text` (hashed into `EMBED_DIMS` buckets): the same text, the same vector."""
    vector = [0.0] * EMBED_DIMS
    for word in text.lower().split():
        digest = hashlib.sha256(word.strip(".,!?").encode()).digest()
        vector[digest[0] % EMBED_DIMS] += 1.0 + digest[1] / 255
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]


@functools.cache
def png(prompt: str, size: tuple[int, int] = (64, 48)) -> bytes:
    """A small PNG whose colour depends on `prompt`."""
    from PIL import Image

    r, g, b = hashlib.sha256(prompt.encode()).digest()[:3]
    out = io.BytesIO()
    Image.new("RGB", size, (r, g, b)).save(out, format="PNG")
    return out.getvalue()


def log_request(fake: FakeOpenAI, request: web.Request, body: dict[str, Any], scenario: str) -> Request:
    entry = Request(request.path, dict(request.headers), body, scenario=scenario, query=dict(request.query))
    fake.requests.append(entry)
    return entry


async def json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def bad_request(message: str) -> web.Response:
    return web.json_response({"error": {"message": message, "type": "invalid_request_error"}}, status=400)


def add_media_routes(app: web.Application, fake: FakeOpenAI) -> None:
    async def speech(request: web.Request) -> web.StreamResponse:
        body = await json_body(request)
        fmt = str(body.get("response_format", ""))
        log_request(fake, request, body, f"speech-{fmt}")
        text = str(body.get("input", ""))
        if fmt == "pcm":
            data, size = speech_pcm(text), SPEECH_CHUNK
            content_type = "audio/pcm"
        elif fmt == "mp3":
            data = speech_mp3(text)
            size, content_type = -(-len(data) // 3), "audio/mpeg"
        else:
            return bad_request(f"the fake speaks pcm and mp3, not {fmt!r}")
        response = web.StreamResponse(headers={"Content-Type": content_type})
        await response.prepare(request)
        try:
            for start in range(0, len(data), size):
                if start:
                    await asyncio.sleep(SPEECH_PAUSE)
                await response.write(data[start : start + size])
            await response.write_eof()
        except ConnectionResetError:
            pass  # the client stopped listening (Stop, an interrupt)
        return response

    async def transcriptions(request: web.Request) -> web.Response:
        fields: dict[str, Any] = {}
        audio = b""
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            if part.filename is not None:
                audio = bytes(await part.read())
                fields[part.name or "file"] = {
                    "filename": part.filename,
                    "content_type": part.headers.get("Content-Type", ""),
                    "size": len(audio),
                    "sha256": hashlib.sha256(audio).hexdigest(),
                }
            else:
                fields[part.name or "?"] = await part.text()
        log_request(fake, request, fields, "transcription")
        if not audio:
            return bad_request("no file in the upload")
        return web.json_response({"text": heard(audio)})

    async def embeddings(request: web.Request) -> web.Response:
        body = await json_body(request)
        log_request(fake, request, body, "embeddings")
        texts = body.get("input")
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            return bad_request("input must be a list of strings")
        data = [{"object": "embedding", "index": i, "embedding": embedding(t)} for i, t in enumerate(texts)]
        usage = {"prompt_tokens": sum(len(t.split()) for t in texts), "total_tokens": 0}
        return web.json_response({"object": "list", "data": data[::-1], "model": body.get("model"), "usage": usage})

    async def codex_images(request: web.Request) -> web.Response:
        body = await json_body(request)
        log_request(fake, request, body, "chatgpt-image")
        prompt = body.get("prompt")
        if not isinstance(prompt, str) or not prompt:
            return bad_request("no prompt")
        return web.json_response({"created": 0, "data": [{"b64_json": base64.b64encode(png(prompt)).decode()}]})

    app.router.add_post("/v1/audio/speech", speech)
    app.router.add_post("/v1/audio/transcriptions", transcriptions)
    app.router.add_post("/v1/embeddings", embeddings)
    app.router.add_post(CODEX_IMAGES, codex_images)
