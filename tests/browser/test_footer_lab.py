"""The live footer and the snapshot's footer say the same thing in the same words, in a real JupyterLab.

Each turn's result is shown twice: `r.view()` (the live widget, its whole state replayed) and `r` (the
static snapshot every finished turn leaves). Both footers are read item by item and photographed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from .conftest import OpenNotebook
from .harness import CELL_TIMEOUT_MS, LIVE, SNAPSHOT

pytestmark = [pytest.mark.browser, pytest.mark.timeout(150)]

#: Where the footer screenshots go.
SHOTS = Path(os.environ.get("AXIO_NB_SHOTS", "/tmp/axio_nb_shots"))

ITEMS = """(footer) => [...footer.querySelectorAll(".axio-nb-footer-item")].map((e) => [
  [...e.classList].find((c) => c.startsWith("axio-nb-footer-") && c !== "axio-nb-footer-item").slice(15),
  e.textContent,
])"""

#: Leaf elements that say the answer was cut: there must be exactly one per output.
CUT_WARNINGS = """(root) => [...root.querySelectorAll("*")]
  .filter((e) => e.children.length === 0 && /cut short/i.test(e.textContent)).length"""

SETUP = "\n".join(
    [
        "%load_ext axio_nb",
        "%axio use demo pace=0",
        "async def get_weather(city: str) -> str:",
        "    return f'Sunny in {city}'",
    ]
)


def _footer(scope: Any, selector: str) -> Any:
    footer = scope.locator(selector).locator(".axio-nb-footer")
    footer.wait_for(state="visible", timeout=CELL_TIMEOUT_MS)
    return footer


class TestFooterWords:
    def test_live_and_snapshot_footers_match(self, open_notebook: OpenNotebook) -> None:
        """Same keys, same words, same order; a cut answer shows one warning, live and in the snapshot."""
        nb = open_notebook(
            "footer_words.ipynb",
            [
                SETUP,
                "%%axio chat --out r --tools get_weather\nWhat is the weather in Paris? Use the tool.",
                "r.view()",
                "r",
                "%%axio chat --out c --max-tokens 60\nExplain transports.",
                "c.view()",
                "c",
            ],
            live_probe=False,
        )
        for i in range(7):
            nb.run_cell(i)
            nb.wait_executed(i)
        SHOTS.mkdir(parents=True, exist_ok=True)
        for live_cell, snap_cell, name in ((2, 3, "tools"), (5, 6, "cut")):
            live = _footer(nb.outputs(live_cell), LIVE)
            snap = _footer(nb.outputs(snap_cell), SNAPSHOT)
            live_items, snap_items = live.evaluate(ITEMS), snap.evaluate(ITEMS)
            assert live_items, name
            assert live_items == snap_items, name
            keys = [k for k, _ in live_items]
            assert keys[0] == "model" and "tokens" in keys and keys[-1] == "stop", keys
            live.screenshot(path=str(SHOTS / f"footer-{name}-live.png"))
            snap.screenshot(path=str(SHOTS / f"footer-{name}-snapshot.png"))
        assert ["iterations", "2 iterations"] in _footer(nb.outputs(2), LIVE).evaluate(ITEMS)
        for cell, selector in ((5, LIVE), (6, SNAPSHOT)):
            root = nb.outputs(cell).locator(selector)
            assert root.evaluate(CUT_WARNINGS) == 1, f"cell {cell}"
            assert root.locator(".axio-nb-footer.axio-nb-incomplete").count() == 1
        for cell, selector in ((2, LIVE), (3, SNAPSHOT)):
            assert nb.outputs(cell).locator(selector).evaluate(CUT_WARNINGS) == 0
