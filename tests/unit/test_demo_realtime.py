"""The demo realtime transport: energy VAD, captions, the spoken answer, tools, interrupt and close, offline."""

from __future__ import annotations

import array
import asyncio
import json
import math
import random
import sys
from contextlib import aclosing
from importlib.metadata import entry_points
from typing import Any

import pytest
from axio.blocks import AudioBlock, ImageBlock, TextBlock
from axio.events import (
    AudioOutputDelta,
    Error,
    SpeechStarted,
    SpeechStopped,
    StreamEvent,
    ToolInputDelta,
    ToolUseStart,
    TranscriptDelta,
    TurnComplete,
)
from axio.exceptions import StreamError
from axio.realtime import RealtimeAgent
from axio.tool import Tool
from axio.transport import RealtimeSession, RealtimeTransport
from axio.types import StopReason, Usage

from axio_nb.demo.realtime import DemoRealtime, DemoRealtimeSession, Interruption
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


async def connect(**settings: Any) -> DemoRealtimeSession:
    settings.setdefault("voice_pace", 0)
    tools = settings.pop("tools", [])
    return await DemoRealtime(**settings).connect(system="Be brief.", tools=tools)


async def until_turns(session: DemoRealtimeSession, turns: int = 1) -> list[StreamEvent]:
    """Events up to and including the `turns`-th TurnComplete."""
    got: list[StreamEvent] = []
    async with asyncio.timeout(10), aclosing(session.events()) as events:
        async for event in events:
            got.append(event)
            if sum(isinstance(e, TurnComplete) for e in got) == turns:
                return got
    return got


def kinds(events: list[StreamEvent]) -> list[str]:
    return [type(e).__name__ for e in events]


def said(events: list[StreamEvent], role: str = "assistant") -> str:
    return "".join(e.delta for e in events if isinstance(e, TranscriptDelta) and e.role == role)


def stops(events: list[StreamEvent]) -> list[StopReason]:
    return [e.stop_reason for e in events if isinstance(e, TurnComplete)]


def audio(events: list[StreamEvent]) -> list[bytes]:
    return [e.data for e in events if isinstance(e, AudioOutputDelta)]


def utterance(speech: float = 1.8) -> list[AudioBlock]:
    return [AudioBlock("audio/pcm", f) for f in frames(silence(0.5) + tone(speech) + silence(1.0))]


async def get_weather(city: str) -> str:
    """Current weather."""
    return f"sunny and 21 C in {city}"


WEATHER = Tool(name="get_weather", handler=get_weather)


class TestConnect:
    def test_entry_point_and_protocols(self) -> None:
        """`demo` in axio's realtime entry-point group is DemoRealtime, and both classes speak axio's protocols."""
        found = {ep.name: ep for ep in entry_points(group="axio.transport.realtime")}
        assert found["demo"].load() is DemoRealtime
        assert isinstance(DemoRealtime(), RealtimeTransport)

    async def test_formats(self) -> None:
        """24 kHz PCM16 both ways by default, named as OpenAI's session names them; any VAD rate in."""
        session = await connect()
        assert isinstance(session, RealtimeSession)
        assert session.input_audio_media_type == session.output_audio_media_type == "audio/pcm;rate=24000"
        assert (session.input_rate, session.output_rate) == (24_000, 24_000)
        slow = await DemoRealtime().connect(system="", tools=[], input_audio_format="audio/pcm;rate=16000")
        assert (slow.input_audio_media_type, slow.input_rate) == ("audio/pcm;rate=16000", 16_000)

    async def test_refused_formats(self) -> None:
        """The voice is 24 kHz only; input must be PCM; audio must come at the connected rate."""
        with pytest.raises(ValueError, match="demo voice speaks audio/pcm;rate=24000"):
            await DemoRealtime().connect(system="", tools=[], output_audio_format="audio/pcm;rate=16000")
        with pytest.raises(ValueError, match="PCM16 mono"):
            await DemoRealtime().connect(system="", tools=[], input_audio_format="audio/wav")
        session = await connect()
        with pytest.raises(ValueError, match="connected for audio/pcm;rate=24000"):
            await session.send(AudioBlock("audio/pcm;rate=16000", silence(0.02)))  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="AudioBlock and TextBlock"):
            await session.send(ImageBlock("image/png", b"\x89PNG"))
        with pytest.raises(ValueError, match="voice_pace"):
            await DemoRealtime(voice_pace=-1).connect(system="", tools=[])


