"""A real JupyterLab server and Debian's Chromium through Playwright, shared by the browser tests and bench/browser.py.

Nothing here is pytest-specific: `LabServer` runs `jupyter lab` from the venv on 127.0.0.1, `launch_browser`
starts the system Chromium (never a downloaded one), and `NotebookPage` drives one notebook as a user
would — open it, wait for the kernel's websocket, run cells, save, shut the kernel down, reload.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, WebSocket, sync_playwright

VENV_BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
#: Without the background-networking flags Chromium's connection attempts fail noisily on a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: Cold start to the first widget render is ≈ 7 s on 2 cores (docs/facts.md#headless-jupyterlab-in-tests);
#: leave room for a loaded CI box.
SERVER_START_TIMEOUT = 60.0
KERNEL_TIMEOUT_MS = 45_000
CELL_TIMEOUT_MS = 60_000
UI_TIMEOUT_MS = 30_000

# The live widget root and the static snapshot root both carry `axio-nb-stream` (run/present.py).
LIVE = ".axio-nb-stream:not(.axio-nb-snapshot)"
SNAPSHOT = ".axio-nb-stream.axio-nb-snapshot"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LabServer:
    """`jupyter lab` on 127.0.0.1 with a free port, a random token and a temporary root dir."""

    def __init__(
        self, root_dir: Path | None = None, env: dict[str, str] | None = None, esm: Path | None = None
    ) -> None:
        """`esm`: serve this build of the view to every kernel as the widget's whole ESM, bypassing the
        boot loader (debugging only; default: $AXIO_NB_TEST_ESM if set, else the package as installed)."""
        self._own_root = root_dir is None
        override = esm or os.environ.get("AXIO_NB_TEST_ESM")
        self.esm = Path(override).resolve() if override else None
        self.root_dir = Path(root_dir or tempfile.mkdtemp(prefix="axio_nb_lab_"))
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = self.root_dir.parent / f"{self.root_dir.name}.server.log"
        self._extra_env = env or {}
        #: The server's environment (its Jupyter config and settings dirs), set by start().
        self.env: dict[str, str] = {}
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: Any = None

    def start(self) -> LabServer:
        env = {**os.environ, "AXIO_NB_TRANSPORT": "demo", **self._extra_env}
        env.pop("AXIO_NB_DISPLAY", None)
        # Kernels are started with the venv's python; make sure nothing on PATH shadows it.
        env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
        # Keep user-level Jupyter config and workspaces out of the run.
        runtime = self.root_dir.parent / f"{self.root_dir.name}.jupyter"
        env["JUPYTER_CONFIG_DIR"] = str(runtime / "config")
        env["JUPYTER_RUNTIME_DIR"] = str(runtime / "runtime")
        env["JUPYTERLAB_SETTINGS_DIR"] = str(runtime / "settings")
        env["JUPYTERLAB_WORKSPACES_DIR"] = str(runtime / "workspaces")
        env["IPYTHONDIR"] = str(runtime / "ipython")
        # No "Would you like to get notified about official Jupyter news?" toast over the outputs.
        notification = runtime / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
        notification.parent.mkdir(parents=True, exist_ok=True)
        notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        if self.esm is not None:
            startup = runtime / "ipython" / "profile_default" / "startup" / "00-axio-nb-esm.py"
            startup.parent.mkdir(parents=True, exist_ok=True)
            startup.write_text(
                "from pathlib import Path\n"
                "import axio_nb.views.stream as _axio_nb_stream\n"
                f"_axio_nb_stream.StreamView._esm = Path({str(self.esm)!r}).read_text()\n"
            )
        cmd = [
            str(VENV_BIN / "jupyter"),
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.news_url=",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.extension_manager=readonly",
            "--ServerApp.terminals_enabled=False",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        self.env = env
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            cmd, cwd=self.root_dir, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                message = f"jupyter lab exited with {self.proc.returncode}:\n{self.log_tail()}"
                self.stop()
                raise RuntimeError(message)
            try:
                self.api("GET", "/api/status")
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        message = f"jupyter lab did not answer /api/status within {SERVER_START_TIMEOUT} s:\n{self.log_tail()}"
        self.stop()
        raise RuntimeError(message)

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def url(self, path: str, **query: str) -> str:
        params = "&".join([*(f"{k}={v}" if v else k for k, v in query.items()), f"token={self.token}"])
        return f"{self.base}{path}?{params}"

    def api(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Authorization", f"token {self.token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def kernels(self) -> list[dict[str, Any]]:
        # While a page is starting a kernel, jupyter_server can answer 500 for a moment (the new kernel's model
        # is not whole yet: seen once at a test's teardown); a second look a moment later lists it.
        for attempt in range(5):
            try:
                return list(self.api("GET", "/api/kernels"))
            except urllib.error.HTTPError as exc:
                if exc.code != 500 or attempt == 4:
                    raise
                time.sleep(0.5)
        raise AssertionError("unreachable")

    def shutdown_kernels(self) -> int:
        """`DELETE /api/kernels/{id}` for every running kernel; returns how many there were."""
        ids = [k["id"] for k in self.kernels()]
        for kid in ids:
            # A kernel that a page's reload is still starting answers 500 for a moment; one already gone, 404.
            for attempt in range(5):
                try:
                    self.api("DELETE", f"/api/kernels/{kid}")
                    break
                except urllib.error.HTTPError as exc:
                    if exc.code == 404:
                        break
                    if attempt == 4:
                        raise
                    time.sleep(0.5)
        return len(ids)

    def write_notebook(self, name: str, cells: Sequence[str | tuple[str, str]]) -> str:
        """Write NAME.ipynb into the root dir; a cell is code, or ("markdown", text). Returns the file name."""
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
        nb.metadata["language_info"] = {"name": "python"}
        for cell in cells:
            if isinstance(cell, tuple):
                kind, text = cell
                nb.cells.append(
                    nbformat.v4.new_markdown_cell(text) if kind == "markdown" else nbformat.v4.new_code_cell(text)
                )
            else:
                nb.cells.append(nbformat.v4.new_code_cell(cell))
        filename = name if name.endswith(".ipynb") else f"{name}.ipynb"
        nbformat.write(nb, self.root_dir / filename)
        return filename

    def read_notebook(self, filename: str) -> Any:
        return nbformat.read(self.root_dir / filename, as_version=4)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.shutdown_kernels()
            except (OSError, urllib.error.URLError):
                pass
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._own_root:
            shutil.rmtree(self.root_dir, ignore_errors=True)
            shutil.rmtree(self.root_dir.parent / f"{self.root_dir.name}.jupyter", ignore_errors=True)
            self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> LabServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def launch_chromium(pw: Playwright, extra_args: Sequence[str] = ()) -> Browser:
    """Debian's Chromium, headless, from a running Playwright: one thread runs one sync Playwright at a time, so
    tests that need browsers with different flags launch them all from the session's (conftest `playwright`)."""
    return pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, *extra_args])


