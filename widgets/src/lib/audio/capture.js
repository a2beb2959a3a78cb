/**
 * Microphone capture in the browser as PCM16 chunks (the microphone is where the page is, not where the
 * kernel runs: remote kernels, Binder).
 *
 * getUserMedia → MediaStreamAudioSourceNode → an AudioWorklet that posts Float32 batches to the main
 * thread, which resamples them to the target rate (`LinearResampler`, stateful across batches) and cuts
 * PCM16 little-endian chunks of `chunkMs`. The worklet node takes its input as one channel
 * (`channelCountMode: "explicit"`), so Web Audio downmixes a stereo microphone by its own mixing rules.
 * The AudioContext runs at the device's rate: Firefox refuses to connect a MediaStream to a context
 * whose rate differs from the stream's, so the rate conversion happens here, the same in every browser.
 *
 * Every failure to start is a `CaptureError` whose `reason` a view can branch on and whose message is one
 * line it can show as is.
 */
import { LinearResampler, floatToPcm16, rms } from "./pcm.js";
import { addWorklet } from "./worklet.js";

/**
 * @typedef {"blocked" | "no-device" | "insecure" | "busy" | "suspended" | "unsupported" | "ended" | "failed"}
 *   CaptureReason
 */

const OR_ELSE = "or pass a file or a variable instead.";

/** @type {Record<Exclude<CaptureReason, "failed">, string>} */
export const CAPTURE_MESSAGES = {
  blocked: `Microphone blocked: allow it in the browser's site settings, ${OR_ELSE}`,
  "no-device": `No microphone found: connect one (and check the system's privacy settings), ${OR_ELSE}`,
  insecure: `The microphone needs https or localhost: open the notebook through one of them, ${OR_ELSE}`,
  busy: `The microphone could not be opened (another application may hold it): close that and retry, ${OR_ELSE}`,
  suspended: "Audio is paused until the page is clicked: start the microphone from a click.",
  unsupported: `This browser cannot capture audio (no AudioWorklet): use a current browser, ${OR_ELSE}`,
  ended: "The microphone stopped: it was unplugged, or its permission was taken back.",
};

/**
 * VS Code's notebook outputs run in a webview (`vscode-webview:` origin) whose microphone requests VS Code
 * denies (docs/facts.md#vs-code-and-colab): there, a blocked microphone is no site setting to change.
 */
export const VSCODE_BLOCKED =
  `VS Code notebooks cannot use the microphone (microsoft/vscode#119127): open the notebook in JupyterLab or ` +
  `Notebook 7 in a browser, ${OR_ELSE}`;

/** @param {{protocol?: string} | undefined} location @returns {boolean} */
export function inVsCode(location = globalThis.location) {
  return location?.protocol === "vscode-webview:";
}

/** A microphone that could not start (or stopped by itself), with a one-line message for the user. */
export class CaptureError extends Error {
  /**
   * @param {CaptureReason} reason
   * @param {string} message
   * @param {unknown} [cause]
   */
  constructor(reason, message, cause) {
    super(message, { cause });
    this.name = "CaptureError";
    this.reason = reason;
  }
}

/**
 * What went wrong in getUserMedia (or before it), as a CaptureError. The names are the DOMException
 * names browsers throw, with Chrome's older aliases.
 * @param {unknown} error the rejection; null when `navigator.mediaDevices` is missing
 * @param {{secure?: boolean, vscode?: boolean}} [env] whether the page is a secure context, and VS Code's webview
 * @returns {CaptureError}
 */
