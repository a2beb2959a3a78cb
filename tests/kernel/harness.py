"""A real ipykernel driven through jupyter_client, recording every iopub message per request."""

from __future__ import annotations

import os
import queue
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jupyter_client.manager import KernelManager


@dataclass
class Run:
    """Everything one execute_request produced."""

    msg_id: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    reply: dict[str, Any] | None = None

    @property
    def types(self) -> Counter[str]:
        return Counter(m["msg_type"] for m in self.messages)

    @property
    def stdout(self) -> str:
        return "".join(m["content"]["text"] for m in self.messages if m["msg_type"] == "stream")

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [m["content"] for m in self.messages if m["msg_type"] == "error"]

    @property
    def status(self) -> str:
        assert self.reply is not None
        return str(self.reply["content"]["status"])

    def data(self, kind: str = "display_data") -> list[dict[str, Any]]:
        return [m["content"]["data"] for m in self.messages if m["msg_type"] == kind]

    @property
    def final_output(self) -> dict[str, Any]:
        """What the cell shows last: the latest display or update (as JupyterLab would save it)."""
        outs = [
            m["content"]["data"] for m in self.messages if m["msg_type"] in ("display_data", "update_display_data")
        ]
        assert outs, f"no display in {self.types}"
        return outs[-1]

    @property
    def comm_msgs(self) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["msg_type"] == "comm_msg"]

    @property
    def iopub_bytes(self) -> int:
        return sum(m.get("_bytes", 0) for m in self.messages)


class Kernel:
    """One kernel for a test module; `execute` waits for idle, `submit`/`collect` let tests interleave."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.km = KernelManager(kernel_name="python3")
        kernel_env = {**os.environ, "AXIO_NB_TRANSPORT": "demo", **(env or {})}
        kernel_env.pop("AXIO_NB_DISPLAY", None)
        if env and "AXIO_NB_DISPLAY" in env:
            kernel_env["AXIO_NB_DISPLAY"] = env["AXIO_NB_DISPLAY"]
        self.km.start_kernel(env=kernel_env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        self._runs: dict[str, Run] = {}
        self.other: list[dict[str, Any]] = []
        #: Answer each stream view's comm_open with the `hello` a rendered view sends (widgets/PROTOCOL.md):
        #: the kernel holds media bytes until a view has spoken. The answers (a `state`) go to the cell's Run.
        self.views_say_hello = True
        self._alias: dict[str, str] = {}

    def submit(self, code: str) -> Run:
        run = Run(self.kc.execute(code))
        self._runs[run.msg_id] = run
        return run

    def collect(self, run: Run, timeout: float = 60) -> Run:
        """Read iopub until `run` is idle and its reply has come."""
        deadline = time.monotonic() + timeout
        while not self._idle(run):
            if time.monotonic() > deadline:
                raise TimeoutError(f"cell did not finish in {timeout}s; saw {run.types}")
            self.pump(0.2)
        while run.reply is None:
            if time.monotonic() > deadline:
                raise TimeoutError("no execute_reply")
            self._pump_shell(0.2)
        return run

    def wait_until(self, run: Run, predicate: Callable[[Run], bool], timeout: float = 30) -> None:
        """Pump iopub until `predicate(run)` holds (e.g. the first text op arrived)."""
        deadline = time.monotonic() + timeout
        while not predicate(run):
            if time.monotonic() > deadline:
                raise TimeoutError(f"condition not met in {timeout}s; saw {run.types}")
            self.pump(0.1)

    def execute(self, code: str, timeout: float = 60) -> Run:
        return self.collect(self.submit(code), timeout)

    def pump(self, timeout: float) -> None:
        try:
            msg = self.kc.get_iopub_msg(timeout=timeout)
        except queue.Empty:
            return
        parent = msg.get("parent_header", {}).get("msg_id")
        parent = self._alias.get(parent, parent)
        if parent in self._runs:
            self._runs[parent].messages.append(msg)
        else:
            self.other.append(msg)
        if self.views_say_hello and msg["msg_type"] == "comm_open" and parent in self._runs:
            state = msg["content"].get("data", {}).get("state", {})
            if state.get("_view") == "stream":
                hello = self.comm_send(msg["content"]["comm_id"], {"type": "hello", "seq": 0})
                self._alias[hello.msg_id] = parent

    def _pump_shell(self, timeout: float) -> None:
        try:
            reply = self.kc.get_shell_msg(timeout=timeout)
        except queue.Empty:
            return
        parent = reply.get("parent_header", {}).get("msg_id")
        if parent in self._runs:
            self._runs[parent].reply = reply

    @staticmethod
    def _idle(run: Run) -> bool:
        return any(m["msg_type"] == "status" and m["content"]["execution_state"] == "idle" for m in run.messages)

    def comm_send(self, comm_id: str, data: dict[str, Any], buffers: list[bytes] | None = None) -> Run:
        """Send what a browser view sends: a custom message on the widget's comm.

        The kernel's answer (sent while handling it) is parented to this message, not to the cell:
        the returned Run collects it.
        """
        content = {"comm_id": comm_id, "data": {"method": "custom", "content": data}}
        msg = self.kc.session.msg("comm_msg", content)
        run = Run(msg["header"]["msg_id"])
        self._runs[run.msg_id] = run
        self.kc.session.send(self.kc.shell_channel.socket, msg, buffers=buffers or [])
        return run

    def interrupt(self) -> None:
        self.km.interrupt_kernel()

    def shutdown(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def wire_messages(run: Run, kind: str | None = None) -> list[dict[str, Any]]:
    """The wire messages (PROTOCOL.md) the kernel sent to the cell's views, in order."""
    out = []
    for m in run.comm_msgs:
        data = m["content"].get("data", {})
        if data.get("method") == "custom" and (kind is None or data["content"].get("type") == kind):
            out.append(data["content"])
    return out


def streamed_text(run: Run) -> str:
    """The answer text (text blocks only) as a view would assemble it from the ops it received."""
    text_ids: set[int] = set()
    parts: list[str] = []
    for message in wire_messages(run, "ops"):
        for op in message["ops"]:
            if op["op"] == "open" and op["block"]["kind"] == "text":
                text_ids.add(op["block"]["id"])
                parts.append(op["block"].get("text", ""))
            elif op["op"] == "append" and op["id"] in text_ids and op["path"] == ["text"]:
                parts.append(op["text"])
    return "".join(parts)


def widget_comm_id(run: Run) -> str:
    """The comm id of the StreamView a cell displayed (the model id in its widget-view output)."""
    for data in run.data():
        view = data.get("application/vnd.jupyter.widget-view+json")
        if view:
            return str(view["model_id"])
    raise AssertionError(f"no widget displayed; saw {run.types}")
