/**
 * The recorder: a Record button, a level meter and a clock for `%axio stt` with no source. The
 * microphone is in the browser, not on the kernel's host (a remote kernel, Binder): lib/audio/capture.js
 * turns it into PCM16 chunks, and each goes to the kernel as a custom message with one binary buffer,
 * never a synced trait (widgets/PROTOCOL.md, "Recorder").
 *
 * Messages to the kernel: `started` {rate}, `audio` {seq, t} + buffer, `end` {chunks}, `error` {reason,
 * message}. From the kernel: `stop` (its time limit, or the cell was interrupted).
 */
import { CaptureError, startCapture } from "./lib/audio/capture.js";
import { button, h } from "./lib/dom.js";

/** @param {number} seconds */
function clock(seconds) {
  return `${seconds.toFixed(1)} s`;
}

export default {
  /** @param {{model: any, el: HTMLElement}} args */
  render({ model, el }) {
    const doc = el.ownerDocument;
    const root = h(doc, "div", "axio-nb-recorder");
    const record = button(doc, "axio-nb-record", "● Record", "Record from the microphone", () => void toggle());
    const meter = h(doc, "div", "axio-nb-level");
    meter.setAttribute("role", "meter");
    meter.setAttribute("aria-label", "Microphone level");
    meter.setAttribute("aria-valuemin", "0");
    meter.setAttribute("aria-valuemax", "100");
    const bar = h(doc, "div", "axio-nb-level-bar");
    meter.append(bar);
    const time = h(doc, "span", "axio-nb-record-time", clock(0));
    const message = h(doc, "div", "axio-nb-record-message");
    message.setAttribute("role", "status");
    root.append(record, meter, time, message);
    el.replaceChildren(root);

    /** @type {{stop(): Promise<void>, sampleRate: number} | null} */
    let capture = null;
    let state = "idle"; // idle → starting → recording → stopping → done | failed
    let chunks = 0;
    let started = 0;
    let timer = 0;
    const limit = Number(model.get("max_seconds")) || 60;

    function show() {
      root.dataset.state = state;
      record.textContent = state === "recording" ? "■ Stop" : "● Record";
      record.setAttribute("aria-label", state === "recording" ? "Stop recording" : "Record from the microphone");
      record.disabled = state !== "idle" && state !== "recording";
    }

    async function toggle() {
      if (state === "idle") await start();
      else if (state === "recording") await stop();
    }

    async function start() {
      state = "starting";
      show();
      message.textContent = "";
      try {
        capture = await startCapture({
          sampleRate: Number(model.get("rate")) || 16000,
          chunkMs: 40,
          constraints: model.get("processing") === false
            ? { echoCancellation: false, noiseSuppression: false, autoGainControl: false }
            : undefined,
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
      state = "recording";
      started = performance.now();
      model.send({ type: "started", rate: capture.sampleRate });
      timer = window.setInterval(() => {
        const s = (performance.now() - started) / 1000;
        time.textContent = clock(s);
        if (s >= limit) void stop();
      }, 100);
      show();
    }

    async function stop() {
      if (state !== "recording" || !capture) return;
      state = "stopping";
      show();
      window.clearInterval(timer);
      await capture.stop(); // delivers the last, shorter chunk first
      capture = null;
      bar.style.width = "0%";
      state = "done";
      message.textContent = "Recorded. Transcribing…";
      model.send({ type: "end", chunks });
      show();
    }

    /** @param {unknown} error */
    function fail(error) {
      window.clearInterval(timer);
      const reason = error instanceof CaptureError ? error.reason : "failed";
      const text = error instanceof CaptureError ? error.message : `Could not record: ${String(error)}`;
      message.textContent = text; // plain text: never markup
      state = "failed";
      capture = null;
      show();
      model.send({ type: "error", reason, message: text });
    }

    /** @param {any} msg */
    const onKernel = (msg) => {
      if (msg?.type === "stop") void stop();
    };
    model.on("msg:custom", onKernel);
    show();
    return () => {
      model.off("msg:custom", onKernel);
      window.clearInterval(timer);
      void capture?.stop();
    };
  },
};
