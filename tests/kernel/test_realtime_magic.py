"""`%axio realtime` and `axio_nb.realtime()` in a real ipykernel: the voice controls' messages, as the browser
sends them, drive the demo.

The cell returns at once; the session runs in the background. 100 ms PCM16 chunks (the page's `MIC_CHUNK_MS`)
at the session's rate (silence, ~1.5 s of a tone, silence) arrive as custom messages with one binary buffer
each; the demo's VAD hears the tone, the transcript gets the user's caption and a spoken answer whose voice goes to the
controls (not into the transcript), and End leaves the static snapshot and no background task. Typed
turns, mute, push-to-talk commits, a blocked microphone and `--keep-audio` each drive the same path.
"""

from __future__ import annotations

import array
import math
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from .harness import Kernel, Run

pytestmark = pytest.mark.kernel

RATE = 24000
MS = 100  # widgets/src/voice.js, MIC_CHUNK_MS
CHUNK = RATE * MS // 1000  # samples per chunk


@pytest.fixture(scope="module")
def kernel() -> Iterator[Kernel]:
    k = Kernel()
    assert k.execute("%load_ext axio_nb\n%axio use demo pace=0 voice_pace=0").status == "ok"
    yield k
    k.shutdown()


def chunks(seconds: float, tone: bool) -> list[bytes]:
    out = []
    n = round(seconds * 1000 / MS)
    for c in range(n):
        samples = array.array("h", [0] * CHUNK)
        if tone:
            for i in range(CHUNK):
                samples[i] = round(9000 * math.sin(2 * math.pi * 440 * (c * CHUNK + i) / RATE))
        out.append(samples.tobytes())
    return out


def value(kernel: Kernel, expr: str) -> str:
    run = kernel.execute(f"print({expr})")
    assert run.status == "ok", run.errors
    return run.stdout.strip()


