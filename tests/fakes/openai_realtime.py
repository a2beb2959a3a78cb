"""A fake OpenAI Realtime websocket on 127.0.0.1, for the real `OpenAIRealtimeTransport` (docs/testing.md).

The transport is pointed at it with ``OPENAI_REALTIME_URL=ws://127.0.0.1:P/v1/realtime`` in the kernel's
environment; it connects to ``?model=…`` with the key as a bearer header. What the fake speaks
(docs/testing.md, "What the realtime fakes must speak"):

* on connect, ``session.created``; ``session.update`` is kept (`Connection.session`) and answered with
  ``session.updated``;
* ``input_audio_buffer.append``: the decoded bytes are kept (`Connection.audio`). When the session asked
  for server VAD (``turn_detection``), a loud chunk after silence is ``input_audio_buffer.speech_started``
  and a quiet one after speech ends the turn: ``speech_stopped``, ``committed``, ``conversation.item.added``,
  the user's transcript when the session asked for one (two deltas, then ``completed`` with one more word),
  then a response if ``create_response``. Speech that starts during a response cancels it only if the
  session asked for ``interrupt_response``, as the real server does;
* a response: the first one of a session with tools is a call of its first tool (``output_item.added``,
  arguments in two deltas, ``response.done`` with the ``function_call`` in ``output``); any other is
  `FakeRealtime.answer_chunks` pieces of caption (``response.output_audio_transcript.delta``) and 100 ms
  of voice (``response.output_audio.delta``, `voice(k)`), `FakeRealtime.pace` seconds apart, then
  ``response.done``. An answer after a ``function_call_output`` quotes it;
* ``response.create`` starts a response; ``response.cancel`` cancels the one in flight
  (``response.done`` with status ``cancelled``), or is refused with ``response_cancel_not_active`` as the
  real API does when none is;
* ``conversation.item.create`` (a typed message or a function call's output) is answered with
  ``conversation.item.added``; ``input_audio_buffer.commit`` with ``committed``.

Every client event is kept in order (`Connection.events`; an append's audio is replaced by its length).
The bearer header is kept for the tests, never printed.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .loopback import loud, serve, tone

RATE = 24000
#: 100 ms of the fake's voice per audio delta.
VOICE_CHUNK = RATE // 10
TOOL_ARGS = ['{"city": "Pa', 'ris"}']
USAGE = {"input_tokens": 120, "output_tokens": 15, "input_token_details": {"cached_tokens": 64}}


def voice(k: int) -> bytes:
    """The k-th 100 ms of the fake's voice: a 440 Hz tone, seamless from chunk to chunk."""
    return tone(VOICE_CHUNK, k * VOICE_CHUNK, RATE, pitch=440.0)


def user_caption(seconds: float) -> tuple[list[str], str]:
    """The user's transcript of `seconds` of speech: its deltas, and the completed text (one word more)."""
    deltas = ["I spoke for ", f"{seconds:.2f} seconds"]
    return deltas, "".join(deltas) + " today."


@dataclass
class Connection:
    """One websocket: what the client sent, and what the fake sent back that the tests compare."""

    path: str
    query: dict[str, str]
    headers: dict[str, str] = field(repr=False)
    session: dict[str, Any] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    audio: bytearray = field(default_factory=bytearray, repr=False)
    voice_out: bytearray = field(default_factory=bytearray, repr=False)
    captions_out: list[str] = field(default_factory=list)
    closed: bool = False

    def sent(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e.get("type") == kind]

    @property
    def types(self) -> list[str]:
        return [str(e.get("type")) for e in self.events]


@dataclass
class FakeRealtime:
    url: str = ""
    connections: list[Connection] = field(default_factory=list)
    #: Seconds between the pieces of an answer, and how many pieces (each 100 ms of voice) it has.
    pace: float = 0.01
    answer_chunks: int = 5

    @property
    def last(self) -> Connection:
        assert self.connections, "no client connected to the fake OpenAI Realtime server"
        return self.connections[-1]


