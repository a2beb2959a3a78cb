"""Media benchmark: what media turns and streamed speech cost on the wire, in the page, and in the saved notebook.

One run measures, with the offline demo transport:

1. **Wire bytes per media byte** (target ≤ 1.05, and no base64 of the media in any JSON): `%%axio image`,
   `audio`, `video` and `tts` cells in a real kernel through jupyter_client, counted from the raw iopub
   frames (every byte of every frame: identities, signature, headers, content, binary buffers) of the
   messages that reach the view: the widget's comm_open and its comm_msgs (the bench answers the comm_open
   with the `hello` a rendered view sends: the kernel holds media bytes until a view listens). The
   snapshot the cell leaves (`update_display_data`, media as base64 data URIs: what the notebook saves)
   is counted apart. The same cells are counted again in part 2, where a real view is there: its `hello`
   may bring a `state` replay, and the page's first widget asks for the view's code.
2. **TTS first chunk sent → audible** (target ≤ 150 ms): `%%axio tts` cells in JupyterLab
   and Debian's Chromium. The kernel's epoch time when the speech's first chunk reaches the wire (`push`;
   a setup cell wraps `Wire.push`, `Wire._deliver` and `Wire.receive` in the kernel, as bench/browser.py
   wraps `_deliver`: no hook in the code) against the page's
   `axio-nb:speech-playing` mark (the player's estimate of when its first frame leaves the speakers)
   made epoch with `performance.timeOrigin + startTime`. The first TTS cell of a fresh page (cold: the
   view's code comes over the widget channel first) and the next ones (warm) are reported apart.
3. **Saved-notebook bytes per shown media byte** (target ≤ 1.4): the same page saves the notebook (Ctrl+S);
   the file and each media cell's outputs are divided by the media bytes the cells show, and every
   media item must appear once in the file (a distinctive base64 run of it, in any alignment).
4. **Mic chunk captured → bytes in the kernel, p95** (target ≤ 40 ms): `%axio stt` with no source shows the
   recorder widget; Chromium's fake capture device plays a WAV that espeak-ng spoke and sox resampled (as
   tests/browser/test_record_lab.py does). Each 40 ms chunk carries the page's `Date.now()` when it was cut
   (`t`), and `RecorderView.arrivals` holds the kernel's `time.time()` when its bytes came in; a setup cell
   keeps every RecorderView the kernel makes so the bench can read them after the cells.

Ratios are compared within one run (these machines are shared and noisy: 2 cores).

    .venv/bin/python bench/media.py [--rounds 3] [--warm 4] [--recordings 5] [--no-browser]
"""

from __future__ import annotations

import argparse
import base64
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import zmq
from jupyter_client.manager import KernelManager

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser.harness import (  # noqa: E402
    CELL_TIMEOUT_MS,
    LabServer,
    NotebookPage,
    js_number_summary,
    launch_browser,
    launch_chromium,
    new_context,
)

RESULTS = REPO / "bench" / "results"
TARGETS = {"wire_per_media_byte": 1.05, "tts_audible_ms_warm": 150.0, "saved_per_media_byte": 1.4, "mic_p95_ms": 40.0}

SENTENCE = "Welcome to today's lesson on agents."
PARAGRAPH = (
    "Welcome to today's lesson on agents. An agent is a loop: the model reads the conversation, "
    "asks for a tool, reads its result, and answers when it has what it needs."
)
#: Name → the media cell. `--out` keeps each turn's items for the dump (the bytes the kernel got). The demo
#: draws flat pictures (a 1024×1024 image is 30 KB); the photo-like edit is the size a real model's
#: 1024×1024 PNG is (~1.8 MB), and the paragraph is speech of a realistic length (~10 s).
MEDIA_CELLS = {
    "image ×4 320×240": "%%axio image -n 4 --size 320x240 --out {var}\na watercolor cat reading a paper",
    "image 1024×1024": "%%axio image --size 1024x1024 --out {var}\na watercolor cat reading a paper",
    "edit 1024×1024 photo-like": "%%axio edit --image bench_photo --out {var}\ngive the cat a red scarf",
    "audio ×2": "%%axio audio -n 2 --out {var}\nrain on a tin roof",
    "video 2 s": "%%axio video --duration 2 --aspect 16:9 --out {var}\nthe cat turns the page",
    "tts, a paragraph (~10 s)": "%%axio tts --out {var}\n" + PARAGRAPH,
    "tts": "%%axio tts --out {var}\n" + SENTENCE,
}
#: A photo-like 1024×1024 picture (a gradient under noise, as JPEG) for the edit cell to paint on.
PHOTO_SETUP = """import io as _bench_io
from PIL import Image as _BenchImage
_g, _n = _BenchImage.radial_gradient("L").resize((1024, 1024)), _BenchImage.effect_noise((1024, 1024), 24)
_photo = _BenchImage.merge("RGB", (_BenchImage.blend(_g, _n, 0.5), _n, _BenchImage.blend(_n, _g.rotate(90), 0.6)))
_b = _bench_io.BytesIO(); _photo.save(_b, format="JPEG", quality=85); bench_photo = _b.getvalue()"""

