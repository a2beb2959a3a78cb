/**
 * Tail-only markdown rendering (DESIGN §3.10): closed chunks are rendered once and kept; each frame
 * re-renders only the open tail. An open code fence takes a fast path that highlights finished lines
 * in sealed groups and re-highlights only the last group. When the text is complete the whole text
 * is rendered once, so the final DOM is exactly `renderMarkdown(text)`.
 */
import { ChunkScanner } from "./chunker.js";
import { highlightCode, fenceLanguage } from "./highlight.js";
import { codeBlockHtml, renderMarkdown } from "./markdown.js";
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
 * @param {Document} doc
 * @param {string} html sanitised
 */
function chunkElement(doc, html) {
  const div = doc.createElement("div");
  div.className = "axio-nb-chunk";
  div.innerHTML = html;
  return div;
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
    this.el = chunkElement(doc, sanitize(codeBlockHtml(this.lang, "")));
    this.code = /** @type {HTMLElement} */ (this.el.querySelector("code"));
    this.open = doc.createElement("span");
    this.code.appendChild(this.open);
    /** Offset in the body up to which lines are sealed. */
    this.sealed = 0;
    this.openSource = "";
  }

  /** @param {string} source */
  highlight(source) {
    return sanitize(highlightCode(dedent(source, this.indent), this.lang));
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
      const span = this.doc.createElement("span");
      span.innerHTML = this.highlight(body.slice(this.sealed, p));
      this.code.insertBefore(span, this.open);
      this.sealed = p;
      this.openSource = "";
    }
    const rest = body.slice(this.sealed);
    if (rest !== this.openSource) {
      this.open.innerHTML = this.highlight(rest);
      this.openSource = rest;
    }
  }
}

export class StreamingMarkdown {
  /** @param {Document} doc */
  constructor(doc) {
    this.doc = doc;
    this.el = doc.createElement("div");
    this.el.className = "axio-nb-md";
    this.scanner = new ChunkScanner();
    /** The text of the closed chunks: a new text that does not extend it forces a restart. */
    this.closedText = "";
    /** @type {string | null} the text of the last whole render */
    this.finalText = null;
    /** @type {HTMLElement | null} */
    this.tailEl = null;
    /** @type {string | null} */
    this.tailSource = null;
    /** @type {FenceFastPath | null} */
    this.fast = null;
    /** @type {HTMLElement | null} the part of the tail before an open fence */
    this.preEl = null;
    this.preSource = "";
  }

  reset() {
    this.el.textContent = "";
    this.scanner = new ChunkScanner();
    this.closedText = "";
    this.finalText = null;
    this.tailEl = null;
    this.tailSource = null;
    this.fast = null;
    this.preEl = null;
    this.preSource = "";
  }

  /**
   * @param {string} text the whole text so far
   * @param {boolean} complete the block will not grow any more: render it whole, once
   */
  update(text, complete) {
    if (complete) {
      if (this.finalText !== text) {
        this.reset();
        this.el.innerHTML = renderMarkdown(text);
        this.finalText = text;
      }
      return;
    }
    if (this.finalText !== null || !text.startsWith(this.closedText)) this.reset();
    const scanner = this.scanner;
    const firstNew = scanner.closed.length;
    if (scanner.scan(text) > 0) {
      for (const chunk of scanner.closed.slice(firstNew)) this.addClosed(text, chunk);
      this.closedText = text.slice(0, scanner.tailStart);
    }
    this.renderTail(text);
  }

  /**
   * @param {string} text
   * @param {import("./chunker.js").Chunk} chunk
   */
  addClosed(text, chunk) {
    let el;
    const fast = this.fast;
    if (fast && chunk.fence && fast.start === chunk.start) {
      // The fence just closed: finish its fast-path element instead of highlighting all of it again.
      fast.update(text.slice(chunk.fence.bodyStart, chunk.fence.bodyEnd), true);
      el = fast.el;
      this.fast = null;
      this.preEl = null;
      this.tailSource = null;
    } else {
      el = chunkElement(this.doc, renderMarkdown(text.slice(chunk.start, chunk.end)));
    }
    this.el.insertBefore(el, this.tailEl);
  }

  /** @param {string} text */
  renderTail(text) {
    const scanner = this.scanner;
    if (!this.tailEl) {
      this.tailEl = this.doc.createElement("div");
      this.tailEl.className = "axio-nb-chunk axio-nb-tail";
      this.el.appendChild(this.tailEl);
    }
    const fence = scanner.fence;
    if (fence) {
      if (!this.fast || this.fast.start !== fence.start) {
        this.fast = new FenceFastPath(this.doc, fence.start, fence.info, fence.indent);
        this.preEl = this.doc.createElement("div");
        this.preEl.className = "axio-nb-chunk";
        this.preSource = "";
        this.tailSource = "";
        this.tailEl.replaceChildren(this.preEl, this.fast.el);
      }
      const pre = text.slice(scanner.tailStart, fence.start);
      if (pre !== this.preSource && this.preEl) {
        this.preEl.innerHTML = pre.trim() ? renderMarkdown(pre) : "";
        this.preSource = pre;
      }
      this.fast.update(text.slice(fence.bodyStart));
      return;
    }
    if (this.fast) {
      // The fence closed inside a chunk that is still open (an indented fence): plain render from here.
      this.fast = null;
      this.preEl = null;
      this.tailSource = null;
    }
    const tail = text.slice(scanner.tailStart);
    if (tail !== this.tailSource) {
      this.tailEl.innerHTML = tail.trim() ? renderMarkdown(tail) : "";
      this.tailSource = tail;
    }
  }
}
