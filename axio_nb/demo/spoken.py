"""One spoken response of the demo realtime session: its words, and caption and voice in step, 100 ms at a time."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Final

from axio.events import AudioOutputDelta, StreamEvent, ToolInputDelta, ToolUseStart, TranscriptDelta, TurnComplete
from axio.types import StopReason, ToolCallID, ToolName, Usage

from .speech import MS_PER_CHAR, TTS_PCM_MEDIA_TYPE, TTS_RATE, DemoTTS, speech_frames

#: Each AudioOutputDelta holds this much of the voice (PCM16 mono at TTS_RATE: 4800 bytes).
CHUNK_MS: Final = 100
CHUNK_SAMPLES: Final = TTS_RATE * CHUNK_MS // 1000
_CHAR_SAMPLES: Final = TTS_RATE * MS_PER_CHAR // 1000
#: What one tool result may add to the spoken answer; the voice speaks MS_PER_CHAR per character.
_RESULT_CHARS: Final = 60


def heard_caption(seconds: float) -> str:
    """The user's caption for an audio turn: the demo measures speech, it does not recognise words."""
    return f"(heard {seconds:.1f} s of speech)" if seconds else "(heard no speech)"


def answer_to_speech(seconds: float) -> str:
    if not seconds:
        return "I heard no speech, only quiet."
    return f"I heard {seconds:.1f} seconds of speech. This demo hears how long you talk, not what you say."


def answer_to_text(text: str) -> str:
    words = " ".join(text.split())
    said = words if len(words) <= 48 else words[:47].rstrip() + "…"
    stop = "" if said[-1] in ".!?…" else "."
    return f"You typed: {said}{stop} This is the offline demo voice."


def answer_from_tools(results: list[tuple[ToolName, str]]) -> str:
    def short(text: str) -> str:
        flat = " ".join(text.split())
        return flat if len(flat) <= _RESULT_CHARS else flat[: _RESULT_CHARS - 1].rstrip() + "…"

    return "The tools said: " + "; ".join(f"{name}: {short(result)}" for name, result in results) + "."


def caption_pieces(text: str) -> list[str]:
    """`text` cut where the voice is: piece k holds the characters whose sound starts in chunk k.

    The voice gives each character MS_PER_CHAR and stops at MAX_SPEECH_SECONDS (speech.py); characters
    past that are never spoken, and the last piece carries them so the caption is still whole.
    """
    chunks = -(-speech_frames(text) // CHUNK_SAMPLES)
    pieces = [
        text[-(-k * CHUNK_SAMPLES // _CHAR_SAMPLES) : -(-(k + 1) * CHUNK_SAMPLES // _CHAR_SAMPLES)]
        for k in range(chunks)
    ]
    spoken = -(-chunks * CHUNK_SAMPLES // _CHAR_SAMPLES)
    pieces[-1] += text[spoken:]
    return pieces


@dataclass(slots=True)
class SpokenReply:
    """One response: per chunk a caption piece then its audio, then any tool calls, then TurnComplete.

    `next_event` hands them out one at a time, making each audio chunk only when it is asked for, so a
    cancelled reply leaves nothing made ahead. `due_ms` is how far into the voice the next event
    belongs: the session paces a reply by it.
    """

    number: int
    text: str
    voice: str
    input_tokens: int
    calls: list[tuple[ToolCallID, ToolName, dict[str, Any]]] = field(default_factory=list)
    sent_chunks: int = field(default=0, init=False)
    sent_chars: int = field(default=0, init=False)
    _plan: list[tuple[int, StreamEvent | None]] = field(default_factory=list, init=False, repr=False)
    _step: int = field(default=0, init=False, repr=False)
    _audio: AsyncIterator[bytes] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        pieces = caption_pieces(self.text)
        for k, piece in enumerate(pieces):
            if piece:
                self._plan.append((k, TranscriptDelta(role="assistant", delta=piece)))
            self._plan.append((k, None))
        last = len(pieces) - 1
        for i, (call_id, name, args) in enumerate(self.calls):
            self._plan.append((last, ToolUseStart(i, call_id, name)))
            payload = json.dumps(args)
            for part in ["", *(payload[j : j + 6] for j in range(0, len(payload), 6))]:
                self._plan.append((last, ToolInputDelta(i, call_id, part)))
        stop = StopReason.tool_use if self.calls else StopReason.end_turn
        self._plan.append((last, TurnComplete(stop, Usage(self.input_tokens, -(-len(self.text) // 4)))))

    @property
    def done(self) -> bool:
        return self._step >= len(self._plan)

    @property
    def due_ms(self) -> int:
        return self._plan[self._step][0] * CHUNK_MS

    @property
    def finishing(self) -> bool:
        """The next event is the last one, the TurnComplete."""
        return self._step == len(self._plan) - 1

    async def next_event(self) -> StreamEvent:
        _, event = self._plan[self._step]
        self._step += 1
        if event is None:
            if self._audio is None:
                self._audio = DemoTTS(voice=self.voice, chunk_ms=CHUNK_MS, delay=0.0).synthesize(self.text)
            self.sent_chunks += 1
            return AudioOutputDelta(await anext(self._audio), TTS_PCM_MEDIA_TYPE)
        if isinstance(event, TranscriptDelta):
            self.sent_chars += len(event.delta)
        return event

    def cancelled(self) -> TurnComplete:
        """The TurnComplete of this reply cut short: the tokens are those of the caption already sent."""
        return TurnComplete(StopReason.cancelled, Usage(self.input_tokens, -(-self.sent_chars // 4)))

    async def aclose(self) -> None:
        if isinstance(self._audio, AsyncGenerator):
            await self._audio.aclose()
