from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest
from axio import AudioOutputDelta, ImageOutput, TextDelta

from axio_nb.demo.transport import _demo_png
from axio_nb.stream import pace
from axio_nb.stream.transcript import Transcript
from axio_nb.stream.wire import Wire, coalesce


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def make(interval: float = 1 / 30) -> tuple[Wire, list[tuple[dict[str, Any], list[bytes]]], Transcript, Clock]:
    sent: list[tuple[dict[str, Any], list[bytes]]] = []
    clock = Clock()
    t = Transcript()
    return Wire(t, lambda m, b: sent.append((m, b)), interval=interval, clock=clock), sent, t, clock


class TestCoalescing:
    async def test_first_op_goes_at_once_then_batches(self) -> None:
        """The first token is never held back; later ones wait for the interval and go together."""
        wire, sent, t, clock = make()
        wire.push(t.apply(TextDelta(0, "a")))
        assert len(sent) == 1
        for ch in "bcdef":
            wire.push(t.apply(TextDelta(0, ch)))
        assert len(sent) == 1
        clock.now = 0.05
        await asyncio.sleep(0.06)
        assert len(sent) == 2
        ops = sent[1][0]["ops"]
        assert ops == [{"op": "append", "id": 0, "path": ["text"], "text": "bcdef"}]

    async def test_sequence_numbers_are_consecutive(self) -> None:
        wire, sent, t, clock = make(interval=0)
        for ch in "abc":
            clock.now += 1
            wire.push(t.apply(TextDelta(0, ch)))
        assert [m["seq"] for m, _ in sent] == [1, 2, 3]

    def test_without_a_loop_it_sends_synchronously(self) -> None:
        wire, sent, t, _ = make()
        wire.push(t.apply(TextDelta(0, "a")))
        wire.push(t.apply(TextDelta(0, "b")))
        assert len(sent) == 2

    async def test_close_flushes(self) -> None:
        wire, sent, t, _ = make()
        wire.push(t.apply(TextDelta(0, "a")))
        wire.push(t.apply(TextDelta(0, "b")))
        wire.close()
        assert "".join(op.get("text", "") for m, _ in sent for op in m["ops"]) == "ab"

    def test_append_runs_merge_per_place_and_keep_order(self) -> None:
        def app(i: int, path: list[str], text: str) -> dict[str, object]:
            return {"op": "append", "id": i, "path": path, "text": text}

        ops = [app(0, ["text"], "a"), app(0, ["text"], "b"), app(1, ["text"], "c"), app(1, ["text"], "d")]
        ops += [{"op": "set", "id": 1, "path": ["status"], "value": "ok"}, app(1, ["text"], "e")]
        assert coalesce(ops) == [
            app(0, ["text"], "ab"),
            app(1, ["text"], "cd"),
            {"op": "set", "id": 1, "path": ["status"], "value": "ok"},
            app(1, ["text"], "e"),
        ]
        assert ops[0]["text"] == "a", "the input ops are not mutated"

    def test_meta_runs_merge(self) -> None:
        merged = coalesce([{"op": "meta", "value": {"a": 1}}, {"op": "meta", "value": {"b": 2, "a": 3}}])
        assert merged == [{"op": "meta", "value": {"a": 3, "b": 2}}]


