/** DOMPurify, created lazily for whatever window exists (the page, or jsdom in tests). */
import createDOMPurify from "dompurify";

/** @type {any} */
let purifier = null;
/** @type {any} */
let purifierWindow = null;

const SAFE_HREF = /^(?:https?:|mailto:)/i;

/**
 * Use this window for sanitising (tests hand in a jsdom window; the browser uses its own).
 * @param {any} win
 */
export function setSanitizerWindow(win) {
  purifierWindow = win;
  purifier = null;
}

function getPurifier() {
  if (purifier) return purifier;
  const win = purifierWindow ?? globalThis.window;
  if (!win) throw new Error("axio_nb: no window to sanitise HTML with (call setSanitizerWindow in tests)");
  purifier = createDOMPurify(win);
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
};

/**
 * Every HTML string goes through here before `innerHTML`.
 * @param {string} html
 * @returns {string}
 */
export function sanitize(html) {
  return getPurifier().sanitize(html, CONFIG);
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
  return getPurifier().sanitize(html, MATH_CONFIG);
}
