import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { doc } from "./helpers/dom.js";
import { createSpeechView } from "../src/lib/speech.js";
import { SpeechOut } from "../src/lib/speech-out.js";
import { TranscriptStore } from "../src/lib/store.js";

/** A stand-in for lib/audio/player.js's player (real playback is tested in tests/browser/test_audio_modules.py). */
function recordingPlayer() {
  const calls = [];
  const player = {
    state: "waiting",
    onstate: null,
    push: (chunk) => calls.push(["push", [...new Uint8Array(chunk)]]),
    end: () => calls.push(["end"]),
    stop: () => calls.push(["stop"]),
    resume: async () => calls.push(["resume"]),
    done: new Promise(() => {}),
  };
  return { calls, make: (opts) => (calls.push(["make", opts]), player), player };
}

/** A page context whose holds and releases are counted. */
function pageAudio() {
  const log = { holds: 0, releases: 0 };
  const context = { name: "page context" };
  return { log, context, hold: () => (log.holds++, { context, release: () => log.releases++ }) };
}

function urls() {
  const made = [];
  return { made, create: (blob) => (made.push(blob), `blob:${made.length}`), revoke: () => {} };
}

const PCM = "audio/pcm;rate=16000";

/** A store with its speech output, fed the way the kernel feeds it: a state, then ops in seq order. */
function setup({ status = "streaming" } = {}) {
  const store = new TranscriptStore();
  const rec = recordingPlayer();
  const audio = pageAudio();
  const out = new SpeechOut(store, { createPlayer: rec.make, holdAudio: audio.hold });
  let seq = 0;
  const ops = (list, buffers) => store.receive({ type: "ops", seq: ++seq, ops: list }, buffers);
  const state = (blocks, buffers, meta = { status }) => store.receive({ type: "state", seq, blocks, meta }, buffers);
  const chunk = (id, start, bytes) => ops([{ op: "chunk", id, start, buffer: 0 }], [new Uint8Array(bytes)]);
  const open = (block) => ops([{ op: "open", block }]);
  const set = (id, path, value) => ops([{ op: "set", id, path, value }]);
  return { store, rec, audio, out, ops, state, chunk, open, set };
}

const pushes = (calls) => calls.filter((c) => c[0] === "push").map((c) => c[1]);

describe("speech output (plays from the store)", () => {
  it("plays each chunk once as it arrives, on the page's context, before any view exists", () => {
    const s = setup();
    s.state([], undefined);
    s.open({ id: 0, kind: "audio", media_type: PCM, size: 0, streaming: true });
    s.chunk(0, 0, [1, 0]);
    s.chunk(0, 2, [2, 0, 3, 0]);
    assert.deepEqual(s.rec.calls, [
      ["make", { sampleRate: 16000, channels: 1, context: s.audio.context }],
      ["push", [1, 0]],
      ["push", [2, 0, 3, 0]],
    ]);
    s.set(0, ["streaming"], false);
    assert.deepEqual(s.rec.calls.at(-1), ["end"]);
    assert.equal(s.audio.log.holds, 1);
  });

  it("the chunks in the state answering the hello play at once; a resync replays nothing twice", () => {
    const s = setup();
    const block = { id: 0, kind: "audio", media_type: PCM, size: 4, streaming: true, buffer: 0 };
    s.state([block], [new Uint8Array([5, 0, 6, 0])]);
    s.chunk(0, 4, [7, 0]);
    // A `state` replaces the block: everything so far in `bytes`, two bytes of it not yet played.
    s.state([{ ...block, size: 8 }], [new Uint8Array([5, 0, 6, 0, 7, 0, 8, 0])]);
    assert.deepEqual(pushes(s.rec.calls), [[5, 0, 6, 0], [7, 0], [8, 0]]);
  });

  it("speech the user talked over (cut) stops at once instead of draining", () => {
    const s = setup();
    s.state([{ id: 0, kind: "audio", media_type: PCM, size: 2, streaming: true, buffer: 0 }], [new Uint8Array([1, 0])]);
    s.ops([
      { op: "set", id: 0, path: ["cut"], value: true },
      { op: "set", id: 0, path: ["streaming"], value: false },
    ]);
    assert.deepEqual(s.rec.calls.at(-1), ["stop"]);
    assert.ok(!s.rec.calls.some((c) => c[0] === "end"));
  });

  it("a clip that was whole when the store first saw it plays nothing by itself", () => {
    const s = setup({ status: "done" });
    s.state([{ id: 0, kind: "audio", media_type: PCM, size: 2, streaming: false, buffer: 0 }], [new Uint8Array([1, 0])]);
    const s2 = setup({ status: "done" });
    s2.state([{ id: 0, kind: "audio", media_type: PCM, size: 2, streaming: true, buffer: 0 }], [new Uint8Array([1, 0])]);
    assert.equal(s.rec.calls.length + s2.rec.calls.length, 0);
    assert.equal(s.audio.log.holds + s2.audio.log.holds, 0);
  });

  it("compressed and non-streaming audio are not its business", () => {
    const s = setup();
    s.state([
      { id: 0, kind: "audio", media_type: "audio/mpeg", size: 0, streaming: true },
      { id: 1, kind: "audio", media_type: "audio/wav", size: 0 },
    ]);
    assert.equal(s.rec.calls.length, 0);
  });

  it("two views of one model play the speech once", () => {
    const s = setup();
    s.state([{ id: 0, kind: "audio", media_type: PCM, size: 2, streaming: true, buffer: 0 }], [new Uint8Array([1, 0])]);
    const views = [0, 1].map(() => createSpeechView(doc, doc.createElement("div"), urls(), { speech: s.out }));
    for (const view of views) view.update(s.store.byId.get(0));
    s.chunk(0, 2, [2, 0]);
    assert.deepEqual(pushes(s.rec.calls), [[1, 0], [2, 0]]);
    assert.equal(s.rec.calls.filter((c) => c[0] === "make").length, 1);
  });
});

