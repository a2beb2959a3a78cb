/**
 * The reader's place across the swap: when a turn ends, JupyterLab replaces the live view with the static
 * snapshot (a new DOM of a different height: no code bars, sections whose height is an estimate while out
 * of sight), and the scroller keeps its `scrollTop`, so what the reader looked at would move (by ~90 px in
 * a 60 KB answer before sections, ~210 px with them). The live view notes the place at each measure of its
 * auto-scroll (layout is clean there): the end of the output when the reader follows it (unless all of the
 * output is in view: then its top stays, as it would anyway), else the block at the top third of the
 * visible area and how far below the scroller's top it is. The snapshot's fixed
 * script (axio_nb/render/script.py) calls `keepPlace` with its root; in the next frame it scrolls so the
 * same block (same tag, same text, same occurrence) or the end is where it was.
 *
 * Places are keyed by the output area (`.jp-OutputArea`, JupyterLab and Notebook 7): the live view and the
 * snapshot share it. Elsewhere nothing is noted and nothing moves.
 */
import { scrollParent } from "./autoscroll.js";

/** Blocks a place is noted by: the smallest elements a reader's eye rests on. */
const BLOCKS = "p, li, h1, h2, h3, h4, h5, h6, pre, tr, blockquote, summary";

/**
 * @typedef {{root: Element, at: number} &
 *   ({end: true, offset: number} | {end: false, el: Element, offset: number})} Place
 *   `end`: the end of the output, `offset` px below the scroller's bottom; else `el` (in the live view
 *   `root`), `offset` px below the scroller's top; `at`: when it was noted (`performance.now()`)
 */

/** A place older than this (ms) at the swap is stale: the stream stalled, or this is another run. */
const FRESH_MS = 30_000;

/** @type {WeakMap<Element, Place>} output area → the last place noted in it */
const PLACES = new WeakMap();

/** Where the snapshot's script finds `keepPlace`. */
export const PLACE_HOOK = Symbol.for("axio_nb.keepPlace");

/**
 * Note the reader's place (called with clean layout, from the auto-scroll's measure).
 * @param {object} m
 * @param {Element} m.root the live view's root
 * @param {Element | null} m.area the output area around it
 * @param {boolean} m.atEnd the reader follows the end (or sees it)
 * @param {number} m.bottom the end's viewport y
 * @param {DOMRect | {top: number, bottom: number, left: number, width: number}} m.box the visible area
 */
export function notePlace({ root, area, atEnd, bottom, box }) {
  if (!area) return;
  const at = performance.now();
  const rect = root.getBoundingClientRect();
  if (atEnd && rect.top >= box.top) {
    PLACES.delete(area); // all of it in view: its top stays where it is, as without a place
    return;
  }
  if (atEnd) {
    PLACES.set(area, { end: true, offset: bottom - box.bottom, root, at });
    return;
  }
  const x = Math.max(rect.left, box.left) + Math.min(40, rect.width / 2);
  const y = box.top + (box.bottom - box.top) / 3;
  const hit = root.ownerDocument.elementFromPoint(x, y);
  const el = hit && root.contains(hit) ? hit.closest(BLOCKS) : null;
  if (el && root.contains(el)) {
    PLACES.set(area, { end: false, el, offset: el.getBoundingClientRect().top - box.top, root, at });
  } else PLACES.delete(area);
}

/** The first 80 characters of an element's text, whitespace folded: what the two DOMs share. */
const key = (/** @type {Element} */ el) => (el.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 80);

/**
 * The snapshot `root` replaced a live view: in the next frame, scroll so that the reader's place is where
 * it was. Nothing happens without a noted place.
 * @param {Element} root
 */
export function keepPlace(root) {
  const area = root.closest(".jp-OutputArea");
  const place = area && PLACES.get(area);
  if (!area || !place) return;
  PLACES.delete(area);
  // Only for the live view this snapshot just replaced.
  if (place.root.isConnected || performance.now() - place.at > FRESH_MS) return;
  /** @type {Element | null} */
  let target = null;
  if (!place.end) {
    // The n-th block of that tag with that text in the live view is the n-th in the snapshot.
    const tag = place.el.tagName.toLowerCase();
    const want = key(place.el);
    const nth = [...place.root.querySelectorAll(tag)].filter((e) => key(e) === want).indexOf(place.el);
    target = [...root.querySelectorAll(tag)].filter((e) => key(e) === want)[nth] ?? null;
    if (!target) return;
  }
  const win = root.ownerDocument.defaultView;
  if (!win) return;
  /** @type {HTMLElement | null} */
  let box = null;
  const settle = () => {
    if (!root.isConnected) return;
    box ??= scrollParent(/** @type {HTMLElement} */ (root));
    if (!box) return;
    const rect = box.getBoundingClientRect();
    const delta = target
      ? target.getBoundingClientRect().top - rect.top - place.offset
      : root.getBoundingClientRect().bottom - rect.bottom - place.offset;
    if (Math.abs(delta) >= 1) box.scrollTop += delta;
  };
  // Once in the next frame, then again whenever the snapshot's size changes while what came into view
  // settles (sections and code blocks out of sight say an estimated height until they are laid out),
  // until the reader scrolls or SETTLE_MS have passed.
  win.requestAnimationFrame(settle);
  const observer = typeof win.ResizeObserver === "function" ? new win.ResizeObserver(settle) : null;
  observer?.observe(root);
  for (const part of root.querySelectorAll(".axio-nb-part, pre")) observer?.observe(part);
  const stop = () => {
    observer?.disconnect();
    for (const type of STOP_ON) root.ownerDocument.removeEventListener(type, stop, true);
  };
  for (const type of STOP_ON) root.ownerDocument.addEventListener(type, stop, { capture: true, passive: true });
  win.setTimeout(stop, SETTLE_MS);
}

/** The reader takes over: stop keeping the place. */
const STOP_ON = ["wheel", "touchstart", "keydown", "mousedown"];
/** How long the place is kept while the snapshot settles (ms). */
const SETTLE_MS = 1000;

/** @type {Record<symbol, unknown>} */ (/** @type {unknown} */ (globalThis))[PLACE_HOOK] = keepPlace;
