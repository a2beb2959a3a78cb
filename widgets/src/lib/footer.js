/**
 * The footer under an answer: model, iterations, tokens, cost, timings, stop reason.
 *
 * `axio_nb/render/footer.py` says the same thing in the same words for the static snapshot; both test
 * suites read `tests/fixtures/footer.json`. A cut-short answer's warning is not here: it is a notice
 * block in the transcript, so the live view and the snapshot show it once, in the same place.
 */
import { h } from "./dom.js";

/** @param {unknown} n @returns {n is number} */
const isNum = (n) => typeof n === "number" && Number.isFinite(n);

/** @param {number} n @returns {string} 1234567 → "1,234,567" (fixed, not the reader's locale: tests compare it) */
export function formatCount(n) {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** @param {number} ms @returns {string} 412 → "412 ms", 3456 → "3.5 s", 61000 → "1 min 1 s" */
export function formatDuration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** @param {number} usd @returns {string} "$0", "<$0.0001", "$0.0123" under a dollar, "$2.50" above */
export function formatCost(usd) {
  if (usd === 0) return "$0";
  if (usd < 0.0001) return "<$0.0001";
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

/**
 * The footer items for a meta object; missing or malformed fields are left out.
 * @param {Record<string, any>} meta
 * @param {{timings?: boolean}} [opts] timings=false: what the snapshot's text/plain keeps
 * @returns {{key: string, text: string}[]}
 */
export function formatFooter(meta, { timings = true } = {}) {
  /** @type {{key: string, text: string}[]} */
  const items = [];
  if (typeof meta.model === "string" && meta.model) items.push({ key: "model", text: meta.model });
  if (isNum(meta.iterations) && meta.iterations > 1) {
    items.push({ key: "iterations", text: `${meta.iterations} iterations` });
  }
  const u = meta.usage && typeof meta.usage === "object" ? meta.usage : null;
  if (u && (isNum(u.input) || isNum(u.output))) {
    let text = `${formatCount(u.input || 0)} in / ${formatCount(u.output || 0)} out tokens`;
    const extra = [];
    if (isNum(u.cached) && u.cached) extra.push(`+${formatCount(u.cached)} cached`);
    if (isNum(u.reasoning) && u.reasoning) extra.push(`+${formatCount(u.reasoning)} reasoning`);
    if (extra.length) text += ` (${extra.join(", ")})`;
    items.push({ key: "tokens", text });
  }
  if (isNum(meta.cost)) items.push({ key: "cost", text: formatCost(meta.cost) });
  if (timings && isNum(meta.elapsed_ms)) items.push({ key: "elapsed", text: formatDuration(meta.elapsed_ms) });
  if (timings && isNum(meta.ttft_ms)) items.push({ key: "ttft", text: `first token ${formatDuration(meta.ttft_ms)}` });
  if (typeof meta.stop_reason === "string" && meta.stop_reason) {
    items.push({ key: "stop", text: `stop: ${meta.stop_reason}` });
  }
  return items;
}

export class Footer {
  /** @param {Document} doc */
  constructor(doc) {
    this.doc = doc;
    this.el = h(doc, "div", "axio-nb-footer");
    this.el.setAttribute("aria-label", "Run details");
    this.el.hidden = true;
    this.signature = "";
  }

  /** @param {Record<string, any>} meta */
  update(meta) {
    const items = formatFooter(meta);
    const incomplete = meta.incomplete === true;
    const sig = JSON.stringify([items, incomplete]);
    if (sig === this.signature) return;
    this.signature = sig;
    this.el.replaceChildren(
      ...items.map((item) => h(this.doc, "span", `axio-nb-footer-item axio-nb-footer-${item.key}`, item.text)),
    );
    this.el.hidden = items.length === 0;
    this.el.classList.toggle("axio-nb-incomplete", incomplete);
  }
}
