/**
 * Streamed speech plays from the model's store, not from a view.
 *
 * The store is made when the widget's model is (stream.js `initialize`), before JupyterLab renders the
 * output and long before the view's first animation frame. Fed from here, a speech chunk goes to the
 * player as the message that carries it is applied: the wait for the view (20–100 ms in bench/media.py)
 * is gone from the time to the first sound. And a model shown twice (two views of one output) plays
 * its speech once.
 *
 * Raw PCM (`audio/pcm;rate=…`) in a block marked `streaming` (PROTOCOL.md "chunk") goes to a PCM player
 * on the page's AudioContext (audio/page-context.js), chunk by chunk from the first. Speech that is
 * still arriving when the store first sees it plays from its start (a page reloaded mid-speech); a
 * finished clip plays only when the user presses play on its `<audio>` (speech.js). Views watch a
 * block's player for its state ("Click to play" when the browser holds audio until a gesture), and
 * release it when they go: the last view to go while the speech still streams (the output was
 * cleared) stops it; a snapshot replacing the view after the end lets it drain.
 */
import { createPcmPlayer } from "./audio/player.js";
import { byteView, pcmFormat } from "./audio/pcm.js";
import { holdPageAudio } from "./audio/page-context.js";
import { BlockKind } from "./protocol.js";

/**
 * @typedef {import("./store.js").TranscriptStore} TranscriptStore
 * @typedef {ReturnType<typeof createPcmPlayer>} Player
 * @typedef {(state: string) => void} Watcher
 * @typedef {{player: Player, block: Record<string, any> | null, nextChunk: number, nextOffset: number,
 *   pushed: number, ended: boolean, views: number, watchers: Set<Watcher>, release: () => void}} Track
 * @typedef {{createPlayer?: typeof createPcmPlayer, holdAudio?: typeof holdPageAudio}} SpeechOutOptions
 */

/**
 * The page's players that are still sounding, under a registered symbol: the snapshot that replaces a
 * view mid-speech offers "Stop speaking" for them (axio_nb/render/script.py).
 */
export const SPEAKING = Symbol.for("axio_nb.speaking");

/** @returns {Set<{stop(): void, done: Promise<unknown>}>} */
function speaking() {
  const g = /** @type {Record<symbol, any>} */ (/** @type {unknown} */ (globalThis));
  return (g[SPEAKING] ??= new Set());
}

/**
 * User Timing marks for tests and benchmarks (docs/testing.md): `axio-nb:speech-first-chunk`, the latest
 * `axio-nb:speech-chunk` (one kept), `axio-nb:speech-playing` at the moment the first pushed frame
 * reaches the speakers (by the player's estimate), and `axio-nb:speech-cut`.
 * @param {string} name
 * @param {boolean} [keepOne]
 * @param {number | null} [at] a `performance.now()` time
 */
function mark(name, keepOne = false, at = null) {
  const perf = globalThis.performance;
  if (!perf?.mark) return;
  if (keepOne) perf.clearMarks(name);
  perf.mark(name, at === null ? undefined : { startTime: at });
}

/** @type {WeakMap<TranscriptStore, SpeechOut>} */
const outputs = new WeakMap();

/**
 * The speech output of a store, made on first use.
 * @param {TranscriptStore} store
 * @param {SpeechOutOptions} [opts]
 * @returns {SpeechOut}
 */
export function speechFor(store, opts) {
  let out = outputs.get(store);
  if (!out) outputs.set(store, (out = new SpeechOut(store, opts)));
  return out;
}

export class SpeechOut {
  /**
   * @param {TranscriptStore} store
   * @param {SpeechOutOptions} [opts]
   */
  constructor(store, { createPlayer = createPcmPlayer, holdAudio = holdPageAudio } = {}) {
    this.store = store;
    this.createPlayer = createPlayer;
    this.holdAudio = holdAudio;
    /** @type {Map<number, Track>} */
    this.tracks = new Map();
    /** Blocks that were whole when first seen: a clip, not speech to play as it arrives. */
    this.clips = new Set();
    store.subscribe((change) => {
      const ids = change.reset ? store.blocks.map((b) => b.id) : change.ids;
      for (const id of ids) this.apply(store.byId.get(id));
    });
    for (const block of store.blocks) this.apply(block);
  }

