"""A realtime conversation as turns: who spoke, what they said, when, and whether the answer was cut short.

The transcript's blocks (transcript.py) are what a view shows; turns are what a person reads back
(`call.transcript` of `%axio realtime`). Realtime providers give no "user turn done" event, and the user's
caption may arrive after the assistant began answering (OpenAI transcribes the speech after it ended;
the demo captions it at the end of the speech), so the fold keys on the edges it does get:

- a user turn opens at `SpeechStarted` (server VAD), at the press of push-to-talk, or at a typed turn,
  and ends at `SpeechStopped`, at the release, or at once (typed); its caption (`TranscriptDelta("user")`)
  goes to the newest user turn, or opens one when there is none yet (Gemini Live sends no speech edges);
- an assistant turn opens at its first caption, audio or tool call, and ends at `TurnComplete`;
  `interrupted` is set when the user spoke over it (barge-in) or the provider cancelled it.

Times are seconds from the start of the session, on the clock given (monotonic by default).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from axio import AudioOutputDelta, SpeechStarted, SpeechStopped, ToolUseStart, TranscriptDelta, TurnComplete
from axio.types import StopReason

type Role = Literal["user", "assistant"]


@dataclass(slots=True)
class Turn:
    """One side's turn. `end` is None while it lasts; `text` is its caption (typed text for a typed turn)."""

    role: Role
    text: str
    start: float
    end: float | None = None
    interrupted: bool = False
    typed: bool = False
    #: Tools the assistant called in this turn, by name.
    tools: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        end = "…" if self.end is None else f"{self.end:.1f}"
        marks = (" (typed)" if self.typed else "") + (" [cut short]" if self.interrupted else "")
        return f"[{self.start:.1f}–{end} s] {self.role}{marks}: {self.text}"


@dataclass(slots=True)
class Turns:
    """The fold of a realtime session's events into turns (only the events that shape a turn matter)."""

    clock: Callable[[], float] = time.monotonic
    turns: list[Turn] = field(default_factory=list)
    _t0: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        self._t0 = self.clock()

    def now(self) -> float:
        return round(self.clock() - self._t0, 3)

    def __iter__(self) -> Iterator[Turn]:
        return iter(self.turns)

    def __len__(self) -> int:
        return len(self.turns)

    @property
    def answering(self) -> Turn | None:
        """The assistant turn still open, if any."""
        last = self._last("assistant")
        return last if last is not None and last.end is None else None

    def apply(self, event: object) -> None:
        match event:
            case SpeechStarted():
                self.user_started()
            case SpeechStopped():
                self.user_stopped()
            case TranscriptDelta(role="user", delta=d):
                user = self._last("user")
                if user is None or user.typed:
                    user = self.user_started()
                user.text += d
            case TranscriptDelta(delta=d):
                self._assistant().text += d
            case AudioOutputDelta():
                self._assistant()
            case ToolUseStart(name=name):
                self._assistant().tools.append(name)
            case TurnComplete(stop_reason=reason):
                turn = self.answering
                if turn is not None:
                    turn.end = self.now()
                    turn.interrupted = turn.interrupted or reason is StopReason.cancelled
            case _:
                pass

    def user_started(self) -> Turn:
        """The user began speaking (or pressed push-to-talk): a new user turn, unless one is still open."""
        user = self._last("user")
        if user is not None and user.end is None and not user.typed:
            return user
        turn = Turn("user", "", self.now())
        self.turns.append(turn)
        return turn

    def user_stopped(self) -> None:
        user = self._last("user")
        if user is not None and user.end is None:
            user.end = self.now()

    def typed(self, text: str) -> Turn:
        now = self.now()
        turn = Turn("user", text, now, now, typed=True)
        self.turns.append(turn)
        return turn

    def cut(self) -> Turn | None:
        """The user spoke over the open answer (barge-in): it ends now, marked interrupted."""
        turn = self.answering
        if turn is not None:
            turn.interrupted = True
            turn.end = self.now()
        return turn

    def close(self) -> Turn | None:
        """The session ended: open turns end now; an answer still open was cut short (returned)."""
        now = self.now()
        cut = self.answering
        for turn in self.turns:
            if turn.end is None:
                turn.end = now
        if cut is not None:
            cut.interrupted = True
        return cut

    def _assistant(self) -> Turn:
        turn = self.answering
        if turn is None:
            turn = Turn("assistant", "", self.now())
            self.turns.append(turn)
        return turn

    def _last(self, role: Role) -> Turn | None:
        for turn in reversed(self.turns):
            if turn.role == role:
                return turn
        return None
