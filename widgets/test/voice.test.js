import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { container } from "./helpers/dom.js";
import voice, { MIC_AHEAD, createMicGate, micMessage } from "../src/voice.js";
import { CaptureError, CAPTURE_MESSAGES } from "../src/lib/audio/capture.js";
import {
  FIRST_WAIT_MS,
  JITTER_MARGIN_MS,
  LAG_WINDOW,
  PREBUFFER_MS,
  WAIT_STEP_MS,
  createVoiceOutput,
} from "../src/lib/audio/voice-out.js";

/** anywidget's model for the voice controls: the kernel's traits and what the view sends. */
function voiceModel(initial = {}) {
  /** @type {Record<string, any>} */
  const traits = { rate: 0, state: "connecting", muted: false, push_to_talk: false, ...initial };
  /** @type {Map<string, Function[]>} */
  const handlers = new Map();
  /** @type {any[]} */
  const sent = [];
  return {
    sent,
    /** @param {string} key @param {any} value */
    kernelSets(key, value) {
      traits[key] = value;
      for (const fn of handlers.get(`change:${key}`) ?? []) fn();
    },
    /** @param {object} msg @param {any[]} [buffers] */
    kernelSends(msg, buffers = []) {
      for (const fn of handlers.get("msg:custom") ?? []) fn(msg, buffers);
    },
    /** @param {string} name a Backbone event of the model, e.g. `comm:close` */
    trigger(name) {
      for (const fn of handlers.get(name) ?? []) fn();
    },
    get: (/** @type {string} */ key) => traits[key],
    send: (/** @type {object} */ msg) => sent.push(msg),
    on(/** @type {string} */ name, /** @type {Function} */ fn) {
      handlers.set(name, [...(handlers.get(name) ?? []), fn]);
    },
    off() {},
  };
}

