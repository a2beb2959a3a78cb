"""Realtime benchmark: `%axio realtime` with the demo transport, in a real JupyterLab page and in a kernel alone.

One run measures:

1. **In the page** (JupyterLab, Debian's Chromium with a fake microphone playing an espeak-ng sentence once,
   the demo at `voice_pace=1`, i.e. real time, or `--voice-pace`):
   - **mic chunk captured → `RealtimeSession.send`, p95** (target ≤ 40 ms): every 100 ms chunk carries the
     page's `Date.now()` when the capture worklet handed it over (`t`); a setup cell wraps the runner's
     handler of the controls' messages (`axio_nb.run.voice_runner.Runner.from_view`) and the demo session's
     `send`, and logs the kernel's `time.time()` when each mic message reaches the one and each audio block
     the other (the k-th send is the k-th chunk: the mic queue is first in, first out, and nothing was
     dropped). Same machine, same wall clock.
   - **first `AudioOutputDelta` in the kernel → audible, per reply with nothing playing** (target ≤ 120 ms): the
     spoken turn's reply and `--spaced` turns typed in the widget's box one at a time, each after the last reply
     played out (the queued replies below are listed apart: each waits for the one before to play). The kernel's time
     when the runner's event loop (`Runner._events`) took a reply's first delta from `RealtimeAgent.events()`,
     against the `audibleAt` of the page player that played the reply (its estimate of when the first
     non-zero sample leaves the speakers, widgets/src/lib/audio/player.js), made epoch with
     `Date.now() − performance.now()`. The voice is played by the realtime controls (the kernel sends it as
     their `audio` messages, widgets/src/lib/audio/voice-out.js: one player per answer, starting at 120 ms
     buffered or 60 ms after its first voice left the kernel, FIRST_WAIT_MS, longer on a jittery connection);
     the page finds those players in the set voice-out.js keeps them in (`Symbol.for("axio_nb.voicePlayers")`).
     Also logged: when the controls sent each `audio` message (`VoiceControls._flush_audio`), to split the wait.
   - **underruns over 60 s of continuous playback** (target 0): after the spoken turn, a cell queues eleven
     typed turns on the session at once (`agent.send(TextBlock)`: the demo answers them one after the
     other, ~5.5 s of voice each, 20 s at most per reply, one continuous stretch of ~60 s); every voice player
     the page makes is watched for `underrun` states: the target counts the queued replies'; the replies
     before them, each starting from silence, are listed apart (the page's own counts, reported to the kernel
     as `call.stats.underruns`, are shown beside them), and the seconds they played are set against the
     seconds of voice the kernel received.
   - **iopub bytes per second of audio, each way** (target ≤ 1.1 × the PCM byte rate): kernel → page, every
     iopub frame (all parts) of the controls' `audio` messages, which carry the voice, over the PCM bytes of
     the assistant's voice. Listed beside them, per voice PCM byte: the controls' other messages
     (`audio_end`, trait updates), the transcript view's (the captions: text, not audio), and all of them;
     the `code` answers (the widgets' bundles, once per page) are counted apart.
     Page → kernel, the mic messages' websocket frames (read in the page) over the mic's PCM bytes, and apart
     the iopub messages the kernel emits for the page's messages (status busy/idle).
2. **In a kernel alone, an accelerated hour**: the same session run without a browser through jupyter_client
   (the bench plays the page: it says `hello` to the transcript view, so its ops go out as they would; the
   controls need none, and their `audio` messages are counted to show the voice went out), with
   `voice_pace` = 1/`factor` and mic audio sent to the controls' comm `factor` times faster than real time:
   cycles of 4 s of a tone and 6 s of silence, for one hour of mic audio (`--hour-s` for a shorter trial).
   Chunks are 200 ms (the page sends 100 ms) so that the kernel has 5 × `factor` messages a second to handle,
   not 10 × `factor`. At most `IN_FLIGHT` chunks (2 s of audio) go ahead of the last one the kernel said it
   read (`heard`, as the page holds back): on a busy machine the kernel cannot always keep up with 30×, and
   what it had not read yet piled up in ipykernel's own shell queue, in the kernel's memory (runs of the same
   code grew 5 or 30–70 MB). The report says the speed-up reached. Kernel RSS (`/proc`) is read every minute
   of session time; the target is ≤ 50 MB of growth.

    .venv/bin/python bench/realtime.py [--factor 30] [--replies 11] [--hour-s 3600] [--no-browser]
"""

