import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { doc } from "./helpers/dom.js";
import { createSpeechView } from "../src/lib/speech.js";

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
  };
  return { calls, make: (opts) => (calls.push(["make", opts]), player), player };
}

function urls() {
  const made = [];
  return { made, create: (blob) => (made.push(blob), `blob:${made.length}`), revoke: () => {} };
}

const PCM = "audio/pcm;rate=16000";

describe("streamed speech", () => {
  it("plays each chunk once as it arrives, then leaves a WAV player of the whole clip", async () => {
    const el = doc.createElement("div");
    const rec = recordingPlayer();
    const reg = urls();
    const stoppers = new Set();
    const view = createSpeechView(doc, el, reg, { createPlayer: rec.make, live: true, stoppers });
    const block = { id: 0, kind: "audio", media_type: PCM, size: 0, streaming: true };
    view.update(block);
    block.chunks = [new Uint8Array([1, 0])];
    view.update(block);
    block.chunks.push(new Uint8Array([2, 0, 3, 0]));
    view.update(block);
    assert.deepEqual(rec.calls, [["make", { sampleRate: 16000, channels: 1 }], ["push", [1, 0]], ["push", [2, 0, 3, 0]]]);
    block.streaming = false;
    view.update(block);
    assert.deepEqual(rec.calls.at(-1), ["end"]);
    const audio = el.querySelector("audio");
    assert.ok(audio?.controls && audio.src === "blob:1");
    const wav = new Uint8Array(await reg.made[0].arrayBuffer());
    assert.equal(new TextDecoder().decode(wav.slice(0, 4)), "RIFF");
    assert.deepEqual([...wav.slice(44)], [1, 0, 2, 0, 3, 0]);
    view.destroy(); // ended: left to drain, not cut
    assert.deepEqual(rec.calls.at(-1), ["end"]);
    assert.equal(stoppers.size, 1);
  });

  it("a view destroyed after its block ended but before its next frame lets the speech drain", () => {
    const rec = recordingPlayer();
    const view = createSpeechView(doc, doc.createElement("div"), urls(), { createPlayer: rec.make });
    const block = { id: 0, kind: "audio", media_type: PCM, size: 2, streaming: true, chunks: [new Uint8Array([1, 0])] };
    view.update(block);
    block.chunks.push(new Uint8Array([2, 0])); // the store's last ops: a chunk, then the end
    block.streaming = false;
    view.destroy(); // the snapshot swap came before the frame
    assert.deepEqual(rec.calls.slice(-2), [["push", [2, 0]], ["end"]]);
  });

  it("a view destroyed while its speech still streams stops it", () => {
    const rec = recordingPlayer();
    const view = createSpeechView(doc, doc.createElement("div"), urls(), { createPlayer: rec.make });
    view.update({ id: 0, kind: "audio", media_type: PCM, size: 2, streaming: true, chunks: [new Uint8Array([1, 0])] });
    view.destroy();
    assert.deepEqual(rec.calls.at(-1), ["stop"]);
  });

  it("Stop cuts the speech at once", () => {
    const rec = recordingPlayer();
    const stoppers = new Set();
    const view = createSpeechView(doc, doc.createElement("div"), urls(), { createPlayer: rec.make, stoppers });
    view.update({ id: 0, kind: "audio", media_type: PCM, size: 2, streaming: true, chunks: [new Uint8Array([1, 0])] });
    for (const cut of stoppers) cut();
    assert.deepEqual(rec.calls.at(-1), ["stop"]);
  });

  it("speech the user talked over (cut) stops at once instead of draining, and still leaves a player", () => {
    const el = doc.createElement("div");
    const rec = recordingPlayer();
    const view = createSpeechView(doc, el, urls(), { createPlayer: rec.make, live: true });
    const block = { id: 0, kind: "audio", media_type: PCM, size: 2, streaming: true, chunks: [new Uint8Array([1, 0])] };
    view.update(block);
    block.cut = true;
    view.update(block);
    block.streaming = false;
    view.update(block);
    assert.deepEqual(rec.calls.at(-1), ["stop"]);
    assert.ok(!rec.calls.some((c) => c[0] === "end"));
    assert.ok(el.querySelector("audio"));
  });

  it("a view that joins while it streams plays from the start; a resync replays nothing twice", () => {
    const rec = recordingPlayer();
    const view = createSpeechView(doc, doc.createElement("div"), urls(), { createPlayer: rec.make, live: true });
    const block = { id: 0, kind: "audio", media_type: PCM, size: 4, streaming: true, bytes: new Uint8Array([5, 0, 6, 0]) };
    view.update(block);
    block.chunks = [new Uint8Array([7, 0])];
    view.update(block);
    // A `state` replaces the block: everything so far in `bytes`, two bytes of it not yet played.
    view.update({ ...block, chunks: undefined, bytes: new Uint8Array([5, 0, 6, 0, 7, 0, 8, 0]), size: 8 });
    assert.deepEqual(
      rec.calls.filter((c) => c[0] === "push").map((c) => c[1]),
      [[5, 0, 6, 0], [7, 0], [8, 0]],
    );
  });

  it("a finished clip shows a player and plays nothing by itself", () => {
    const el = doc.createElement("div");
    const rec = recordingPlayer();
    const view = createSpeechView(doc, el, urls(), { createPlayer: rec.make, live: false });
    view.update({ id: 0, kind: "audio", media_type: PCM, size: 4, streaming: false, bytes: new Uint8Array([5, 0, 6, 0]) });
    assert.equal(rec.calls.length, 0);
    assert.ok(el.querySelector("audio"));
  });

  it("a browser that holds audio until a click gets a button that resumes it", () => {
    const el = doc.createElement("div");
    const rec = recordingPlayer();
    rec.player.state = "suspended";
    const view = createSpeechView(doc, el, urls(), { createPlayer: rec.make });
    view.update({ id: 0, kind: "audio", media_type: PCM, size: 0, streaming: true });
    const play = /** @type {HTMLButtonElement} */ (el.querySelector(".axio-nb-speech-play"));
    assert.equal(play.hidden, false);
    play.click();
    assert.deepEqual(rec.calls.at(-1), ["resume"]);
    rec.player.onstate?.("playing");
    assert.equal(play.hidden, true);
  });
});
