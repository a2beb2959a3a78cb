"""`%axio realtime`'s kernel side without a kernel: the mic queue, turns, barge-in, push-to-talk, typed turns,
mute, kept audio and the page's playback counts, each against the real demo session through axio's RealtimeAgent."""

from __future__ import annotations

import array
import asyncio
import math
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import pytest
from axio import AudioOutputDelta, SpeechStarted, SpeechStopped, ToolUseStart, TranscriptDelta, TurnComplete
from axio.realtime import RealtimeAgent
from axio.tool import Tool
from axio.types import StopReason, Usage

from axio_nb.demo.realtime import DemoRealtime
from axio_nb.errors import AxioNbError
from axio_nb.run.realtime import (
    BARGE_IN,
    CLOSED_BY_PROVIDER,
    ENDED_MID_ANSWER,
    MicQueue,
    VoiceStats,
    input_rate,
    make_agent,
    should_interrupt,
)
from axio_nb.run.voice_runner import Runner
from axio_nb.run.voice_session import Commit, Typed, VoiceSession
from axio_nb.stream.turns import Turns

RATE = 24000
CHUNK = RATE // 10  # 100 ms, as the page sends (widgets/src/voice.js, MIC_CHUNK_MS)


def pcm(seconds: float, tone: bool) -> list[bytes]:
    wave = [round(9000 * math.sin(2 * math.pi * 440 * i / RATE)) if tone else 0 for i in range(CHUNK)]
    return [array.array("h", wave).tobytes()] * round(seconds * 10)


def start(transport: Any, tools: list[Tool[Any]] | None = None, **kw: Any) -> tuple[VoiceSession, Runner]:
    """A session on the running loop, as `launch` starts one, in static display (no widgets)."""
    push_to_talk = kw.pop("push_to_talk", False)
    agent = make_agent(transport, system="", tools=tools or [], voice=None, push_to_talk=push_to_talk)

    async def ready() -> RealtimeAgent:
        return agent

    call = VoiceSession()
    runner = Runner(ready, call, mode="static", push_to_talk=push_to_talk, **kw)
    call.driver = runner
    call.task = asyncio.ensure_future(runner.run())
    return call, runner


async def until(check: Callable[[], bool], timeout: float = 10) -> None:
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.01)


def notices(call: VoiceSession) -> list[str]:
    return [b["text"] for b in call.transcript.blocks if b["kind"] == "notice"]


