import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { doc, rng } from "./helpers/dom.js";
import { DOCUMENT, EDGE_DOCUMENTS } from "./helpers/document.js";
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
    for (const text of [DOCUMENT, ...EDGE_DOCUMENTS]) {
      const whole = new ChunkScanner();
      whole.scan(text);
      for (const seed of [1, 2, 3]) {
        const s = new ChunkScanner();
        for (const cut of randomCuts(text, rng(seed), 40)) s.scan(text.slice(0, cut));
        assert.deepEqual(s.closed, whole.closed, JSON.stringify(text));
        assert.equal(s.tailStart, whole.tailStart);
      }
    }
  });

  /** @param {string} text */
  const chunksOf = (text) => {
    const s = new ChunkScanner();
    s.scan(text);
    return [...s.closed.map((c) => text.slice(c.start, c.end)), text.slice(s.tailStart)];
  };

  it("keeps a loose list in one chunk: a blank line between items does not end the list", () => {
    assert.deepEqual(chunksOf("- a\n- b\n\n- c\n- d\n\nend\n\n"), ["- a\n- b\n\n- c\n- d\n\n", "end\n\n", ""]);
    assert.deepEqual(chunksOf("1. a\n\n\n2. b\n\nend"), ["1. a\n\n\n2. b\n\n", "end"]);
  });

  it("keeps indented continuations with their list item and indented code in one block", () => {
    assert.deepEqual(chunksOf("1. a\n\n   more\n2. b\n\npara\n"), ["1. a\n\n   more\n2. b\n\n", "para\n"]);
    assert.deepEqual(chunksOf("- a\n  - b\n\n    deep\n\nx"), ["- a\n  - b\n\n    deep\n\n", "x"]);
    assert.deepEqual(chunksOf("    x\n\n    y\n\npara\n\n    z\n"), ["    x\n\n    y\n\n", "para\n\n", "    z\n"]);
  });

  it("still closes at a blank line that does end the list", () => {
    assert.deepEqual(chunksOf("- a\n\n* b\n\n"), ["- a\n\n", "* b\n\n"]);
    assert.deepEqual(chunksOf("1. a\n\n1) b\n"), ["1. a\n\n", "1) b\n"]);
    assert.deepEqual(chunksOf("- a\n\n\npara\n\n"), ["- a\n\n", "para\n\n", ""]);
    assert.deepEqual(chunksOf("> a\n\n> b\n"), ["> a\n\n", "> b\n"], "a blank line ends a quote");
  });

  it("decides on the start of the next line, before the line is complete", () => {
    const s = new ChunkScanner();
    s.scan("- a\n\n");
    assert.equal(s.closed.length, 0, "provisional: the list may go on");
    s.scan("- a\n\n-");
    assert.equal(s.closed.length, 0, "a lone '-' could still be a marker or a break");
    s.scan("- a\n\nT");
    assert.equal(s.closed.length, 1, "a paragraph starts: the list chunk closes at once");
    assert.equal(s.tailStart, 5);
    const t = new ChunkScanner();
    t.scan("- a\n\n- b");
    assert.equal(t.closed.length, 0);
    assert.equal(t.pendingEnd, -1, "an item of the same list: decided, the chunk goes on");
  });

  it("does not take a line indented 4 or more for a fence (it would hold every chunk open)", () => {
    assert.deepEqual(chunksOf("    ```\n    x\n\npara\n\nmore\n"), ["    ```\n    x\n\n", "para\n\n", "more\n"]);
    assert.deepEqual(chunksOf("para\n    ```\n\nmore\n\n"), ["para\n    ```\n\n", "more\n\n", ""]);
  });

  it("ends a fence inside a list item with the item", () => {
    const text = "1. a\n   ```\n   x\n```\nafter\n\nmore\n```\n";
    const s = new ChunkScanner();
    s.scan(text);
    // The column-0 line does not close the item's fence: it ends the item and opens a new fence.
    assert.deepEqual(s.closed.map((c) => text.slice(c.start, c.end)), ["1. a\n   ```\n   x\n", "```\nafter\n\nmore\n```\n"]);
    assert.equal(s.fence, null);
  });
});

