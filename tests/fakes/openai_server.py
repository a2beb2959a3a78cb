"""A fake OpenAI chat-completions server on 127.0.0.1, for the real `OpenAITransport` (docs/testing.md).

It runs an aiohttp app on its own event loop in a daemon thread, so a kernel in another process can
reach it through `OPENAI_BASE_URL`. The scenario is chosen by the text of the last user message:

* ``weather`` (with tools in the request): reasoning, "Let me check.", a `get_weather` call in
  fragments, ``tool_calls``; then, once a `tool` message follows the last assistant message,
  reasoning and a Markdown answer that quotes the tool result, ``stop``.
* ``refuse``: `delta.refusal` fragments.
* ``length``: some text, then ``finish_reason: "length"``.
* ``http400``: HTTP 400 with an OpenAI-style JSON error body.
* ``midfail``: some text, then an `{"error": …}` chunk with ``finish_reason: "error"``.
* anything else: a short plain answer.

Every request is logged (`FakeOpenAI.requests`): path, JSON body, headers and the usage the reply
reported. The `Authorization` header is kept there for the tests to check, and never printed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

MODEL = "fake-model"
#: Usage reported by each kind of reply; the tests sum these to check `ChatResult.usage`.
USAGE = {
    "tool_call": {"prompt_tokens": 42, "completion_tokens": 17, "cached": 10, "reasoning": 5},
    "tool_answer": {"prompt_tokens": 80, "completion_tokens": 31, "cached": 32, "reasoning": 7},
    "plain": {"prompt_tokens": 12, "completion_tokens": 6, "cached": 0, "reasoning": 0},
    "refuse": {"prompt_tokens": 11, "completion_tokens": 4, "cached": 0, "reasoning": 0},
    "length": {"prompt_tokens": 13, "completion_tokens": 8, "cached": 0, "reasoning": 0},
}
TOOL_ARGS_FRAGMENTS = ["", '{"ci', 'ty": "Pa', 'ris"}']
ANSWER_MD = (
    "## Weather in Paris\n\n"
    "The tool said: **{result}**.\n\n"
    "- Sky: sunny\n"
    "- Temperature: 21°C\n\n"
    '```python\nprint("pack sunglasses")\n```\n'
)
PARTIAL_TEXT = "The first half of an answer that "
_STAMP = re.compile(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[^\]]*\] ")


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    #: The JSON body ({} when it was not a JSON object).
    body: dict[str, Any]
    scenario: str = ""
    usage: dict[str, int] | None = None
    #: The URL's query (Gemini sends its key as ``?key=``): kept for the tests, never printed.
    query: dict[str, str] = field(default_factory=dict)

    @property
    def roles(self) -> list[str]:
        return [m.get("role", "?") for m in self.body.get("messages", [])]

    def __repr__(self) -> str:  # never show the headers: they hold the API key
        return f"<Request {self.path} {self.scenario} roles={self.roles}>"


@dataclass
class FakeOpenAI:
    url: str = ""
    requests: list[Request] = field(default_factory=list)
    #: Seconds between SSE chunks: small, so a stream spans several wire messages but stays fast.
    pace: float = 0.005

    @property
    def root(self) -> str:
        """The server's address without the ``/v1`` prefix (other fakes add routes beside OpenAI's)."""
        return self.url.removesuffix("/v1")

    def chat_requests(self) -> list[Request]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def clear(self) -> None:
        self.requests.clear()


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def last_user_text(messages: list[dict[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            return _STAMP.sub("", _text_of(message.get("content")))
    return ""


def tool_after_last_assistant(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The `tool` message answering the last assistant turn (docs/testing.md), if any."""
    for message in reversed(messages):
        role = message.get("role")
        if role == "assistant":
            return None
        if role == "tool":
            return dict(message)
    return None


def choose(body: dict[str, Any]) -> str:
    messages = body.get("messages", [])
    prompt = last_user_text(messages).lower()
    if "http400" in prompt:
        return "http400"
    if "midfail" in prompt:
        return "midfail"
    if "refuse" in prompt:
        return "refuse"
    if "length" in prompt:
        return "length"
    if "weather" in prompt and body.get("tools"):
        return "tool_answer" if tool_after_last_assistant(messages) else "tool_call"
    return "plain"


def _chunk(delta: dict[str, Any] | None = None, finish: str | None = None, **extra: Any) -> dict[str, Any]:
    choice: dict[str, Any] = {"index": 0, "delta": delta or {}}
    if finish is not None:
        choice["finish_reason"] = finish
    return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": MODEL, "choices": [choice], **extra}


def _usage_chunk(kind: str) -> dict[str, Any]:
    u = USAGE[kind]
    return {
        "id": "chatcmpl-fake",
        "model": MODEL,
        "choices": [],
        "usage": {
            "prompt_tokens": u["prompt_tokens"],
            "completion_tokens": u["completion_tokens"],
            "total_tokens": u["prompt_tokens"] + u["completion_tokens"],
            "prompt_tokens_details": {"cached_tokens": u["cached"]},
            "completion_tokens_details": {"reasoning_tokens": u["reasoning"]},
        },
    }


