"""`%%axio chat --transport openai` in a real kernel, against a fake chat-completions server on 127.0.0.1.

The real `axio_transport_openai.OpenAITransport` is pointed at the fake through `OPENAI_BASE_URL` and
`OPENAI_API_KEY` in the kernel's environment (docs/testing.md). Everything a user would see
is read from the iopub messages the harness recorded; what the transport sent is read from the fake's log.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.fakes.openai_server import PARTIAL_TEXT, USAGE, FakeOpenAI, Request, fake_openai
from tests.kernel.harness import Kernel, Run, wire_messages

pytestmark = pytest.mark.kernel

KEY = "sk-fake-SECRET-123"
CHAT = "%%axio chat --transport openai --tools get_weather"

SETUP = """
%load_ext axio_nb
import json as _json

async def get_weather(city: str) -> str:
    return f"Sunny in {city}, 21°C"

def _dump(r):
    print(_json.dumps({"blocks": r.blocks, "usage": r.usage, "model": r.model, "stop_reason": r.stop_reason,
                       "status": r.status, "text": r.text, "incomplete": r.incomplete, "error": r.error}))
"""


@dataclass
class Turn:
    """One `%%axio chat` cell: what the kernel sent to iopub, what the fake received, the ChatResult."""

    run: Run
    requests: list[Request]
    result: dict[str, Any]


def stream(run: Run, name: str) -> str:
    return "".join(
        m["content"]["text"] for m in run.messages if m["msg_type"] == "stream" and m["content"]["name"] == name
    )


def all_messages(kernel: Kernel) -> list[dict[str, Any]]:
    """Every iopub message the harness recorded, for every cell, and those with no cell."""
    return [m for run in kernel._runs.values() for m in run.messages] + list(kernel.other)


def chat(kernel: Kernel, fake: FakeOpenAI, prompt: str, flags: str = "", out: str = "r") -> Turn:
    before = len(fake.requests)
    run = kernel.execute(f"{CHAT} --out {out} {flags}\n{prompt}", timeout=30)
    assert run.status == "ok", (run.errors, stream(run, "stderr"))
    requests = fake.requests[before:]
    dumped = kernel.execute(f"_dump({out})")
    assert dumped.status == "ok", dumped.errors
    return Turn(run, requests, json.loads(stream(dumped, "stdout")))


def kinds(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["kind"] for b in blocks]


def opened_blocks(run: Run) -> list[dict[str, Any]]:
    """The blocks the widget's views were told to open, from the comm messages' ops."""
    return [op["block"] for m in wire_messages(run, "ops") for op in m["ops"] if op["op"] == "open"]


def expected_usage(requests: list[Request]) -> dict[str, int]:
    total = {"input": 0, "output": 0, "cached": 0, "reasoning": 0}
    for request in requests:
        for key, value in (request.usage or {}).items():
            total[key] += value
    return total


# -- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with fake_openai() as server:
        yield server


@pytest.fixture(scope="module")
def kernel(fake: FakeOpenAI) -> Iterator[Kernel]:
    k = Kernel(env={"OPENAI_BASE_URL": fake.url, "OPENAI_API_KEY": KEY, "AXIO_NB_TRANSPORT": "openai"})
    try:
        setup = k.execute(SETUP)
        assert setup.status == "ok", setup.errors
        yield k
    finally:
        k.shutdown()


@pytest.fixture(scope="module")
def weather(kernel: Kernel, fake: FakeOpenAI) -> Turn:
    """The main turn: reasoning, text, a tool call, the tool's result, a Markdown answer (live display)."""
    return chat(kernel, fake, "What's the weather in Paris?", "--session trip")


