/**
 * A markdown-it plugin for TeX math: `$…$` and `\(…\)` inline, `$$…$$` and `\[…\]` displayed, either
 * inside a paragraph or as a block of its own lines (blank lines and all). Math is taken out before
 * emphasis, links and escapes see it, so `_` and `*` in math are never emphasis. It renders a
 * placeholder holding the TeX source as text (`.axio-nb-math`); `math.js` typesets placeholders once
 * KaTeX is in. `axio_nb/render/math.py` parses the same rules for the static snapshot: change both.
 *
 * Dollars follow pandoc's rule, so prices stay text (`$5 and $10`): an opening `$` has no space after
 * it, the closing `$` no space before it and no digit after it. The first unescaped `$` after an
 * opening one decides: if it cannot close, the opening `$` is plain text.
 *
 * A `$$` line with no closing line is not math in a finished text. While it streams (markdown-it env
 * `openMath`), display math still open runs to the end as an untypeset placeholder instead, so its
 * TeX never shows as paragraphs with emphasis in between; env `mathOpen` tells that this happened.
 */
import { escapeHtml } from "./highlight.js";

/** @typedef {any} StateInline  @typedef {any} StateBlock  @typedef {any[]} Tokens */

const DOLLAR = 0x24;
const BACKSLASH = 0x5c;

/** @param {number} code */
const isSpace = (code) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
/** @param {number} code */
const isDigit = (code) => code >= 0x30 && code <= 0x39;

/**
 * Where `\)` or `\]` closes math that starts at `from`, skipping escaped pairs (`\\` is a TeX line break).
 * @param {string} src
 * @param {number} from
 * @param {number} max
 * @param {string} close `)` or `]`
 */
function findBackslashClose(src, from, max, close) {
  for (let i = from; i < max - 1; i++) {
    if (src.charCodeAt(i) !== BACKSLASH) continue;
    if (src[i + 1] === close) return i;
    i++;
  }
  return -1;
}

/**
 * @param {StateInline} state
 * @param {string} content
 * @param {boolean} display
 * @param {string} markup
 */
function pushMath(state, content, display, markup) {
  const token = state.push("math_inline", "span", 0);
  token.content = content;
  token.markup = markup;
  token.info = display ? "display" : "";
}

/**
 * @param {StateInline} state
 * @param {boolean} silent
 */
function mathInline(state, silent) {
  const { src, pos, posMax: max } = state;
  const ch = src.charCodeAt(pos);
  if (ch === BACKSLASH) {
    const open = src[pos + 1];
    if (open !== "(" && open !== "[") return false;
    const end = findBackslashClose(src, pos + 2, max, open === "(" ? ")" : "]");
    if (end < 0 || !src.slice(pos + 2, end).trim()) return false;
    if (!silent) pushMath(state, src.slice(pos + 2, end), open === "[", `\\${open}`);
    state.pos = end + 2;
    return true;
  }
  if (ch !== DOLLAR) return false;
  if (src.charCodeAt(pos + 1) === DOLLAR) {
    const end = src.indexOf("$$", pos + 2);
    if (end < 0 || end >= max || !src.slice(pos + 2, end).trim()) {
      // Not math: both dollars are text, so the second cannot open inline math of its own.
      if (!silent) state.pending += "$$";
      state.pos += 2;
      return true;
    }
    if (!silent) pushMath(state, src.slice(pos + 2, end), true, "$$");
    state.pos = end + 2;
    return true;
  }
  let end = -1;
  if (pos + 1 < max && !isSpace(src.charCodeAt(pos + 1))) {
    for (let i = pos + 1; i < max; i++) {
      const c = src.charCodeAt(i);
      if (c === BACKSLASH) {
        i++;
      } else if (c === DOLLAR) {
        if (!isSpace(src.charCodeAt(i - 1)) && !isDigit(src.charCodeAt(i + 1))) end = i;
        break;
      }
    }
  }
  if (end < 0) {
    if (!silent) state.pending += "$";
    state.pos += 1;
    return true;
  }
  if (!silent) pushMath(state, src.slice(pos + 1, end), false, "$");
  state.pos = end + 1;
  return true;
}

