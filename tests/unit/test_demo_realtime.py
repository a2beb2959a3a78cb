"""The demo realtime transport: energy VAD, captions, the spoken answer, tools, interrupt and close, offline."""

from __future__ import annotations

import array
import math
import random
import sys

import pytest

from axio_nb.demo.speech import speech_frames
from axio_nb.demo.spoken import CHUNK_SAMPLES, caption_pieces
from axio_nb.demo.vad import FRAME_MS, EnergyVAD, frame_dbfs

RATE = 24_000


def tone(seconds: float, dbfs: float = -20.0, rate: int = RATE, hz: float = 220.0) -> bytes:
    """A sine whose RMS level is `dbfs` (its peak is 3 dB higher)."""
    peak = 32768 * 10 ** (dbfs / 20) * math.sqrt(2)
    samples = array.array(
        "h", (round(peak * math.sin(2 * math.pi * hz * n / rate)) for n in range(round(seconds * rate)))
    )
    if sys.byteorder == "big":
        samples.byteswap()
    return samples.tobytes()


def silence(seconds: float, rate: int = RATE) -> bytes:
    return bytes(2 * round(seconds * rate))


def frames(pcm: bytes, ms: int = FRAME_MS, rate: int = RATE) -> list[bytes]:
    size = 2 * rate * ms // 1000
    return [pcm[i : i + size] for i in range(0, len(pcm), size)]


def edges_at(vad: EnergyVAD, pcm: bytes, cuts: list[bytes] | None = None) -> list[tuple[str, int]]:
    """Each edge with its time, checked against how much audio the VAD had judged when it returned it."""
    found: list[tuple[str, int]] = []
    for piece in cuts if cuts is not None else frames(pcm, rate=vad.rate):
        edges = vad.feed(piece)
        assert all(at <= vad.heard_ms for _, at in edges)
        if cuts is None:
            assert all(at == vad.heard_ms for _, at in edges), "fed frame by frame, an edge is found at its frame"
        found += edges
    return found


class TestEnergyVAD:
    def test_levels(self) -> None:
        """frame_dbfs is the RMS level: a -20 dBFS sine reads -20, silence -inf."""
        assert frame_dbfs(tone(1.0)) == pytest.approx(-20.0, abs=0.01)
        assert frame_dbfs(silence(0.02)) == -math.inf

    def test_edges_come_after_the_hysteresis_delays(self) -> None:
        """Speech starts 100 ms into the tone and stops 500 ms after it; the utterance is the tone's length."""
        vad = EnergyVAD(RATE)
        assert edges_at(vad, silence(0.5) + tone(1.8) + silence(1.0)) == [("started", 600), ("stopped", 2800)]
        assert vad.end() == pytest.approx(1.8)
        assert not vad.speaking

    def test_a_click_starts_nothing_and_a_breath_ends_nothing(self) -> None:
        """60 ms of sound is no speech; a 300 ms pause inside speech is part of it."""
        vad = EnergyVAD(RATE)
        assert edges_at(vad, silence(0.2) + tone(0.06) + silence(0.8)) == []
        assert vad.end() == 0.0
        speech = tone(0.5) + silence(0.3) + tone(0.5) + silence(0.6)
        assert [edge for edge, _ in edges_at(vad, speech)] == ["started", "stopped"]
        assert vad.end() == pytest.approx(1.3)

    def test_threshold_in_dbfs(self) -> None:
        """Frames below the threshold are silence: a -45 dBFS hum is not speech at -40, -35 dBFS is."""
        quiet = EnergyVAD(RATE)
        assert edges_at(quiet, tone(1.0, dbfs=-45) + silence(0.6)) == []
        loud = EnergyVAD(RATE)
        assert [e for e, _ in edges_at(loud, tone(1.0, dbfs=-35) + silence(0.6))] == ["started", "stopped"]

    def test_chunking_changes_nothing(self) -> None:
        """Edges and their times are the same for any cut of the stream, odd byte counts included."""
        pcm = silence(0.3) + tone(0.7) + silence(0.2) + tone(0.4) + silence(0.7)
        want = edges_at(EnergyVAD(RATE), pcm)
        rng = random.Random(11)
        for _ in range(5):
            points = sorted(rng.sample(range(1, len(pcm)), 40))
            cuts = [pcm[a:b] for a, b in zip([0, *points], [*points, len(pcm)], strict=True)]
            assert edges_at(EnergyVAD(RATE), pcm, cuts) == want

    def test_other_rates(self) -> None:
        """16 kHz (RealtimeAgent's default input) works the same; a rate without whole 20 ms frames is refused."""
        vad = EnergyVAD(16_000)
        pcm = silence(0.5, 16_000) + tone(1.0, rate=16_000) + silence(0.6, 16_000)
        assert edges_at(vad, pcm) == [("started", 600), ("stopped", 2000)]
        with pytest.raises(ValueError, match="whole 20 ms frames"):
            EnergyVAD(11_025)


class TestCaptionPieces:
    @pytest.mark.parametrize("length", [1, 2, 5, 40, 333, 334, 500])
    def test_pieces_are_the_text_one_per_chunk(self, length: int) -> None:
        """The pieces join to the text, one per 100 ms chunk of the voice; past 20 s the last holds the rest.

        A character lasts 60 ms, so every whole chunk starts one; only the short last chunk may start none.
        """
        text = ("abcdefghij " * 50)[:length]
        pieces = caption_pieces(text)
        assert "".join(pieces) == text
        assert len(pieces) == -(-speech_frames(text) // CHUNK_SAMPLES)
        assert all(pieces[:-1])
