/**
 * The assistant's voice in a realtime session (src/voice.js): one PCM player per answer, fed as the kernel's
 * `audio` messages come, ended at `audio_end`, dropped at once on `flush` (barge-in), and counted: how many
 * of the session's `AudioOutputDelta`s played to the end, how many milliseconds played, how often the buffer
 * ran dry mid-answer. The counts go back to the kernel as increments (`playback` messages, widgets/PROTOCOL.md
 * "Voice"), so a reloaded page adds to them rather than starting them over.
 *
 * User Timing marks, for the tests and the benchmark (docs/testing.md): `axio-nb:speech-playing` when the
 * first answer's first frame reached the speakers (the player's estimate), and `axio-nb:voice-flush` at a
 * barge-in, its `detail` saying how much buffered voice was dropped (`buffered_ms`). Each answer's player is
 * also kept, while it lasts, in the page's `VOICE_PLAYERS` set, for bench/realtime.py to read (its `audibleAt`
 * and states); nothing in the product reads it.
 */
import { createPcmPlayer } from "./player.js";
import { pcmFormat } from "./pcm.js";

/**
 * Sound starts once this much is buffered: a voice paced in real time (the demo's, 100 ms a chunk) would
 * otherwise run dry between every two chunks. Providers that send faster than real time fill it at once.
 */
export const PREBUFFER_MS = 120;
/**
 * …or this long after an answer's first voice came, with what is buffered by then. Paced in real time, one
 * 100 ms chunk never fills the prebuffer, and waiting for the second cost ~100 ms before the first sound
 * (bench/realtime.py); this starts it sooner, with this much slack for the next chunk to come late (40 ms
 * ran dry once per session on a busy machine, with the microphone streaming). A connection that delivers
 * late gets more, up to the whole prebuffer: the wait covers the latest message of the last `LAG_WINDOW`
 * (below) plus `JITTER_MARGIN_MS`, and each underrun in the session adds `WAIT_STEP_MS` for the next
 * answers (a provider that itself sends late is not seen in the messages' delays). One that delivers on time
 * keeps the short wait. (A step of 20 ms after one page stall in the session's first answer put every later
 * answer's first sound at 123–129 ms: bench/realtime.py.)
 */
export const FIRST_WAIT_MS = 60;
export const WAIT_STEP_MS = 10;
export const JITTER_MARGIN_MS = 15;
/**
 * The wait counts from when the answer's first voice left the kernel, not from when it came: each `audio`
 * message says when it left (`t`, the kernel's clock), and the page knows its messages' usual delay as the
 * least of (arrival − `t`) over the last `LAG_WINDOW` of them (the two clocks' offset drops out). A first
 * message that came late (the page was busy, or the kernel sent a caption just before) waits that much less:
 * what the next chunk needs is the time since it left, which its lateness already used up. The first sound
 * went from 97–123 ms to 95–106 ms with a voice paced in real time (bench/realtime.py, BENCHMARKS.md).
 */
export const LAG_WINDOW = 50;

/**
 * The voice's players not yet done, under a registered symbol (one set per page). Apart from
 * lib/speech-out.js's `axio_nb.speaking`: a snapshot's "Stop speaking" is not for the voice, which the
 * controls stop themselves.
 */
export const VOICE_PLAYERS = Symbol.for("axio_nb.voicePlayers");

/**
 * @typedef {{played: number, underruns: number, played_ms: number}} PlaybackCounts
 * @typedef {ReturnType<typeof createPcmPlayer>} Player
 * @typedef {{player: Player, ends: number[], pushed: number, playedSec: number, sampleRate: number,
 *   frameBytes: number}} Track one answer's player and what of it is not yet counted: the end offsets (bytes)
 *   of its deltas not yet played, the bytes pushed, the seconds counted as played
 * @typedef {{mediaType: string, sizes: number[], data: ArrayBuffer | ArrayBufferView} | null} Waiting
 *   an `audio` message of the next answer (null: its `audio_end`)
 */

/**
 * One answer plays at a time: an answer whose voice starts while the previous one still plays its buffered
 * rest (answers back to back, or the answer after a tool call) waits for it, in order, and then starts with
 * everything it received meanwhile. (Handing it to the previous answer's player lost it: a player takes
 * nothing after `end()`.)
 * @param {object} options
 * @param {() => AudioContext} options.context the session's one output context (made from a user gesture)
 * @param {(state: string) => void} [options.onstate] the current player's state (`suspended`: click to play)
 * @param {typeof createPcmPlayer} [options.createPlayer]
 * @param {() => number} [options.now] the page's clock in ms (`performance.now()`)
 */
