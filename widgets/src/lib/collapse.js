/** A text panel that folds to ~20 lines with a "show all" toggle (long tool output and results). */
import { button, h } from "./dom.js";

export const COLLAPSE_LINES = 20;

/**
 * What a folded panel shows: the first lines (a result) or the last ones (live output, whose news is
 * at the end).
 * @param {string} text
 * @param {number} limit
 * @param {"head" | "tail"} keep
 * @returns {{shown: string, hidden: number, total: number}}
 */
export function foldText(text, limit, keep) {
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  const total = lines.length;
  if (total <= limit) return { shown: text, hidden: 0, total };
  const kept = keep === "head" ? lines.slice(0, limit) : lines.slice(total - limit);
  return { shown: kept.join("\n"), hidden: total - limit, total };
}

export class Collapsible {
  /**
   * @param {Document} doc
   * @param {string} className
   * @param {string} what what the text is, for the toggle's accessible name ("result", "stdout")
   * @param {"head" | "tail"} keep
   */
  constructor(doc, className, what, keep) {
    this.keep = keep;
    this.what = what;
    this.expanded = false;
    this.text = "";
    this.el = h(doc, "div", `axio-nb-collapsible ${className}`);
    this.pre = h(doc, "pre", "axio-nb-pre");
    this.toggle = button(doc, "axio-nb-toggle", "", "", () => {
      this.expanded = !this.expanded;
      this.render();
    });
    this.toggle.hidden = true;
    if (keep === "tail") this.el.append(this.toggle, this.pre);
    else this.el.append(this.pre, this.toggle);
  }

  /** @param {string} text */
  update(text) {
    if (text === this.text) return;
    this.text = text;
    this.render();
  }

  render() {
    const folded = foldText(this.text, COLLAPSE_LINES, this.keep);
    const long = folded.hidden > 0;
    this.pre.textContent = long && !this.expanded ? folded.shown : this.text;
    this.toggle.hidden = !long;
    if (!long) return;
    const label = this.expanded
      ? "Show less"
      : `Show all ${folded.total} lines (${folded.hidden} ${this.keep === "head" ? "more" : "earlier"})`;
    this.toggle.textContent = label;
    this.toggle.setAttribute("aria-label", `${label} of ${this.what}`);
    this.toggle.setAttribute("aria-expanded", String(this.expanded));
  }
}
