"""The README's tour, photographed from a real JupyterLab in its light and dark themes.

`make screenshots` runs this module with AXIO_NB_SHOTS=docs/screenshots; in the ordinary suite the pictures go
to a temporary folder. Each picture is a whole cell, input and output, taken once what it shows is on the page:
a chat answer while it streams, a tool card, an image grid, the speech player, the realtime controls.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import OpenNotebook
from .harness import CELL_TIMEOUT_MS, LIVE, SNAPSHOT, NotebookPage

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

SHOTS = Path(os.environ.get("AXIO_NB_SHOTS", "/tmp/axio_nb_shots"))
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}

CELLS = [
    "\n".join(
        [
            "%load_ext axio_nb",
            "%axio use demo pace=300 media_delay=0.5",
            "async def get_weather(city: str) -> str:",
            '    """The weather in a city."""',
            '    return f"Sunny in {city}, 21 °C"',
        ]
    ),
    "%%axio chat\nWhat is a transport?",
    "%%axio chat --tools get_weather\nWhat is the weather in Paris? Use the tool.",
    "%%axio image -n 4 --size 320x240\na watercolor cat reading a paper",
    "%%axio tts\nWelcome to today's lesson on agents.",
    "%axio realtime --out call",
]

DECODED_WIDTHS = "(els) => Promise.all(els.map((i) => i.decode().then(() => i.naturalWidth)))"


def _set_theme(nb: NotebookPage, theme: str) -> None:
    nb.page.evaluate(
        "(theme) => window.jupyterapp.commands.execute('apputils:change-theme', { theme })", THEMES[theme]
    )
    light = "true" if theme == "light" else "false"
    nb.page.wait_for_function(
        "(light) => document.body.dataset.jpThemeLight === light", arg=light, timeout=CELL_TIMEOUT_MS
    )


def _shot(nb: NotebookPage, cell: int, name: str, theme: str) -> Path:
    path = SHOTS / f"{name}-{theme}.png"
    target = nb.cell(cell)
    target.scroll_into_view_if_needed()
    nb.page.wait_for_timeout(200)  # let the scroll and the last frame paint
    target.screenshot(path=str(path), animations="disabled")
    return path


@pytest.mark.parametrize("theme", list(THEMES))
def test_tour(open_notebook: OpenNotebook, theme: str) -> None:
    """Every stop of the tour renders in both themes, and each picture is written."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    nb = open_notebook(f"tour-{theme}", CELLS, live_probe=False)
    _set_theme(nb, theme)
    shots = []
    nb.run_cells([0, 1])
    assert nb.wait_live(1, f"{LIVE} .axio-nb-text pre code", min_chars=20) == "live", nb.describe_output(1)
    shots.append(_shot(nb, 1, "chat-streaming", theme))
    nb.wait_executed(1)
    nb.run_cell(2)
    nb.outputs(2).locator(f"{SNAPSHOT} .axio-nb-tool").wait_for(timeout=CELL_TIMEOUT_MS)
    nb.wait_executed(2)
    shots.append(_shot(nb, 2, "tool-card", theme))
    nb.run_cell(3)
    nb.wait_executed(3)
    images = nb.outputs(3).locator(f"{SNAPSHOT} img")
    assert images.evaluate_all(DECODED_WIDTHS) == [320] * 4
    shots.append(_shot(nb, 3, "media-grid", theme))
    nb.run_cell(4)
    nb.wait_executed(4)
    nb.outputs(4).locator(f"{SNAPSHOT} audio").wait_for(timeout=CELL_TIMEOUT_MS)
    shots.append(_shot(nb, 4, "tts-player", theme))
    nb.run_cell(5)
    nb.wait_executed(5)
    out = nb.outputs(5)
    out.locator('.axio-nb-voice[data-state="listening"]').wait_for(timeout=CELL_TIMEOUT_MS)
    # A typed turn, answered in voice and caption: the controls and the transcript, as a class sees them.
    box = out.get_by_role("textbox", name="Message to send", exact=True)
    box.fill("What is a realtime session?")
    box.press("Enter")
    out.get_by_text("You typed: What is a realtime session?", exact=False).wait_for(timeout=CELL_TIMEOUT_MS)
    shots.append(_shot(nb, 5, "realtime", theme))
    for path in shots:
        assert path.stat().st_size > 2_000, path