# -- tests ---------------------------------------------------------------------------------------
class TestToolTurnRenders:
    """A real OpenAI tool turn shows reasoning, text and the tool card live, and ends as a snapshot."""

    def test_blocks_in_result(self, weather: Turn) -> None:
        blocks = weather.result["blocks"]
        assert {"reasoning", "text", "tool"} <= set(kinds(blocks))
        # two iterations: reasoning, "Let me check.", the call; then reasoning and the answer
        assert kinds(blocks) == ["reasoning", "text", "tool", "reasoning", "text"]
        tool = next(b for b in blocks if b["kind"] == "tool")
        assert tool["name"] == "get_weather"
        assert tool["fields"] == {"city": "Paris"}
        assert json.loads(tool["args"]) == {"city": "Paris"}
        assert tool["status"] == "ok"
        assert "Sunny" in tool["result"]
        answer = blocks[-1]["text"]
        assert "## Weather in Paris" in answer
        assert "Sunny in Paris, 21°C" in answer
        assert weather.result["text"].startswith("Let me check.")
        assert weather.result["stop_reason"] == "end_turn"
        assert weather.result["status"] == "done"

    def test_model_and_usage(self, weather: Turn) -> None:
        assert weather.result["model"] == "fake-model"
        usage = weather.result["usage"]
        assert usage == expected_usage(weather.requests)
        tc, ta = USAGE["tool_call"], USAGE["tool_answer"]
        assert usage == {
            "input": tc["prompt_tokens"] + ta["prompt_tokens"],
            "output": tc["completion_tokens"] + ta["completion_tokens"],
            "cached": tc["cached"] + ta["cached"],
            "reasoning": tc["reasoning"] + ta["reasoning"],
        }

    def test_widget_got_ops_for_every_block(self, weather: Turn) -> None:
        run = weather.run
        views = [d for d in run.data() if "application/vnd.jupyter.widget-view+json" in d]
        assert len(views) == 1, "the live widget is displayed once"
        messages = wire_messages(run, "ops")
        assert len(messages) >= 2
        assert [m["seq"] for m in messages] == list(range(1, len(messages) + 1))
        assert kinds(opened_blocks(run)) == kinds(weather.result["blocks"])
        ops = [op for m in messages for op in m["ops"]]
        text_ops = "".join(op["text"] for op in ops if op["op"] == "append" and op["path"] == ["text"])
        assert "Let me check." in text_ops and "## Weather in Paris" in text_ops
        tool_id = next(b["id"] for b in opened_blocks(run) if b["kind"] == "tool")
        assert any(op == {"op": "set", "id": tool_id, "path": ["status"], "value": "ok"} for op in ops)
        assert any(op["op"] == "meta" and op["value"].get("model") == "fake-model" for op in ops)

    def test_final_display_is_the_snapshot(self, weather: Turn) -> None:
        run = weather.run
        last = [m for m in run.messages if m["msg_type"] in ("display_data", "update_display_data")][-1]
        assert last["msg_type"] == "update_display_data"
        final = last["content"]["data"]
        assert "application/vnd.jupyter.widget-view+json" not in final
        html, plain = final["text/html"], final["text/plain"]
        assert '<h2 class="jp-toc-ignore tocSkip">Weather in Paris</h2>' in html
        assert "get_weather" in html and "Sunny in Paris" in html
        assert "language-python" in html
        assert "<li>" in html
        assert '[tool get_weather(city="Paris") → ok]' in plain
        assert "Weather in Paris" in plain
        assert "fake-model" in plain
        assert "end_turn" in plain

    def test_cell_is_clean(self, weather: Turn) -> None:
        assert weather.run.errors == []
        assert stream(weather.run, "stderr") == ""


