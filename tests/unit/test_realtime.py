"""`%axio realtime`'s pure parts: the bounded mic queue, when to interrupt, and a barge-in against the demo."""

from __future__ import annotations

import array
import asyncio
import math
from types import SimpleNamespace

from axio.realtime import RealtimeAgent

from axio_nb.demo.realtime import DemoRealtime
from axio_nb.run.present import Presenter
from axio_nb.run.realtime import MicQueue, VoiceSession, VoiceStats, _Runner, input_rate, should_interrupt
from axio_nb.stream.transcript import Transcript

RATE = 24000
CHUNK = RATE // 25  # 40 ms


def pcm(seconds: float, tone: bool) -> list[bytes]:
    wave = [round(9000 * math.sin(2 * math.pi * 440 * i / RATE)) if tone else 0 for i in range(CHUNK)]
    return [array.array("h", wave).tobytes()] * round(seconds * 25)


class TestMicQueue:
    def test_full_queue_drops_the_oldest_and_counts(self) -> None:
        stats = VoiceStats()
        q = MicQueue(stats, size=2)
        for b in (b"a", b"b", b"c"):
            q.put(b)
        assert stats.dropped == 1
        assert asyncio.run(q.get()) == b"b"


class TestInterruptDecision:
    def test_the_events_must_show_an_answer_and_the_session_must_agree(self) -> None:
        assert should_interrupt(SimpleNamespace(responding=True), True) is True
        # The session already queued the answer to this very speech: not an answer being talked over.
        assert should_interrupt(SimpleNamespace(responding=True), False) is False
        # The server already cancelled (OpenAI's server VAD, the demo's interrupt_response): no second cancel.
        assert should_interrupt(SimpleNamespace(responding=False), True) is False

    def test_without_one_the_events_decide(self) -> None:
        assert should_interrupt(object(), True) is True
        assert should_interrupt(object(), False) is False

    def test_rate_comes_from_the_session_media_type(self) -> None:
        assert input_rate("audio/pcm;rate=16000") == 16000
        assert input_rate("audio/pcm") == 24000


class TestBargeIn:
    def test_speech_over_an_answer_interrupts_once_and_cuts_its_audio(self) -> None:
        async def main() -> tuple[VoiceSession, DemoRealtime, object]:
            transport = DemoRealtime(voice_pace=0.3, interrupt_response=False)
            agent = RealtimeAgent(
                system="", transport=transport, input_audio_format="audio/pcm;rate=24000", raise_on_error=False
            )
            call = VoiceSession(Transcript())
            runner = _Runner(agent, call)
            runner.presenter = Presenter(call.transcript, mode="static")
            await agent.connect()
            session = agent.session
            task = asyncio.ensure_future(runner._session())
            for chunk in pcm(0.2, False) + pcm(1.0, True) + pcm(0.7, False):
                runner.mic.put(chunk)
            async with asyncio.timeout(10):
                while call.stats.audio_chunks == 0:
                    await asyncio.sleep(0.01)
                for chunk in pcm(0.5, True):
                    runner.mic.put(chunk)
                while call.stats.barge_ins == 0:
                    await asyncio.sleep(0.01)
            call.end()
            await task
            return call, transport, session

        call, _, session = asyncio.run(main())
        assert call.stats.barge_ins == 1 and call.stats.interrupts == 1
        assert [i.response for i in session.interrupts] == [1]  # type: ignore[attr-defined]
        audio = [b for b in call.transcript.blocks if b["kind"] == "audio"]
        assert audio[0].get("cut") is True
        assert not [b for b in call.transcript.blocks if b["kind"] == "error"]
