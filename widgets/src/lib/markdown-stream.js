/**
 * Tail-only markdown rendering (docs/facts.md#browser-rendering-must-be-tail-only): closed chunks are rendered once and kept; each frame
 * re-renders only the open tail. An open code fence takes a fast path that highlights finished lines
 * in sealed groups and re-highlights only the last group.
 *
 * The container holds the chunks' nodes directly (no wrapper per chunk), and the chunker closes a chunk
 * only where the rest of the text cannot change it, so the streamed DOM already is the one-shot
 * `renderMarkdown(text)` DOM. When the text is complete, only three things are left to do, none of
 * them a whole re-render: the tail is rendered as the last chunk; a fence that took the fast path with
 * more than one line group gets its code highlighted in one piece (done in idle time as soon as the
 * fence closes, so usually already done); and if the text holds reference-style link definitions, the
 * chunks that may use one of their labels are rendered again with all definitions known.
 */
import { ChunkScanner } from "./chunker.js";
import { highlightCode, fenceLanguage } from "./highlight.js";
import { codeBlockHtml, renderMarkdown, usesReference } from "./markdown.js";
import { typesetMath } from "./math.js";
import { sanitize } from "./sanitize.js";

/** Lines per sealed group of an open fence: small enough that re-highlighting the last one is cheap. */
export const FENCE_GROUP_LINES = 40;

