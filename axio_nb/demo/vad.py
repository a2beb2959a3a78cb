"""Energy voice-activity detection on PCM16 mono: the demo realtime session's "server VAD"."""

from __future__ import annotations

import array
import math
import sys
from dataclasses import dataclass, field
from typing import Final, Literal

#: The VAD judges audio 20 ms at a time, as WebRTC's VAD and most server VADs do.
FRAME_MS: Final = 20

type VadEdge = Literal["started", "stopped"]


def frame_dbfs(pcm: bytes) -> float:
    """RMS level of PCM16 little-endian samples in dBFS (a full-scale square wave is 0; silence is -inf)."""
    samples = array.array("h", pcm)
    if sys.byteorder == "big":
        samples.byteswap()
    if not samples:
        return -math.inf
    power = sum(s * s for s in samples) / len(samples)
    return 10 * math.log10(power / 32768**2) if power else -math.inf


@dataclass(slots=True)
class EnergyVAD:
    """Speech is `start_ms` of consecutive 20 ms frames at or above `threshold_dbfs`; it ends after
    `stop_ms` of consecutive frames below it.

    The two delays are the hysteresis: a click shorter than `start_ms` starts nothing, and a pause
    shorter than `stop_ms` (a breath between words) ends nothing. `feed` takes chunks of any size, odd
    byte counts too, and returns the edges found in them; `end()` closes the utterance and says how long
    its speech lasted, from the first frame of the first loud run to the last loud frame, pauses included.
    """

    rate: int
    threshold_dbfs: float = -40.0
    start_ms: int = 100
    stop_ms: int = 500
    speaking: bool = field(default=False, init=False)
    _rest: bytearray = field(default_factory=bytearray, init=False, repr=False)
    _frame: int = field(default=0, init=False, repr=False)
    _loud_run: int = field(default=0, init=False, repr=False)
    _quiet_run: int = field(default=0, init=False, repr=False)
    _first: int | None = field(default=None, init=False, repr=False)
    _last_loud: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        if not 8000 <= self.rate <= 48_000 or self.rate * FRAME_MS % 1000:
            msg = f"the VAD needs a rate of 8000 to 48000 Hz in whole {FRAME_MS} ms frames; got {self.rate}"
            raise ValueError(msg)
        if self.start_ms < FRAME_MS or self.stop_ms < FRAME_MS:
            msg = (
                f"start_ms and stop_ms must be at least one frame ({FRAME_MS} ms); got {self.start_ms}, {self.stop_ms}"
            )
            raise ValueError(msg)

    @property
    def frame_bytes(self) -> int:
        return self.rate * FRAME_MS // 1000 * 2

    @property
    def heard_ms(self) -> int:
        """Audio judged so far, in whole frames."""
        return self._frame * FRAME_MS

    def feed(self, pcm: bytes) -> list[tuple[VadEdge, int]]:
        """The edges found in `pcm`, each with the time it was found: the end of its frame, in ms of audio."""
        self._rest += pcm
        edges: list[tuple[VadEdge, int]] = []
        size = self.frame_bytes
        start_frames, stop_frames = -(-self.start_ms // FRAME_MS), -(-self.stop_ms // FRAME_MS)
        while len(self._rest) >= size:
            loud = frame_dbfs(bytes(self._rest[:size])) >= self.threshold_dbfs
            del self._rest[:size]
            if loud:
                self._loud_run += 1
                self._quiet_run = 0
            else:
                self._loud_run = 0
                self._quiet_run += 1
            if not self.speaking and self._loud_run >= start_frames:
                self.speaking = True
                if self._first is None:
                    self._first = self._frame - self._loud_run + 1
                edges.append(("started", (self._frame + 1) * FRAME_MS))
            elif self.speaking and self._quiet_run >= stop_frames:
                self.speaking = False
                edges.append(("stopped", (self._frame + 1) * FRAME_MS))
            if loud and self.speaking:
                self._last_loud = self._frame
            self._frame += 1
        return edges

    def end(self) -> float:
        """Seconds of speech in the utterance since the last `end()` (0.0 if none); the next one starts here."""
        heard = 0.0 if self._first is None else (self._last_loud + 1 - self._first) * FRAME_MS / 1000
        self.speaking = False
        self._first = None
        self._loud_run = self._quiet_run = 0
        return heard