class TestServerVAD:
    async def test_event_order(self) -> None:
        """SpeechStarted, SpeechStopped, the user's caption, caption pieces each before its audio, TurnComplete."""
        session = await connect()
        await session.send(utterance())
        events = await until_turns(session)
        assert kinds(events[:3]) == ["SpeechStarted", "SpeechStopped", "TranscriptDelta"]
        assert events[2] == TranscriptDelta(role="user", delta="(heard 1.8 s of speech)")
        body = kinds(events[3:-1])
        assert body[0] == "TranscriptDelta" and body[-1] == "AudioOutputDelta"
        assert all(a != b for a, b in zip(body, body[1:], strict=False)), "caption and audio alternate"
        assert said(events) == "I heard 1.8 seconds of speech. This demo hears how long you talk, not what you say."
        assert events[-1] == TurnComplete(StopReason.end_turn, Usage(18, 21))

    async def test_vad_edges_arrive_when_the_audio_shows_them(self) -> None:
        """Sent in 20 ms frames, SpeechStarted is out 100 ms into the tone and SpeechStopped 500 ms after it."""
        session = await connect()
        sent_ms = 0
        seen: list[tuple[str, int]] = []

        async def watch() -> None:
            async with aclosing(session.events()) as events:
                async for event in events:
                    seen.append((type(event).__name__, sent_ms))

        watcher = asyncio.create_task(watch())
        for block in utterance():
            await session.send(block)
            sent_ms += FRAME_MS
            for _ in range(3):
                await asyncio.sleep(0)
        await session.close()
        await watcher
        assert seen[:3] == [("SpeechStarted", 600), ("SpeechStopped", 2800), ("TranscriptDelta", 2800)]

    async def test_audio_length_follows_the_reply(self) -> None:
        """60 ms of 24 kHz PCM16 per caption character, in 100 ms chunks (4800 bytes) but the last."""
        lengths = []
        for typed in ("Hi", "Tell me about the tide tables of Brittany, please"):
            session = await connect()
            await session.send(TextBlock(typed))
            events = await until_turns(session)
            chunks, text = audio(events), said(events)
            assert sum(map(len, chunks)) == 2 * speech_frames(text) == 2 * len(text) * RATE * 60 // 1000
            assert {len(c) for c in chunks[:-1]} == {4800} and 0 < len(chunks[-1]) <= 4800
            assert {e.media_type for e in events if isinstance(e, AudioOutputDelta)} == {"audio/pcm;rate=24000"}
            lengths.append(len(text))
        assert lengths[1] > lengths[0] + 30

    async def test_deterministic(self) -> None:
        """The same input gives the same events, audio bytes included."""
        runs = []
        for _ in range(2):
            session = await connect(voice="alto")
            await session.send(utterance())
            runs.append(await until_turns(session))
        assert runs[0] == runs[1]

    async def test_talking_over_the_answer_cancels_it(self) -> None:
        """Speech starting mid-answer cancels it, as OpenAI's server VAD does; that is no call of interrupt()."""
        session = await connect(voice_pace=0.05)
        await session.send(TextBlock("Tell me something long."))
        got: list[StreamEvent] = []
        async with asyncio.timeout(10), aclosing(session.events()) as events:
            async for event in events:
                got.append(event)
                if len(audio(got)) == 3:
                    await session.send(AudioBlock("audio/pcm", tone(0.2)))
                if isinstance(event, TurnComplete):
                    break
        assert kinds(got[-2:]) == ["SpeechStarted", "TurnComplete"]
        assert got[-1] == TurnComplete(StopReason.cancelled, Usage(4, 2))
        assert len(audio(got)) == 3 and session.interrupts == []

    async def test_talking_over_it_can_be_allowed(self) -> None:
        """With interrupt_response=False the answer plays on under the user's speech."""
        session = await connect(interrupt_response=False)
        await session.send(TextBlock("Hello there"))
        await session.send(AudioBlock("audio/pcm", tone(0.2)))
        events = await until_turns(session)
        assert events[0] == SpeechStarted() and stops(events) == [StopReason.end_turn]

    async def test_through_realtime_agent_at_its_default_16_khz(self) -> None:
        """RealtimeAgent connects with 16 kHz input unless told otherwise; the demo hears that rate too."""
        async with RealtimeAgent(system="", transport=DemoRealtime(voice_pace=0)) as agent, asyncio.timeout(10):
            assert agent.session.input_audio_media_type == "audio/pcm;rate=16000"  # type: ignore[attr-defined]
            pcm = silence(0.5, 16_000) + tone(1.8, rate=16_000) + silence(1.0, 16_000)
            for piece in frames(pcm, rate=16_000):
                await agent.send(AudioBlock("audio/pcm", piece))
            got: list[StreamEvent] = []
            async with aclosing(agent.events()) as events:
                async for event in events:
                    got.append(event)
                    if isinstance(event, TurnComplete):
                        break
        assert got[:3] == [SpeechStarted(), SpeechStopped(), TranscriptDelta("user", "(heard 1.8 s of speech)")]
        assert stops(got) == [StopReason.end_turn] and audio(got)


