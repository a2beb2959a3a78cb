/**
 * The voice controls of `%axio realtime`: Microphone (start/stop capture), a level meter, a state label
 * and End. The transcript itself is a stream view next to it (axio_nb/run/realtime.py); this widget only
 * carries the microphone to the kernel, as the recorder does (src/recorder.js): lib/audio/capture.js makes
 * PCM16 chunks at the session's input rate (the `rate` trait, set by the kernel once it has connected) and
 * each goes as a custom message with one binary buffer (widgets/PROTOCOL.md, "Voice").
 *
 * Messages to the kernel: `started` {rate}, `audio` {seq, t} + buffer, `mic_off` {chunks}, `end`,
 * `error` {reason, message}. From the kernel: `stop` (the session ended: release the microphone).
 */
import { CaptureError, startCapture } from "./lib/audio/capture.js";
import { button, h } from "./lib/dom.js";

const LABELS = /** @type {Record<string, string>} */ ({
  connecting: "Connecting…",
  listening: "Listening",
  "user speaking": "You are speaking",
  "assistant speaking": "Assistant speaking",
  ended: "Ended",
});

export default {
  /** @param {{model: any, el: HTMLElement}} args */
  render({ model, el }) {
    const doc = el.ownerDocument;
    const root = h(doc, "div", "axio-nb-voice");
    const mic = button(doc, "axio-nb-voice-mic", "🎙 Microphone", "Start the microphone", () => void toggle());
    const meter = h(doc, "div", "axio-nb-voice-level");
    meter.setAttribute("role", "meter");
    meter.setAttribute("aria-label", "Microphone level");
    meter.setAttribute("aria-valuemin", "0");
    meter.setAttribute("aria-valuemax", "100");
    const bar = h(doc, "div", "axio-nb-voice-level-bar");
    meter.append(bar);
    const label = h(doc, "span", "axio-nb-voice-state");
    label.setAttribute("role", "status");
    const end = button(doc, "axio-nb-voice-end", "End", "End the voice session", () => void finish());
    const message = h(doc, "div", "axio-nb-voice-message");
    root.append(mic, meter, label, end, message);
    el.replaceChildren(root);

    /** @type {{stop(): Promise<void>, sampleRate: number} | null} */
    let capture = null;
    let micState = "off"; // off → starting → on → stopping → off | failed
    let chunks = 0;

    function show() {
      const state = String(model.get("state") || "connecting");
      root.dataset.state = state;
      root.dataset.mic = micState;
      label.textContent = LABELS[state] ?? state;
      const ended = state === "ended";
      mic.textContent = micState === "on" ? "■ Microphone off" : "🎙 Microphone";
      mic.setAttribute("aria-label", micState === "on" ? "Stop the microphone" : "Start the microphone");
      mic.disabled = ended || !(Number(model.get("rate")) > 0) || (micState !== "off" && micState !== "on");
      end.disabled = ended;
    }

    async function toggle() {
      if (micState === "off") await start();
      else if (micState === "on") await stop(true);
    }

    async function start() {
      const rate = Number(model.get("rate"));
      if (!(rate > 0)) return;
      micState = "starting";
      show();
      message.textContent = "";
      try {
        capture = await startCapture({
          sampleRate: rate,
          chunkMs: 40,
          // anywidget: send(content, callbacks, buffers)
          onChunk: (pcm) => model.send({ type: "audio", seq: chunks++, t: Date.now() }, undefined, [pcm]),
          onLevel: (rms) => {
            const pct = Math.min(100, Math.round(Math.sqrt(rms) * 140));
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
      if (tell) model.send({ type: "mic_off", chunks });
      show();
    }

    async function finish() {
      await stop(false);
      model.send({ type: "end" });
      end.disabled = true;
    }

    /** @param {unknown} error */
    function fail(error) {
      const reason = error instanceof CaptureError ? error.reason : "failed";
      const text = error instanceof CaptureError ? error.message : `Could not record: ${String(error)}`;
      message.textContent = text; // plain text: never markup
      micState = "off";
      capture = null;
      show();
      model.send({ type: "error", reason, message: text });
    }

    /** @param {any} msg */
    const onKernel = (msg) => {
      if (msg?.type === "stop") void stop(false);
    };
    model.on("msg:custom", onKernel);
    model.on("change:state", show);
    model.on("change:rate", show);
    show();
    return () => {
      model.off("msg:custom", onKernel);
      model.off("change:state", show);
      model.off("change:rate", show);
      void capture?.stop();
    };
  },
};
