"""The live view under load in a real JupyterLab: many `hello`s mid-stream, and following the stream's end.

`hello` makes the kernel build and send the whole state while the stream goes on appending; handled at
the wrong moment (another thread, between `apply` and `push`), a view showed some characters twice.
Auto-scroll must move the element that actually scrolls (the notebook's panel), follow while the
reader is at the bottom, stop when they scroll up and resume when they come back.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from .conftest import OpenNotebook
from .harness import LIVE, NotebookPage

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

BUNDLE = Path(__file__).resolve().parents[2] / "axio_nb" / "static" / "stream.js"

#: Keep the live view's text blocks when its turn ends (the snapshot replaces it right after).
FINAL_PROBE = r"""
(() => {
  window.__axioFinal = null;
  const watch = () => {
    const root = document.querySelector(".axio-nb-stream:not(.axio-nb-snapshot)");
    if (!root || root.__axioWatched) return;
    root.__axioWatched = true;
    new MutationObserver(() => {
      if (!window.__axioFinal && ["done", "error", "interrupted"].includes(root.dataset.status)) {
        window.__axioFinal = [...root.querySelectorAll(".axio-nb-block.axio-nb-text .axio-nb-md")];
      }
    }).observe(root, { attributes: true, attributeFilter: ["data-status"] });
  };
  const start = () => new MutationObserver(watch).observe(document.body, { childList: true, subtree: true });
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
"""

#: Send `hello` (seq 0: "I have nothing") n times through the widget's model, as a view's render does.
HELLOS = r"""
async ([cellIndex, n, gapMs]) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cell = panel.content.widgets[cellIndex];
  const output = cell.model.outputs.get(0);
  const id = output && output.data["application/vnd.jupyter.widget-view+json"]?.model_id;
  if (!id) return { error: "no widget output" };
  // The widget renderer of @jupyter-widgets/jupyterlab-manager holds its manager as a promise.
  const find = (w) => {
    if (w && w._manager && w._manager.promise) return w;
    for (const c of (w && w.widgets) || []) {
      const hit = find(c);
      if (hit) return hit;
    }
    return null;
  };
  const renderer = find(cell.outputArea);
  if (!renderer) return { error: "no widget renderer" };
  const manager = await renderer._manager.promise;
  const model = await manager.get_model(id);
  let sent = 0;
  for (let i = 0; i < n; i++) {
    model.send({ type: "hello", seq: 0 });
    sent++;
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  return { sent, status: document.querySelector(".axio-nb-stream:not(.axio-nb-snapshot)")?.dataset.status };
}
"""

#: The live view's final text blocks as a one-shot `renderMarkdown` leaves them: KaTeX-typeset formulas
#: back to their placeholders (the TeX is KaTeX's annotation).
UNTYPESET = r"""
() => (window.__axioFinal || []).map((root) => {
  const copy = root.cloneNode(true);
  for (const el of copy.querySelectorAll(".axio-nb-math-typeset")) {
    el.textContent = el.querySelector('annotation[encoding="application/x-tex"]')?.textContent ?? "";
    el.classList.remove("axio-nb-math-typeset");
  }
  return copy.innerHTML;
})
"""

#: Render markdown once with the bundle's own export (imported from a Blob URL, as anywidget does).
ONE_SHOT = r"""
async ([src, text]) => {
  const url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
  const mod = await import(url);
  URL.revokeObjectURL(url);
  // As the DOM holds it: parsed and serialised again.
  const div = document.createElement("div");
  div.innerHTML = mod.renderMarkdown(text);
  return div.innerHTML;
}
"""

#: The element that scrolls `root` (the nearest ancestor styled to scroll whose content overflows it), or
#: null when the document scrolls; `_with_scroller` puts it at the top of a page function's body.
SCROLLER = r"""
  const scrollerOf = (root) => {
    for (let n = root.parentElement; n && n !== document.scrollingElement; n = n.parentElement) {
      if (/(auto|scroll|overlay)/.test(getComputedStyle(n).overflowY) && n.scrollHeight > n.clientHeight + 1) {
        return n;
      }
    }
    return null;
  };"""


def _with_scroller(fn: str) -> str:
    """An arrow function's source with `scrollerOf` defined first in its body."""
    head, body = fn.split("{", 1)
    return head + "{" + SCROLLER + body


#: The live view's end against the bottom of the element that scrolls it.
SCROLL_STATE = _with_scroller(
    r"""
() => {
  const root = document.querySelector(".axio-nb-stream:not(.axio-nb-snapshot)");
  if (!root) return null;
  const box = scrollerOf(root);
  const scroller = box || document.scrollingElement;
  const limit = box ? box.getBoundingClientRect().bottom : innerHeight;
  const end = root.querySelector(".axio-nb-sentinel") || root;
  return {
    scroller: box ? box.className : "document",
    scrollTop: scroller.scrollTop,
    endBelowBottom: end.getBoundingClientRect().bottom - limit,
    chars: root.querySelector(".axio-nb-text")?.textContent.length ?? 0,
    status: root.dataset.status,
  };
}
"""
)


def _wait_chars(nb: NotebookPage, cell: int, chars: int) -> None:
    try:
        state = nb.wait_live(cell, f"{LIVE} .axio-nb-text", min_chars=chars)
    except Exception as exc:
        prompts = nb.page.evaluate(
            "() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].map((c) =>"
            " c.querySelector('.jp-InputArea-prompt')?.textContent)"
        )
        raise AssertionError(f"no live text: prompts {prompts}; {nb.describe_output(cell)}") from exc
    assert state == "live", f"the live view never showed {chars} characters; {nb.describe_output(cell)}"


class TestHelloStorm:
    """50 `hello`s sent through the widget's model mid-stream: each makes the kernel replay the whole
    state into the running stream. The live view still ends showing exactly the transcript's text: its
    final DOM equals a one-shot render of `R.text`."""

    def test_text_survives_hellos(self, open_notebook: OpenNotebook, page: Page) -> None:
        page.add_init_script(FINAL_PROBE)  # the same page open_notebook opens the notebook in
        nb = open_notebook(
            "hellos",
            [
                "%load_ext axio_nb\n%axio use demo pace=4000",
                "%%axio chat --out R\nlong 40k seed 3",
                "import json, os\n"
                "open('hellos_text.tmp', 'w').write(json.dumps(R.text))\n"
                "os.replace('hellos_text.tmp', 'hellos_text.json')",
            ],
        )
        nb.run_all()
        _wait_chars(nb, 1, 2000)
        sent = nb.page.evaluate(HELLOS, [1, 50, 40])
        assert sent.get("sent") == 50, sent
        assert sent.get("status") == "streaming", f"the hellos must land mid-stream: {sent}"
        nb.wait_all_executed()
        dump = nb.server.root_dir / "hellos_text.json"
        deadline = time.monotonic() + 20
        while not dump.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        text = json.loads(dump.read_text())
        assert len(text) > 39_000
        shown = nb.page.evaluate(UNTYPESET)
        assert len(shown) == 1, f"{len(shown)} text blocks"
        expected = nb.page.evaluate(ONE_SHOT, [BUNDLE.read_text(), text])
        assert shown[0] == expected, _first_diff(shown[0], expected)


def _first_diff(a: str, b: str) -> str:
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"lengths {len(a)} vs {len(b)}; first difference at {i}: {a[i - 80 : i + 80]!r} vs {b[i - 80 : i + 80]!r}"


def _scroll_state(nb: NotebookPage) -> dict[str, Any]:
    state = nb.page.evaluate(SCROLL_STATE)
    assert state, "no live view"
    return dict(state)


def _wait_grown(nb: NotebookPage, chars: int, more: int, timeout_s: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        state = _scroll_state(nb)
        if state["chars"] >= chars + more:
            return state
        assert state["status"] == "streaming", f"the stream ended before growing {more} characters: {state}"
        assert time.monotonic() < deadline, state
        nb.page.wait_for_timeout(100)


@pytest.mark.parametrize("ui", ["lab", "notebook"])
class TestAutoScroll:
    """The notebook follows the stream while the reader is at the bottom, stays where the reader
    scrolled up to while the answer grows, and follows again once they scroll back to the bottom."""

    def test_follow_stop_resume(self, open_notebook: OpenNotebook, ui: str) -> None:
        nb = open_notebook(
            f"follow_{ui}", ["%load_ext axio_nb\n%axio use demo pace=3000", "%%axio chat\nlong 120k seed 5"], ui=ui
        )
        nb.run_cells([0, 1])
        _wait_chars(nb, 1, 1000)
        # Follows: well past the first screen, the end of the output is at the bottom of the scroller.
        state = _wait_grown(nb, 0, 12_000)
        assert state["scrollTop"] > 500, f"the notebook did not scroll: {state}"
        assert state["endBelowBottom"] < 60, f"the end is out of sight: {state}"
        # The reader scrolls up: the notebook stays where they put it while the answer grows.
        box = nb.page.locator(".jp-Notebook .jp-Cell").nth(1)
        box.hover()
        nb.page.mouse.wheel(0, -1500)
        nb.page.wait_for_timeout(300)
        up = _scroll_state(nb)
        assert up["endBelowBottom"] > 500, f"scrolling up did not move away from the end: {up}"
        later = _wait_grown(nb, up["chars"], 4000)
        assert abs(later["scrollTop"] - up["scrollTop"]) < 5, f"scrolled while the reader was reading: {up} → {later}"
        # Back to the bottom: following resumes.
        nb.page.mouse.wheel(0, 100_000)
        nb.page.wait_for_timeout(300)
        back = _scroll_state(nb)
        resumed = _wait_grown(nb, back["chars"], 4000)
        assert resumed["scrollTop"] > back["scrollTop"] + 50, f"did not follow again: {back} → {resumed}"
        assert resumed["endBelowBottom"] < 60, f"the end is out of sight again: {resumed}"
        nb.wait_executed(1, timeout_ms=90_000)


class TestTableOfContents:
    """JupyterLab's table of contents lists the notebook's own headings, not those of an answer's snapshot
    (they carry `jp-toc-ignore`): a 200 KB answer would otherwise draw a tree of the model's headings."""

    def test_answer_headings_stay_out(self, open_notebook: OpenNotebook) -> None:
        nb = open_notebook(
            "toc",
            [
                ("markdown", "# Notebook title"),
                "%load_ext axio_nb\n%axio use demo pace=4000",
                "%%axio chat\nWhat is a transport?",
            ],
        )
        nb.run_all()
        nb.wait_executed(2)
        assert nb.outputs(2).locator(".axio-nb-snapshot h2").count() == 1, nb.describe_output(2)
        nb.page.evaluate("() => window.jupyterapp.commands.execute('toc:show-panel')")
        items = nb.page.locator(".jp-tocItem-content")
        items.first.wait_for(state="visible")
        nb.page.wait_for_timeout(1000)  # the table of contents updates after the output changed
        texts = [t.strip() for t in items.all_text_contents()]
        assert any("Notebook title" in t for t in texts), texts
        assert not any("A transport, in short" in t for t in texts), texts


#: The block at the reader's eye line (a third of the way down the visible area, as widgets/src/lib/place.js
#: notes it), which of its kind it is, and how far below the scroller's top it is.
READ_PLACE = _with_scroller(
    r"""
(root) => {
  const box = scrollerOf(root);
  const top = box ? box.getBoundingClientRect().top : 0;
  const eye = top + (box ? box.clientHeight : innerHeight) / 3;
  const rect = root.getBoundingClientRect();
  // The block at the eye line, or the first one below it: the line may fall in the margin between two.
  let block = null;
  for (let y = eye; !block && y < eye + 160; y += 8) {
    const hit = document.elementFromPoint(rect.left + 40, y);
    block = hit && root.contains(hit) ? hit.closest("p, li, h1, h2, h3, h4, h5, h6, pre, tr, blockquote") : null;
  }
  if (!block) return null;
  const text = block.textContent.replace(/\s+/g, " ").trim().slice(0, 60);
  const same = [...root.querySelectorAll(block.tagName)].filter(
    (e) => e.textContent.replace(/\s+/g, " ").trim().startsWith(text));
  return { tag: block.tagName, text, nth: same.indexOf(block), offset: block.getBoundingClientRect().top - top };
}
"""
)

#: The snapshot's end against the bottom of the element that scrolls it.
SNAPSHOT_END = _with_scroller(
    r"""
(root) => {
  const box = scrollerOf(root);
  const limit = box ? box.getBoundingClientRect().bottom : innerHeight;
  const visible = box ? box.clientHeight : innerHeight;
  return { endBelowBottom: root.getBoundingClientRect().bottom - limit, visible };
}
"""
)

#: Where that block is now, in the snapshot.
FIND_PLACE = _with_scroller(
    r"""
([root, place]) => {
  const box = scrollerOf(root);
  const top = box ? box.getBoundingClientRect().top : 0;
  const same = [...root.querySelectorAll(place.tag)].filter(
    (e) => e.textContent.replace(/\s+/g, " ").trim().startsWith(place.text));
  const block = same[place.nth];
  return block ? { offset: block.getBoundingClientRect().top - top, scrollTop: box?.scrollTop } : null;
}
"""
)


class TestSwapKeepsPlace:
    """When the turn ends and the static snapshot replaces the live view, the reader stays where they
    were: scrolled up into the answer, the paragraph they were reading does not move; following the
    end, the end stays in view."""

    def test_reading_above(self, open_notebook: OpenNotebook) -> None:
        nb = open_notebook("place", ["%load_ext axio_nb\n%axio use demo pace=3000", "%%axio chat\nlong 60k seed 5"])
        nb.run_cells([0, 1])
        _wait_chars(nb, 1, 1000)
        _wait_grown(nb, 0, 30_000)
        nb.page.locator(".jp-Notebook .jp-Cell").nth(1).hover()
        nb.page.mouse.wheel(0, -2500)
        nb.page.wait_for_timeout(500)
        live = nb.page.locator(LIVE)
        before = live.evaluate(READ_PLACE)
        assert before, "no block at the reader's eye line"
        nb.wait_executed(1, timeout_ms=90_000)
        snapshot = nb.outputs(1).locator(".axio-nb-snapshot")
        snapshot.wait_for()
        nb.page.wait_for_timeout(500)
        after = snapshot.evaluate("(root, place) => (" + FIND_PLACE + ")([root, place])", before)
        assert after, f"the block {before} is not in the snapshot"
        assert abs(after["offset"] - before["offset"]) < 4, f"the reader's block moved: {before} → {after}"

    def test_following_the_end(self, open_notebook: OpenNotebook) -> None:
        nb = open_notebook(
            "place_end", ["%load_ext axio_nb\n%axio use demo pace=4000", "%%axio chat\nlong 60k seed 9"]
        )
        nb.run_cells([0, 1])
        _wait_chars(nb, 1, 1000)
        followed = _wait_grown(nb, 0, 30_000)
        assert followed["endBelowBottom"] < 60, f"not following: {followed}"
        nb.wait_executed(1, timeout_ms=90_000)
        snapshot = nb.outputs(1).locator(".axio-nb-snapshot")
        snapshot.wait_for()
        nb.page.wait_for_timeout(500)
        end = snapshot.evaluate(SNAPSHOT_END)
        assert -end["visible"] < end["endBelowBottom"] < 30, f"the end of the answer left the view: {end}"