def poll(kernel: Kernel, expr: str, want: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    got = ""
    while time.monotonic() < deadline:
        got = value(kernel, expr)
        if got == want:
            return
        kernel.pump(0.1)
    raise AssertionError(f"{expr} = {got!r}, wanted {want!r}")


def voice_comm(run: Run, view: str = "voice") -> str:
    for m in run.messages:
        if m["msg_type"] == "comm_open" and m["content"]["data"]["state"].get("_view") == view:
            return str(m["content"]["comm_id"])
    raise AssertionError(f"no {view} widget opened; saw {run.types}")


def custom(messages: list[dict[str, Any]], comm: str, kind: str) -> list[dict[str, Any]]:
    """Custom messages of `kind` the kernel sent to widget `comm` (with their buffers' sizes)."""
    out = []
    for m in messages:
        data = m["content"].get("data", {}) if m["msg_type"] == "comm_msg" else {}
        if m["content"].get("comm_id") == comm and data.get("method") == "custom" and data["content"]["type"] == kind:
            out.append(
                {**data["content"], "_bytes": [len(b) for b in m.get("buffers", [])], "_parent": m["parent_header"]}
            )
    return out


def snapshots(messages: list[dict[str, Any]]) -> list[str]:
    return [
        m["content"]["data"].get("text/html", "")
        for m in messages
        if m["msg_type"] == "update_display_data" and "axio-nb" in m["content"]["data"].get("text/html", "")
    ]


def every_message(kernel: Kernel, runs: list[Run]) -> list[dict[str, Any]]:
    return [m for r in runs for m in r.messages] + list(kernel.other)


def ops(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for m in messages:
        data = m["content"].get("data", {}) if m["msg_type"] == "comm_msg" else {}
        if data.get("method") == "custom" and data["content"].get("type") == "ops":
            out += data["content"]["ops"]
    return out


class TestRealtime:
    def test_microphone_messages_make_a_spoken_turn_and_end_leaves_the_snapshot(self, kernel: Kernel) -> None:
        run = kernel.execute("%axio realtime --out v", timeout=10)
        assert run.status == "ok", run.errors
        comm = voice_comm(run)
        poll(kernel, "v.stats.state", "listening")
        rate = int(value(kernel, "v.stats.input_rate"))
        assert rate == RATE  # what the demo session was connected for, read from the session
        synced = [
            m["content"]["data"]["state"]["rate"]
            for m in every_message(kernel, [run])
            if m["msg_type"] == "comm_msg"
            and m["content"]["comm_id"] == comm
            and "rate" in m["content"]["data"].get("state", {})
        ]
        assert synced == [RATE], synced  # the controls were told the rate to capture at
        sent = [kernel.comm_send(comm, {"type": "started", "rate": rate})]
        pcm = chunks(0.4, False) + chunks(1.5, True) + chunks(1.0, False)
        for seq, chunk in enumerate(pcm):
            sent.append(kernel.comm_send(comm, {"type": "audio", "seq": seq, "t": 0}, [chunk]))
        poll(kernel, "v.stats.mic_chunks", str(len(pcm)))
        assert value(kernel, "v.stats.mic_bytes") == str(len(pcm) * CHUNK * 2)
        assert value(kernel, "v.stats.dropped") == "0"
        # Chunks the page held back while the kernel was behind (widgets/src/voice.js, MIC_AHEAD) count as dropped.
        sent.append(
            kernel.comm_send(comm, {"type": "audio", "seq": len(pcm), "t": 0, "skipped": 3}, [chunks(0.1, False)[0]])
        )
        poll(kernel, "v.stats.dropped", "3")
        poll(kernel, "v.transcript.meta.get('stop_reason')", "end_turn")
        users = value(kernel, "[b['text'] for b in v.transcript.blocks if b['kind'] == 'user']")
        heard = re.search(r"\(heard ([\d.]+) s of speech\)", users)
        assert heard and abs(float(heard[1]) - 1.5) <= 0.2, users
        assert value(kernel, "bool(v.transcript.text.strip())") == "True"  # the assistant's caption
        assert int(value(kernel, "v.stats.audio_chunks")) > 0
        assert value(kernel, "v.done") == "False"

        end = kernel.comm_send(comm, {"type": "end"})
        sent.append(end)
        poll(kernel, "v.done", "True")
        assert value(kernel, "v.stats.state") == "ended"
        assert value(kernel, "len(__import__('axio_nb.run.loop', fromlist=['x']).BACKGROUND)") == "0"
        for _ in range(20):
            kernel.pump(0.05)
        messages = every_message(kernel, [run, *sent])
        # The voice went to the controls as binary audio messages, ended per answer; none into the transcript.
        audio = custom(messages, comm, "audio")
        sizes = [a.get("sizes", a["_bytes"]) for a in audio]  # one delta: no `sizes`, the buffer's length
        assert audio and all(a["_bytes"] == [sum(s)] for a, s in zip(audio, sizes, strict=True)), audio[:3]
        assert sum(len(s) for s in sizes) == int(value(kernel, "v.stats.audio_chunks"))
        # The answer's first message names the format, the next ones do not repeat it; each says when it left,
        # and none carries the parent header of the cell that started the session.
        assert audio[0]["media_type"] == "audio/pcm;rate=24000" and "media_type" not in audio[1], audio[:2]
        assert all(isinstance(a["t"], int) for a in audio)
        assert all(a["_parent"] == {} for a in audio), audio[0]["_parent"]
        assert custom(messages, comm, "audio_end")
        # The kernel told the page how far it read the microphone, every 5 chunks.
        heard = [m["seq"] for m in custom(messages, comm, "heard")]
        assert heard == list(range(4, len(pcm) + 1, 5)), heard
        assert not any(o["op"] == "chunk" for o in ops(messages)), "audio went into the transcript"
        shots = snapshots(messages)
        assert shots, "the live view was not replaced by a snapshot"
        assert "heard 1." in shots[-1] and "<audio" not in shots[-1]  # no audio unless --keep-audio

    def test_static_display_runs_the_session_with_no_controls(self, kernel: Kernel) -> None:
        """Headless runs (nbval, `nbconvert --execute`) set AXIO_NB_DISPLAY=static: the session still starts and
        ends, with one line instead of the browser's controls and no widget in the cell."""
        kernel.execute("import os; os.environ['AXIO_NB_DISPLAY'] = 'static'")
        try:
            run = kernel.execute("%axio realtime --out quiet", timeout=10)
            assert run.status == "ok", run.errors
            assert "no microphone" in run.stdout and ".end()" in run.stdout, run.stdout
            assert not [m for m in run.messages if m["msg_type"] == "comm_open"], "a widget was opened"
            poll(kernel, "quiet.stats.state", "listening")
            assert kernel.execute("quiet.end()\nawait quiet.wait()").status == "ok"
            assert value(kernel, "quiet.stats.state") == "ended"
            assert value(kernel, "quiet.transcript.meta['status']") == "done"
        finally:
            kernel.execute("del os.environ['AXIO_NB_DISPLAY']")


class TestTypedMutePushToTalk:
    def test_function_api_typed_turns_mute_and_a_blocked_microphone(self, kernel: Kernel) -> None:
        """`call = axio_nb.realtime(); call` shows the controls; the text box and `send_text` are answered;
        mute stops the chunks; a blocked microphone is one line in the widget and in the cell's transcript."""
        run = kernel.execute("import axio_nb\ncall = axio_nb.realtime()\ncall", timeout=10)
        assert run.status == "ok", run.errors
        comm = voice_comm(run)
        voice_comm(run, "stream")
        poll(kernel, "call.stats.state", "listening")
        sent = [kernel.comm_send(comm, {"type": "error", "reason": "blocked", "message": "Microphone blocked: x."})]
        sent.append(kernel.comm_send(comm, {"type": "text", "text": "hello from the box"}))
        poll(kernel, "sum(1 for t in call.transcript if t.role == 'assistant' and t.end is not None)", "1")
        assert kernel.execute("call.send_text('and from Python')").status == "ok"
        poll(kernel, "sum(1 for t in call.transcript if t.role == 'assistant' and t.end is not None)", "2")
        said = value(kernel, "[(t.role, t.typed, t.text[:30]) for t in call.transcript]")
        assert said == str(
            [
                ("user", True, "hello from the box"),
                ("assistant", False, "You typed: hello from the box."),
                ("user", True, "and from Python"),
                ("assistant", False, "You typed: and from Python. Th"),
            ]
        ), said
        assert value(kernel, "call.stats.mic_error") == "Microphone blocked: x."
        sent.append(kernel.execute("call.mute()"))
        for seq, chunk in enumerate(chunks(0.4, True)):
            sent.append(kernel.comm_send(comm, {"type": "audio", "seq": seq, "t": 0}, [chunk]))
        assert value(kernel, "call.stats.mic_chunks, call.stats.muted") == "0 True"
        sent.append(kernel.execute("call.unmute(); call.end(); await call.wait()"))
        assert sent[-1].status == "ok", sent[-1].errors
        for _ in range(10):
            kernel.pump(0.05)
        messages = every_message(kernel, [run, *sent])
        states = [
            m["content"]["data"]["state"]["muted"]
            for m in messages
            if m["msg_type"] == "comm_msg" and "muted" in m["content"]["data"].get("state", {})
        ]
        assert states == [True, False], states  # the page saw call.mute() and call.unmute()
        shot = snapshots(messages)[-1]
        assert "Microphone blocked: x." in shot and "You typed: and from Python" in shot
        assert value(kernel, "len(__import__('axio_nb.run.loop', fromlist=['x']).BACKGROUND)") == "0"

    def test_push_to_talk_commits_on_release_and_keep_audio_embeds_the_voice(self, kernel: Kernel) -> None:
        run = kernel.execute("%axio realtime --push-to-talk --keep-audio --out p", timeout=10)
        assert run.status == "ok", run.errors
        comm = voice_comm(run)
        poll(kernel, "p.stats.state", "listening")
        assert value(kernel, "p.session.server_vad, p.stats.push_to_talk") == "False True"
        sent = [kernel.comm_send(comm, {"type": "talk", "on": True})]
        for seq, chunk in enumerate(chunks(1.2, True)):
            sent.append(kernel.comm_send(comm, {"type": "audio", "seq": seq, "t": 0}, [chunk]))
        # Server VAD is off: however long the audio, nothing is heard until the release commits it.
        assert value(kernel, "len(p.transcript)") == "1"
        sent.append(kernel.comm_send(comm, {"type": "talk", "on": False}))
        poll(kernel, "sum(1 for t in p.transcript if t.role == 'assistant' and t.end is not None)", "1")
        assert value(kernel, "p.transcript[0].text") == "(heard 1.2 s of speech)"
        sent.append(kernel.execute("p.end(); await p.wait()"))
        for _ in range(10):
            kernel.pump(0.05)
        shot = snapshots(every_message(kernel, [run, *sent]))[-1]
        assert "heard 1.2" in shot and "<audio" in shot  # --keep-audio: the answer's voice as a player

    def test_help_names_the_flags(self) -> None:
        """`%axio?` prints HELP (through the pager, not iopub): it names the new flags and methods."""
        from axio_nb.magics.flags import HELP

        assert "--push-to-talk" in HELP and "--keep-audio" in HELP and ".send_text()" in HELP