  /** @param {Record<string, any> | undefined} block */
  apply(block) {
    if (!block || block.kind !== BlockKind.audio || this.clips.has(block.id)) return;
    const pcm = pcmFormat(String(block.media_type));
    if (!pcm || block.streaming === undefined) return;
    let track = this.tracks.get(block.id);
    if (!track) {
      if (!block.streaming || this.store.finished) {
        this.clips.add(block.id);
        return;
      }
      track = this.start(block.id, pcm);
    }
    if (track.ended) return;
    this.feed(track, block);
    if (block.streaming) return;
    track.ended = true;
    if (block.cut) {
      // Barge-in (PROTOCOL.md "cut"): the user spoke over it, so stop now, not after what is buffered.
      track.player.stop();
      mark("axio-nb:speech-cut");
    } else {
      track.player.end();
    }
  }

  /**
   * @param {number} id
   * @param {{sampleRate: number, channels: number}} pcm
   * @returns {Track}
   */
  start(id, pcm) {
    const held = this.holdAudio();
    const player = this.createPlayer({ ...pcm, ...(held ? { context: held.context } : {}) });
    /** @type {Track} */
    const track = {
      player,
      block: null,
      nextChunk: 0,
      nextOffset: 0,
      pushed: 0,
      ended: false,
      views: 0,
      watchers: new Set(),
      release: () => held?.release(),
    };
    let heard = false;
    player.onstate = (state) => {
      if (state === "playing" && !heard) {
        heard = true;
        mark("axio-nb:speech-playing", false, player.startedAt);
      }
      for (const watch of track.watchers) watch(state);
    };
    speaking().add(player);
    void player.done?.then(() => {
      speaking().delete(player);
      track.release();
    });
    this.tracks.set(id, track);
    return track;
  }

  /**
   * Give the player every byte past what it has: the chunks that came since, or, for a block the store
   * replaced (a `state` after a resync or a late hello), what the new block holds beyond what was pushed.
   * @param {Track} track
   * @param {Record<string, any>} block
   */
  feed(track, block) {
    if (block !== track.block) {
      track.block = block;
      track.nextChunk = 0;
      track.nextOffset = 0;
      if (block.bytes) this.pushFrom(track, byteView(block.bytes));
    }
    const chunks = block.chunks ?? [];
    for (; track.nextChunk < chunks.length; track.nextChunk++) this.pushFrom(track, byteView(chunks[track.nextChunk]));
  }

  /** @param {Track} track @param {Uint8Array} part */
  pushFrom(track, part) {
    const end = track.nextOffset + part.byteLength;
    if (end > track.pushed) {
      if (track.pushed === 0) mark("axio-nb:speech-first-chunk");
      mark("axio-nb:speech-chunk", true);
      track.player.push(track.pushed > track.nextOffset ? part.subarray(track.pushed - track.nextOffset) : part);
      track.pushed = end;
    }
    track.nextOffset = end;
  }

  /**
   * A view shows block `id`'s speech: `watch` gets the player's state now and at each change. Returns
   * the release the view calls when it goes, or null if that block has no player (a clip, or not PCM).
   * @param {number} id
   * @param {Watcher} watch
   * @returns {(() => void) | null}
   */
  attach(id, watch) {
    const track = this.tracks.get(id);
    if (!track) return null;
    track.views += 1;
    track.watchers.add(watch);
    watch(track.player.state);
    let attached = true;
    return () => {
      if (!attached) return;
      attached = false;
      track.views -= 1;
      track.watchers.delete(watch);
      if (track.views === 0 && !track.ended) this.stop(id);
    };
  }

  /** @param {number} id resume the page's audio from a click (the browser held it until a gesture) */
  resume(id) {
    return this.tracks.get(id)?.player.resume();
  }

  /** @param {number} id cut block `id`'s speech now (Stop; the output cleared while it streams) */
  stop(id) {
    const track = this.tracks.get(id);
    if (!track) return;
    track.ended = true;
    track.player.stop();
  }
}