from __future__ import annotations

import argparse
import json
import math
import queue
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client.manager import KernelManager

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from media import Tap, connection_file, speech_wav  # noqa: E402

from tests.browser.harness import (  # noqa: E402
    CELL_TIMEOUT_MS,
    LabServer,
    NotebookPage,
    js_number_summary,
    launch_chromium,
    new_context,
)

RESULTS = REPO / "bench" / "results"
TARGETS = {"mic_send_p95_ms": 40.0, "first_delta_audible_ms": 120.0, "underruns": 0, "rss_growth_mb": 50.0}
TARGETS |= {"iopub_per_pcm_byte": 1.1}
PCM_RATE = 24000 * 2  # bytes a second of PCM16 mono at 24 kHz, both ways
VOICE = ".axio-nb-voice"

HOOK_CELL = """\
%load_ext axio_nb
%axio use demo voice_pace={voice_pace}
import json, os, time
from axio import AudioOutputDelta, TurnComplete
from axio.blocks import AudioBlock, TextBlock
from axio.realtime import RealtimeAgent
import axio_nb.run.voice_runner as _bench_rt
import axio_nb.demo.realtime as _bench_demo
import axio_nb.views.voice as _bench_voice
_BENCH = {"mic": [], "send": [], "out": [], "sent": []}
_BENCH_RUNNERS = []
_bench_orig = (_bench_rt.Runner.__init__, _bench_rt.Runner.from_view, RealtimeAgent.events,
               _bench_demo.DemoRealtimeSession.send, _bench_voice.VoiceControls._flush_audio)
def _bench_init(self, *args, **kwargs):
    _bench_orig[0](self, *args, **kwargs)
    _BENCH_RUNNERS.append(self)
def _bench_from_view(self, content, buffers, received):
    if content.get("type") == "audio":
        _BENCH["mic"].append([content.get("seq"), content.get("t"), time.time() * 1000, sum(map(len, buffers))])
    _bench_orig[1](self, content, buffers, received)
async def _bench_events(self):
    async for event in _bench_orig[2](self):
        if isinstance(event, AudioOutputDelta):
            _BENCH["out"].append(["audio", time.time() * 1000, len(event.data)])
        elif isinstance(event, TurnComplete):
            _BENCH["out"].append(["turn", time.time() * 1000, str(event.stop_reason)])
        yield event
async def _bench_send(self, content):
    if isinstance(content, AudioBlock):
        _BENCH["send"].append([time.time() * 1000, len(content.data)])
    return await _bench_orig[3](self, content)
def _bench_flush(self):
    if self._pending:
        _BENCH["sent"].append([time.time() * 1000, sum(map(len, self._pending))])
    _bench_orig[4](self)
_bench_rt.Runner.__init__, _bench_rt.Runner.from_view = _bench_init, _bench_from_view
RealtimeAgent.events = _bench_events
_bench_demo.DemoRealtimeSession.send = _bench_send
_bench_voice.VoiceControls._flush_audio = _bench_flush"""

QUEUE_CELL = """\
for _i in range({replies}):
    _text = f"Benchmark turn {{_i}}: keep talking to me for a while, please."
    await _BENCH_RUNNERS[-1].agent.send(TextBlock(text=_text))"""

DUMP_CELL = """\
v.end()
await v.wait()
_BENCH["stats"] = {k: getattr(v.stats, k) for k in ("mic_chunks", "mic_bytes", "dropped", "audio_chunks", "played",
                                                    "played_ms", "underruns")}
with open("bench_realtime.tmp", "w") as _f:
    json.dump(_BENCH, _f)
os.replace("bench_realtime.tmp", "bench_realtime.json")
print("dumped")"""