/** @param {HTMLElement} el @param {string} cls */
const q = (el, cls) => /** @type {HTMLButtonElement} */ (el.querySelector(`.axio-nb-voice-${cls}`));
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("voice controls", () => {
  it("wait for the session's rate, label its state, and End sends end once", async () => {
    const el = container();
    const model = voiceModel();
    const cleanup = voice.render({ model, el });
    const mic = q(el, "mic");
    const end = q(el, "end");
    const label = () => el.querySelector(".axio-nb-voice-state")?.textContent;
    assert.equal(mic.disabled, true, "no microphone before the session says its rate");
    assert.equal(label(), "Connecting…");
    model.kernelSets("rate", 24000);
    model.kernelSets("state", "listening");
    assert.equal(mic.disabled, false);
    assert.equal(label(), "Listening");
    model.kernelSets("state", "assistant speaking");
    assert.equal(label(), "Assistant speaking");
    end.click();
    await tick();
    assert.deepEqual(model.sent, [{ type: "end" }]);
    model.kernelSets("state", "ended");
    assert.equal(end.disabled, true);
    assert.equal(mic.disabled, true);
    assert.equal(q(el, "send").disabled, true);
    assert.equal(el.querySelector(".axio-nb-voice")?.getAttribute("data-state"), "ended");
    cleanup();
  });

  it("name every control for assistive technology", () => {
    const el = container();
    const cleanup = voice.render({ model: voiceModel(), el });
    const names = [...el.querySelectorAll("button")].map((b) => b.getAttribute("aria-label"));
    assert.deepEqual(names, ["Microphone", "Mute", "Push to talk", "End", "Send"]);
    assert.equal(el.querySelector("input")?.getAttribute("aria-label"), "Message to send");
    cleanup();
  });

  it("Mute asks the kernel, shows at once, and follows the kernel's `muted` (call.mute() from Python)", () => {
    const el = container();
    const model = voiceModel({ rate: 24000, state: "listening" });
    const cleanup = voice.render({ model, el });
    const mute = q(el, "mute");
    mute.click();
    assert.deepEqual(model.sent, [{ type: "mute", on: true }]);
    assert.equal(mute.getAttribute("aria-pressed"), "true");
    assert.equal(el.querySelector(".axio-nb-voice")?.getAttribute("data-muted"), "true");
    model.kernelSets("muted", true);
    assert.equal(mute.getAttribute("aria-pressed"), "true");
    model.kernelSets("muted", false); // call.unmute()
    assert.equal(mute.getAttribute("aria-pressed"), "false");
    assert.equal(mute.textContent, "Mute");
    cleanup();
  });

  it("send a typed turn with Enter or Send, never an empty one", () => {
    const el = container();
    const model = voiceModel({ rate: 24000, state: "listening" });
    const cleanup = voice.render({ model, el });
    const input = /** @type {HTMLInputElement} */ (el.querySelector("input"));
    const win = /** @type {any} */ (el.ownerDocument.defaultView);
    input.value = "  hello there ";
    input.dispatchEvent(new win.KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    assert.equal(input.value, "");
    input.value = "   ";
    q(el, "send").click();
    input.value = "second";
    q(el, "send").click();
    assert.deepEqual(model.sent, [
      { type: "text", text: "hello there" },
      { type: "text", text: "second" },
    ]);
    cleanup();
  });

  it("push to talk: only in a push-to-talk session; pointer or the space bar held talks, release commits", async () => {
    const el = container();
    const model = voiceModel({ rate: 24000, state: "listening" });
    const cleanup = voice.render({ model, el });
    const talk = q(el, "talk");
    assert.equal(talk.disabled, true, "a session with server VAD has no push to talk");
    model.kernelSets("push_to_talk", true);
    assert.equal(talk.disabled, false);
    const win = /** @type {any} */ (el.ownerDocument.defaultView);
    const end = q(el, "end");
    end.dispatchEvent(new win.KeyboardEvent("keydown", { key: " ", bubbles: true }));
    await tick();
    const talks = () => model.sent.filter((m) => m.type === "talk").map((m) => m.on);
    assert.deepEqual(talks(), [true, false]);
    // jsdom has no microphone: the press tried to open it, and the failure is one line, the box still works.
    assert.match(el.querySelector(".axio-nb-voice-message")?.textContent ?? "", /box below/);
    assert.equal(q(el, "send").disabled, false);
    talk.dispatchEvent(new win.Event("pointerdown", { bubbles: true }));
    await tick();
    talk.dispatchEvent(new win.Event("pointerup", { bubbles: true }));
    end.dispatchEvent(new win.KeyboardEvent("keydown", { key: " ", bubbles: true, repeat: true }));
    assert.deepEqual(talks(), [true, false, true, false]);
    cleanup();
  });

  it("a kernel that went away (its comm closed) leaves a visible ended state and no live control", () => {
    const el = container();
    const model = voiceModel({ rate: 24000, state: "listening" });
    const cleanup = voice.render({ model, el });
    model.trigger("comm_live_update"); // JupyterLab's widget manager, as the kernel restarts
    assert.equal(el.querySelector(".axio-nb-voice")?.getAttribute("data-state"), "ended");
    assert.equal(el.querySelector(".axio-nb-voice-state")?.textContent, "Ended: the kernel is gone");
    for (const b of el.querySelectorAll("button")) assert.equal(/** @type {HTMLButtonElement} */ (b).disabled, true);
    cleanup();
    // A session that ended first, then had its controls closed by the kernel, just reads "Ended".
    const el2 = container();
    const model2 = voiceModel({ rate: 24000, state: "ended" });
    const cleanup2 = voice.render({ model: model2, el: el2 });
    model2.trigger("comm:close");
    assert.equal(el2.querySelector(".axio-nb-voice-state")?.textContent, "Ended");
    cleanup2();
  });

  it("hold the microphone back while the kernel has 2 s of it unread, and count what they held back", () => {
    const gate = createMicGate();
    const sent = [];
    for (let k = 0; k < MIC_AHEAD + 3; k++) sent.push(gate.admit());
    assert.deepEqual(sent.slice(0, MIC_AHEAD).map((m) => m?.seq), [...Array(MIC_AHEAD).keys()]);
    assert.deepEqual(sent.slice(MIC_AHEAD), [null, null, null], "the kernel read none of them: held back");
    gate.heard(4); // the kernel read chunks 0–4
    const next = gate.admit();
    assert.equal(next?.seq, MIC_AHEAD);
    assert.equal(next?.skipped, 3, "the next chunk says how many were held back");
    assert.equal(gate.admit()?.skipped, undefined, "once");
    gate.heard("x");
    gate.heard(2); // late or stray: never goes back
    assert.equal(gate.sent, MIC_AHEAD + 2);
    // Chunks 0–4 were read: room for 5 more, 2 of them taken above.
    for (let k = 0; k < 3; k++) assert.notEqual(gate.admit(), null);
    assert.equal(gate.admit(), null);
  });

  it("a failed microphone says what to do instead: type in the box", () => {
    const blocked = micMessage(new CaptureError("blocked", CAPTURE_MESSAGES.blocked));
    assert.equal(blocked.reason, "blocked");
    assert.match(blocked.text, /^Microphone blocked: .*or type your turn in the box below\.$/);
    assert.match(micMessage(new CaptureError("no-device", CAPTURE_MESSAGES["no-device"])).text, /^No microphone found/);
    assert.equal(micMessage(new Error("x")).reason, "failed");
  });
});

/** A stand-in PCM player: what voice-out reads and calls. */
/** @param {{drains?: boolean}} [opts] `drains: false`: `end()` leaves it playing until `drain()` */
function fakePlayer({ drains = true } = {}) {
  /** @type {(v: string) => void} */
  let settle = () => {};
  const p = {
    drain: () => settle("ended"),
    pushed: /** @type {any[]} */ ([]),
    stopped: false,
    ended: false,
    playedSeconds: 0,
    bufferedSeconds: 0.3,
    startedAt: 1,
    onstate: /** @type {((s: string) => void) | null} */ (null),
    done: new Promise((resolve) => (settle = resolve)),
    push: (/** @type {any} */ c) => p.pushed.push(c),
    end: () => {
      p.ended = true;
      if (drains) settle("ended");
    },
    stop: () => {
      p.stopped = true;
      settle("stopped");
    },
  };
  return p;
}

describe("voice output", () => {
  it("counts the deltas played to the end, the ms played and the underruns; flush drops the rest", async () => {
    /** @type {ReturnType<typeof fakePlayer>[]} */
    const players = [];
    const out = createVoiceOutput({
      context: () => /** @type {any} */ ({}),
      createPlayer: /** @type {any} */ (() => players[players.push(fakePlayer()) - 1]),
    });
    out.push("audio/pcm;rate=24000", [4800, 4800], new Uint8Array(9600));
    out.push("audio/pcm;rate=24000", [4800], new Uint8Array(4800));
    assert.equal(players.length, 1, "one player per answer");
    players[0].playedSeconds = 0.15; // 3600 samples: the first delta (2400) played, the second not yet
    players[0].onstate?.("underrun");
    assert.deepEqual(out.increments(), { played: 1, underruns: 1, played_ms: 150 });
    assert.equal(out.increments(), null, "nothing new, nothing sent");
    assert.equal(out.flush(), 300);
    assert.equal(players[0].stopped, true);
    await tick();
    assert.equal(out.increments(), null, "flushed deltas are not played ones");
    out.push("audio/pcm;rate=24000", [4800, 4800], new Uint8Array(9600));
    assert.equal(players.length, 2, "the next answer gets a new player");
    out.end();
    await tick();
    assert.deepEqual(out.increments(), { played: 2, underruns: 0, played_ms: 0 });
    assert.equal(out.player, null);
  });
  it("an answer that starts while the last one still plays waits for it, then plays all it got", async () => {
    /** @type {ReturnType<typeof fakePlayer>[]} */
    const players = [];
    const out = createVoiceOutput({
      context: () => /** @type {any} */ ({}),
      createPlayer: /** @type {any} */ (() => players[players.push(fakePlayer({ drains: false })) - 1]),
    });
    out.push("audio/pcm;rate=24000", [4800], new Uint8Array(4800));
    out.end(); // the first answer is complete and plays its rest
    out.push("audio/pcm;rate=24000", [4800], new Uint8Array([1, 2]));
    out.push("audio/pcm;rate=24000", [4800], new Uint8Array([3, 4]));
    out.end(); // the whole second answer came while the first still played
    out.push("audio/pcm;rate=24000", [4800], new Uint8Array([5, 6]));
    assert.equal(players.length, 1, "nothing is handed to the ending player, no second player yet");
    assert.equal(players[0].pushed.length, 1);
    players[0].drain();
    await tick();
    assert.equal(players.length, 2, "the second answer's player starts once the first has played");
    assert.deepEqual(players[1].pushed.map((c) => [...c]), [[1, 2], [3, 4]]);
    assert.equal(players[1].ended, true, "and ends as its answer did");
    assert.deepEqual(out.increments(), { played: 1, underruns: 0, played_ms: 0 });
    players[1].drain();
    await tick();
    assert.equal(players.length, 3, "the third answer, in order");
    assert.deepEqual(players[2].pushed.map((c) => [...c]), [[5, 6]]);
    assert.equal(players[2].ended, false);
    assert.deepEqual(out.increments(), { played: 2, underruns: 0, played_ms: 0 });
  });

  it("an answer starts after a short wait; each underrun lengthens it for the next answers, up to the prebuffer", async () => {
    /** @type {any[]} */
    const options = [];
    /** @type {ReturnType<typeof fakePlayer>[]} */
    const players = [];
    const out = createVoiceOutput({
      context: () => /** @type {any} */ ({}),
      createPlayer: /** @type {any} */ ((o) => (options.push(o), players[players.push(fakePlayer()) - 1])),
    });
    const answer = async (underruns = 0) => {
      out.push("audio/pcm;rate=24000", [4800], new Uint8Array(4800));
      for (let k = 0; k < underruns; k++) players.at(-1)?.onstate?.("underrun");
      out.end();
      await tick();
    };
    await answer(1);
    await answer();
    await answer(5);
    await answer();
    assert.deepEqual(
      options.map((o) => [o.prebufferMs, o.maxWaitMs]),
      [[PREBUFFER_MS, FIRST_WAIT_MS], [PREBUFFER_MS, FIRST_WAIT_MS + WAIT_STEP_MS], [PREBUFFER_MS, FIRST_WAIT_MS + WAIT_STEP_MS], [PREBUFFER_MS, PREBUFFER_MS]],
    );
  });

  it("an answer whose first voice came late waits that much less: the wait counts from when it left", async () => {
    /** @type {any[]} */
    const options = [];
    let clock = 0;
    const out = createVoiceOutput({
      context: () => /** @type {any} */ ({}),
      createPlayer: /** @type {any} */ ((o) => (options.push(o), fakePlayer())),
      now: () => clock,
    });
    /** An answer of one message, sent by the kernel at `sent` (its clock: 5000 ms ahead) and come `delay` later. */
    const answer = async (/** @type {number} */ sent, /** @type {number} */ delay) => {
      clock = sent - 5000 + delay;
      out.push("audio/pcm;rate=24000", [4800], new Uint8Array(4800), sent);
      out.end();
      await tick();
    };
    await answer(10_000, 30); // the first message: nothing to compare with
    await answer(11_000, 8); // the usual delay is now 8 ms
    await answer(12_000, 33); // 25 ms late
    await answer(13_000, 200); // later than the whole wait: starts at once (1 ms: 0 would mean no bound)
    // No `t` (an older kernel): nothing to subtract, and the whole prebuffer, since a message of the last
    // LAG_WINDOW came 192 ms late.
    out.push("audio/pcm;rate=24000", [4800], new Uint8Array(4800));
    assert.deepEqual(
      options.map((o) => o.maxWaitMs),
      [FIRST_WAIT_MS, FIRST_WAIT_MS, FIRST_WAIT_MS - 25, 1, PREBUFFER_MS],
    );
    // The usual delay is the least of the last LAG_WINDOW messages': an old fast one is forgotten.
    out.end();
    await tick();
    for (let k = 0; k < LAG_WINDOW; k++) {
      clock = 20_000 + k * 100 - 5000 + 20;
      out.push("audio/pcm;rate=24000", [4800], new Uint8Array(4800), 20_000 + k * 100);
    }
    out.end();
    await tick();
    await answer(30_000, 30); // 10 ms later than the window's 20, not 22 later than the forgotten 8
    assert.equal(options.at(-1).maxWaitMs, FIRST_WAIT_MS - 10);
  });

  it("the wait covers the latest of the recent messages: a jittery connection gets more cushion", async () => {
    /** @type {any[]} */
    const options = [];
    let clock = 0;
    const out = createVoiceOutput({
      context: () => /** @type {any} */ ({}),
      createPlayer: /** @type {any} */ ((o) => (options.push(o), fakePlayer())),
      now: () => clock,
    });
    /** One message sent at `sent` (the kernel's clock) that came `delay` later; `end`: the answer ends. */
    const message = (/** @type {number} */ sent, /** @type {number} */ delay, end = false) => {
      clock = sent + delay;
      out.push("audio/pcm;rate=24000", [4800], new Uint8Array(4800), sent);
      if (end) out.end();
    };
    message(1000, 10);
    message(1100, 10);
    message(1200, 75, true); // 65 ms later than the others: the page stalled
    await tick();
    message(2000, 10); // the next answer: on time, but the wait covers a 65 ms delay and a margin
    assert.deepEqual(
      options.map((o) => o.maxWaitMs),
      [FIRST_WAIT_MS, 65 + JITTER_MARGIN_MS],
    );
  });

  it("a barge-in while one answer drains and the next waits drops both", async () => {
    /** @type {ReturnType<typeof fakePlayer>[]} */
    const players = [];
    const out = createVoiceOutput({
      context: () => /** @type {any} */ ({}),
      createPlayer: /** @type {any} */ (() => players[players.push(fakePlayer({ drains: false })) - 1]),
    });
    out.push("audio/pcm;rate=24000", [4800], new Uint8Array(4800));
    out.end();
    out.push("audio/pcm;rate=24000", [4800], new Uint8Array(4800)); // 100 ms of the next answer, waiting
    assert.equal(out.flush(), 300 + 100, "the player's buffer and the waiting voice");
    assert.equal(players[0].stopped, true);
    await tick();
    assert.equal(players.length, 1, "the waiting answer never plays");
    assert.equal(out.player, null);
    assert.equal(out.increments(), null);
  });
});
