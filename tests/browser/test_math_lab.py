"""Math in a real JupyterLab with Chromium: KaTeX live and at the swap, MathJax after reload, inert payloads.

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


#: What marks a typeset formula, by who typeset it: the page's KaTeX (the snapshot right after a live
#: turn) or JupyterLab's MathJax (after a reload, where the page has no KaTeX).
ENGINES = {"katex": ".katex", "mathjax": "mjx-container"}
DISPLAYED = {"katex": ".katex-display", "mathjax": 'mjx-container[display="true"]'}


def _typeset(nb: NotebookPage, cell: int, minimum: int, engine: str) -> dict[str, Any]:
    """Wait until `engine` typeset at least `minimum` formulas in the cell's snapshot; what it shows."""
    nb.outputs(cell).locator(SNAPSHOT).wait_for(state="attached", timeout=CELL_TIMEOUT_MS)
    nb.page.wait_for_function(
        """([i, sel, min]) => {
            const cell = document.querySelectorAll(".jp-Notebook .jp-Cell")[i];
            return cell && cell.querySelectorAll(`.axio-nb-snapshot .axio-nb-math ${sel}`).length >= min;
        }""",
        arg=[cell, ENGINES[engine], minimum],
        timeout=CELL_TIMEOUT_MS,
    )
    nb.page.wait_for_timeout(200)  # MathJax's pass, if it were to come after KaTeX's
    return dict(
        nb.outputs(cell)
        .locator(SNAPSHOT)
        .evaluate(
            """(root, [sel, displayed]) => ({
                typeset: [...root.querySelectorAll(".axio-nb-math")].filter((e) => e.querySelector(sel)).length,
                display: root.querySelectorAll(`.axio-nb-math ${displayed}`).length,
                mjx: root.querySelectorAll("mjx-container").length,
                katex: root.querySelectorAll(".katex").length,
                errors: root.querySelectorAll("mjx-merror, .katex-error").length,
                em: [...root.querySelectorAll(".axio-nb-text em")].map((e) => e.textContent),
                untypeset: [...root.querySelectorAll(".axio-nb-math")].filter((e) => !e.querySelector(sel)).length,
                text: root.querySelector(".axio-nb-text").innerText,
            })""",
            [ENGINES[engine], DISPLAYED[engine]],
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
    payload_snapshot: dict[str, Any]
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
    snapshot = _typeset(nb, 2, MATH_COUNT, "katex")
    nb.run_cells([3, 4, 5])
    nb.wait_executed(5)
    nb.page.wait_for_timeout(300)  # an onerror would fire after the image fails to load
    payload_snapshot = _typeset(nb, 4, 3, "katex")
    return MathRun(
        nb,
        before,
        dict(nb.page.evaluate(BUNDLES_JS)),
        dict(nb.page.evaluate("() => window.__axioKatex || {}")),
        live_state,
        snapshot,
        payload_snapshot,
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
    """The snapshot's math is typeset right after the turn by the page's KaTeX, and after reload by MathJax.

    When the turn ends the snapshot replaces the live view; the page already holds KaTeX and every formula
    typeset, so the snapshot's script typesets from that and JupyterLab's MathJax has nothing left to do
    (it would otherwise typeset them all in one long task). After a reload the page has no KaTeX and
    JupyterLab's MathJax typesets the saved snapshot.

    Invariants: every formula is typeset by exactly one engine (two displayed), none is an error, `_`/`*`
    in TeX made no emphasis, the price "$5 and $10" stays text, and the answer without math has no math.
    """

    def test_katex_typesets_the_snapshot_after_a_live_turn(self, math_run: MathRun) -> None:
        got = math_run.snapshot
        assert got["typeset"] == MATH_COUNT and got["display"] == 2 and got["untypeset"] == 0, got
        assert got["mjx"] == 0 and got["errors"] == 0, got
        assert got["em"] == ["math please", "this"], got["em"]
        assert "Prices such as $5 and $10 stay text" in got["text"], got["text"]
        assert math_run.plain_mathjax == 0

    def test_mathjax_after_save_and_reload_without_kernel(self, math_run: MathRun) -> None:
        nb = math_run.nb
        nb.save()
        nb.shutdown_kernel()
        assert nb.server.kernels() == []
        nb.reload()
        got = _typeset(nb, 2, MATH_COUNT, "mathjax")
        assert got["typeset"] == MATH_COUNT and got["display"] == 2 and got["errors"] == 0, got
        assert got["katex"] == 0 and got["untypeset"] == 0, got
        assert "Prices such as $5 and $10 stay text" in got["text"], got["text"]
        assert nb.page.get_by_text("Error displaying widget").count() == 0
        assert _no_mathjax(nb, 1) == 0
        _typeset(nb, 4, 3, "mathjax")
        _assert_inert(nb)


class TestMathPayloadsAreInert:
    """`\\href{javascript:…}`, `\\url{javascript:…}` and HTML inside math never run, live or in the snapshot.

    Invariants: `window.__pwned` stays undefined, no `img[src=x]`, no `javascript:` link anywhere.
    """

    def test_payloads_inert_live_and_in_snapshot(self, math_run: MathRun) -> None:
        nb = math_run.nb
        assert math_run.live.get("4", {}).get("katex", 0) >= 3, math_run.live
        _assert_inert(nb)
        snap = math_run.payload_snapshot
        assert "<img src=x" in snap["text"] or "img src=x" in nb.output_text(4), snap["text"][:300]


class TestNotebook7Math:
    """Notebook 7 (`/notebooks/…`) shares JupyterLab's renderers: KaTeX live and on the snapshot after it."""

    def test_math_cell(self, open_notebook: OpenNotebook) -> None:
        nb = open_notebook("math-nb7", [SETUP, MATH_CELL], ui="notebook")
        nb.run_cells([0, 1])
        live = nb.wait_live(1, f"{LIVE} .axio-nb-text .katex")
        assert live == "live", f"no .katex in the live view; {nb.describe_output(1)}"
        nb.wait_executed(1)
        got = _typeset(nb, 1, MATH_COUNT, "katex")
        assert got["typeset"] == MATH_COUNT and got["mjx"] == 0 and got["errors"] == 0, got
        assert "Prices such as $5 and $10 stay text" in got["text"], got["text"]
        out = nb.output_text(1)
        assert "Traceback" not in out and "Error displaying widget" not in out, out
