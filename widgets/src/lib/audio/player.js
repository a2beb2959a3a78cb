/**
 * Streaming playback of raw PCM16 in the browser, from the first chunk on (speech synthesis now,
 * realtime voice next). The speakers are where the page is, not where the kernel runs.
 *
 * Why an AudioWorklet reading a ring buffer, and not `<audio>` with MediaSource: MediaSource takes only
 * containered compressed streams (fMP4, WebM; `MediaSource.isTypeSupported("audio/wav")` is false), so
 * raw PCM would first have to be encoded on the page; and mp3/opus appended to a SourceBuffer wait for
 * the decoder and the element's own buffering before a sound comes out. Chunks of PCM copied into a
 * worklet's ring buffer are audible at the next render quantum (128 frames) after they land. The
 * worklet never allocates: the buffer has a fixed size, and the main thread keeps anything that runs
 * further ahead than `leadMs` in its own queue, feeding the worklet as it reports progress. A
 * SharedArrayBuffer ring would save the messages but needs a cross-origin-isolated page, which
 * JupyterLab is not.
 *
 * Compressed formats (mp3, opus, aac, flac, wav) take the simple path: collect the bytes, then
 * `audioBlob(chunks, mediaType)` (`clip.js`) into an `<audio>` element once the stream is complete. So
 * does PCM once it has played: `pcm16ToWav` gives a normal, seekable clip.
 *
 * Browsers start an AudioContext `suspended` until the page has had a user gesture (autoplay policy).
 * The player then reports the state `suspended`; the view shows a "click to play" affordance that calls
 * `player.resume()` from the click.
 */
import { LinearResampler, PcmFramer, pcm16ToFloat } from "./pcm.js";
import { PLAYER_PROCESSOR, PLAYER_WORKLET } from "./player-worklet.js";
import { addWorklet } from "./worklet.js";

// The clip of a finished stream, where a view using the player looks for it.
export { audioBlob, pcm16ToWav } from "./clip.js";

/**
 * @typedef {"loading" | "suspended" | "waiting" | "playing" | "underrun" | "ended" | "stopped" | "error"} PlayerState
 *   `loading` (the worklet module is being added), `suspended` (the AudioContext waits for a user gesture:
 *   call `resume()` from a click), `waiting` (no sound yet: nothing pushed, or less than `prebufferMs`),
 *   `playing`, `underrun` (the buffer ran dry before `end()`: silence until more is pushed), `ended` (drained
 *   after `end()`), `stopped` (`stop()`, or the AudioContext was closed), `error` (see `player.error`).
 */

/**
 * @typedef {object} PcmPlayer
 * @property {(chunk: ArrayBuffer | ArrayBufferView) => void} push PCM16 little-endian, interleaved; any
 *   byte split (a partial frame waits for the next chunk)
 * @property {() => void} end no more chunks: play what is buffered, then `ended`
 * @property {() => void} stop cut now (barge-in): drops everything buffered, then `stopped`
 * @property {() => Promise<void>} resume resume a suspended AudioContext; call it from a user gesture
 * @property {PlayerState} state
 * @property {number | null} startedAt when the first pushed frame reaches the speakers (ms on the
 *   `performance.now()` clock), estimated from the AudioContext's output timestamp; null before
 * @property {number | null} audibleAt the same for the first non-zero sample
 * @property {number} playedSeconds audio rendered so far (excludes underrun silence)
 * @property {number} bufferedSeconds pushed but not yet played
 * @property {AudioContext} context
 * @property {unknown} error why the state is `error`
 * @property {Promise<PlayerState>} done settles with `ended`, `stopped` or `error`; never rejects
 * @property {((state: PlayerState) => void) | null} onstate called on every change of `state`
 */

/** The main thread hands the worklet at most this much audio at once. */
const PIECE_MS = 100;
/** How often the worklet reports how far it has played. */
const PROGRESS_MS = 50;
/** After the last frame is rendered, the output device still has its latency's worth to play. */
const CLOSE_DELAY_MS = 300;
const FINAL = new Set(["ended", "stopped", "error"]);