#: Kernel side (part 2): every message the wire hands to the widget (epoch ms, ops or state, how many
#: chunk ops) and every message a view sends it (hello, resync). The wire's own methods, wrapped as
#: bench/browser.py does: no hook in the code.
HOOK_CELL = (
    """\
%load_ext axio_nb
%axio use demo pace=0
import json, time, base64
import axio_nb.stream.wire as _bench_wire
_BENCH_LOG = []
_bench_deliver_orig, _bench_receive_orig = _bench_wire.Wire._deliver, _bench_wire.Wire.receive
def _bench_deliver(self, message, buffers):
    chunks = sum(op.get("op") == "chunk" for op in message.get("ops", ()))
    _BENCH_LOG.append({"t": time.time() * 1000, "wire": id(self), "type": message["type"], "seq": message["seq"],
                       "chunks": chunks, "bytes": sum(len(b) for b in buffers)})
    _bench_deliver_orig(self, message, buffers)
_bench_push_orig = _bench_wire.Wire.push
def _bench_push(self, ops):
    # When the kernel had the speech's first chunk (whether or not a view could take its bytes yet).
    chunks = sum(op.get("op") == "chunk" for op in ops)
    if chunks:
        _BENCH_LOG.append({"t": time.time() * 1000, "wire": id(self), "type": "push", "seq": self.seq,
                           "chunks": chunks, "bytes": 0})
    _bench_push_orig(self, ops)
_bench_wire.Wire.push = _bench_push
def _bench_receive(self, message):
    _BENCH_LOG.append({"t": time.time() * 1000, "wire": id(self), "type": "got " + str(message.get("type")),
                       "seq": message.get("seq"), "chunks": 0, "bytes": 0})
    _bench_receive_orig(self, message)
_bench_wire.Wire._deliver, _bench_wire.Wire.receive = _bench_deliver, _bench_receive
"""
    + PHOTO_SETUP
)

#: Writes the media of every `--out` variable named, and the send log, to a file next to the notebook.
DUMP_CELL = """\
import os
_bench = {"log": _BENCH_LOG, "media": {v: [[i.media_type, base64.b64encode(i.data).decode()] for i in globals()[v]]
                                         for v in {names!r}}}
with open("bench_media.tmp", "w") as _f:
    json.dump(_bench, _f)
os.replace("bench_media.tmp", "bench_media.json")
print("dumped")"""

MIC_SENTENCE = "Hello from the fake microphone, recorded in a notebook."
#: Keeps every recorder the kernel makes (`%axio stt` drops its own when the cell ends), to read `arrivals`.
MIC_HOOK = """\
%load_ext axio_nb
%axio use demo pace=0
import json, os
import axio_nb.views.recorder as _bench_recorder
_BENCH_RECORDERS = []
_bench_recorder_init = _bench_recorder.RecorderView.__init__
def _bench_init(self, *args, **kwargs):
    _bench_recorder_init(self, *args, **kwargs)
    _BENCH_RECORDERS.append(self)
_bench_recorder.RecorderView.__init__ = _bench_init
# When the kernel's main thread starts on each audio message (before its comm handler), by chunk seq.
import re, time
_BENCH_SHELL = []
_bench_kernel = get_ipython().kernel
_bench_dispatch = _bench_kernel.dispatch_shell
_bench_audio = re.compile(rb'"type": ?"audio", ?"seq": ?(\\d+)')
async def _bench_dispatch_shell(msg, *args, **kwargs):
    t = time.time()
    for frame in msg[:8]:
        hit = _bench_audio.search(frame.bytes if hasattr(frame, "bytes") else bytes(frame))
        if hit:
            _BENCH_SHELL.append((int(hit[1]), t))
            break
    return await _bench_dispatch(msg, *args, **kwargs)
_bench_kernel.dispatch_shell = _bench_dispatch_shell
# …and when its shell channel thread read it off the socket from the Jupyter server.
_BENCH_SOCKET = []
_bench_stream = _bench_kernel.shell_stream
_bench_recv = _bench_stream._recv_callback
def _bench_on_recv(msg):
    t = time.time()
    for frame in msg[:8]:
        hit = _bench_audio.search(frame.bytes if hasattr(frame, "bytes") else bytes(frame))
        if hit:
            _BENCH_SOCKET.append((int(hit[1]), t))
            break
    return _bench_recv(msg)
_bench_stream._recv_callback = _bench_on_recv"""
MIC_DUMP = """\
with open("bench_mic.tmp", "w") as _f:
    json.dump({"recorders": [{"arrivals": r.arrivals, "seconds": r.seconds, "rate": r.recorded_rate}
                             for r in _BENCH_RECORDERS], "shell": _BENCH_SHELL, "socket": _BENCH_SOCKET}, _f)
os.replace("bench_mic.tmp", "bench_mic.json")
print("dumped")"""

#: Page side: when each audio message leaves through the kernel's websocket (JupyterLab's v1 protocol sends
#: a message with buffers as one binary frame; its content JSON is plain text inside it).
MIC_PROBE = r"""
(() => {
  window.__benchWs = [];
  const send = WebSocket.prototype.send;
  const latin1 = new TextDecoder("latin1");
  WebSocket.prototype.send = function (data) {
    if (this.url.includes("/api/kernels/")) {
      const text = typeof data === "string" ? data : latin1.decode(data);
      const hit = /"type": ?"audio", ?"seq": ?(\d+)/.exec(text);
      if (hit) window.__benchWs.push([Number(hit[1]), performance.timeOrigin + performance.now()]);
    }
    return send.call(this, data);
  };
})();
"""

MARKS_JS = """() => ({
  firstChunk: performance.getEntriesByName("axio-nb:speech-first-chunk").map((e) => e.startTime),
  playing: performance.getEntriesByName("axio-nb:speech-playing").map((e) => e.startTime),
  timeOrigin: performance.timeOrigin,
  // The same conversion through the wall clock: Date.now() is what the kernel's time.time() reads.
  wallMinusNow: Date.now() - performance.now(),
})"""


