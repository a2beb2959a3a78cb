/**
 * A check, not a sanitiser: does a parsed tree hold only the markup our own markdown renderer makes?
 *
 * markdown-it runs with raw HTML off (markdown.js), so model text reaches the HTML only as escaped text
 * and as a few attribute values (link addresses and titles, a list's start, a fence's language). The
 * streaming view re-renders its open chunk every frame, and DOMPurify's in-place pass over that chunk
 * made about half of the page's allocations (bench/browser.py --heap-profile; BENCHMARKS.md): several
 * walks of the tree per call, each with its own sets and arrays, and a lower-cased copy of every name.
 *
 * `isKnownMarkup` walks the tree once and accepts it only where DOMPurify, as sanitize.js configures it,
 * would change nothing but what its hook adds (a link's `target` and `rel`). Every rule here is at least
 * as strict as DOMPurify's for the same node; anything else (an unknown tag or attribute, a comment, a
 * value DOMPurify would trim, drop or rewrite) answers false, and the caller runs DOMPurify itself.
 * widgets/test/sanitize.test.js checks that both paths give the same DOM on every document it has.
 */

const HTML_NS = "http://www.w3.org/1999/xhtml";

/** Tags markdown.js, markdown-math.js, code-groups.js and highlight.js emit (upper case: HTML documents). */
const TAGS = new Set(
  (
    "P H1 H2 H3 H4 H5 H6 EM STRONG S CODE PRE BLOCKQUOTE UL OL LI A HR BR " +
    "TABLE THEAD TBODY TR TH TD SPAN DIV BUTTON"
  ).split(" "),
);

/** DOMPurify drops an attribute whose value could break out of a serialised document (its ATTR_VALUE_BREAKOUT). */
const BREAKOUT = /((--!?|])>)|<\/(style|script|title|xmp|textarea|noscript|iframe|noembed|noframes)/i;
/** …or holds a self-closing tag (its SELF_CLOSING_TAG). */
const SELF_CLOSING = /\/>/;
/** Whitespace DOMPurify strips before it tests an address (its ATTR_WHITESPACE). */
const ADDRESS_SPACE = /[\u0000-\u0020\u00A0\u1680\u180E\u2000-\u2029\u205F\u3000]/;
/** Table cells: markdown-it writes only these. */
const ALIGN = /^text-align:(?:left|right|center)$/;

/**
 * Per attribute: whether this value, on this tag, is one DOMPurify keeps exactly as it is.
 * @type {Record<string, (value: string, tag: string) => boolean>}
 */
const ATTRIBUTES = {
  class: () => true,
  title: () => true,
  "aria-label": () => true,
  href: (value, tag) => tag === "A" && /^(?:https?:|mailto:)/i.test(value) && !ADDRESS_SPACE.test(value),
  start: (value, tag) => tag === "OL" && /^\d+$/.test(value),
  type: (value, tag) => tag === "BUTTON" && value === "button",
  style: (value, tag) => (tag === "TH" || tag === "TD") && ALIGN.test(value),
};

/**
 * @param {Element} el
 * @returns {boolean}
 */
function knownElement(el) {
  const tag = el.tagName;
  if (!TAGS.has(tag) || el.namespaceURI !== HTML_NS) return false;
  const attrs = el.attributes;
  for (let i = 0; i < attrs.length; i++) {
    const { name, value } = /** @type {Attr} */ (attrs[i]);
    const rule = Object.hasOwn(ATTRIBUTES, name) ? ATTRIBUTES[name] : undefined;
    if (!rule || value !== value.trim() || BREAKOUT.test(value) || SELF_CLOSING.test(value)) return false;
    if (!rule(value, tag)) return false;
  }
  return true;
}

/**
 * Whether every node under `root` (not `root` itself) is text or a known element with known attributes.
 * @param {Element} root a `div` of an inert document holding freshly parsed HTML
 * @returns {boolean}
 */
export function isKnownMarkup(root) {
  /** @type {Node | null} */
  let node = root.firstChild;
  while (node) {
    if (node.nodeType === 1) {
      if (!knownElement(/** @type {Element} */ (node))) return false;
      if (node.firstChild) {
        node = node.firstChild;
        continue;
      }
    } else if (node.nodeType !== 3) {
      return false;
    }
    while (node && !node.nextSibling) {
      node = node.parentNode;
      if (node === root) return true;
    }
    node = node ? node.nextSibling : null;
  }
  return true;
}

/**
 * What sanitize.js's DOMPurify hook does to a kept link: it opens in a new tab, without a referrer.
 * @param {Element} root
 */
export function markLinks(root) {
  for (const a of root.querySelectorAll("a[href]")) {
    a.setAttribute("target", "_blank");
    a.setAttribute("rel", "noopener noreferrer nofollow");
  }
}