class TestReplay:
    def test_hello_from_a_late_view_gets_state(self) -> None:
        wire, sent, t, clock = make(interval=0)
        for ch in "abc":
            clock.now += 1
            wire.push(t.apply(TextDelta(0, ch)))
        wire.receive({"type": "hello", "seq": 0})
        message, _ = sent[-1]
        assert message["type"] == "state" and message["seq"] == 3
        assert message["blocks"][0]["text"] == "abc"

    def test_hello_from_a_new_view_of_a_finished_transcript_gets_state(self) -> None:
        """`ChatResult.view()`: a fresh wire has sent nothing, yet the view must see the whole turn."""
        t = Transcript()
        t.apply(TextDelta(0, "done already"))
        t.finish()
        sent: list[dict[str, Any]] = []
        wire = Wire(t, lambda m, b: sent.append(m))
        wire.receive({"type": "hello", "seq": 0})
        assert [m["type"] for m in sent] == ["state"]
        assert sent[0]["blocks"][0]["text"] == "done already" and sent[0]["meta"]["status"] == "done"

    def test_hello_from_an_up_to_date_view_gets_nothing(self) -> None:
        wire, sent, t, _ = make()
        wire.push(t.apply(TextDelta(0, "a")))
        wire.receive({"type": "hello", "seq": 1})
        assert [m["type"] for m, _ in sent] == ["ops"]

    def test_resync_always_replays(self) -> None:
        wire, sent, t, _ = make()
        wire.push(t.apply(TextDelta(0, "a")))
        wire.receive({"type": "resync", "seq": 1})
        assert sent[-1][0]["type"] == "state"

    def test_media_travels_as_buffers(self) -> None:
        """Never base64 inside JSON."""
        wire, sent, t, _ = make()
        wire.receive({"type": "hello", "seq": 0})  # a view is listening
        png = _demo_png()
        wire.push(t.apply(ImageOutput(0, png, "image/png")))
        message, buffers = sent[-1]
        block = message["ops"][-1]["block"]
        assert buffers[block["buffer"]] == png
        wire.receive({"type": "hello", "seq": 0})
        state, state_buffers = sent[-1]
        assert state_buffers[state["blocks"][0]["buffer"]] == png
        assert "buffer" not in t.blocks[0]

    def test_media_wait_for_a_view_and_then_go_once(self) -> None:
        """Before any view said hello, media open `deferred` with no bytes; the first hello, whatever seq it
        names, gets the state with them. Bytes sent before the view's model existed were lost to it, and
        the state went again (bench/media.py)."""
        wire, sent, t, _ = make(interval=0)
        png = _demo_png()
        wire.push(t.apply(TextDelta(0, "look:")))
        wire.push(t.apply(ImageOutput(0, png, "image/png")))
        assert all(not buffers for _, buffers in sent)
        opened = [op["block"] for m, _ in sent for op in m["ops"] if op["op"] == "open"]
        assert opened[-1]["deferred"] is True and "buffer" not in opened[-1]
        wire.receive({"type": "hello", "seq": wire.seq})  # it saw every message, but none held bytes
        state, state_buffers = sent[-1]
        assert state["type"] == "state" and state_buffers == [png]
        before = len(sent)
        wire.push(t.apply(ImageOutput(0, png, "image/png")))  # a view listens now: bytes go with the op
        assert len(sent) == before + 1 and sent[-1][1] == [png]
        wire.receive({"type": "hello", "seq": wire.seq})  # a second view, up to date: nothing again
        assert len(sent) == before + 1


class TestFirstHello:
    async def test_queued_media_do_not_go_twice_when_the_first_view_says_hello(self) -> None:
        """Ops waiting for the interval when the first hello comes go without bytes; the state has them."""
        wire, sent, t, clock = make(interval=10)
        wire.push(t.apply(TextDelta(0, "x")))  # goes at once
        png = _demo_png()
        wire.push(t.apply(ImageOutput(0, png, "image/png")))  # queued behind the interval
        wire.receive({"type": "hello", "seq": 0})
        payload = [b for _, buffers in sent for b in buffers]
        assert payload == [png] and sent[-1][0]["type"] == "state"


