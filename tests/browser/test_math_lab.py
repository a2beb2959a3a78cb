"""Math in a real JupyterLab with Chromium: KaTeX live (fetched only for math), MathJax after reload, inert payloads.

The demo transport answers a prompt containing "math" with TeX in every form (`$…$`, `$$…$$` holding
a blank line, `\\(…\\)`, `\\[…\\]`), `_` and `*` inside it, and a price ("$5 and $10") that must stay text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from .conftest import OpenNotebook
from .harness import CELL_TIMEOUT_MS, LIVE, SNAPSHOT, NotebookPage

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

LIVE_SCREENSHOT = "/tmp/axio_nb_math_live.png"
SETUP = "%load_ext axio_nb\n%axio use demo pace=400"
PLAIN_CELL = "%%axio chat\nWhat is a transport?"
MATH_CELL = "%%axio chat\nmath please"
#: Echoed by the demo inside its answer (the first words of the prompt), so it reaches both renderers.
MATH_PAYLOAD = (
    r"$\href{javascript:window.__pwned=3}{x}$ $<img src=x onerror=window.__pwned=4>$ "
    r"\(\url{javascript:window.__pwned=5}\)"
)
PAYLOAD_CELL = "%%axio chat\n{payload} math"
#: Math in the demo's math answer: three inline in dollars, one in \(…\), two displayed.
MATH_COUNT = 6

#: The bundles this page loaded through the shared loader, by name (`globalThis.__axioNbBundles`).
BUNDLES_JS = """() => {
    const cache = globalThis.__axioNbBundles || {};
    const out = {};
    for (const [key, entry] of Object.entries(cache)) {
        const name = key.slice(0, key.lastIndexOf("-"));
        out[name] = (out[name] || 0) + entry.requests;
    }
    return out;
}"""

#: The most `.katex` elements any live view of a cell showed (the snapshot swap removes the live view).
KATEX_PROBE_JS = r"""
(() => {
  if (window.__axioKatex) return;
  window.__axioKatex = {};
  const record = () => {
    const cells = [...document.querySelectorAll(".jp-Notebook .jp-Cell")];
    for (const root of document.querySelectorAll(".axio-nb-stream:not(.axio-nb-snapshot)")) {
      const key = String(cells.indexOf(root.closest(".jp-Cell")));
      const n = root.querySelectorAll(".axio-nb-text .katex").length;
      const seen = (window.__axioKatex[key] ||= { katex: 0, placeholders: 0 });
      seen.katex = Math.max(seen.katex, n);
      seen.placeholders = Math.max(seen.placeholders, root.querySelectorAll(".axio-nb-math").length);
    }
  };
  const start = () => new MutationObserver(record).observe(document.body, { childList: true, subtree: true });
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
"""


def _typeset(nb: NotebookPage, cell: int, minimum: int) -> dict[str, Any]:
    """Wait until MathJax typeset at least `minimum` formulas in the cell's snapshot; what it shows."""
    nb.outputs(cell).locator(SNAPSHOT).wait_for(state="attached", timeout=CELL_TIMEOUT_MS)
    nb.page.wait_for_function(
        """([i, min]) => {
            const cell = document.querySelectorAll(".jp-Notebook .jp-Cell")[i];
            return cell && cell.querySelectorAll(".axio-nb-snapshot mjx-container").length >= min;
        }""",
        arg=[cell, minimum],
        timeout=CELL_TIMEOUT_MS,
    )
    return dict(
        nb.outputs(cell)
        .locator(SNAPSHOT)
        .evaluate(
            """(root) => ({
                mjx: root.querySelectorAll("mjx-container").length,
                display: root.querySelectorAll('mjx-container[display="true"]').length,
                errors: root.querySelectorAll("mjx-merror, .katex-error").length,
                em: [...root.querySelectorAll(".axio-nb-text em")].map((e) => e.textContent),
                untypeset: [...root.querySelectorAll(".axio-nb-math")]
                    .filter((e) => !e.querySelector("mjx-container")).length,
                text: root.querySelector(".axio-nb-text").innerText,
            })"""
        )
    )


def _no_mathjax(nb: NotebookPage, cell: int) -> int:
    return int(nb.outputs(cell).locator(f"{SNAPSHOT} mjx-container").count())


def _assert_inert(nb: NotebookPage) -> None:
    assert nb.page.evaluate("() => window.__pwned") is None
    assert nb.page.locator("img[src=x]").count() == 0
    assert nb.page.locator('a[href^="javascript" i]').count() == 0
    assert nb.page.locator('[href*="__pwned"], [src*="__pwned"]').count() == 0


@dataclass
class MathRun:
    nb: NotebookPage
    bundles_before_math: dict[str, int]
    bundles_after: dict[str, int]
    live: dict[str, Any]
    live_state: str
    snapshot: dict[str, Any]
    plain_mathjax: int


@pytest.fixture(scope="module")
def math_run(module_notebook: OpenNotebook) -> MathRun:
    """A turn without math, then one with math, then one echoing math payloads, run one after another."""
    nb = module_notebook(
        "math", [SETUP, PLAIN_CELL, MATH_CELL, f"payload = {MATH_PAYLOAD!r}", PAYLOAD_CELL, "print('done')"]
    )
    nb.page.add_init_script(KATEX_PROBE_JS)
    nb.reload()
    nb.run_cells([0, 1])
    nb.wait_executed(1)
    nb.outputs(1).locator(SNAPSHOT).wait_for(state="attached", timeout=CELL_TIMEOUT_MS)
    before = dict(nb.page.evaluate(BUNDLES_JS))
    nb.run_cell(2)
    live_state = nb.wait_live(2, f"{LIVE} .axio-nb-text .katex")
    if live_state == "live":  # a picture of KaTeX mid-stream, for a human to look at
        nb.cell(2).scroll_into_view_if_needed()
        nb.page.screenshot(path=LIVE_SCREENSHOT)
    nb.wait_executed(2)
    snapshot = _typeset(nb, 2, MATH_COUNT)
    nb.run_cells([3, 4, 5])
    nb.wait_executed(5)
    nb.page.wait_for_timeout(300)  # an onerror would fire after the image fails to load
    return MathRun(
        nb,
        before,
        dict(nb.page.evaluate(BUNDLES_JS)),
        dict(nb.page.evaluate("() => window.__axioKatex || {}")),
        live_state,
        snapshot,
        _no_mathjax(nb, 1),
    )


class TestLiveMath:
    """KaTeX typesets math while the answer streams, and is fetched only once an answer holds math.

    Invariants: the turn without math loads the `stream` bundle only; the math turn shows `.katex`
    elements in its live view; the `katex` bundle is asked for exactly once for the page.
    """

    def test_katex_only_for_an_answer_with_math(self, math_run: MathRun) -> None:
        assert math_run.bundles_before_math.get("stream") == 1, math_run.bundles_before_math
        assert "katex" not in math_run.bundles_before_math, math_run.bundles_before_math
        assert math_run.bundles_after == {"stream": 1, "katex": 1}, math_run.bundles_after

    def test_math_typesets_live(self, math_run: MathRun) -> None:
        assert math_run.live_state == "live", f"no .katex in the live view; {math_run.nb.describe_output(2)}"
        assert math_run.live.get("2", {}).get("katex", 0) >= MATH_COUNT, math_run.live

    def test_cells_finish_cleanly(self, math_run: MathRun) -> None:
        nb = math_run.nb
        for cell in (1, 2, 4):
            out = nb.output_text(cell)
            assert "Traceback" not in out and "Error displaying widget" not in out, out
        assert "done" in nb.output_text(5)


class TestSnapshotMath:
    """JupyterLab's MathJax typesets the snapshot's math, and only its math, before and after reload.

    Invariants: every formula becomes an `mjx-container` (two displayed), none is an error, `_`/`*` in
    TeX made no emphasis, the price "$5 and $10" stays text, and the answer without math has no MathJax.
    """

    def test_mathjax_typesets_the_snapshot(self, math_run: MathRun) -> None:
        got = math_run.snapshot
        assert got["mjx"] == MATH_COUNT and got["display"] == 2 and got["untypeset"] == 0, got
        assert got["errors"] == 0, got
        assert got["em"] == ["math please", "this"], got["em"]
        assert "Prices such as $5 and $10 stay text" in got["text"], got["text"]
        assert math_run.plain_mathjax == 0

    def test_after_save_and_reload_without_kernel(self, math_run: MathRun) -> None:
        nb = math_run.nb
        nb.save()
        nb.shutdown_kernel()
        assert nb.server.kernels() == []
        nb.reload()
        got = _typeset(nb, 2, MATH_COUNT)
        assert got["mjx"] == MATH_COUNT and got["display"] == 2 and got["errors"] == 0, got
        assert "Prices such as $5 and $10 stay text" in got["text"], got["text"]
        assert nb.page.get_by_text("Error displaying widget").count() == 0
        assert _no_mathjax(nb, 1) == 0
        _typeset(nb, 4, 3)
        _assert_inert(nb)


class TestMathPayloadsAreInert:
    """`\\href{javascript:…}`, `\\url{javascript:…}` and HTML inside math never run, live or in the snapshot.

    Invariants: `window.__pwned` stays undefined, no `img[src=x]`, no `javascript:` link anywhere.
    """

    def test_payloads_inert_live_and_in_snapshot(self, math_run: MathRun) -> None:
        nb = math_run.nb
        assert math_run.live.get("4", {}).get("katex", 0) >= 3, math_run.live
        _assert_inert(nb)
        snap = _typeset(nb, 4, 3)
        assert "<img src=x" in snap["text"] or "img src=x" in nb.output_text(4), snap["text"][:300]


class TestNotebook7Math:
    """Notebook 7 (`/notebooks/…`) shares JupyterLab's renderers: KaTeX live, MathJax on the snapshot."""

    def test_math_cell(self, open_notebook: OpenNotebook) -> None:
        nb = open_notebook("math-nb7", [SETUP, MATH_CELL], ui="notebook")
        nb.run_cells([0, 1])
        live = nb.wait_live(1, f"{LIVE} .axio-nb-text .katex")
        assert live == "live", f"no .katex in the live view; {nb.describe_output(1)}"
        nb.wait_executed(1)
        got = _typeset(nb, 1, MATH_COUNT)
        assert got["mjx"] == MATH_COUNT and got["errors"] == 0, got
        assert "Prices such as $5 and $10 stay text" in got["text"], got["text"]
        out = nb.output_text(1)
        assert "Traceback" not in out and "Error displaying widget" not in out, out
