/**
 * Follow the end of a growing output only while the reader is there: once they scroll up, leave the
 * page alone until they come back to the bottom.
 *
 * All measuring happens at the start of the frame after a render, when layout is clean anyway:
 * measuring right after the DOM writes would force a synchronous layout of the whole notebook inside
 * every render.
 */

/**
 * The nearest ancestor that scrolls vertically, or null (then the document scrolls).
 * @param {HTMLElement} el
 * @returns {HTMLElement | null}
 */
export function scrollParent(el) {
  const win = el.ownerDocument.defaultView;
  for (let node = el.parentElement; node; node = node.parentElement) {
    const overflow = win?.getComputedStyle(node).overflowY ?? "";
    if (/(auto|scroll|overlay)/.test(overflow)) return node;
  }
  return null;
}

/** How far (px) below the visible bottom still counts as "at the bottom". */
const SLACK = 48;

export class AutoScroll {
  /** @param {HTMLElement} sentinel the last child of the output */
  constructor(sentinel) {
    this.sentinel = sentinel;
    /**
     * Where the end of the output was at the last measurement, as `rect.bottom + scrollTop`: that sum
     * does not change when the container scrolls, only when content above the sentinel grows.
     * @type {number | null}
     */
    this.lastPos = null;
    this.frame = 0;
  }

  /** The output grew: measure and follow at the start of the next frame. */
  follow() {
    const win = this.sentinel.ownerDocument.defaultView;
    if (this.frame || !win || !this.sentinel.isConnected) return;
    this.frame = win.requestAnimationFrame(() => {
      this.frame = 0;
      this.measure();
    });
  }

  measure() {
    const el = this.sentinel;
    if (!el.isConnected) return;
    const doc = el.ownerDocument;
    const container = scrollParent(el);
    const box = container ?? doc.scrollingElement;
    if (!box) return;
    const bottom = el.getBoundingClientRect().bottom;
    const limit = container ? container.getBoundingClientRect().bottom : (doc.defaultView?.innerHeight ?? bottom);
    const top = box.scrollTop;
    const pos = bottom + top;
    // Judge by where the end was before this growth: a big chunk must not count as the reader leaving.
    const before = this.lastPos === null ? bottom : bottom - (pos - this.lastPos);
    if (before <= limit + SLACK && bottom > limit) box.scrollTop = top + (bottom - limit);
    this.lastPos = pos;
  }

  detach() {
    if (this.frame) this.sentinel.ownerDocument.defaultView?.cancelAnimationFrame(this.frame);
    this.frame = 0;
  }
}
