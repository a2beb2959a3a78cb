/**
 * A streaming `audio` block (`streaming: true`, PROTOCOL.md "chunk"): speech that plays while it
 * arrives, then a normal seekable `<audio>` holding the whole clip.
 *
 * Raw PCM (`audio/pcm;rate=…`) goes to the page's PCM player (lib/audio/player.js: an AudioWorklet
 * reading a ring buffer) chunk by chunk, from the first one. Compressed formats take the simple path:
 * the bytes are collected and the player appears when the stream ends. A browser that keeps audio
 * suspended until a user gesture gets a "Click to play" button instead of silence. A view that joins
 * late (its `state` holds everything so far) does not play what it missed: it shows the clip at the end.
 */
import { audioBlob, createPcmPlayer } from "./audio/player.js";
import { pcmFormat } from "./audio/pcm.js";
import { button, h } from "./dom.js";
import { describeMedia } from "./media.js";

/**
 * @typedef {import("./media.js").UrlRegistry} UrlRegistry
 * @typedef {{createPlayer?: typeof createPcmPlayer, live?: boolean}} SpeechOptions
 */

/**
 * @param {Document} doc
 * @param {HTMLElement} el
 * @param {UrlRegistry} urls
 * @param {SpeechOptions} [opts] `live`: this view saw the stream start (else it joined late)
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
  /** Chunks of `block.chunks` already given to the player. */
  let fed = 0;
  let finished = false;
  /** @type {string | null} */
  let url = null;
  /** Whether this view plays as it streams: it saw the block open with no bytes yet. */
  let playing = null;

  /** @param {Record<string, any>} block */
  function all(block) {
    return [...(block.bytes ? [block.bytes] : []), ...(block.chunks ?? [])];
  }

  /** @param {string} state */
  function showState(state) {
    playButton.hidden = state !== "suspended";
    status.textContent =
      state === "suspended" ? "Audio is paused by the browser until you click." : state === "error" ? "Could not play the audio." : "";
  }

  return {
    /** @param {Record<string, any>} block */
    update(block) {
      caption.textContent = describeMedia(block);
      if (playing === null) playing = opts.live !== false && !block.bytes && block.streaming === true;
      const pcm = pcmFormat(String(block.media_type));
      if (block.streaming && playing && pcm) {
        if (!player) {
          player = makePlayer({ sampleRate: pcm.sampleRate, channels: pcm.channels });
          player.onstate = showState;
          showState(player.state);
        }
        const chunks = block.chunks ?? [];
        for (; fed < chunks.length; fed++) player.push(chunks[fed]);
        return;
      }
      if (block.streaming) {
        status.textContent = `receiving audio… ${Math.round((block.size ?? 0) / 1024)} KB`;
        return;
      }
      if (finished) return;
      finished = true;
      if (player) {
        const chunks = block.chunks ?? [];
        for (; fed < chunks.length; fed++) player.push(chunks[fed]);
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
      player?.stop();
      player = null;
      if (url) urls.revoke(url);
      url = null;
    },
  };
}
