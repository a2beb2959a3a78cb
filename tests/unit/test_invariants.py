"""Invariants of the data path, for every axio event type and for seeded random streams.

A view knows a transcript only through the ops (and `state` messages) the wire sends it, so whatever
the fold does, replaying its ops must rebuild exactly `Transcript.state()`; coalescing (what the wire
does to every batch) must change nothing; and so must JSON, the wire's encoding.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from axio import (
    Citation,
    Error,
    ImageOutput,
    IterationEnd,
    IterationStart,
    ReasoningDelta,
    ReasoningSignature,
    Refusal,
    SessionEndEvent,
    StreamEvent,
    TextDelta,
    ToolFieldDelta,
    ToolFieldEnd,
    ToolFieldStart,
    ToolInputDelta,
    ToolOutputDelta,
    ToolResult,
    ToolUseStart,
    TranscriptDelta,
)
from axio.types import StopReason, Usage

from axio_nb.demo.transport import _demo_png
from axio_nb.stream.blocks import Op
from axio_nb.stream.transcript import Transcript
from axio_nb.stream.wire import Wire, coalesce

from .replay import replay, state_json
from .test_transcript import SAMPLES, members

PNG = _demo_png()

#: What some events need before them to mean anything (a tool's deltas need its ToolUseStart).
CONTEXT: dict[str, list[Any]] = {
    "ToolInputDelta": [ToolUseStart(0, "t1", "get_weather")],
    "ToolFieldStart": [ToolUseStart(0, "t1", "get_weather")],
    "ToolFieldDelta": [ToolUseStart(0, "t1", "get_weather"), ToolFieldStart(0, "t1", "units")],
    "ToolFieldEnd": [ToolUseStart(0, "t1", "get_weather")],
    "ToolOutputDelta": [ToolUseStart(0, "t1", "get_weather")],
    "ToolResult": [ToolUseStart(0, "t1", "get_weather"), ToolInputDelta(0, "t1", '{"city": "Paris"}')],
    "Citation": [TextDelta(0, "As reported")],
    "ReasoningSignature": [ReasoningDelta(0, "hmm")],
}


def fold(events: list[Any], t: Transcript | None = None) -> tuple[Transcript, tuple[Any, Any], list[Op]]:
    t = t or Transcript(clock=iter(range(0, 10**9, 7)).__next__)
    initial = state_json(t)
    ops: list[Op] = []
    for event in events:
        ops += t.apply(event)
    return t, initial, ops


class TestEveryEventReplays:
    @pytest.mark.parametrize("kind", members(), ids=lambda k: k.__name__)
    def test_ops_rebuild_the_state(self, kind: type) -> None:
        """For every StreamEvent member, replaying the ops it produced equals Transcript.state()."""
        events = [*CONTEXT.get(kind.__name__, []), SAMPLES[kind]]
        t, initial, ops = fold(events)
        assert replay(initial, ops) == state_json(t)
        assert replay(initial, coalesce(ops)) == state_json(t)

    def test_ops_of_all_members_in_one_stream_rebuild_the_state(self) -> None:
        t, initial, ops = fold(list(SAMPLES.values()))
        ops += t.finish()
        assert replay(initial, ops) == state_json(t)


# -- seeded random streams ---------------------------------------------------------------------------
WORDS = [
    "alpha",
    "β",
    "日本",
    "`code`",
    "**bold**",
    "_x_",
    "$y$",
    "\n\n",
    "\n```py\n",
    "- item\n",
    "😀",
    " ",
    "|a|b|\n",
]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))


def random_stream(seed: int) -> list[Any]:
    """A plausible turn: iterations of reasoning, text, tool calls (streamed JSON), media, citations, odd ends."""
    rng = random.Random(seed)
    events: list[Any] = []
    tools = 0
    for _iteration in range(rng.randint(1, 3)):
        if rng.random() < 0.7:
            events.append(IterationStart(0, model=rng.choice(["m-1", "m-2", ""])))
        for _ in range(rng.randint(1, 40)):
            roll = rng.random()
            if roll < 0.45:
                events.append(TextDelta(0, _text(rng)))
            elif roll < 0.6:
                events.append(ReasoningDelta(0, _text(rng)))
            elif roll < 0.72:
                tools += 1
                tid = f"t{tools}"
                events.append(ToolUseStart(tools, tid, rng.choice(["get_weather", "search"])))
                args = json.dumps({"city": _text(rng), "days": rng.randint(1, 9), "tags": [_text(rng)]})
                cuts = sorted(rng.sample(range(1, len(args)), k=min(len(args) - 1, rng.randint(0, 6))))
                for a, b in zip([0, *cuts], [*cuts, len(args)], strict=True):
                    events.append(ToolInputDelta(tools, tid, args[a:b]))
                for _ in range(rng.choice([0, 0, 1, 2])):  # a field started again starts from ""
                    events.append(ToolFieldStart(tools, tid, "note"))
                    events.append(ToolFieldDelta(tools, tid, "note", _text(rng)))
                    events.append(ToolFieldEnd(tools, tid, "note"))
                for _ in range(rng.randint(0, 3)):
                    events.append(ToolOutputDelta(tid, "x", rng.choice(["stdout", "stderr"]), _text(rng)))
                if rng.random() < 0.9:
                    events.append(ToolResult(tid, "x", rng.random() < 0.2, _text(rng), input={"city": "P"}))
            elif roll < 0.76:
                events.append(ImageOutput(0, PNG if rng.random() < 0.8 else b"not a png", "image/png"))
            elif roll < 0.8:
                events.append(Citation(0, _text(rng), title=_text(rng), url=f"https://e.org/{rng.randint(0, 3)}"))
            elif roll < 0.83:
                events.append(Refusal(0, _text(rng), category=rng.choice([None, "c"])))
            elif roll < 0.86:
                events.append(ReasoningSignature(0, "sig", redacted=rng.random() < 0.5))
            elif roll < 0.9:
                events.append(TranscriptDelta(rng.choice(["user", "assistant"]), _text(rng)))
            elif roll < 0.92:
                events.append(Error(RuntimeError(_text(rng))))
            else:
                events.append(TextDelta(0, ""))
        reason = rng.choice([StopReason.tool_use, StopReason.end_turn, StopReason.max_tokens])
        events.append(IterationEnd(0, reason, Usage(rng.randint(0, 99), rng.randint(0, 99))))
    if rng.random() < 0.7:
        reason = rng.choice(list(StopReason))
        events.append(SessionEndEvent(reason, Usage(rng.randint(0, 999), rng.randint(0, 999))))
    return events


def _end(t: Transcript, seed: int) -> list[Op]:
    """Close the turn the way the runner might: finished, interrupted, or failed outside the stream."""
    match seed % 4:
        case 0:
            return t.interrupt()
        case 1:
            return t.fail(ConnectionError("dropped"))
        case _:
            return t.finish()


def _batches(ops: list[Op], rng: random.Random) -> list[list[Op]]:
    out: list[list[Op]] = []
    i = 0
    while i < len(ops):
        n = rng.choice([1, 1, 2, 5, 20, 400])
        out.append(ops[i : i + n])
        i += n
    return out


SEEDS = range(120)


class TestRandomStreams:
    @pytest.mark.parametrize("seed", SEEDS)
    def test_replaying_ops_reproduces_the_state(self, seed: int) -> None:
        """Whatever the stream, a view that applied every op holds exactly Transcript.state()."""
        t, initial, ops = fold(random_stream(seed))
        ops += _end(t, seed)
        assert replay(initial, ops) == state_json(t)

    @pytest.mark.parametrize("seed", SEEDS)
    def test_coalesced_batches_replay_like_single_ops(self, seed: int) -> None:
        """Coalescing any batching of the ops (as the wire does at each send) changes nothing a view sees."""
        t, initial, ops = fold(random_stream(seed))
        ops += _end(t, seed)
        rng = random.Random(seed)
        coalesced = [op for batch in _batches(ops, rng) for op in coalesce(batch)]
        assert len(coalesced) <= len(ops)
        assert replay(initial, coalesced) == replay(initial, ops) == state_json(t)

    @pytest.mark.parametrize("seed", SEEDS[:40])
    def test_a_view_fed_by_the_wire_ends_with_the_state(self, seed: int) -> None:
        """Through the real Wire: numbered messages applied in order, a late `hello` replaying the state."""
        t = Transcript()
        view: dict[str, Any] = {"seq": 0, "state": state_json(t)}

        def receive(message: dict[str, Any], _buffers: list[bytes]) -> None:
            if message["type"] == "state":
                view["seq"] = message["seq"]
                blocks = [{k: v for k, v in b.items() if k != "buffer"} for b in message["blocks"]]
                view["state"] = (json.loads(json.dumps(blocks)), json.loads(json.dumps(message["meta"])))
                return
            assert message["seq"] == view["seq"] + 1, "the wire numbers messages consecutively"
            view["seq"] = message["seq"]
            ops = [
                {**op, "block": {k: v for k, v in op["block"].items() if k != "buffer"}} if op["op"] == "open" else op
                for op in message["ops"]
            ]
            view["state"] = replay(view["state"], ops)

        wire = Wire(t, receive)
        rng = random.Random(seed)
        events: list[StreamEvent] = random_stream(seed)
        hello_at = rng.randrange(len(events))
        for i, event in enumerate(events):
            wire.push(t.apply(event))
            if i == hello_at:
                wire.receive({"type": "hello", "seq": rng.randint(0, wire.seq)})
        wire.push(_end(t, seed))
        wire.close()
        assert view["seq"] == wire.seq
        assert view["state"] == state_json(t)


class TestFoldCostIsLinear:
    def test_reading_blocks_mid_stream_does_not_lose_parts(self) -> None:
        """Parts are joined on read; appends after a read keep going on the joined text."""
        t = Transcript()
        t.apply(TextDelta(0, "ab"))
        assert t.text == "ab"
        t.apply(TextDelta(0, "cd"))
        _blocks, _meta = t.state()
        t.apply(TextDelta(0, "ef"))
        assert t.text == "abcdef" and t.blocks[0]["text"] == "abcdef"
