import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { container, doc, rng } from "./helpers/dom.js";
import { DOCUMENT } from "./helpers/document.js";
import { renderMarkdown } from "../src/lib/markdown.js";
import { StreamingMarkdown } from "../src/lib/markdown-stream.js";
import { TranscriptStore } from "../src/lib/store.js";
import { TextWindow } from "../src/lib/text-window.js";
import { createStreamView } from "../src/lib/view.js";

function normalize(html) {
  const div = doc.createElement("div");
  div.innerHTML = html;
  return div.innerHTML;
}

describe("streaming reads only the new text", () => {
  it("a text window answers in offsets of the whole text, and forgets what it dropped", () => {
    const w = new TextWindow();
    w.append("hello\nworld\n");
    w.drop(6);
    w.append("again\n");
    assert.equal(w.length, 18);
    assert.equal(w.indexOf("\n", 6), 11);
    assert.equal(w.indexOf("\n", 12), 17);
    assert.equal(w.slice(6, 11), "world");
    assert.equal(w.slice(12), "again\n");
    assert.throws(() => w.slice(2), RangeError);
  });

  it("the store's append log gives what came after any length it still knows", () => {
    const store = new TranscriptStore();
    store.receive({ type: "ops", seq: 1, ops: [{ op: "open", block: { id: 0, kind: "text", text: "", citations: [] } }] });
    const pieces = ["Hel", "lo, ", "wor", "ld"];
    pieces.forEach((text, i) => store.receive({ type: "ops", seq: i + 2, ops: [{ op: "append", id: 0, path: ["text"], text }] }));
    assert.equal(store.textSince(0, 0), "Hello, world");
    assert.equal(store.textSince(0, 4), "o, world");
    assert.equal(store.textSince(0, 12), "");
    assert.equal(store.textSince(0, 13), null, "a length the text never had");
    assert.equal(store.textSince(1, 0), null, "no such block");
    store.receive({ type: "state", seq: 9, blocks: [{ id: 0, kind: "text", text: "Hello, world!", citations: [] }], meta: {} });
    assert.equal(store.textSince(0, 12), null, "after a state: read the whole text");
    for (let i = 0; i < 2000; i++) store.receive({ type: "ops", seq: 10 + i, ops: [{ op: "append", id: 0, path: ["text"], text: "x" }] });
    assert.equal(store.textSince(0, 13), null, "old pieces are forgotten");
    assert.equal(store.textSince(0, 2013 - 10), "x".repeat(10));
  });

  it("a view streams a text block from the append log, not the whole text, and ends in the one-shot DOM", () => {
    const calls = { update: 0, extend: 0 };
    const { update, extend } = StreamingMarkdown.prototype;
    StreamingMarkdown.prototype.update = function (...args) {
      calls.update++;
      return update.apply(this, args);
    };
    StreamingMarkdown.prototype.extend = function (...args) {
      calls.extend++;
      return extend.apply(this, args);
    };
    try {
      const store = new TranscriptStore();
      const el = container();
      const view = createStreamView({ el, store, send: () => {} });
      store.receive({
        type: "ops",
        seq: 1,
        ops: [{ op: "meta", value: { status: "streaming" } }, { op: "open", block: { id: 0, kind: "text", text: "", citations: [] } }],
      });
      const random = rng(41);
      let seq = 1;
      for (let i = 0; i < DOCUMENT.length; ) {
        const ops = [];
        for (let k = 0; k < 3 && i < DOCUMENT.length; k++) {
          const n = 1 + Math.floor(random() * 60);
          ops.push({ op: "append", id: 0, path: ["text"], text: DOCUMENT.slice(i, i + n) });
          i += n;
        }
        store.receive({ type: "ops", seq: ++seq, ops });
        view.flush();
      }
      assert.equal(calls.update, 0, "the whole text was never handed over while streaming");
      assert.ok(calls.extend > 100, `${calls.extend} frames`);
      store.receive({ type: "ops", seq: ++seq, ops: [{ op: "meta", value: { status: "done" } }] });
      view.flush();
      assert.equal(el.querySelector(".axio-nb-md")?.innerHTML, normalize(renderMarkdown(DOCUMENT)));
      view.destroy();
    } finally {
      Object.assign(StreamingMarkdown.prototype, { update, extend });
    }
  });
});
