/**
 * The open-fence fast path of the streaming renderer. A long fence streams for hundreds of lines:
 * finished lines are highlighted once, in sealed groups of FENCE_GROUP_LINES (one block element each),
 * and each frame re-highlights only the last, open group.
 *
 * Sealed groups are highlighted one by one, which differs from highlighting the whole code where a
 * token (a string, a comment) runs across two groups. Once the fence has closed, `Rehighlight`
 * highlights the code in one piece and replaces only the groups that came out different, a few at a
 * time in idle slices: a 900-line block replaced at once was two long tasks.
 */
import { groupHtml, nextGroupEnd, splitHighlighted } from "./code-groups.js";
import { fenceLanguage, highlightCode } from "./highlight.js";
import { codeBlockHtml } from "./markdown.js";
import { Run } from "./run.js";
import { sanitizeNodes } from "./sanitize.js";

/** A partial last line that may be the start of a closing fence: not shown as code. */
const PARTIAL_CLOSE = /^ *(?:`+|~+)[ \t]*$/;

/**
 * @param {string} text
 * @param {number} indent
 */
function dedent(text, indent) {
  return indent > 0 ? text.replace(new RegExp(`^ {1,${indent}}`, "gm"), "") : text;
}

/** @typedef {{html: string, el: Element}} Group highlighted markup of a group's lines (not sanitised yet) and its element */

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
    this.run.nodes = sanitizeNodes(doc, codeBlockHtml(this.lang, ""));
    /** The `.axio-nb-code` element. */
    this.el = /** @type {HTMLElement} */ (this.run.nodes.find((n) => n.nodeType === 1));
    this.code = /** @type {HTMLElement} */ (this.el.querySelector("code"));
    /** @type {Group[]} sealed groups, then the open one once the fence has closed */
    this.groups = [];
    /** @type {Group | null} the last, open group */
    this.open = null;
    /** Offset in the body up to which lines are sealed. */
    this.sealed = 0;
    /** @type {string | null} */
    this.openSource = null;
  }

  /**
   * Highlighted markup of some lines of the body (sanitised when it becomes a group's element).
   * @param {string} source
   */
  highlight(source) {
    return highlightCode(dedent(source, this.indent), this.lang);
  }

  /**
   * The element of one group.
   * @param {string} html
   * @returns {Element}
   */
  groupEl(html) {
    const [el] = sanitizeNodes(this.doc, groupHtml(html));
    if (el?.nodeType !== 1) throw new Error("axio_nb: a code line group did not survive sanitising");
    return /** @type {Element} */ (el);
  }

  /** Whether the code is highlighted in one piece, as a one-shot render highlights it. */
  get whole() {
    return this.groups.length === 0;
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
    for (let end = nextGroupEnd(body, this.sealed); end >= 0; end = nextGroupEnd(body, this.sealed)) {
      const html = this.highlight(body.slice(this.sealed, end));
      const el = this.groupEl(html);
      this.code.insertBefore(el, this.open?.el ?? null);
      this.groups.push({ html, el });
      this.sealed = end;
      this.open?.el.remove();
      this.open = null;
      this.openSource = null;
    }
    const rest = body.slice(this.sealed);
    if (rest !== this.openSource) {
      const html = rest ? this.highlight(rest) : "";
      const open = html ? { html, el: this.groupEl(html) } : null;
      if (this.open && open) this.open.el.replaceWith(open.el);
      else if (this.open) this.open.el.remove();
      else if (open) this.code.appendChild(open.el);
      this.open = open;
      this.openSource = rest;
    }
    if (closed && this.open && !this.whole) {
      this.groups.push(this.open);
      this.open = null;
    }
  }
}

/** Milliseconds of work per idle slice: the frame's own work must still fit around it. */
export const SLICE_MS = 8;

/** The code of a closed fast-path fence, highlighted again in one piece, a slice at a time. */
export class Rehighlight {
  /**
   * @param {FenceFastPath} fast
   * @param {string} body the whole code
   */
  constructor(fast, body) {
    this.fast = fast;
    this.body = body;
    /** @type {string[] | null} the one-piece markup, split as the groups are */
    this.target = null;
    this.next = 0;
  }

  /**
   * Do the work until it is done or `budget` ms have passed (at least one step).
   * @param {() => number} now
   * @param {number} [budget]
   * @returns {boolean} done
   */
  step(now, budget = Infinity) {
    const t0 = now();
    const fast = this.fast;
    if (!this.target) {
      this.target = splitHighlighted(fast.highlight(this.body));
      if (now() - t0 >= budget) return false;
    }
    const groups = fast.groups;
    for (; this.next < this.target.length; this.next++) {
      const html = this.target[this.next];
      const group = groups[this.next];
      if (group?.html === html) continue;
      if (now() - t0 >= budget) return false;
      const el = fast.groupEl(html);
      if (group) {
        group.el.replaceWith(el);
        groups[this.next] = { html, el };
      } else {
        fast.code.appendChild(el);
        groups.push({ html, el });
      }
    }
    for (const extra of groups.splice(this.target.length)) extra.el.remove();
    return true;
  }
}