class TestSpeechPacing:
    """Chunks of speech the page is playing travel together while it has enough left to play (stream/pace.py)."""

    PCM = "audio/pcm;rate=24000"  # 48 000 bytes a second

    @staticmethod
    async def speak(
        media_type: str, chunks: int, every: float, chunk_seconds: float = 0.1
    ) -> tuple[list[tuple[float, dict[str, Any], list[bytes]]], bytes]:
        """A view says hello, then `chunks` chunks of `chunk_seconds` arrive `every` seconds apart; the wire's
        timer is run on the fake clock in 1 ms steps (a loop runs, but is never yielded to).
        Returns (time sent, message, buffers) and the speech."""
        wire, sent, t, clock = make(interval=1 / 25)
        wire.receive({"type": "hello", "seq": 0})
        log: list[tuple[float, dict[str, Any], list[bytes]]] = []
        size = int(48_000 * chunk_seconds)
        speech = b""
        step, end = 0.001, chunks * every + 2
        for i in range(round(end / step)):
            clock.now = i * step
            if wire._timer is not None and wire._timer_due <= clock.now:
                wire.flush()
            k = round(clock.now / every, 6)
            if k == int(k) and int(k) < chunks:
                data = bytes([int(k) % 251]) * size
                speech += data
                wire.push(t.apply(AudioOutputDelta(data=data, media_type=media_type)))
            while len(log) < len(sent):
                log.append((clock.now, *sent[len(log)]))
        wire.push(t.finish())
        wire.close()
        log += [(clock.now, m, b) for m, b in sent[len(log) :]]
        return log, speech

    async def test_first_chunk_goes_at_once_later_ones_together_and_the_page_never_runs_dry(self) -> None:
        log, speech = await self.speak(self.PCM, chunks=22, every=0.05)
        chunk_msgs = [(at, m, b) for at, m, b in log if any(op["op"] == "chunk" for op in m.get("ops", ()))]
        assert chunk_msgs[0][0] == 0.0, "the first chunk is not held back"
        assert len(chunk_msgs) <= 12, f"{len(chunk_msgs)} messages for 22 chunks"
        assert b"".join(b for _, _, buffers in log for b in buffers) == speech, "every byte once, in order"
        # Chunk k is bytes of value k: it came at k × 50 ms. A chunk waited past the interval only while the
        # page still had MARGIN of speech to play.
        start, played_to = chunk_msgs[0][0], 0.0
        for at, _, buffers in chunk_msgs:
            waited = at - buffers[0][0] * 0.05
            if waited > 1 / 25 + 0.002:
                assert played_to - (at - start) >= pace.MARGIN - 0.002, f"held too long at {at:.3f} s"
            played_to += sum(len(b) for b in buffers) / 48_000

    async def test_speech_slower_than_real_time_goes_chunk_by_chunk(self) -> None:
        """Nothing to spare: each chunk goes when it comes, as before."""
        log, _ = await self.speak(self.PCM, chunks=10, every=0.12)
        chunk_msgs = [m for _, m, _ in log if any(op["op"] == "chunk" for op in m.get("ops", ()))]
        assert len(chunk_msgs) == 10

    async def test_no_more_than_a_second_waits(self) -> None:
        log, _ = await self.speak(self.PCM, chunks=100, every=0.005)
        for _, message, buffers in log[2:]:
            if message.get("ops") and all(op["op"] == "chunk" for op in message["ops"]):
                assert sum(len(b) for b in buffers) <= 48_000 * pace.MAX_HELD_SECONDS + 4_800

    async def test_compressed_speech_waits_half_a_second(self) -> None:
        log, _ = await self.speak("audio/mpeg", chunks=20, every=0.05)
        times = [at for at, m, _ in log if any(op["op"] == "chunk" for op in m.get("ops", ()))]
        assert times[0] == 0.0 and len(times) <= 4
        assert all(b - a <= pace.COMPRESSED_HOLD + 0.06 for a, b in itertools.pairwise(times))

    async def test_other_ops_keep_the_usual_interval(self) -> None:
        """A caption while speech waits (realtime) goes at the next interval, and takes the chunks with it."""
        wire, sent, t, clock = make(interval=1 / 25)
        wire.receive({"type": "hello", "seq": 0})
        for k in range(8):  # well ahead of real time: later chunks may wait
            clock.now = k * 0.01
            wire.push(t.apply(AudioOutputDelta(data=b"\0" * 4800, media_type=self.PCM)))
        held = wire._timer_due
        assert held > clock.now + 0.1
        wire.push(t.apply(TextDelta(0, "hi")))
        assert wire._timer_due <= clock.now + 1 / 25 < held


class TestVoicePacing:
    """A realtime answer's voice (views/voice.py): deltas wait, together, only while the page is far enough ahead."""

    def test_real_time_voice_goes_as_it_comes(self) -> None:
        v = pace.Playhead()
        assert v.due(0.1, now=0.0) == 0.0  # the answer's first voice: at once
        v.sent(0.1, now=0.0)
        for k in range(1, 30):  # one 100 ms delta every 100 ms: the page never holds MARGIN
            now = k * 0.1
            assert v.due(0.1, now) == now
            v.sent(0.1, now)

    def test_faster_than_real_time_voice_waits_until_the_page_has_margin_left(self) -> None:
        v = pace.Playhead()
        v.sent(0.1, now=0.0)
        sent = 0.1
        held = 0.0
        messages = 1
        for k in range(1, 60):  # a 100 ms delta every 50 ms: the page gets further ahead
            now = k * 0.05
            held += 0.1
            due = v.due(held, now)
            assert due >= now
            if due == now:
                v.sent(held, now)
                sent += held
                held = 0.0
                messages += 1
            else:  # held: by then the page still has MARGIN of what was sent
                assert due == pytest.approx(sent - pace.MARGIN)
        assert messages < 40, "deltas travel together"

    def test_a_page_that_ran_dry_resumes_from_the_next_voice(self) -> None:
        v = pace.Playhead()
        v.sent(0.5, now=0.0)
        assert v.due(0.1, now=0.1) == pytest.approx(0.25)  # 0.4 s still to play: it may wait
        v.sent(0.1, now=2.0)  # a stall: the page played out at 0.5 s and resumes at 2.0 with 0.1 s
        assert v.due(0.1, now=2.05) == 2.05

    def test_too_much_held_goes_and_a_new_answer_starts_at_once(self) -> None:
        v = pace.Playhead()
        v.sent(5.0, now=0.0)
        assert v.due(0.5, now=0.1) > 0.1
        assert v.due(pace.MAX_HELD_SECONDS, now=0.1) == 0.1
        v.reset()
        assert v.due(0.1, now=0.2) == 0.2
