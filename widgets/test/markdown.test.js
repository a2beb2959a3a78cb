import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { doc, rng } from "./helpers/dom.js";
import { DOCUMENT } from "./helpers/document.js";
import { ChunkScanner } from "../src/lib/chunker.js";
import { renderMarkdown } from "../src/lib/markdown.js";
import { FENCE_GROUP_LINES, StreamingMarkdown } from "../src/lib/markdown-stream.js";

/** Parse and serialise an HTML string the way the DOM will hold it. */
function normalize(html) {
  const div = doc.createElement("div");
  div.innerHTML = html;
  return div.innerHTML;
}

/** @param {string} text @param {() => number} random @param {number} max */
function randomCuts(text, random, max) {
  const cuts = [];
  for (let i = 0; i < text.length; ) {
    i = Math.min(text.length, i + 1 + Math.floor(random() * max));
    cuts.push(i);
  }
  return cuts;
}

describe("ChunkScanner", () => {
  it("closes chunks at blank lines outside fences and around column-0 fences", () => {
    const text = "para one\n\npara two\nstill two\n\n```py\na\n\nb\n```\nafter\n\ntail";
    const s = new ChunkScanner();
    s.scan(text);
    const chunks = s.closed.map((c) => text.slice(c.start, c.end));
    assert.deepEqual(chunks, ["para one\n\n", "para two\nstill two\n\n", "```py\na\n\nb\n```\n", "after\n\n"]);
    assert.deepEqual(s.closed[2].fence && text.slice(s.closed[2].fence.bodyStart, s.closed[2].fence.bodyEnd), "a\n\nb\n");
    assert.equal(text.slice(s.tailStart), "tail");
    assert.equal(s.fence, null);
  });

  it("keeps an open fence in the tail, whatever blank lines it holds", () => {
    const s = new ChunkScanner();
    const text = "intro\n~~~~\ncode\n\n\nmore code\n```\nstill code\n";
    s.scan(text);
    assert.deepEqual(s.closed.map((c) => text.slice(c.start, c.end)), ["intro\n"]);
    assert.equal(s.fence?.char, "~");
    assert.equal(text.slice(s.fence?.bodyStart), "code\n\n\nmore code\n```\nstill code\n");
  });

  it("scans incrementally: the same chunks whatever the cut points", () => {
    const whole = new ChunkScanner();
    whole.scan(DOCUMENT);
    for (const seed of [1, 2, 3]) {
      const s = new ChunkScanner();
      for (const cut of randomCuts(DOCUMENT, rng(seed), 40)) s.scan(DOCUMENT.slice(0, cut));
      assert.deepEqual(s.closed, whole.closed);
    }
  });
});

describe("tail-only streaming", () => {
  for (const [seed, max] of [[11, 30], [12, 130], [13, 600], [14, 3000]]) {
    it(`ends in exactly the one-shot HTML (seed ${seed}, chunks up to ${max} chars)`, () => {
      const md = new StreamingMarkdown(doc);
      const random = rng(seed);
      for (const cut of randomCuts(DOCUMENT, random, max)) md.update(DOCUMENT.slice(0, cut), false);
      assert.ok(md.el.querySelectorAll(".axio-nb-chunk").length > 5, "streaming used closed chunks");
      md.update(DOCUMENT, true);
      const oneShot = normalize(renderMarkdown(DOCUMENT));
      assert.equal(md.el.innerHTML, oneShot);
      // Reference-style links resolve only in the whole render.
      assert.ok(md.el.querySelector('a[href="https://example.com/reference"]'));
    });
  }

  it("renders closed chunks once and keeps their nodes", () => {
    const md = new StreamingMarkdown(doc);
    md.update("# Title\n\nfirst paragraph\n\nsecond", false);
    const first = md.el.firstElementChild;
    assert.equal(first?.textContent?.trim(), "Title");
    md.update("# Title\n\nfirst paragraph\n\nsecond grows", false);
    md.update("# Title\n\nfirst paragraph\n\nsecond grows\n\nthird", false);
    assert.equal(md.el.firstElementChild, first, "the first closed chunk is the same node");
    assert.equal(md.el.querySelector(".axio-nb-tail")?.textContent?.trim(), "third");
  });

  it("restarts when the text is rewritten rather than extended", () => {
    const md = new StreamingMarkdown(doc);
    md.update("alpha\n\nbeta", false);
    md.update("gamma\n\ndelta", false);
    assert.equal(md.el.textContent?.replace(/\s+/g, " ").trim(), "gamma delta");
  });

  it("an open fence takes the fast path: sealed line groups stay, only the last is redone", () => {
    const md = new StreamingMarkdown(doc);
    const lines = Array.from({ length: 3 * FENCE_GROUP_LINES + 7 }, (_, i) => `let v${i} = ${i}; // line ${i}`);
    let text = "Code follows:\n\n```javascript\n";
    md.update(text, false);
    /** @type {Element | null} */
    let firstGroup = null;
    for (const line of lines) {
      text += `${line}\n`;
      md.update(text, false);
      const code = md.el.querySelector(".axio-nb-tail code");
      assert.ok(code, "the open fence renders as a code block");
      firstGroup ??= code.children.length > 1 ? code.children[0] : null;
    }
    const code = /** @type {Element} */ (md.el.querySelector(".axio-nb-tail code"));
    assert.equal(code.children.length, 4, "three sealed groups and the open one");
    assert.equal(code.children[0], firstGroup, "sealed groups are never rebuilt");
    assert.equal(code.textContent, lines.map((l) => `${l}\n`).join(""));
    assert.ok(code.querySelector(".hljs-keyword"), "highlighted");
    // A partial closing fence is not shown as code.
    md.update(`${text}\`\``, false);
    assert.equal(md.el.querySelector(".axio-nb-tail code")?.textContent, lines.map((l) => `${l}\n`).join(""));
    // Closing the fence keeps the fast-path node as a closed chunk.
    const fastEl = md.el.querySelector(".axio-nb-tail .axio-nb-code")?.parentElement;
    text += "```\n\nAfter.";
    md.update(text, false);
    assert.equal(md.el.querySelector(".axio-nb-code")?.parentElement, fastEl);
    assert.equal(md.el.querySelector(".axio-nb-tail")?.textContent?.trim(), "After.");
    md.update(text, true);
    assert.equal(md.el.innerHTML, normalize(renderMarkdown(text)));
  });

  it("code blocks carry a labelled copy button", () => {
    const html = renderMarkdown("```python\nprint('hi')\n```\n");
    const div = doc.createElement("div");
    div.innerHTML = html;
    const btn = div.querySelector("button.axio-nb-copy-code");
    assert.equal(btn?.getAttribute("aria-label"), "Copy code");
    assert.equal(div.querySelector("code.language-python")?.textContent, "print('hi')\n");
    assert.equal(div.querySelector(".axio-nb-code-lang")?.textContent, "python");
  });
});