#: Page side: the mic messages' websocket frames, and every voice player the page makes (its states): the set
#: widgets/src/lib/audio/voice-out.js registers them in is made here first, so each is seen as it is added.
PAGE_PROBE = r"""
(() => {
  window.__benchUp = { msgs: 0, bytes: 0 };
  const send = WebSocket.prototype.send;
  const latin1 = new TextDecoder("latin1");
  WebSocket.prototype.send = function (data) {
    if (this.url.includes("/api/kernels/") && typeof data !== "string") {
      const head = latin1.decode(data.byteLength > 4096 ? new Uint8Array(data, 0, 4096) : data);
      if (/"type": ?"audio", ?"seq"/.test(head)) {
        window.__benchUp.msgs += 1;
        window.__benchUp.bytes += data.byteLength;
      }
    }
    return send.call(this, data);
  };
  window.__benchPlayers = [];
  const live = new Set();
  live.add = function (p) {
    if (!window.__benchPlayers.some((r) => r.p === p)) {
      const rec = { p, underruns: 0, states: [], madeAt: performance.now() };
      const orig = p.onstate;
      p.onstate = (s) => {
        rec.states.push(s);
        if (s === "underrun") rec.underruns += 1;
        orig?.(s);
      };
      window.__benchPlayers.push(rec);
    }
    return Set.prototype.add.call(this, p);
  };
  globalThis[Symbol.for("axio_nb.voicePlayers")] = live;
})();
"""

PLAYERS_JS = """() => ({
  players: window.__benchPlayers.map((r) => ({ madeAt: r.madeAt, startedAt: r.p.startedAt, audibleAt: r.p.audibleAt,
    played: r.p.playedSeconds, state: r.p.state, underruns: r.underruns, states: r.states.join(" ") })),
  up: window.__benchUp,
  wallMinusNow: Date.now() - performance.now(),
})"""


@dataclass
class PageRun:
    mic_ms: list[float] = field(default_factory=list)  # chunk captured → RealtimeSession.send
    mic_arrival_ms: list[float] = field(default_factory=list)  # chunk captured → the runner's handler
    audible_ms: list[float | None] = field(default_factory=list)  # per reply: first delta → audible
    sent_ms: list[float | None] = field(default_factory=list)  # per reply: first delta → first `audio` message
    made_ms: list[float | None] = field(default_factory=list)  # per reply: first delta → the page made its player
    second_ms: list[float] = field(default_factory=list)  # per reply: first delta → second delta
    # per reply: how far behind real time (counted from its first delta) its latest delta reached the runner
    behind_ms: list[float] = field(default_factory=list)
    reply_s: list[float] = field(default_factory=list)  # per reply: seconds of voice the kernel received
    players: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    alone: int = 1  # the first `alone` replies started with nothing playing; the rest were queued
    down_iopub_bytes: int = 0  # the controls' and the transcript's comm messages, `code` answers apart
    down_audio_bytes: int = 0  # …of which the controls' `audio` messages
    down_audio_msgs: int = 0
    down_controls_other_bytes: int = 0  # …the controls' other messages (`audio_end`, trait updates, `stop`)
    down_transcript_bytes: int = 0  # …the transcript view's (captions)
    down_code_bytes: int = 0  # the bundles' `code` answers on those comms (once per page), not in the ratio
    down_pcm_bytes: int = 0
    down_sent_pcm_bytes: int = 0  # PCM in the controls' `audio` messages (as `_flush_audio` sent it)
    up_ws_bytes: int = 0
    up_msgs: int = 0
    up_pcm_bytes: int = 0
    up_iopub_bytes: int = 0
    up_iopub_msgs: int = 0


