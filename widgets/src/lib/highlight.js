/** highlight.js core with the languages an LLM answer usually holds; no auto-detection (too slow to stream). */
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import c from "highlight.js/lib/languages/c";
import cpp from "highlight.js/lib/languages/cpp";
import css from "highlight.js/lib/languages/css";
import diff from "highlight.js/lib/languages/diff";
import go from "highlight.js/lib/languages/go";
import java from "highlight.js/lib/languages/java";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import markdown from "highlight.js/lib/languages/markdown";
import plaintext from "highlight.js/lib/languages/plaintext";
import python from "highlight.js/lib/languages/python";
import rust from "highlight.js/lib/languages/rust";
import shell from "highlight.js/lib/languages/shell";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";

const LANGUAGES = {
  bash, c, cpp, css, diff, go, java, javascript, json, markdown, plaintext, python, rust, shell, sql,
  typescript, xml, yaml,
};
for (const [name, def] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, def);

/** @param {string} s @returns {string} */
export function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (ch) => ESCAPES[/** @type {keyof typeof ESCAPES} */ (ch)]);
}
const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * The language name of a fence info string, reduced to a safe token (`python`, `c++` → `c++`).
 * @param {string} info
 * @returns {string}
 */
export function fenceLanguage(info) {
  const word = (info || "").trim().split(/\s+/, 1)[0] ?? "";
  return word.replace(/[^\w+#.-]/g, "").slice(0, 32).toLowerCase();
}

/**
 * Highlight `code` as `lang` if registered; otherwise escape it. Returns HTML (to be sanitised).
 * @param {string} code
 * @param {string} lang
 * @returns {string}
 */
export function highlightCode(code, lang) {
  if (lang && hljs.getLanguage(lang)) {
    try {
      return hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
    } catch {
      // A grammar can throw on pathological input; plain text is still the right content.
    }
  }
  return escapeHtml(code);
}

/** @param {string} lang @returns {boolean} */
export function isKnownLanguage(lang) {
  return Boolean(lang && hljs.getLanguage(lang));
}