export function createVoiceOutput({ context, onstate, createPlayer = createPcmPlayer, now = () => performance.now() }) {
  /** @type {Track | null} the answer whose voice is arriving */
  let current = null;
  /** @type {Track | null} an answer whose voice is complete and still playing */
  let draining = null;
  /** @type {Waiting[]} the next answer's messages while `draining` plays */
  let waiting = [];
  let heard = false;
  let waitMs = FIRST_WAIT_MS;
  /** @type {number[]} arrival − sent time of the last `LAG_WINDOW` messages, in ms (offset by the clocks') */
  const lags = [];
  /** @type {PlaybackCounts} */
  const counts = { played: 0, underruns: 0, played_ms: 0 };
  /** @type {PlaybackCounts} */
  const reported = { played: 0, underruns: 0, played_ms: 0 };

  /** Count what a track's player has rendered since the last look. @param {Track | null} track */
  function account(track) {
    if (!track) return;
    const sec = track.player.playedSeconds;
    if (sec > track.playedSec) {
      counts.played_ms += Math.round((sec - track.playedSec) * 1000);
      track.playedSec = sec;
    }
    const bytes = Math.floor(sec * track.sampleRate) * track.frameBytes;
    while (track.ends.length && track.ends[0] <= bytes) {
      track.ends.shift();
      counts.played += 1;
    }
  }

  /**
   * How much later than usual a message sent at `sentAt` (the kernel's clock, ms) came; 0 without it.
   * @param {number | undefined} sentAt
   */
  function lateness(sentAt) {
    if (typeof sentAt !== "number" || !Number.isFinite(sentAt)) return 0;
    const lag = now() - sentAt;
    lags.push(lag);
    if (lags.length > LAG_WINDOW) lags.shift();
    return Math.max(0, lag - Math.min(...lags));
  }

  /** The wait for the next answer's first voice, from when it left the kernel (ms). */
  function cushion() {
    const worst = lags.length ? Math.max(...lags) - Math.min(...lags) : 0;
    return Math.min(PREBUFFER_MS, Math.max(waitMs, worst + JITTER_MARGIN_MS));
  }

  /** @param {string} mediaType @param {number} late ms the first voice came later than usual @returns {Track} */
  function start(mediaType, late) {
    const pcm = pcmFormat(mediaType) ?? { sampleRate: 24000, channels: 1 };
    // maxWaitMs 0 would mean no bound: at least 1 ms.
    const maxWaitMs = Math.max(1, Math.round(cushion() - late));
    const made = createPlayer({ ...pcm, context: context(), prebufferMs: PREBUFFER_MS, maxWaitMs });
    /** @type {Track} */
    const track = {
      player: made,
      ends: [],
      pushed: 0,
      playedSec: 0,
      sampleRate: pcm.sampleRate,
      frameBytes: 2 * pcm.channels,
    };
    made.onstate = (state) => {
      if (state === "underrun") {
        counts.underruns += 1;
        waitMs = Math.min(PREBUFFER_MS, waitMs + WAIT_STEP_MS);
      }
      if (state === "playing" && !heard && made.startedAt !== null) {
        heard = true;
        globalThis.performance?.mark?.("axio-nb:speech-playing", { startTime: made.startedAt });
      }
      onstate?.(state);
    };
    const g = /** @type {Record<symbol, Set<Player>>} */ (/** @type {unknown} */ (globalThis));
    const live = (g[VOICE_PLAYERS] ??= new Set());
    live.add(made);
    void made.done.then((final) => {
      live.delete(made);
      if (final !== "ended") return; // stopped: flush() or stop() already let go of it
      account(track);
      counts.played += track.ends.length; // drained to the end: every delta it held was heard
      track.ends = [];
      if (current === track) current = null;
      if (draining === track) {
        draining = null;
        const next = waiting;
        waiting = [];
        for (const m of next) m ? output.push(m.mediaType, m.sizes, m.data) : output.end();
      }
    });
    return track;
  }

  const output = {
    /**
     * One `audio` message: `sizes` are the byte lengths of the deltas joined in `data`; `sentAt` when it left
     * the kernel (its clock, ms), if it says.
     * @param {string} mediaType @param {number[]} sizes @param {ArrayBuffer | ArrayBufferView} data
     * @param {number} [sentAt]
     */
    push(mediaType, sizes, data, sentAt) {
      const late = lateness(sentAt);
      if (!current && draining) {
        waiting.push({ mediaType, sizes, data });
        return;
      }
      const track = (current ??= start(mediaType, late));
      for (const size of sizes) track.ends.push((track.pushed += size));
      track.player.push(data);
    },
    /** The answer's voice is complete: play the rest; the next answer's voice waits for it. */
    end() {
      if (!current && draining) {
        if (waiting.length) waiting.push(null);
        return;
      }
      if (!current) return;
      const track = current;
      current = null;
      draining = track;
      track.player.end();
    },
    /** Barge-in: drop what is buffered and waiting, now. Returns how many ms of voice were dropped. */
    flush() {
      let dropped = 0;
      for (const track of [draining, current]) {
        if (!track) continue;
        account(track);
        dropped += track.player.bufferedSeconds * 1000;
        track.player.stop();
      }
      for (const m of waiting) {
        const pcm = m && (pcmFormat(m.mediaType) ?? { sampleRate: 24000, channels: 1 });
        if (m && pcm) dropped += (m.data.byteLength / (2 * pcm.channels) / pcm.sampleRate) * 1000;
      }
      const had = current || draining || waiting.length;
      current = draining = null;
      waiting = [];
      if (!had) return 0;
      dropped = Math.round(dropped);
      globalThis.performance?.mark?.("axio-nb:voice-flush", { detail: { buffered_ms: dropped } });
      return dropped;
    },
    /** @returns {PlaybackCounts | null} what changed since the last call (null: nothing) */
    increments() {
      account(draining);
      account(current);
      const d = {
        played: counts.played - reported.played,
        underruns: counts.underruns - reported.underruns,
        played_ms: counts.played_ms - reported.played_ms,
      };
      Object.assign(reported, counts);
      return d.played || d.underruns || d.played_ms ? d : null;
    },
    counts,
    /** The player sounding now (the draining answer's, else the arriving one's), or null. */
    get player() {
      return (draining ?? current)?.player ?? null;
    },
    stop() {
      draining?.player.stop();
      current?.player.stop();
      current = draining = null;
      waiting = [];
    },
  };
  return output;
}