def page_part(replies: int, voice_pace: float = 1.0, spaced: int = 4) -> PageRun:
    run = PageRun(alone=1 + spaced)
    with tempfile.TemporaryDirectory() as tmp, LabServer() as server:
        wav, _ = speech_wav(Path(tmp))
        from playwright.sync_api import sync_playwright

        flags = (
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav}%noloop",
            "--autoplay-policy=no-user-gesture-required",
        )
        hook = HOOK_CELL.replace("{voice_pace}", repr(voice_pace))
        cells = [hook, "%axio realtime --out v", QUEUE_CELL.format(replies=replies), DUMP_CELL]
        pw = sync_playwright().start()
        browser = launch_chromium(pw, flags)
        tap: Tap | None = None
        try:
            page = new_context(browser).new_page()
            page.add_init_script(PAGE_PROBE)
            nb = NotebookPage(page, server, server.write_notebook("bench_realtime", cells)).open()
            (kernel,) = server.kernels()
            tap = Tap(connection_file(server, kernel["id"]))
            nb.run_cells([0, 1])
            nb.wait_executed(1)
            out = nb.outputs(1)
            out.locator(f'{VOICE}[data-state="listening"]').wait_for(timeout=CELL_TIMEOUT_MS)
            out.locator(f"{VOICE} .axio-nb-voice-mic").click(timeout=CELL_TIMEOUT_MS)
            # The spoken turn's reply starts, then plays out, before the typed turns are queued.
            page.wait_for_function("() => window.__benchPlayers.length >= 1", timeout=CELL_TIMEOUT_MS, polling=100)
            page.wait_for_function(
                "() => window.__benchPlayers[0].p.state === 'ended'", timeout=CELL_TIMEOUT_MS, polling=100
            )
            # Turns typed in the widget's box one at a time, each after the last reply played out: replies with
            # nothing playing. (Sent from a cell, the cell's end keeps JupyterLab busy as the reply starts.)
            box = out.locator(f"{VOICE} .axio-nb-voice-text")
            for k in range(spaced):
                box.fill(f"Spaced turn {k}: one more, on its own, please.")
                box.press("Enter")
                page.wait_for_function(
                    f"() => window.__benchPlayers.length >= {2 + k} && "
                    f"['ended', 'stopped'].includes(window.__benchPlayers[{1 + k}].p.state)",
                    timeout=60_000,
                    polling=100,
                )
            nb.run_cell(2)
            nb.wait_executed(2)
            last = run.alone + replies - 1
            page.wait_for_function(
                f"() => window.__benchPlayers.length >= {last + 1} && "
                f"['ended', 'stopped'].includes(window.__benchPlayers[{last}].p.state)",
                timeout=(30 + 25 * replies) * 1000,
                polling=250,
            )
            probe = page.evaluate(PLAYERS_JS)
            nb.run_cell(3)
            nb.wait_executed(3)
            dump_file = server.root_dir / "bench_realtime.json"
            deadline = time.monotonic() + 30
            while not dump_file.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            dump = json.loads(dump_file.read_text())
            time.sleep(0.5)
            frames = list(tap.frames)
        finally:
            if tap is not None:
                tap.close()
            browser.close()
            pw.stop()
            server.shutdown_kernels()

    run.stats = dump["stats"]
    assert run.stats["dropped"] == 0, f"{run.stats['dropped']} mic chunks dropped: the pairing below needs none"
    mic, sends = dump["mic"], dump["send"]
    for (_seq, t, got, _n), (sent, _) in zip(mic, sends, strict=False):
        run.mic_ms.append(sent - t)
        run.mic_arrival_ms.append(got - t)
    run.up_msgs, run.up_ws_bytes = probe["up"]["msgs"], probe["up"]["bytes"]
    run.up_pcm_bytes = sum(n for *_, n in mic)
    # Replies: the first audio deltas after the start or after a TurnComplete.
    answers: list[list[float]] = []
    fresh = True
    for kind, t, n in dump["out"]:
        if kind == "audio":
            if fresh:
                answers.append([])
                run.reply_s.append(0.0)
                run.behind_ms.append(0.0)
                fresh = False
            answers[-1].append(t)
            behind = t - answers[-1][0] - run.reply_s[-1] * 1000  # this delta's start, in real time
            run.behind_ms[-1] = max(run.behind_ms[-1], behind)
            run.reply_s[-1] += n / PCM_RATE
        elif kind == "turn":
            fresh = True
    run.down_pcm_bytes = sum(n for kind, _, n in dump["out"] if kind == "audio")
    run.down_sent_pcm_bytes = sum(n for _, n in dump["sent"])
    run.players = probe["players"]
    skew = probe["wallMinusNow"]
    sent = [t for t, _ in dump["sent"]]
    for k, deltas in enumerate(answers):
        first = deltas[0]
        player = run.players[k] if k < len(run.players) else {}
        audible, made = player.get("audibleAt"), player.get("madeAt")
        run.audible_ms.append(None if audible is None else audible + skew - first)
        run.made_ms.append(None if made is None else made + skew - first)
        run.sent_ms.append(next((t - first for t in sent if t >= first), None))
        if len(deltas) > 1:
            run.second_ms.append(deltas[1] - first)
    # iopub: the session's widgets' messages (the controls', the transcript view's), and what the kernel emits
    # for the page's messages.
    views = {f.comm_id: f.kind for f in frames if f.msg_type == "comm_open"}
    controls = {c for c, kind in views.items() if kind.endswith(".VoiceControls")}
    transcript = {c for c, kind in views.items() if kind.endswith(".StreamView")}
    assert len(controls) == 1 and len(transcript) == 1, f"expected one controls and one transcript view: {views}"
    for f in frames:
        if f.msg_type != "comm_msg" or f.comm_id not in controls | transcript:
            continue
        if f.kind == "code":
            run.down_code_bytes += f.size
            continue
        run.down_iopub_bytes += f.size
        if f.comm_id in transcript:
            run.down_transcript_bytes += f.size
        elif f.kind == "audio":
            run.down_audio_bytes += f.size
            run.down_audio_msgs += 1
        else:
            run.down_controls_other_bytes += f.size
    mic_parents = _mic_parents(frames)
    up = [f for f in frames if f.parent in mic_parents]
    run.up_iopub_msgs, run.up_iopub_bytes = len(up), sum(f.size for f in up)
    return run


