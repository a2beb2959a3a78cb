/**
 * DOMPurify, created lazily for whatever window exists (the page, or jsdom in tests).
 *
 * Streaming sanitises a little HTML every frame. `sanitize(string)` has DOMPurify parse it into a new
 * Document and serialise it back, which the caller then parses again: per-frame garbage that showed up
 * as 25–36 ms major GCs inside frames. `sanitizeNodes` parses once, into an inert document made once per
 * page (no scripts run and nothing loads there), sanitises those nodes in place and hands them over.
 */
import createDOMPurify from "dompurify";

/** @type {any} */
let purifier = null;
/** @type {any} */
let purifierWindow = null;
/** @type {any} */
let mathPurifier = null;

const SAFE_HREF = /^(?:https?:|mailto:)/i;

/**
 * Use this window for sanitising (tests hand in a jsdom window; the browser uses its own).
 * @param {any} win
 */
export function setSanitizerWindow(win) {
  purifierWindow = win;
  purifier = null;
  mathPurifier = null;
}

function getPurifier() {
  if (purifier) return purifier;
  const win = purifierWindow ?? globalThis.window;
  if (!win) throw new Error("axio_nb: no window to sanitise HTML with (call setSanitizerWindow in tests)");
  purifier = createDOMPurify(win);
  // Parsed once here rather than on every call.
  purifier.setConfig(CONFIG);
  purifier.addHook("afterSanitizeAttributes", (/** @type {Element} */ node) => {
    if (node.tagName !== "A") return;
    const href = node.getAttribute("href");
    if (href === null) return;
    if (!SAFE_HREF.test(href.trim())) {
      node.removeAttribute("href");
      return;
    }
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer nofollow");
  });
  return purifier;
}

const CONFIG = {
  ALLOWED_URI_REGEXP: SAFE_HREF,
  FORBID_TAGS: ["style", "form", "input", "textarea", "select", "iframe", "object", "embed", "img", "svg", "math"],
  ADD_ATTR: ["target"],
  // Only takes effect for a node passed in (sanitizeNodes); strings are parsed into a new document as before.
  IN_PLACE: true,
};

/**
 * Every HTML string goes through here before `innerHTML`.
 * @param {string} html
 * @returns {string}
 */
export function sanitize(html) {
  return getPurifier().sanitize(html);
}

/** @type {WeakMap<Document, HTMLElement>} a `div` in an inert document, per page document */
const holders = new WeakMap();

/**
 * HTML → sanitised nodes, parsed as `innerHTML` of a `div` parses it; the caller inserts them (which
 * adopts them into `doc`). Parsing happens in an inert document: a handler such as `onerror` never
 * runs there and no resource is fetched before the sanitiser has removed it.
 * @param {Document} doc
 * @param {string} html untrusted
 * @returns {Node[]}
 */
export function sanitizeNodes(doc, html) {
  if (!html) return [];
  const purify = getPurifier();
  let holder = holders.get(doc);
  if (!holder) {
    holder = doc.implementation.createHTMLDocument("").createElement("div");
    holders.set(doc, holder);
  }
  holder.innerHTML = html;
  purify.sanitize(holder);
  const nodes = Array.from(holder.childNodes);
  holder.replaceChildren();
  return nodes;
}

/**
 * KaTeX output keeps its MathML (with the TeX as annotation, for screen readers) and the SVG it draws
 * (roots, wide accents). The URI pattern above would strip every attribute value that is not a web
 * address (an SVG path's `d`, `viewBox`); here no URL attribute is allowed at all instead.
 */
const MATH_CONFIG = {
  FORBID_TAGS: [...CONFIG.FORBID_TAGS.filter((tag) => tag !== "svg" && tag !== "math"), "a", "use", "image"],
  FORBID_ATTR: ["href", "xlink:href", "src", "action", "formaction"],
  ADD_TAGS: ["semantics", "annotation"],
};

/**
 * KaTeX's HTML before `innerHTML` (KaTeX runs with `trust: false`; this makes sure of it).
 * @param {string} html
 * @returns {string}
 */
export function sanitizeMath(html) {
  if (!mathPurifier) {
    const win = purifierWindow ?? globalThis.window;
    if (!win) throw new Error("axio_nb: no window to sanitise HTML with (call setSanitizerWindow in tests)");
    // Its own instance: a DOMPurify with a config set once ignores the config passed to a call.
    mathPurifier = createDOMPurify(win);
    mathPurifier.setConfig(MATH_CONFIG);
  }
  return mathPurifier.sanitize(html);
}
