/**
 * Splits streaming markdown into closed chunks and one open tail (docs/facts.md#browser-rendering-must-be-tail-only).
 *
 * A chunk closes where no later text can change how it renders, so that rendering the chunks one by one
 * gives the same HTML as rendering the whole text at once (reference-style link definitions aside):
 *
 * - at a blank line outside a code fence, unless the chunk ends in a list or an indented code block:
 *   those a blank line does not end. Then the close is only provisional and the next non-blank line
 *   decides: one that continues the block (an item marker of the same list, or a line indented to the
 *   list item's content, or ≥ 4 columns after indented code) keeps the chunk open, so a loose list stays
 *   one list; anything else closes the chunk where it would have closed at the blank line. The decision
 *   is taken as soon as the start of that line tells (`decide`), not when the whole line has arrived.
 * - around a code fence that starts at column 0 (such a fence ends any paragraph or list before it).
 * - never inside display math on lines of its own (`$$` or `\[` opening a line, up to the line that
 *   ends with `$$` or `\]`): TeX often holds blank lines, and the math renders only as one piece.
 *
 * Block quotes need nothing: a blank line ends a quote in CommonMark (`> a` + blank + `> b` is two
 * quotes), and a `>` line that continues a quote is not blank. Only complete lines are scanned, plus the
 * start of the partial last line for a pending decision; the partial last line always belongs to the tail.
 */

import { mathBlockOpening } from "./markdown-math.js";

/**
 * @typedef {{char: string, len: number, indent: number, info: string, start: number, bodyStart: number,
 *   listIndent: number}} OpenFence `listIndent`: the content column of the list item the fence is in (0: none)
 * @typedef {{start: number, end: number, fence?: {info: string, bodyStart: number, bodyEnd: number}}} Chunk
 *   `fence` is set when the chunk is exactly one column-0 fenced code block.
 * @typedef {{type: string, content: number}} OpenList the list the chunk ends in: its marker type (`-`,
 *   `+`, `*`, `.` or `)`) and the content column of its last top-level item
 */