/**
 * How a line opens display math of its own lines: `$$` or `\[` at its start.
 * @param {string} line the line after its indentation
 * @returns {{close: string, rest: string, oneLine: string | null} | null} `oneLine`: the TeX when the line
 *   also closes it; null when the math goes on below. No block at all when the closer is mid-line.
 */
export function mathBlockOpening(line) {
  let close;
  if (line.startsWith("$$")) close = "$$";
  else if (line.startsWith("\\[")) close = "\\]";
  else return null;
  const rest = line.slice(2);
  const trimmed = rest.trimEnd();
  if (trimmed.endsWith(close)) {
    const tex = trimmed.slice(0, -2);
    if (!tex.trim() || tex.includes(close)) return null;
    return { close, rest, oneLine: tex };
  }
  if (rest.includes(close)) return null;
  return { close, rest, oneLine: null };
}

/**
 * @param {StateBlock} state
 * @param {number} startLine
 * @param {number} endLine
 * @param {boolean} silent
 */
function mathBlock(state, startLine, endLine, silent) {
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const start = state.bMarks[startLine] + state.tShift[startLine];
  const opening = mathBlockOpening(state.src.slice(start, state.eMarks[startLine]));
  if (!opening) return false;
  let content = opening.oneLine;
  let last = startLine;
  let open = false;
  if (content === null) {
    const lines = [opening.rest];
    let next = startLine + 1;
    for (; next < endLine; next++) {
      const empty = state.isEmpty(next);
      if (!empty && state.sCount[next] < state.blkIndent) return false;
      const line = empty ? "" : state.src.slice(state.bMarks[next] + state.tShift[next], state.eMarks[next]);
      const trimmed = line.trimEnd();
      if (trimmed.endsWith(opening.close)) {
        lines.push(trimmed.slice(0, -2));
        content = lines.join("\n");
        last = next;
        break;
      }
      lines.push(line);
    }
    if (content === null && state.env.openMath && next === endLine) {
      // Streaming, and the closing line has not arrived yet: the rest is this math, shown as source.
      content = lines.join("\n");
      last = endLine - 1;
      open = true;
    }
    if (content === null || !content.trim()) return false;
  }
  if (silent) return true;
  state.line = last + 1;
  const token = state.push("math_block", "div", 0);
  token.block = true;
  token.content = content;
  token.markup = opening.close === "$$" ? "$$" : "\\[";
  token.info = open ? "open" : "";
  token.map = [startLine, state.line];
  if (open) state.env.mathOpen = true;
  return true;
}

/**
 * The placeholder: the TeX source as escaped text, typeset in place later (not while still open).
 * @param {string} tex
 * @param {boolean} display
 * @param {"span" | "div"} tag
 * @param {boolean} [open] display math whose closing line has not streamed in yet
 */
export function mathPlaceholder(tex, display, tag = "span", open = false) {
  const cls = (display ? "axio-nb-math axio-nb-math-display" : "axio-nb-math") + (open ? " axio-nb-math-open" : "");
  return `<${tag} class="${cls}">${escapeHtml(tex)}</${tag}>`;
}

/** @param {any} md a MarkdownIt instance */
export function mathPlugin(md) {
  md.inline.ruler.before("escape", "math_inline", mathInline);
  md.block.ruler.before("fence", "math_block", mathBlock, { alt: ["paragraph", "reference", "blockquote", "list"] });
  md.renderer.rules.math_inline = (/** @type {Tokens} */ tokens, /** @type {number} */ idx) =>
    mathPlaceholder(tokens[idx].content, tokens[idx].info === "display");
  md.renderer.rules.math_block = (/** @type {Tokens} */ tokens, /** @type {number} */ idx) =>
    `${mathPlaceholder(tokens[idx].content, true, "div", tokens[idx].info === "open")}\n`;
}
