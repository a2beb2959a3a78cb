/**
 * Follow the end of a growing output only while the reader is there: once they scroll up, leave the
 * page alone until they come back to the bottom.
 *
 * The element to scroll is the nearest ancestor that actually scrolls (its content overflows it), not
 * the first one styled `overflow: auto`: JupyterLab gives every output (`.jp-OutputArea-output`)
 * `overflow: auto`, yet those never scroll; the notebook's own panel does (`.jp-WindowedPanel-outer` in
 * JupyterLab 4, the document or the notebook panel in Notebook 7).
 *
 * Measuring happens in a ResizeObserver callback on the output, which runs after the browser's own
 * layout and before paint: layout is clean there, so reading positions costs nothing, and the scroll lands
 * in the same frame. (Measuring right after the DOM writes would force a synchronous layout of the whole
 * notebook inside every render; measuring at the start of the next frame still forced one whenever
 * JupyterLab had touched the page in between.) Without ResizeObserver (tests), the start of the next
 * frame it is.
 *
 * Scrolling goes in steps: when the end passes the bottom, it is brought a quarter of the visible height
 * above it. Every scroll makes JupyterLab's notebook handle a scroll event and repaints what is in view;
 * a step every few frames instead of a pixel row every frame keeps that to a few times a second.
 */

const SCROLLS = /(auto|scroll|overlay)/;

/**
 * Whether `node` scrolls vertically: styled to scroll, with content taller than its box.
 * @param {Element} node
 * @param {Window | null} win
 */
export function scrolls(node, win) {
  if (node.scrollHeight <= node.clientHeight + 1) return false;
  return SCROLLS.test(win?.getComputedStyle(node).overflowY ?? "");
}

/**
 * The nearest ancestor that scrolls vertically, or null (then the document scrolls, or nothing does).
 * @param {HTMLElement} el
 * @returns {HTMLElement | null}
 */
export function scrollParent(el) {
  const win = el.ownerDocument.defaultView;
  const root = el.ownerDocument.scrollingElement;
  for (let node = el.parentElement; node && node !== root; node = node.parentElement) {
    if (scrolls(node, win)) return node;
  }
  return null;
}

/** How far (px) below the visible bottom still counts as "at the bottom". */
export const SLACK = 48;

/**
 * Where to scroll so that the end of the output is `step` px above the bottom of the visible area, or
 * null to leave it: the reader was not at the end before this growth (judged by where the end was then,
 * so a big chunk does not count as the reader leaving), or the end is visible already.
 * @param {{bottom: number, limit: number, scrollTop: number, lastPos: number | null, step?: number}} m
 *   `bottom`: the end's viewport y now; `limit`: the visible area's bottom; `lastPos`: `bottom + scrollTop`
 *   at the previous measurement
 * @returns {number | null}
 */
export function followTarget({ bottom, limit, scrollTop, lastPos, step = 0 }) {
  const before = lastPos === null ? bottom : bottom - (bottom + scrollTop - lastPos);
  if (before <= limit + SLACK && bottom > limit) return scrollTop + (bottom - limit) + step;
  return null;
}

export class AutoScroll {
  /**
   * @param {HTMLElement} sentinel the last child of the output
   * @param {HTMLElement} [output] the element that grows (observed for size changes)
   */
  constructor(sentinel, output) {
    this.sentinel = sentinel;
    const win = /** @type {any} */ (sentinel.ownerDocument.defaultView);
    /** @type {ResizeObserver | null} */
    this.observer = output && typeof win?.ResizeObserver === "function" ? new win.ResizeObserver(() => this.measure()) : null;
    this.observer?.observe(output);
    /** @type {Element | null} the live view, whose place the snapshot keeps (./place.js) */
    this.root = output ?? null;
    /** @type {Element | null | undefined} its output area, once it is in one */
    this.area = undefined;
    /**
     * Called after each measure, with clean layout: where the reader is (./place.js, `notePlace`).
     * @type {((m: {root: Element, area: Element | null, atEnd: boolean, bottom: number,
     *   box: {top: number, bottom: number, left: number, width: number}}) => void) | null}
     */
    this.onmeasure = null;
    /**
     * Where the end of the output was at the last measurement, as `rect.bottom + scrollTop`: that sum
     * does not change when the container scrolls, only when content above the sentinel grows.
     * @type {number | null}
     */
    this.lastPos = null;
    /** @type {HTMLElement | null} the scrolling ancestor found last (checked again at each use) */
    this.container = null;
    /** @type {Element | null} the element scrolled at the last measurement */
    this.lastBox = null;
    this.frame = 0;
  }

  /** The output grew: measure and follow (done by the ResizeObserver when there is one). */
  follow() {
    const win = this.sentinel.ownerDocument.defaultView;
    if (this.observer || this.frame || !win || !this.sentinel.isConnected) return;
    this.frame = win.requestAnimationFrame(() => {
      this.frame = 0;
      this.measure();
    });
  }

  /** @returns {HTMLElement | null} */
  findContainer() {
    const el = this.sentinel;
    const kept = this.container;
    if (kept && kept.contains(el) && scrolls(kept, el.ownerDocument.defaultView)) return kept;
    this.container = scrollParent(el);
    return this.container;
  }

  measure() {
    const el = this.sentinel;
    if (!el.isConnected) return;
    const doc = el.ownerDocument;
    const container = this.findContainer();
    const box = container ?? doc.scrollingElement;
    if (!box) return;
    if (box !== this.lastBox) this.lastPos = null;
    this.lastBox = box;
    const bottom = el.getBoundingClientRect().bottom;
    const rect = container?.getBoundingClientRect();
    const limit = rect ? rect.bottom : (doc.defaultView?.innerHeight ?? bottom);
    const visible = rect ? rect.height : limit;
    const scrollTop = box.scrollTop;
    const target = followTarget({ bottom, limit, scrollTop, lastPos: this.lastPos, step: Math.floor(visible / 4) });
    if (target !== null) box.scrollTop = target;
    this.lastPos = bottom + scrollTop;
    if (this.root && this.onmeasure) {
      this.area ??= this.root.closest(".jp-OutputArea");
      const end = target === null ? bottom : bottom - (target - scrollTop);
      const view = rect ?? { top: 0, bottom: limit, left: 0, width: doc.defaultView?.innerWidth ?? 0 };
      this.onmeasure({ root: this.root, area: this.area, atEnd: end <= limit + SLACK, bottom: end, box: view });
    }
  }

  detach() {
    this.observer?.disconnect();
    this.observer = null;
    if (this.frame) this.sentinel.ownerDocument.defaultView?.cancelAnimationFrame(this.frame);
    this.frame = 0;
  }
}
