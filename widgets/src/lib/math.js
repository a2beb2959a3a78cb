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
/** A formula of the static snapshot (axio_nb/render/math.py): TeX between `\\(…\\)` or `\\[…\\]`. */
const SNAPSHOT_MATH = ".axio-nb-math.mathjax_process";
/** Snapshot formulas typeset in the swap's own task, the last ones; the rest wait for idle slices. */
export const SNAPSHOT_AT_ONCE = 16;
/**
 * Snapshot formulas per idle slice, and the script time a slice may take. The count is what bounds
 * the slice: the style and layout of its new nodes come after it, in the next frame (~2-3 ms per
 * formula of KaTeX's DOM in a 200 KB answer), and script time does not see them.
 */
const SLICE_FORMULAS = 8;
const SLICE_MS = 8;
/**
 * Where the page finds `typesetSnapshot` once KaTeX is in: the snapshot's fixed script
 * (axio_nb/render/snapshot.py) looks it up by this registered symbol.
 */
export const SNAPSHOT_HOOK = Symbol.for("axio_nb.typesetSnapshot");

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
  /** @type {Record<symbol, unknown>} */ (/** @type {unknown} */ (globalThis))[SNAPSHOT_HOOK] = renderer
    ? typesetSnapshot
    : undefined;
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

/**
 * Typeset a static snapshot's formulas with KaTeX, from the cache the live view filled, and take them
 * from MathJax. The snapshot replaces the live view when a turn ends; JupyterLab's MathJax would then
 * typeset every formula again in one long task (~1-2 ms each, plus loading MathJax on its first use),
 * while the page already holds KaTeX and most formulas typeset. The snapshot's fixed script calls this
 * when the output is inserted, before MathJax's pass (its `typeset` awaits first); where the page has
 * no KaTeX (after a reload, in an export) nothing registered it and MathJax typesets as before.
 *
 * The last `SNAPSHOT_AT_ONCE` formulas (where a reader who followed the stream is looking) are typeset
 * at once; the rest, from the end backwards, a few per idle slice: ~100 KaTeX formulas inserted in one
 * go cost ~150 ms of style and layout in the swap's task (bench/browser.py, BENCHMARKS.md).
 * Until its slice comes a formula shows its TeX source, as the live view does before KaTeX is in.
 * @param {ParentNode} root the snapshot's root element
 * @returns {number} how many formulas it took from MathJax
 */
export function typesetSnapshot(root) {
  if (!renderer) return 0;
  /** @type {Element[]} */
  const taken = [];
  for (const el of root.querySelectorAll(SNAPSHOT_MATH)) {
    if (el.firstElementChild || snapshotTex(el) === null) continue; // MathJax came first, or not ours
    el.classList.remove("mathjax_process", "tex2jax_process");
    taken.push(el);
  }
  taken.reverse();
  for (const el of taken.slice(0, SNAPSHOT_AT_ONCE)) typesetSnapshotOne(el);
  const rest = taken.slice(SNAPSHOT_AT_ONCE);
  if (rest.length) typesetLater(rest);
  return taken.length;
}

/**
 * The TeX of a snapshot formula, without its `\\(…\\)` or `\\[…\\]`; null if it is not one.
 * @param {Element} el
 */
function snapshotTex(el) {
  const source = el.textContent ?? "";
  const [open, close] = el.classList.contains("axio-nb-math-display") ? ["\\[", "\\]"] : ["\\(", "\\)"];
  if (source.length < 4 || !source.startsWith(open) || !source.endsWith(close)) return null;
  return source.slice(2, -2);
}

/** @param {Element} el a formula `typesetSnapshot` took */
function typesetSnapshotOne(el) {
  const tex = snapshotTex(el);
  if (!renderer || tex === null || el.classList.contains("axio-nb-math-typeset")) return;
  const display = el.classList.contains("axio-nb-math-display");
  el.replaceChildren(typesetTemplate(el.ownerDocument, tex, display).content.cloneNode(true));
  el.classList.add("axio-nb-math-typeset");
}

/**
 * Typeset `queue` (in order) in idle slices; formulas whose output was removed meanwhile are skipped.
 * @param {Element[]} queue
 */
function typesetLater(queue) {
  const win = /** @type {any} */ (queue[0].ownerDocument.defaultView);
  /** @param {() => void} run */
  const schedule = (run) =>
    typeof win?.requestIdleCallback === "function"
      ? win.requestIdleCallback(run, { timeout: 500 })
      : setTimeout(run, 0);
  let next = 0;
  const run = () => {
    const end = performance.now() + SLICE_MS;
    const stop = Math.min(queue.length, next + SLICE_FORMULAS);
    while (next < stop && performance.now() < end) {
      const el = queue[next++];
      if (el.isConnected) typesetSnapshotOne(el);
    }
    if (next < queue.length) schedule(run);
  };
  schedule(run);
}