def run(main: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(main())


class TestMicQueue:
    def test_full_queue_drops_the_oldest_and_counts(self) -> None:
        stats = VoiceStats()
        q = MicQueue(stats, size=2)
        for b in (b"a", b"b", b"c"):
            q.put(b)
        assert stats.dropped == 1
        assert asyncio.run(q.get()) == b"b"

    def test_typed_turns_and_commits_are_never_dropped_and_keep_their_place(self) -> None:
        stats = VoiceStats()
        q = MicQueue(stats, size=2)
        commit = Commit()
        for item in (b"a", Typed("hi"), b"b", commit, b"c", b"d"):
            q.put(item)

        async def drain() -> list[Any]:
            return [await q.get() for _ in range(4)]

        assert asyncio.run(drain()) == [Typed("hi"), commit, b"c", b"d"]
        assert stats.dropped == 2


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


class TestTurns:
    """Turns key on the edges realtime gives: speech edges, captions, audio, TurnComplete; times from the clock."""

    def test_a_spoken_exchange_a_barge_in_and_a_typed_turn(self) -> None:
        now = [0.0]
        turns = Turns(clock=lambda: now[0])
        now[0] = 1.0
        turns.apply(SpeechStarted())
        now[0] = 2.5
        turns.apply(SpeechStopped())
        turns.apply(TranscriptDelta(role="user", delta="(heard 1.5 s of speech)"))
        now[0] = 2.6
        turns.apply(TranscriptDelta(role="assistant", delta="I heard "))
        turns.apply(AudioOutputDelta(b"\0\0", "audio/pcm;rate=24000"))
        turns.apply(ToolUseStart(0, "c1", "get_weather"))
        now[0] = 4.0
        turns.apply(TurnComplete(StopReason.end_turn, Usage(1, 1)))
        now[0] = 5.0
        turns.apply(TranscriptDelta(role="assistant", delta="Another answer"))
        now[0] = 5.5
        assert turns.cut() is turns.turns[-1]
        turns.apply(SpeechStarted())
        turns.apply(TurnComplete(StopReason.cancelled, Usage(1, 1)))  # after the cut: changes nothing
        now[0] = 6.0
        turns.typed("hello")
        got = [(t.role, t.text, t.start, t.end, t.interrupted, t.typed) for t in turns]
        assert got == [
            ("user", "(heard 1.5 s of speech)", 1.0, 2.5, False, False),
            ("assistant", "I heard ", 2.6, 4.0, False, False),
            ("assistant", "Another answer", 5.0, 5.5, True, False),
            ("user", "", 5.5, None, False, False),
            ("user", "hello", 6.0, 6.0, False, True),
        ]
        assert turns.turns[1].tools == ["get_weather"]

    def test_a_caption_with_no_speech_edges_opens_a_user_turn(self) -> None:
        """Gemini Live sends no SpeechStopped; a typed turn is never extended by a later spoken caption."""
        turns = Turns(clock=lambda: 0.0)
        turns.typed("typed")
        turns.apply(TranscriptDelta(role="user", delta="spoken"))
        assert [(t.text, t.typed) for t in turns] == [("typed", True), ("spoken", False)]

    def test_close_ends_every_turn_and_marks_an_open_answer(self) -> None:
        turns = Turns(clock=lambda: 3.0)
        turns.apply(TranscriptDelta(role="assistant", delta="half"))
        assert turns.close() is turns.turns[0]
        assert turns.turns[0].interrupted and turns.turns[0].end == 0.0


class TestBargeIn:
    def test_speech_over_an_answer_interrupts_once_and_marks_it_cut_short_once(self) -> None:
        async def main() -> tuple[VoiceSession, Any]:
            call, runner = start(DemoRealtime(voice_pace=0.3, interrupt_response=False))
            await until(lambda: call.session is not None)
            for chunk in pcm(0.2, False) + pcm(1.0, True) + pcm(0.7, False):
                runner.mic.put(chunk)
            await until(lambda: call.stats.audio_chunks > 0)
            for chunk in pcm(0.5, True):
                runner.mic.put(chunk)
            await until(lambda: call.stats.barge_ins > 0)
            call.end()
            await call.wait()
            return call, call.session

        call, session = run(main)
        assert call.stats.barge_ins == 1 and call.stats.interrupts == 1
        assert [i.response for i in session.interrupts] == [1]
        cut = [t for t in call.transcript if t.role == "assistant"]
        assert cut[0].interrupted and cut[0].end is not None
        assert notices(call) == [BARGE_IN]  # one notice, not a second one for the cancelled TurnComplete
        # No audio in the transcript unless asked (keep_audio): the page played it, the kernel kept none.
        assert not [b for b in call.transcript.blocks if b["kind"] in ("audio", "error")]
        assert not call.transcript.media
        assert call.transcript.meta["status"] == "done" and not call.transcript.meta.get("incomplete")


class TestPushToTalk:
    def test_server_vad_goes_off_on_a_copy_and_release_commits(self) -> None:
        transport = DemoRealtime(voice_pace=0)

        async def main() -> VoiceSession:
            call, runner = start(transport, push_to_talk=True)
            await until(lambda: call.session is not None)
            assert call.session.server_vad is False and transport.server_vad is True
            runner.from_view({"type": "talk", "on": True}, [], 0)
            assert call.stats.state == "user speaking"
            runner.from_view({"type": "audio", "seq": 0}, pcm(1.0, True) + pcm(0.2, False), 0)
            runner.from_view({"type": "talk", "on": False}, [], 0)
            await until(lambda: any(t.role == "assistant" and t.end for t in call.transcript))
            call.end()
            return await call.wait()

        call = run(main)
        user, answer = call.transcript[0], call.transcript[1]
        assert user.role == "user" and user.text == "(heard 1.0 s of speech)" and user.end is not None
        assert answer.text.startswith("I heard 1.0 seconds")
        assert call.stats.commits == 1 and call.stats.push_to_talk


class TestTypedTurnAndMute:
    def test_send_text_is_answered_and_mute_stops_the_microphone(self) -> None:
        async def main() -> VoiceSession:
            call, runner = start(DemoRealtime(voice_pace=0))
            await until(lambda: call.session is not None)
            call.mute()
            runner.from_view({"type": "audio", "seq": 0}, pcm(0.4, True), 0)
            assert call.stats.mic_chunks == 0 and call.stats.muted
            call.unmute()
            runner.from_view({"type": "audio", "seq": 1}, pcm(0.2, False), 0)
            assert call.stats.mic_chunks == 2
            call.send_text("hello from the keyboard")
            await until(lambda: any(t.role == "assistant" and t.end for t in call.transcript))
            runner.from_view({"type": "text", "text": "  and from the box  "}, [], 0)
            await until(lambda: sum(1 for t in call.transcript if t.role == "assistant" and t.end) == 2)
            runner.from_view({"type": "playback", "played": 3, "underruns": 1, "played_ms": 300}, [], 0)
            runner.from_view({"type": "playback", "played": -5, "underruns": "x"}, [], 0)  # ignored
            call.end()
            return await call.wait()

        call = run(main)
        said = [(t.role, t.text, t.typed) for t in call.transcript]
        assert said[0] == ("user", "hello from the keyboard", True)
        assert said[1][1].startswith("You typed: hello from the keyboard.")
        assert said[2] == ("user", "and from the box", True)
        assert call.stats.texts == 2
        assert (call.stats.played, call.stats.underruns, call.stats.played_ms) == (3, 1, 300)
        assert call.stats.state == "ended" and call.stats.session_seconds > 0
        with pytest.raises(AxioNbError, match="has ended"):
            call.send_text("too late")

    def test_empty_text_is_refused(self) -> None:
        with pytest.raises(AxioNbError, match="non-empty"):
            VoiceSession().send_text("  ")


class TestAudioKept:
    def test_keep_audio_puts_each_answer_as_one_clip_and_ending_mid_answer_is_marked(self) -> None:
        async def main() -> VoiceSession:
            call, _ = start(DemoRealtime(voice_pace=0.5), keep_audio=True)
            await until(lambda: call.session is not None)
            call.send_text("first")
            await until(lambda: any(t.role == "assistant" and t.end for t in call.transcript))
            call.send_text("second")
            await until(lambda: call.stats.audio_chunks > 45)  # the second answer is under way
            call.end()
            return await call.wait()

        call = run(main)
        clips = [b for b in call.transcript.blocks if b["kind"] == "audio"]
        assert [c["media_type"] for c in clips] == ["audio/wav", "audio/wav"]
        assert all(bytes(call.transcript.media[c["id"]])[:4] == b"RIFF" for c in clips)
        assert notices(call) == [ENDED_MID_ANSWER]
        assert call.transcript[-1].interrupted


class TestToolCards:
    def test_the_result_sent_back_closes_the_card(self) -> None:
        """Realtime emits no ToolResult: the card shows what RealtimeAgent sent to the session."""

        async def get_weather(city: str = "Paris") -> str:
            return f"Sunny in {city}"

        async def main() -> VoiceSession:
            call, _ = start(DemoRealtime(voice_pace=0), tools=[Tool(name="get_weather", handler=get_weather)])
            await until(lambda: call.session is not None)
            call.send_text("what is the weather? call the tool")
            await until(lambda: any(t.text.startswith("The tools said") for t in call.transcript))
            call.end()
            return await call.wait()

        call = run(main)
        cards = [b for b in call.transcript.blocks if b["kind"] == "tool"]
        assert [(c["name"], c["status"]) for c in cards] == [("get_weather", "ok")]
        assert cards[0]["result"].startswith("Sunny in")
        assert call.transcript[1].tools == ["get_weather"]
        assert call.session.interrupts == []  # the wrapped session still answers the demo's own attributes


class TestLifecycle:
    def test_a_dropped_connection_ends_the_session_visibly_with_no_task_left(self) -> None:
        """The provider's socket closing ends `events()` with no error (axio's transports just stop): the
        session ends by itself, says so, and leaves nothing running."""

        async def main() -> VoiceSession:
            call, _ = start(DemoRealtime(voice_pace=0))
            await until(lambda: call.session is not None)
            await call.session.close()  # as if the websocket dropped
            return await call.wait()

        call = run(main)
        assert call.done and call.stats.state == "ended"
        assert notices(call) == [CLOSED_BY_PROVIDER]

    def test_a_connect_failure_is_an_error_in_the_transcript(self) -> None:
        async def main() -> VoiceSession:
            call, _ = start(DemoRealtime(voice_pace=-1))  # refused at connect
            return await call.wait()

        call = run(main)
        errors = [b["message"] for b in call.transcript.blocks if b["kind"] == "error"]
        assert errors and "voice_pace" in errors[0] and call.stats.state == "ended"
        assert call.transcript.meta["status"] == "error"


class TestMakeAgent:
    def test_a_realtime_agent_gives_its_settings_and_is_left_alone(self) -> None:
        async def get_weather(city: str) -> str:
            return city

        transport = DemoRealtime()
        mine = RealtimeAgent(system="Be brief.", transport=transport, voice="demo", tools=[])
        tool = Tool(name="get_weather", handler=get_weather)
        agent = make_agent(mine, system="", tools=[tool], voice=None, push_to_talk=True)
        assert (agent.system, agent.voice, agent.input_audio_format) == ("Be brief.", "demo", "audio/pcm;rate=16000")
        assert [t.name for t in agent.tools] == ["get_weather"] and mine.tools == []
        assert agent.transport.server_vad is False and transport.server_vad is True  # type: ignore[attr-defined]
        assert agent.raise_on_error is False  # errors are shown, not raised out of the session
        plain = make_agent(transport, system="s", tools=[], voice="v")
        assert plain.transport is transport and plain.input_audio_format == "audio/pcm;rate=24000"
