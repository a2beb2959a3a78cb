/** One-shot markdown → safe HTML: markdown-it (raw HTML off) + highlight.js + DOMPurify. */
import MarkdownIt from "markdown-it";
import { groupedCodeHtml } from "./code-groups.js";
import { escapeHtml, fenceLanguage, highlightCode } from "./highlight.js";
import { mathPlugin } from "./markdown-math.js";
import { typesetMath } from "./math.js";
import { sanitize, sanitizeNodes } from "./sanitize.js";

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
// Scheme-less "fuzzy" links cost time on every render and guess wrong on file names like `setup.py`.
md.linkify.set({ fuzzyLink: false });
// Only web and mail links: relative URLs would resolve against the Jupyter server's own API.
md.validateLink = (/** @type {string} */ url) => /^(?:https?:|mailto:)/i.test(url.trim());
// TeX math becomes placeholders before emphasis can see its `_` and `*`; math.js typesets them.
md.use(mathPlugin);

/** @typedef {any[]} Tokens markdown-it tokens (the package ships no types) */

md.renderer.rules.fence = (/** @type {Tokens} */ tokens, /** @type {number} */ idx) => {
  const token = tokens[idx];
  const lang = fenceLanguage(token.info);
  return codeBlockHtml(lang, groupedCodeHtml(highlightCode(token.content, lang)));
};

md.renderer.rules.code_block = (/** @type {Tokens} */ tokens, /** @type {number} */ idx) =>
  codeBlockHtml("", groupedCodeHtml(escapeHtml(tokens[idx].content)));

// A remote image in model output would be fetched as soon as it renders, which leaks whatever the
// model put in its URL to that host; show it as a link the reader can choose to follow.
/** @type {(tokens: Tokens, idx: number, options: any, env: any, self: any) => string} */
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const src = token.attrGet("src") ?? "";
  const alt = self.renderInlineAsText(token.children ?? [], options, env);
  return `<a href="${escapeHtml(src)}" class="axio-nb-md-image">image: ${escapeHtml(alt || src)}</a>`;
};

/**
 * The markup of one code block; the streaming fast path builds the same shell.
 * @param {string} lang a token from `fenceLanguage`
 * @param {string} codeHtml highlighted (or escaped) code, in line groups (`groupedCodeHtml`)
 * @returns {string}
 */
export function codeBlockHtml(lang, codeHtml) {
  const cls = lang ? `hljs language-${escapeHtml(lang)}` : "hljs";
  const label = lang ? `<span class="axio-nb-code-lang">${escapeHtml(lang)}</span>` : "";
  return (
    `<div class="axio-nb-code"><div class="axio-nb-code-bar">${label}` +
    `<button type="button" class="axio-nb-copy-code" aria-label="Copy code">Copy</button></div>` +
    `<pre><code class="${cls}">${codeHtml}</code></pre></div>\n`
  );
}

/**
 * Markdown → HTML, not yet sanitised. Only for callers that sanitise the result themselves.
 * @param {string} text
 * @returns {string}
 */
export function renderMarkdownUnsafe(text) {
  return md.render(text);
}

/**
 * The one-shot render of a whole text: what a finished text block shows, byte for byte.
 * @param {string} text untrusted markdown
 * @param {{references?: Record<string, object>, openMath?: boolean, mathOpen?: boolean}} [env] markdown-it's
 *   env: `references` collects the reference-style link definitions the text holds, and definitions put
 *   there beforehand resolve too; `openMath`: the text is still streaming (see markdown-math.js)
 * @returns {string} sanitised HTML, safe for `innerHTML`
 */
export function renderMarkdown(text, env = {}) {
  return sanitize(md.render(text, env));
}

/**
 * `renderMarkdown` as nodes of `doc`, for the streaming renderer: the same DOM without a round trip
 * through a sanitised string, its math placeholders handed to KaTeX.
 * @param {Document} doc
 * @param {string} text untrusted markdown
 * @param {{references?: Record<string, object>, openMath?: boolean, mathOpen?: boolean}} [env] as for `renderMarkdown`
 * @returns {Node[]}
 */
export function renderMarkdownNodes(doc, text, env = {}) {
  const html = md.render(text, env);
  const nodes = sanitizeNodes(doc, html);
  if (!html.includes("axio-nb-math")) return nodes;
  // Typeset in the page's document (KaTeX's formulas are cached per document), then hand the nodes over.
  const fragment = doc.createDocumentFragment();
  fragment.append(...nodes);
  typesetMath(fragment);
  return Array.from(fragment.childNodes);
}

/** A bracketed span: the form every reference-style link's label takes (`[text][label]`, `[label]`). */
const BRACKETED = /\[((?:[^[\]\\]|\\[^])+)\]/g;

/**
 * Whether `text` may use one of these reference definitions (false positives are harmless).
 * @param {string} text markdown
 * @param {Record<string, object>} references labels normalised as markdown-it does
 */
export function usesReference(text, references) {
  if (!text.includes("]")) return false;
  for (const m of text.matchAll(BRACKETED)) {
    if (Object.hasOwn(references, md.utils.normalizeReference(m[1]))) return true;
  }
  return false;
}
