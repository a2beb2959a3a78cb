/**
 * DOMPurify, created lazily for whatever window exists (the page, or jsdom in tests).
 *
 * Streaming sanitises a little HTML every frame. `sanitize(string)` has DOMPurify parse it into a new
 * Document and serialise it back, which the caller then parses again: per-frame garbage that showed up
 * as 25–36 ms major GCs inside frames. `sanitizeNodes` parses once, into an inert document made once per
 * page (no scripts run and nothing loads there), sanitises those nodes in place and hands them over.
 * Markup our own renderer makes is recognised without DOMPurify (known-markup.js explains why and how);
 * anything else goes through DOMPurify.
 */
import createDOMPurify from "dompurify";
import { isKnownMarkup, markLinks } from "./known-markup.js";

/** @type {any} */
let purifier = null;
/** @type {any} */
let purifierWindow = null;
/** @type {any} */
let mathPurifier = null;

/** Where a link may go: web and mail addresses only. */
const SAFE_HREF = /^(?:https?:|mailto:)/i;
/**
 * Attribute values DOMPurify keeps: web and mail addresses, or values with no scheme at all (an ordered
 * list's `start="3"`). With SAFE_HREF here, every attribute that was not a web address was dropped, so
 * a list starting at 3 restarted at 1 in the live view while the snapshot kept it. URL attributes are
 * narrowed to SAFE_HREF by the hook below, whatever this lets through.
 */
const SAFE_VALUE = /^(?:(?:https?|mailto):|[^a-z]|[a-z+.\-]+(?:[^a-z+.\-:]|$))/i;
/** Attributes that load or navigate to what they name. */
const URL_ATTRS = ["href", "src", "xlink:href", "action", "formaction", "poster", "background", "cite"];

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
    for (const name of URL_ATTRS) {
      const value = node.getAttribute(name);
      if (value !== null && !SAFE_HREF.test(value.trim())) node.removeAttribute(name);
    }
    if (node.tagName !== "A" || !node.hasAttribute("href")) return;
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer nofollow");
  });
  return purifier;
}

const CONFIG = {
  ALLOWED_URI_REGEXP: SAFE_VALUE,
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

/** How many `sanitizeNodes` calls took each path (tests read it: the fast path must be the common one). */
export const counts = { known: 0, purified: 0 };

/**
 * `sanitizeNodes` with DOMPurify always, for tests that compare the two paths.
 * @param {Document} doc
 * @param {string} html untrusted
 * @returns {Node[]}
 */
export function purifyNodes(doc, html) {
  if (!html) return [];
  const holder = doc.implementation.createHTMLDocument("").createElement("div");
  holder.innerHTML = html;
  getPurifier().sanitize(holder);
  return Array.from(holder.childNodes);
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
  if (isKnownMarkup(holder)) {
    markLinks(holder);
    counts.known += 1;
  } else {
    purify.sanitize(holder);
    counts.purified += 1;
  }
  const nodes = Array.from(holder.childNodes);
  holder.replaceChildren();
  return nodes;
}

/**
 * KaTeX output keeps its MathML (with the TeX as annotation, for screen readers) and the SVG it draws
 * (roots, wide accents). No URL attribute is allowed there at all: KaTeX with `trust: false` makes none.
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
