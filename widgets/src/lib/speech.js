/**
 * The view of a streaming `audio` block (`streaming: true`, PROTOCOL.md "chunk"): speech that plays while
 * it arrives, then a normal seekable `<audio>` holding the whole clip.
 *
 * The sound itself comes from the model's store (speech-out.js), which feeds the page's PCM player as
 * chunks arrive, whether or not a view is rendered yet. This view shows that player's state: a browser
 * that keeps audio suspended until a user gesture gets a "Click to play" button instead of silence.
 * Compressed formats take the simple path: the bytes are collected and the player appears when the
 * stream ends.
 */
import { audioBlob } from "./audio/player.js";
import { pcmFormat } from "./audio/pcm.js";
import { button, h } from "./dom.js";
import { describeMedia } from "./media.js";

/**
 * @typedef {import("./media.js").UrlRegistry} UrlRegistry
 * @typedef {import("./speech-out.js").SpeechOut} SpeechOut
 * @typedef {{speech?: SpeechOut, stoppers?: Set<() => void>}} SpeechOptions
 */

/**
 * @param {Document} doc
 * @param {HTMLElement} el
 * @param {UrlRegistry} urls
 * @param {SpeechOptions} [opts] `speech`: the store's speech output; `stoppers`: the view's Stop button
 *   calls these (Stop cuts the speech at once, not after what is buffered)
 */
export function createSpeechView(doc, el, urls, opts = {}) {
  const status = h(doc, "div", "axio-nb-speech-status");
  status.setAttribute("role", "status");
  const caption = h(doc, "div", "axio-nb-media-caption");
  /** @type {number | null} */
  let id = null;
  const playButton = button(doc, "axio-nb-speech-play", "Click to play", "Play the speech", () => {
    if (id !== null) void opts.speech?.resume(id);
  });
  playButton.hidden = true;
  el.replaceChildren(status, playButton, caption);

  /** @type {(() => void) | null} */
  let release = null;
  let attached = false;
  let finished = false;
  /** @type {string | null} */
  let url = null;

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

  /** @param {Record<string, any>} block */
  function attach(block) {
    if (attached) return;
    attached = true;
    id = block.id;
    release = opts.speech?.attach(block.id, showState) ?? null;
    if (release) opts.stoppers?.add(() => opts.speech?.stop(block.id));
  }

  return {
    /** @param {Record<string, any>} block */
    update(block) {
      caption.textContent = describeMedia(block);
      attach(block);
      if (block.streaming) {
        if (!release || !pcmFormat(String(block.media_type))) {
          status.textContent = `receiving audio… ${Math.round((block.size ?? 0) / 1024)} KB`;
        }
        return;
      }
      if (finished) return;
      finished = true;
      const parts = [...(block.bytes ? [block.bytes] : []), ...(block.chunks ?? [])];
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
      if (playButton.hidden) status.textContent = "";
      el.replaceChildren(status, playButton, audio, caption);
    },
    destroy() {
      // Still streaming, and no other view shows it (the output was cleared): the speech output stops it.
      // Ended (the snapshot replacing this view): it drains on its own.
      release?.();
      release = null;
      if (url) urls.revoke(url);
      url = null;
    },
  };
}
