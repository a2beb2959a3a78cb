/**
 * Tail-only markdown rendering (docs/facts.md#browser-rendering-must-be-tail-only): closed chunks are
 * rendered once and kept; each frame re-renders only the open tail. An open code fence
 * takes a fast path (fence.js) that highlights finished lines in sealed groups and re-highlights only
 * the last group.
 *
 * The container holds the chunks' nodes directly (no wrapper per chunk), and the chunker closes a chunk
 * only where the rest of the text cannot change it, so the streamed DOM already is the one-shot
 * `renderMarkdown(text)` DOM. When the text is complete, only three things are left to do, none of
 * them a whole re-render: the tail is rendered as the last chunk; a fence that took the fast path with
 * more than one line group gets its code highlighted in one piece (done in idle slices as soon as the
 * fence closes, so usually already done); and if the text holds reference-style link definitions, the
 * chunks that may use one of their labels are rendered again with all definitions known.
 */
import { ChunkScanner } from "./chunker.js";
import { FenceFastPath, Rehighlight, SLICE_MS } from "./fence.js";
import { renderMarkdownNodes, usesReference } from "./markdown.js";
import { Run, insertAll } from "./run.js";
import { TextWindow } from "./text-window.js";

export { FENCE_GROUP_LINES } from "./code-groups.js";
export { FenceFastPath } from "./fence.js";

/**
 * @param {{references?: Record<string, object>}} env
 * @returns {Record<string, object> | null}
 */
function referencesOf(env) {
  const refs = env.references;
  return refs && Object.keys(refs).length ? refs : null;
}

/**
 * @typedef {{start: number, end: number, run: Run, refs: Record<string, object> | null, code: boolean}} ClosedChunk
 *   `code`: exactly one column-0 fenced code block; `refs`: the reference definitions it holds
 */

export class StreamingMarkdown {
  /** @param {Document} doc */
  constructor(doc) {
    this.doc = doc;
    this.el = doc.createElement("div");
    // JupyterLab's own markdown typography, as on the static snapshot that replaces this view at the end.
    this.el.className = "axio-nb-md jp-RenderedHTMLCommon";
    this.idleId = 0;
    /** @type {"idle" | "timeout" | null} */
    this.idleKind = null;
    this.init();
  }

  init() {
    this.scanner = new ChunkScanner();
    /** The text seen so far, from the open tail's start on: a new text that does not extend it forces a restart. */
    this.win = new TextWindow();
    /** @type {string | null} the text of the last complete render */
    this.finalText = null;
    /** @type {ClosedChunk[]} */
    this.chunks = [];
    this.tail = new Run();
    /** @type {string | null} */
    this.tailSource = null;
    /** @type {Record<string, object> | null} */
    this.tailRefs = null;
    /** The tail was rendered with display math still open (see `renderPlainTail`). */
    this.tailMathOpen = false;
    /** @type {FenceFastPath | null} */
    this.fast = null;
    /** The part of the tail before an open fence. */
    this.pre = new Run();
    /** @type {string | null} */
    this.preSource = null;
    /** @type {Rehighlight[]} closed fast-path fences still highlighted in groups */
    this.pending = [];
  }

  reset() {
    this.cancelIdle();
    this.el.textContent = "";
    this.init();
  }

  destroy() {
    this.cancelIdle();
  }

  /** The length of the text seen so far. */
  get length() {
    return this.win.length;
  }

  /**
   * @param {string} text the whole text so far
   * @param {boolean} complete the block will not grow any more
   */
  update(text, complete) {
    if (this.finalText === text) return;
    const win = this.win;
    // What came before the window was checked when it arrived.
    if (this.finalText !== null || text.length < win.length || !text.startsWith(win.str, win.base)) this.reset();
    this.extend(text.slice(this.win.length), complete, () => text);
  }

  /**
   * The text grew by `delta` (all the renderer reads of it, however long the text is).
   * @param {string} delta
   * @param {boolean} complete the block will not grow any more
   * @param {() => string} whole the whole text, asked for only when it is complete
   */
  extend(delta, complete, whole) {
    if (this.finalText !== null) this.reset();
    const win = this.win;
    if (complete && win.length === 0) {
      // Nothing streamed: the whole text at once.
      const text = whole();
      this.el.replaceChildren(...renderMarkdownNodes(this.doc, text));
      win.append(text);
      this.finalText = text;
      return;
    }
    win.append(delta);
    const scanner = this.scanner;
    const firstNew = scanner.closed.length;
    if (scanner.scan(win) > 0) {
      for (const chunk of scanner.closed.slice(firstNew)) this.addClosed(win, chunk);
    }
    if (complete) {
      this.finish(whole());
      return;
    }
    this.renderTail(win);
    win.drop(scanner.tailStart);
  }

  /** Where newly closed chunks go: before the tail's nodes. */
  tailRef() {
    return this.pre.first() ?? this.fast?.run.first() ?? this.tail.first();
  }

  /**
   * @param {string | TextWindow} text
   * @param {import("./chunker.js").Chunk} chunk
   */
  addClosed(text, chunk) {
    const fast = this.fast;
    /** @type {ClosedChunk} */
    let closed;
    if (fast && chunk.fence && fast.start === chunk.start) {
      // The fence just closed: finish its fast-path code block instead of rendering all of it again.
      const body = text.slice(chunk.fence.bodyStart, chunk.fence.bodyEnd);
      fast.update(body, true);
      this.pre.remove();
      this.preSource = null;
      this.fast = null;
      this.tailSource = null;
      closed = { start: chunk.start, end: chunk.end, run: fast.run, refs: null, code: true };
      if (!fast.whole) {
        this.pending.push(new Rehighlight(fast, body));
        this.scheduleIdle();
      }
    } else {
      const env = {};
      const run = new Run();
      run.set(this.el, renderMarkdownNodes(this.doc, text.slice(chunk.start, chunk.end), env), this.tailRef());
      closed = { start: chunk.start, end: chunk.end, run, refs: referencesOf(env), code: Boolean(chunk.fence) };
    }
    this.chunks.push(closed);
  }

