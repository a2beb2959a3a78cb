"""The same notebook in JupyterLab 4 and in Notebook 7: a streamed chat with a tool, an image grid and a realtime
session; then saved, reopened with no kernel, exported with nbconvert and weighed.

Every model-made string in it is hostile: the prompt starts with the payload tests/browser/test_stream_lab.py
uses (the demo echoes a prompt's first words), the tool returns tests/unit/test_snapshot.py's, and the image
prompt is a tag. Nothing of it may run, in the page or in the exported HTML.

The server runs with no axio_nb server extension and the page asks no axio_nb route for anything: the widgets
ride the kernel's comm channel (README, "Serving a class").
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
import pytest
from playwright.sync_api import Browser

from axio_nb.render.script import snapshot_script

from ..unit.test_snapshot import HOSTILE
from .harness import CELL_TIMEOUT_MS, LIVE, SNAPSHOT, VENV_BIN, LabServer, NotebookPage, new_context
from .test_stream_lab import PAYLOAD

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

UIS = ("lab", "notebook")
SETUP = "\n".join(
    [
        "%load_ext axio_nb",
        "%axio use demo pace=500",
        f"payload = {PAYLOAD!r}",
        "async def lookup(topic: str) -> str:",
        '    """Look a topic up."""',
        f"    return {HOSTILE!r}",
    ]
)
CHAT = "%%axio chat --tools lookup\n{payload} look up a transport with the tool"
IMAGE = "%%axio image -n 2\n<img src=x onerror=window.__pwned=4> a cat"
REALTIME = "%axio realtime --out call"
END = "call.end()\nawait call.wait()\nprint('ended', call.stats.state)"
CELLS = [SETUP, CHAT, IMAGE, REALTIME, END]
VOICE = ".axio-nb-voice"

#: What a rendered snapshot shows, read from its DOM.
FEATURES = r"""async (root) => ({
    text: [...root.querySelectorAll(".axio-nb-block.axio-nb-text")].map((e) => e.textContent).join("\n"),
    thinking: [...root.querySelectorAll(".axio-nb-block.axio-nb-reasoning")].map((e) => e.textContent).join("\n"),
    tools: [...root.querySelectorAll(".axio-nb-block.axio-nb-tool")].map((e) => e.textContent),
    footer: root.querySelector(".axio-nb-footer")?.textContent ?? null,
    images: await Promise.all(
        [...root.querySelectorAll("img")].map((i) => i.decode().then(() => i.naturalWidth, () => 0))
    ),
})"""


@dataclass
class Run:
    ui: str
    nb: NotebookPage
    requests: list[str]
    dialogs: list[str] = field(default_factory=list)
    ended: bool = False

    def features(self, cell: int) -> dict[str, Any]:
        root = self.nb.outputs(cell).locator(SNAPSHOT)
        root.wait_for(state="attached", timeout=CELL_TIMEOUT_MS)
        return dict(root.evaluate(FEATURES))

    def end_realtime(self) -> None:
        """Run the cell that ends the session, once (the saved-notebook tests need it ended, run alone too)."""
        if not self.ended:
            self.ended = True
            self.nb.run_cell(4)
            self.nb.wait_executed(4)

    def pwned(self) -> Any:
        return self.nb.page.evaluate("() => window.__pwned")


@pytest.fixture(scope="module", params=UIS)
def run(request: pytest.FixtureRequest, lab_server: LabServer, browser: Browser) -> Iterator[Run]:
    ui = str(request.param)
    ctx = new_context(browser)
    page = ctx.new_page()
    got = Run(ui, NotebookPage(page, lab_server, lab_server.write_notebook(f"frontends-{ui}", CELLS), ui=ui), [])
    page.on("request", lambda r: got.requests.append(r.url))
    page.on("dialog", lambda d: (got.dialogs.append(d.message), d.dismiss()))
    try:
        nb = got.nb.open()
        nb.run_cells([0, 1])
        assert nb.wait_live(1, f"{LIVE} .axio-nb-text") == "live", nb.describe_output(1)
        nb.wait_executed(1)
        nb.run_cell(2)
        nb.wait_executed(2)
        nb.run_cell(3)
        nb.wait_executed(3)
        nb.outputs(3).locator(f'{VOICE}[data-state="listening"]').wait_for(timeout=CELL_TIMEOUT_MS)
        yield got
    finally:
        ctx.close()
        lab_server.shutdown_kernels()


class TestLive:
    """While the kernel runs: the chat streamed live and left its snapshot, the grid decoded, the realtime
    controls opened and End left the transcript's snapshot; no payload ran."""

    def test_chat_streamed_and_left_the_snapshot(self, run: Run) -> None:
        got = run.features(1)
        assert "Here is what the tools said" in got["text"] and "<b onerror=1>" in got["text"], got["text"][:300]
        assert 'onerror="window.__pwned=1"' in got["thinking"], "the prompt's payload is not shown as text"
        assert got["tools"] and "lookup" in got["tools"][0] and "<script>alert(2)</script>" in got["tools"][0], got
        assert got["footer"] and "demo-1" in got["footer"], got

    def test_image_grid_decodes(self, run: Run) -> None:
        assert run.features(2)["images"] == [512, 512]

    def test_realtime_opens_answers_aloud_and_ends(self, run: Run) -> None:
        nb = run.nb
        out = nb.outputs(3)
        assert out.locator(f"{VOICE} .axio-nb-voice-mic").is_visible()
        assert out.locator(f"{VOICE} .axio-nb-voice-end").is_enabled()
        # A typed turn: the answer's voice plays in the page (its messages carry no parent header:
        # docs/facts.md, "A running session's voice goes with no parent header").
        box = out.locator(f"{VOICE} .axio-nb-voice-text")
        box.fill("hello there")
        box.press("Enter")
        nb.page.wait_for_function(
            "() => performance.getEntriesByName('axio-nb:speech-playing').length > 0", timeout=CELL_TIMEOUT_MS
        )
        run.end_realtime()
        assert "ended ended" in nb.output_text(4), nb.output_text(4)
        out.get_by_text("Voice session ended", exact=False).wait_for(timeout=CELL_TIMEOUT_MS)
        assert out.locator(VOICE).count() == 0

    def test_nothing_ran_and_nothing_failed(self, run: Run) -> None:
        nb = run.nb
        assert run.pwned() is None and run.dialogs == []
        assert nb.page.locator("img[src=x]").count() == 0
        assert nb.page.locator('a[href^="javascript" i]').count() == 0
        for cell in range(len(CELLS)):
            out = nb.output_text(cell)
            assert "Traceback" not in out and "Error displaying widget" not in out, out

    def test_no_axio_nb_server_route(self, run: Run, lab_server: LabServer) -> None:
        """Everything rides the kernel's comm channel: the page fetched nothing from an axio_nb route, and
        neither Jupyter Server nor JupyterLab has an axio_nb extension."""
        assert run.requests, "no request recorded"
        assert [u for u in run.requests if re.search(r"axio", u, re.I)] == []
        env = lab_server.env
        for command, real in (
            (["server", "extension", "list"], "jupyterlab"),
            (["labextension", "list"], "anywidget"),
        ):
            listed = subprocess.run(
                [str(VENV_BIN / "jupyter"), *command], env=env, capture_output=True, text=True, timeout=60
            )
            assert listed.returncode == 0, listed.stderr
            both = listed.stdout + listed.stderr  # the lists go to stderr
            assert real in both, both  # the list is real: it names what is installed
            # Names only: the config dirs and paths it prints may hold "axio" (the test's temporary dirs do).
            names = [ln for ln in both.lower().splitlines() if "dir:" not in ln and not ln.strip().startswith("/")]
            assert [ln for ln in names if "axio" in ln] == [], both