def _mic_parents(frames: list[Any]) -> set[str]:
    """The msg_ids of the page's comm messages (mic chunks; also its few `playback` reports, `started`, `code?`
    and `hello`): parents of iopub status messages that are not a cell's."""
    cells = {f.parent for f in frames if f.msg_type == "execute_input"}
    return {f.parent for f in frames if f.parent not in cells and f.msg_type == "status"} - {""}


# -- the accelerated hour, in a kernel alone -------------------------------------------------------------------
@dataclass
class Hour:
    factor: float
    session_s: float
    wall_s: float
    chunks: int
    rss_mb: list[tuple[float, float]] = field(default_factory=list)  # (session seconds, MB)
    stats: str = ""
    voice_msgs: int = 0  # the controls' `audio` messages the kernel sent (the voice went out)
    voice_pcm_bytes: int = 0
    transcript_msgs: int = 0  # the transcript view's comm messages (its ops: the hello made them flow)

    @property
    def growth(self) -> float:
        return self.rss_mb[-1][1] - self.rss_mb[0][1]

    @property
    def growth_after_warmup(self) -> float:
        warm = next((mb for s, mb in self.rss_mb if s >= 300), self.rss_mb[0][1])
        return self.rss_mb[-1][1] - warm


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


class Quiet:
    """A kernel driven through jupyter_client whose iopub is drained and dropped (an hour of it is large)."""

    def __init__(self) -> None:
        self.km = KernelManager(kernel_name="python3")
        self.km.start_kernel(env={**_env(), "AXIO_NB_TRANSPORT": "demo"})
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        self.comms: dict[str, str] = {}  # comm id → view
        self.msgs: dict[str, int] = {}  # comm id → comm messages the kernel sent on it
        self.audio: dict[str, list[int]] = {}  # comm id → [`audio` messages, their buffer bytes]
        self.stdout: dict[str, str] = {}
        self.idle: set[str] = set()
        self.heard = -1  # the last microphone chunk the kernel said it read (`heard`)

    @property
    def pid(self) -> int:
        return int(self.km.provisioner.process.pid)  # type: ignore[union-attr]

    def drain(self, timeout: float = 0.0) -> None:
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=timeout)
            except queue.Empty:
                return
            timeout = 0.0
            parent = msg["parent_header"].get("msg_id", "")
            kind = msg["msg_type"]
            if kind == "comm_open":
                view = msg["content"]["data"]["state"].get("_view", "")
                self.comms[msg["content"]["comm_id"]] = view
                if view == "stream":  # the transcript holds its ops back until a view says hello
                    self.comm_send(msg["content"]["comm_id"], {"type": "hello", "seq": 0})
            elif kind == "comm_msg":
                comm = msg["content"]["comm_id"]
                self.msgs[comm] = self.msgs.get(comm, 0) + 1
                data = msg["content"].get("data", {}).get("content")
                if isinstance(data, dict) and data.get("type") == "heard":
                    self.heard = max(self.heard, int(data["seq"]))
                if isinstance(data, dict) and data.get("type") == "audio":
                    count = self.audio.setdefault(comm, [0, 0])
                    count[0] += 1
                    count[1] += sum(len(b) for b in msg.get("buffers") or [])
            elif kind == "stream":
                self.stdout[parent] = self.stdout.get(parent, "") + msg["content"]["text"]
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                self.idle.add(parent)

    def execute(self, code: str, timeout: float = 60) -> str:
        msg_id = self.kc.execute(code)
        deadline = time.monotonic() + timeout
        while msg_id not in self.idle:
            if time.monotonic() > deadline:
                raise TimeoutError(code)
            self.drain(0.1)
        return self.stdout.get(msg_id, "")

    def comm_send(self, comm_id: str, data: dict[str, Any], buffers: list[bytes] | None = None) -> str:
        """Send a comm message to the kernel; returns its id (the kernel's idle status for it names it)."""
        content = {"comm_id": comm_id, "data": {"method": "custom", "content": data}}
        msg = self.kc.session.msg("comm_msg", content)
        self.kc.session.send(self.kc.shell_channel.socket, msg, buffers=buffers or [])
        return str(msg["header"]["msg_id"])

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


