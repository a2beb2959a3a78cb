/**
 * Placeholders for the media samples still to come in a media turn (`meta.expected`, set by
 * `%%axio image|edit|video|audio`): one tile per sample not yet arrived, with the seconds waited, so
 * a grid of `n` fills in as results arrive. A failed sample (an error block) takes its tile too.
 */
import { h } from "./dom.js";
import { BlockKind } from "./protocol.js";

const ARRIVED = new Set([BlockKind.image, BlockKind.audio, BlockKind.video, BlockKind.error]);

/**
 * How many samples of `expected` have arrived (media or error blocks).
 * @param {ReadonlyArray<Record<string, unknown>>} blocks
 */
export function arrivedSamples(blocks) {
  let n = 0;
  for (const block of blocks) if (ARRIVED.has(/** @type {string} */ (block.kind))) n++;
  return n;
}

/**
 * @param {Document} doc
 * @returns {{el: HTMLElement, update(expected: number, arrived: number, live: boolean, seconds: number): number}}
 */
export function createPending(doc) {
  const el = h(doc, "div", "axio-nb-pending");
  el.setAttribute("role", "status");
  el.hidden = true;
  return {
    el,
    /** Show `expected - arrived` tiles while live; returns how many show. */
    update(expected, arrived, live, seconds) {
      const want = live && expected > 0 ? Math.max(0, expected - arrived) : 0;
      while (el.children.length > want) el.lastElementChild?.remove();
      while (el.children.length < want) el.append(h(doc, "div", "axio-nb-pending-tile"));
      el.hidden = want === 0;
      let i = arrived;
      for (const tile of el.children) tile.textContent = `${++i} of ${expected} · ${seconds}s`;
      return want;
    },
  };
}
