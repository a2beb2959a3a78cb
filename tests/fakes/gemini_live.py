"""A fake Gemini Live websocket on 127.0.0.1, for the real `GeminiLiveTransport` (docs/testing.md).

The transport is pointed at it with ``GEMINI_LIVE_URL=ws://127.0.0.1:P/live`` in the kernel's environment
and connects to ``{url}?key=K``. What the fake speaks (docs/testing.md, "What the realtime fakes must
speak"):

* the first message must be ``setup``: kept (`Connection.setup`) and answered with ``setupComplete``;
* ``realtimeInput.audio {data, mimeType}``: the decoded bytes and each chunk's MIME type are kept. The
  fake's VAD is always on (as the service's): a loud chunk after silence starts speech (and, during an
  answer, stops it: ``serverContent.interrupted``), a quiet one after speech ends the turn:
  ``serverContent.inputTranscription`` with how long the speech was at the chunk's own rate, then a reply;
* a reply: in a session whose setup declared tools, the first is a ``toolCall`` of the first one, then
  ``turnComplete``; the answer to its ``toolResponse`` (or to any other turn) is
  `FakeLive.answer_chunks` pieces of ``modelTurn`` audio (``inlineData`` ``audio/pcm;rate=24000``, 100 ms
  each, `voice(k)`) and ``outputTranscription``, `FakeLive.pace` seconds apart, then ``turnComplete`` with
  ``usageMetadata``;
* ``clientContent`` (a typed turn) is answered; ``audioStreamEnd`` ends speech in progress;
  ``activityEnd`` is only kept.

Only ``/live`` speaks; any other path refuses the handshake with HTTP 403, as a bad key does. The key
arrives in the query and is kept there for the tests, never printed.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .loopback import loud, serve, tone

OUT_RATE = 24000
OUT_MIME = "audio/pcm;rate=24000"
VOICE_CHUNK = OUT_RATE // 10
USAGE = {"promptTokenCount": 30, "responseTokenCount": 12}


def voice(k: int) -> bytes:
    """The k-th 100 ms of the fake's voice (24 kHz, a 523 Hz tone), seamless from chunk to chunk."""
    return tone(VOICE_CHUNK, k * VOICE_CHUNK, OUT_RATE, pitch=523.0)


def rate_of(mime: str) -> int:
    """The rate a ``realtimeInput.audio`` MIME type names; Gemini reads a bare ``audio/pcm`` as 16 kHz."""
    found = re.search(r"rate=(\d+)", mime)
    return int(found[1]) if found else 16000


@dataclass
class Connection:
    path: str
    query: dict[str, str] = field(repr=False)
    setup: dict[str, Any] = field(default_factory=dict)
    #: Every client message in order; an audio chunk's data is replaced by its length.
    messages: list[dict[str, Any]] = field(default_factory=list)
    audio: bytearray = field(default_factory=bytearray, repr=False)
    mime_types: list[str] = field(default_factory=list)
    voice_out: bytearray = field(default_factory=bytearray, repr=False)
    captions_out: list[str] = field(default_factory=list)
    heard: list[str] = field(default_factory=list)
    closed: bool = False

    def having(self, key: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if key in m]


@dataclass
class FakeLive:
    url: str = ""
    connections: list[Connection] = field(default_factory=list)
    pace: float = 0.01
    answer_chunks: int = 5

    @property
    def last(self) -> Connection:
        assert self.connections, "no client connected to the fake Gemini Live server"
        return self.connections[-1]


