/**
 * The KaTeX bundle, loaded by name (`katex`) through the shared loader only when an answer shows math,
 * so the stream view itself stays small. Its CSS (katex.css) carries the fonts as woff2 data URIs:
 * a view module is imported from a Blob URL, where relative font URLs resolve nowhere.
 */
import katex from "katex";

/** Model output is untrusted: nothing in it may make KaTeX emit links, images, classes or styles. */
export const OPTIONS = Object.freeze({
  trust: false,
  throwOnError: false,
  strict: "ignore",
  output: "htmlAndMathml",
  // Bounds what one formula can cost: macro expansion and the size of a `\rule` or `\kern` (in em).
  maxExpand: 1000,
  maxSize: 50,
});

/**
 * TeX → KaTeX HTML (not yet sanitised: the caller sanitises it).
 * @param {string} tex untrusted
 * @param {boolean} display
 * @returns {string}
 */
export function renderTex(tex, display) {
  return katex.renderToString(tex, { ...OPTIONS, displayMode: display });
}
