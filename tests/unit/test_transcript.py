from __future__ import annotations

import typing

import pytest
from axio import (
    AudioOutput,
    AudioOutputDelta,
    BlockEnd,
    Citation,
    Error,
    ImageOutput,
    IterationEnd,
    IterationStart,
    ProviderEvent,
    ProviderOutput,
    ReasoningDelta,
    ReasoningSignature,
    Refusal,
    SessionEndEvent,
    SpeechStarted,
    SpeechStopped,
    StreamEvent,
    TextDelta,
    TextSignature,
    ToolFieldDelta,
    ToolFieldEnd,
    ToolFieldStart,
    ToolInputDelta,
    ToolOutputDelta,
    ToolResult,
    ToolUseStart,
    TranscriptDelta,
    TurnComplete,
    VideoOutput,
)
from axio.types import StopReason, Usage

from axio_nb.demo.transport import _demo_png
from axio_nb.stream.transcript import Transcript

from .replay import replay, state_json

PNG = _demo_png()

#: One instance of every member of axio's StreamEvent union.
SAMPLES: dict[type, object] = {
    ReasoningDelta: ReasoningDelta(0, "thinking"),
    ReasoningSignature: ReasoningSignature(0, "sig", redacted=True),
    TextDelta: TextDelta(0, "Hello"),
    TextSignature: TextSignature(0, "sig"),
    Refusal: Refusal(0, "no", category="c"),
    Citation: Citation(0, "cited", title="T", url="https://example.org"),
    ImageOutput: ImageOutput(0, PNG, "image/png"),
    AudioOutput: AudioOutput(0, b"RIFF0000WAVE", "audio/wav"),
    VideoOutput: VideoOutput(0, b"\x00\x00\x00\x18ftypmp42", "video/mp4"),
    ToolUseStart: ToolUseStart(0, "t1", "get_weather"),
    ToolInputDelta: ToolInputDelta(0, "t1", '{"city": "Par'),
    ToolFieldStart: ToolFieldStart(0, "t1", "units"),
    ToolFieldDelta: ToolFieldDelta(0, "t1", "units", "C"),
    ToolFieldEnd: ToolFieldEnd(0, "t1", "units"),
    ToolOutputDelta: ToolOutputDelta("t1", "get_weather", "stdout", "fetching"),
    ToolResult: ToolResult("t1", "get_weather", False, "sunny"),
    BlockEnd: BlockEnd(0),
    IterationStart: IterationStart(0, model="m-1"),
    IterationEnd: IterationEnd(0, StopReason.end_turn, Usage(10, 5)),
    Error: Error(RuntimeError("boom")),
    ProviderEvent: ProviderEvent("openai", "x", {}),
    ProviderOutput: ProviderOutput("openai", "web_search_call", {}, 1),
    SessionEndEvent: SessionEndEvent(StopReason.end_turn, Usage(10, 5)),
    AudioOutputDelta: AudioOutputDelta(b"\x00\x00"),
    TranscriptDelta: TranscriptDelta("user", "hi"),
    SpeechStarted: SpeechStarted(),
    SpeechStopped: SpeechStopped(),
    TurnComplete: TurnComplete(StopReason.end_turn, Usage(1, 1)),
}


def members() -> tuple[type, ...]:
    return typing.get_args(StreamEvent.__value__)


def fold(*events: object) -> Transcript:
    t = Transcript()
    for event in events:
        t.apply(event)  # type: ignore[arg-type]
    return t


class TestEveryEvent:
    def test_samples_cover_the_union(self) -> None:
        """A new axio event type fails here until the fold (and this table) handle it."""
        assert set(members()) == set(SAMPLES)

    @pytest.mark.parametrize("kind", members(), ids=lambda k: k.__name__)
    def test_each_member_folds_without_raising(self, kind: type) -> None:
        t = Transcript()
        ops = t.apply(SAMPLES[kind])  # type: ignore[arg-type]
        assert isinstance(ops, list)

    def test_all_members_in_one_stream(self) -> None:
        t = fold(*SAMPLES.values())
        kinds = [b["kind"] for b in t.blocks]
        for expected in ("reasoning", "text", "refusal", "image", "audio", "video", "tool", "error", "user"):
            assert expected in kinds

    def test_unknown_event_is_skipped_not_raised(self) -> None:
        class Future:
            pass

        assert Transcript().apply(Future()) == []  # type: ignore[arg-type]