def launch_browser(extra_args: Sequence[str] = ()) -> tuple[Playwright, Browser]:
    """Debian's Chromium, headless; Playwright never downloads a browser here."""
    pw = sync_playwright().start()
    try:
        browser = launch_chromium(pw, extra_args)
    except Exception:
        pw.stop()
        raise
    return pw, browser


def new_context(browser: Browser) -> BrowserContext:
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    ctx.set_default_timeout(UI_TIMEOUT_MS)
    return ctx


class NotebookPage:
    """One notebook open in JupyterLab (`ui="lab"`) or Notebook 7 (`ui="notebook"`)."""

    def __init__(self, page: Page, server: LabServer, filename: str, ui: str = "lab") -> None:
        self.page = page
        self.server = server
        self.filename = filename
        self.ui = ui
        self._kernel_frames = 0
        self.console: list[str] = []
        page.on("websocket", self._on_websocket)
        page.on("console", lambda msg: self.console.append(f"{msg.type}: {msg.text}"))
        page.on("pageerror", lambda err: self.console.append(f"pageerror: {err}"))

    # -- opening ------------------------------------------------------------------------------
    def _on_websocket(self, ws: WebSocket) -> None:
        if "/api/kernels/" in ws.url:

            def count(_payload: Any) -> None:
                self._kernel_frames += 1

            ws.on("framereceived", count)

    @property
    def path(self) -> str:
        return f"/lab/tree/{self.filename}" if self.ui == "lab" else f"/notebooks/{self.filename}"

    def open(self) -> NotebookPage:
        self._kernel_frames = 0
        # `reset`: start from the default workspace, so earlier tests' tabs (and their kernels) stay closed.
        url = self.server.url(self.path, reset="") if self.ui == "lab" else self.server.url(self.path)
        self.page.goto(url)
        self.wait_ready()
        return self

    def reload(self) -> NotebookPage:
        self._kernel_frames = 0
        self.page.reload()
        self.wait_ready()
        return self

    def wait_ready(self) -> None:
        """The notebook is shown and the kernel websocket has spoken.

        "Idle" shows earlier, and a Shift+Enter then is dropped: docs/facts.md#headless-jupyterlab-in-tests.
        """
        self.page.locator(".jp-Notebook .jp-Cell").first.wait_for(state="visible", timeout=KERNEL_TIMEOUT_MS)
        deadline = time.monotonic() + KERNEL_TIMEOUT_MS / 1000
        while self._kernel_frames == 0:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no websocket frame on /api/kernels/ within {KERNEL_TIMEOUT_MS} ms")
            self.page.wait_for_timeout(50)

    # -- cells --------------------------------------------------------------------------------
    def cells(self) -> Any:
        return self.page.locator(".jp-Notebook .jp-Cell")

    def cell(self, index: int) -> Any:
        return self.cells().nth(index)

    def outputs(self, index: int) -> Any:
        return self.cell(index).locator(".jp-OutputArea")

    def prompt(self, index: int) -> str:
        return str(self.cell(index).locator(".jp-InputArea-prompt").text_content() or "").strip()

    def run_cell(self, index: int) -> None:
        """Click into the cell's editor and press Shift+Enter; returns once the run is queued."""
        editor = self.cell(index).locator(".jp-InputArea-editor .cm-content")
        editor.click()
        self.page.keyboard.press("Shift+Enter")

    def run_cells(self, indices: Sequence[int]) -> None:
        for i in indices:
            self.run_cell(i)

    def run_all(self) -> None:
        """The "Run All Cells" command, through the app the page exposes (LabApp.expose_app_in_browser)."""
        ok = self.page.evaluate(
            """() => {
                const app = window.jupyterapp;
                if (!app) return false;
                // Not awaited: the command's promise settles only when every cell has run.
                void app.commands.execute("notebook:run-all-cells");
                return true;
            }"""
        )
        if not ok:
            self.cell(0).locator(".jp-InputArea-editor .cm-content").click()
            for _ in range(self.cells().count()):
                self.page.keyboard.press("Shift+Enter")

    def wait_executed(self, index: int, timeout_ms: int = CELL_TIMEOUT_MS) -> int:
        """Wait until the cell's prompt reads `[N]:` (not `[ ]:` nor `[*]:`); returns N.

        `textContent`, not `innerText`: once the notebook has followed a long answer down, the cells above
        are out of sight, JupyterLab skips rendering them (content-visibility) and their innerText is "".
        """
        prompt = self.cell(index).locator(".jp-InputArea-prompt")
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            text = str(prompt.text_content() or "").strip()
            digits = text.strip("[]: ")
            if digits.isdigit():
                return int(digits)
            if time.monotonic() > deadline:
                raise TimeoutError(f"cell {index} not done after {timeout_ms} ms (prompt {text!r})")
            self.page.wait_for_timeout(100)

    def wait_all_executed(self, timeout_ms: int = CELL_TIMEOUT_MS) -> None:
        for i in range(self.cells().count()):
            if "jp-CodeCell" in (self.cell(i).get_attribute("class") or ""):
                self.wait_executed(i, timeout_ms)

    # -- the live widget, which the snapshot replaces when a turn ends -------------------------
    def install_live_probe(self) -> None:
        """Record what every live stream view showed, per cell, before the snapshot swap removes it."""
        self.page.add_init_script(LIVE_PROBE_JS)

    def wait_live(self, index: int, selector: str, min_chars: int = 0, timeout_ms: int = CELL_TIMEOUT_MS) -> str:
        """Wait until `selector` (inside the cell) matches with at least `min_chars` of text — "live" — or
        the cell has finished without it — "done". A turn whose live view never renders fails fast."""
        handle = self.page.wait_for_function(
            r"""([i, sel, min]) => {
                const cell = document.querySelectorAll(".jp-Notebook .jp-Cell")[i];
                if (!cell) return false;
                const hit = cell.querySelector(sel);
                if (hit && hit.textContent.trim().length >= min) return "live";
                const prompt = cell.querySelector(".jp-InputArea-prompt");
                return /\[\d+\]/.test(prompt ? prompt.textContent : "") ? "done" : false;
            }""",
            arg=[index, selector, min_chars],
            timeout=timeout_ms,
            polling=50,
        )
        return str(handle.json_value())

    def describe_output(self, index: int) -> str:
        """The start of a cell's output HTML and the page's console errors, for assertion messages."""
        html = str(self.outputs(index).inner_html())
        errors = [c for c in self.console if c.startswith(("error", "pageerror"))]
        return f"output HTML: {html[:400]!r}; console errors: {errors[-5:]}"

    def live_seen(self) -> dict[str, dict[str, Any]]:
        """`{cell index: features}` as recorded by the live probe (keys are strings: JSON)."""
        return dict(self.page.evaluate("() => window.__axioLive || {}"))

    def output_text(self, index: int) -> str:
        return str(self.outputs(index).inner_text())

    # -- saving and kernels -------------------------------------------------------------------
    def save(self) -> None:
        """Ctrl+S, waiting for the contents PUT to come back."""
        with self.page.expect_response(
            lambda r: "/api/contents/" in r.url and r.request.method == "PUT", timeout=UI_TIMEOUT_MS
        ) as info:
            self.page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
            self.page.keyboard.press("Control+s")
        response = info.value
        if response.status >= 300:
            raise RuntimeError(f"save failed: HTTP {response.status}")

    def shutdown_kernel(self) -> int:
        return self.server.shutdown_kernels()


