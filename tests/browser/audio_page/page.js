// The page tests/browser/test_audio_modules.py drives: the audio modules (widgets/src/lib/audio/, bundled by
// widgets/scripts/build-audio-test.js into ./audio.js) and a probe worklet that records what a player outputs.
import * as audio from "./audio.js";

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Passes its mono input through and records it from the first non-zero sample on, with the context times
 * of the first and the last non-zero sample. (Chromium may skip a worklet's process() while nothing is
 * connected to its input, so times are read from currentTime, never counted in samples.)
 */
const PROBE = `
class Probe extends AudioWorkletProcessor {
  constructor() {
    super();
    this.data = new Float32Array(sampleRate * 20);
    this.fill = 0;
    this.first = null;
    this.last = null;
    this.port.onmessage = () =>
      this.port.postMessage({ first: this.first, last: this.last, samples: this.data.slice(0, this.fill) });
  }
  process(inputs, outputs) {
    const x = inputs[0][0];
    if (!x) return true;
    for (const out of outputs[0]) out.set(x);
    for (let i = 0; i < x.length; i++) {
      if (x[i] === 0) continue;
      const t = currentTime + i / sampleRate;
      if (this.first === null) this.first = t;
      this.last = t;
    }
    if (this.first !== null && this.fill + x.length <= this.data.length) {
      this.data.set(x, this.fill);
      this.fill += x.length;
    }
    return true;
  }
}
registerProcessor("axio-nb-test-probe", Probe);
`;

/** @param {AudioContext} ctx */
async function createProbe(ctx) {
  const url = URL.createObjectURL(new Blob([PROBE], { type: "text/javascript" }));
  await ctx.audioWorklet.addModule(url);
  URL.revokeObjectURL(url);
  const node = new AudioWorkletNode(ctx, "axio-nb-test-probe", {
    channelCount: 1,
    channelCountMode: "explicit",
    outputChannelCount: [1],
  });
  node.connect(ctx.destination);
  return {
    node,
    /** @returns {Promise<{start: number, samples: Float32Array}>} */
    dump: () =>
      new Promise((resolve) => {
        node.port.onmessage = ({ data }) => resolve(data);
        node.port.postMessage("dump");
      }),
  };
}

/** PCM16 bytes of a sine tone. */
function tone({ seconds, sampleRate, hz, amplitude }) {
  const n = Math.round(seconds * sampleRate);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate);
  return new Uint8Array(audio.floatToPcm16(x).buffer);
}

/** @param {AudioContext} ctx @param {number} contextTime → performance.now() time it is heard */
function heardAt(ctx, contextTime) {
  const stamp = ctx.getOutputTimestamp();
  return stamp.performanceTime + (contextTime - stamp.contextTime) * 1000;
}

/**
 * Streams a tone into a player in chunks, `gapMs` apart, as a speech synthesis stream would arrive. The
 * chunks are cut at odd byte offsets (a network splits bytes anywhere). `stopAfter`: stop() right after
 * pushing that many chunks. `prebufferMs`, `maxWaitMs`: the player's options.
 */
window.playback = async ({
  sampleRate = 24000,
  chunks = 12,
  chunkMs = 100,
  gapMs = 60,
  hz = 440,
  amplitude = 0.5,
  stopAfter = 0,
  prebufferMs = 0,
  maxWaitMs = 0,
}) => {
  const ctx = new AudioContext({ latencyHint: "interactive" });
  await ctx.resume();
  const probe = await createProbe(ctx);
  const bytes = tone({ seconds: (chunks * chunkMs) / 1000, sampleRate, hz, amplitude });
  const per = bytes.length / chunks;
  const parts = Array.from({ length: chunks }, (_, k) =>
    bytes.subarray(k ? Math.round(k * per) + 1 : 0, k === chunks - 1 ? bytes.length : Math.round((k + 1) * per) + 1),
  );
  const states = [];
  const pushes = [];
  const player = audio.createPcmPlayer({ sampleRate, destination: probe.node, prebufferMs, maxWaitMs });
  player.onstate = (state) => states.push({ state, t: performance.now() });
  let stopContextTime = null;
  for (let k = 0; k < chunks; k++) {
    if (k) await sleep(gapMs);
    pushes.push(performance.now());
    player.push(parts[k]);
    if (stopAfter && k + 1 === stopAfter) {
      stopContextTime = ctx.currentTime;
      player.stop();
      break;
    }
  }
  player.end();
  const final = await player.done;
  await sleep(100);
  const { first: firstTime, last: lastTime, samples } = await probe.dump();
  const first = Math.max(0, samples.findIndex((s) => s !== 0));
  let last = samples.length - 1;
  while (last >= 0 && samples[last] === 0) last--;
  let maxStep = 0;
  let sum = 0;
  let crossings = 0;
  for (let i = first; i <= last; i++) {
    if (i > first) maxStep = Math.max(maxStep, Math.abs(samples[i] - samples[i - 1]));
    if (i > first && samples[i - 1] < 0 && samples[i] >= 0) crossings++;
    sum += samples[i] * samples[i];
  }
  const soundFrames = last - first + 1;
  const result = {
    final,
    states,
    pushes,
    contextRate: ctx.sampleRate,
    baseLatency: ctx.baseLatency,
    outputLatency: ctx.outputLatency,
    startedAt: player.startedAt,
    audibleAt: player.audibleAt,
    probeAudibleAt: firstTime === null ? null : heardAt(ctx, firstTime),
    probeLastContextTime: lastTime,
    stopContextTime,
    playedSeconds: player.playedSeconds,
    pushedSeconds: bytes.length / 2 / sampleRate,
    soundSeconds: soundFrames / ctx.sampleRate,
    rms: Math.sqrt(sum / soundFrames),
    hz: crossings / (soundFrames / ctx.sampleRate),
    maxStep,
  };
  await ctx.close();
  return result;
};