# -- counting iopub ----------------------------------------------------------------------------------------
@dataclass
class Frame:
    """One iopub message as it went over the wire."""

    msg_type: str
    parent: str
    size: int  # every frame
    envelope: int  # identities, delimiter, signature, header, parent header, metadata
    content: int  # the content JSON frame
    buffers: int  # binary buffers
    comm_id: str = ""
    kind: str = ""  # a comm_msg's custom message type (ops, state, code), or the widget class of a comm_open
    ops: list[str] = field(default_factory=list)
    json: bytes = b""  # every JSON frame, for the base64 check (comm and display messages only)
    code: str = ""  # execute_input
    t: float = 0.0  # epoch ms when the tap read it


class Tap:
    """A raw SUB socket on a kernel's iopub, recording every message (as bench/wire.py's Listener does)."""

    def __init__(self, connection: dict[str, Any]) -> None:
        self.ctx = zmq.Context()
        self.sock = self.ctx.socket(zmq.SUB)
        self.sock.setsockopt(zmq.SUBSCRIBE, b"")
        self.sock.connect(f"{connection['transport']}://{connection['ip']}:{connection['iopub_port']}")
        self.frames: list[Frame] = []
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        poller = zmq.Poller()
        poller.register(self.sock, zmq.POLLIN)
        while not self._stop:
            if poller.poll(100):
                self.frames.append(parse(self.sock.recv_multipart(copy=True)))

    def close(self) -> None:
        self._stop = True
        self._thread.join()
        self.sock.close(0)
        self.ctx.term()


def parse(frames: list[bytes]) -> Frame:
    i = frames.index(b"<IDS|MSG>")
    header, parent, content = json.loads(frames[i + 2]), json.loads(frames[i + 3]), json.loads(frames[i + 5])
    msg_type = header["msg_type"]
    f = Frame(
        msg_type=msg_type,
        parent=parent.get("msg_id", ""),
        size=sum(len(x) for x in frames),
        envelope=sum(len(x) for x in frames[: i + 5]),
        content=len(frames[i + 5]),
        buffers=sum(len(x) for x in frames[i + 6 :]),
        t=time.time() * 1000,
    )
    if msg_type.startswith("comm_") or "display_data" in msg_type:
        f.json = b"".join(frames[i + 2 : i + 6])
    if msg_type.startswith("comm_"):
        f.comm_id = content.get("comm_id", "")
        data = content.get("data", {})
        if msg_type == "comm_open":
            state = data.get("state", {})
            f.kind = state.get("_anywidget_id") or state.get("_model_name", "")
        elif isinstance(data.get("content"), dict):
            f.kind = str(data["content"].get("type", ""))
            f.ops = [op.get("op", "") for op in data["content"].get("ops", [])]
    if msg_type == "execute_input":
        f.code = content.get("code", "")
    if msg_type == "status":
        f.kind = content.get("execution_state", "")
    return f