def script(scenario: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """The chunks of one streamed reply."""
    if scenario == "tool_call":
        chunks = [
            _chunk({"role": "assistant", "reasoning_content": "The user wants the weather. "}),
            _chunk({"reasoning_content": "I should call get_weather."}),
            _chunk({"content": "Let me check."}),
            _chunk(
                {
                    "tool_calls": [
                        {
                            "index": 0,
                            "id": "call_1",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": TOOL_ARGS_FRAGMENTS[0]},
                        }
                    ]
                }
            ),
        ]
        chunks += [
            _chunk({"tool_calls": [{"index": 0, "function": {"arguments": a}}]}) for a in TOOL_ARGS_FRAGMENTS[1:]
        ]
        return [*chunks, _chunk(finish="tool_calls"), _usage_chunk("tool_call")]
    if scenario == "tool_answer":
        result = str((tool_after_last_assistant(body["messages"]) or {}).get("content", ""))
        answer = ANSWER_MD.replace("{result}", result)
        pieces = [answer[i : i + 17] for i in range(0, len(answer), 17)]
        return [
            _chunk({"role": "assistant", "reasoning_content": "The tool answered; "}),
            _chunk({"reasoning_content": "now write it up."}),
            *[_chunk({"content": p}) for p in pieces],
            _chunk(finish="stop"),
            _usage_chunk("tool_answer"),
        ]
    if scenario == "refuse":
        return [
            _chunk({"role": "assistant", "refusal": "I can't "}),
            _chunk({"refusal": "help with that."}),
            _chunk(finish="stop"),
            _usage_chunk("refuse"),
        ]
    if scenario == "length":
        return [
            _chunk({"role": "assistant", "content": "This answer goes on "}),
            _chunk({"content": "and on until it"}),
            _chunk(finish="length"),
            _usage_chunk("length"),
        ]
    if scenario == "midfail":
        return [
            _chunk({"role": "assistant", "content": PARTIAL_TEXT}),
            _chunk({"content": "breaks"}),
            _chunk(finish="error", error={"message": "upstream overloaded mid-stream", "type": "server_error"}),
        ]
    return [
        _chunk({"role": "assistant", "content": "Plain answer "}),
        _chunk({"content": f"number {len(body.get('messages', []))}."}),
        _chunk(finish="stop"),
        _usage_chunk("plain"),
    ]


def _usage_of(scenario: str) -> dict[str, int] | None:
    u = USAGE.get(scenario)
    if u is None:
        return None
    return {
        "input": u["prompt_tokens"],
        "output": u["completion_tokens"],
        "cached": u["cached"],
        "reasoning": u["reasoning"],
    }


#: Adds more routes to the app (tests/fakes/openai_media.py, tests/fakes/google_server.py), logging to `fake`.
Routes = Callable[[web.Application, FakeOpenAI], None]


def make_app(fake: FakeOpenAI, extra: Sequence[Routes] = ()) -> web.Application:
    async def chat(request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = None
        entry = Request(request.path, dict(request.headers), body if isinstance(body, dict) else {})
        fake.requests.append(entry)
        if not isinstance(body, dict):
            return web.json_response(
                {"error": {"message": "body is not JSON", "type": "invalid_request_error"}}, status=400
            )
        entry.scenario = scenario = choose(body)
        if scenario == "http400":
            error = {
                "error": {
                    "message": "Invalid value for 'messages': the fake refuses this prompt.",
                    "type": "invalid_request_error",
                    "param": "messages",
                    "code": "invalid_value",
                }
            }
            return web.json_response(error, status=400)
        entry.usage = _usage_of(scenario)
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        try:
            await response.prepare(request)
            for chunk in script(scenario, body):
                await response.write(f"data: {json.dumps(chunk)}\n\n".encode())
                if fake.pace:
                    await asyncio.sleep(fake.pace)
            if scenario != "midfail":
                await response.write(b"data: [DONE]\n\n")
            await response.write_eof()
        except ConnectionResetError:
            pass  # the client went away (aclose, a Stop): nothing to tell it
        return response

    async def models(_request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [{"id": MODEL, "object": "model", "owned_by": "fake"}]})

    async def log_other(request: web.Request) -> web.Response:
        fake.requests.append(Request(request.path, dict(request.headers), {}, scenario="404"))
        return web.json_response({"error": {"message": f"no route {request.path}", "type": "not_found"}}, status=404)

    app = web.Application()
    app.router.add_post("/v1/chat/completions", chat)
    app.router.add_get("/v1/models", models)
    for add_routes in extra:
        add_routes(app, fake)
    app.router.add_route("*", "/{tail:.*}", log_other)
    return app


@contextlib.contextmanager
def fake_openai(pace: float = 0.005, extra: Sequence[Routes] = ()) -> Iterator[FakeOpenAI]:
    """Serve the fake on 127.0.0.1 (a free port) in a background thread; yields its URL and request log.

    `extra` adds routes (other endpoints, other providers) to the same server and log."""
    fake = FakeOpenAI(pace=pace)
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    state: dict[str, Any] = {}

    async def start() -> None:
        runner = web.AppRunner(make_app(fake, extra), handle_signals=False, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        fake.url = f"http://127.0.0.1:{port}/v1"
        state["runner"] = runner

    def serve() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(start())
        except BaseException as exc:  # surfaced in the caller's thread
            state["error"] = exc
            ready.set()
            return
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, name="fake-openai", daemon=True)
    thread.start()
    if not ready.wait(10) or "error" in state:
        raise RuntimeError(f"fake OpenAI server did not start: {state.get('error')!r}")
    try:
        yield fake
    finally:
        asyncio.run_coroutine_threadsafe(state["runner"].cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


@pytest.fixture(scope="module")
def fake_openai_server() -> Iterator[FakeOpenAI]:
    with fake_openai() as fake:
        yield fake
