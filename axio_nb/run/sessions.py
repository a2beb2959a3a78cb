"""Named conversations: an axio ContextStore each, turns run one after another, history kept valid."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field

from axio import MemoryContextStore, Message, ReasoningBlock, TextBlock
from axio.context import ContextStore

DEFAULT_SESSION = "default"
#: axio stamps every user message with the time (agent.py); history shown to a person leaves it out.
_TS_PREFIX = re.compile(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[^\]]*\] ")


@dataclass(slots=True)
class Session:
    name: str
    context: ContextStore = field(default_factory=MemoryContextStore)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    turns: int = 0

    async def repair(self, partial_text: str) -> None:
        """Leave no user message without an answer after it.

        axio drops the partial answer when a turn is cancelled or fails mid-stream and keeps the
        user's message, so the next request would carry two user messages in a row
        (docs/axio-events.md#cancellation-and-history).
        The partial text the user saw is stored as the answer instead, marked as interrupted.
        """
        history = await self.context.get_history()
        if history and history[-1].role == "user" and _is_plain_user(history[-1]):
            note = (partial_text.rstrip() + "\n\n" if partial_text.strip() else "") + "[interrupted]"
            await self.context.append(Message(role="assistant", content=[TextBlock(text=note)]))


def _is_plain_user(message: Message) -> bool:
    return any(isinstance(b, TextBlock) for b in message.content)


class Sessions:
    """The kernel's conversations by name."""

    def __init__(self) -> None:
        self._by_name: dict[str, Session] = {}

    def get(self, name: str = DEFAULT_SESSION) -> Session:
        if name not in self._by_name:
            self._by_name[name] = Session(name)
        return self._by_name[name]

    def names(self) -> list[str]:
        return list(self._by_name)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    async def reset(self, name: str = DEFAULT_SESSION) -> None:
        session = self._by_name.get(name)
        if session is not None:
            async with session.lock:
                await session.context.clear()
                session.turns = 0

    def drop_all(self) -> None:
        self._by_name.clear()


def readable(message: Message) -> str:
    """One message as a person reads it: text blocks, the timestamp prefix removed, others named."""
    parts = []
    for block in message.content:
        if isinstance(block, TextBlock):
            parts.append(_TS_PREFIX.sub("", block.text))
        elif isinstance(block, ReasoningBlock):
            continue
        else:
            name = getattr(block, "name", "")
            parts.append(f"[{type(block).__name__}{' ' + name if name else ''}]")
    return " ".join(parts)
