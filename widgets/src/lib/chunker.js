/**
 * Splits streaming markdown into closed chunks and one open tail (DESIGN §3.10).
 *
 * A chunk closes at a blank line outside a code fence, and around a code fence that starts at column 0
 * (such a fence ends any paragraph or list before it, so splitting there changes nothing). Only
 * complete lines are scanned; the partial last line always belongs to the tail.
 */

/**
 * @typedef {{char: string, len: number, indent: number, info: string, start: number, bodyStart: number}} OpenFence
 * @typedef {{start: number, end: number, fence?: {info: string, bodyStart: number, bodyEnd: number}}} Chunk
 *   `fence` is set when the chunk is exactly one column-0 fenced code block.
 */

const OPEN_FENCE = /^( *)(`{3,}|~{3,})(.*)$/;
const CLOSE_FENCE = /^( *)(`{3,}|~{3,})[ \t]*\r?$/;
const BLANK = /^[ \t]*\r?$/;

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
  }

  /**
   * Scan the complete lines added since the last call. `text` must extend the text seen before.
   * @param {string} text
   * @returns {number} how many chunks closed
   */
  scan(text) {
    const before = this.closed.length;
    let i = this.scanned;
    for (let nl = text.indexOf("\n", i); nl >= 0; i = nl + 1, nl = text.indexOf("\n", i)) {
      this.line(text.slice(i, nl), i, nl + 1);
    }
    this.scanned = i;
    return this.closed.length - before;
  }

  /**
   * @param {string} line without its newline
   * @param {number} start index of the line
   * @param {number} next index after its newline
   */
  line(line, start, next) {
    const fence = this.fence;
    if (fence) {
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
    const open = openingFence(line);
    if (open) {
      if (open.indent === 0 && this.tailHasContent) this.close(start);
      this.fence = { ...open, start, bodyStart: next };
      this.tailHasContent = true;
      return;
    }
    if (BLANK.test(line)) {
      if (this.tailHasContent) this.close(next);
      else this.tailStart = next;
      return;
    }
    this.tailHasContent = true;
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
  }
}
