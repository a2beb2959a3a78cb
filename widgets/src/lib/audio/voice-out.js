/**
 * The assistant's voice in a realtime session (src/voice.js): one PCM player per answer, fed as the kernel's
 * `audio` messages come, ended at `audio_end`, dropped at once on `flush` (barge-in), and counted: how many
 * of the session's `AudioOutputDelta`s played to the end, how many milliseconds played, how often the buffer
 * ran dry mid-answer. The counts go back to the kernel as increments (`playback` messages, widgets/PROTOCOL.md
 * "Voice"), so a reloaded page adds to them rather than starting them over.
 *
 * User Timing marks, for the tests and the benchmark (docs/testing.md): `axio-nb:speech-playing` when the
 * first answer's first frame reached the speakers (the player's estimate), and `axio-nb:voice-flush` at a
 * barge-in, its `detail` saying how much buffered voice was dropped (`buffered_ms`).
 */
import { createPcmPlayer } from "./player.js";
import { pcmFormat } from "./pcm.js";

/**
 * Sound starts once this much is buffered: a voice paced in real time (the demo's, 100 ms a chunk) would
 * otherwise run dry between every two chunks. Providers that send faster than real time fill it at once.
 */
export const PREBUFFER_MS = 120;

/**
 * @typedef {{played: number, underruns: number, played_ms: number}} PlaybackCounts
 * @typedef {ReturnType<typeof createPcmPlayer>} Player
 * @param {object} options
 * @param {() => AudioContext} options.context the session's one output context (made from a user gesture)
 * @param {(state: string) => void} [options.onstate] the current player's state (`suspended`: click to play)
 * @param {typeof createPcmPlayer} [options.createPlayer]
 */
export function createVoiceOutput({ context, onstate, createPlayer = createPcmPlayer }) {
  /** @type {Player | null} */
  let player = null;
  let sampleRate = 24000;
  let frameBytes = 2;
  /** End offsets, in bytes, of the deltas given to the current player and not yet counted as played. */
  /** @type {number[]} */
  let ends = [];
  let pushed = 0;
  let playedSec = 0;
  let heard = false;
  /** @type {PlaybackCounts} */
  const counts = { played: 0, underruns: 0, played_ms: 0 };
  /** @type {PlaybackCounts} */
  const reported = { played: 0, underruns: 0, played_ms: 0 };

  /** Count what the current player has rendered since the last look. */
  function account() {
    if (!player) return;
    const sec = player.playedSeconds;
    if (sec > playedSec) {
      counts.played_ms += Math.round((sec - playedSec) * 1000);
      playedSec = sec;
    }
    const bytes = Math.floor(sec * sampleRate) * frameBytes;
    while (ends.length && ends[0] <= bytes) {
      ends.shift();
      counts.played += 1;
    }
  }

  /** @param {string} mediaType */
  function ensure(mediaType) {
    if (player) return player;
    const pcm = pcmFormat(mediaType) ?? { sampleRate: 24000, channels: 1 };
    sampleRate = pcm.sampleRate;
    frameBytes = 2 * pcm.channels;
    ends = [];
    pushed = 0;
    playedSec = 0;
    const made = createPlayer({ ...pcm, context: context(), prebufferMs: PREBUFFER_MS });
    made.onstate = (state) => {
      if (state === "underrun") counts.underruns += 1;
      if (state === "playing" && !heard && made.startedAt !== null) {
        heard = true;
        globalThis.performance?.mark?.("axio-nb:speech-playing", { startTime: made.startedAt });
      }
      onstate?.(state);
    };
    void made.done.then((final) => {
      if (final !== "ended" || player !== made) return;
      account();
      counts.played += ends.length; // drained to the end: every delta it held was heard
      ends = [];
      player = null;
    });
    return (player = made);
  }

  return {
    /**
     * One `audio` message: `sizes` are the byte lengths of the deltas joined in `data`.
     * @param {string} mediaType @param {number[]} sizes @param {ArrayBuffer | ArrayBufferView} data
     */
    push(mediaType, sizes, data) {
      const to = ensure(mediaType);
      for (const size of sizes) ends.push((pushed += size));
      to.push(data);
    },
    /** The answer's voice is complete: play the rest, then the next answer gets a new player. */
    end() {
      player?.end();
    },
    /** Barge-in: drop what is buffered, now. Returns how many ms of voice were dropped. */
    flush() {
      if (!player) return 0;
      account();
      const dropped = Math.round(player.bufferedSeconds * 1000);
      player.stop();
      player = null;
      ends = [];
      globalThis.performance?.mark?.("axio-nb:voice-flush", { detail: { buffered_ms: dropped } });
      return dropped;
    },
    /** @returns {PlaybackCounts | null} what changed since the last call (null: nothing) */
    increments() {
      account();
      const d = {
        played: counts.played - reported.played,
        underruns: counts.underruns - reported.underruns,
        played_ms: counts.played_ms - reported.played_ms,
      };
      Object.assign(reported, counts);
      return d.played || d.underruns || d.played_ms ? d : null;
    },
    counts,
    get player() {
      return player;
    },
    stop() {
      player?.stop();
      player = null;
    },
  };
}