export function captureError(error, { secure = globalThis.isSecureContext, vscode = inVsCode() } = {}) {
  if (error instanceof CaptureError) return error;
  const name = /** @type {any} */ (error)?.name ?? "";
  /** @param {Exclude<CaptureReason, "failed">} reason */
  const as = (reason) =>
    new CaptureError(reason, vscode && reason === "blocked" ? VSCODE_BLOCKED : CAPTURE_MESSAGES[reason], error ?? undefined);
  if (error === null) return as(vscode ? "blocked" : secure === false ? "insecure" : "unsupported");
  switch (name) {
    case "NotAllowedError":
    case "PermissionDeniedError":
    case "SecurityError":
      return as("blocked");
    case "NotFoundError":
    case "DevicesNotFoundError":
      return as("no-device");
    case "OverconstrainedError": {
      const constraint = /** @type {any} */ (error).constraint || "?";
      const message = `No microphone matches the constraint ${constraint}: drop it, ${OR_ELSE}`;
      return new CaptureError("no-device", message, error);
    }
    case "NotReadableError":
    case "TrackStartError":
    case "AbortError":
      return as("busy");
  }
  const detail = String(/** @type {any} */ (error)?.message ?? error).split("\n")[0];
  const message = `The microphone failed to start (${name || "Error"}: ${detail}), ${OR_ELSE}`;
  return new CaptureError("failed", message, error);
}

const PROCESSOR = "axio-nb-pcm-capture";
/** A context may wait for a user gesture; past this, starting is reported as `suspended`. */
const RESUME_WAIT_MS = 1000;
/** If the worklet never answers `stop` (its context stopped running), stop anyway. */
const STOP_WAIT_MS = 500;

/** The worklet: copies its (mono) input into batches and transfers each to the main thread. */
const WORKLET_SOURCE = `
class PcmCaptureProcessor extends AudioWorkletProcessor {
  constructor({ processorOptions: o }) {
    super();
    this.size = o.batchFrames;
    this.batch = new Float32Array(this.size);
    this.fill = 0;
    this.done = false;
    this.port.onmessage = ({ data: m }) => {
      if (m.type !== "stop") return;
      this.flush();
      this.done = true;
      this.port.postMessage({ type: "stopped" });
    };
  }
  flush() {
    if (!this.fill) return;
    const frames = this.batch;
    this.port.postMessage({ type: "frames", frames, length: this.fill }, [frames.buffer]);
    // The transfer detached the old array (its length is 0 now).
    this.batch = new Float32Array(this.size);
    this.fill = 0;
  }
  process(inputs) {
    if (this.done) return false;
    const input = inputs[0] && inputs[0][0];
    if (!input) return true;
    for (let at = 0; at < input.length; ) {
      const n = Math.min(input.length - at, this.size - this.fill);
      this.batch.set(input.subarray(at, at + n), this.fill);
      this.fill += n;
      at += n;
      if (this.fill === this.size) this.flush();
    }
    return true;
  }
}
registerProcessor(${JSON.stringify(PROCESSOR)}, PcmCaptureProcessor);
`;

/**
 * @typedef {object} Capture
 * @property {() => Promise<void>} stop ends the capture; the last, shorter chunk is delivered before it
 *   resolves, and the microphone is released (its indicator goes out)
 * @property {number} sampleRate of the chunks
 * @property {number} inputSampleRate of the AudioContext the microphone is read at
 * @property {MediaTrackSettings} settings what the browser applied (echoCancellation, deviceId, …)
 */

/**
 * Opens the microphone and delivers PCM16 chunks until `stop()`. Call it from a user gesture (a click):
 * the permission prompt and the AudioContext both want one.
 * @param {object} options
 * @param {(pcm16: ArrayBuffer) => void} options.onChunk mono PCM16 little-endian, `chunkMs` long
 * @param {(rms: number) => void} [options.onLevel] the RMS (0..1) of each chunk, for a level meter
 * @param {(error: CaptureError) => void} [options.onEnd] the microphone stopped without `stop()`
 * @param {number} [options.sampleRate] of the chunks (Hz)
 * @param {number} [options.chunkMs]
 * @param {MediaTrackConstraints} [options.constraints] merged over echoCancellation, noiseSuppression and
 *   autoGainControl (all on)
 * @param {AudioContext} [options.context] without it the capture makes its own and closes it at `stop()`
 * @returns {Promise<Capture>} rejects with a CaptureError
 */