class TestRequestsOnTheWire:
    """The transport sends what OpenAI expects: the tool loop in two requests, the key as a Bearer header."""

    def test_two_requests_second_carries_tool_result(self, weather: Turn) -> None:
        first, second = weather.requests
        assert [r.scenario for r in weather.requests] == ["tool_call", "tool_answer"]
        assert first.roles == ["system", "user"]
        assert [t["function"]["name"] for t in first.body["tools"]] == ["get_weather"]
        assert first.body["stream"] is True
        assert second.roles == ["system", "user", "assistant", "tool"]
        call = second.body["messages"][2]["tool_calls"][0]
        assert call["id"] == "call_1" and call["function"]["name"] == "get_weather"
        assert json.loads(call["function"]["arguments"]) == {"city": "Paris"}
        tool = second.body["messages"][3]
        assert tool["tool_call_id"] == "call_1"
        assert tool["content"] == "Sunny in Paris, 21°C"

    def test_key_sent_as_bearer(self, weather: Turn) -> None:
        assert all(r.headers.get("Authorization") == f"Bearer {KEY}" for r in weather.requests)

    def test_second_turn_carries_first(self, kernel: Kernel, fake: FakeOpenAI, weather: Turn) -> None:
        turn = chat(kernel, fake, "Thanks! Anything else?", "--session trip", out="r2")
        (request,) = turn.requests
        assert request.roles == ["system", "user", "assistant", "tool", "assistant", "user"]
        messages = request.body["messages"]
        assert "weather in Paris" in messages[1]["content"]
        assert "Weather in Paris" in messages[4]["content"]
        assert messages[5]["content"].endswith("Thanks! Anything else?")
        assert turn.result["text"] == "Plain answer number 6."
        assert turn.result["stop_reason"] == "end_turn"

    def test_new_session_is_separate(self, kernel: Kernel, fake: FakeOpenAI, weather: Turn) -> None:
        turn = chat(kernel, fake, "Hello there", "--session elsewhere", out="r3")
        (request,) = turn.requests
        assert request.roles == ["system", "user"]


class TestStopsAndFailures:
    """Refusals, truncation and provider errors are shown for what they are, and never fail the cell."""

    def test_refusal(self, kernel: Kernel, fake: FakeOpenAI) -> None:
        turn = chat(kernel, fake, "Please refuse this.", "--session refuse")
        blocks = turn.result["blocks"]
        assert kinds(blocks) == ["refusal"]
        assert blocks[0]["text"] == "I can't help with that."
        assert turn.result["stop_reason"] == "refusal"
        assert turn.result["text"] == "I can't help with that."
        plain = turn.run.final_output["text/plain"]
        assert "[declined] I can't help with that." in plain
        assert "Declined" in turn.run.final_output["text/html"]
        assert kinds(opened_blocks(turn.run)) == ["refusal"]

    def test_length_is_cut_short_static(self, kernel: Kernel, fake: FakeOpenAI) -> None:
        turn = chat(kernel, fake, "Write at length.", "--session length --display static")
        assert turn.result["stop_reason"] == "max_tokens"
        assert turn.result["incomplete"] is True
        assert turn.result["text"] == "This answer goes on and on until it"
        # static: one display, no widget, no comm traffic
        assert turn.run.types["display_data"] == 1 and turn.run.types["update_display_data"] == 0
        assert turn.run.comm_msgs == []
        plain = turn.run.final_output["text/plain"]
        assert "Cut short" in plain and "max_tokens" in plain
        assert "Cut short" in turn.run.final_output["text/html"]
        assert turn.run.errors == [] and stream(turn.run, "stderr") == ""

    def test_midstream_error_keeps_partial_text(self, kernel: Kernel, fake: FakeOpenAI) -> None:
        turn = chat(kernel, fake, "midfail please", "--session midfail")
        blocks = turn.result["blocks"]
        assert kinds(blocks) == ["text", "error"]
        assert blocks[0]["text"] == PARTIAL_TEXT + "breaks"
        assert "upstream overloaded mid-stream" in blocks[1]["message"]
        assert turn.result["status"] == "error"
        assert turn.run.status == "ok" and turn.run.errors == []
        assert stream(turn.run, "stderr") == ""
        plain = turn.run.final_output["text/plain"]
        assert PARTIAL_TEXT.strip() in plain and "[error] " in plain and "upstream overloaded mid-stream" in plain
        assert kinds(opened_blocks(turn.run)) == ["text", "error"]

        # the next turn sees the partial answer the user saw, marked, instead of two user messages in a row
        after = chat(kernel, fake, "Go on.", "--session midfail", out="r_go_on")
        (request,) = after.requests
        assert request.roles == ["system", "user", "assistant", "user"]
        stored = request.body["messages"][2]["content"]
        assert stored.startswith(PARTIAL_TEXT + "breaks") and stored.endswith("[interrupted]")

    def test_http_400_is_one_line_then_next_cell_works(self, kernel: Kernel, fake: FakeOpenAI) -> None:
        turn = chat(kernel, fake, "http400 please", "--session bad")
        assert [r.scenario for r in turn.requests] == ["http400"], "a 400 is not retried"
        blocks = turn.result["blocks"]
        assert kinds(blocks) == ["error"]
        message = blocks[0]["message"]
        assert "400" in message and "the fake refuses this prompt" in message
        assert "\n" not in message
        assert turn.run.status == "ok" and turn.run.errors == []
        assert "Traceback" not in stream(turn.run, "stderr")
        final = turn.run.final_output
        assert "Traceback" not in final["text/plain"] and "Traceback" not in final["text/html"]

        after = chat(kernel, fake, "Are you there?", "--session bad", out="r_after")
        assert after.result["stop_reason"] == "end_turn"
        assert after.result["text"].startswith("Plain answer")
        # the failed turn left no user message without an answer behind it
        (request,) = after.requests
        roles = request.roles
        assert roles[-1] == "user" and roles.count("user") == 2
        assert all(a != b or a != "user" for a, b in zip(roles, roles[1:], strict=False))

    def test_http_400_leaves_stderr_empty(self, kernel: Kernel, fake: FakeOpenAI) -> None:
        """The error block says it all: no stray log line from the transport reaches the cell."""
        turn = chat(kernel, fake, "http400 again", "--session bad2")
        assert stream(turn.run, "stderr") == ""