#: The accelerated hour sends at most this many microphone chunks ahead of what the kernel has read: 2 s of
#: session audio in 200 ms chunks, as the page's MIC_AHEAD is 2 s in 100 ms ones.
IN_FLIGHT = 10


def hour_part(factor: float, session_s: float = 3600.0) -> Hour:
    chunk_s, rate = 0.2, 24000
    n = round(rate * chunk_s)
    speech = b"".join(
        int(9000 * math.sin(2 * math.pi * 220 * i / rate)).to_bytes(2, "little", signed=True) for i in range(n)
    )
    quiet = bytes(2 * n)
    cycle = [speech] * 20 + [quiet] * 30  # 4 s of speech, 6 s of silence
    k = Quiet()
    try:
        assert "ok" in k.execute(f"%load_ext axio_nb\n%axio use demo voice_pace={1 / factor}\nprint('ok')")
        k.execute("%axio realtime --out v")
        voice = next(c for c, view in k.comms.items() if view == "voice")  # the controls: mic in, voice out
        transcript = next(c for c, view in k.comms.items() if view == "stream")
        deadline = time.monotonic() + 30
        while "listening" not in k.execute("print(v.stats.state)"):
            if time.monotonic() > deadline:
                raise TimeoutError("the session never listened")
        k.comm_send(voice, {"type": "started", "rate": rate})
        hour = Hour(factor, session_s, 0.0, 0, [(0.0, rss_mb(k.pid))])
        total = round(session_s / chunk_s)
        start = time.monotonic()
        for i in range(total):
            due = start + i * chunk_s / factor
            while (wait := due - time.monotonic()) > 0:
                k.drain(min(wait, 0.05))
            # As the page does (widgets/src/voice.js, MIC_AHEAD): at most IN_FLIGHT chunks beyond the last one
            # the kernel said it read (`heard`). A kernel slower than `factor` makes the hour last longer
            # instead of queueing the input in its memory (docs/facts.md). The bench waits where the page,
            # whose microphone does not, would hold chunks back.
            while i - 1 - k.heard >= IN_FLIGHT:
                k.drain(0.01)
            k.comm_send(voice, {"type": "audio", "seq": i, "t": 0}, [cycle[i % len(cycle)]])
            if (i + 1) % round(60 / chunk_s) == 0:
                k.drain()
                hour.rss_mb.append(((i + 1) * chunk_s, rss_mb(k.pid)))
                print(
                    f"hour: {(i + 1) * chunk_s / 60:.0f} min, RSS {hour.rss_mb[-1][1]:.1f} MB, "
                    f"voice out {k.audio.get(voice, [0])[0]} msgs",
                    flush=True,
                )
        hour.wall_s, hour.chunks = time.monotonic() - start, total
        k.drain(0.5)
        hour.stats = k.execute("print(repr(v), v.stats)").strip()
        hour.rss_mb.append((session_s, rss_mb(k.pid)))
        hour.voice_msgs, hour.voice_pcm_bytes = k.audio.get(voice, [0, 0])
        hour.transcript_msgs = k.msgs.get(transcript, 0)
        assert hour.voice_msgs > 0 and hour.transcript_msgs > 0, "no voice or no transcript ops went out"
        k.execute("v.end()\nawait v.wait()")
        return hour
    finally:
        k.close()


