import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { container, win } from "./helpers/dom.js";
import { TranscriptStore } from "../src/lib/store.js";
import { createStreamView, waitingSeconds } from "../src/lib/view.js";

/** Track the window's timers and frames so a test can see that cleanup leaves none behind. */
function trackTimers() {
  const live = new Set();
  const saved = {};
  for (const [set, clear] of [["setInterval", "clearInterval"], ["requestAnimationFrame", "cancelAnimationFrame"]]) {
    saved[set] = win[set];
    saved[clear] = win[clear];
    win[set] = (/** @type {any[]} */ ...args) => {
      const id = saved[set].apply(win, args);
      live.add(`${set}:${id}`);
      return id;
    };
    win[clear] = (/** @type {number} */ id) => {
      live.delete(`${set}:${id}`);
      return saved[clear].call(win, id);
    };
  }
  const restore = () => Object.assign(win, saved);
  return { live, restore };
}

function mount(meta, blocks = []) {
  const store = new TranscriptStore();
  store.receive({ type: "state", seq: 1, blocks, meta });
  const el = container();
  /** @type {object[]} */
  const sent = [];
  const view = createStreamView({ el, store, send: (m) => sent.push(m) });
  view.flush();
  return { store, el, view, sent };
}

describe("chrome around the blocks", () => {
  it("counts waiting seconds from started_at until the first block, then hides", () => {
    const timers = trackTimers();
    try {
      const { store, el, view } = mount({ status: "waiting", started_at: Date.now() - 5200 });
      const waiting = /** @type {HTMLElement} */ (el.querySelector(".axio-nb-waiting"));
      assert.equal(waiting.hidden, false);
      assert.equal(waiting.textContent, "waiting… 5s");
      assert.ok([...timers.live].some((t) => t.startsWith("setInterval")), "a ticker runs while waiting");
      store.receive({ type: "ops", seq: 2, ops: [{ op: "meta", value: { status: "streaming" } }, { op: "open", block: { id: 0, kind: "text", text: "x" } }] });
      view.flush();
      assert.equal(waiting.hidden, true);
      assert.ok(![...timers.live].some((t) => t.startsWith("setInterval")), "the ticker stops with the first block");
      view.destroy();
      assert.equal(timers.live.size, 0, `left behind: ${[...timers.live]}`);
    } finally {
      timers.restore();
    }
  });

  it("cleanup stops the ticker and the pending frame", () => {
    const timers = trackTimers();
    try {
      const { store, view } = mount({ status: "waiting" });
      store.receive({ type: "ops", seq: 2, ops: [{ op: "meta", value: { ttft_ms: 1 } }] });
      assert.ok(timers.live.size >= 2, "a frame is pending and the ticker runs");
      view.destroy();
      assert.equal(timers.live.size, 0, `left behind: ${[...timers.live]}`);
    } finally {
      timers.restore();
    }
  });

  it("waitingSeconds falls back to the view's start when the kernel clock is absent or far off", () => {
    assert.equal(waitingSeconds(10_000, 15_500, 0), 5);
    assert.equal(waitingSeconds(undefined, 15_500, 14_000), 1);
    assert.equal(waitingSeconds(Date.now() + 5000, Date.now(), Date.now()), 0);
  });

  it("Stop is a labelled button while streaming, sends stop once clicked, and goes away when done", () => {
    const { store, el, view, sent } = mount({ status: "streaming" }, [{ id: 0, kind: "text", text: "abc" }]);
    const stop = /** @type {HTMLButtonElement} */ (el.querySelector("button.axio-nb-stop"));
    assert.equal(stop.hidden, false);
    assert.equal(stop.getAttribute("aria-label"), "Stop generating");
    stop.click();
    assert.deepEqual(sent, [{ type: "stop" }]);
    assert.equal(stop.disabled, true);
    store.receive({ type: "ops", seq: 2, ops: [{ op: "meta", value: { status: "interrupted" } }] });
    view.flush();
    assert.equal(stop.hidden, true);
    view.destroy();
  });

  it("copies the whole answer and single code blocks", async () => {
    /** @type {string[]} */
    const copied = [];
    Object.defineProperty(win.navigator, "clipboard", {
      value: { writeText: async (/** @type {string} */ t) => void copied.push(t) },
      configurable: true,
    });
    const { el, view } = mount({ status: "done" }, [
      { id: 0, kind: "text", text: "First part.\n\n```python\nprint(1)\n```\n" },
      { id: 1, kind: "tool", name: "t", fields: {}, output: {}, result: "r", status: "ok" },
      { id: 2, kind: "text", text: "Second part." },
    ]);
    const copyAll = /** @type {HTMLButtonElement} */ (el.querySelector("button.axio-nb-copy-answer"));
    assert.equal(copyAll.hidden, false);
    assert.ok(copyAll.getAttribute("aria-label"));
    copyAll.click();
    /** @type {HTMLButtonElement} */ (el.querySelector("button.axio-nb-copy-code")).click();
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(copied, ["First part.\n\n```python\nprint(1)\n```\n\n\nSecond part.", "print(1)\n"]);
    assert.equal(copyAll.textContent, "Copied");
    view.destroy();
  });

  it("footer shows the run; a cut answer shows one warning: its notice block", () => {
    const { el, view } = mount(
      { status: "done", model: "m-1", iterations: 1, usage: { input: 10, output: 20 }, cost: null, stop_reason: "repetition", incomplete: true },
      [
        { id: 0, kind: "text", text: "a a a" },
        { id: 1, kind: "notice", level: "warning", text: "Cut short: axio detected repetitive output and cut the turn." },
      ],
    );
    const footer = /** @type {HTMLElement} */ (el.querySelector(".axio-nb-footer"));
    assert.equal(footer.hidden, false);
    assert.match(footer.textContent ?? "", /m-1.*10 in \/ 20 out tokens.*stop: repetition/);
    assert.ok(footer.classList.contains("axio-nb-incomplete"));
    const warnings = [...el.querySelectorAll("[role=alert], [role=status]")].filter((n) => /cut short/i.test(n.textContent ?? ""));
    assert.equal(warnings.length, 1);
    assert.equal(el.querySelector(".axio-nb-cut"), null);
    view.destroy();
  });

  it("every button has an accessible name", () => {
    const { el, view } = mount({ status: "streaming" }, [
      { id: 0, kind: "text", text: "```js\nx\n```\n" },
      { id: 1, kind: "tool", name: "t", fields: {}, output: {}, result: Array(30).fill("x").join("\n"), status: "ok" },
    ]);
    const buttons = [...el.querySelectorAll("button")];
    assert.ok(buttons.length >= 4);
    for (const b of buttons) assert.ok(b.getAttribute("aria-label"), b.outerHTML);
    assert.equal(el.querySelector(".axio-nb-stream")?.getAttribute("aria-label"), "Agent output");
    view.destroy();
  });
});
