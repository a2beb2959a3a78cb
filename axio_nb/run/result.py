"""ChatResult: what a turn leaves behind (`--out`, `await show(...)`), displayable again in any cell."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from ..render.snapshot import mimebundle
from ..stream.blocks import BROKEN, Block, BlockKind, Status, Usage
from ..stream.transcript import Transcript


@dataclass(slots=True)
class ChatResult:
    transcript: Transcript = field(repr=False)
    session: str | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    async def wait(self) -> ChatResult:
        """Wait for the turn to end (useful after `--background`)."""
        await self.done.wait()
        return self

    @property
    def text(self) -> str:
        """The answer's text (every text and refusal block of every iteration, in order)."""
        return self.transcript.text

    @property
    def stop_reason(self) -> str | None:
        return self.transcript.stop_reason

    @property
    def status(self) -> Status:
        """waiting, streaming, done, error or interrupted (a `Status`: it compares equal to those words)."""
        return self.transcript.status

    @property
    def usage(self) -> Usage:
        """Tokens: `input`, `output`, `cached`, `reasoning`."""
        return Usage(**self.transcript.meta.get("usage", Usage(input=0, output=0, cached=0, reasoning=0)))

    @property
    def model(self) -> str | None:
        return self.transcript.meta.get("model")

    @property
    def elapsed_ms(self) -> int | None:
        return self.transcript.meta.get("elapsed_ms")

    @property
    def blocks(self) -> list[Block]:
        return self.transcript.state()[0]

    @property
    def error(self) -> str | None:
        errors = [b["message"] for b in self.transcript.blocks if b["kind"] == BlockKind.error]
        return errors[-1] if errors else None

    @property
    def incomplete(self) -> bool:
        """True when the answer is not whole: cut short, interrupted or failed."""
        return bool(self.transcript.meta.get("incomplete")) or self.status in BROKEN

    def view(self) -> Any:
        """A new live view of this transcript (the whole state is replayed into it)."""
        from ..views.stream import StreamView

        return StreamView(self.transcript)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return mimebundle(self.transcript)

    def __repr__(self) -> str:
        usage = self.usage
        reason = self.stop_reason or self.status
        return f"<ChatResult {reason} {len(self.text)} chars {usage['input']}→{usage['output']} tok>"