class _Peer:
    """The server side of one connection."""

    def __init__(self, fake: FakeRealtime, ws: web.WebSocketResponse, conn: Connection) -> None:
        self.fake, self.ws, self.conn = fake, ws, conn
        self.lock = asyncio.Lock()
        self.speaking = False
        self.speech_bytes = 0
        self.response: asyncio.Task[None] | None = None
        self.responses = 0
        self.tool_called = False
        self.tool_output: str | None = None
        self.voice_k = 0

    async def send(self, event: dict[str, Any]) -> None:
        async with self.lock:
            if not self.ws.closed:
                await self.ws.send_str(json.dumps(event))

    @property
    def vad(self) -> dict[str, Any] | None:
        detection = self.conn.session.get("audio", {}).get("input", {}).get("turn_detection")
        return detection if isinstance(detection, dict) else None

    async def on_event(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        if kind == "input_audio_buffer.append":
            pcm = base64.b64decode(event["audio"])
            self.conn.events.append({"type": kind, "bytes": len(pcm)})
            self.conn.audio += pcm
            await self.hear(pcm)
            return
        self.conn.events.append(event)
        match kind:
            case "session.update":
                self.conn.session = event.get("session") or {}
                await self.send({"type": "session.updated", "session": self.conn.session})
            case "conversation.item.create":
                item = event.get("item") or {}
                if item.get("type") == "function_call_output":
                    self.tool_output = str(item.get("output", ""))
                await self.send({"type": "conversation.item.added", "item": item})
            case "input_audio_buffer.commit":
                await self.send({"type": "input_audio_buffer.committed", "item_id": "item_commit"})
            case "response.create":
                self.start_response()
            case "response.cancel":
                if self.response is not None and not self.response.done():
                    await self.cancel_response()
                else:
                    error = {"type": "invalid_request_error", "code": "response_cancel_not_active"}
                    error["message"] = "Cancellation failed: no active response found"
                    await self.send({"type": "error", "error": error})
            case _:
                pass

    async def hear(self, pcm: bytes) -> None:
        vad = self.vad
        if vad is None:
            return
        if loud(pcm):
            self.speech_bytes += len(pcm)
            if not self.speaking:
                self.speaking = True
                await self.send({"type": "input_audio_buffer.speech_started", "item_id": "item_user"})
                if vad.get("interrupt_response") and self.response is not None and not self.response.done():
                    await self.cancel_response()
            return
        if not self.speaking:
            return
        self.speaking = False
        seconds, self.speech_bytes = self.speech_bytes / 2 / RATE, 0
        await self.send({"type": "input_audio_buffer.speech_stopped", "item_id": "item_user"})
        await self.send({"type": "input_audio_buffer.committed", "item_id": "item_user"})
        await self.send({"type": "conversation.item.added", "item": {"id": "item_user", "type": "message"}})
        if self.conn.session.get("audio", {}).get("input", {}).get("transcription"):
            deltas, whole = user_caption(seconds)
            for d in deltas:
                event = {"item_id": "item_user", "content_index": 0, "delta": d}
                await self.send({"type": "conversation.item.input_audio_transcription.delta", **event})
            done = {"item_id": "item_user", "content_index": 0, "transcript": whole}
            await self.send({"type": "conversation.item.input_audio_transcription.completed", **done})
        if vad.get("create_response", True):
            self.start_response()

    def start_response(self) -> None:
        if self.response is not None and not self.response.done():
            return  # one response at a time, as the API
        self.responses += 1
        tools = self.conn.session.get("tools") or []
        calling = bool(tools) and not self.tool_called
        self.response = asyncio.ensure_future(self.call(tools[0]["name"]) if calling else self.answer())

    async def call(self, name: str) -> None:
        self.tool_called = True
        rid, call_id = f"resp_{self.responses}", "call_rt_1"
        await self.send({"type": "response.created", "response": {"id": rid, "status": "in_progress"}})
        item = {"id": "item_call", "type": "function_call", "call_id": call_id, "name": name, "arguments": ""}
        await self.send({"type": "response.output_item.added", "output_index": 0, "item": item})
        for part in TOOL_ARGS:
            await self.send({"type": "response.function_call_arguments.delta", "call_id": call_id, "delta": part})
        args = "".join(TOOL_ARGS)
        await self.send({"type": "response.function_call_arguments.done", "call_id": call_id, "arguments": args})
        output = [{**item, "arguments": args, "status": "completed"}]
        done = {"id": rid, "status": "completed", "output": output, "usage": USAGE}
        await self.send({"type": "response.done", "response": done})

    async def answer(self) -> None:
        rid = f"resp_{self.responses}"
        text = f"The tool said: {self.tool_output}." if self.tool_output else "Hello from the fake realtime voice."
        self.tool_output = None
        n = self.fake.answer_chunks
        pieces = [text[i * len(text) // n : (i + 1) * len(text) // n] for i in range(n)]
        await self.send({"type": "response.created", "response": {"id": rid, "status": "in_progress"}})
        for piece in pieces:
            await self.send({"type": "response.output_audio_transcript.delta", "response_id": rid, "delta": piece})
            self.conn.captions_out.append(piece)
            pcm = voice(self.voice_k)
            self.voice_k += 1
            await self.send({"type": "response.output_audio.delta", "response_id": rid, "delta": _b64(pcm)})
            self.conn.voice_out += pcm
            await asyncio.sleep(self.fake.pace)
        await self.send({"type": "response.output_audio.done", "response_id": rid})
        await self.send({"type": "response.output_audio_transcript.done", "response_id": rid, "transcript": text})
        output = [{"id": "item_answer", "type": "message", "role": "assistant"}]
        done = {"id": rid, "status": "completed", "output": output, "usage": USAGE}
        await self.send({"type": "response.done", "response": done})

    async def cancel_response(self) -> None:
        assert self.response is not None
        self.response.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.response
        done = {"id": f"resp_{self.responses}", "status": "cancelled", "output": [], "usage": USAGE}
        done["status_details"] = {"type": "cancelled", "reason": "client_cancelled"}
        await self.send({"type": "response.done", "response": done})

    async def close(self) -> None:
        if self.response is not None:
            self.response.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.response
        self.conn.closed = True


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def make_app(fake: FakeRealtime) -> web.Application:
    async def realtime(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=16 * 2**20)
        await ws.prepare(request)
        conn = Connection(request.path, dict(request.query), dict(request.headers))
        fake.connections.append(conn)
        peer = _Peer(fake, ws, conn)
        await peer.send({"type": "session.created", "session": {"id": f"sess_{len(fake.connections)}"}})
        try:
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await peer.on_event(json.loads(msg.data))
        finally:
            await peer.close()
        return ws

    async def refuse(_request: web.Request) -> web.Response:
        return web.json_response({"error": {"message": "no realtime here", "type": "not_found"}}, status=404)

    app = web.Application()
    app.router.add_get("/v1/realtime", realtime)
    app.router.add_route("*", "/{tail:.*}", refuse)
    return app


@contextlib.contextmanager
def fake_openai_realtime(pace: float = 0.01) -> Iterator[FakeRealtime]:
    """Serve the fake in a daemon thread; yields it, `url` set to ``ws://127.0.0.1:P/v1/realtime``."""
    fake = FakeRealtime(pace=pace)
    with serve(lambda: make_app(fake), "fake-openai-realtime") as port:
        fake.url = f"ws://127.0.0.1:{port}/v1/realtime"
        yield fake
