/**
 * A streaming `audio` block (`streaming: true`, PROTOCOL.md "chunk"): speech that plays while it
 * arrives, then a normal seekable `<audio>` holding the whole clip.
 *
 * Raw PCM (`audio/pcm;rate=…`) goes to the page's PCM player (lib/audio/player.js: an AudioWorklet
 * reading a ring buffer) chunk by chunk, from the first one. Compressed formats take the simple path:
 * the bytes are collected and the player appears when the stream ends. A browser that keeps audio
 * suspended until a user gesture gets a "Click to play" button instead of silence. A view that joins
 * while the speech still streams (its `state` holds everything so far) plays it from the start.
 */
import { audioBlob, createPcmPlayer } from "./audio/player.js";
import { byteView, pcmFormat } from "./audio/pcm.js";
import { button, h } from "./dom.js";
import { describeMedia } from "./media.js";

/**
 * @typedef {import("./media.js").UrlRegistry} UrlRegistry
 * @typedef {{createPlayer?: typeof createPcmPlayer, live?: boolean, stoppers?: Set<() => void>}} SpeechOptions
 */

/**
 * The page's players that are still sounding, under a registered symbol: the snapshot that replaces a
 * view mid-speech offers "Stop speaking" for them (axio_nb/render/snapshot.py, `SNAPSHOT_SCRIPT`).
 */
export const SPEAKING = Symbol.for("axio_nb.speaking");

/** @returns {Set<{stop(): void, done: Promise<unknown>}>} */
function speaking() {
  const g = /** @type {Record<symbol, any>} */ (/** @type {unknown} */ (globalThis));
  return (g[SPEAKING] ??= new Set());
}

/**
 * User Timing marks for tests and benchmarks (docs/testing.md): `axio-nb:speech-first-chunk`, the latest
 * `axio-nb:speech-chunk` (one kept), and `axio-nb:speech-playing` at the moment the first pushed frame
 * reaches the speakers, by the player's estimate.
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

/**
 * @param {Document} doc
 * @param {HTMLElement} el
 * @param {UrlRegistry} urls
 * @param {SpeechOptions} [opts] `live`: this view saw the stream start (else it joined late); `stoppers`:
 *   the view's Stop button calls these (Stop cuts the speech at once, not after what is buffered)
 */
export function createSpeechView(doc, el, urls, opts = {}) {
  const makePlayer = opts.createPlayer ?? createPcmPlayer;
  const status = h(doc, "div", "axio-nb-speech-status");
  status.setAttribute("role", "status");
  const caption = h(doc, "div", "axio-nb-media-caption");
  const playButton = button(doc, "axio-nb-speech-play", "Click to play", "Play the speech", () => {
    void player?.resume();
  });
  playButton.hidden = true;
  el.replaceChildren(status, playButton, caption);

  /** @type {ReturnType<typeof createPcmPlayer> | null} */
  let player = null;
  let finished = false;
  /** @type {string | null} */
  let url = null;
  /** Bytes of the speech given to the player so far. */
  let pushed = 0;
  /** The block object last fed, the next of its chunks to feed, and the byte offset where that chunk starts. */
  let fedBlock = /** @type {Record<string, any> | null} */ (null);
  let nextChunk = 0;
  let nextOffset = 0;

  /** @param {Record<string, any>} block */
  function all(block) {
    return [...(block.bytes ? [block.bytes] : []), ...(block.chunks ?? [])];
  }

  /** @param {string} state */
  function showState(state) {
    playButton.hidden = state !== "suspended";
    status.textContent =
      state === "suspended"
        ? "Audio is paused by the browser until you click."
        : state === "error"
          ? "Could not play the audio."
          : "";
  }

  /** @param {{sampleRate: number, channels: number}} pcm */
  function ensurePlayer(pcm) {
    if (player) return player;
    const made = (player = makePlayer({ sampleRate: pcm.sampleRate, channels: pcm.channels }));
    let heard = false;
    made.onstate = (state) => {
      if (state === "playing" && !heard) {
        heard = true;
        mark("axio-nb:speech-playing", false, made.startedAt);
      }
      showState(state);
    };
    showState(made.state);
    opts.stoppers?.add(() => made.stop());
    speaking().add(made);
    void made.done?.then(() => speaking().delete(made));
    return made;
  }

  /**
   * Give the player every byte past `pushed`: the chunks that came since, or, for a block the store
   * replaced (a `state` after a view joined late or resynced), what it holds beyond what was played.
   * @param {Record<string, any>} block
   * @param {ReturnType<typeof createPcmPlayer>} to
   */
  function feed(block, to) {
    if (block !== fedBlock) {
      fedBlock = block;
      nextChunk = 0;
      nextOffset = 0;
      if (block.bytes) pushFrom(byteView(block.bytes), to);
    }
    const chunks = block.chunks ?? [];
    for (; nextChunk < chunks.length; nextChunk++) pushFrom(byteView(chunks[nextChunk]), to);
  }

  /** @param {Uint8Array} part @param {ReturnType<typeof createPcmPlayer>} to */
  function pushFrom(part, to) {
    const end = nextOffset + part.byteLength;
    if (end > pushed) {
      if (pushed === 0) mark("axio-nb:speech-first-chunk");
      mark("axio-nb:speech-chunk", true);
      to.push(pushed > nextOffset ? part.subarray(pushed - nextOffset) : part);
      pushed = end;
    }
    nextOffset = end;
  }

  return {
    /** @param {Record<string, any>} block */
    update(block) {
      caption.textContent = describeMedia(block);
      const pcm = pcmFormat(String(block.media_type));
      // Speech that is still arriving plays, from its start, even in a view that came late (the page's
      // first widget loads its code while the first chunks arrive); a finished clip only gets a player.
      if (block.streaming && pcm && opts.live !== false) {
        feed(block, ensurePlayer(pcm));
        return;
      }
      if (block.streaming) {
        status.textContent = `receiving audio… ${Math.round((block.size ?? 0) / 1024)} KB`;
        return;
      }
      if (finished) return;
      finished = true;
      if (player && block.cut) {
        // Barge-in (PROTOCOL.md "cut"): the user spoke over it, so stop now, not after what is buffered.
        player.stop();
        mark("axio-nb:speech-cut");
      } else if (player) {
        feed(block, player);
        player.end();
      }
      const parts = all(block);
      if (!parts.length) {
        status.textContent = "no audio arrived";
        return;
      }
      url = urls.create(audioBlob(parts, String(block.media_type)));
      const audio = /** @type {HTMLAudioElement} */ (doc.createElement("audio"));
      audio.className = "axio-nb-media-audio";
      audio.controls = true;
      audio.preload = "metadata";
      audio.src = url;
      audio.setAttribute("aria-label", describeMedia(block));
      if (!player || player.state !== "suspended") status.textContent = "";
      el.replaceChildren(status, playButton, audio, caption);
    },
    destroy() {
      // The snapshot replaces this view the moment the turn ends, while the speech it streamed faster than
      // real time still has seconds to play: a player that was told `end()` drains and closes itself. The
      // swap can come before this view's next frame saw the end, so ask the block (the store updates it in
      // place): ended there, the rest is fed and drains; still streaming (a cleared output), it stops.
      if (player && !finished) {
        if (fedBlock?.streaming === false && !fedBlock.cut) {
          feed(fedBlock, player);
          player.end();
        } else {
          player.stop();
        }
      }
      player = null;
      if (url) urls.revoke(url);
      url = null;
    },
  };
}