class TestPushToTalk:
    async def test_commit_ends_the_turn(self) -> None:
        """Without server VAD no edges are reported; commit() gives the caption and the answer."""
        session = await connect(server_vad=False)
        await session.send(utterance(1.0))
        await session.commit()
        events = await until_turns(session)
        assert events[0] == TranscriptDelta(role="user", delta="(heard 1.0 s of speech)")
        assert not any(isinstance(e, SpeechStarted | SpeechStopped) for e in events)
        assert said(events).startswith("I heard 1.0 seconds of speech.")

    async def test_silence_and_nothing(self) -> None:
        """commit() after silence says so; commit() with nothing sent since the last turn does nothing."""
        session = await connect(server_vad=False)
        await session.commit()
        assert not session.responding
        await session.send(AudioBlock("audio/pcm", silence(0.5)))
        await session.commit()
        events = await until_turns(session)
        assert events[0] == TranscriptDelta(role="user", delta="(heard no speech)")
        await session.commit()
        assert not session.responding

    async def test_commit_mid_speech_with_server_vad(self) -> None:
        """With server VAD, commit() while the user speaks stops the speech there and answers."""
        session = await connect()
        await session.send(AudioBlock("audio/pcm", tone(0.7)))
        await session.commit()
        events = await until_turns(session)
        assert events[:3] == [SpeechStarted(), SpeechStopped(), TranscriptDelta("user", "(heard 0.7 s of speech)")]


class TestText:
    async def test_typed_turn(self) -> None:
        """A typed turn is answered at once, with no user caption (the user typed it); commit() adds nothing."""
        session = await connect()
        await session.send(TextBlock("What is a transport?"))
        await session.commit()
        events = await until_turns(session)
        assert said(events, "user") == ""
        assert said(events) == "You typed: What is a transport? This is the offline demo voice."
        assert not session.responding
        with pytest.raises(ValueError, match="empty TextBlock"):
            await session.send(TextBlock("  "))