# -- media items and their base64 ---------------------------------------------------------------------------
def needles(data: bytes, length: int = 48) -> list[bytes]:
    """Three base64 runs of `data`, one per alignment: any base64 copy of `data` (whatever the offset its
    encoding started at, e.g. a WAV header before PCM) holds exactly one of them, once. Taken where the
    bytes vary (not from silence or a flat colour, whose base64 would also match other things)."""
    k = (len(data) // 2) // 3 * 3
    while k + length + 2 < len(data) and len(set(data[k : k + length])) < length // 3:
        k += length
    if k + length + 2 > len(data):
        k = max(0, (len(data) - length - 2) // 3 * 3)
    return [base64.b64encode(data[k + r : k + r + length]) for r in range(3)]


def copies(blob: bytes, data: bytes) -> int:
    """How many base64 copies of `data` `blob` holds."""
    return sum(blob.count(n) for n in needles(data))


@dataclass
class CellBytes:
    """One media cell's messages: what reached the view, and the snapshot the cell leaves."""

    name: str
    media_bytes: int
    items: int
    view_msgs: int
    view_bytes: int  # comm_opens and comm_msgs of the cell's widgets, `code` messages left out
    view_envelope: int
    view_json: int
    view_buffers: int
    comm_open_bytes: int
    state_msgs: int
    state_bytes: int
    code_bytes: int  # the view's code (once per page), apart
    base64_in_view_json: int  # copies of media found in the view's JSON frames: must be 0
    snapshot_bytes: int
    base64_in_snapshot: int
    view_said: str = ""  # part 2: what the page's view sent the wire (`hello 0`: it had applied nothing)

    @property
    def ratio(self) -> float:
        return self.view_bytes / self.media_bytes

    @property
    def payload_ratio(self) -> float:
        """Without Jupyter's per-message envelope: the content JSON and the buffers."""
        return (self.view_json + self.view_buffers) / self.media_bytes


def cell_bytes(name: str, msg_id: str, frames: list[Frame], media: list[bytes]) -> CellBytes:
    opened = {f.comm_id for f in frames if f.msg_type == "comm_open" and f.parent == msg_id}
    view = [f for f in frames if f.comm_id in opened and f.msg_type in ("comm_open", "comm_msg", "comm_close")]
    code = [f for f in view if f.kind == "code"]
    view = [f for f in view if f.kind != "code"]
    state = [f for f in view if f.kind == "state"]
    snap = [f for f in frames if f.parent == msg_id and "display_data" in f.msg_type]
    view_json = b"".join(f.json for f in view)
    snap_json = b"".join(f.json for f in snap[-1:])
    return CellBytes(
        name=name,
        media_bytes=sum(len(d) for d in media),
        items=len(media),
        view_msgs=len(view),
        view_bytes=sum(f.size for f in view),
        view_envelope=sum(f.envelope for f in view),
        view_json=sum(f.content for f in view),
        view_buffers=sum(f.buffers for f in view),
        comm_open_bytes=sum(f.size for f in view if f.msg_type == "comm_open"),
        state_msgs=len(state),
        state_bytes=sum(f.size for f in state),
        code_bytes=sum(f.size for f in code),
        base64_in_view_json=sum(copies(view_json, d) for d in media),
        snapshot_bytes=sum(f.size for f in snap[-1:]),
        base64_in_snapshot=sum(copies(snap_json, d) for d in media),
    )


# -- part 1: a kernel with no page ---------------------------------------------------------------------------
HELLO = {"type": "hello", "seq": 0}


def kernel_part() -> list[CellBytes]:
    km = KernelManager(kernel_name="python3")
    km.start_kernel(env={**os.environ, "AXIO_NB_TRANSPORT": "demo", "AXIO_NB_DISPLAY": "live"})
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    tap = Tap(km.get_connection_info())
    time.sleep(0.5)  # the SUB socket must be connected before the first cell

    def execute(code: str) -> str:
        msg_id = kc.execute(code)
        while True:
            msg = kc.get_iopub_msg(timeout=120)
            if msg["msg_type"] == "comm_open" and msg["content"]["data"]["state"].get("_view") == "stream":
                # What a rendered view says first (tests/kernel/harness.py does the same): the kernel holds
                # media bytes until a view listens.
                content = {"comm_id": msg["content"]["comm_id"], "data": {"method": "custom", "content": HELLO}}
                kc.session.send(kc.shell_channel.socket, kc.session.msg("comm_msg", content))
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "error":
                raise RuntimeError(f"cell failed: {msg['content']['ename']}: {msg['content']['evalue']}")
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        # The tap must have seen the cell end too (it reads the same iopub on its own socket).
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(
            f.parent == msg_id and f.msg_type == "status" and f.kind == "idle" for f in tap.frames
        ):
            time.sleep(0.01)
        return msg_id

    rows = []
    try:
        execute("%load_ext axio_nb\n%axio use demo pace=0\nimport base64, json\n" + PHOTO_SETUP)
        with tempfile.TemporaryDirectory() as tmp:
            for i, (name, code) in enumerate(MEDIA_CELLS.items()):
                msg_id = execute(code.format(var=f"M{i}"))
                path = Path(tmp) / f"{i}.json"
                execute(f"json.dump([base64.b64encode(d).decode() for d in M{i}.data], open({str(path)!r}, 'w'))")
                media = [base64.b64decode(d) for d in json.loads(path.read_text())]
                rows.append(cell_bytes(name, msg_id, tap.frames, media))
                print(f"kernel: {name}: {rows[-1].ratio:.3f} B on the wire per media byte", flush=True)
    finally:
        tap.close()
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return rows


# -- part 2: JupyterLab and Chromium ------------------------------------------------------------------------
@dataclass
class Speech:
    round: int
    cell: int
    warm: bool
    sent_ms: float  # kernel epoch ms: the first message with a chunk op
    first_chunk_ms: float | None  # page: the view pushed the first chunk to the player (epoch ms)
    playing_ms: float | None  # page: the player's first frame at the speakers (epoch ms)
    clock_skew_ms: float  # (timeOrigin + now) − Date.now() in the page when read
    #: ms after `sent`: that message on iopub, the view's code on iopub (cold page), the view's first message
    #: to the wire, the first state replay sent
    steps: dict[str, float] = field(default_factory=dict)

    @property
    def audible(self) -> float | None:
        return None if self.playing_ms is None else self.playing_ms - self.sent_ms

    @property
    def to_page(self) -> float | None:
        return None if self.first_chunk_ms is None else self.first_chunk_ms - self.sent_ms


@dataclass
class Saved:
    file_bytes: int
    media_bytes: int
    cells: list[dict[str, Any]]
    widget_state_saved: bool

    @property
    def ratio(self) -> float:
        return self.file_bytes / self.media_bytes


def connection_file(server: LabServer, kernel_id: str) -> dict[str, Any]:
    runtime = server.root_dir.parent / f"{server.root_dir.name}.jupyter" / "runtime"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        hits = glob.glob(str(runtime / f"kernel-{kernel_id}.json"))
        if hits:
            return dict(json.loads(Path(hits[0]).read_text()))
        time.sleep(0.2)
    raise RuntimeError(f"no connection file for kernel {kernel_id} in {runtime}")


def browser_round(server: LabServer, browser: Any, rnd: int, warm: int) -> tuple[list[Speech], list[CellBytes], Saved]:
    tts = [f"T{k}" for k in range(1 + warm)]
    media = {name: f"M{i}" for i, name in enumerate(n for n in MEDIA_CELLS if n != "tts")}
    cells = [HOOK_CELL]
    # A voice per cell (its own pitch): each cell's speech differs, so a copy found in the file is that cell's.
    cells += [MEDIA_CELLS["tts"].format(var=v).replace("--out", f"--voice bench{k} --out") for k, v in enumerate(tts)]
    cells += [MEDIA_CELLS[name].format(var=v) for name, v in media.items()]
    cells.append(DUMP_CELL.replace("{names!r}", repr([*tts, *media.values()])))
    filename = server.write_notebook(f"bench_media_{rnd}", cells)
    ctx = new_context(browser)
    tap: Tap | None = None
    try:
        page = ctx.new_page()
        nb = NotebookPage(page, server, filename).open()
        (kernel,) = server.kernels()
        tap = Tap(connection_file(server, kernel["id"]))
        time.sleep(0.5)
        nb.run_cell(0)
        nb.wait_executed(0)
        marks: dict[str, Any] = {}
        for k in range(len(tts)):
            # A click into the cell and Shift+Enter: the user gesture that lets an AudioContext run.
            nb.run_cell(1 + k)
            nb.wait_executed(1 + k)
            try:
                page.wait_for_function(
                    f"() => performance.getEntriesByName('axio-nb:speech-playing').length > {k}",
                    timeout=10_000,
                    polling=50,
                )
            except Exception:  # noqa: BLE001 - reported as "not heard" below
                print(f"round {rnd}: TTS cell {1 + k} was never heard live", flush=True)
            # Let its speech (2.2 s, arriving over 1.1 s) play out before the next cell's player starts.
            page.wait_for_timeout(1500)
        marks = page.evaluate(MARKS_JS)
        for i in range(len(media)):
            nb.run_cell(1 + len(tts) + i)
            nb.wait_executed(1 + len(tts) + i)
        dump_at = len(cells) - 1
        nb.run_cell(dump_at)
        nb.wait_executed(dump_at)
        dump_file = server.root_dir / "bench_media.json"
        deadline = time.monotonic() + CELL_TIMEOUT_MS / 1000
        while not dump_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        dump = json.loads(dump_file.read_text())
        dump_file.unlink()
        page.wait_for_timeout(500)
        nb.save()
        saved_path = server.root_dir / filename
        frames = list(tap.frames)
    finally:
        if tap is not None:
            tap.close()
        ctx.close()
        server.shutdown_kernels()

    items = {var: [base64.b64decode(d) for _, d in entries] for var, entries in dump["media"].items()}
    skew = marks["timeOrigin"] - marks["wallMinusNow"]
    every = [d for var in items.values() for d in var]
    assert len(set(every)) == len(every), "two media items are the same bytes: the copies check would be ambiguous"
    # Cells run one after the other, and each makes one wire: the k-th wire in the log is the k-th media cell's.
    log: dict[int, list[dict[str, Any]]] = {}
    for entry in dump["log"]:
        log.setdefault(entry["wire"], []).append(entry)
    wires = list(log.values())
    assert len(wires) == len(cells) - 2, f"{len(wires)} wires for {len(cells) - 2} media cells"
    # When each speech began: its first chunk reached the wire (`push`). Its bytes may wait there for the
    # view's hello (the wire holds media until a view listens), so the first message carrying them is later.
    starts = [next(e["t"] for e in wires[k] if e["type"] == "push") for k in range(len(tts))]

    def mark_of(name: str, k: int) -> float | None:
        """The page's mark for TTS cell k: the first after its first chunk was sent and before the next cell's."""
        end = starts[k + 1] if k + 1 < len(starts) else float("inf")
        at = [t + marks["timeOrigin"] for t in marks[name]]
        return next((t for t in at if starts[k] <= t < end), None)

    by_code = {f.code: f.parent for f in frames if f.msg_type == "execute_input"}
    speeches = []
    for k, sent in enumerate(starts):
        comms = {f.comm_id for f in frames if f.msg_type == "comm_open" and f.parent == by_code[cells[1 + k]]}
        # The first message carrying speech bytes on iopub: a chunk op, or the state answering the hello.
        on_iopub = [
            f.t for f in frames if f.comm_id in comms and ("chunk" in f.ops or (f.kind == "state" and f.buffers))
        ]
        steps = {"iopub": on_iopub[0] - sent} if on_iopub else {}
        # The view's code on iopub (once per page: when `%load_ext` opened its prefetch widget, before the cell).
        code_at = [f.t for f in frames if f.kind == "code"] if k == 0 else []
        said = [e["t"] for e in wires[k] if e["type"].startswith("got ")]
        states = [e["t"] for e in wires[k] if e["type"] == "state"]
        for label, at in (("code", code_at), ("hello", said), ("state", states)):
            if at:
                steps[label] = at[0] - sent
        first, playing = mark_of("firstChunk", k), mark_of("playing", k)
        speeches.append(Speech(rnd, 1 + k, k > 0, sent, first, playing, skew, steps))

    # Bytes per cell, with the real view: execute_input tells which request ran which cell.
    rows = []
    heard = [[f"{e['type'][4:]} {e['seq']}" for e in w if e["type"].startswith("got ")] for w in wires]
    names = {v: "tts" + (" (cold page)" if k == 0 else " (warm)") for k, v in enumerate(tts)}
    names |= {v: name for name, v in media.items()}
    for code, said in zip(cells[1:-1], heard, strict=True):
        var = code.split("--out ")[1].split()[0]
        # execute_input's parent is the execute request: its msg_id is the parent of all the cell's output.
        rows.append(cell_bytes(names[var], by_code[code], frames, items[var]))
        rows[-1].view_said = ", ".join(said)

    nbfile = saved_path.read_bytes()
    saved_nb = nbformat.reads(nbfile.decode(), as_version=4)
    saved_cells = []
    for index, code in enumerate(cells[1:-1], start=1):
        var = code.split("--out ")[1].split()[0]
        outputs = saved_nb.cells[index].get("outputs", [])
        out_bytes = len(json.dumps(outputs, indent=1, sort_keys=True, ensure_ascii=False).encode())
        data = items[var]
        saved_cells.append(
            {
                "name": names[var],
                "media_bytes": sum(len(d) for d in data),
                "output_bytes": out_bytes,
                "ratio": out_bytes / sum(len(d) for d in data),
                "beyond_base64": out_bytes - sum(len(base64.b64encode(d)) for d in data),
                "copies_in_file": [copies(nbfile, d) for d in data],
                "mime": sorted({k for o in outputs for k in o.get("data", {})}),
            }
        )
    saved = Saved(
        file_bytes=len(nbfile),
        media_bytes=sum(c["media_bytes"] for c in saved_cells),
        cells=saved_cells,
        widget_state_saved=bool(saved_nb.metadata.get("widgets")),
    )
    return speeches, rows, saved


@dataclass
class Recording:
    seconds: float  # what the kernel got
    rate: int
    latencies_ms: list[float]  # per chunk: kernel receive − the page's send time
    #: per chunk, the same path in parts: the page (chunk cut → its websocket send), Chromium's network
    #: process and the Jupyter server (→ the kernel's shell channel thread reads it), the hop to the kernel's
    #: main thread (→ it starts on the message), and the comm dispatch (→ RecorderView's handler)
    page_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    hop_ms: list[float] = field(default_factory=list)
    kernel_ms: list[float] = field(default_factory=list)


def speech_wav(root: Path) -> tuple[Path, float]:
    """A 48 kHz mono WAV of MIC_SENTENCE spoken by espeak-ng (resampled by sox), and its length in seconds."""
    raw, wav = root / "raw.wav", root / "speech.wav"
    subprocess.run(["espeak-ng", "-w", str(raw), MIC_SENTENCE], check=True, timeout=30)
    subprocess.run(["sox", str(raw), "-r", "48000", "-c", "1", "-b", "16", str(wav)], check=True, timeout=30)
    with wave.open(str(wav)) as w:
        return wav, w.getnframes() / w.getframerate()


def mic_part(server: LabServer, pw: Any, recordings: int) -> list[Recording]:
    """`recordings` `%axio stt` cells in one page, each recording the fake microphone to its time limit."""
    with tempfile.TemporaryDirectory() as tmp:
        wav, seconds = speech_wav(Path(tmp))
        flags = (
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav}%noloop",
        )
        browser = launch_chromium(pw, flags)
        try:
            stt = f"%axio stt --no-processing --max-seconds {seconds + 0.3:.2f}"
            cells = [MIC_HOOK, *[stt] * recordings, MIC_DUMP]
            ctx = new_context(browser)
            page = ctx.new_page()
            page.add_init_script(MIC_PROBE)
            nb = NotebookPage(page, server, server.write_notebook("bench_mic", cells)).open()
            nb.run_cell(0)
            nb.wait_executed(0)
            for i in range(1, recordings + 1):
                nb.run_cell(i)
                nb.outputs(i).locator(".axio-nb-recorder .axio-nb-record").click(timeout=CELL_TIMEOUT_MS)
                nb.outputs(i).locator('.axio-nb-recorder[data-state="recording"]').wait_for(timeout=CELL_TIMEOUT_MS)
                nb.wait_executed(i)
            nb.run_cell(recordings + 1)
            nb.wait_executed(recordings + 1)
            dump_file = server.root_dir / "bench_mic.json"
            deadline = time.monotonic() + CELL_TIMEOUT_MS / 1000
            while not dump_file.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            dump = json.loads(dump_file.read_text())
            ws_log = page.evaluate("() => window.__benchWs")
            ctx.close()
        finally:
            browser.close()
            server.shutdown_kernels()
    # Each recording's chunks are numbered from 0, and arrive in order.
    ws, sock, shell = split_at_zero(ws_log), split_at_zero(dump["socket"]), split_at_zero(dump["shell"])
    out = []
    for k, r in enumerate(dump["recorders"]):
        rec = Recording(r["seconds"], r["rate"], [(got - sent) * 1000 for got, sent in r["arrivals"]])
        logs = [ws[k] if k < len(ws) else [], sock[k] if k < len(sock) else [], shell[k] if k < len(shell) else []]
        if all(len(log) == len(r["arrivals"]) for log in logs):
            for (got, sent), (_, ws_at), (_, sock_at), (_, shell_at) in zip(r["arrivals"], *logs, strict=True):
                rec.page_ms.append(ws_at - sent * 1000)
                rec.server_ms.append(sock_at * 1000 - ws_at)
                rec.hop_ms.append((shell_at - sock_at) * 1000)
                rec.kernel_ms.append((got - shell_at) * 1000)
        else:
            print(f"mic: recording {k + 1}: the logs of its chunks do not line up; no breakdown", flush=True)
        out.append(rec)
    return out


def split_at_zero(log: list[list[float]]) -> list[list[list[float]]]:
    """[(seq, t), …] of several recordings, cut where seq starts again at 0."""
    runs: list[list[list[float]]] = []
    for entry in log:
        if entry[0] == 0 or not runs:
            runs.append([])
        runs[-1].append(entry)
    return runs


def browser_part(
    rounds: int, warm: int, recordings: int
) -> tuple[list[Speech], list[list[CellBytes]], list[Saved], list[Recording]]:
    speeches: list[Speech] = []
    wires: list[list[CellBytes]] = []
    saves: list[Saved] = []
    mics: list[Recording] = []
    with LabServer() as server:
        pw, browser = launch_browser()
        try:
            for rnd in range(rounds):
                s, w, saved = browser_round(server, browser, rnd, warm)
                speeches += s
                wires.append(w)
                saves.append(saved)
                line = ", ".join(f"{x.audible:.0f}" if x.audible is not None else "—" for x in s)
                print(f"browser round {rnd}: sent → audible ms (cold, then warm): {line}", flush=True)
            browser.close()
            if recordings:
                mics = mic_part(server, pw, recordings)
                for m in mics:
                    summary_ = js_number_summary(m.latencies_ms)
                    print(f"mic: {m.seconds:.2f} s, {summary_['n']} chunks, p95 {summary_.get('p95')} ms", flush=True)
        finally:
            if browser.is_connected():
                browser.close()
            pw.stop()
    return speeches, wires, saves, mics


# -- report --------------------------------------------------------------------------------------------------
def ok(good: bool) -> str:
    return "✅" if good else "❌"


def wire_table(rows: Iterable[CellBytes], with_state: bool) -> list[str]:
    head = "| cell | media B | view msgs | on the wire B | envelope B | JSON B | buffers B | comm_opens B |"
    rule = "|---|---:|---:|---:|---:|---:|---:|---:|"
    if with_state:
        head += " the view said | state replays (B) | view code B |"
        rule += "---|---:|---:|"
    head += " base64 copies in JSON (in the snapshot) | beyond the media B | wire / media | content only / media |"
    head += " snapshot / media | |"
    rule += "---:|---:|---:|---:|---:|---|"
    out = [head, rule]
    rows = list(rows)
    for r in rows:
        line = (
            f"| {r.name} | {r.media_bytes:,} | {r.view_msgs} | {r.view_bytes:,} | {r.view_envelope:,} | "
            f"{r.view_json:,} | {r.view_buffers:,} | {r.comm_open_bytes:,} |"
        )
        if with_state:
            line += f" {r.view_said} | {r.state_msgs} ({r.state_bytes:,}) | {r.code_bytes:,} |"
        good = r.ratio <= TARGETS["wire_per_media_byte"] and r.base64_in_view_json == 0
        line += (
            f" {r.base64_in_view_json} ({r.base64_in_snapshot}) | {r.view_bytes - r.media_bytes:,} | "
            f"**{r.ratio:.3f}** | {r.payload_ratio:.3f} | {r.snapshot_bytes / r.media_bytes:.2f} | {ok(good)} |"
        )
        out.append(line)
    # Every cell together: the wire's bytes per media byte over the whole run, as the saved notebook is
    # measured whole. What each cell adds beyond its media is shown above: a few KB per turn, whatever its size.
    media = sum(r.media_bytes for r in rows)
    wire = sum(r.view_bytes for r in rows)
    b64 = sum(r.base64_in_view_json for r in rows)
    good = wire / media <= TARGETS["wire_per_media_byte"] and b64 == 0
    blanks = " | | | |" if with_state else " |"
    out.append(
        f"| **all cells** | {media:,} | {sum(r.view_msgs for r in rows)} | {wire:,} | | |"
        f" {sum(r.view_buffers for r in rows):,} |{blanks} {b64} | {wire - media:,} | **{wire / media:.3f}** |"
        f" | | {ok(good)} |"
    )
    return out


def summary(xs: list[float]) -> str:
    if not xs:
        return "—"
    return f"median {statistics.median(xs):.0f}, min {min(xs):.0f}, max {max(xs):.0f} (n={len(xs)})"


def report(
    kernel_rows: list[CellBytes],
    speeches: list[Speech],
    wires: list[list[CellBytes]],
    saves: list[Saved],
    mics: list[Recording],
) -> str:
    lines = [
        "### 1. Wire bytes per media byte (target ≤ 1.05, no base64 in JSON)",
        "",
        "A kernel through jupyter_client, no page (the bench says `hello` for the view when its comm opens,",
        "as a rendered view does): every iopub byte of the messages that reach the view (its comm_open and",
        "its comm_msgs). `envelope`: Jupyter's identities,",
        "signature, header, parent header and metadata; `JSON`: the content frames; `snapshot`: the",
        "`update_display_data` the cell ends with (media as base64 data URIs, for the saved notebook).",
        "",
        *wire_table(kernel_rows, with_state=False),
    ]
    if wires:
        lines += [
            "",
            "The same cells in JupyterLab and Chromium, first round (a real view: its `hello` can bring a",
            "`state` replay; the page's first widget asks for the view's code, counted apart):",
            "",
            *wire_table(wires[0], with_state=True),
        ]
        if len(wires) > 1:
            per_round = [" / ".join(f"{r.ratio:.3f}" for r in w) for w in wires[1:]]
            lines += ["", "Later rounds, wire / media in the same cell order: " + "; ".join(per_round) + "."]
    if speeches:
        cold = [s.audible for s in speeches if not s.warm and s.audible is not None]
        warm = [s.audible for s in speeches if s.warm and s.audible is not None]
        cold_page = [s.to_page for s in speeches if not s.warm and s.to_page is not None]
        warm_page = [s.to_page for s in speeches if s.warm and s.to_page is not None]
        unheard = [s for s in speeches if s.audible is None]
        skews = [s.clock_skew_ms for s in speeches]
        lines += [
            "",
            "### 2. TTS: first chunk sent → audible in the page (target ≤ 150 ms, cold and warm)",
            "",
            "| page | sent → first chunk pushed to the player (ms) | sent → audible (ms) | target | |",
            "|---|---|---|---|---|",
            f"| cold (first TTS cell of a fresh page, after `%load_ext`) | {summary(cold_page)} | {summary(cold)} "
            f"| ≤ 150 ms | {ok(bool(cold) and max(cold) <= TARGETS['tts_audible_ms_warm'])} |",
            f"| warm (later TTS cells) | {summary(warm_page)} | {summary(warm)} | ≤ 150 ms | "
            f"{ok(bool(warm) and max(warm) <= TARGETS['tts_audible_ms_warm'] and not unheard)} |",
            "",
            "Each TTS cell, ms after its first chunk reached the kernel's wire: `iopub` the first message carrying",
            "speech bytes read from the kernel's iopub, `code` the view's code on iopub (cold page; negative: the",
            "prefetch `%load_ext` opened brought it before the cell),",
            "`hello` the view's first message reached the wire, `state` a state replay sent, `pushed` the first",
            "chunk pushed to the page's player, `audible` the player's first frame at the speakers.",
            "",
            *speech_table(speeches),
            "",
            f"Page clock against the wall clock ((timeOrigin + now) − Date.now()): "
            f"{min(skews):.1f} to {max(skews):.1f} ms.",
        ]
        if unheard:
            lines.append(f"Never heard live: {', '.join(f'{s.round}.{s.cell}' for s in unheard)}.")
    if saves:
        s = saves[0]
        lines += [
            "",
            "### 3. Saved notebook bytes per shown media byte (target ≤ 1.4)",
            "",
            "| cell | media B | outputs B (as saved) | beyond the media's base64 B | MIME types | outputs / media "
            "| copies of each item in the file | |",
            "|---|---:|---:|---:|---|---:|---|---|",
        ]
        for c in s.cells:
            good = c["ratio"] <= TARGETS["saved_per_media_byte"] and all(n == 1 for n in c["copies_in_file"])
            lines.append(
                f"| {c['name']} | {c['media_bytes']:,} | {c['output_bytes']:,} | {c['beyond_base64']:,} | "
                f"{', '.join(c['mime'])} | **{c['ratio']:.3f}** | "
                f"{c['copies_in_file']} | {ok(good)} |"
            )
        lines += [
            "",
            f"Whole file: {s.file_bytes:,} B for {s.media_bytes:,} B of media shown: **{s.ratio:.3f}** "
            f"(target ≤ 1.4) {ok(s.ratio <= TARGETS['saved_per_media_byte'])}. "
            f"Widget state saved in the notebook's metadata: {'yes' if s.widget_state_saved else 'no'}.",
        ]
    lines += ["", "### 4. Mic chunk captured → bytes in the kernel, p95 (target ≤ 40 ms)", ""]
    if not mics:
        lines.append("Not measured in this run.")
    else:
        every = [x for m in mics for x in m.latencies_ms]
        lines += [
            "| recording | kernel got | chunks | p50 ms | p95 ms | max ms | |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        parts = [
            ("page: chunk cut → websocket send", [x for m in mics for x in m.page_ms]),
            (
                "→ the kernel's shell thread (Chromium's network process, Jupyter server)",
                [x for m in mics for x in m.server_ms],
            ),
            ("→ the kernel's main thread starts on it", [x for m in mics for x in m.hop_ms]),
            ("→ RecorderView's handler (comm dispatch)", [x for m in mics for x in m.kernel_ms]),
        ]
        for i, m in enumerate([*mics, None]):
            xs = m.latencies_ms if m is not None else every
            st = js_number_summary(xs)
            label = f"{i + 1}" if m is not None else "all"
            got = f"{m.seconds:.2f} s at {m.rate} Hz" if m is not None else ""
            good = st.get("p95", 1e9) <= TARGETS["mic_p95_ms"]
            lines.append(
                f"| {label} | {got} | {st['n']} | {st.get('p50', 0):.1f} | **{st.get('p95', 0):.1f}** | "
                f"{st.get('max', 0):.1f} | {ok(good)} |"
            )
        lines += ["", "| part of the path, all chunks | n | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|---:|"]
        for label, xs in parts:
            st = js_number_summary(xs)
            if st["n"]:
                lines.append(f"| {label} | {st['n']} | {st['p50']:.1f} | {st['p95']:.1f} | {st['max']:.1f} |")
    return "\n".join(lines) + "\n"


def speech_table(speeches: list[Speech]) -> list[str]:
    rounds = sorted({s.round for s in speeches})
    out = ["| cell | " + " | ".join(f"round {r}" for r in rounds) + " |", "|---|" + "---|" * len(rounds)]
    for cell in sorted({s.cell for s in speeches}):
        row = []
        for r in rounds:
            s = next((x for x in speeches if x.round == r and x.cell == cell), None)
            if s is None:
                row.append("")
                continue
            steps = [f"{label} +{ms:.0f}" for label, ms in s.steps.items()]
            row.append(", ".join([*steps, f"pushed +{_ms(s.to_page)}", f"**audible +{_ms(s.audible)}**"]))
        kind = "cold" if cell == 1 else "warm"
        out.append(f"| {cell} ({kind}) | " + " | ".join(row) + " |")
    return out


def _ms(v: float | None) -> str:
    return "—" if v is None else f"{v:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="fresh pages (each: one cold TTS cell, then warm ones)")
    parser.add_argument("--warm", type=int, default=4, help="warm TTS cells per page")
    parser.add_argument("--recordings", type=int, default=5, help="microphone recordings (0: none)")
    parser.add_argument("--no-browser", action="store_true", help="part 1 only")
    args = parser.parse_args()
    kernel_rows = kernel_part()
    speeches: list[Speech] = []
    wires: list[list[CellBytes]] = []
    saves: list[Saved] = []
    mics: list[Recording] = []
    if not args.no_browser:
        speeches, wires, saves, mics = browser_part(args.rounds, args.warm, args.recordings)
    text = report(kernel_rows, speeches, wires, saves, mics)
    print("\n" + text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    raw = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "targets": TARGETS,
        "kernel": [asdict(r) for r in kernel_rows],
        "browser_wire": [[asdict(r) for r in w] for w in wires],
        "speech": [asdict(s) | {"audible_ms": s.audible, "to_page_ms": s.to_page} for s in speeches],
        "saved": [asdict(s) for s in saves],
        "mic": [asdict(m) for m in mics],
    }
    (RESULTS / "media.json").write_text(json.dumps(raw, indent=2))
    (RESULTS / "media.md").write_text(text)


if __name__ == "__main__":
    main()
