/**
 * The voice controls of `%axio realtime` / `axio_nb.realtime()`: Microphone (start/stop capture), a level
 * meter, the session's state, Mute, Push to talk, End, and a text box with Send for typed turns. The
 * transcript is a stream view next to it (axio_nb/run/realtime.py); this widget carries the microphone to
 * the kernel, as the recorder does (src/recorder.js), and plays the assistant's voice
 * (lib/audio/voice-out.js). Protocol: widgets/PROTOCOL.md, "Voice".
 *
 * The kernel's traits are the session's state a reloaded page gets back: `rate`, `state`, `muted`,
 * `push_to_talk`. Mute goes to the kernel as a message and comes back as the trait (`call.mute()` from
 * Python shows here the same way); the page stops sending at once, without waiting for it.
 *
 * Keyboard: every control is a button or the text box; Enter in the box sends; in a push-to-talk session
 * the space bar held anywhere in the widget but the text box talks, as holding Push to talk does.
 */
import { CaptureError, startCapture } from "./lib/audio/capture.js";
import { createVoiceOutput } from "./lib/audio/voice-out.js";
import { button, h } from "./lib/dom.js";

const LABELS = /** @type {Record<string, string>} */ ({
  connecting: "Connecting…",
  listening: "Listening",
  "user speaking": "You are speaking",
  "assistant speaking": "Assistant speaking",
  ended: "Ended",
});
/** How often the page tells the kernel how much of the voice it played (only when something changed). */
const REPORT_MS = 500;
/**
 * Microphone audio goes to the kernel in chunks this long. Each chunk is a websocket message with ~440 B of
 * Jupyter's framing around it, and the kernel answers every message with a busy and an idle status on
 * iopub: 40 ms chunks cost 1.23 bytes up per byte of PCM (bench/realtime.py), 100 ms ones ~1.09 and 10
 * messages a second instead of 25. The provider's voice detection hears speech at most 60 ms later.
 */
export const MIC_CHUNK_MS = 100;
/**
 * At most this many microphone chunks (2 s) go ahead of the last one the kernel said it read (`heard`). A cell
 * that keeps the kernel busy would otherwise leave the microphone piling up in the kernel's memory
 * (docs/facts.md, "A busy kernel keeps the microphone's messages in its memory"); the chunks held back are
 * counted, and the kernel adds them to `stats.dropped`, as its own queue's.
 */
export const MIC_AHEAD = 20;

/**
 * Numbers the microphone's chunks and holds them back while `ahead` of them are unread by the kernel.
 * @param {number} [ahead]
 */
export function createMicGate(ahead = MIC_AHEAD) {
  let next = 0;
  let heard = -1;
  let skipped = 0;
  return {
    /** @returns {{type: "audio", seq: number, t: number, skipped?: number} | null} the next chunk's message, or null: held back */
    admit() {
      if (next - 1 - heard >= ahead) {
        skipped += 1;
        return null;
      }
      /** @type {{type: "audio", seq: number, t: number, skipped?: number}} */
      const msg = { type: "audio", seq: next++, t: Date.now() };
      if (skipped) {
        msg.skipped = skipped;
        skipped = 0;
      }
      return msg;
    },
    /** The kernel read the chunks up to `seq`. @param {unknown} seq */
    heard(seq) {
      if (Number.isInteger(seq)) heard = Math.max(heard, /** @type {number} */ (seq));
    },
    /** Chunks sent so far. */
    get sent() {
      return next;
    },
  };
}

/** capture.js ends its messages with what a recorder offers instead; here the text box is the way. */
const INSTEAD = /or pass a file or a variable instead\.$/;

/**
 * The one-line message for a microphone that failed, saying what to do instead.
 * @param {unknown} error
 * @returns {{reason: string, text: string}}
 */
export function micMessage(error) {
  if (error instanceof CaptureError) {
    return { reason: error.reason, text: error.message.replace(INSTEAD, "or type your turn in the box below.") };
  }
  return { reason: "failed", text: `The microphone failed (${String(error)}): type your turn in the box below.` };
}