class TestMissingCredentials:
    """No OPENAI_API_KEY: one UsageError line naming the variable, nothing sent, no traceback."""

    def test_usage_error_names_the_variable(self, fake: FakeOpenAI) -> None:
        k = Kernel(env={"OPENAI_BASE_URL": fake.url, "OPENAI_API_KEY": "", "AXIO_NB_TRANSPORT": "openai"})
        try:
            assert k.execute("%load_ext axio_nb").status == "ok"
            before = len(fake.requests)
            run = k.execute("%%axio chat --transport openai\nhello")
            stderr = stream(run, "stderr")
            assert run.status == "error", "IPython marks a UsageError cell failed (Run All stops there)"
            assert stderr.startswith("UsageError:"), stderr
            assert "OPENAI_API_KEY" in stderr
            assert stderr.strip().count("\n") == 0, "one line"
            assert "Traceback" not in stderr
            assert run.errors == []
            assert run.data() == [] and run.comm_msgs == []
            assert len(fake.requests) == before
        finally:
            k.shutdown()


class TestKeyNeverShown:
    """The API key travels to the server only: no iopub message of any cell carries it."""

    def test_no_message_contains_the_key(self, kernel: Kernel, fake: FakeOpenAI, weather: Turn) -> None:
        # Cells that would most likely leak it: results, listings, history, errors of every kind.
        for code in ("r", "print(repr(r))", "%axio transports", "%axio sessions", "%axio history trip"):
            run = kernel.execute(code)
            assert run.status == "ok", run.errors
        for prompt in ("http400 again", "midfail again"):
            kernel.execute(f"{CHAT} --session leak\n{prompt}")
        messages = all_messages(kernel)
        assert len(messages) > 50
        leaks = [m["msg_type"] for m in messages if KEY in json.dumps(m, default=str)]
        assert leaks == []
        # the fake did get it, so the search above is looking for something real
        assert any(r.headers.get("Authorization") == f"Bearer {KEY}" for r in fake.requests)