class _Peer:
    def __init__(self, fake: FakeLive, ws: web.WebSocketResponse, conn: Connection) -> None:
        self.fake, self.ws, self.conn = fake, ws, conn
        self.lock = asyncio.Lock()
        self.speaking = False
        self.speech_seconds = 0.0
        self.reply: asyncio.Task[None] | None = None
        self.tool_called = False
        self.tool_output: str | None = None
        self.voice_k = 0

    async def send(self, message: dict[str, Any]) -> None:
        async with self.lock:
            if not self.ws.closed:
                await self.ws.send_str(json.dumps(message))

    async def on_message(self, message: dict[str, Any]) -> None:
        audio = (message.get("realtimeInput") or {}).get("audio")
        if audio is not None:
            pcm, mime = base64.b64decode(audio["data"]), str(audio.get("mimeType", ""))
            self.conn.messages.append({"realtimeInput": {"audio": {"bytes": len(pcm), "mimeType": mime}}})
            self.conn.audio += pcm
            self.conn.mime_types.append(mime)
            await self.hear(pcm, rate_of(mime))
            return
        self.conn.messages.append(message)
        if "setup" in message:
            self.conn.setup = message["setup"]
            await self.send({"setupComplete": {}})
        elif "clientContent" in message:
            self.start_reply()
        elif (message.get("realtimeInput") or {}).get("audioStreamEnd") and self.speaking:
            await self.end_speech()
        elif "toolResponse" in message:
            responses = message["toolResponse"].get("functionResponses") or [{}]
            self.tool_output = str((responses[0].get("response") or {}).get("output", ""))
            self.start_reply()

    async def hear(self, pcm: bytes, rate: int) -> None:
        if loud(pcm):
            self.speech_seconds += len(pcm) / 2 / rate
            if not self.speaking:
                self.speaking = True
                if self.reply is not None and not self.reply.done():
                    self.reply.cancel()
                    await self.send({"serverContent": {"interrupted": True}})
        elif self.speaking:
            await self.end_speech()

    async def end_speech(self) -> None:
        self.speaking = False
        text, self.speech_seconds = f"I spoke for {self.speech_seconds:.2f} seconds.", 0.0
        self.conn.heard.append(text)
        await self.send({"serverContent": {"inputTranscription": {"text": text}}})
        self.start_reply()

    def start_reply(self) -> None:
        if self.reply is not None and not self.reply.done():
            return
        declared = [d for t in self.conn.setup.get("tools") or [] for d in t.get("functionDeclarations") or []]
        calling = bool(declared) and not self.tool_called
        self.reply = asyncio.ensure_future(self.call(declared[0]["name"]) if calling else self.answer())

    async def call(self, name: str) -> None:
        self.tool_called = True
        call = {"id": "fc_live_1", "name": name, "args": {"city": "Paris"}}
        await self.send({"toolCall": {"functionCalls": [call]}})
        await self.send({"serverContent": {"turnComplete": True}, "usageMetadata": USAGE})

    async def answer(self) -> None:
        text = f"The tool said: {self.tool_output}." if self.tool_output else "Hello from the fake live voice."
        self.tool_output = None
        n = self.fake.answer_chunks
        for i in range(n):
            pcm = voice(self.voice_k)
            self.voice_k += 1
            inline = {"inlineData": {"mimeType": OUT_MIME, "data": base64.b64encode(pcm).decode()}}
            await self.send({"serverContent": {"modelTurn": {"parts": [inline]}}})
            self.conn.voice_out += pcm
            piece = text[i * len(text) // n : (i + 1) * len(text) // n]
            await self.send({"serverContent": {"outputTranscription": {"text": piece}}})
            self.conn.captions_out.append(piece)
            await asyncio.sleep(self.fake.pace)
        await self.send({"serverContent": {"generationComplete": True}})
        await self.send({"serverContent": {"turnComplete": True}, "usageMetadata": USAGE})

    async def close(self) -> None:
        if self.reply is not None:
            self.reply.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.reply
        self.conn.closed = True


def make_app(fake: FakeLive) -> web.Application:
    async def live(request: web.Request) -> web.StreamResponse:
        if request.path != "/live":
            return web.json_response(
                {"error": {"code": 403, "message": "The caller does not have permission"}}, status=403
            )
        ws = web.WebSocketResponse(max_msg_size=16 * 2**20)
        await ws.prepare(request)
        conn = Connection(request.path, dict(request.query))
        fake.connections.append(conn)
        peer = _Peer(fake, ws, conn)
        try:
            async for msg in ws:
                if msg.type in (WSMsgType.TEXT, WSMsgType.BINARY):
                    data = msg.data if isinstance(msg.data, str) else msg.data.decode()
                    await peer.on_message(json.loads(data))
        finally:
            await peer.close()
        return ws

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", live)
    return app


@contextlib.contextmanager
def fake_gemini_live(pace: float = 0.01) -> Iterator[FakeLive]:
    """Serve the fake in a daemon thread; yields it, `url` set to ``ws://127.0.0.1:P/live``."""
    fake = FakeLive(pace=pace)
    with serve(lambda: make_app(fake), "fake-gemini-live") as port:
        fake.url = f"ws://127.0.0.1:{port}/live"
        yield fake