@pytest.fixture(scope="module")
def saved(run: Run) -> Path:
    """Save, shut the kernel down, reload the page with no kernel; the saved file."""
    nb = run.nb
    run.end_realtime()
    nb.save()
    nb.shutdown_kernel()
    assert nb.server.kernels() == []
    nb.reload()
    return nb.server.root_dir / nb.filename


#: The text a reader sees in an element: its text nodes, without <style>, <script> or <template> contents.
SHOWN_TEXT = r"""(root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
        acceptNode: (n) => n.parentElement.closest("style, script, template") ? 2 : 1,
    });
    let chars = "";
    while (walker.nextNode()) chars += walker.currentNode.data;
    return chars.replace(/\s+/g, " ").trim();
}"""

#: The media an element shows from data: URIs (images, players), as the base64 text a notebook must hold them in.
MEDIA_BYTES = """(root) => [...root.querySelectorAll(
    ["img", "audio", "video", "source"].map((tag) => `${tag}[src^='data:']`).join(",")
)].map((e) => e.getAttribute("src").split(",", 2)[1] || "")"""


class TestSaved:
    """Saved, the kernel shut down, the page reloaded: the final outputs are all there."""

    def test_reload_shows_the_final_outputs(self, run: Run, saved: Path) -> None:
        nb = run.nb
        chat = run.features(1)
        assert "Here is what the tools said" in chat["text"] and "<b onerror=1>" in chat["text"], chat["text"][:300]
        assert 'onerror="window.__pwned=1"' in chat["thinking"], chat["thinking"][:300]
        assert chat["tools"] and "<script>alert(2)</script>" in chat["tools"][0], chat
        assert chat["footer"] and "demo-1" in chat["footer"] and "stop:" in chat["footer"], chat
        assert run.features(2)["images"] == [512, 512]
        assert "Voice session ended" in nb.output_text(3)
        assert nb.page.get_by_text("Error displaying widget").count() == 0
        nb.page.wait_for_timeout(300)  # an onerror would fire after an image fails to load
        assert run.pwned() is None and run.dialogs == []

    def test_saved_size_is_what_it_shows(self, run: Run, saved: Path) -> None:
        """The file is at most 1.5 × the text it shows (sources and outputs) plus its media: no JavaScript
        bundle, no widget state (JupyterLab's default), media once, and CSS only
        for what each snapshot shows (axio_nb/render/css.py). Media count as base64, the form nbformat
        stores binary data in: their raw bytes times 4/3, which no renderer can avoid."""
        notebook = nbformat.read(saved, as_version=4)
        state = notebook.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
        models = state.get("state", {})
        kinds = sorted(
            m.get("model_name", "?") + ":" + str(m.get("state", {}).get("_view", "")) for m in models.values()
        )
        assert not models, f"widget state saved: {len(json.dumps(state))} bytes for {kinds}"
        text = media = 0
        for i, cell in enumerate(notebook.cells):
            text += len(cell.source.encode())
            out = run.nb.outputs(i)
            if out.count():
                text += len(str(out.evaluate(SHOWN_TEXT)).encode())
                media += sum(len(b64) for b64 in out.evaluate(MEDIA_BYTES))
        size = saved.stat().st_size
        assert media > 20_000, f"the grid's media were not found: {media} bytes"
        assert "export default" not in saved.read_text(), "a widget bundle was saved"
        assert size <= 1.5 * (text + media), f"{size} bytes saved for {text} of text and {media} of media"