# -- report ------------------------------------------------------------------------------------------------
def ok(good: bool) -> str:
    return "✅" if good else "❌"


def pcts(xs: list[float]) -> str:
    if not xs:
        return "—"
    s = js_number_summary(xs)
    return f"p50 {s['p50']:.1f}, p95 {s['p95']:.1f}, max {s['max']:.1f} (n={s['n']})"


def report(page: PageRun | None, hour: Hour) -> str:
    lines = ["| figure | measured | target | |", "|---|---|---:|---|"]
    if page is not None:
        p95 = js_number_summary(page.mic_ms)["p95"] if page.mic_ms else math.inf
        lines.append(
            f"| mic chunk captured → `RealtimeSession.send` (ms) | {pcts(page.mic_ms)} | ≤ 40 p95 | {ok(p95 <= 40)} |"
        )
        lines.append(f"| …of which captured → the runner's handler (ms) | {pcts(page.mic_arrival_ms)} | | |")
        alone, queued = page.audible_ms[: page.alone], page.audible_ms[page.alone :]
        audible = [a for a in alone if a is not None]
        worst = max(audible) if len(audible) == len(alone) else math.inf
        each = ", ".join("—" if a is None else f"{a:.0f}" for a in alone)
        lines.append(
            f"| first `AudioOutputDelta` → audible, per reply with nothing playing (ms) | {pcts(audible)}; in order: "
            f"{each} | ≤ 120 | {ok(worst <= 120)} (worst) |"
        )
        each = ", ".join("—" if a is None else f"{a:.0f}" for a in queued)
        lines.append(f"| …replies queued at once, each behind the one before (ms) | in order: {each} | | |")
        sent = [a for a in page.sent_ms if a is not None]
        made = [a for a in page.made_ms if a is not None]
        lines.append(f"| …of which first delta → the controls' first `audio` message (ms) | {pcts(sent)} | | |")
        order = ", ".join("—" if a is None else f"{a:.0f}" for a in page.made_ms)
        lines.append(f"| …first delta → the page made the reply's player (ms) | {pcts(made)}; in order: {order} | | |")
        lines.append(f"| …first delta → second delta (ms) | {pcts(page.second_ms)} | | |")
        each = ", ".join(f"{b:.0f}" for b in page.behind_ms)
        lines.append(
            f"| …each reply's latest delta behind real time from its first, in the kernel (ms) | {each} | | |"
        )
        played = sum(p["played"] for p in page.players)
        # The queued replies play back to back: one stretch of continuous playback (the target's). The replies
        # before them each start from silence, after the one before has played out.
        queued = page.players[page.alone :]
        continuous = sum(p["played"] for p in queued)
        under = sum(p["underruns"] for p in queued)
        apart = [p["underruns"] for p in page.players[: page.alone]]
        voice_s = page.down_pcm_bytes / PCM_RATE
        reported = page.stats.get("underruns")
        lines.append(
            f"| underruns in continuous playback: the {len(queued)} queued replies, {continuous:.1f} s played back "
            f"to back | {under} | 0 | {ok(under == 0)} |"
        )
        lines.append(
            f"| …in each reply that starts from silence | {', '.join(map(str, apart))}; of {played:.1f} s played of "
            f"{voice_s:.1f} s received in all, the page's report to the kernel: {reported} | | |"
        )
        # The audio's bytes: the messages that carry the voice. The captions are the transcript's text, and the
        # controls' other messages are state: both listed apart.
        pcm = page.down_pcm_bytes or 1
        audio = page.down_audio_bytes / pcm if page.down_pcm_bytes else math.inf
        lines.append(
            f"| kernel → page: iopub bytes of the voice's `audio` messages / voice PCM bytes | {audio:.3f} "
            f"({page.down_audio_msgs} msgs, {page.down_audio_bytes:,} B, carrying {page.down_sent_pcm_bytes:,} B "
            f"of PCM, {voice_s:.1f} s) | ≤ 1.1 | {ok(audio <= 1.1)} |"
        )
        lines.append(
            f"| …beside them, per voice PCM byte | the controls' other messages "
            f"{page.down_controls_other_bytes / pcm:.3f}, the transcript's captions "
            f"{page.down_transcript_bytes / pcm:.3f}; all the session's messages {page.down_iopub_bytes / pcm:.3f}; "
            f"apart, the bundles' `code` answers {page.down_code_bytes:,} B | | |"
        )
        up = page.up_ws_bytes / page.up_pcm_bytes if page.up_pcm_bytes else math.inf
        lines.append(
            f"| page → kernel: mic websocket bytes / mic PCM bytes | {up:.3f} ({page.up_msgs} msgs, "
            f"{page.up_ws_bytes:,} B for {page.up_pcm_bytes / PCM_RATE:.1f} s) | ≤ 1.1 | {ok(up <= 1.1)} |"
        )
        upi = page.up_iopub_bytes / page.up_pcm_bytes if page.up_pcm_bytes else math.inf
        lines.append(
            f"| page → kernel: iopub the kernel emits for the mic messages / mic PCM bytes | {upi:.3f} "
            f"({page.up_iopub_msgs} msgs, {page.up_iopub_bytes:,} B) | | |"
        )
    lines.append(
        f"| kernel RSS growth over an accelerated hour (up to {hour.factor:g}× real time: "
        f"{hour.session_s / hour.wall_s:.0f}× in {hour.wall_s:.0f} s wall) (MB) "
        f"| {hour.growth:.1f} ({hour.rss_mb[0][1]:.0f} → {hour.rss_mb[-1][1]:.0f}); after the first 5 min: "
        f"{hour.growth_after_warmup:.1f} | ≤ 50 | {ok(hour.growth <= 50)} |"
    )
    every10 = [f"{s / 60:.0f} min {mb:.0f}" for s, mb in hour.rss_mb if s % 600 == 0 or s == hour.session_s]
    lines += ["", f"RSS (MB) by session time: {', '.join(dict.fromkeys(every10))}."]
    lines += [
        "",
        f"The hour's voice out: {hour.voice_msgs} `audio` messages to the controls carrying "
        f"{hour.voice_pcm_bytes / PCM_RATE:.0f} s of PCM ({hour.voice_pcm_bytes / 1e6:.1f} MB); "
        f"{hour.transcript_msgs} transcript messages.",
    ]
    lines += ["", f"End of the hour: `{hour.stats}`"]
    if page is not None:
        lines += ["", f"Page session stats: `{page.stats}`"]
        lines += ["", "Players, one per reply (played s of the reply's voice received s, underruns, states):"]
        lines += [
            f"- {p['played']:.2f} s of {page.reply_s[k] if k < len(page.reply_s) else math.nan:.2f} s, "
            f"{p['underruns']}: {p['states']}"
            for k, p in enumerate(page.players)
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=float, default=30, help="time factor of the accelerated hour")
    parser.add_argument("--replies", type=int, default=11, help="typed turns queued for the continuous playback")
    parser.add_argument("--hour-s", type=float, default=3600, help="session seconds of the accelerated hour")
    parser.add_argument("--no-browser", action="store_true", help="the accelerated hour only")
    parser.add_argument("--spaced", type=int, default=4, help="turns typed in the box one by one, before the queued")
    parser.add_argument(
        "--voice-pace",
        type=float,
        default=1.0,
        help="the demo's voice in the page: 1 real time (the worst case), 0.5 twice as fast, as providers send",
    )
    args = parser.parse_args()
    page = None if args.no_browser else page_part(args.replies, args.voice_pace, args.spaced)
    if page is not None:
        print(f"page: mic {pcts(page.mic_ms)}; audible {page.audible_ms}", flush=True)
    hour = hour_part(args.factor, args.hour_s)
    text = report(page, hour)
    print("\n" + text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    raw = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "targets": TARGETS,
        "page": asdict(page) if page is not None else None,
        "hour": asdict(hour),
        "median_mic_ms": statistics.median(page.mic_ms) if page and page.mic_ms else None,
    }
    (RESULTS / "realtime.json").write_text(json.dumps(raw, indent=2))
    (RESULTS / "realtime.md").write_text(text)


if __name__ == "__main__":
    main()
