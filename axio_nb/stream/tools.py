"""Tool-call cards in a transcript: a block per call, its arguments as they stream, its output and result."""

from __future__ import annotations

from typing import Any

from axio import (
    ToolFieldDelta,
    ToolFieldEnd,
    ToolFieldStart,
    ToolInputDelta,
    ToolOutputDelta,
    ToolResult,
    ToolUseStart,
)
from axio.tool_args import ToolArgStream

from .blocklog import BlockLog
from .blocks import Block, BlockKind, Op, ToolFields, ToolStatus


class ToolCards:
    """The tool blocks of one transcript, found by `tool_use_id` (never by `index`, which collides with text)."""

    __slots__ = ("_args", "_cards", "_log", "_media")

    def __init__(self, log: BlockLog) -> None:
        self._log = log
        self._cards: dict[str, Block] = {}
        #: Media blocks opened while a call ran: axio emits a tool's media just before its ToolResult.
        self._media: list[Block] = []
        self._args: dict[str, ToolArgStream] = {}

    def start(self, event: ToolUseStart) -> list[Op]:
        fields = ToolFields(
            kind=BlockKind.tool,
            tool_use_id=event.tool_use_id,
            name=event.name,
            args="",
            fields={},
            output={},
            result="",
            status=ToolStatus.running,
        )
        ops = self._log.open(fields)
        self._cards[event.tool_use_id] = self._log.newest
        self._args[event.tool_use_id] = ToolArgStream(event.tool_use_id, event.index)
        return ops

    def input(self, event: ToolInputDelta) -> list[Op]:
        card = self._cards.get(event.tool_use_id)
        if card is None or not event.partial_json:
            return []
        ops = self._log.append(card, ("args",), event.partial_json)
        # axio 0.12.2 never emits ToolField* itself: its own parser makes them from the JSON fragments,
        # and they go through the same handlers as if a transport had sent them.
        for field_event in self._args[event.tool_use_id].feed(event.partial_json):
            match field_event:
                case ToolFieldStart():
                    ops += self.field_start(field_event)
                case ToolFieldDelta():
                    ops += self.field_delta(field_event)
                case ToolFieldEnd():
                    pass
        return ops

    def field_start(self, event: ToolFieldStart) -> list[Op]:
        card = self._cards.get(event.tool_use_id)
        return self._log.set(card, ("fields", event.key), "") if card is not None else []

    def field_delta(self, event: ToolFieldDelta) -> list[Op]:
        card = self._cards.get(event.tool_use_id)
        return self._log.append(card, ("fields", event.key), event.text) if card is not None and event.text else []

    def output(self, event: ToolOutputDelta) -> list[Op]:
        card = self._cards.get(event.tool_use_id)
        return self._log.append(card, ("output", event.key), event.delta) if card is not None and event.delta else []

    def media(self, block: Block) -> None:
        """A media block just opened: if a call is running, it is that call's output until its result says."""
        if any(card["status"] == ToolStatus.running for card in self._cards.values()):
            self._media.append(block)

    def result(self, event: ToolResult) -> list[Op]:
        card = self._cards.get(event.tool_use_id)
        ops: list[Op] = []
        for block in self._media:  # the media this tool returned: shown as part of its card
            ops += self._log.set(block, ("tool_use_id",), event.tool_use_id)
        self._media.clear()
        if card is None:
            # A result for a call no ToolUseStart announced (a hand-built stream): show it anyway.
            ops += self.start(ToolUseStart(0, event.tool_use_id, event.name))
            card = self._cards[event.tool_use_id]
        if not card["fields"] and not self._log.text(card, ("args",)) and event.input:
            ops += self._log.set(card, ("fields",), {k: _field_text(v) for k, v in event.input.items()})
        ops += self._log.set(card, ("result",), event.content)
        return ops + self._log.set(card, ("status",), ToolStatus.error if event.is_error else ToolStatus.ok)

    def fail_running(self) -> list[Op]:
        """The turn ended: a call still running never got its result."""
        ops: list[Op] = []
        for card in self._cards.values():
            if card["status"] == ToolStatus.running:
                ops += self._log.set(card, ("status",), ToolStatus.error)
        return ops


def _field_text(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)
