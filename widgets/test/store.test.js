import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TranscriptStore } from "../src/lib/store.js";

function storeWithLog() {
  /** @type {object[]} */
  const sent = [];
  /** @type {any[]} */
  const changes = [];
  const store = new TranscriptStore({ send: (m) => sent.push(m) });
  store.subscribe((c) => changes.push(c));
  return { store, sent, changes };
}

const open = (id, kind = "text", extra = {}) => ({ op: "open", block: { id, kind, text: "", ...extra } });
const append = (id, text, path = ["text"]) => ({ op: "append", id, path, text });

describe("TranscriptStore ops", () => {
  it("applies ops messages in seq order", () => {
    const { store, changes } = storeWithLog();
    assert.equal(store.receive({ type: "ops", seq: 1, ops: [open(0), append(0, "Hel")] }), "applied");
    assert.equal(store.receive({ type: "ops", seq: 2, ops: [append(0, "lo")] }), "applied");
    assert.equal(store.byId.get(0)?.text, "Hello");
    assert.equal(store.seq, 2);
    assert.deepEqual([...changes[1].ids], [0]);
  });

  it("ignores an ops message it already applied", () => {
    const { store, sent } = storeWithLog();
    store.receive({ type: "ops", seq: 1, ops: [open(0), append(0, "a")] });
    assert.equal(store.receive({ type: "ops", seq: 1, ops: [append(0, "a")] }), "stale");
    assert.equal(store.byId.get(0)?.text, "a");
    assert.deepEqual(sent, []);
  });

  it("on a gap sends resync once, skips ops until a state arrives, then continues", () => {
    const { store, sent } = storeWithLog();
    store.receive({ type: "ops", seq: 1, ops: [open(0), append(0, "a")] });
    assert.equal(store.receive({ type: "ops", seq: 3, ops: [append(0, "c")] }), "gap");
    assert.equal(store.receive({ type: "ops", seq: 4, ops: [append(0, "d")] }), "gap");
    assert.deepEqual(sent, [{ type: "resync", seq: 1 }]);
    assert.equal(store.byId.get(0)?.text, "a");
    const state = { type: "state", seq: 4, blocks: [{ id: 0, kind: "text", text: "abcd", citations: [] }], meta: {} };
    assert.equal(store.receive(state), "applied");
    assert.equal(store.byId.get(0)?.text, "abcd");
    assert.equal(store.receive({ type: "ops", seq: 5, ops: [append(0, "e")] }), "applied");
    assert.equal(store.byId.get(0)?.text, "abcde");
    // A later gap asks again.
    store.receive({ type: "ops", seq: 9, ops: [] });
    assert.deepEqual(sent.at(-1), { type: "resync", seq: 5 });
  });

  it("a state replaces blocks and meta; an older state is ignored", () => {
    const { store, changes } = storeWithLog();
    store.receive({ type: "ops", seq: 1, ops: [open(0), open(1, "tool", { name: "x" }), { op: "meta", value: { status: "streaming" } }] });
    store.receive({ type: "state", seq: 2, blocks: [{ id: 5, kind: "text", text: "only" }], meta: { status: "done" } });
    assert.deepEqual(store.blocks.map((b) => b.id), [5]);
    assert.deepEqual(store.meta, { status: "done" });
    assert.equal(changes.at(-1).reset, true);
    assert.equal(store.receive({ type: "state", seq: 1, blocks: [], meta: {} }), "stale");
    assert.deepEqual(store.blocks.map((b) => b.id), [5]);
  });

  it("replays a state to a fresh store (late view)", () => {
    const { store } = storeWithLog();
    store.receive({ type: "state", seq: 40, blocks: [{ id: 0, kind: "text", text: "t" }], meta: { status: "streaming" } });
    assert.equal(store.seq, 40);
    assert.equal(store.live, true);
    assert.equal(store.receive({ type: "ops", seq: 41, ops: [append(0, "u")] }), "applied");
    assert.equal(store.byId.get(0)?.text, "tu");
  });

  it("appends into nested paths, creating the empty string first; set replaces; meta merges", () => {
    const { store } = storeWithLog();
    store.receive({
      type: "ops",
      seq: 1,
      ops: [
        { op: "open", block: { id: 5, kind: "tool", name: "weather", args: "", fields: {}, output: {}, result: "", status: "running" } },
        append(5, "Par", ["fields", "city"]),
        append(5, "is", ["fields", "city"]),
        append(5, "out\n", ["output", "stdout"]),
        { op: "set", id: 5, path: ["status"], value: "ok" },
        { op: "meta", value: { status: "streaming", ttft_ms: 412 } },
        { op: "meta", value: { model: "m" } },
      ],
    });
    const b = store.byId.get(5);
    assert.equal(b?.fields.city, "Paris");
    assert.equal(b?.output.stdout, "out\n");
    assert.equal(b?.status, "ok");
    assert.deepEqual(store.meta, { status: "streaming", ttft_ms: 412, model: "m" });
  });

  it("skips unknown ops, unknown ids and prototype paths without throwing", () => {
    const { store } = storeWithLog();
    store.receive({
      type: "ops",
      seq: 1,
      ops: [
        open(0),
        { op: "teleport", id: 0 },
        append(99, "x"),
        append(0, "p", ["__proto__", "polluted"]),
        { op: "set", id: 0, path: ["constructor", "prototype", "x"], value: 1 },
        append(0, "ok"),
      ],
    });
    assert.equal(store.byId.get(0)?.text, "ok");
    assert.equal(/** @type {any} */ ({}).polluted, undefined);
    assert.equal(store.seq, 1);
  });

  it("takes media bytes from the message's buffers", () => {
    const { store } = storeWithLog();
    const bytes = new DataView(new Uint8Array([137, 80, 78, 71]).buffer);
    store.receive(
      { type: "ops", seq: 1, ops: [{ op: "open", block: { id: 2, kind: "image", media_type: "image/png", size: 4, buffer: 0 } }] },
      [bytes],
    );
    const b = store.byId.get(2);
    assert.equal(b?.bytes, bytes);
    assert.equal("buffer" in (b ?? {}), false);
  });

  it("collects streamed audio chunks in order, each from its own buffer", () => {
    const { store } = storeWithLog();
    const open = { op: "open", block: { id: 0, kind: "audio", media_type: "audio/pcm;rate=24000", size: 0, streaming: true } };
    const one = new Uint8Array([1, 0, 2, 0]);
    const two = new DataView(new Uint8Array([9, 9, 3, 0, 4, 0]).buffer, 2, 4);
    store.receive({ type: "ops", seq: 1, ops: [open, { op: "chunk", id: 0, start: 0, size: 4, buffer: 0 }] }, [one]);
    store.receive({ type: "ops", seq: 2, ops: [{ op: "chunk", id: 0, start: 4, size: 4, buffer: 0 }] }, [two]);
    const b = store.byId.get(0);
    assert.deepEqual(b?.chunks.map((c) => [...c]), [[1, 0, 2, 0], [3, 0, 4, 0]]);
    assert.equal(b?.size, 8);
    // No buffer, or no block: skipped without throwing.
    store.receive({ type: "ops", seq: 3, ops: [{ op: "chunk", id: 0, start: 8, size: 2, buffer: 5 }, { op: "chunk", id: 7, start: 0, buffer: 0 }] }, [one]);
    assert.equal(b?.chunks.length, 2);
  });

  it("hello reports the last applied seq; foreign messages are ignored", () => {
    const { store, sent } = storeWithLog();
    store.hello();
    store.receive({ type: "ops", seq: 1, ops: [] });
    assert.equal(store.receive({ type: "something-else" }), "ignored");
    assert.equal(store.receive(null), "ignored");
    store.hello();
    assert.deepEqual(sent, [{ type: "hello", seq: 0 }, { type: "hello", seq: 1 }]);
  });

  it("live while waiting/streaming; finished only once a final status is known", () => {
    const { store } = storeWithLog();
    assert.deepEqual([store.live, store.finished], [false, false]);
    for (const [status, live, finished] of [["waiting", true, false], ["streaming", true, false], ["done", false, true], ["interrupted", false, true], ["error", false, true]]) {
      store.receive({ type: "state", seq: store.seq, blocks: [], meta: { status } });
      assert.deepEqual([store.live, store.finished], [live, finished], status);
    }
  });

  it("answerText joins the text blocks only", () => {
    const { store } = storeWithLog();
    store.receive({
      type: "state",
      seq: 0,
      blocks: [
        { id: 0, kind: "reasoning", text: "hmm" },
        { id: 1, kind: "text", text: "First." },
        { id: 2, kind: "tool", name: "t" },
        { id: 3, kind: "text", text: "Second." },
      ],
      meta: {},
    });
    assert.equal(store.answerText(), "First.\n\nSecond.");
  });
});
