import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { doc, rng } from "./helpers/dom.js";
import { FENCE_GROUP_LINES, GROUP_CLASS, groupedCodeHtml, nextGroupEnd, splitHighlighted } from "../src/lib/code-groups.js";
import { highlightCode } from "../src/lib/highlight.js";

/** The text a piece of markup shows. */
function textOf(html) {
  const div = doc.createElement("div");
  div.innerHTML = html;
  return div.textContent;
}

/** Whether every span opened in `html` is closed in it, in order. */
function balanced(html) {
  let depth = 0;
  for (const [tag] of html.matchAll(/<\/?span[^>]*>/g)) {
    depth += tag.startsWith("</") ? -1 : 1;
    if (depth < 0) return false;
  }
  return depth === 0;
}

const pythonLines = (n, random) =>
  Array.from({ length: n }, (_, i) =>
    random() < 0.1 ? `    """doc ${i}` : random() < 0.1 ? `    end ${i} """` : `    x_${i} = f(${i}, 'v')  # c ${i}`,
  );

describe("code line groups", () => {
  it("split highlighted code into balanced groups of whole lines, losing nothing", () => {
    for (const seed of [1, 2, 3, 4]) {
      const random = rng(seed);
      const n = 1 + Math.floor(random() * 200);
      const code = pythonLines(n, random).join("\n") + (random() < 0.5 ? "\n" : "");
      const html = highlightCode(code, "python");
      const groups = splitHighlighted(html);
      assert.equal(groups.map(textOf).join(""), code, "the groups' text is the code");
      assert.ok(groups.every(balanced), "every group closes what it opens");
      const lines = groups.map((g) => (textOf(g).match(/\n/g) ?? []).length);
      assert.ok(lines.slice(0, -1).every((k) => k === FENCE_GROUP_LINES), `full groups: ${lines}`);
      assert.equal(groups.length, Math.ceil(n / FENCE_GROUP_LINES));
    }
  });

  it("carries a string open across a group boundary into the next group", () => {
    const html = `<span class="hljs-string">"""a\nb\nc"""</span>\nd\n`;
    assert.deepEqual(splitHighlighted(html, 2), [
      `<span class="hljs-string">"""a\nb\n</span>`,
      `<span class="hljs-string">c"""</span>\nd\n`,
    ]);
  });

  it("keeps a closing tag right after a group's last newline in that group, and drops an empty last group", () => {
    assert.deepEqual(splitHighlighted(`<span class="c"># x\n</span>y\n`, 1), [`<span class="c"># x\n</span>`, "y\n"]);
    assert.deepEqual(splitHighlighted("a\nb\n", 2), ["a\nb\n"]);
    assert.deepEqual(splitHighlighted("", 2), []);
  });

  it("a rendered code block holds block-level groups whose text is the code", () => {
    const code = pythonLines(95, rng(9)).join("\n") + "\n";
    const div = doc.createElement("div");
    div.innerHTML = groupedCodeHtml(highlightCode(code, "python"));
    assert.equal(div.children.length, 3);
    assert.ok([...div.children].every((e) => e.className === GROUP_CLASS));
    assert.equal(div.textContent, code);
  });

  it("finds where the next complete group ends", () => {
    const text = "a\nb\nc\nd";
    assert.equal(nextGroupEnd(text, 0, 2), 4);
    assert.equal(nextGroupEnd(text, 4, 2), -1);
    assert.equal(nextGroupEnd(text, 2, 2), 6);
  });
});