  /** Remove the tail's nodes, fast path and all. */
  clearTail() {
    this.tail.remove();
    this.tailSource = null;
    this.tailRefs = null;
    this.pre.remove();
    this.preSource = null;
    this.fast?.run.remove();
    this.fast = null;
  }

  /** @param {string | TextWindow} text */
  renderTail(text) {
    const scanner = this.scanner;
    const fence = scanner.fence;
    if (fence) {
      if (!this.fast || this.fast.start !== fence.start) {
        this.clearTail();
        this.fast = new FenceFastPath(this.doc, fence.start, fence.info, fence.indent);
        insertAll(this.el, this.fast.run.nodes, null);
      }
      const pre = text.slice(scanner.tailStart, fence.start);
      if (pre !== this.preSource) {
        this.pre.set(this.el, pre.trim() ? renderMarkdownNodes(this.doc, pre) : [], this.fast.run.first());
        this.preSource = pre;
      }
      this.fast.update(text.slice(fence.bodyStart));
      return;
    }
    // No fence open (any more: one that closed inside a chunk still open renders plainly from here).
    this.renderPlainTail(text.slice(scanner.tailStart), true);
  }

  /**
   * @param {string} tail
   * @param {boolean} [streaming] display math still open shows as its TeX source, not as paragraphs
   */
  renderPlainTail(tail, streaming = false) {
    if (this.fast) this.clearTail();
    if (tail !== this.tailSource || (this.tailMathOpen && !streaming)) {
      /** @type {{openMath?: boolean, mathOpen?: boolean}} */
      const env = streaming ? { openMath: true } : {};
      this.tail.set(this.el, tail.trim() ? renderMarkdownNodes(this.doc, tail, env) : [], null);
      this.tailSource = tail;
      this.tailRefs = referencesOf(env);
      this.tailMathOpen = Boolean(env.mathOpen);
    }
  }

  /**
   * The text is complete: the tail becomes the last chunk, fast-path fences get highlighted in one
   * piece, and reference-style links resolve. The DOM is then the one-shot `renderMarkdown(text)`.
   * @param {string} text
   */
  finish(text) {
    const scanner = this.scanner;
    this.renderPlainTail(text.slice(scanner.tailStart));
    this.chunks.push({ start: scanner.tailStart, end: text.length, run: this.tail, refs: this.tailRefs, code: false });
    this.tail = new Run();
    this.tailSource = null;
    this.tailRefs = null;
    this.cancelIdle();
    while (this.pending.length) this.highlightPending();
    this.resolveReferences(text);
    this.finalText = text;
  }

  /** Finish highlighting the oldest closed fast-path fence in one piece. */
  highlightPending() {
    this.pending.shift()?.step(() => 0);
  }

  /**
   * One idle slice of highlighting work.
   * @param {number} budget ms
   */
  highlightSlice(budget) {
    const perf = this.doc.defaultView?.performance ?? performance;
    const now = () => perf.now();
    const t0 = now();
    while (this.pending.length && now() - t0 < budget) {
      if (this.pending[0].step(now, budget - (now() - t0))) this.pending.shift();
    }
  }

  /**
   * Render again, with every definition known, the chunks that may use a reference-style label defined
   * elsewhere in the text. Nothing to do (the common case) when the text defines none.
   * @param {string} text
   */
  resolveReferences(text) {
    /** @type {Record<string, object> | null} */
    let refs = null;
    for (const chunk of this.chunks) {
      if (!chunk.refs) continue;
      refs ??= {};
      // The first definition of a label wins, as in a one-shot render.
      for (const [label, ref] of Object.entries(chunk.refs)) if (!Object.hasOwn(refs, label)) refs[label] = ref;
    }
    if (!refs) return;
    this.chunks.forEach((chunk, i) => {
      if (chunk.code) return;
      const source = text.slice(chunk.start, chunk.end);
      if (!usesReference(source, /** @type {Record<string, object>} */ (refs))) return;
      const env = { references: { ...refs } };
      let ref = null;
      for (let j = i + 1; j < this.chunks.length && !ref; j++) ref = this.chunks[j].run.first();
      chunk.run.set(this.el, source.trim() ? renderMarkdownNodes(this.doc, source, env) : [], ref);
    });
  }

  scheduleIdle() {
    if (this.idleKind || !this.pending.length) return;
    const win = /** @type {any} */ (this.doc.defaultView);
    if (!win) return; // done at the end, in finish()
    const run = () => {
      this.idleKind = null;
      this.idleId = 0;
      this.highlightSlice(SLICE_MS);
      this.scheduleIdle();
    };
    if (typeof win.requestIdleCallback === "function") {
      this.idleKind = "idle";
      this.idleId = win.requestIdleCallback(run, { timeout: 1000 });
    } else {
      this.idleKind = "timeout";
      this.idleId = win.setTimeout(run, 0);
    }
  }

  cancelIdle() {
    const win = /** @type {any} */ (this.doc.defaultView);
    if (this.idleKind === "idle") win?.cancelIdleCallback(this.idleId);
    else if (this.idleKind === "timeout") win?.clearTimeout(this.idleId);
    this.idleKind = null;
    this.idleId = 0;
  }
}
