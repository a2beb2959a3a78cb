/**
 * Typesets the math placeholders markdown renders (`.axio-nb-math`, TeX source as text) with KaTeX.
 * KaTeX is its own bundle (~270 KB of code, ~350 KB of fonts), fetched from the kernel by name only
 * when a page first shows math; until it is in, placeholders show their TeX source, and when it
 * arrives every placeholder rendered meanwhile is typeset in place.
 *
 * KaTeX runs with `trust: false` (no `\href`, `\url`, `\includegraphics`, `\html…`), and its output
 * still goes through the sanitiser before it reaches the DOM.
 */
import { sanitizeMath } from "./sanitize.js";

/** @typedef {{renderTex(tex: string, display: boolean): string}} MathRenderer the katex bundle's module */

/** Open display math is half a formula: KaTeX would show an error until its end streams in. */
const PLACEHOLDER = ".axio-nb-math:not(.axio-nb-math-typeset):not(.axio-nb-math-open)";
/** Distinct formulas kept typeset: the open tail renders again every frame, its math must not. */
const CACHE_SIZE = 500;
/** Placeholders waiting for KaTeX beyond this many: forget those no longer in a document. */
const PRUNE_AT = 1000;

/** @type {MathRenderer | null} */
let renderer = null;
/** @typedef {() => Promise<MathRenderer>} MathLoader */
/** @type {MathLoader[]} one per rendered view; the newest asks */
const loaders = [];
/** @type {{loader: MathLoader} | null} the request in flight */
let loading = null;
/** @type {Set<Element>} placeholders rendered before KaTeX was in */
const waiting = new Set();
/** @type {Map<string, HTMLTemplateElement>} `${display}|${tex}` → the sanitised, typeset formula */
const cache = new Map();

/**
 * How to fetch KaTeX: each view passes the shared loader's `loadBundle("katex")` bound to its own
 * widget. A page needs KaTeX once, whichever widget asks; the newest view asks, and if its widget goes
 * away before the answer came (a closed widget never answers), the next one asks instead.
 * @param {MathLoader} load
 * @returns {() => void} call when the view is destroyed
 */
export function setMathLoader(load) {
  loaders.push(load);
  if (waiting.size && !renderer) requestRenderer();
  return () => {
    const i = loaders.indexOf(load);
    if (i >= 0) loaders.splice(i, 1);
    if (loading?.loader === load) {
      loading = null;
      if (waiting.size && !renderer) requestRenderer();
    }
  };
}

/**
 * Use this renderer from now on and typeset every placeholder that waited for one (tests call it with
 * the katex module directly).
 * @param {MathRenderer | null} next
 */
export function setMathRenderer(next) {
  renderer = next;
  cache.clear();
  if (!renderer) return;
  const pending = [...waiting];
  waiting.clear();
  for (const el of pending) typesetOne(el);
}

/** Whether math is typeset now (false until the KaTeX bundle is in). */
export function mathReady() {
  return renderer !== null;
}

function requestRenderer() {
  const loader = loaders.at(-1);
  if (loading || !loader) return;
  const request = { loader };
  loading = request;
  loader()
    .then((mod) => setMathRenderer(mod))
    .catch((error) => {
      // Placeholders keep showing the TeX source; the next render with math asks again.
      console.error("axio_nb: could not load KaTeX", error);
      if (loading === request) loading = null;
    });
}

/**
 * The typeset formula as a template to clone: cloning is cheaper than parsing KaTeX's HTML again.
 * @param {Document} doc
 * @param {string} tex
 * @param {boolean} display
 * @returns {HTMLTemplateElement}
 */
function typesetTemplate(doc, tex, display) {
  const key = `${display ? "D" : "I"}|${tex}`;
  let template = cache.get(key);
  if (template === undefined || template.ownerDocument !== doc) {
    template = doc.createElement("template");
    template.innerHTML = sanitizeMath(/** @type {MathRenderer} */ (renderer).renderTex(tex, display));
    if (cache.size >= CACHE_SIZE) cache.delete(/** @type {string} */ (cache.keys().next().value));
    cache.set(key, template);
  }
  return template;
}

/** @param {Element} el */
function typesetOne(el) {
  if (el.classList.contains("axio-nb-math-typeset")) return;
  const tex = el.textContent ?? "";
  const template = typesetTemplate(el.ownerDocument, tex, el.classList.contains("axio-nb-math-display"));
  el.replaceChildren(template.content.cloneNode(true));
  el.classList.add("axio-nb-math-typeset");
}

/**
 * Typeset the placeholders under `root` now if KaTeX is in; else remember them and fetch KaTeX.
 * @param {ParentNode} root freshly parsed, sanitised markdown
 */
export function typesetMath(root) {
  const found = root.querySelectorAll(PLACEHOLDER);
  if (!found.length) return;
  if (renderer) {
    for (const el of found) typesetOne(el);
    return;
  }
  if (waiting.size > PRUNE_AT) for (const el of waiting) if (!el.isConnected) waiting.delete(el);
  for (const el of found) waiting.add(el);
  requestRenderer();
}
