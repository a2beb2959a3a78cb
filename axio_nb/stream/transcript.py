"""The fold: axio StreamEvents in, transcript blocks and wire ops out (pure Python, no Jupyter).

One case per member of axio's StreamEvent union, kept in one `match` so the whole fold reads in one
place; the blocks themselves live in `blocklog.py` and the tool cards in `tools.py`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Unpack, assert_never

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
from axio.types import INCOMPLETE, StopReason, Usage

from ..media import prepare_media
from ..media.poster import POSTER_MEDIA_TYPE, video_poster
from .audio import AudioChunks
from .blocklog import BlockLog, copy_block
from .blocks import (
    ANSWER_KINDS,
    FINISHED,
    MEDIA_KINDS,
    Block,
    BlockFields,
    BlockKind,
    ErrorFields,
    MediaFields,
    Meta,
    NoticeFields,
    NoticeLevel,
    Op,
    ReasoningFields,
    RefusalFields,
    Status,
    TextFields,
    UserFields,
)
from .blocks import Usage as UsageFields
from .notes import Note, OwnEvent, Saved
from .tools import ToolCards

log = logging.getLogger(__name__)

#: Stop reasons after which the answer is not whole. axio's INCOMPLETE leaves out `repetition`,
#: yet a repetition cut ends the text mid-answer just the same (axio's detector stops the turn
#: where the loop began, not where the answer would have ended).
CUT_SHORT = frozenset(INCOMPLETE | {StopReason.repetition})


@dataclass(slots=True)
class Transcript:
    """Everything one turn showed, kept so any view that arrives late can be given all of it.

    ``apply`` takes one event and returns the ops a live view needs to show it. Blocks are keyed on
    arrival order and event kind, never on ``index``: chat completions reports text, reasoning and
    the first tool call all at index 0.

    The blocks live in a `BlockLog`, which keeps appended text as parts joined on read, so the
    fold's cost per delta does not grow with the answer.
    """

    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    transport: str = ""
    format_error: Callable[[BaseException], str] = str
    #: USD for a usage dict, from the ModelSpec's prices; None when the model has none.
    pricing: Callable[[UsageFields], float | None] | None = None
    media: dict[int, bytes | bytearray] = field(default_factory=dict)
    #: A video block's poster (its first frame, `media/poster.py`), when one could be made; `poster` names its type.
    posters: dict[int, bytes] = field(default_factory=dict)
    meta: Meta = field(default_factory=lambda: Meta())
    _log: BlockLog = field(default_factory=BlockLog)
    _tools: ToolCards = field(init=False)
    _audio: AudioChunks = field(init=False)
    _t0: float = 0.0
    _in_iteration: bool = False
    _usage: Usage = field(default_factory=lambda: Usage(0, 0))

    def __post_init__(self) -> None:
        self._tools = ToolCards(self._log)
        self._audio = AudioChunks(self._log, self.media)
        self._t0 = self.clock()
        self.meta = Meta(status=Status.waiting, started_at=int(self.wall() * 1000), iterations=0)
        if self.transport:
            self.meta["transport"] = self.transport

    # -- reading ---------------------------------------------------------------------------------
    @property
    def blocks(self) -> list[Block]:
        """The blocks, their appended text joined."""
        return self._log.blocks

    @property
    def text(self) -> str:
        """The answer: every text and refusal block, in order (what `get_final_text()` would say)."""
        return "".join(b["text"] for b in self.blocks if b["kind"] in ANSWER_KINDS)

    @property
    def stop_reason(self) -> str | None:
        return self.meta.get("stop_reason")

    @property
    def status(self) -> Status:
        return Status(self.meta.get("status", Status.waiting))

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def state(self) -> tuple[list[Block], Meta]:
        """A deep enough copy of blocks and meta to hand to another thread or serialise."""
        return [copy_block(b) for b in self.blocks], Meta(**self.meta)

    # -- the fold --------------------------------------------------------------------------------
    def apply(self, event: StreamEvent | OwnEvent) -> list[Op]:  # noqa: C901 - one case per event type, by design
        """Fold one event in and return the ops that show it."""
        match event:
            case TextDelta(delta=d):
                return self._append_text(BlockKind.text, d)
            case ReasoningDelta(delta=d):
                return self._append_text(BlockKind.reasoning, d)
            case Refusal():
                return self._refusal(event)
            case Citation():
                return self._citation(event)
            case ReasoningSignature(redacted=redacted):
                last = self._last(BlockKind.reasoning)
                if redacted and last is not None and not last["redacted"]:
                    return self._set(last, ("redacted",), True)
                return []
            case TextSignature() | ProviderEvent() | ProviderOutput():
                return []
            case ImageOutput(index=i, data=data, media_type=mt):
                return self._media(BlockKind.image, data, mt, i)
            case AudioOutput(index=i, data=data, media_type=mt):
                return self._media(BlockKind.audio, data, mt, i)
            case VideoOutput(index=i, data=data, media_type=mt):
                return self._media(BlockKind.video, data, mt, i)
            case ToolUseStart():
                return self._first_content() + self._close_reasoning() + self._tools.start(event)
            case ToolInputDelta():
                return self._tools.input(event)
            case ToolFieldStart():
                return self._tools.field_start(event)
            case ToolFieldDelta():
                return self._tools.field_delta(event)
            case ToolFieldEnd():
                return []
            case ToolOutputDelta():
                return self._tools.output(event)
            case ToolResult():
                return self._first_content() + self._tools.result(event)
            case BlockEnd():
                return []
            case IterationStart(model=model):
                self._in_iteration = True
                meta = Meta(iterations=self.meta.get("iterations", 0) + 1)
                if model:
                    meta["model"] = model
                return self._close_reasoning() + self._meta(meta)
            case IterationEnd(stop_reason=reason, usage=usage):
                # IterationStart is optional (chat completions sends it only when a chunk names the
                # model), and its `iteration` is always 0: count iterations by their ends too.
                counted = self.meta.get("iterations", 0) + (0 if self._in_iteration else 1)
                self._in_iteration = False
                self._usage = self._usage + usage
                return self._meta(self._usage_meta(), iterations=counted, stop_reason=str(reason))
            case Error(exception=exc):
                return self._error(exc)
            case SessionEndEvent(stop_reason=reason, total_usage=usage):
                return self._end(reason, usage)
            case AudioOutputDelta(data=data, media_type=mt):
                return self._first_content() + self._audio.chunk(data, mt)
            case TranscriptDelta(role=role, delta=d):
                return self._append_text(BlockKind.text if role == "assistant" else BlockKind.user, d)
            case SpeechStarted():
                return self._audio.cut() + self._meta(vad="speaking")
            case SpeechStopped():
                return self._meta(vad="silent")
            case TurnComplete(stop_reason=reason, usage=usage):
                if usage is not None:
                    self._usage = self._usage + usage
                return self._audio.close() + self._meta(self._usage_meta(), stop_reason=str(reason))
            case Note(text=text, level=level):
                return self._notice(level, text)
            case Saved(path=path):
                media = self._log.tail
                return self._set(media, ("path",), path) if media is not None and media["kind"] in MEDIA_KINDS else []
            case _:
                if TYPE_CHECKING:
                    assert_never(event)
                return self.skip_unknown(event)

    def skip_unknown(self, event: object) -> list[Op]:
        """An event type newer than this fold (axio is pre-1.0 and adds events): logged, never raised in a cell."""
        log.debug("axio_nb: skipping unknown event %s", type(event).__name__)
        return []

    # -- ends that do not come from axio ---------------------------------------------------------
    def interrupt(self) -> list[Op]:
        """The user stopped the turn: keep every block and say it was interrupted.

        It wins over an earlier end: on `Task.cancel()` axio first yields SessionEndEvent(error)
        and only raises CancelledError on the next step.
        """
        if self.status is Status.interrupted:
            return []
        ops = self._close_reasoning() + self._audio.close()
        ops += self._notice(NoticeLevel.warning, INTERRUPTED)
        return ops + self._meta(self._timing(), status=Status.interrupted, stop_reason="cancelled", incomplete=True)

    def fail(self, exc: BaseException) -> list[Op]:
        """A failure outside the stream (the transport raised before any event): keep what came."""
        if self.finished:
            return []
        ops = self._audio.close() + self._error(exc)
        return ops + self._meta(self._timing(), status=Status.error, stop_reason="error")

    def finish(self) -> list[Op]:
        """The stream ended without a SessionEndEvent (a raw transport stream): close it."""
        if self.finished:
            return []
        reason = self.meta.get("stop_reason") or "end_turn"
        ops = self._close_reasoning() + self._audio.close()
        if reason in CUT_SHORT:
            ops += self._notice(NoticeLevel.warning, cut_text(reason))
        return ops + self._meta(self._timing(), status=Status.done, incomplete=reason in CUT_SHORT)

    # -- handlers --------------------------------------------------------------------------------
    def _append_text(self, kind: BlockKind, delta: str) -> list[Op]:
        if not delta:
            return []
        ops = self._first_content()
        last = self._log.tail
        if last is None or last["kind"] != kind or last.get("done"):
            if kind is not BlockKind.reasoning:
                ops += self._close_reasoning()
            fields: BlockFields
            if kind is BlockKind.text:
                fields = TextFields(kind=BlockKind.text, text="", citations=[])
            elif kind is BlockKind.reasoning:
                fields = ReasoningFields(kind=BlockKind.reasoning, text="", redacted=False, done=False)
            else:
                fields = UserFields(kind=BlockKind.user, text="")
            ops += self._open(fields)
            last = self._log.newest
        return ops + self._append(last, ("text",), delta)

    def _refusal(self, event: Refusal) -> list[Op]:
        last = self._log.tail
        if last is not None and last["kind"] == BlockKind.refusal:
            return self._append(last, ("text",), event.text) if event.text else []
        ops = self._first_content() + self._close_reasoning()
        fields = RefusalFields(
            kind=BlockKind.refusal,
            text="",
            category=event.category,
            blocked_input=event.blocked_input,
            spoken=event.spoken,
        )
        ops += self._open(fields)
        return ops + (self._append(self._log.newest, ("text",), event.text) if event.text else [])

    def _citation(self, event: Citation) -> list[Op]:
        target = self._last(BlockKind.text)
        if target is None:
            return []
        entry = {"title": event.title, "url": event.url, "cited_text": event.cited_text}
        if entry in target["citations"]:
            return []
        return self._set(target, ("citations",), [*target["citations"], entry])

    def _media(self, kind: BlockKind, data: bytes, media_type: str, index: int) -> list[Op]:
        ops = self._first_content() + self._close_reasoning()
        data, info = prepare_media(kind, data, media_type)
        poster = video_poster(data) if kind == BlockKind.video else None
        if poster is not None:
            info["poster"] = POSTER_MEDIA_TYPE
        ops += self._open(MediaFields(kind=kind, index=index, **info))  # type: ignore[typeddict-item]
        self.media[self._log.newest["id"]] = data
        if poster is not None:
            self.posters[self._log.newest["id"]] = poster
        self._tools.media(self._log.newest)
        return ops

    def _error(self, exc: BaseException) -> list[Op]:
        ops = self._close_reasoning()
        message = _one_line(self.format_error(exc)) or type(exc).__name__
        return ops + self._open(ErrorFields(kind=BlockKind.error, message=message)) + self._meta(status=Status.error)

    def _end(self, reason: StopReason, usage: Usage) -> list[Op]:
        ops = self._close_reasoning() + self._tools.fail_running() + self._audio.close()
        cut = reason in CUT_SHORT
        if cut:
            ops += self._notice(NoticeLevel.warning, cut_text(reason))
        if usage.input_tokens or usage.output_tokens:
            self._usage = usage
        status = Status.error if reason is StopReason.error else Status.done
        return ops + self._meta(
            self._usage_meta(), self._timing(), status=status, stop_reason=str(reason), incomplete=cut
        )

    # -- primitives ------------------------------------------------------------------------------
    def _first_content(self) -> list[Op]:
        if "ttft_ms" in self.meta:
            return []
        return self._meta(status=Status.streaming, ttft_ms=round((self.clock() - self._t0) * 1000))

    def _usage_meta(self) -> Meta:
        usage = UsageFields(
            input=self._usage.input_tokens,
            output=self._usage.output_tokens,
            cached=self._usage.cache_read_tokens,
            reasoning=self._usage.reasoning_tokens,
        )
        return Meta(usage=usage, cost=self.pricing(usage) if self.pricing else None)

    def _timing(self) -> Meta:
        return Meta(elapsed_ms=round((self.clock() - self._t0) * 1000))

    def _close_reasoning(self) -> list[Op]:
        last = self._last(BlockKind.reasoning)
        return self._set(last, ("done",), True) if last is not None and not last["done"] else []

    def _last(self, kind: BlockKind) -> Block | None:
        return self._log.last(kind)

    def _notice(self, level: NoticeLevel, text: str) -> list[Op]:
        return self._open(NoticeFields(kind=BlockKind.notice, level=level, text=text))

    def _open(self, fields: BlockFields) -> list[Op]:
        return self._log.open(fields)

    def _append(self, block: Block, path: tuple[str, ...], text: str) -> list[Op]:
        return self._log.append(block, path, text)

    def _set(self, block: Block, path: tuple[str, ...], value: Any) -> list[Op]:
        return self._log.set(block, path, value)

    def _meta(self, *parts: Meta, **values: Unpack[Meta]) -> list[Op]:
        merged = Meta()
        for part in parts:
            merged.update(part)
        merged.update(values)
        self.meta.update(merged)
        return [{"op": "meta", "value": merged}]


INTERRUPTED = "Interrupted — the answer above is partial."


def cut_text(reason: str) -> str:
    """The one warning a cut-short answer shows (a notice block: the live view and the snapshot both render it)."""
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
