/** The footer under an answer: model, iterations, tokens, cost, timings, stop reason; and the "cut" warning. */
import { h } from "./dom.js";

/** @param {unknown} n */
const isNum = (n) => typeof n === "number" && Number.isFinite(n);

/** @param {number} n @returns {string} 1234567 → "1,234,567" (fixed, not the reader's locale: tests compare it) */
export function formatCount(n) {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** @param {number} ms @returns {string} */
export function formatDuration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** @param {number} usd @returns {string} */
export function formatCost(usd) {
  if (usd === 0) return "$0";
  if (usd < 0.01) return `$${usd.toPrecision(2)}`;
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

/**
 * The footer items for a meta object; missing fields are left out.
 * @param {Record<string, any>} meta
 * @returns {{key: string, text: string}[]}
 */
export function formatFooter(meta) {
  /** @type {{key: string, text: string}[]} */
  const items = [];
  if (typeof meta.model === "string" && meta.model) items.push({ key: "model", text: meta.model });
  if (isNum(meta.iterations)) {
    items.push({ key: "iterations", text: `${meta.iterations} iteration${meta.iterations === 1 ? "" : "s"}` });
  }
  const u = meta.usage && typeof meta.usage === "object" ? meta.usage : null;
  if (u && (isNum(u.input) || isNum(u.output))) {
    let text = `${formatCount(u.input ?? 0)} in / ${formatCount(u.output ?? 0)} out tokens`;
    const extra = [];
    if (isNum(u.cached) && u.cached > 0) extra.push(`+${formatCount(u.cached)} cached`);
    if (isNum(u.reasoning) && u.reasoning > 0) extra.push(`+${formatCount(u.reasoning)} reasoning`);
    if (extra.length) text += ` (${extra.join(", ")})`;
    items.push({ key: "tokens", text });
  }
  if (isNum(meta.cost)) items.push({ key: "cost", text: formatCost(meta.cost) });
  if (isNum(meta.elapsed_ms)) items.push({ key: "elapsed", text: formatDuration(meta.elapsed_ms) });
  if (isNum(meta.ttft_ms)) items.push({ key: "ttft", text: `first token ${formatDuration(meta.ttft_ms)}` });
  if (typeof meta.stop_reason === "string" && meta.stop_reason) {
    items.push({ key: "stop", text: `stop: ${meta.stop_reason}` });
  }
  return items;
}

/**
 * The warning shown when the answer is not whole, or null when it is.
 * @param {Record<string, any>} meta
 * @returns {string | null}
 */
export function cutWarning(meta) {
  const reason = typeof meta.stop_reason === "string" ? meta.stop_reason : "";
  if (reason === "repetition") return "The answer was cut short: the model started repeating itself.";
  if (meta.incomplete === true) {
    return reason ? `The answer was cut short (${reason}).` : "The answer is incomplete.";
  }
  return null;
}

export class Footer {
  /** @param {Document} doc */
  constructor(doc) {
    this.doc = doc;
    this.cut = h(doc, "div", "axio-nb-cut");
    this.cut.setAttribute("role", "alert");
    this.cut.hidden = true;
    this.el = h(doc, "div", "axio-nb-footer");
    this.el.setAttribute("aria-label", "Run details");
    this.el.hidden = true;
    this.signature = "";
  }

  /** @param {Record<string, any>} meta */
  update(meta) {
    const items = formatFooter(meta);
    const warning = cutWarning(meta);
    const sig = JSON.stringify([items, warning]);
    if (sig === this.signature) return;
    this.signature = sig;
    this.el.replaceChildren(
      ...items.map((item) => {
        const span = h(this.doc, "span", `axio-nb-footer-item axio-nb-footer-${item.key}`, item.text);
        return span;
      }),
    );
    this.el.hidden = items.length === 0;
    this.cut.textContent = warning ? `⚠ ${warning}` : "";
    this.cut.hidden = !warning;
  }
}