/** `pcm16ToWav` in an `<audio>` element: its duration once the metadata is in. */
window.wavDuration = async ({ seconds, sampleRate }) => {
  const bytes = tone({ seconds, sampleRate, hz: 440, amplitude: 0.5 });
  const blob = audio.pcm16ToWav([bytes.subarray(0, 1001), bytes.subarray(1001)], sampleRate, 1);
  const el = document.createElement("audio");
  el.preload = "metadata";
  const url = URL.createObjectURL(blob);
  try {
    await new Promise((resolve, reject) => {
      el.onloadedmetadata = resolve;
      el.onerror = () => reject(new Error(`the <audio> element refused the WAV: ${el.error?.message}`));
      el.src = url;
    });
    return { duration: el.duration, size: blob.size, type: blob.type };
  } finally {
    URL.revokeObjectURL(url);
  }
};

/** Captures for `seconds`; returns the chunks joined, base64, and what was seen on the way. */
window.capture = async ({ seconds, sampleRate = 24000, chunkMs = 40, constraints }) => {
  const chunks = [];
  const levels = [];
  const t0 = performance.now();
  const cap = await audio.startCapture({
    sampleRate,
    chunkMs,
    constraints,
    onChunk: (buffer) => chunks.push(new Uint8Array(buffer)),
    onLevel: (level) => levels.push(level),
  });
  const startMs = performance.now() - t0;
  await sleep(seconds * 1000);
  await cap.stop();
  let binary = "";
  for (const chunk of chunks) for (let i = 0; i < chunk.length; i += 0x8000) {
    binary += String.fromCharCode(...chunk.subarray(i, i + 0x8000));
  }
  return {
    pcm: btoa(binary),
    chunkBytes: chunks.map((c) => c.length),
    levels,
    startMs,
    sampleRate: cap.sampleRate,
    inputSampleRate: cap.inputSampleRate,
    settings: cap.settings,
  };
};

/** startCapture's rejection, as plain data (null if it started). */
window.captureFailure = async (options = {}) => {
  try {
    const cap = await audio.startCapture({ onChunk: () => {}, ...options });
    await cap.stop();
    return null;
  } catch (error) {
    const { name, reason, message } = error;
    return { name, reason, message, isCaptureError: error instanceof audio.CaptureError };
  }
};

/** A player where Web Audio has no AudioWorklet (not a secure context): how it ends, and why. */
window.playerFailure = async () => {
  const player = audio.createPcmPlayer({ sampleRate: 24000 });
  player.push(new Int16Array(2400));
  const final = await player.done;
  return { final, message: String(player.error?.message ?? player.error) };
};

// ?suspended: a player made while the page has had no user gesture. Its states go to the console, so the
// test reads them without page.evaluate (an evaluate counts as a gesture). The button resumes it.
if (new URLSearchParams(location.search).has("suspended")) {
  const log = (/** @type {unknown[]} */ ...args) => console.log(JSON.stringify(["axio-test", ...args]));
  const player = audio.createPcmPlayer({ sampleRate: 24000 });
  player.onstate = (state) => log("state", state, player.context.state);
  player.push(tone({ seconds: 0.5, sampleRate: 24000, hz: 440, amplitude: 0.5 }));
  player.end();
  player.done.then((final) => log("done", final, player.playedSeconds));
  document.getElementById("play").addEventListener("click", () => {
    log("click", player.state);
    player.resume();
  });
}

window.audio = audio;
window.ready = true;