class TestBlocks:
    def test_text_deltas_join_into_one_block(self) -> None:
        t = fold(TextDelta(0, "Hel"), TextDelta(0, "lo"))
        assert [b["text"] for b in t.blocks] == ["Hello"]

    def test_blocks_follow_kind_changes_not_index(self) -> None:
        """Chat completions gives text, reasoning and the first tool call all index 0."""
        t = fold(ReasoningDelta(0, "r"), TextDelta(0, "a"), ToolUseStart(0, "c", "f"), TextDelta(0, "b"))
        assert [b["kind"] for b in t.blocks] == ["reasoning", "text", "tool", "text"]

    def test_reasoning_folds_when_the_answer_starts(self) -> None:
        t = fold(ReasoningDelta(0, "r"))
        assert t.blocks[0]["done"] is False
        t.apply(TextDelta(0, "a"))
        assert t.blocks[0]["done"] is True

    def test_tool_args_stream_as_fields(self) -> None:
        t = fold(
            ToolUseStart(0, "c", "get_weather"), ToolInputDelta(0, "c", ""), ToolInputDelta(0, "c", '{"city": "Pa')
        )
        assert t.blocks[0]["fields"] == {"city": "Pa"}
        t.apply(ToolInputDelta(0, "c", 'ris", "days": 3}'))
        assert t.blocks[0]["fields"]["city"] == "Paris"
        assert t.blocks[0]["args"] == '{"city": "Paris", "days": 3}'

    def test_tool_output_and_result(self) -> None:
        t = fold(
            ToolUseStart(0, "c", "sh"),
            ToolOutputDelta("c", "sh", "stdout", "a"),
            ToolOutputDelta("c", "sh", "stderr", "b"),
            ToolResult("c", "sh", True, "failed"),
        )
        tool = t.blocks[0]
        assert tool["output"] == {"stdout": "a", "stderr": "b"}
        assert (tool["result"], tool["status"]) == ("failed", "error")

    def test_citation_attaches_to_the_text(self) -> None:
        t = fold(TextDelta(0, "x"), Citation(0, "c", title="T", url="https://e.org"))
        assert t.blocks[0]["citations"] == [{"title": "T", "url": "https://e.org", "cited_text": "c"}]

    def test_invalid_image_is_described_not_raised(self) -> None:
        t = fold(ImageOutput(0, b"not a png", "image/png"))
        assert "invalid" in t.blocks[0]


class TestEnds:
    def test_usage_iterations_and_stop_reason(self) -> None:
        t = fold(
            IterationStart(0, model="m"),
            TextDelta(0, "a"),
            IterationEnd(0, StopReason.tool_use, Usage(10, 2)),
            IterationStart(0, model="m"),
            IterationEnd(0, StopReason.end_turn, Usage(12, 3, reasoning_tokens=1)),
            SessionEndEvent(StopReason.end_turn, Usage(22, 5, reasoning_tokens=1)),
        )
        assert t.meta["iterations"] == 2
        assert t.meta["usage"] == {"input": 22, "output": 5, "cached": 0, "reasoning": 1}
        assert (t.meta["status"], t.meta["stop_reason"], t.meta["incomplete"]) == ("done", "end_turn", False)

    def test_iterations_counted_without_iteration_start(self) -> None:
        t = fold(TextDelta(0, "a"), IterationEnd(0, StopReason.end_turn, Usage(1, 1)))
        assert t.meta["iterations"] == 1

    @pytest.mark.parametrize(
        "reason", [StopReason.max_tokens, StopReason.repetition, StopReason.context_window_exceeded]
    )
    def test_cut_short_is_a_visible_warning(self, reason: StopReason) -> None:
        """A truncated answer must never look whole."""
        t = fold(TextDelta(0, "partial"), SessionEndEvent(reason, Usage(1, 1)))
        assert t.meta["incomplete"] is True
        assert t.blocks[-1]["kind"] == "notice" and "Cut short" in t.blocks[-1]["text"]

    def test_error_keeps_partial_output(self) -> None:
        t = fold(
            TextDelta(0, "partial"), Error(RuntimeError("net down")), SessionEndEvent(StopReason.error, Usage(0, 0))
        )
        assert t.blocks[0]["text"] == "partial"
        assert t.blocks[1] == {"id": 1, "kind": "error", "message": "net down"}
        assert t.meta["status"] == "error"

    def test_interrupt_after_cancel_session_end(self) -> None:
        """On Task.cancel axio yields SessionEndEvent(error) first; the interrupt still shows."""
        t = fold(TextDelta(0, "partial"), SessionEndEvent(StopReason.error, Usage(0, 0)))
        t.interrupt()
        assert t.meta["status"] == "interrupted"
        assert t.blocks[-1]["kind"] == "notice" and "Interrupted" in t.blocks[-1]["text"]
        assert t.interrupt() == []

    def test_ttft_and_elapsed_from_the_clock(self) -> None:
        now = iter([0.0, 0.25, 1.5])
        t = Transcript(clock=lambda: next(now))
        t.apply(TextDelta(0, "a"))
        t.apply(SessionEndEvent(StopReason.end_turn, Usage(1, 1)))
        assert (t.meta["ttft_ms"], t.meta["elapsed_ms"]) == (250, 1500)

    def test_cost_from_pricing(self) -> None:
        t = Transcript(pricing=lambda u: u["input"] * 1e-6)
        t.apply(SessionEndEvent(StopReason.end_turn, Usage(1000, 1)))
        assert t.meta["cost"] == pytest.approx(0.001)


class TestOps:
    def test_ops_replayed_rebuild_the_same_blocks(self) -> None:
        """What a view builds from the ops equals the transcript's own state."""
        t = Transcript()
        initial = state_json(t)
        ops = []
        for event in SAMPLES.values():
            ops += t.apply(event)  # type: ignore[arg-type]
        blocks, _meta = replay(initial, ops)
        assert blocks == state_json(t)[0]
