"""The real OpenAI Realtime and Gemini Live transports through `%axio realtime`, against loopback fakes.

A real ipykernel, with `OPENAI_REALTIME_URL` and `GEMINI_LIVE_URL` pointing at the fakes
(tests/fakes/openai_realtime.py, tests/fakes/gemini_live.py) and the keys in its environment, runs
`%axio realtime --transport openai|gemini` as a user would. The test then speaks as the browser's voice
controls do (custom messages with one 100 ms PCM16 buffer each, as in test_realtime_magic.py) and reads
what the user would see from iopub, and what each client sent from the fake's log.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.fakes.gemini_live import FakeLive, fake_gemini_live
from tests.fakes.loopback import tone
from tests.fakes.openai_realtime import FakeRealtime, fake_openai_realtime
from tests.kernel.harness import Kernel, Run

pytestmark = pytest.mark.kernel

OPENAI_KEY = "sk-fake-REALTIME-SECRET-321"
GEMINI_KEY = "gm-fake-LIVE-SECRET-654"
SECRETS = (OPENAI_KEY, GEMINI_KEY)
TOOL = '''
async def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"Sunny in {city}, 21 C"
'''


# -- helpers -------------------------------------------------------------------------------------
def speech(rate: int, silence: float, spoken: float, after: float) -> list[bytes]:
    """100 ms chunks of PCM16 at `rate` (the page's `MIC_CHUNK_MS`): silence, a tone ("speech"), silence."""
    n = rate // 10
    quiet = bytes(2 * n)
    loud = [tone(n, k * n, rate, pitch=220.0, amplitude=9000) for k in range(round(spoken * 10))]
    return [quiet] * round(silence * 10) + loud + [quiet] * round(after * 10)


def printed(kernel: Kernel, expr: str) -> str:
    run = kernel.execute(f"print({expr})")
    assert run.status == "ok", run.errors
    return run.stdout.strip()


def until(kernel: Kernel, check: Callable[[], bool], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        kernel.pump(0.05)


def poll(kernel: Kernel, expr: str, want: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    got = ""
    while time.monotonic() < deadline:
        got = printed(kernel, expr)
        if got == want:
            return
        kernel.pump(0.1)
    raise AssertionError(f"{expr} = {got!r}, wanted {want!r}")


def all_messages(kernel: Kernel) -> list[dict[str, Any]]:
    return [m for run in kernel._runs.values() for m in run.messages] + list(kernel.other)


def voice_comm(run: Run) -> str:
    for m in run.messages:
        if m["msg_type"] == "comm_open" and m["content"]["data"]["state"].get("_view") == "voice":
            return str(m["content"]["comm_id"])
    raise AssertionError(f"no voice controls opened; saw {run.types}")


def synced(kernel: Kernel, comm: str, trait: str) -> list[Any]:
    return [
        m["content"]["data"]["state"][trait]
        for m in all_messages(kernel)
        if m["msg_type"] == "comm_msg"
        and m["content"]["comm_id"] == comm
        and trait in m["content"]["data"].get("state", {})
    ]


def view_ops(kernel: Kernel) -> list[tuple[dict[str, Any], bytes | None]]:
    """Every op the stream views got, each with the bytes of a chunk op."""
    out: list[tuple[dict[str, Any], bytes | None]] = []
    for m in all_messages(kernel):
        data = m["content"].get("data", {}) if m["msg_type"] == "comm_msg" else {}
        content = data.get("content", {}) if data.get("method") == "custom" else {}
        if content.get("type") != "ops":
            continue
        buffers = [bytes(b) for b in m.get("buffers", [])]
        for op in content["ops"]:
            out.append((op, buffers[op["buffer"]] if op["op"] == "chunk" and "buffer" in op else None))
    return out


def voice_played(kernel: Kernel, comm: str, media_type: str) -> bytes:
    """The voice the controls widget got to play: its `audio` messages' buffers, in order (the transcript
    holds no audio unless --keep-audio; widgets/PROTOCOL.md, "Voice"). An answer's first message names the
    format, and the next ones keep it."""
    got = bytearray()
    named = None
    for m in all_messages(kernel):
        data = m["content"].get("data", {}) if m["msg_type"] == "comm_msg" else {}
        content = data.get("content", {}) if data.get("method") == "custom" else {}
        if m["content"].get("comm_id") == comm and content.get("type") == "audio":
            named = content.get("media_type", named)
            assert named == media_type, content
            got += b"".join(bytes(b) for b in m.get("buffers", []))
    return bytes(got)


def opened(kernel: Kernel, kind: str) -> list[dict[str, Any]]:
    return [op["block"] for op, _ in view_ops(kernel) if op["op"] == "open" and op["block"]["kind"] == kind]


def start(kernel: Kernel, line: str) -> str:
    run = kernel.execute(line, timeout=20)
    assert run.status == "ok", (run.errors, run.stdout)
    return voice_comm(run)


def talk(kernel: Kernel, comm: str, chunks: list[bytes], rate: int) -> None:
    kernel.comm_send(comm, {"type": "started", "rate": rate})
    for seq, chunk in enumerate(chunks):
        kernel.comm_send(comm, {"type": "audio", "seq": seq, "t": time.time() * 1000}, [chunk])


def end(kernel: Kernel, comm: str, var: str) -> None:
    kernel.comm_send(comm, {"type": "end"})
    poll(kernel, f"{var}.done", "True")
    assert printed(kernel, "len(__import__('axio_nb.run.loop', fromlist=['x']).BACKGROUND)") == "0"


# -- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def openai_fake() -> Iterator[FakeRealtime]:
    with fake_openai_realtime() as fake:
        yield fake


@pytest.fixture(scope="module")
def gemini_fake() -> Iterator[FakeLive]:
    with fake_gemini_live() as fake:
        yield fake


@pytest.fixture(scope="module")
def kernel(openai_fake: FakeRealtime, gemini_fake: FakeLive) -> Iterator[Kernel]:
    env = {
        "OPENAI_API_KEY": OPENAI_KEY,
        "OPENAI_REALTIME_URL": openai_fake.url,
        "GEMINI_API_KEY": GEMINI_KEY,
        "GEMINI_LIVE_URL": gemini_fake.url,
        "AXIO_NB_TRANSPORT": "demo",
    }
    k = Kernel(env=env)
    try:
        setup = k.execute("%load_ext axio_nb\n" + TOOL)
        assert setup.status == "ok", setup.errors
        yield k
    finally:
        k.shutdown()


@pytest.fixture(scope="module")
def openai_turn(kernel: Kernel, openai_fake: FakeRealtime) -> dict[str, Any]:
    """A spoken turn with a tool round trip: speech, the user's transcript, a get_weather call, the answer."""
    use = kernel.execute("%axio use openai transcription_model=gpt-4o-mini-transcribe")
    assert use.status == "ok", (use.errors, use.stdout)
    before = len(openai_fake.connections)
    comm = start(
        kernel,
        '%axio realtime --transport openai --voice marin --tools get_weather --system "You are a patient tutor." '
        "--out call",
    )
    poll(kernel, "call.stats.state", "listening")
    assert len(openai_fake.connections) == before + 1
    conn = openai_fake.last
    chunks = speech(24000, 0.2, 1.0, 0.4)
    talk(kernel, comm, chunks, 24000)
    until(kernel, lambda: sum(1 for e in conn.events if e["type"] == "response.create") >= 1, "the tool's result")
    until(kernel, lambda: len(conn.voice_out) == 5 * 4800, "the answer's voice")
    poll(kernel, "call.transcript.meta.get('stop_reason')", "end_turn")
    poll(kernel, "call.stats.audio_chunks", "5")
    end(kernel, comm, "call")
    for _ in range(10):
        kernel.pump(0.05)
    return {"comm": comm, "conn": conn, "chunks": chunks}


# -- OpenAI ------------------------------------------------------------------------------------------
class TestOpenAIRealtime:
    def test_the_session_asks_for_24_khz_pcm_with_the_cells_settings(
        self, kernel: Kernel, openai_turn: dict[str, Any]
    ) -> None:
        conn = openai_turn["conn"]
        assert conn.query == {"model": "gpt-realtime"}
        assert conn.headers["Authorization"] == f"Bearer {OPENAI_KEY}"
        assert conn.types[0] == "session.update"
        session = conn.session
        assert session["audio"]["input"]["format"] == {"type": "audio/pcm", "rate": 24000}
        assert session["audio"]["input"]["transcription"] == {"model": "gpt-4o-mini-transcribe"}
        assert session["audio"]["output"] == {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "marin"}
        assert session["instructions"] == "You are a patient tutor."
        assert [t["name"] for t in session["tools"]] == ["get_weather"]
        # The microphone was asked for the session's rate.
        assert synced(kernel, openai_turn["comm"], "rate") == [24000]

    def test_the_microphones_exact_bytes_arrive(self, kernel: Kernel, openai_turn: dict[str, Any]) -> None:
        conn, chunks = openai_turn["conn"], openai_turn["chunks"]
        assert bytes(conn.audio) == b"".join(chunks)
        assert [e["bytes"] for e in conn.sent("input_audio_buffer.append")] == [len(c) for c in chunks]
        assert printed(kernel, "call.stats.mic_chunks, call.stats.dropped") == f"{len(chunks)} 0"

    def test_the_answer_plays_in_the_controls_and_both_captions_show(
        self, kernel: Kernel, openai_turn: dict[str, Any]
    ) -> None:
        conn = openai_turn["conn"]
        assert conn.voice_out, "the fake sent no voice"
        assert voice_played(kernel, openai_turn["comm"], "audio/pcm;rate=24000") == bytes(conn.voice_out)
        assert not opened(kernel, "audio"), "the voice went into the transcript"
        assert printed(kernel, "[b['text'] for b in call.transcript.blocks if b['kind'] == 'user']") == str(
            ["I spoke for 1.00 seconds today."]
        )
        assert printed(kernel, "call.transcript.text") == "".join(conn.captions_out)
        assert "".join(conn.captions_out) == "The tool said: Sunny in Paris, 21 C."
        user_ids = {b["id"] for b in opened(kernel, "user")}
        streamed = "".join(
            (op.get("text") or "") for op, _ in view_ops(kernel) if op["op"] == "append" and op["id"] in user_ids
        )
        assert streamed.endswith("1.00 seconds today.")

    def test_a_tool_call_runs_the_notebooks_tool_and_the_result_goes_back(
        self, kernel: Kernel, openai_turn: dict[str, Any]
    ) -> None:
        conn = openai_turn["conn"]
        outputs = [
            e["item"] for e in conn.sent("conversation.item.create") if e["item"]["type"] == "function_call_output"
        ]
        assert outputs == [{"type": "function_call_output", "call_id": "call_rt_1", "output": "Sunny in Paris, 21 C"}]
        after = conn.types[conn.types.index("conversation.item.create") :]
        assert "response.create" in after
        (card,) = opened(kernel, "tool")
        assert card["name"] == "get_weather"
        assert printed(kernel, "[b['args'] for b in call.transcript.blocks if b['kind'] == 'tool']") == str(
            ['{"city": "Paris"}']
        )


class TestOpenAITypedTurn:
    """`call.send_text` (the controls' text box) on the real OpenAI transport: a user message item with the
    text, a response asked for, and the answer's voice and caption as after speech."""

    def test_a_typed_turn_is_a_user_message_then_a_response(self, kernel: Kernel, openai_fake: FakeRealtime) -> None:
        use = kernel.execute("%axio use openai")
        assert use.status == "ok", (use.errors, use.stdout)
        comm = start(kernel, "%axio realtime --transport openai --out typed")
        poll(kernel, "typed.stats.state", "listening")
        conn = openai_fake.last
        run = kernel.execute('typed.send_text("What is the weather like?")')
        assert run.status == "ok", run.errors
        until(kernel, lambda: len(conn.voice_out) == 5 * 4800, "the answer's voice")
        poll(kernel, "typed.transcript.meta.get('stop_reason')", "end_turn")
        messages = [e["item"] for e in conn.sent("conversation.item.create") if e["item"].get("type") == "message"]
        assert [(m["role"], [c.get("type") for c in m["content"]]) for m in messages] == [("user", ["input_text"])]
        assert messages[0]["content"][0]["text"] == "What is the weather like?"
        after = conn.types[conn.types.index("conversation.item.create") :]
        assert "response.create" in after, conn.types
        assert conn.sent("input_audio_buffer.append") == []
        assert printed(kernel, "[(t.role, t.typed) for t in typed.transcript.turns][:1]") == "[('user', True)]"
        assert printed(kernel, "typed.stats.texts") == "1"
        assert voice_played(kernel, comm, "audio/pcm;rate=24000").endswith(bytes(conn.voice_out))
        end(kernel, comm, "typed")


def barge_in(kernel: Kernel, fake: FakeRealtime, var: str) -> Any:
    """Speech, then speaking again over the (slow, long) answer; returns the connection once it was cancelled."""
    fake.pace, fake.answer_chunks = 0.2, 30
    try:
        comm = start(kernel, f"%axio realtime --transport openai --out {var}")
        poll(kernel, f"{var}.stats.state", "listening")
        conn = fake.last
        talk(kernel, comm, speech(24000, 0.1, 0.4, 0.2), 24000)
        until(kernel, lambda: len(conn.voice_out) >= 2 * 4800, "the answer to start")
        assert conn.sent("response.cancel") == []
        n = 24000 * 40 // 1000
        for seq in range(5):
            chunk = tone(n, seq * n, 24000, pitch=200.0, amplitude=9000)
            kernel.comm_send(comm, {"type": "audio", "seq": 100 + seq, "t": 0}, [chunk])
        poll(kernel, f"{var}.transcript.meta.get('stop_reason')", "cancelled")
        assert len(conn.voice_out) < 30 * 4800

        def flushes() -> list[dict[str, Any]]:
            return [
                m
                for m in all_messages(kernel)
                if m["msg_type"] == "comm_msg"
                and m["content"].get("comm_id") == comm
                and m["content"]["data"].get("method") == "custom"
                and m["content"]["data"]["content"].get("type") == "flush"
            ]

        # The controls play the voice; a barge-in tells them to drop what they buffered (PROTOCOL.md, "Voice").
        until(kernel, lambda: bool(flushes()), "the controls told to flush their playback", timeout=5)
        for _ in range(10):  # anything the server says after the cut (an error) has time to arrive
            kernel.pump(0.05)
        assert printed(kernel, f"[b['message'] for b in {var}.transcript.blocks if b['kind'] == 'error']") == "[]"
        end(kernel, comm, var)
        return conn
    finally:
        fake.pace, fake.answer_chunks = 0.01, 5


class TestOpenAIBargeIn:
    def test_speaking_over_the_answer_sends_response_cancel(self, kernel: Kernel, openai_fake: FakeRealtime) -> None:
        # Server VAD that does not cancel by itself: the client's `interrupt()` is what cuts the answer.
        use = kernel.execute("%axio use openai vad_interrupt_response=False")
        assert use.status == "ok", (use.errors, use.stdout)
        conn = barge_in(kernel, openai_fake, "barge")
        assert len(conn.sent("response.cancel")) == 1
        assert printed(kernel, "barge.stats.barge_ins, barge.stats.interrupts") == "1 1"

    def test_a_server_that_cancels_by_itself_gets_no_second_cancel(
        self, kernel: Kernel, openai_fake: FakeRealtime
    ) -> None:
        # OpenAI's default: server VAD cancels the response the user speaks over (`interrupt_response`). A
        # `response.cancel` after that is refused (`response_cancel_not_active`), which would show as an error.
        use = kernel.execute("%axio use openai vad_interrupt_response=True")
        assert use.status == "ok", (use.errors, use.stdout)
        conn = barge_in(kernel, openai_fake, "barge2")
        assert conn.session["audio"]["input"]["turn_detection"]["interrupt_response"] is True
        assert conn.sent("response.cancel") == []
        assert printed(kernel, "barge2.stats.barge_ins, barge2.stats.interrupts") == "1 0"


# -- Gemini Live ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def gemini_turn(kernel: Kernel, gemini_fake: FakeLive) -> dict[str, Any]:
    comm = start(kernel, '%axio realtime --transport gemini --voice Puck --system "Be brief." --out live')
    poll(kernel, "live.stats.state", "listening")
    conn = gemini_fake.last
    chunks = speech(16000, 0.2, 0.8, 0.2)
    talk(kernel, comm, chunks, 16000)
    until(kernel, lambda: len(conn.voice_out) == 5 * 4800, "the answer's voice")
    poll(kernel, "live.stats.audio_chunks", "5")
    poll(kernel, "live.transcript.meta.get('stop_reason')", "end_turn")
    end(kernel, comm, "live")
    for _ in range(10):
        kernel.pump(0.05)
    return {"comm": comm, "conn": conn, "chunks": chunks}


class TestGeminiLive:
    def test_the_setup_message(self, gemini_turn: dict[str, Any]) -> None:
        conn = gemini_turn["conn"]
        assert conn.query == {"key": GEMINI_KEY}
        assert list(conn.messages[0]) == ["setup"]
        setup = conn.setup
        assert setup["model"] == "models/gemini-live-2.5-flash-native-audio"
        assert setup["generationConfig"]["responseModalities"] == ["AUDIO"]
        assert setup["generationConfig"]["speechConfig"]["voiceConfig"]["prebuiltVoiceConfig"] == {"voiceName": "Puck"}
        assert setup["systemInstruction"] == {"parts": [{"text": "Be brief."}]}

    def test_the_microphone_records_at_16_khz_and_the_exact_bytes_arrive(
        self, kernel: Kernel, gemini_turn: dict[str, Any]
    ) -> None:
        conn, chunks = gemini_turn["conn"], gemini_turn["chunks"]
        assert synced(kernel, gemini_turn["comm"], "rate") == [16000]
        assert printed(kernel, "live.stats.input_rate") == "16000"
        assert bytes(conn.audio) == b"".join(chunks)
        assert set(conn.mime_types) == {"audio/pcm;rate=16000"}
        # The fake measured the speech at the rate the chunks were labelled with: 0.8 s, not 0.8 × 24/16.
        assert conn.heard == ["I spoke for 0.80 seconds."]

    def test_the_answer_plays_in_the_controls(self, kernel: Kernel, gemini_turn: dict[str, Any]) -> None:
        conn = gemini_turn["conn"]
        assert conn.voice_out, "the fake sent no voice"
        assert voice_played(kernel, gemini_turn["comm"], "audio/pcm;rate=24000") == bytes(conn.voice_out)
        assert printed(kernel, "live.transcript.text") == "".join(conn.captions_out)
        users = printed(kernel, "[b['text'] for b in live.transcript.blocks if b['kind'] == 'user']")
        assert users == str(["I spoke for 0.80 seconds."])


# -- no secret in any output -------------------------------------------------------------------------
class TestSecretsNeverShown:
    def test_a_refused_handshake_says_so_without_the_key(self, kernel: Kernel, gemini_fake: FakeLive) -> None:
        refused = gemini_fake.url.replace("/live", "/refused")
        kernel.execute(f"%env GEMINI_LIVE_URL={refused}")
        try:
            start(kernel, "%axio realtime --transport gemini --out refused")
            poll(kernel, "refused.done", "True")
            errors = printed(kernel, "[b['message'] for b in refused.transcript.blocks if b['kind'] == 'error']")
            assert "403" in errors, errors
            assert GEMINI_KEY not in errors
        finally:
            kernel.execute(f"%env GEMINI_LIVE_URL={gemini_fake.url}")

    def test_no_message_or_widget_state_carries_a_key(
        self,
        kernel: Kernel,
        openai_fake: FakeRealtime,
        gemini_fake: FakeLive,
        openai_turn: dict[str, Any],
        gemini_turn: dict[str, Any],
    ) -> None:
        for code in ("%axio transports", "print(repr(call), repr(live), call.stats, live.stats)"):
            kernel.execute(code)
        messages = all_messages(kernel)
        assert len(messages) > 50
        states = [m["content"]["data"]["state"] for m in messages if m["msg_type"] == "comm_open"]
        assert states, "no widget was opened"
        leaks = [
            (secret[:8], m["msg_type"])
            for m in messages
            for secret in SECRETS
            if secret in json.dumps(m, default=str)
            or any(
                secret.encode() in bytes(b) or secret.encode() in base64.b64encode(bytes(b))
                for b in m.get("buffers", [])
            )
        ]
        assert leaks == []
        # Each key did reach its fake, so the search above looks for something real.
        assert openai_turn["conn"].headers["Authorization"].endswith(OPENAI_KEY)
        assert gemini_turn["conn"].query["key"] == GEMINI_KEY