/**
 * A player for one stream of PCM16. Pushing may start at once: chunks wait while the worklet loads.
 * @param {object} [options]
 * @param {number} [options.sampleRate] of the pushed PCM (Hz); resampled to the context's rate
 * @param {number} [options.channels] interleaved channels in the pushed PCM
 * @param {AudioContext} [options.context] share one per page; without it the player makes its own and
 *   closes it when done
 * @param {AudioNode} [options.destination] where the sound goes (a GainNode for volume, an AnalyserNode for
 *   a level meter…); default the context's speakers
 * @param {number} [options.prebufferMs] sound starts (and restarts after an underrun) once this much is
 *   buffered, or at `end()`; 0 starts with the first chunk
 * @param {number} [options.maxWaitMs] …or this long after the first chunk came while silent, with whatever
 *   is buffered by then (0: no limit). A voice paced in real time never fills a prebuffer larger than its
 *   chunks until the next one comes; this bounds the wait, at the cost of less cushion against late chunks
 * @param {number} [options.leadMs] the most audio handed to the worklet ahead of the play position
 * @returns {PcmPlayer}
 */
export function createPcmPlayer({
  sampleRate = 24000,
  channels = 1,
  context,
  destination,
  prebufferMs = 0,
  maxWaitMs = 0,
  leadMs = 2000,
} = {}) {
  const shared = context ?? /** @type {AudioContext | undefined} */ (destination?.context);
  const ctx = shared ?? new AudioContext({ latencyHint: "interactive" });
  const own = !shared;
  const rate = ctx.sampleRate;
  const framer = new PcmFramer(channels);
  const resampler = new LinearResampler(sampleRate, rate, channels);
  const pieceSamples = Math.max(1, Math.round((sampleRate * PIECE_MS) / 1000)) * channels;
  const leadFrames = Math.max(1, Math.round((rate * leadMs) / 1000));
  /** @type {Int16Array[]} source samples not yet handed to the worklet */
  const queue = [];
  let queued = 0;
  let posted = 0;
  let read = 0;
  let ending = false;
  let endPosted = false;
  /** @type {PlayerState} */
  let phase = "loading";
  /** @type {PlayerState | null} */
  let reported = null;
  /** @type {AudioWorkletNode | null} */
  let node = null;
  /** @type {number | null} */
  let startedAt = null;
  /** @type {number | null} */
  let audibleAt = null;
  /** @type {unknown} */
  let error = null;
  /** @type {(state: PlayerState) => void} */
  let settle = () => {};
  /** @type {Promise<PlayerState>} */
  const done = new Promise((resolve) => (settle = resolve));

  /** @returns {PlayerState} */
  const state = () => (FINAL.has(phase) || ctx.state === "running" ? phase : /** @type {const} */ ("suspended"));

  /** @param {PlayerState} [next] */
  function update(next) {
    if (next) phase = next;
    const now = state();
    if (now === reported) return;
    reported = now;
    player.onstate?.(now);
  }

  /**
   * The `performance.now()` time at which the frame rendered at context time `t` leaves the speakers.
   * @param {number} t
   */
  function heardAt(t) {
    const stamp = ctx.getOutputTimestamp?.();
    if (stamp?.performanceTime && stamp.contextTime !== undefined) {
      return stamp.performanceTime + (t - stamp.contextTime) * 1000;
    }
    return performance.now() + (ctx.outputLatency || ctx.baseLatency || 0) * 1000;
  }

  /** @param {Float32Array} samples */
  function send(samples) {
    if (!node || !samples.length) return;
    posted += samples.length / channels;
    node.port.postMessage({ type: "data", samples }, [samples.buffer]);
  }

  function feed() {
    if (!node || FINAL.has(phase)) return;
    while (queue.length && posted - read < leadFrames) {
      let piece = queue[0];
      if (piece.length > pieceSamples) {
        queue[0] = piece.subarray(pieceSamples);
        piece = piece.subarray(0, pieceSamples);
      } else queue.shift();
      queued -= piece.length / channels;
      send(resampler.process(pcm16ToFloat(piece)));
    }
    if (ending && !queue.length && !endPosted) {
      send(resampler.flush());
      node.port.postMessage({ type: "end" });
      endPosted = true;
    }
  }

  /** @param {MessageEvent} event */
  function onMessage({ data: m }) {
    read = m.read;
    switch (m.type) {
      case "playing":
        if (m.first) startedAt = heardAt(m.time);
        update("playing");
        break;
      case "audible":
        audibleAt = heardAt(m.time);
        break;
      case "underrun":
        update("underrun");
        break;
      case "ended":
        return finish("ended");
      case "overflow":
        console.warn(`axio_nb: the player's buffer overflowed; ${m.dropped} samples dropped`);
        break;
    }
    feed();
  }

  function onContextState() {
    if (ctx.state === "closed") finish("stopped");
    else update();
  }

  /** @param {PlayerState} final */
  function finish(final) {
    if (FINAL.has(phase)) return;
    queue.length = 0;
    queued = 0;
    if (node) {
      if (final !== "ended") node.port.postMessage({ type: "stop" });
      node.port.onmessage = null;
      node.disconnect();
    }
    ctx.removeEventListener("statechange", onContextState);
    if (own && ctx.state !== "closed") {
      const close = () => ctx.close().catch(() => {});
      if (final === "ended") setTimeout(close, CLOSE_DELAY_MS);
      else close();
    }
    update(final);
    settle(final);
  }

  /** @type {PcmPlayer} */
  const player = {
    push(chunk) {
      if (ending || FINAL.has(phase)) return;
      const samples = framer.push(chunk);
      if (!samples.length) return;
      queue.push(samples);
      queued += samples.length / channels;
      feed();
    },
    end() {
      if (ending || FINAL.has(phase)) return;
      ending = true;
      feed();
    },
    stop() {
      finish("stopped");
    },
    resume() {
      return ctx.resume();
    },
    get state() {
      return state();
    },
    get startedAt() {
      return startedAt;
    },
    get audibleAt() {
      return audibleAt;
    },
    get playedSeconds() {
      return read / rate;
    },
    get bufferedSeconds() {
      return FINAL.has(phase) ? 0 : (posted - read) / rate + queued / sampleRate;
    },
    get context() {
      return ctx;
    },
    get error() {
      return error;
    },
    done,
    onstate: null,
  };

  ctx.addEventListener("statechange", onContextState);
  // After the caller has set `onstate`: the first state (often `suspended`) reaches it too.
  queueMicrotask(() => update());
  if (own && ctx.state === "suspended") ctx.resume().catch(() => {});
  addWorklet(ctx, PLAYER_PROCESSOR, PLAYER_WORKLET)
    .then(() => {
      if (FINAL.has(phase)) return;
      node = new AudioWorkletNode(ctx, PLAYER_PROCESSOR, {
        numberOfInputs: 0,
        numberOfOutputs: 1,
        outputChannelCount: [channels],
        processorOptions: {
          channels,
          capacityFrames: leadFrames + 2 * Math.ceil((rate * PIECE_MS) / 1000) + 128,
          startFrames: Math.max(1, Math.min(leadFrames, Math.round((rate * prebufferMs) / 1000))),
          waitFrames: Math.max(0, Math.round((rate * maxWaitMs) / 1000)),
          progressFrames: Math.round((rate * PROGRESS_MS) / 1000),
        },
      });
      node.port.onmessage = onMessage;
      node.connect(destination ?? ctx.destination);
      update("waiting");
      feed();
    })
    .catch((e) => {
      error = e;
      finish("error");
    });
  return player;
}
