/** Small DOM helpers: every untrusted string goes in through `textContent`, never markup. */

/**
 * Create an element with a class and optional text (set as `textContent`).
 * @param {Document} doc
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
export function h(doc, tag, className, text) {
  const el = doc.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * A keyboard-reachable button with an accessible name.
 * @param {Document} doc
 * @param {string} className
 * @param {string} label visible text
 * @param {string} ariaLabel
 * @param {(ev: Event) => void} onClick
 * @returns {HTMLButtonElement}
 */
export function button(doc, className, label, ariaLabel, onClick) {
  const b = /** @type {HTMLButtonElement} */ (h(doc, "button", className, label));
  b.type = "button";
  b.setAttribute("aria-label", ariaLabel);
  b.addEventListener("click", onClick);
  return b;
}

/**
 * Set `textContent` only when it changed: writing the same long string each frame still costs a relayout.
 * @param {Node} el
 * @param {string} text
 */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/**
 * Show or hide an element with the `hidden` attribute.
 * @param {HTMLElement} el
 * @param {boolean} shown
 */
export function show(el, shown) {
  if (el.hidden === shown) el.hidden = !shown;
}

/** @param {unknown} v @returns {string} */
export function str(v) {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  return String(v);
}

/**
 * Only `http:`/`https:` URLs may become a link target; anything else yields null.
 * @param {unknown} url
 * @returns {string | null}
 */
export function safeHttpUrl(url) {
  if (typeof url !== "string") return null;
  const u = url.trim();
  return /^https?:\/\//i.test(u) ? u : null;
}