class TestTools:
    async def test_round_trip_on_the_session(self) -> None:
        """A typed turn naming a tool: speech, the call, TurnComplete(tool_use); the result brings the answer."""
        session = await connect(tools=[WEATHER])
        await session.send(TextBlock("What is the weather? Use get_weather."))
        first = await until_turns(session)
        assert said(first) == "Let me check with the tools."
        calls = [e for e in first if isinstance(e, ToolUseStart)]
        assert calls == [ToolUseStart(0, "demo_rt_1_0", "get_weather")]
        args = "".join(e.partial_json for e in first if isinstance(e, ToolInputDelta))
        assert json.loads(args) == {"city": "Paris"}
        assert first[-1] == TurnComplete(StopReason.tool_use, Usage(6, 7))
        assert not session.responding
        await session.send_tool_result("demo_rt_1_0", "get_weather", [TextBlock("sunny")])
        second = await until_turns(session)
        assert said(second) == "The tools said: get_weather: sunny."
        assert stops(second) == [StopReason.end_turn]

    async def test_unknown_call_id(self) -> None:
        """A result for a call nobody is waiting for is refused, naming the calls that are."""
        session = await connect(tools=[WEATHER])
        with pytest.raises(ValueError, match="waiting: none"):
            await session.send_tool_result("nope", "get_weather", "x")

    async def test_round_trip_through_realtime_agent(self) -> None:
        """axio's RealtimeAgent runs the real Tool on TurnComplete(tool_use) and the demo answers from its result."""
        ran: list[str] = []

        async def weather(city: str) -> str:
            """Current weather."""
            ran.append(city)
            return f"sunny in {city}"

        agent = RealtimeAgent(
            system="Be brief.", transport=DemoRealtime(voice_pace=0), tools=[Tool(name="weather", handler=weather)]
        )
        got: list[StreamEvent] = []
        async with agent, asyncio.timeout(10):
            await agent.send(TextBlock("Check the weather please"))
            await agent.commit()
            async with aclosing(agent.events()) as events:
                async for event in events:
                    got.append(event)
                    if isinstance(event, TurnComplete) and event.stop_reason is StopReason.end_turn:
                        break
        assert ran == ["Paris"]
        assert stops(got) == [StopReason.tool_use, StopReason.end_turn]
        assert said(got).endswith("The tools said: weather: sunny in Paris.")
        assert asyncio.all_tasks() == {asyncio.current_task()}

    async def test_interrupted_before_the_call(self) -> None:
        """An answer cut before its calls made none: no result is awaited."""
        session = await connect(tools=[WEATHER])
        await session.send(TextBlock("call get_weather"))
        await session.interrupt()
        events = await until_turns(session)
        assert events == [TurnComplete(StopReason.cancelled, Usage(2, 0))]
        with pytest.raises(ValueError, match="waiting: none"):
            await session.send_tool_result("demo_rt_1_0", "get_weather", "x")