export async function startCapture({
  onChunk,
  onLevel,
  onEnd,
  sampleRate = 24000,
  chunkMs = 40,
  constraints,
  context,
}) {
  const media = globalThis.navigator?.mediaDevices;
  if (!globalThis.isSecureContext || !media?.getUserMedia) throw captureError(null);
  /** @type {MediaStream} */
  let stream;
  try {
    stream = await media.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, ...constraints },
    });
  } catch (error) {
    throw captureError(error);
  }
  const ctx = context ?? new AudioContext({ latencyHint: "interactive" });
  const own = !context;
  const [track] = stream.getAudioTracks();
  /** @type {MediaStreamAudioSourceNode | null} */
  let source = null;
  /** @type {AudioWorkletNode | null} */
  let node = null;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    for (const t of stream.getTracks()) t.stop();
    source?.disconnect();
    if (node) {
      node.port.onmessage = null;
      node.disconnect();
    }
    if (own && ctx.state !== "closed") ctx.close().catch(() => {});
  };

  try {
    await addWorklet(ctx, PROCESSOR, WORKLET_SOURCE).catch((error) => {
      throw new CaptureError("unsupported", CAPTURE_MESSAGES.unsupported, error);
    });
    if (ctx.state !== "running") {
      await Promise.race([ctx.resume(), new Promise((resolve) => setTimeout(resolve, RESUME_WAIT_MS))]);
    }
    if (ctx.state !== "running") throw new CaptureError("suspended", CAPTURE_MESSAGES.suspended);
    source = ctx.createMediaStreamSource(stream);
    node = new AudioWorkletNode(ctx, PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      channelCount: 1,
      channelCountMode: "explicit",
      channelInterpretation: "speakers",
      processorOptions: { batchFrames: Math.max(128, Math.round((ctx.sampleRate * Math.min(chunkMs, 20)) / 1000)) },
    });
  } catch (error) {
    release();
    throw captureError(error);
  }

  const resampler = new LinearResampler(ctx.sampleRate, sampleRate, 1);
  const chunkFrames = Math.max(1, Math.round((sampleRate * chunkMs) / 1000));
  const chunk = new Float32Array(chunkFrames);
  let fill = 0;

  /** @param {Float32Array} samples */
  const emit = (samples) => {
    fill = 0;
    onLevel?.(Math.min(1, rms(samples)));
    onChunk(floatToPcm16(samples).buffer);
  };
  /** @param {Float32Array} frames at the target rate */
  const take = (frames) => {
    for (let at = 0; at < frames.length; ) {
      const n = Math.min(chunkFrames - fill, frames.length - at);
      chunk.set(frames.subarray(at, at + n), fill);
      fill += n;
      at += n;
      if (fill === chunkFrames) emit(chunk);
    }
  };

  /** @type {Promise<void> | null} */
  let stopping = null;
  let finish = () => {};
  const finalize = () => {
    if (released) return;
    take(resampler.flush());
    if (fill) emit(chunk.subarray(0, fill));
    release();
    finish();
  };

  node.port.onmessage = ({ data: m }) => {
    if (m.type === "frames") take(resampler.process(m.frames.subarray(0, m.length)));
    else if (m.type === "stopped") finalize();
  };
  track?.addEventListener("ended", () => {
    if (stopping || released) return;
    finalize();
    onEnd?.(new CaptureError("ended", CAPTURE_MESSAGES.ended));
  });
  source.connect(node);
  // Silence, but connected: a node nothing pulls from may not be processed.
  node.connect(ctx.destination);

  const workletNode = node;
  return Object.freeze({
    stop() {
      stopping ??= new Promise((resolve) => {
        finish = resolve;
        if (released) return resolve();
        workletNode.port.postMessage({ type: "stop" });
        setTimeout(finalize, STOP_WAIT_MS);
      });
      return stopping;
    },
    sampleRate,
    inputSampleRate: ctx.sampleRate,
    settings: track?.getSettings?.() ?? {},
  });
}
