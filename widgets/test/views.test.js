import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { container, doc, fakeModel, rng } from "./helpers/dom.js";
import { DOCUMENT } from "./helpers/document.js";
import widget, { renderMarkdown } from "../src/stream.js";

/** Let requestAnimationFrame callbacks run (jsdom's pretendToBeVisual frames are ~16 ms). */
const nextFrame = () => new Promise((resolve) => setTimeout(resolve, 40));

function normalize(html) {
  const div = doc.createElement("div");
  div.innerHTML = html;
  return div.innerHTML;
}

/** The block elements of a view, for comparing views. */
const blocksHtml = (el) => el.querySelector(".axio-nb-blocks")?.innerHTML;

describe("anywidget entry", () => {
  it("initialize builds one store and says hello once; renders share it and ask nothing", async () => {
    const model = fakeModel();
    widget.initialize({ model: model.proxy() });
    assert.deepEqual(model.sent, [{ type: "hello", seq: 0 }], "asked when the model was made");
    const el1 = container();
    const cleanup1 = widget.render({ model: model.proxy(), el: el1 });
    model.emit({ type: "ops", seq: 1, ops: [{ op: "meta", value: { status: "streaming" } }, { op: "open", block: { id: 0, kind: "text", text: "Hi", citations: [] } }] });
    const el2 = container();
    const cleanup2 = widget.render({ model: model.proxy(), el: el2 });
    assert.deepEqual(model.sent, [{ type: "hello", seq: 0 }], "a render before the answer must not ask again");
    await nextFrame();
    assert.equal(el2.querySelector('.axio-nb-text[data-block-id="0"]')?.textContent?.trim(), "Hi");
    cleanup1();
    cleanup2();
  });

  it("two views of one model show the same stream, message for message", async () => {
    const model = fakeModel();
    widget.initialize({ model: model.proxy() });
    const el1 = container();
    const el2 = container();
    const cleanups = [widget.render({ model: model.proxy(), el: el1 }), widget.render({ model: model.proxy(), el: el2 })];
    const random = rng(7);
    let seq = 0;
    model.emit({
      type: "ops",
      seq: ++seq,
      ops: [
        { op: "meta", value: { status: "streaming", started_at: Date.now() } },
        { op: "open", block: { id: 0, kind: "reasoning", text: "", redacted: false, done: false } },
        { op: "append", id: 0, path: ["text"], text: "Let me think about **this**." },
      ],
    });
    model.emit({
      type: "ops",
      seq: ++seq,
      ops: [
        { op: "set", id: 0, path: ["done"], value: true },
        { op: "open", block: { id: 1, kind: "tool", tool_use_id: "t1", name: "search", args: "", fields: {}, output: {}, result: "", status: "running" } },
        { op: "append", id: 1, path: ["fields", "query"], text: "axio" },
        { op: "open", block: { id: 2, kind: "text", text: "", citations: [] } },
      ],
    });
    for (let i = 0; i < DOCUMENT.length; ) {
      const n = 1 + Math.floor(random() * 300);
      model.emit({ type: "ops", seq: ++seq, ops: [{ op: "append", id: 2, path: ["text"], text: DOCUMENT.slice(i, i + n) }] });
      i += n;
      if (random() < 0.3) await nextFrame();
    }
    await nextFrame();
    assert.equal(blocksHtml(el1), blocksHtml(el2));
    model.emit({ type: "ops", seq: ++seq, ops: [{ op: "set", id: 1, path: ["status"], value: "ok" }, { op: "meta", value: { status: "done", stop_reason: "end_turn" } }] });
    await nextFrame();
    assert.equal(blocksHtml(el1), blocksHtml(el2));
    for (const el of [el1, el2]) {
      // The finished text is exactly the one-shot render, tail-only streaming notwithstanding.
      const md = el.querySelector('.axio-nb-text[data-block-id="2"] .axio-nb-md');
      assert.equal(md?.innerHTML, normalize(renderMarkdown(DOCUMENT)));
      assert.equal(el.querySelector(".axio-nb-tool")?.getAttribute("data-status"), "ok");
      assert.equal(/** @type {HTMLDetailsElement} */ (el.querySelector("details.axio-nb-thinking")).open, false);
      // Every ops message was recorded as applied to this view's DOM, in order.
      const perf = /** @type {any} */ (el).__axioNbPerf;
      assert.deepEqual(perf.applied.map((/** @type {any} */ a) => a.seq), Array.from({ length: seq }, (_, i) => i + 1));
      assert.ok(perf.frames.length >= 1 && perf.frames.every((/** @type {number} */ ms) => ms >= 0));
      assert.ok(perf.applied.every((/** @type {any} */ a) => a.t > 1e12), "epoch-based timestamps");
    }
    for (const c of cleanups) c();
  });

  it("a gap sends one resync and the replayed state catches every view up", async () => {
    const model = fakeModel();
    widget.initialize({ model: model.proxy() });
    const el = container();
    const cleanup = widget.render({ model: model.proxy(), el });
    model.emit({ type: "ops", seq: 1, ops: [{ op: "open", block: { id: 0, kind: "text", text: "a", citations: [] } }] });
    model.emit({ type: "ops", seq: 3, ops: [{ op: "append", id: 0, path: ["text"], text: "c" }] });
    model.emit({ type: "ops", seq: 4, ops: [{ op: "append", id: 0, path: ["text"], text: "d" }] });
    assert.deepEqual(model.sent.filter((m) => /** @type {any} */ (m).type === "resync"), [{ type: "resync", seq: 1 }]);
    model.emit({ type: "state", seq: 4, blocks: [{ id: 0, kind: "text", text: "abcd", citations: [] }], meta: { status: "done" } });
    await nextFrame();
    assert.equal(el.querySelector(".axio-nb-md")?.textContent?.trim(), "abcd");
    cleanup();
  });

  it("without initialize (no shared store) a view keeps its own and still catches up", async () => {
    const model = fakeModel();
    const proxy = model.proxy();
    proxy.get = () => undefined;
    const el = container();
    const cleanup = widget.render({ model: proxy, el });
    assert.deepEqual(model.sent, [{ type: "hello", seq: 0 }]);
    model.emit({ type: "state", seq: 9, blocks: [{ id: 0, kind: "user", text: "hello there" }], meta: {} });
    await nextFrame();
    assert.equal(el.querySelector(".axio-nb-user")?.textContent, "hello there");
    cleanup();
  });
});