describe("speech view", () => {
  /** A view of block 0, streaming, with one chunk played. */
  function viewed() {
    const s = setup();
    s.state([{ id: 0, kind: "audio", media_type: PCM, size: 2, streaming: true, buffer: 0 }], [new Uint8Array([1, 0])]);
    const el = doc.createElement("div");
    const reg = urls();
    const stoppers = new Set();
    const view = createSpeechView(doc, el, reg, { speech: s.out, stoppers });
    view.update(s.store.byId.get(0));
    return { ...s, el, reg, stoppers, view };
  }

  it("leaves a WAV player of the whole clip when the stream ends, and lets it drain when it goes", async () => {
    const v = viewed();
    v.chunk(0, 2, [2, 0, 3, 0]);
    v.set(0, ["streaming"], false);
    v.view.update(v.store.byId.get(0));
    const audio = v.el.querySelector("audio");
    assert.ok(audio?.controls && audio.src === "blob:1");
    const wav = new Uint8Array(await v.reg.made[0].arrayBuffer());
    assert.equal(new TextDecoder().decode(wav.slice(0, 4)), "RIFF");
    assert.deepEqual([...wav.slice(44)], [1, 0, 2, 0, 3, 0]);
    v.view.destroy(); // ended: left to drain, not cut
    assert.deepEqual(v.rec.calls.at(-1), ["end"]);
  });

  it("a view destroyed after its block ended but before its next frame lets the speech drain", () => {
    const v = viewed();
    v.ops([
      { op: "chunk", id: 0, start: 2, buffer: 0 },
      { op: "set", id: 0, path: ["streaming"], value: false },
    ], [new Uint8Array([2, 0])]);
    v.view.destroy(); // the snapshot swap came before the frame
    assert.deepEqual(v.rec.calls.slice(-2), [["push", [2, 0]], ["end"]]);
  });

  it("the last view destroyed while its speech still streams (output cleared) stops it", () => {
    const v = viewed();
    const other = createSpeechView(doc, doc.createElement("div"), urls(), { speech: v.out });
    other.update(v.store.byId.get(0));
    v.view.destroy();
    assert.ok(!v.rec.calls.some((c) => c[0] === "stop"));
    other.destroy();
    assert.deepEqual(v.rec.calls.at(-1), ["stop"]);
    v.chunk(0, 2, [2, 0]);
    assert.deepEqual(v.rec.calls.at(-1), ["stop"]);
  });

  it("Stop cuts the speech at once", () => {
    const v = viewed();
    for (const cut of v.stoppers) cut();
    assert.deepEqual(v.rec.calls.at(-1), ["stop"]);
  });

  it("a browser that holds audio until a click gets a button that resumes it", () => {
    const s = setup();
    s.rec.player.state = "suspended";
    s.state([{ id: 0, kind: "audio", media_type: PCM, size: 0, streaming: true }]);
    const el = doc.createElement("div");
    createSpeechView(doc, el, urls(), { speech: s.out }).update(s.store.byId.get(0));
    const play = /** @type {HTMLButtonElement} */ (el.querySelector(".axio-nb-speech-play"));
    assert.equal(play.hidden, false);
    play.click();
    assert.deepEqual(s.rec.calls.at(-1), ["resume"]);
    s.rec.player.onstate?.("playing");
    assert.equal(play.hidden, true);
  });

  it("a finished clip shows a player", () => {
    const s = setup({ status: "done" });
    s.state([{ id: 0, kind: "audio", media_type: PCM, size: 4, streaming: false, buffer: 0 }], [new Uint8Array([5, 0, 6, 0])]);
    const el = doc.createElement("div");
    createSpeechView(doc, el, urls(), { speech: s.out }).update(s.store.byId.get(0));
    assert.equal(s.rec.calls.length, 0);
    assert.ok(el.querySelector("audio"));
  });
});
