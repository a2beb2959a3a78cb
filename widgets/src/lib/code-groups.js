/**
 * Code blocks hold their lines in groups of FENCE_GROUP_LINES, one block-level element per group.
 *
 * An open fence streams line by line for hundreds of lines: as one inline run inside one `<code>`, every
 * frame lays out all of it again (a 900-line fence took layout from 4 to 15 ms a frame); as a block per
 * group, only the group that changed is laid out. A one-shot render groups the same lines the same way,
 * so a streamed code block and a rendered one are the same DOM, and `textContent` stays the code.
 */

/** Lines per group: small enough that re-highlighting the open one every frame is cheap. */
export const FENCE_GROUP_LINES = 40;

/** The class of a group's element (`display: block` in stream.css). */
export const GROUP_CLASS = "axio-nb-lines";

/** highlight.js markup: its span tags, and text with `<` escaped. */
const TOKEN = /<\/span>|<span[^>]*>|[^<]+/g;

/**
 * Split highlighted code into groups of `lines` lines: each group's markup is balanced, closing the
 * spans still open at its end and opening them again at the start of the next (a string or comment
 * that spans two groups). Closing tags right after a group's last newline stay in that group, so no
 * group starts with an empty span. An empty last group is left out.
 * @param {string} html highlight.js output or escaped text
 * @param {number} [lines]
 * @returns {string[]}
 */
export function splitHighlighted(html, lines = FENCE_GROUP_LINES) {
  /** @type {string[]} */
  const groups = [];
  /** @type {string[]} opening tags of the spans open here */
  const open = [];
  let cur = "";
  let count = 0;
  let full = false;
  const cut = () => {
    groups.push(cur + "</span>".repeat(open.length));
    cur = open.join("");
    count = 0;
    full = false;
  };
  for (const [tok] of html.matchAll(TOKEN)) {
    if (tok === "</span>") {
      open.pop();
      cur += tok;
      continue;
    }
    if (full) cut();
    if (tok.charCodeAt(0) === 60 /* < */) {
      open.push(tok);
      cur += tok;
      continue;
    }
    let i = 0;
    while (i < tok.length) {
      let p = i;
      while (count < lines) {
        const nl = tok.indexOf("\n", p);
        if (nl < 0) break;
        p = nl + 1;
        count++;
      }
      if (count < lines) {
        cur += tok.slice(i);
        break;
      }
      cur += tok.slice(i, p);
      i = p;
      full = true;
      if (i < tok.length) cut();
    }
  }
  if (cur) groups.push(cur + "</span>".repeat(open.length));
  return groups;
}

/**
 * One group's element.
 * @param {string} html balanced markup of the group's lines
 */
export function groupHtml(html) {
  return `<span class="${GROUP_CLASS}">${html}</span>`;
}

/**
 * Highlighted code as grouped markup, as a code block holds it.
 * @param {string} html
 */
export function groupedCodeHtml(html) {
  return splitHighlighted(html).map(groupHtml).join("");
}

/**
 * Where each complete group of `lines` lines ends in `text`, from `from` on.
 * @param {string} text
 * @param {number} from an offset at a group boundary
 * @param {number} [lines]
 * @returns {number} the end of the next complete group, or -1 if there is none yet
 */
export function nextGroupEnd(text, from, lines = FENCE_GROUP_LINES) {
  let p = from;
  for (let n = 0; n < lines; n++) {
    const nl = text.indexOf("\n", p);
    if (nl < 0) return -1;
    p = nl + 1;
  }
  return p;
}
