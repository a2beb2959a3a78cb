"""A fake Gemini Developer API (chat, images and Veo) for the real `axio_transport_google.GoogleTransport`.

The transport has no base-URL setting: its host is the module constant `_DEVELOPER_API_BASE`, which a
test patches to ``{root}/v1beta`` inside the kernel (docs/facts.md#what-the-media-fakes-must-speak).
Added to the fake in openai_server.py with ``fake_openai(extra=[add_google_routes])``, it answers:

* ``GET /v1beta/models``: `MODELS` (the transport fetches its catalog when it is opened);
* ``POST /v1beta/models/{m}:streamGenerateContent?alt=sse``: a streamed chat answer, `CHAT_PIECES` as
  ``data: {json}`` events of ``candidates[0].content.parts[].text``, the last with ``finishReason: STOP``
  and `CHAT_USAGE` as ``usageMetadata`` (the client fails a stream that ends without a finishReason); a
  prompt containing ``http400`` gets Google's error body with HTTP 400 instead;
* ``POST /v1beta/models/{m}:generateContent``: a text part and an ``inlineData`` PNG, `png(prompt)`; a
  prompt containing ``http400`` gets Google's error body with HTTP 400 instead;
* ``POST /v1beta/models/{m}:predictLongRunning``: an operation that is not done yet;
* ``GET /v1beta/models/{m}/operations/{id}``: the operation, done once `VEO_PENDING_POLLS` polls have
  said "still running", holding `render_video(prompt, …)` (the demo's WebM) as base64. The client waits
  5 s before each poll.

The key arrives as ``?key=`` and is logged with the query, never printed.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .openai_media import bad_request, json_body, log_request, png
from .openai_server import FakeOpenAI

MODELS = [
    {"name": "models/gemini-fake-image", "supportedGenerationMethods": ["generateContent"]},
    {"name": "models/gemini-fake-001", "supportedGenerationMethods": ["generateContent", "countTokens"]},
]
#: The chat answer's text, one SSE event a piece: "".join(CHAT_PIECES) is what the cell shows.
CHAT_PIECES = ["Plain Gemini answer ", "from the loopback fake, ", "in three pieces."]
CHAT_ANSWER = "".join(CHAT_PIECES)
#: The final chunk's usageMetadata (totalTokenCount is the sum the client checks).
CHAT_USAGE = {"promptTokenCount": 9, "candidatesTokenCount": 11, "totalTokenCount": 20}
#: Seconds between the chat answer's events.
CHAT_PACE = 0.005
#: Polls answered "still running" before the one that is done. The start is never done, so with none the
#: client's wait-and-poll (5 s) runs exactly once.
VEO_PENDING_POLLS = 0


@functools.cache
def video(prompt: str, duration: int | None, aspect: str | None) -> bytes:
    """The demo transport's WebM for `prompt` (axio_nb/demo/video.py): real VP8 that a browser plays."""
    from axio_nb.demo.video import render_video

    return render_video(prompt, duration_seconds=duration, aspect_ratio=aspect)


@dataclass
class Operation:
    prompt: str
    duration: int | None
    aspect: str | None
    polls: int = 0


@dataclass
class Operations:
    by_id: dict[str, Operation] = field(default_factory=dict)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))


def _operation(model: str, op_id: str, op: Operation) -> dict[str, Any]:
    name = f"models/{model}/operations/{op_id}"
    if op.polls <= VEO_PENDING_POLLS:
        return {"name": name, "done": False, "metadata": {"polls": op.polls}}
    data = base64.b64encode(video(op.prompt, op.duration, op.aspect)).decode()
    sample = {"video": {"bytesBase64Encoded": data, "mimeType": "video/webm"}}
    return {"name": name, "done": True, "response": {"generateVideoResponse": {"generatedSamples": [sample]}}}