const OPEN_FENCE = /^( *)(`{3,}|~{3,})(.*)$/;
const CLOSE_FENCE = /^( *)(`{3,}|~{3,})[ \t]*\r?$/;
const BLANK = /^[ \t]*\r?$/;
/** A list item marker after the indentation: bullet or ordered, then a space, a tab or the line's end. */
const LIST_MARKER = /^(?:([-+*])|\d{1,9}([.)]))(?=[ \t]|\r?$)/;
/** A marker still being typed: a partial line ending in one of these cannot be judged yet. */
const PARTIAL_MARKER = /^(?:[-+*]|\d{1,9}[.)]?)$/;
/** Lines that end a list they follow without a blank line (a lazy continuation line does not). */
const ENDS_LIST = /^(?:#{1,6}(?:[ \t]|\r?$)|>|(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})\r?$)/;

/**
 * @param {string} line
 * @returns {{indent: number, char: string, len: number, info: string} | null}
 */
export function openingFence(line) {
  const m = OPEN_FENCE.exec(line);
  if (!m) return null;
  const [, spaces, marks, info] = m;
  if (marks[0] === "`" && info.includes("`")) return null;
  return { indent: spaces.length, char: marks[0], len: marks.length, info: info.trim() };
}

/**
 * @param {string} line
 * @param {{char: string, len: number}} fence
 */
export function closesFence(line, fence) {
  const m = CLOSE_FENCE.exec(line);
  return Boolean(m && m[2][0] === fence.char && m[2].length >= fence.len);
}

/**
 * Leading whitespace of a line: its width in columns (tabs to the next multiple of 4) and its length.
 * @param {string} line
 */
function leading(line) {
  let col = 0;
  let i = 0;
  for (; i < line.length; i++) {
    const ch = line.charCodeAt(i);
    if (ch === 32) col++;
    else if (ch === 9) col += 4 - (col % 4);
    else break;
  }
  return { col, len: i };
}

/**
 * The list item a line starts, if any.
 * @param {string} line
 * @param {number} col indentation width
 * @param {number} len indentation length
 * @returns {{type: string, content: number, rest: string} | null} `content`: the column its content starts at
 */
export function listItem(line, col, len) {
  const rest = line.slice(len);
  const m = LIST_MARKER.exec(rest);
  if (!m) return null;
  const after = rest.slice(m[0].length);
  const spaces = /^ */.exec(after)?.[0].length ?? 0;
  // 1–4 spaces: content starts after them; none (empty item), 5 or more (indented code) or a tab: one
  // column after the marker. Erring low only ever merges more, which is safe.
  const gap = spaces >= 1 && spaces <= 4 && after[spaces] !== "\t" ? spaces : 1;
  return { type: m[1] ?? m[2], content: col + m[0].length + gap, rest: after.slice(spaces) };
}

export class ChunkScanner {
  constructor() {
    /** Everything before this index has been scanned as complete lines. */
    this.scanned = 0;
    /** Start of the open tail chunk. */
    this.tailStart = 0;
    /** @type {Chunk[]} */
    this.closed = [];
    /** @type {OpenFence | null} the fence open at `scanned`, if any */
    this.fence = null;
    this.tailHasContent = false;
    /** @type {OpenList | null} the list the open chunk ends in, if any */
    this.list = null;
    /** The open chunk's last non-blank line is indented code (or could be). */
    this.indentedCode = false;
    /** @type {number} where the open chunk ends if the next non-blank line does not continue it; -1: no blank line seen */
    this.pendingEnd = -1;
    /** @type {string | null} the closing delimiter of the display math block open at `scanned`, if any */
    this.math = null;
  }

  /**
   * Scan the complete lines added since the last call. `text` must extend the text seen before; only the
   * part from the open tail's start on is read, so a `TextWindow` holding that part does.
   * @param {string | import("./text-window.js").TextWindow} text
   * @returns {number} how many chunks closed
   */
  scan(text) {
    const before = this.closed.length;
    let i = this.scanned;
    for (let nl = text.indexOf("\n", i); nl >= 0; i = nl + 1, nl = text.indexOf("\n", i)) {
      this.line(text.slice(i, nl), i, nl + 1);
    }
    this.scanned = i;
    if (this.pendingEnd >= 0 && i < text.length) {
      // The partial last line may already tell whether the chunk goes on.
      const verdict = this.decide(text.slice(i), false);
      if (verdict === false) this.closePending(i);
      else if (verdict === true) this.pendingEnd = -1;
    }
    return this.closed.length - before;
  }

  /**
   * Whether a line after a provisional close continues the open chunk.
   * @param {string} line the line, or the start of it when `complete` is false
   * @param {boolean} complete
   * @returns {boolean | null} null: the start of the line does not tell yet
   */
  decide(line, complete) {
    const { col, len } = leading(line);
    const rest = line.slice(len);
    if (!complete && !/\S/.test(rest)) return null;
    const list = this.list;
    if (list) {
      if (col >= list.content) return true;
      if (!complete && PARTIAL_MARKER.test(rest)) return null;
      const item = listItem(line, col, len);
      return Boolean(item && item.type === list.type);
    }
    return this.indentedCode && col >= 4;
  }

  /** @param {number} lineStart the start of the line that does not continue the chunk */
  closePending(lineStart) {
    this.close(this.pendingEnd);
    this.tailStart = lineStart;
  }

  /**
   * @param {string} line without its newline
   * @param {number} start index of the line
   * @param {number} next index after its newline
   */
  line(line, start, next) {
    if (this.math !== null) {
      if (line.trimEnd().endsWith(this.math)) this.math = null;
      return;
    }
    const fence = this.fence;
    if (fence) {
      // A fence inside a list item ends with the item, at a non-blank line indented less than the item's
      // content (even a closing fence: that one opens a new fence at the top level). Else it goes on to
      // its closing line, blank lines and all.
      const endsItem = fence.listIndent > 0 && !BLANK.test(line) && leading(line).col < fence.listIndent;
      if (!endsItem) {
        if (closesFence(line, fence)) {
          this.fence = null;
          if (fence.indent === 0 && fence.start === this.tailStart) {
            this.close(next, { info: fence.info, bodyStart: fence.bodyStart, bodyEnd: start });
          } else if (fence.indent === 0) {
            this.close(next);
          }
        }
        return;
      }
      this.fence = null;
      this.list = null;
    }
    if (BLANK.test(line)) {
      if (!this.tailHasContent) this.tailStart = next;
      else if (this.pendingEnd >= 0) return;
      else if (this.list || this.indentedCode) this.pendingEnd = next;
      else this.close(next);
      return;
    }
    if (this.pendingEnd >= 0) {
      if (this.decide(line, true)) this.pendingEnd = -1;
      else this.closePending(start);
    }
    const { col, len } = leading(line);
    const list = this.list;
    const inItem = list !== null && col >= list.content;
    // Inside a list (even at a lazy line) markdown-it sees display math only if all its lines belong to
    // the item, and the list's own rules already keep those together.
    const math = list || col > 3 ? null : mathBlockOpening(line.slice(len));
    if (math && math.oneLine === null) {
      this.math = math.close;
      this.indentedCode = false;
      this.tailHasContent = true;
      return;
    }
    const item = inItem || col > 3 ? null : listItem(line, col, len);
    // A fence opens at the line's start, or right after a list item's marker; indented 4 or more (past
    // the list item's content, if any) the line is code or paragraph text instead.
    let open = openingFence(line) ?? (item ? openingFence(item.rest) : null);
    if (open && !item && open.indent - (inItem && list ? list.content : 0) >= 4) open = null;
    if (open && open.indent === 0 && !item && this.tailHasContent) this.close(start);
    if (item) this.list = { type: item.type, content: item.content };
    else if (list && !inItem && (open || ENDS_LIST.test(line.slice(len)))) this.list = null;
    this.indentedCode = !this.list && col >= 4;
    this.tailHasContent = true;
    if (open) {
      const listIndent = this.list ? this.list.content : 0;
      this.fence = { ...open, indent: item ? item.content : open.indent, start, bodyStart: next, listIndent };
    }
  }

  /**
   * @param {number} end
   * @param {Chunk["fence"]} [fence]
   */
  close(end, fence) {
    /** @type {Chunk} */
    const chunk = { start: this.tailStart, end };
    if (fence) chunk.fence = fence;
    this.closed.push(chunk);
    this.tailStart = end;
    this.tailHasContent = false;
    this.list = null;
    this.indentedCode = false;
    this.pendingEnd = -1;
  }
}
