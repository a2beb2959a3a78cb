/** Image, audio and video blocks: bytes from the message's binary buffer, shown through a Blob URL. */
import { h, str } from "./dom.js";

/**
 * @typedef {{create(blob: Blob): string, revoke(url: string): void}} UrlRegistry
 *   The view owns every Blob URL so that its cleanup can revoke them all.
 */

const TAG = { image: "img", audio: "audio", video: "video" };

/**
 * A media type usable as a Blob type for this kind, or "" (the browser sniffs, and the element
 * still refuses what it cannot play).
 * @param {string} kind
 * @param {unknown} mediaType
 */
export function blobType(kind, mediaType) {
  const t = str(mediaType).toLowerCase();
  const prefix = kind === "image" ? "image/" : kind === "audio" ? "audio/" : "video/";
  return t.startsWith(prefix) && /^[a-z]+\/[\w.+-]+$/.test(t) ? t : "";
}

/** @param {number} n */
function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * @param {Record<string, any>} block
 * @returns {string} a plain description (alt text, caption)
 */
export function describeMedia(block) {
  const parts = [str(block.media_type) || block.kind];
  if (typeof block.width === "number" && typeof block.height === "number") parts.push(`${block.width}×${block.height}`);
  if (typeof block.size === "number") parts.push(formatBytes(block.size));
  return `${block.kind} (${parts.join(", ")})`;
}

/**
 * @param {Document} doc
 * @param {HTMLElement} el
 * @param {"image" | "audio" | "video"} kind
 * @param {UrlRegistry} urls
 */
export function createMediaView(doc, el, kind, urls) {
  /** @type {unknown} */
  let bytes = null;
  /** @type {string | null} */
  let url = null;
  const caption = h(doc, "div", "axio-nb-media-caption");

  /** @type {string | null} */
  let posterUrl = null;

  function release() {
    if (url) urls.revoke(url);
    if (posterUrl) urls.revoke(posterUrl);
    url = posterUrl = null;
  }

  return {
    /** @param {Record<string, any>} block */
    update(block) {
      caption.textContent = describeMedia(block);
      if (block.bytes === bytes) return;
      bytes = block.bytes;
      release();
      if (typeof block.invalid === "string" && block.invalid) {
        // Bytes the kernel's Pillow refused (corrupt, a decompression bomb): say so, show nothing.
        el.replaceChildren(h(doc, "div", "axio-nb-media-missing", `${kind} not shown: ${block.invalid}`));
        return;
      }
      if (!bytes) {
        // `deferred`: opened before this view said hello; its bytes come with the state that answers it.
        const why = block.deferred ? "loading…" : "not available in this view";
        el.replaceChildren(h(doc, "div", "axio-nb-media-missing", `${describeMedia(block)}: ${why}`));
        return;
      }
      url = urls.create(new Blob([/** @type {BlobPart} */ (bytes)], { type: blobType(kind, block.media_type) }));
      const media = /** @type {HTMLImageElement & HTMLMediaElement} */ (doc.createElement(TAG[kind]));
      media.className = `axio-nb-media-${kind}`;
      media.src = url;
      if (kind === "image") {
        media.alt = describeMedia(block);
        media.addEventListener("click", () => el.classList.toggle("axio-nb-media-full"));
        if (typeof block.width === "number") media.width = block.width;
        if (typeof block.height === "number") media.height = block.height;
      } else {
        const posterType = blobType("image", block.poster);
        if (kind === "video" && block.posterBytes && posterType) {
          posterUrl = urls.create(new Blob([/** @type {BlobPart} */ (block.posterBytes)], { type: posterType }));
          media.poster = posterUrl;
        }
        media.controls = true;
        media.preload = "metadata";
        media.setAttribute("aria-label", describeMedia(block));
      }
      el.replaceChildren(media, caption);
    },
    destroy: release,
  };
}
