import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { container } from "./helpers/dom.js";
import voice from "../src/voice.js";

/** anywidget's model for the voice controls: the kernel's traits (`rate`, `state`) and what the view sends. */
function voiceModel() {
  /** @type {Record<string, any>} */
  const traits = { rate: 0, state: "connecting" };
  /** @type {Map<string, Function[]>} */
  const handlers = new Map();
  /** @type {object[]} */
  const sent = [];
  return {
    sent,
    /** @param {string} key @param {any} value */
    kernelSets(key, value) {
      traits[key] = value;
      for (const fn of handlers.get(`change:${key}`) ?? []) fn();
    },
    get: (/** @type {string} */ key) => traits[key],
    send: (/** @type {object} */ msg) => sent.push(msg),
    on(/** @type {string} */ name, /** @type {Function} */ fn) {
      handlers.set(name, [...(handlers.get(name) ?? []), fn]);
    },
    off() {},
  };
}

describe("voice controls", () => {
  it("wait for the session's rate, label its state, and End sends end once", async () => {
    const el = container();
    const model = voiceModel();
    voice.render({ model, el });
    const mic = /** @type {HTMLButtonElement} */ (el.querySelector(".axio-nb-voice-mic"));
    const end = /** @type {HTMLButtonElement} */ (el.querySelector(".axio-nb-voice-end"));
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
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(model.sent, [{ type: "end" }]);
    model.kernelSets("state", "ended");
    assert.equal(end.disabled, true);
    assert.equal(mic.disabled, true);
    assert.equal(el.querySelector(".axio-nb-voice")?.getAttribute("data-state"), "ended");
  });
});