/** A partial last line that may be the start of a closing fence: not shown as code. */
const PARTIAL_CLOSE = /^ *(?:`+|~+)[ \t]*$/;

/**
 * @param {string} text
 * @param {number} indent
 */
function dedent(text, indent) {
  return indent > 0 ? text.replace(new RegExp(`^ {1,${indent}}`, "gm"), "") : text;
}

/**
 * Sanitised HTML → nodes, parsed in a `div` as `innerHTML` on the container would parse them.
 * @param {Document} doc
 * @param {string} html
 * @returns {Node[]}
 */
function parse(doc, html) {
  if (!html) return [];
  const div = doc.createElement("div");
  div.innerHTML = html;
  typesetMath(div);
  return Array.from(div.childNodes);
}

/**
 * @param {Node} parent
 * @param {Node[]} nodes
 * @param {Node | null} ref
 */
function insertAll(parent, nodes, ref) {
  for (const node of nodes) parent.insertBefore(node, ref);
}

/** A run of sibling nodes that one piece of source rendered to. */
class Run {
  constructor() {
    /** @type {Node[]} */
    this.nodes = [];
  }

  /** @returns {Node | null} */
  first() {
    return this.nodes[0] ?? null;
  }

  remove() {
    for (const node of this.nodes) node.parentNode?.removeChild(node);
    this.nodes = [];
  }

  /**
   * Replace this run's nodes with `html`, in place (before `ref` when the run is empty).
   * @param {Node} parent
   * @param {string} html sanitised
   * @param {Node | null} ref
   */
  set(parent, html, ref) {
    const nodes = parse(/** @type {Document} */ (parent.ownerDocument), html);
    insertAll(parent, nodes, this.first() ?? ref);
    this.remove();
    this.nodes = nodes;
  }
}

/**
 * @param {{references?: Record<string, object>}} env
 * @returns {Record<string, object> | null}
 */
function referencesOf(env) {
  const refs = env.references;
  return refs && Object.keys(refs).length ? refs : null;
}

/** The open fence's code block, growing in sealed groups of lines. */
export class FenceFastPath {
  /**
   * @param {Document} doc
   * @param {number} start index of the fence line in the text (identifies the fence)
   * @param {string} info
   * @param {number} indent
   */
  constructor(doc, start, info, indent) {
    this.doc = doc;
    this.start = start;
    this.lang = fenceLanguage(info);
    this.indent = indent;
    this.run = new Run();
    this.run.nodes = parse(doc, sanitize(codeBlockHtml(this.lang, "")));
    /** The `.axio-nb-code` element. */
    this.el = /** @type {HTMLElement} */ (this.run.nodes.find((n) => n.nodeType === 1));
    this.code = /** @type {HTMLElement} */ (this.el.querySelector("code"));
    /** The nodes of the last, open group, at the end of `code`. */
    this.open = new Run();
    /** Offset in the body up to which lines are sealed. */
    this.sealed = 0;
    /** @type {string | null} */
    this.openSource = null;
  }

  /** @param {string} source */
  highlight(source) {
    return sanitize(highlightCode(dedent(source, this.indent), this.lang));
  }

  /**
   * Whether the code is highlighted in one piece, as a one-shot render highlights it. Sealed groups are
   * highlighted one by one, which differs where a token (a string, a comment) spans two groups.
   */
  get whole() {
    return this.sealed === 0;
  }

  /**
   * @param {string} body the code so far (everything after the fence line)
   * @param {boolean} [closed] the fence has closed: `body` is final
   */
  update(body, closed = false) {
    if (!closed) {
      const lineStart = body.lastIndexOf("\n") + 1;
      if (PARTIAL_CLOSE.test(body.slice(lineStart))) body = body.slice(0, lineStart);
    }
    for (;;) {
      let p = this.sealed;
      let n = 0;
      while (n < FENCE_GROUP_LINES) {
        const nl = body.indexOf("\n", p);
        if (nl < 0) break;
        p = nl + 1;
        n++;
      }
      if (n < FENCE_GROUP_LINES) break;
      insertAll(this.code, parse(this.doc, this.highlight(body.slice(this.sealed, p))), this.open.first());
      this.sealed = p;
      this.open.remove();
      this.openSource = null;
    }
    const rest = body.slice(this.sealed);
    if (rest !== this.openSource) {
      this.open.set(this.code, this.highlight(rest), null);
      this.openSource = rest;
    }
  }

  /** Highlight the finished code in one piece. @param {string} body */
  rehighlight(body) {
    this.code.innerHTML = this.highlight(body);
    this.open.nodes = [];
    this.sealed = 0;
    this.openSource = body;
  }
}

/**
 * @typedef {{start: number, end: number, run: Run, refs: Record<string, object> | null, code: boolean}} ClosedChunk
 *   `code`: exactly one column-0 fenced code block; `refs`: the reference definitions it holds
 * @typedef {{chunk: ClosedChunk, fast: FenceFastPath, body: string}} PendingHighlight
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
    /** The text seen last: a new text that does not extend it forces a restart. */
    this.text = "";
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
    /** @type {PendingHighlight[]} closed fast-path fences still highlighted in groups */
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

  /**
   * @param {string} text the whole text so far
   * @param {boolean} complete the block will not grow any more
   */
  update(text, complete) {
    if (this.finalText === text) return;
    if (this.finalText !== null || !text.startsWith(this.text)) this.reset();
    if (complete && this.text === "") {
      // Nothing streamed: the whole text at once.
      this.el.innerHTML = renderMarkdown(text);
      typesetMath(this.el);
      this.text = this.finalText = text;
      return;
    }
    const scanner = this.scanner;
    const firstNew = scanner.closed.length;
    if (scanner.scan(text) > 0) {
      for (const chunk of scanner.closed.slice(firstNew)) this.addClosed(text, chunk);
    }
    this.text = text;
    if (complete) this.finish(text);
    else this.renderTail(text);
  }

  /** Where newly closed chunks go: before the tail's nodes. */
  tailRef() {
    return this.pre.first() ?? this.fast?.run.first() ?? this.tail.first();
  }

  /**
   * @param {string} text
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
        this.pending.push({ chunk: closed, fast, body });
        this.scheduleIdle();
      }
    } else {
      const env = {};
      const run = new Run();
      run.set(this.el, renderMarkdown(text.slice(chunk.start, chunk.end), env), this.tailRef());
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

  /** @param {string} text */
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
        this.pre.set(this.el, pre.trim() ? renderMarkdown(pre) : "", this.fast.run.first());
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
      this.tail.set(this.el, tail.trim() ? renderMarkdown(tail, env) : "", null);
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

  /** Highlight the oldest closed fast-path fence in one piece. */
  highlightPending() {
    const next = this.pending.shift();
    if (next) next.fast.rehighlight(next.body);
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
      chunk.run.set(this.el, source.trim() ? renderMarkdown(source, env) : "", ref);
    });
  }

  scheduleIdle() {
    if (this.idleKind || !this.pending.length) return;
    const win = /** @type {any} */ (this.doc.defaultView);
    if (!win) return; // done at the end, in finish()
    const run = () => {
      this.idleKind = null;
      this.idleId = 0;
      this.highlightPending();
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