export default {
  /** @param {{model: any, el: HTMLElement}} args */
  render({ model, el }) {
    const doc = el.ownerDocument;
    const root = h(doc, "div", "axio-nb-voice");
    const row = h(doc, "div", "axio-nb-voice-row");
    const mic = button(doc, "axio-nb-voice-mic", "● Microphone", "Microphone", () => void toggle());
    const meter = h(doc, "div", "axio-nb-voice-level");
    meter.setAttribute("role", "meter");
    meter.setAttribute("aria-label", "Microphone level");
    meter.setAttribute("aria-valuemin", "0");
    meter.setAttribute("aria-valuemax", "100");
    const bar = h(doc, "div", "axio-nb-voice-level-bar");
    meter.append(bar);
    const label = h(doc, "span", "axio-nb-voice-state");
    label.setAttribute("role", "status");
    const mute = button(doc, "axio-nb-voice-mute", "Mute", "Mute", () => {
      model.send({ type: "mute", on: !muted() });
      localMute = !muted();
      show();
    });
    const talk = button(doc, "axio-nb-voice-talk", "Push to talk", "Push to talk", () => {});
    const end = button(doc, "axio-nb-voice-end", "End", "End", () => void finish());
    row.append(mic, meter, label, mute, talk, end);
    const form = h(doc, "div", "axio-nb-voice-type");
    const input = /** @type {HTMLInputElement} */ (h(doc, "input", "axio-nb-voice-text"));
    input.type = "text";
    input.placeholder = "Type a message…";
    input.setAttribute("aria-label", "Message to send");
    const send = button(doc, "axio-nb-voice-send", "Send", "Send", () => sendText());
    form.append(input, send);
    const message = h(doc, "div", "axio-nb-voice-message");
    message.setAttribute("role", "alert");
    root.append(row, form, message);
    el.replaceChildren(root);

    /** @type {{stop(): Promise<void>, sampleRate: number} | null} */
    let capture = null;
    let micState = "off"; // off → starting → on → stopping → off
    const gate = createMicGate();
    let talking = false;
    /** What this page last asked for, until the kernel's `muted` trait says otherwise. */
    let localMute = /** @type {boolean | null} */ (null);
    /** @type {AudioContext | null} */
    let ctx = null;
    const context = () => (ctx ??= new AudioContext({ latencyHint: "interactive" }));
    /** A click or key is the user gesture that lets the voice play: resume the output context then. */
    const wake = () => {
      if (!globalThis.AudioContext) return;
      context().resume().catch(() => {});
    };
    const voice = createVoiceOutput({
      context,
      onstate: (state) => {
        if (state === "suspended") message.textContent = "The browser paused the voice: click anywhere here to hear it.";
        else if (message.dataset.kind !== "mic") message.textContent = "";
      },
    });
    /** The widget's kernel side is gone (kernel restarted or shut down): nothing will answer any more. */
    let gone = false;
    const ptt = () => Boolean(model.get("push_to_talk"));
    const muted = () => localMute ?? Boolean(model.get("muted"));
    const ended = () => gone || model.get("state") === "ended";

    function show() {
      const state = gone ? "ended" : String(model.get("state") || "connecting");
      root.dataset.state = state;
      root.dataset.mic = micState;
      root.dataset.muted = String(muted());
      root.dataset.talking = String(talking);
      label.textContent = muted() && micState === "on" ? `${LABELS[state] ?? state} · muted` : (LABELS[state] ?? state);
      mic.textContent = micState === "on" ? "■ Microphone" : "● Microphone";
      mic.setAttribute("aria-pressed", String(micState === "on"));
      mic.disabled = ended() || !(Number(model.get("rate")) > 0) || (micState !== "off" && micState !== "on");
      mute.setAttribute("aria-pressed", String(muted()));
      mute.textContent = muted() ? "Unmute" : "Mute";
      mute.disabled = ended();
      meter.setAttribute("aria-valuetext", muted() ? "muted" : `${meter.getAttribute("aria-valuenow") ?? 0}`);
      talk.setAttribute("aria-pressed", String(talking));
      talk.disabled = ended() || !ptt() || !(Number(model.get("rate")) > 0);
      talk.title = ptt()
        ? "Hold to talk (or hold the space bar); release to send"
        : "This session detects speech by itself; start one with push_to_talk=True (--push-to-talk) to talk by holding";
      end.disabled = ended();
      input.disabled = send.disabled = ended();
    }

    async function toggle() {
      wake();
      if (micState === "off") await start();
      else if (micState === "on") await stop(true);
    }

    async function start() {
      const rate = Number(model.get("rate"));
      if (!(rate > 0) || micState !== "off") return;
      micState = "starting";
      show();
      try {
        capture = await startCapture({
          sampleRate: rate,
          chunkMs: MIC_CHUNK_MS,
          // Muted, or push-to-talk not held: the microphone stays open, nothing is sent.
          onChunk: (pcm) => {
            if (muted() || (ptt() && !talking)) return;
            const msg = gate.admit();
            if (msg) model.send(msg, undefined, [pcm]);
          },
          onLevel: (rms) => {
            const pct = muted() ? 0 : Math.min(100, Math.round(Math.sqrt(rms) * 140));
            bar.style.width = `${pct}%`;
            meter.setAttribute("aria-valuenow", String(pct));
          },
          onEnd: (error) => fail(error),
        });
      } catch (error) {
        fail(error);
        return;
      }
      micState = "on";
      message.textContent = "";
      model.send({ type: "started", rate: capture.sampleRate });
      show();
    }

    /** @param {boolean} tell the kernel the microphone went off (not when the kernel asked) */
    async function stop(tell) {
      if (micState !== "on" || !capture) return;
      micState = "stopping";
      show();
      await capture.stop(); // delivers the last, shorter chunk first
      capture = null;
      bar.style.width = "0%";
      micState = "off";
      if (tell) model.send({ type: "mic_off", chunks: gate.sent });
      show();
    }

    /** @param {boolean} on */
    async function setTalking(on) {
      if (!ptt() || on === talking || ended()) return;
      if (on) {
        wake();
        talking = true;
        model.send({ type: "talk", on: true });
        show();
        if (micState === "off") await start();
      } else {
        talking = false;
        model.send({ type: "talk", on: false });
        show();
      }
    }

    function sendText() {
      const text = input.value.trim();
      if (!text || ended()) return;
      wake();
      model.send({ type: "text", text });
      input.value = "";
    }

    async function finish() {
      await stop(false);
      model.send({ type: "end" });
      end.disabled = true;
    }

    /** @param {unknown} error */
    function fail(error) {
      const { reason, text } = micMessage(error);
      message.textContent = text; // plain text: never markup
      message.dataset.kind = "mic";
      micState = "off";
      capture = null;
      show();
      model.send({ type: "error", reason, message: text });
      void setTalking(false); // a hold with no microphone ends here: the kernel is not left waiting
    }

    talk.addEventListener("pointerdown", (ev) => {
      talk.setPointerCapture?.(ev.pointerId);
      void setTalking(true);
    });
    for (const name of ["pointerup", "pointercancel", "lostpointercapture"]) {
      talk.addEventListener(name, () => void setTalking(false));
    }
    /** @param {KeyboardEvent} ev */
    const onKey = (ev) => {
      if (ev.target === input) {
        if (ev.type === "keydown" && ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
          ev.preventDefault();
          sendText();
        }
        return;
      }
      if (ev.key !== " " || !ptt()) return;
      ev.preventDefault(); // not a click on the focused button, and JupyterLab must not see it
      ev.stopPropagation();
      if (!ev.repeat) void setTalking(ev.type === "keydown");
    };
    root.addEventListener("keydown", onKey);
    root.addEventListener("keyup", onKey);
    root.addEventListener("click", () => void ctx?.resume().catch(() => {}));

    /** The voice's format, as the kernel's last `audio` message that named it said. */
    let mediaType = "audio/pcm;rate=24000";
    /** @param {any} msg @param {DataView[]} [buffers] */
    const onKernel = (msg, buffers) => {
      switch (msg?.type) {
        case "audio": {
          // The kernel names the format when it changes (an answer's first message), and lists `sizes` only
          // for more than one delta: fewer bytes around every 100 ms of voice.
          if (typeof msg.media_type === "string") mediaType = msg.media_type;
          const data = buffers?.[0];
          if (data) voice.push(mediaType, Array.isArray(msg.sizes) ? msg.sizes : [data.byteLength], data, msg.t);
          break;
        }
        case "audio_end":
          voice.end();
          break;
        case "heard":
          gate.heard(msg.seq);
          break;
        case "flush":
          voice.flush();
          report();
          break;
        case "stop":
          void stop(false);
          voice.stop();
          report();
          break;
      }
    };
    function report() {
      const d = voice.increments();
      if (d) model.send({ type: "playback", ...d });
    }
    const reporter = setInterval(report, REPORT_MS);
    const onGone = () => {
      if (gone) return;
      const wasEnded = ended(); // the kernel closes the controls itself once the session has ended
      gone = true;
      void stop(false);
      voice.stop();
      talking = false;
      show();
      if (!wasEnded) label.textContent = "Ended: the kernel is gone";
    };
    const onMuted = () => {
      localMute = null;
      show();
    };
    model.on("msg:custom", onKernel);
    model.on("change:state", show);
    model.on("change:rate", show);
    model.on("change:muted", onMuted);
    model.on("change:push_to_talk", show);
    // Backbone events of the widget model (anywidget passes `on` through): its comm closed, it was destroyed,
    // or its comm stopped being live (JupyterLab's widget manager marks every model so when the kernel
    // restarts, and the flag only ever goes from live to dead once a view exists).
    model.on("comm:close", onGone);
    model.on("destroy", onGone);
    model.on("comm_live_update", onGone);
    show();
    return () => {
      clearInterval(reporter);
      model.off("msg:custom", onKernel);
      model.off("change:state", show);
      model.off("change:rate", show);
      model.off("change:muted", onMuted);
      model.off("change:push_to_talk", show);
      model.off("comm:close", onGone);
      model.off("destroy", onGone);
      model.off("comm_live_update", onGone);
      voice.stop();
      void capture?.stop();
      ctx?.close().catch(() => {});
    };
  },
};