#: A MutationObserver that ORs together, per notebook cell, what the live view has shown so far.
LIVE_PROBE_JS = r"""
(() => {
  if (window.__axioLive) return;
  window.__axioLive = {};
  const LIVE = ".axio-nb-stream:not(.axio-nb-snapshot)";
  const text = (el) => (el ? el.textContent || "" : "");
  function record() {
    const roots = document.querySelectorAll(LIVE);
    if (!roots.length) return;
    const cells = [...document.querySelectorAll(".jp-Notebook .jp-Cell")];
    for (const root of roots) {
      const key = String(cells.indexOf(root.closest(".jp-Cell")));
      const fresh = { statuses: [], toolName: "", toolArgs: "", toolResult: "", footer: "" };
      const seen = (window.__axioLive[key] ||= fresh);
      const waiting = root.querySelector(".axio-nb-waiting");
      const or = (name, value) => { seen[name] = Boolean(seen[name] || value); };
      or("root", true);
      or("waiting", waiting && !waiting.hidden);
      or("blocks", root.querySelector(".axio-nb-block[data-block-id]"));
      or("text", root.querySelector(".axio-nb-block.axio-nb-text"));
      or("h2", root.querySelector(".axio-nb-text h2"));
      or("li", root.querySelector(".axio-nb-text li"));
      or("codeSpans", root.querySelectorAll("pre code span").length >= 3);
      or("thinking", [...root.querySelectorAll("details summary")].some((s) => s.textContent.includes("Thinking")));
      or("tool", root.querySelector(".axio-nb-block.axio-nb-tool"));
      or("stopVisible", (() => { const b = root.querySelector(".axio-nb-stop"); return b && !b.hidden; })());
      const status = root.dataset.status;
      if (status && !seen.statuses.includes(status)) seen.statuses.push(status);
      const tool = root.querySelector(".axio-nb-tool");
      if (tool) {
        seen.toolName = text(tool.querySelector(".axio-nb-tool-name")) || seen.toolName;
        seen.toolArgs = text(tool.querySelector(".axio-nb-tool-args")) || seen.toolArgs;
        seen.toolResult = text(tool.querySelector(".axio-nb-tool-result")) || seen.toolResult;
      }
      const footer = root.querySelector(".axio-nb-footer");
      if (footer && !footer.hidden && footer.textContent) seen.footer = footer.textContent;
    }
  }
  const start = () => new MutationObserver(record).observe(document.body, {
    childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["hidden", "data-status"],
  });
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
"""


def js_number_summary(values: Sequence[float]) -> dict[str, float]:
    """Percentiles of a list of numbers (nearest rank), for reports."""
    if not values:
        return {"n": 0}
    xs = sorted(values)

    def pct(p: float) -> float:
        k = max(0, min(len(xs) - 1, round(p / 100 * len(xs) + 0.5) - 1))
        return float(xs[k])

    return {"n": len(xs), "p50": pct(50), "p95": pct(95), "max": float(xs[-1]), "mean": sum(xs) / len(xs)}
