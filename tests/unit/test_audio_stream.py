"""Streamed speech: `AudioOutputDelta` chunks grow one audio block; each chunk travels once, as a binary buffer."""

from __future__ import annotations

import base64
import io
import re
import wave
from typing import Any

from axio import AudioOutputDelta, SpeechStarted, TextDelta, TranscriptDelta, TurnComplete
from axio.types import StopReason

from axio_nb.render.snapshot import to_html
from axio_nb.stream.transcript import Transcript
from axio_nb.stream.wire import Wire, coalesce, encode

from .replay import replay, state_json

PCM = "audio/pcm;rate=24000"


def wire_for(t: Transcript) -> tuple[Wire, list[tuple[dict[str, Any], list[bytes]]]]:
    sent: list[tuple[dict[str, Any], list[bytes]]] = []
    return Wire(t, lambda m, b: sent.append((m, b)), interval=0), sent


class TestFold:
    def test_chunks_grow_one_block_across_interleaved_text(self) -> None:
        t = Transcript()
        initial = state_json(t)
        ops = t.apply(AudioOutputDelta(b"\x01\x00" * 10, PCM))
        ops += t.apply(TranscriptDelta(delta="Hel", role="assistant"))
        ops += t.apply(AudioOutputDelta(b"\x02\x00" * 5, PCM))
        ops += t.apply(TurnComplete(stop_reason=StopReason.end_turn))
        audio = [b for b in t.blocks if b["kind"] == "audio"]
        assert len(audio) == 1 and audio[0]["size"] == 30 and audio[0]["streaming"] is False
        assert bytes(t.media[audio[0]["id"]]) == b"\x01\x00" * 10 + b"\x02\x00" * 5
        assert [(o["start"], o["size"]) for o in ops if o["op"] == "chunk"] == [(0, 20), (20, 10)]
        assert replay(initial, ops) == state_json(t)

    def test_a_new_media_type_opens_a_new_block(self) -> None:
        t = Transcript()
        t.apply(AudioOutputDelta(b"\x00\x00", PCM))
        t.apply(AudioOutputDelta(b"ID3....", "audio/mpeg"))
        t.finish()
        audio = [b for b in t.blocks if b["kind"] == "audio"]
        assert [(b["media_type"], b["streaming"]) for b in audio] == [(PCM, False), ("audio/mpeg", False)]

    def test_interrupt_stops_streaming_and_keeps_the_bytes(self) -> None:
        t = Transcript()
        t.apply(AudioOutputDelta(b"\x00\x01" * 4, PCM))
        t.interrupt()
        (audio,) = [b for b in t.blocks if b["kind"] == "audio"]
        assert audio["streaming"] is False and len(t.media[audio["id"]]) == 8

    def test_speech_over_the_answer_cuts_its_open_block(self) -> None:
        t = Transcript()
        initial = state_json(t)
        ops = t.apply(AudioOutputDelta(b"\x00\x01" * 4, PCM))
        ops += t.apply(SpeechStarted())
        (audio,) = [b for b in t.blocks if b["kind"] == "audio"]
        assert audio["cut"] is True and audio["streaming"] is False and len(t.media[audio["id"]]) == 8
        assert t.meta["vad"] == "speaking"
        assert replay(initial, ops) == state_json(t)

    def test_speech_with_no_open_block_cuts_nothing(self) -> None:
        t = Transcript()
        t.apply(AudioOutputDelta(b"\x00\x01" * 4, PCM))
        t.apply(TurnComplete(stop_reason=StopReason.end_turn))
        t.apply(SpeechStarted())
        (audio,) = [b for b in t.blocks if b["kind"] == "audio"]
        assert "cut" not in audio


class TestWire:
    def test_each_chunk_travels_once_as_a_buffer(self) -> None:
        t = Transcript()
        wire, sent = wire_for(t)
        wire.receive({"type": "hello", "seq": 0})  # a view is listening
        chunks = [bytes([i]) * 480 for i in range(1, 6)]
        for chunk in chunks:
            wire.push(t.apply(AudioOutputDelta(chunk, PCM)))
        wire.push(t.finish())
        wire.close()
        payload = [buf for _, bufs in sent for buf in bufs]
        assert b"".join(payload) == b"".join(chunks)  # nothing twice, nothing base64 in the JSON
        opened = [op["block"] for m, _ in sent if m["type"] == "ops" for op in m["ops"] if op["op"] == "open"]
        assert opened[0]["streaming"] is True and "buffer" not in opened[0]

    def test_contiguous_chunks_in_one_message_are_one_buffer(self) -> None:
        t = Transcript()
        ops = t.apply(TextDelta(0, "x"))
        for _ in range(4):
            ops += t.apply(AudioOutputDelta(b"\x00\x00" * 100, PCM))
        out, buffers = encode(coalesce(ops), t.media)
        chunk_ops = [op for op in out if op["op"] == "chunk"]
        assert [(o["start"], o["size"], o["buffer"]) for o in chunk_ops] == [(0, 800, 0)]
        assert [len(b) for b in buffers] == [800]

    def test_before_any_view_the_chunks_wait_in_the_transcript(self) -> None:
        t = Transcript()
        wire, sent = wire_for(t)
        for _ in range(3):
            wire.push(t.apply(AudioOutputDelta(b"\x01\x00" * 10, PCM)))
        assert [op["op"] for m, _ in sent for op in m["ops"]] == ["meta", "open"] and all(not b for _, b in sent)
        wire.receive({"type": "hello", "seq": wire.seq})
        state, buffers = sent[-1]
        assert state["type"] == "state" and buffers == [b"\x01\x00" * 30]
        wire.push(t.apply(AudioOutputDelta(b"\x02\x00", PCM)))
        assert sent[-1][1] == [b"\x02\x00"] and sent[-1][0]["ops"][-1]["start"] == 60

    def test_a_late_view_gets_all_bytes_so_far(self) -> None:
        t = Transcript()
        wire, sent = wire_for(t)
        wire.push(t.apply(AudioOutputDelta(b"\x01\x00" * 50, PCM)))
        wire.receive({"type": "hello", "seq": 0})
        message, buffers = sent[-1]
        (block,) = [b for b in message["blocks"] if b["kind"] == "audio"]
        assert block["streaming"] is True and buffers[block["buffer"]] == b"\x01\x00" * 50


class TestSnapshot:
    def test_pcm_is_saved_as_a_wav_player(self) -> None:
        t = Transcript()
        t.apply(AudioOutputDelta(b"\x10\x00" * 2400, PCM))
        t.finish()
        html = to_html(t)
        (encoded,) = re.findall(r'<audio controls src="data:audio/wav;base64,([^"]+)"', html)
        with wave.open(io.BytesIO(base64.b64decode(encoded))) as w:
            assert (w.getframerate(), w.getnchannels(), w.getnframes()) == (24000, 1, 2400)