describe("tail-only streaming", () => {
  /** Stream `text` cut at `cuts`; after each step call `check(md, prefix)`. */
  function stream(text, cuts, check = (_md, _prefix) => {}) {
    const md = new StreamingMarkdown(doc);
    for (const cut of cuts) {
      md.update(text.slice(0, cut), false);
      check(md, text.slice(0, cut));
    }
    return md;
  }

  for (const [seed, max] of [[11, 30], [12, 130], [13, 600], [14, 3000]]) {
    it(`ends in exactly the one-shot HTML (seed ${seed}, chunks up to ${max} chars)`, () => {
      const md = stream(DOCUMENT, randomCuts(DOCUMENT, rng(seed), max));
      assert.ok(md.chunks.length > 5, "streaming used closed chunks");
      const heading = md.el.firstElementChild;
      md.update(DOCUMENT, true);
      assert.equal(md.el.innerHTML, normalize(renderMarkdown(DOCUMENT)));
      assert.equal(md.el.firstElementChild, heading, "the end re-renders only what it must");
      // Reference-style links resolve, also those used before their definition arrived.
      assert.ok(md.el.querySelector('a[href="https://example.com/reference"]'));
      assert.equal(md.el.querySelectorAll('a[href="https://example.com/later"]').length, 2);
    });
  }

  it("streams a loose list as one loose list, as the one-shot render shows it", () => {
    const text = "- a\n- b\n\n- c\n- d\n\nend\n\n";
    const md = stream(text, [text.indexOf("end") + 1]);
    assert.equal(md.el.querySelectorAll("ul").length, 1);
    assert.equal(md.el.querySelectorAll("li > p").length, 4, "loose: every item holds a paragraph");
    assert.equal(md.el.innerHTML, normalize(renderMarkdown(text.slice(0, text.indexOf("end") + 1))));
  });

  it("the streamed DOM equals a one-shot render of the same prefix at every step", () => {
    for (const text of EDGE_DOCUMENTS) {
      const cuts = Array.from({ length: text.length }, (_, i) => i + 1);
      stream(text, cuts, (md, prefix) => {
        if (md.scanner.fence) return; // an open fence takes the fast path
        assert.equal(md.el.innerHTML, normalize(renderMarkdown(prefix)), `after ${JSON.stringify(prefix)}`);
      });
    }
  });

  it("the streamed DOM equals a one-shot render of the same prefix while the long document streams", () => {
    const defs = DOCUMENT.indexOf("\n[ref]:");
    let checked = 0;
    stream(DOCUMENT, randomCuts(DOCUMENT, rng(21), 80), (md, prefix) => {
      if (md.scanner.fence || prefix.length > defs) return;
      while (md.pending.length) md.highlightPending(); // what idle time does
      assert.equal(md.el.innerHTML, normalize(renderMarkdown(prefix)), `after ${prefix.length} chars`);
      checked++;
    });
    assert.ok(checked > 20, `checked ${checked}`);
  });

  it("ends without any re-render when the text defines no reference", () => {
    const text = EDGE_DOCUMENTS.join("\n\n- - -\n\n");
    const md = stream(text, randomCuts(text, rng(5), 50));
    const before = Array.from(md.el.childNodes).slice(0, -3);
    md.update(text, true);
    assert.equal(md.el.innerHTML, normalize(renderMarkdown(text)));
    assert.deepEqual(Array.from(md.el.childNodes).slice(0, before.length), before, "closed chunks keep their nodes");
  });

  it("renders again only the chunks that use a reference defined elsewhere", () => {
    const text = "# Title\n\nSee [the docs][d].\n\nPlain paragraph.\n\n- [d] in a list\n\n- loose\n\n[d]: https://example.com/d\n";
    const md = stream(text, randomCuts(text, rng(8), 9));
    const [h1, uses, plain, list] = Array.from(md.el.children);
    assert.equal(uses.querySelector("a"), null, "not resolved while streaming");
    md.update(text, true);
    assert.equal(md.el.innerHTML, normalize(renderMarkdown(text)));
    assert.equal(md.el.children[0], h1);
    assert.equal(md.el.children[2], plain);
    assert.notEqual(md.el.children[1], uses);
    assert.notEqual(md.el.children[3], list);
    assert.equal(md.el.querySelectorAll('a[href="https://example.com/d"]').length, 2);
  });

  it("the first definition of a label wins, as in a one-shot render", () => {
    const text = "[x]\n\n[x]: https://example.com/one\n\n[x]\n\n[x]: https://example.com/two\n\n[x]\n";
    const md = stream(text, randomCuts(text, rng(3), 7));
    md.update(text, true);
    assert.equal(md.el.innerHTML, normalize(renderMarkdown(text)));
    assert.equal(md.el.querySelectorAll('a[href="https://example.com/one"]').length, 3);
  });

  it("holds the markdown elements directly, in a container with JupyterLab's markdown class", () => {
    const md = stream("# Title\n\nfirst\n\nsecond", [7, 9, 16, 22]);
    assert.ok(md.el.classList.contains("jp-RenderedHTMLCommon"));
    assert.ok(md.el.classList.contains("axio-nb-md"));
    assert.deepEqual(Array.from(md.el.children, (e) => e.tagName), ["H1", "P", "P"]);
  });

  it("renders closed chunks once and keeps their nodes", () => {
    const md = new StreamingMarkdown(doc);
    md.update("# Title\n\nfirst paragraph\n\nsecond", false);
    const first = md.el.firstElementChild;
    assert.equal(first?.textContent?.trim(), "Title");
    md.update("# Title\n\nfirst paragraph\n\nsecond grows", false);
    md.update("# Title\n\nfirst paragraph\n\nsecond grows\n\nthird", false);
    assert.equal(md.el.firstElementChild, first, "the first closed chunk is the same node");
    assert.equal(md.el.lastElementChild?.textContent?.trim(), "third");
  });

  it("restarts when the text is rewritten rather than extended", () => {
    const md = new StreamingMarkdown(doc);
    md.update("alpha\n\nbeta", false);
    md.update("gamma\n\ndelta", false);
    assert.equal(md.el.textContent?.replace(/\s+/g, " ").trim(), "gamma delta");
    md.update("gamma\n\ndelta", true);
    md.update("other", true);
    assert.equal(md.el.innerHTML, normalize(renderMarkdown("other")));
  });

  it("a text complete from the start renders in one piece", () => {
    const md = new StreamingMarkdown(doc);
    md.update(DOCUMENT, true);
    assert.equal(md.el.innerHTML, normalize(renderMarkdown(DOCUMENT)));
  });

  it("a fence still open at the end renders as the one-shot render shows it", () => {
    const lines = Array.from({ length: FENCE_GROUP_LINES + 5 }, (_, i) => `x = "${i}"`).join("\n");
    for (const text of [`Intro\n\n\`\`\`python\n${lines}`, "- item\n\n  ```js\n  let a = 1;\n\n  let b;\n"]) {
      const md = stream(text, randomCuts(text, rng(4), 60));
      md.update(text, true);
      assert.equal(md.el.innerHTML, normalize(renderMarkdown(text)));
    }
  });

  it("an open fence takes the fast path: sealed line groups stay, only the last is redone", async () => {
    const md = new StreamingMarkdown(doc);
    const lines = Array.from({ length: 3 * FENCE_GROUP_LINES + 7 }, (_, i) => `let v${i} = ${i}; // line ${i}`);
    let text = "Code follows:\n\n```javascript\n";
    md.update(text, false);
    /** @type {Node | null} */
    let firstNode = null;
    let highlights = 0;
    const fast = /** @type {any} */ (md.fast);
    const highlight = fast.highlight.bind(fast);
    fast.highlight = (/** @type {string} */ source) => {
      highlights += source.split("\n").length - 1;
      return highlight(source);
    };
    for (const line of lines) {
      text += `${line}\n`;
      md.update(text, false);
      const code = md.el.querySelector("code");
      assert.ok(code, "the open fence renders as a code block");
      if (!firstNode && fast.sealed > 0) firstNode = code.firstChild;
    }
    const code = /** @type {Element} */ (md.el.querySelector("code"));
    assert.equal(code.firstChild, firstNode, "sealed groups are never rebuilt");
    assert.ok(highlights < lines.length * (FENCE_GROUP_LINES / 2 + 2), `highlighted ${highlights} lines in all`);
    assert.equal(code.textContent, lines.map((l) => `${l}\n`).join(""));
    assert.ok(code.querySelector(".hljs-keyword"), "highlighted");
    // A partial closing fence is not shown as code.
    md.update(`${text}\`\``, false);
    assert.equal(md.el.querySelector("code")?.textContent, lines.map((l) => `${l}\n`).join(""));
    // Closing the fence keeps the fast-path node as a closed chunk.
    const fastEl = md.el.querySelector(".axio-nb-code");
    text += "```\n\nAfter.";
    md.update(text, false);
    assert.equal(md.el.querySelector(".axio-nb-code"), fastEl);
    assert.equal(md.el.lastElementChild?.textContent?.trim(), "After.");
    // In idle time the code is highlighted again in one piece, as the one-shot render does it: a few
    // 8 ms slices, each its own timer here (jsdom has no requestIdleCallback), however loaded the machine.
    assert.equal(md.pending.length, 1);
    for (let waited = 0; md.pending.length && waited < 2000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(md.pending.length, 0);
    assert.equal(md.el.innerHTML, normalize(renderMarkdown(text)));
    assert.equal(md.el.querySelector(".axio-nb-code"), fastEl);
    md.update(text, true);
    assert.equal(md.el.innerHTML, normalize(renderMarkdown(text)));
  });

  it("a turn that ends right after a long fence closed still ends exact", () => {
    // A block comment across the line groups: highlighted in groups, it differs from a one-shot render.
    const body = Array.from({ length: 2 * FENCE_GROUP_LINES }, (_, i) => (i === FENCE_GROUP_LINES - 2 ? "/* a comment" : `line ${i} */ x;`));
    const text = `\`\`\`js\n${body.join("\n")}\n\`\`\`\n`;
    const md = stream(text, randomCuts(text, rng(6), 25));
    assert.equal(md.pending.length, 1, "the re-highlight waits for idle time");
    md.update(text, true);
    assert.equal(md.pending.length, 0);
    assert.equal(md.el.innerHTML, normalize(renderMarkdown(text)));
    md.destroy();
  });

  it("an open fence holds one block-level group per 40 lines; a one-shot render holds the same groups", () => {
    const lines = Array.from({ length: 2 * FENCE_GROUP_LINES + 13 }, (_, i) => `let v${i} = "${i}";`);
    let text = "```js\n";
    const md = new StreamingMarkdown(doc);
    for (const line of lines) {
      text += `${line}\n`;
      md.update(text, false);
    }
    const groups = [...md.el.querySelectorAll("code > span.axio-nb-lines")];
    assert.equal(groups.length, 3);
    assert.deepEqual(groups.map((g) => g.textContent.split("\n").length - 1), [FENCE_GROUP_LINES, FENCE_GROUP_LINES, 13]);
    const oneShot = doc.createElement("div");
    oneShot.innerHTML = renderMarkdown(`${text}\`\`\`\n`);
    assert.equal(oneShot.querySelectorAll("code > span.axio-nb-lines").length, 3);
    assert.equal(md.el.querySelector("code")?.innerHTML, oneShot.querySelector("code")?.innerHTML);
  });

  it("a closed fence is highlighted again in slices, replacing only the groups that differ", () => {
    // Block comments opened on the last line of groups 1 and 3 close in groups 2 and 4: highlighted group
    // by group, those two differ from the one-piece highlight and nothing else does.
    const body = Array.from({ length: 5 * FENCE_GROUP_LINES }, (_, i) =>
      i % (2 * FENCE_GROUP_LINES) === FENCE_GROUP_LINES - 1 ? "/* open" : `line_${i} */ x;`,
    );
    const text = `\`\`\`js\n${body.join("\n")}\n\`\`\`\n\nafter\n`;
    const md = stream(text, randomCuts(text, rng(17), 40));
    md.cancelIdle();
    assert.equal(md.pending.length, 1);
    const before = [...md.el.querySelectorAll("code > span.axio-nb-lines")];
    let clock = 0;
    const job = md.pending[0];
    let slices = 0;
    // A clock that moves 5 ms per reading: every slice of 8 ms does one or two units of work.
    while (!job.step(() => (clock += 5), 8)) slices++;
    assert.ok(slices >= 2, `${slices} slices`);
    const after = [...md.el.querySelectorAll("code > span.axio-nb-lines")];
    const replaced = after.filter((el, i) => el !== before[i]).length;
    assert.equal(replaced, 2, "only the groups whose highlight changed");
    md.pending.length = 0;
    assert.equal(md.el.innerHTML, normalize(renderMarkdown(text)));
  });

  it("streaming parses no new Document per frame", () => {
    const win = doc.defaultView;
    const parse = win.DOMParser.prototype.parseFromString;
    const create = win.document.implementation.createHTMLDocument;
    let documents = 0;
    win.DOMParser.prototype.parseFromString = function (...args) {
      documents++;
      return parse.apply(this, args);
    };
    try {
      const md = stream(DOCUMENT, randomCuts(DOCUMENT, rng(31), 200));
      md.update(DOCUMENT, true);
      assert.equal(documents, 0, "DOMPurify's string path (a new Document per call) is not used");
      assert.equal(md.el.innerHTML, normalize(renderMarkdown(DOCUMENT)));
    } finally {
      win.DOMParser.prototype.parseFromString = parse;
      assert.equal(win.document.implementation.createHTMLDocument, create);
    }
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
