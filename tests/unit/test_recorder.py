"""RecorderView's side of the recorder protocol (widgets/PROTOCOL.md, "Recorder"), without a browser."""

from __future__ import annotations

import asyncio

import pytest

from axio_nb.views.recorder import RecorderView, RecordingFailed


async def test_chunks_arrive_in_order_and_end_the_recording() -> None:
    view = RecorderView(rate=16000)
    view._handle({"type": "started", "rate": 24000}, [], 0.0)
    view._handle({"type": "audio", "seq": 0, "t": 1000}, [memoryview(b"\x01\x00\x02\x00")], 1.002)
    view._handle({"type": "audio", "seq": 1, "t": 1040}, [b"\x03\x00"], 1.041)
    view._handle({"type": "end", "chunks": 2}, [], 1.05)
    assert await asyncio.wait_for(view.recording(), 1) == b"\x01\x00\x02\x00\x03\x00"
    assert view.recorded_rate == 24000 and view.seconds == pytest.approx(3 / 24000)
    assert view.arrivals == [(1.002, 1.0), (1.041, 1.04)]


async def test_a_browser_failure_is_one_line_and_bounded() -> None:
    view = RecorderView()
    view._handle(
        {"type": "error", "reason": "blocked", "message": "Microphone blocked:\n allow it" + "x" * 500}, [], 0
    )
    with pytest.raises(RecordingFailed) as info:
        await asyncio.wait_for(view.recording(), 1)
    assert str(info.value).startswith("Microphone blocked: allow it") and len(str(info.value)) == 300


async def test_a_rate_out_of_range_is_ignored_and_the_code_request_is_answered() -> None:
    view = RecorderView(rate=16000)
    view._handle({"type": "started", "rate": 10**9}, [], 0)
    assert view.recorded_rate == 16000
    sent: list[object] = []
    view.send = lambda content, buffers=None: sent.append((content, len(buffers or [])))  # type: ignore[method-assign]
    view._handle({"type": "code?", "name": "recorder"}, [], 0)
    view._handle({"type": "code?", "name": "stream"}, [], 0)  # not this widget's bundle
    assert [c for c, _ in sent] == [{"type": "code", "name": "recorder", "hash": view._bundles["recorder"]}]