def _chat_chunks(model: str) -> list[dict[str, Any]]:
    """The streamGenerateContent events of one answer: a text part each, the last one finished, with usage."""
    chunks: list[dict[str, Any]] = []
    for i, piece in enumerate(CHAT_PIECES):
        candidate: dict[str, Any] = {"content": {"role": "model", "parts": [{"text": piece}]}, "index": 0}
        chunk: dict[str, Any] = {"candidates": [candidate], "modelVersion": model, "responseId": "resp-fake"}
        if i == len(CHAT_PIECES) - 1:
            candidate["finishReason"] = "STOP"
            chunk["usageMetadata"] = CHAT_USAGE
        chunks.append(chunk)
    return chunks


def add_google_routes(app: web.Application, fake: FakeOpenAI) -> None:
    operations = Operations()

    async def stream_chat(request: web.Request, model: str, body: dict[str, Any]) -> web.StreamResponse:
        log_request(fake, request, body, "gemini-chat")
        parts = [p for c in body.get("contents", []) if c.get("role") == "user" for p in c.get("parts", [])]
        if not parts:
            return bad_request("no user turn")
        if "http400" in str(parts[-1].get("text", "")):
            error = {"code": 400, "message": "The fake refuses this prompt.", "status": "INVALID_ARGUMENT"}
            return web.json_response({"error": error}, status=400)
        if request.query.get("alt") != "sse":
            return bad_request("the fake streams only as SSE (?alt=sse)")
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        try:
            await response.prepare(request)
            for chunk in _chat_chunks(model):
                await response.write(f"data: {json.dumps(chunk)}\r\n\r\n".encode())
                await asyncio.sleep(CHAT_PACE)
            await response.write_eof()
        except ConnectionResetError:
            pass  # the client stopped listening
        return response

    async def models(request: web.Request) -> web.Response:
        log_request(fake, request, {}, "gemini-models")
        return web.json_response({"models": MODELS})

    async def model_call(request: web.Request) -> web.StreamResponse:
        path = request.match_info["tail"]
        model, _, method = path.partition(":")
        body = await json_body(request)
        if method == "streamGenerateContent":
            return await stream_chat(request, model, body)
        if method == "generateContent":
            log_request(fake, request, body, "gemini-image")
            parts = [p for c in body.get("contents", []) for p in c.get("parts", [])]
            prompt = "".join(str(p.get("text", "")) for p in parts)
            if not prompt:
                return bad_request("no prompt")
            if "http400" in prompt:
                error = {"code": 400, "message": "The fake refuses this prompt.", "status": "INVALID_ARGUMENT"}
                return web.json_response({"error": error}, status=400)
            image = {"inlineData": {"mimeType": "image/png", "data": base64.b64encode(png(prompt)).decode()}}
            candidate = {"content": {"role": "model", "parts": [{"text": "Here it is."}, image]}}
            return web.json_response({"candidates": [{**candidate, "finishReason": "STOP"}]})
        if method == "predictLongRunning":
            log_request(fake, request, body, "veo-start")
            instances, params = body.get("instances") or [{}], body.get("parameters") or {}
            prompt = str(instances[0].get("prompt", ""))
            if not prompt:
                return bad_request("no prompt")
            op_id = f"op-{next(operations.ids)}"
            op = Operation(prompt, params.get("durationSeconds"), params.get("aspectRatio"))
            operations.by_id[op_id] = op
            return web.json_response(_operation(model, op_id, op))
        log_request(fake, request, body, "404")
        return web.json_response({"error": {"code": 404, "message": f"no method {method!r}"}}, status=404)

    async def poll(request: web.Request) -> web.Response:
        log_request(fake, request, {}, "veo-poll")
        model, op_id = request.match_info["model"], request.match_info["op"]
        op = operations.by_id.get(op_id)
        if op is None:
            return web.json_response({"error": {"code": 404, "message": f"no operation {op_id}"}}, status=404)
        op.polls += 1
        return web.json_response(_operation(model, op_id, op))

    app.router.add_get("/v1beta/models", models)
    app.router.add_get("/v1beta/models/{model}/operations/{op}", poll)
    app.router.add_post("/v1beta/models/{tail}", model_call)
