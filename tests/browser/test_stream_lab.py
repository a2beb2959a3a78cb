"""`%%axio chat` in a real JupyterLab (and Notebook 7) with Chromium: live render, saved output, safety, Stop.

Selectors are the classes PROTOCOL.md promises: the root `axio-nb-stream` (live) or
`axio-nb-stream axio-nb-snapshot` (the static output a finished turn leaves), blocks
`axio-nb-block axio-nb-<kind>`, the footer `axio-nb-footer`, `axio-nb-waiting` and `axio-nb-stop`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from .conftest import OpenNotebook
from .harness import CELL_TIMEOUT_MS, LIVE, SNAPSHOT, NotebookPage

pytestmark = [pytest.mark.browser, pytest.mark.timeout(150)]

SCREENSHOT = "/tmp/axio_nb_lab.png"
LIVE_SCREENSHOT = "/tmp/axio_nb_lab_live.png"

SETUP = "%load_ext axio_nb\n%axio use demo pace=400"
TOOL_DEF = "\n".join(
    [
        "async def get_weather(city: str) -> str:",
        '    """The weather in a city."""',
        '    return f"Sunny in {city}, 21 °C"',
    ]
)
TOOL_CELL = "%%axio chat --tools get_weather\nWhat is the weather in Paris? Use the tool."
DEFAULT_CELL = "%%axio chat\nWhat is a transport?"
STOP_REASONS = ("end_turn", "tool_use", "max_tokens", "cancelled")

ERROR_MIME = '[data-mime-type="application/vnd.jupyter.stderr"]'


def _features(scope: Any) -> dict[str, Any]:
    """What a rendered output shows, read from its DOM."""
    return dict(
        scope.evaluate(
            """(root) => ({
                h2: [...root.querySelectorAll(".axio-nb-text h2")].map((e) => e.textContent),
                li: root.querySelectorAll(".axio-nb-text li").length,
                codeSpans: root.querySelectorAll("pre code span").length,
                thinking: [...root.querySelectorAll(".axio-nb-reasoning details summary")].map((e) => e.textContent),
                tools: [...root.querySelectorAll(".axio-nb-block.axio-nb-tool")].map((e) => e.textContent),
                footer: root.querySelector(".axio-nb-footer")?.textContent ?? null,
                notices: [...root.querySelectorAll(".axio-nb-block.axio-nb-notice")].map((e) => e.textContent),
                text: [...root.querySelectorAll(".axio-nb-block.axio-nb-text")].map((e) => e.textContent).join("\\n"),
            })"""
        )
    )


def _snapshot(nb: NotebookPage, cell: int) -> Any:
    loc = nb.outputs(cell).locator(SNAPSHOT)
    loc.wait_for(state="attached", timeout=CELL_TIMEOUT_MS)
    assert loc.count() == 1, f"cell {cell}: {loc.count()} snapshots"
    return loc


def _no_error_output(nb: NotebookPage, cell: int) -> None:
    out = nb.output_text(cell)
    assert nb.outputs(cell).locator(ERROR_MIME).count() == 0, f"cell {cell} printed to stderr / raised:\n{out}"
    assert "Traceback" not in out and "Error displaying widget" not in out, out


@dataclass
class WeatherRun:
    nb: NotebookPage
    live: dict[str, dict[str, Any]]
    tool: dict[str, Any]
    default: dict[str, Any]
    live_error: str


@pytest.fixture(scope="module")
def weather_run(module_notebook: OpenNotebook) -> WeatherRun:
    """Setup, a tool definition, a tool-calling turn and a default turn, run with "Run All" at pace 400."""
    nb = module_notebook("weather", [SETUP, TOOL_DEF, TOOL_CELL, DEFAULT_CELL, "print('after the turns')"])
    nb.run_all()
    # A picture of the live view mid-stream, for a human to look at; the assertions use the live probe.
    if nb.wait_live(3, f"{LIVE} .axio-nb-text li") == "live":
        nb.page.screenshot(path=LIVE_SCREENSHOT)
    nb.wait_all_executed()
    nb.cell(3).scroll_into_view_if_needed()
    nb.page.screenshot(path=SCREENSHOT)
    live = nb.live_seen()
    # What a live view that never rendered left behind is gone after the swap; keep the console at least.
    live_error = "" if live else nb.describe_output(2)
    return WeatherRun(nb, live, _features(_snapshot(nb, 2)), _features(_snapshot(nb, 3)), live_error)


class TestLiveTurnInLab:
    """A `%%axio chat` cell shows a live widget while it streams and a complete static answer when it ends.

    Invariants: the live view appears during the turn (waiting indicator or blocks, a Stop button) and
    renders markdown, reasoning and tool calls as they arrive; the finished cell holds exactly one
    snapshot with the heading, list, highlighted code, the folded "Thinking" block, the tool card
    (name, argument, result) and the footer (model and stop reason); no cell errors.
    """

    def test_live_widget_while_streaming(self, weather_run: WeatherRun) -> None:
        tool, default = weather_run.live.get("2", {}), weather_run.live.get("3", {})
        for name, seen in (("tool cell", tool), ("default cell", default)):
            assert seen.get("root"), (
                f"{name}: the live view never rendered a .axio-nb-stream: {weather_run.live_error}"
            )
            assert seen.get("waiting") or seen.get("blocks"), f"{name}: neither waiting nor blocks: {seen}"
            assert seen.get("stopVisible"), f"{name}: no Stop button while live: {seen}"
            assert "streaming" in seen["statuses"], seen
        assert default.get("h2") and default.get("li") and default.get("thinking"), default
        assert default.get("codeSpans"), f"live code block not highlighted: {default}"
        assert tool.get("tool") and tool["toolName"] == "get_weather", tool
        assert "city" in tool["toolArgs"] and "Paris" in tool["toolArgs"], tool

    def test_default_answer_renders(self, weather_run: WeatherRun) -> None:
        got = weather_run.default
        assert got["h2"] == ["A transport, in short"], got
        assert got["li"] >= 3, got
        assert got["codeSpans"] >= 3, "the python fence has no highlight token spans"
        assert got["thinking"] and "Thinking" in got["thinking"][0], got
        assert "What is a transport" in got["text"], got["text"]

    def test_code_block_is_highlighted(self, weather_run: WeatherRun) -> None:
        code = weather_run.nb.outputs(3).locator(f"{SNAPSHOT} pre code").first
        assert "from axio import Agent" in code.inner_text()
        classes = code.evaluate("(c) => [...c.querySelectorAll('span')].map((s) => s.className)")
        assert any(c for c in classes), f"token spans carry no classes: {classes}"

    def test_snapshot_code_blocks_have_copy_buttons(self, weather_run: WeatherRun) -> None:
        """The static snapshot keeps a Copy button on each code block (a fixed script, trusted output)."""
        button = weather_run.nb.outputs(3).locator(f"{SNAPSHOT} pre button.axio-nb-copy").first
        assert button.get_attribute("aria-label") == "Copy code"
        assert button.inner_text() == "Copy"

    def test_tool_card(self, weather_run: WeatherRun) -> None:
        tools = weather_run.tool["tools"]
        assert len(tools) == 1, tools
        card = tools[0]
        assert "get_weather" in card and "city" in card and "Paris" in card, card
        assert "Sunny in Paris, 21 °C" in card, card
        assert "get_weather" in weather_run.tool["text"] and "Sunny in Paris" in weather_run.tool["text"]

    def test_footer(self, weather_run: WeatherRun) -> None:
        for got in (weather_run.tool, weather_run.default):
            footer = got["footer"]
            assert footer and "demo-1" in footer, got
            assert any(r in footer for r in STOP_REASONS), footer

    def test_cells_finish_cleanly(self, weather_run: WeatherRun) -> None:
        nb = weather_run.nb
        for cell in range(5):
            _no_error_output(nb, cell)
        assert nb.outputs(2).locator(LIVE).count() == 0, "the live widget outlived its turn"
        assert "after the turns" in nb.output_text(4)


class TestSavedOutputSurvivesReload:
    """The saved notebook shows the final answer with no kernel: the snapshot replaced the widget.

    Invariant: save (Ctrl+S), shut the kernel down through the REST API, reload the page: the heading
    and the tool card are still there and JupyterLab shows no "Error displaying widget".
    """

    def test_save_shutdown_reload(self, weather_run: WeatherRun) -> None:
        nb = weather_run.nb
        nb.save()
        saved = nb.server.read_notebook(nb.filename)
        for cell in (2, 3):
            bundles = [o.get("data", {}) for o in saved.cells[cell].outputs]
            assert any("axio-nb-snapshot" in d.get("text/html", "") for d in bundles), bundles
            assert not any("application/vnd.jupyter.widget-view+json" in d for d in bundles), bundles
        nb.shutdown_kernel()
        assert nb.server.kernels() == [], "a kernel survived DELETE /api/kernels/{id}"
        nb.reload()
        assert nb.page.get_by_text("Error displaying widget").count() == 0
        assert "Error displaying widget" not in nb.page.locator(".jp-Notebook").inner_text()
        tool, default = _features(_snapshot(nb, 2)), _features(_snapshot(nb, 3))
        assert default["h2"] == ["A transport, in short"], default
        assert default["codeSpans"] >= 3 and default["thinking"], default
        assert tool["tools"] and "get_weather" in tool["tools"][0] and "Sunny in Paris" in tool["tools"][0], tool
        assert tool["footer"] and "demo-1" in tool["footer"], tool


PAYLOAD = (
    '<img src=x onerror="window.__pwned=1"> [x](javascript:window.__pwned=2) '
    r"$\href{javascript:window.__pwned=6}{y}$"
)


class TestUntrustedOutputIsInert:
    """Model text that carries HTML or a `javascript:` link never runs, live or in the snapshot.

    The demo echoes the first words of the prompt, so the payload comes first; its last word is math
    (KaTeX live, MathJax in the snapshot), more of which tests/browser/test_math_lab.py tries. Invariants:
    `window.__pwned` stays undefined, no `img[src=x]` and no `javascript:` link exist anywhere, and
    the payload is visible as literal text.
    """

    def test_payload_is_inert(self, open_notebook: OpenNotebook) -> None:
        nb = open_notebook(
            "security",
            [
                "%load_ext axio_nb\n%axio use demo pace=2000",
                f"payload = {PAYLOAD!r}",
                "%%axio chat\n{payload} what is a transport?",
            ],
        )
        nb.run_all()
        live = nb.wait_live(2, f"{LIVE} .axio-nb-text")
        nb.wait_all_executed()
        nb.page.wait_for_timeout(300)  # an onerror would fire after the image fails to load
        assert live == "live", f"the live view never showed the echoed text; {nb.describe_output(2)}"
        assert nb.page.evaluate("() => window.__pwned") is None
        assert nb.page.locator("img[src=x]").count() == 0
        assert nb.page.locator('a[href^="javascript" i]').count() == 0
        text = _features(_snapshot(nb, 2))["text"]
        assert "<img src=x" in text, f"payload not echoed as text: {text[:300]}"
        math = nb.outputs(2).locator(f"{SNAPSHOT} .axio-nb-text .axio-nb-math")
        assert math.count() == 1, "the \\href payload was not taken for math"
        _no_error_output(nb, 2)


class TestStopButton:
    """Stop ends a long turn cleanly: no error, an "Interrupted" notice, the partial text kept, and the
    kernel free for the next cell."""

    def test_stop_keeps_partial_answer(self, open_notebook: OpenNotebook) -> None:
        nb = open_notebook(
            "stop",
            ["%load_ext axio_nb\n%axio use demo pace=2000", "%%axio chat\nlong 20000", "print('next cell ran')"],
        )
        nb.run_all()
        state = nb.wait_live(1, f"{LIVE} .axio-nb-block.axio-nb-text", min_chars=20)
        assert state == "live", f"no live text to stop; {nb.describe_output(1)}"
        stop = nb.outputs(1).locator(f"{LIVE} .axio-nb-stop")
        assert stop.is_visible()
        stop.click()
        nb.wait_executed(1, timeout_ms=20_000)
        got = _features(_snapshot(nb, 1))
        assert any("Interrupted" in n for n in got["notices"]), got["notices"]
        assert 20 < len(got["text"]) < 15_000, f"partial text of {len(got['text'])} chars"
        assert got["footer"] and "cancelled" in got["footer"], got["footer"]
        _no_error_output(nb, 1)
        nb.wait_executed(2)
        assert "next cell ran" in nb.output_text(2)


class TestNotebook7:
    """The same default turn renders in Notebook 7 (`/notebooks/…`): heading and footer."""

    def test_default_cell(self, open_notebook: OpenNotebook) -> None:
        nb = open_notebook("nb7", [SETUP, DEFAULT_CELL], ui="notebook")
        assert re.search(r"/notebooks/nb7\.ipynb", nb.page.url)
        nb.run_cells([0, 1])
        live = nb.wait_live(1, f"{LIVE} .axio-nb-text h2")
        assert live == "live", f"the live view never showed the heading; {nb.describe_output(1)}"
        nb.wait_executed(1)
        got = _features(_snapshot(nb, 1))
        assert got["h2"] == ["A transport, in short"], got
        assert got["footer"] and "demo-1" in got["footer"], got
        _no_error_output(nb, 1)
