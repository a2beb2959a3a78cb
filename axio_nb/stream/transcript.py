"""The fold: axio StreamEvents in, transcript blocks and wire ops out (pure Python, no Jupyter)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, assert_never

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
from axio.tool_args import ToolArgStream
from axio.types import INCOMPLETE, StopReason, Usage

from ..media import describe_media

log = logging.getLogger(__name__)

type Op = dict[str, Any]
type Block = dict[str, Any]

#: Stop reasons after which the answer is not whole. axio's INCOMPLETE leaves out `repetition`,
#: yet a repetition cut ends the text mid-answer just the same (DESIGN §3.11).
CUT_SHORT = frozenset(INCOMPLETE | {StopReason.repetition})

_TEXT_KINDS = ("text", "reasoning", "refusal")


@dataclass(slots=True)
class Transcript:
    """Everything one turn showed, kept so any view that arrives late can be given all of it.

    ``apply`` takes one event and returns the ops a live view needs to show it. Blocks are keyed on
    arrival order and event kind, never on ``index``: chat completions reports text, reasoning and
    the first tool call all at index 0 (AXIO_EVENTS §3.4).
    """

    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    transport: str = ""
    format_error: Callable[[BaseException], str] = str
    #: USD for a usage dict, from the ModelSpec's prices; None when the model has none.
    pricing: Callable[[dict[str, int]], float | None] | None = None
    blocks: list[Block] = field(default_factory=list)
    media: dict[int, bytes] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    _tools: dict[str, Block] = field(default_factory=dict)
    _args: dict[str, ToolArgStream] = field(default_factory=dict)
    _t0: float = 0.0
    _in_iteration: bool = False
    _usage: Usage = field(default_factory=lambda: Usage(0, 0))

    def __post_init__(self) -> None:
        self._t0 = self.clock()
        self.meta = {"status": "waiting", "started_at": int(self.wall() * 1000), "iterations": 0}
        if self.transport:
            self.meta["transport"] = self.transport

    # -- reading ---------------------------------------------------------------------------------
    @property
    def text(self) -> str:
        """The answer: every text and refusal block, in order (what `get_final_text()` would say)."""
        return "".join(b["text"] for b in self.blocks if b["kind"] in ("text", "refusal"))

    @property
    def stop_reason(self) -> str | None:
        value = self.meta.get("stop_reason")
        return value if isinstance(value, str) else None

    @property
    def finished(self) -> bool:
        return self.meta.get("status") in ("done", "error", "interrupted")

    def state(self) -> tuple[list[Block], dict[str, Any]]:
        """A deep enough copy of blocks and meta to hand to another thread or serialise."""
        return [_copy_block(b) for b in self.blocks], dict(self.meta)

    # -- the fold --------------------------------------------------------------------------------
    def apply(self, event: StreamEvent) -> list[Op]:  # noqa: C901 - one case per event type, by design
        """Fold one event in and return the ops that show it."""
        match event:
            case TextDelta(delta=d):
                return self._append_text("text", d)
            case ReasoningDelta(delta=d):
                return self._append_text("reasoning", d)
            case Refusal():
                return self._refusal(event)
            case Citation():
                return self._citation(event)
            case ReasoningSignature(redacted=redacted):
                last = self._last("reasoning")
                if redacted and last is not None and not last["redacted"]:
                    return self._set(last, "redacted", True)
                return []
            case TextSignature() | ProviderEvent() | ProviderOutput():
                return []
            case ImageOutput(data=data, media_type=mt):
                return self._media("image", data, mt)
            case AudioOutput(data=data, media_type=mt):
                return self._media("audio", data, mt)
            case VideoOutput(data=data, media_type=mt):
                return self._media("video", data, mt)
            case ToolUseStart():
                return self._tool_start(event)
            case ToolInputDelta():
                return self._tool_input(event)
            case ToolFieldStart(tool_use_id=tid, key=key):
                tool = self._tools.get(tid)
                return self._set(tool, ("fields", key), "") if tool is not None else []
            case ToolFieldDelta(tool_use_id=tid, key=key, text=text):
                tool = self._tools.get(tid)
                return self._append(tool, ("fields", key), text) if tool is not None and text else []
            case ToolFieldEnd():
                return []
            case ToolOutputDelta(tool_use_id=tid, key=key, delta=d):
                tool = self._tools.get(tid)
                return self._append(tool, ("output", key), d) if tool is not None and d else []
            case ToolResult():
                return self._tool_result(event)
            case BlockEnd():
                return []
            case IterationStart(model=model):
                self._in_iteration = True
                meta: dict[str, Any] = {"iterations": self.meta["iterations"] + 1}
                if model:
                    meta["model"] = model
                return self._close_reasoning() + self._meta(**meta)
            case IterationEnd(stop_reason=reason, usage=usage):
                # IterationStart is optional (chat completions sends it only when a chunk names the
                # model), and its `iteration` is always 0: count iterations by their ends too.
                counted = self.meta["iterations"] + (0 if self._in_iteration else 1)
                self._in_iteration = False
                self._usage = self._usage + usage
                return self._meta(iterations=counted, stop_reason=str(reason), **self._usage_meta())
            case Error(exception=exc):
                return self._error(exc)
            case SessionEndEvent(stop_reason=reason, total_usage=usage):
                return self._end(reason, usage)
            case AudioOutputDelta():
                # Realtime speech is played by the realtime view; a chat transcript keeps its words.
                return []
            case TranscriptDelta(role=role, delta=d):
                return self._append_text("text" if role == "assistant" else "user", d)
            case SpeechStarted():
                return self._meta(vad="speaking")
            case SpeechStopped():
                return self._meta(vad="silent")
            case TurnComplete(stop_reason=reason, usage=usage):
                if usage is not None:
                    self._usage = self._usage + usage
                return self._meta(stop_reason=str(reason), **self._usage_meta())
            case _:
                if TYPE_CHECKING:
                    assert_never(event)
                return self.skip_unknown(event)

    def skip_unknown(self, event: object) -> list[Op]:
        """An event type newer than this fold: logged, never raised in a cell (DESIGN §1)."""
        log.debug("axio_nb: skipping unknown event %s", type(event).__name__)
        return []

    # -- ends that do not come from axio ---------------------------------------------------------
    def interrupt(self) -> list[Op]:
        """The user stopped the turn: keep every block and say it was interrupted.

        It wins over an earlier end: on `Task.cancel()` axio first yields SessionEndEvent(error)
        and only raises CancelledError on the next step (AXIO_EVENTS §3.2).
        """
        if self.meta.get("status") == "interrupted":
            return []
        ops = self._close_reasoning()
        ops += self._open({"kind": "notice", "level": "warning", "text": "Interrupted — the answer above is partial."})
        return ops + self._meta(status="interrupted", stop_reason="cancelled", incomplete=True, **self._timing())

    def fail(self, exc: BaseException) -> list[Op]:
        """A failure outside the stream (the transport raised before any event): keep what came."""
        if self.finished:
            return []
        return self._error(exc) + self._meta(status="error", stop_reason="error", **self._timing())

    def finish(self) -> list[Op]:
        """The stream ended without a SessionEndEvent (a raw transport stream): close it."""
        if self.finished:
            return []
        reason = self.meta.get("stop_reason") or "end_turn"
        ops = self._close_reasoning()
        if reason in CUT_SHORT:
            ops += self._open({"kind": "notice", "level": "warning", "text": _cut_text(reason)})
        return ops + self._meta(status="done", incomplete=reason in CUT_SHORT, **self._timing())

    # -- handlers --------------------------------------------------------------------------------
    def _append_text(self, kind: str, delta: str) -> list[Op]:
        if not delta:
            return []
        ops = self._first_content()
        last = self.blocks[-1] if self.blocks else None
        if last is None or last["kind"] != kind or last.get("done"):
            if kind != "reasoning":
                ops += self._close_reasoning()
            fields: Block = {"kind": kind, "text": ""}
            if kind == "text":
                fields["citations"] = []
            elif kind == "reasoning":
                fields |= {"redacted": False, "done": False}
            ops += self._open(fields)
            last = self.blocks[-1]
        return ops + self._append(last, ("text",), delta)

    def _refusal(self, event: Refusal) -> list[Op]:
        last = self.blocks[-1] if self.blocks else None
        if last is not None and last["kind"] == "refusal":
            return self._append(last, ("text",), event.text) if event.text else []
        ops = self._first_content() + self._close_reasoning()
        fields: Block = {
            "kind": "refusal",
            "text": "",
            "category": event.category,
            "blocked_input": event.blocked_input,
            "spoken": event.spoken,
        }
        ops += self._open(fields)
        return ops + (self._append(self.blocks[-1], ("text",), event.text) if event.text else [])

    def _citation(self, event: Citation) -> list[Op]:
        target = self._last("text")
        if target is None:
            return []
        entry = {"title": event.title, "url": event.url, "cited_text": event.cited_text}
        if entry in target["citations"]:
            return []
        return self._set(target, "citations", [*target["citations"], entry])

    def _media(self, kind: str, data: bytes, media_type: str) -> list[Op]:
        ops = self._first_content() + self._close_reasoning()
        info = describe_media(kind, data, media_type)
        ops += self._open({"kind": kind, **info})
        self.media[self.blocks[-1]["id"]] = data
        return ops

    def _tool_start(self, event: ToolUseStart) -> list[Op]:
        ops = self._first_content() + self._close_reasoning()
        fields: Block = {
            "kind": "tool",
            "tool_use_id": event.tool_use_id,
            "name": event.name,
            "args": "",
            "fields": {},
            "output": {},
            "result": "",
            "status": "running",
        }
        ops += self._open(fields)
        self._tools[event.tool_use_id] = self.blocks[-1]
        self._args[event.tool_use_id] = ToolArgStream(event.tool_use_id, event.index)
        return ops

    def _tool_input(self, event: ToolInputDelta) -> list[Op]:
        tool = self._tools.get(event.tool_use_id)
        if tool is None or not event.partial_json:
            return []
        ops = self._append(tool, ("args",), event.partial_json)
        # axio 0.12.2 never emits ToolField* itself: its own parser makes them, and they go
        # through the same handlers as if the transport had sent them (AXIO_EVENTS §2).
        for field_event in self._args[event.tool_use_id].feed(event.partial_json):
            ops += self.apply(field_event)
        return ops

    def _tool_result(self, event: ToolResult) -> list[Op]:
        tool = self._tools.get(event.tool_use_id)
        if tool is None:
            # A result for a call no ToolUseStart announced (a hand-built stream): show it anyway.
            ops = self._tool_start(ToolUseStart(0, event.tool_use_id, event.name))
            tool = self._tools[event.tool_use_id]
        else:
            ops = []
        if not tool["fields"] and not tool["args"] and event.input:
            ops += self._set(tool, "fields", {k: _field_text(v) for k, v in event.input.items()})
        ops += self._set(tool, "result", event.content)
        return ops + self._set(tool, "status", "error" if event.is_error else "ok")

    def _error(self, exc: BaseException) -> list[Op]:
        ops = self._close_reasoning()
        message = _one_line(self.format_error(exc)) or type(exc).__name__
        return ops + self._open({"kind": "error", "message": message}) + self._meta(status="error")

    def _end(self, reason: StopReason, usage: Usage) -> list[Op]:
        ops = self._close_reasoning()
        for tool in self._tools.values():
            if tool["status"] == "running":
                ops += self._set(tool, "status", "error")
        cut = reason in CUT_SHORT
        if cut:
            ops += self._open({"kind": "notice", "level": "warning", "text": _cut_text(reason)})
        if usage.input_tokens or usage.output_tokens:
            self._usage = usage
        status = "error" if reason is StopReason.error else "done"
        return ops + self._meta(
            status=status, stop_reason=str(reason), incomplete=cut, **self._usage_meta(), **self._timing()
        )

    # -- primitives ------------------------------------------------------------------------------
    def _first_content(self) -> list[Op]:
        if "ttft_ms" in self.meta:
            return []
        return self._meta(status="streaming", ttft_ms=round((self.clock() - self._t0) * 1000))

    def _usage_meta(self) -> dict[str, Any]:
        usage = _usage(self._usage)
        return {"usage": usage, "cost": self.pricing(usage) if self.pricing else None}

    def _timing(self) -> dict[str, Any]:
        return {"elapsed_ms": round((self.clock() - self._t0) * 1000)}

    def _close_reasoning(self) -> list[Op]:
        last = self._last("reasoning")
        return self._set(last, "done", True) if last is not None and not last["done"] else []

    def _last(self, kind: str) -> Block | None:
        for block in reversed(self.blocks):
            if block["kind"] == kind:
                return block
        return None

    def _open(self, fields: Block) -> list[Op]:
        block = {"id": len(self.blocks), **fields}
        self.blocks.append(block)
        return [{"op": "open", "block": _copy_block(block)}]

    def _append(self, block: Block, path: tuple[str, ...], text: str) -> list[Op]:
        target = block
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = target.get(path[-1], "") + text
        return [{"op": "append", "id": block["id"], "path": list(path), "text": text}]

    def _set(self, block: Block, path: str | tuple[str, ...], value: Any) -> list[Op]:
        keys = (path,) if isinstance(path, str) else path
        target = block
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
        return [{"op": "set", "id": block["id"], "path": list(keys), "value": value}]

    def _meta(self, **values: Any) -> list[Op]:
        self.meta.update(values)
        return [{"op": "meta", "value": values}]


def _usage(usage: Usage) -> dict[str, int]:
    return {
        "input": usage.input_tokens,
        "output": usage.output_tokens,
        "cached": usage.cache_read_tokens,
        "reasoning": usage.reasoning_tokens,
    }


def _cut_text(reason: str) -> str:
    why = {
        "max_tokens": "the model hit its output limit (max_tokens)",
        "context_window_exceeded": "the conversation no longer fits the model's context window",
        "cancelled": "the provider cancelled the response",
        "repetition": "axio detected repetitive output and cut the turn",
        "unknown": "the provider stopped for a reason it did not name",
    }.get(reason, reason)
    return f"Cut short: {why}. The answer above is not complete."


def _one_line(text: str) -> str:
    return " ".join(text.split())[:2000]


def _field_text(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


def _copy_block(block: Block) -> Block:
    copy = dict(block)
    for key in ("fields", "output"):
        if key in copy:
            copy[key] = dict(copy[key])
    if "citations" in copy:
        copy["citations"] = list(copy["citations"])
    return copy
