/** Copy to the clipboard: the async API where the page allows it, else a hidden textarea. */

/**
 * @param {Document} doc
 * @param {string} text
 * @returns {Promise<boolean>} whether the copy went through
 */
export async function copyText(doc, text) {
  const nav = doc.defaultView?.navigator;
  if (nav?.clipboard?.writeText) {
    try {
      await nav.clipboard.writeText(text);
      return true;
    } catch {
      // Not focused or not permitted (e.g. an iframe without clipboard-write): try the old way.
    }
  }
  const ta = doc.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.style.position = "fixed";
  ta.style.opacity = "0";
  doc.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = typeof doc.execCommand === "function" && doc.execCommand("copy");
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}
