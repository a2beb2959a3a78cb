import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { container } from "./helpers/dom.js";
import { COLLAPSE_LINES, foldText } from "../src/lib/collapse.js";
import { TranscriptStore } from "../src/lib/store.js";
import { toolArgLines } from "../src/lib/tool.js";
import { createStreamView } from "../src/lib/view.js";

const tool = (extra = {}) => ({
  id: 1, kind: "tool", tool_use_id: "t", name: "get_weather", args: "", fields: {}, output: {}, result: "", status: "running", ...extra,
});

function mount(blocks, meta = { status: "streaming" }) {
  const store = new TranscriptStore();
  store.receive({ type: "state", seq: 1, blocks, meta });
  const el = container();
  const view = createStreamView({ el, store, send: () => {} });
  view.flush();
  return { store, el, view };
}

describe("tool card", () => {
  it("shows arguments as key: value lines from fields, live", () => {
    const { store, el, view } = mount([tool({ fields: { city: "Par" } })]);
    const lines = () => [...el.querySelectorAll(".axio-nb-tool-arg")].map((l) => l.textContent);
    assert.deepEqual(lines(), ["city: Par"]);
    store.receive({ type: "ops", seq: 2, ops: [
      { op: "append", id: 1, path: ["fields", "city"], text: "is" },
      { op: "append", id: 1, path: ["fields", "unit"], text: "celsius" },
    ] });
    view.flush();
    assert.deepEqual(lines(), ["city: Paris", "unit: celsius"]);
    assert.equal(el.querySelector(".axio-nb-tool-name")?.textContent, "get_weather");
    assert.equal(el.querySelector(".axio-nb-tool-icon")?.getAttribute("aria-label"), "running");
    view.destroy();
  });

  it("falls back to the raw args while fields are empty", () => {
    assert.equal(toolArgLines(tool({ args: '{"ci' })), '{"ci');
    assert.deepEqual(toolArgLines(tool({ args: '{"n": 3}', fields: { n: 3 } })), [{ key: "n", value: "3" }]);
    const { el, view } = mount([tool({ args: '{"city": "Pa' })]);
    assert.equal(el.querySelector(".axio-nb-tool-raw")?.textContent, '{"city": "Pa');
    view.destroy();
  });

  it("streams output per stream, stderr styled apart", () => {
    const { store, el, view } = mount([tool({ output: { stdout: "line 1\n" } })]);
    store.receive({ type: "ops", seq: 2, ops: [
      { op: "append", id: 1, path: ["output", "stderr"], text: "warning!\n" },
      { op: "append", id: 1, path: ["output", "stdout"], text: "line 2\n" },
    ] });
    view.flush();
    assert.equal(el.querySelector(".axio-nb-stdout pre")?.textContent, "line 1\nline 2\n");
    assert.equal(el.querySelector(".axio-nb-stderr pre")?.textContent, "warning!\n");
    view.destroy();
  });

  it("collapses a long result behind a keyboard-reachable toggle", () => {
    const result = Array.from({ length: 50 }, (_, i) => `row ${i}`).join("\n");
    const { el, view } = mount([tool({ result, status: "ok" })], { status: "done" });
    const pre = el.querySelector(".axio-nb-tool-result pre");
    const toggle = /** @type {HTMLButtonElement} */ (el.querySelector(".axio-nb-tool-result .axio-nb-toggle"));
    assert.equal(pre?.textContent?.split("\n").length, COLLAPSE_LINES);
    assert.equal(toggle.hidden, false);
    assert.equal(toggle.tagName, "BUTTON");
    assert.equal(toggle.getAttribute("aria-expanded"), "false");
    assert.match(toggle.getAttribute("aria-label") ?? "", /Show all 50 lines/);
    toggle.click();
    assert.equal(pre?.textContent, result);
    assert.equal(toggle.getAttribute("aria-expanded"), "true");
    assert.equal(el.querySelector(".axio-nb-tool-icon")?.getAttribute("aria-label"), "succeeded");
    view.destroy();
  });

  it("shows short results whole and marks errors", () => {
    const { el, view } = mount([tool({ result: "boom", status: "error" })], { status: "done" });
    assert.equal(el.querySelector(".axio-nb-tool-result pre")?.textContent, "boom");
    assert.equal(/** @type {HTMLElement} */ (el.querySelector(".axio-nb-tool-result .axio-nb-toggle")).hidden, true);
    assert.ok(el.querySelector(".axio-nb-tool-result")?.classList.contains("axio-nb-tool-error"));
    assert.equal(el.querySelector(".axio-nb-tool")?.getAttribute("data-status"), "error");
    view.destroy();
  });

  it("foldText keeps the head of a result and the tail of live output", () => {
    const text = Array.from({ length: 30 }, (_, i) => `l${i}`).join("\n") + "\n";
    assert.deepEqual(foldText(text, 20, "head"), { shown: Array.from({ length: 20 }, (_, i) => `l${i}`).join("\n"), hidden: 10, total: 30 });
    assert.equal(foldText(text, 20, "tail").shown.split("\n")[0], "l10");
    assert.equal(foldText("a\nb", 20, "head").hidden, 0);
  });
});
