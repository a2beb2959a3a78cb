"""Tool results of a realtime session, shown on their cards: realtime emits no `ToolResult`, so show what was sent.

axio's RealtimeAgent runs each call in a task and hands its result to `session.send_tool_result(...)`
(axio/realtime.py, `_dispatch_tool`); nothing of it comes back on the event stream. The agent's transport
is wrapped so that every session it connects reports each result as it goes to the provider; the runner
folds it as a `ToolResult`, which closes the card as a chat turn's would. Everything else passes through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from axio import ToolResult
from axio.blocks import ContentBlock, TextBlock

#: How axio's RealtimeAgent words the results it makes itself when a call fails (axio/realtime.py).
_FAILED = ("error: ", "Unknown tool: ")

type OnResult = Callable[[ToolResult], None]


class ReportingTransport:
    """A realtime transport whose sessions report each tool result they send."""

    def __init__(self, transport: Any, on_result: OnResult) -> None:
        self._transport = transport
        self._on_result = on_result

    async def connect(self, **kwargs: Any) -> ReportingSession:
        return ReportingSession(await self._transport.connect(**kwargs), self._on_result)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._transport, name)


class ReportingSession:
    """The connected session, as it is, but for `send_tool_result`, which also reports the result."""

    def __init__(self, session: Any, on_result: OnResult) -> None:
        self._session = session
        self._on_result = on_result

    async def send_tool_result(self, tool_use_id: str, name: str, content: str | list[ContentBlock]) -> None:
        await self._session.send_tool_result(tool_use_id, name, content)
        text = content if isinstance(content, str) else "".join(b.text for b in content if isinstance(b, TextBlock))
        self._on_result(ToolResult(tool_use_id, name, text.startswith(_FAILED), text))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._session, name)