class _Scripts(HTMLParser):
    """Every script body, inline event handler and `javascript:` URL in an HTML page."""

    URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href", "data"})

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.js_urls: list[str] = []
        self._in_script: list[str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
            if name in self.URL_ATTRS and re.sub(r"[\s\x00-\x1f]", "", value or "").lower().startswith("javascript:"):
                self.js_urls.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self._in_script = [json.dumps(sorted((k, v or "") for k, v in attrs))]

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self._in_script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script is not None:
            self.scripts.append("".join(self._in_script))
            self._in_script = None


def _snapshot_scripts(notebook: Path) -> list[str]:
    """The script each saved snapshot carries, checked to be exactly the fixed parts its own HTML needs."""
    scripts = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            if "axio-nb-snapshot" not in html:
                continue
            start = html.rfind("<script>")
            script = html[start:] if start >= 0 and html.endswith("</script>") else ""
            body = html[html.index("</style>") + len("</style>") : len(html) - len(script)]
            assert script == snapshot_script(body), script[:300]
            if script:
                scripts.append(script)
    return scripts


def _nbconvert(notebook: Path, out_dir: Path) -> str:
    done = subprocess.run(
        [str(VENV_BIN / "jupyter"), "nbconvert", "--to", "html", "--output-dir", str(out_dir), str(notebook)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return (out_dir / notebook.with_suffix(".html").name).read_text()


@pytest.fixture(scope="module")
def exported(saved: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The saved notebook as nbconvert HTML, and the same notebook without outputs (the template alone)."""
    out = tmp_path_factory.mktemp("nbconvert")
    bare = nbformat.read(saved, as_version=4)
    for cell in bare.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    template_only = out / "bare.ipynb"
    nbformat.write(bare, template_only)
    html_path = out / saved.with_suffix(".html").name
    return html_path, _nbconvert(saved, out), _nbconvert(template_only, out)


class TestNbconvert:
    """`jupyter nbconvert --to html` of the saved notebook shows the answer, the tool card, the grid and the
    footer, and holds no script but the template's own and the snapshot's fixed one (render/script.py), once
    per snapshot and only the parts its HTML needs; no inline handler and no `javascript:` URL the template
    lacks."""

    def test_only_the_fixed_scripts(self, exported: tuple[Path, str, str], saved: Path) -> None:
        _, html, bare = exported
        full, template = _Scripts(html), _Scripts(bare)
        ours = [
            "[]" + script.removeprefix("<script>").removesuffix("</script>") for script in _snapshot_scripts(saved)
        ]
        # The chat, the grid (with its zoom) and the realtime transcript (the typed turn's answer) carry one each.
        assert len(ours) == 3 and "axio-nb-media-full" in ours[1], ours
        assert "axio-nb-media-full" not in ours[0] + ours[2], ours
        extra = list(full.scripts)
        for script in template.scripts:
            assert script in extra, f"the template's script is missing: {script[:200]}"
            extra.remove(script)
        assert extra == ours, [s[:200] for s in extra if s not in ours]
        assert sorted(full.handlers) == sorted(template.handlers), full.handlers
        assert full.js_urls == template.js_urls == []
        assert "&lt;img src=x onerror" in html and "&lt;script&gt;alert(2)&lt;/script&gt;" in html

    def test_the_page_shows_the_outputs_and_runs_nothing(
        self, exported: tuple[Path, str, str], browser: Browser
    ) -> None:
        html_path = exported[0]
        ctx = new_context(browser)
        try:
            page = ctx.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            # The template's CDN scripts (RequireJS, MathJax) cannot load here: refuse them at once.
            page.route(re.compile(r"^https?://"), lambda route: route.abort())
            page.goto(html_path.as_uri())
            roots = page.locator(SNAPSHOT)
            assert roots.count() == 3
            chat, grid = roots.nth(0).evaluate(FEATURES), roots.nth(1).evaluate(FEATURES)
            assert "Here is what the tools said" in chat["text"] and "<b onerror=1>" in chat["text"], chat["text"][
                :300
            ]
            assert 'onerror="window.__pwned=1"' in chat["thinking"], chat["thinking"][:300]
            assert chat["tools"] and "<script>alert(2)</script>" in chat["tools"][0], chat
            assert chat["footer"] and "demo-1" in chat["footer"], chat
            assert grid["images"] == [512, 512]
            page.wait_for_timeout(300)
            assert page.evaluate("() => window.__pwned") is None and dialogs == []
        finally:
            ctx.close()