class TestInterrupt:
    async def test_mid_reply(self) -> None:
        """interrupt() after the third chunk: the next event is TurnComplete(cancelled), and no more audio."""
        session = await connect()
        await session.send(utterance())
        got: list[StreamEvent] = []
        async with asyncio.timeout(10), aclosing(session.events()) as events:
            async for event in events:
                got.append(event)
                if isinstance(event, AudioOutputDelta) and len(audio(got)) == 3:
                    assert session.responding
                    await session.interrupt()
                if isinstance(event, TurnComplete):
                    break
        assert got[-1] == TurnComplete(StopReason.cancelled, Usage(18, 2))
        assert isinstance(got[-2], AudioOutputDelta) and len(audio(got)) == 3
        assert session.interrupts == [Interruption(response=1, audio_ms=300)]
        assert not session.responding

    async def test_from_another_task_in_real_time(self) -> None:
        """Paced, interrupted from another task: the audio stops there and the session answers the next turn."""
        session = await connect(voice_pace=0.2)
        await session.send(TextBlock("Say something"))
        got: list[StreamEvent] = []
        third = asyncio.Event()

        async def listen() -> None:
            async with aclosing(session.events()) as events:
                async for event in events:
                    got.append(event)
                    if len(audio(got)) == 3:
                        third.set()
                    if sum(isinstance(e, TurnComplete) for e in got) == 2:
                        return

        listener = asyncio.create_task(listen())
        async with asyncio.timeout(10):
            await third.wait()
            await session.interrupt()
            cut = len(audio(got))
            await session.send(TextBlock("Again"))
            await listener
        ends = [i for i, e in enumerate(got) if isinstance(e, TurnComplete)]
        assert stops(got) == [StopReason.cancelled, StopReason.end_turn]
        assert len(audio(got[: ends[0]])) == cut
        assert session.interrupts == [Interruption(response=1, audio_ms=cut * 100)]
        assert said(got[ends[0] :]) == "You typed: Again. This is the offline demo voice."

    async def test_nothing_in_flight_is_an_error_on_the_stream(self) -> None:
        """As OpenAI's response_cancel_not_active: the call returns, the stream reports a StreamError."""
        session = await connect()
        assert not session.responding
        await session.interrupt()
        async with asyncio.timeout(5), aclosing(session.events()) as events:
            event = await anext(events)
        assert isinstance(event, Error) and isinstance(event.exception, StreamError)
        assert "response_cancel_not_active" in str(event.exception)
        assert session.interrupts == [Interruption(response=None, audio_ms=0)]

    async def test_nothing_in_flight_raises_through_realtime_agent(self) -> None:
        """RealtimeAgent(raise_on_error=True) raises that StreamError out of events()."""
        async with RealtimeAgent(system="", transport=DemoRealtime(voice_pace=0)) as agent, asyncio.timeout(5):
            await agent.interrupt()
            with pytest.raises(StreamError, match="response_cancel_not_active"):
                async with aclosing(agent.events()) as events:
                    await anext(events)


class TestPace:
    async def test_chunks_are_paced(self) -> None:
        """Chunk k comes k·100 ms·pace after the answer starts (its first caption piece), not before."""
        session = await connect(voice_pace=0.2)
        await session.send(TextBlock("Hi"))
        loop = asyncio.get_running_loop()
        start, times = 0.0, []
        async with asyncio.timeout(10), aclosing(session.events()) as events:
            async for event in events:
                start = start or loop.time()
                if isinstance(event, AudioOutputDelta):
                    times.append(loop.time() - start)
                if isinstance(event, TurnComplete):
                    break
        assert len(times) > 10
        assert all(t >= k * 0.02 - 0.002 for k, t in enumerate(times)), times
        assert times[-1] < len(times) * 0.02 + 1.0


class TestClose:
    async def test_close_mid_reply_ends_events_and_leaves_no_task(self) -> None:
        """close() during a real-time answer ends the consumer's loop normally; later calls are refused."""
        session = await connect(voice_pace=1.0)
        await session.send(utterance())
        got: list[StreamEvent] = []

        async def listen() -> None:
            async for event in session.events():
                got.append(event)

        listener = asyncio.create_task(listen())
        async with asyncio.timeout(5):
            while not audio(got):
                await asyncio.sleep(0.01)
            await session.close()
            await listener
        assert len(audio(got)) < 5 and not any(isinstance(e, TurnComplete) for e in got)
        assert asyncio.all_tasks() == {asyncio.current_task()}
        await session.close()
        assert [e async for e in session.events()] == []
        with pytest.raises(RuntimeError, match="closed"):
            await session.send(TextBlock("hello"))
        with pytest.raises(RuntimeError, match="closed"):
            await session.interrupt()

    async def test_agent_exit_leaves_no_task(self) -> None:
        """Leaving RealtimeAgent's `async with` mid-answer closes the session; nothing keeps running."""
        async with RealtimeAgent(system="", transport=DemoRealtime(voice_pace=1.0)) as agent:
            await agent.send(TextBlock("Talk to me"))
            async with asyncio.timeout(5), aclosing(agent.events()) as events:
                async for event in events:
                    if isinstance(event, AudioOutputDelta):
                        break
        assert asyncio.all_tasks() == {asyncio.current_task()}
