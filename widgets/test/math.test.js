import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { doc, rng } from "./helpers/dom.js";
import { MATH_DOCUMENT, MATH_EDGE_DOCUMENTS } from "./helpers/document.js";
import { ChunkScanner } from "../src/lib/chunker.js";
import { renderMarkdown } from "../src/lib/markdown.js";
import { StreamingMarkdown } from "../src/lib/markdown-stream.js";
import {
  SNAPSHOT_HOOK,
  mathReady,
  setMathLoader,
  setMathRenderer,
  typesetMath,
  SNAPSHOT_AT_ONCE,
  typesetSnapshot,
} from "../src/lib/math.js";
import * as katexBundle from "../src/katex.js";
import { readFileSync } from "node:fs";

/** Cases shared with the snapshot's tests (tests/unit/test_render_math.py): both sides parse alike. */
const CASES = JSON.parse(readFileSync(new URL("./fixtures/math-cases.json", import.meta.url), "utf8"));

/**
 * The one-shot DOM of `text`, typeset as a view typesets it.
 * @param {string} text
 * @param {{openMath?: boolean}} [env] `openMath`: as a prefix still streaming renders
 */
function oneShot(text, env = {}) {
  const div = doc.createElement("div");
  div.innerHTML = renderMarkdown(text, { ...env });
  typesetMath(div);
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

/** The math placeholders' [class, TeX] in one-shot markdown. */
function maths(text) {
  const div = doc.createElement("div");
  div.innerHTML = renderMarkdown(text);
  return Array.from(div.querySelectorAll(".axio-nb-math"), (el) => [
    el.classList.contains("axio-nb-math-display") ? "display" : "inline",
    el.textContent,
  ]);
}

/** @param {string} text */
const chunksOf = (text) => {
  const s = new ChunkScanner();
  s.scan(text);
  return [...s.closed.map((c) => text.slice(c.start, c.end)), text.slice(s.tailStart)];
};

/** @param {string} text @param {number[]} cuts @param {(md: StreamingMarkdown, prefix: string) => void} check */
function stream(text, cuts, check = () => {}) {
  const md = new StreamingMarkdown(doc);
  for (const cut of cuts) {
    md.update(text.slice(0, cut), false);
    check(md, text.slice(0, cut));
  }
  return md;
}

describe("math parsing", () => {
  it("finds the math of every shared case, as the snapshot does", () => {
    for (const { text, math } of CASES) assert.deepEqual(maths(text), math, JSON.stringify(text));
  });

  it("finds every delimiter pair, inline and displayed", () => {
    assert.deepEqual(maths("a $x^2$ b \\(y_1\\) c $$z$$ d \\[w\\] e"), [
      ["inline", "x^2"],
      ["inline", "y_1"],
      ["display", "z"],
      ["display", "w"],
    ]);
    assert.deepEqual(maths("$$\n\\sum_i a_i\n$$\n\n\\[\n\\int_0^1 f\n\\]\n"), [
      ["display", "\n\\sum_i a_i\n"],
      ["display", "\n\\int_0^1 f\n"],
    ]);
  });

  it("keeps prices and stray dollars as text (pandoc's rule)", () => {
    for (const text of ["It costs $5 and $10.", "$ x$", "$x $", "between $3 and $4.50, $x$5", "a lone $", "$$ only"]) {
      assert.deepEqual(maths(text), [], text);
      assert.ok(renderMarkdown(text).includes("$"), text);
    }
    assert.deepEqual(maths("costs $5, but $x$ is math"), [["inline", "x"]]);
    assert.deepEqual(maths("\\$5 and $y$"), [["inline", "y"]]);
    assert.deepEqual(maths("$a\\$b$"), [["inline", "a\\$b"]]);
  });

  it("never turns _ or * inside math into emphasis", () => {
    const html = renderMarkdown("Let $a_1 * b_2$ and $c_3 * d_4$, then *this* is emphasis and $$x_i * y_j$$ too.");
    const div = doc.createElement("div");
    div.innerHTML = html;
    assert.deepEqual(
      Array.from(div.querySelectorAll("em"), (e) => e.textContent),
      ["this"],
    );
    assert.deepEqual(
      Array.from(div.querySelectorAll(".axio-nb-math"), (e) => e.textContent),
      ["a_1 * b_2", "c_3 * d_4", "x_i * y_j"],
    );
    assert.deepEqual(maths("\\(a_b\\) and \\[c*d*e\\]"), [["inline", "a_b"], ["display", "c*d*e"]]);
  });

  it("leaves math in code alone and escapes the TeX it shows", () => {
    assert.deepEqual(maths("`$x$` and\n\n```\n$$\ny\n$$\n```\n"), []);
    assert.ok(renderMarkdown("$a<b>c$").includes("a&lt;b&gt;c"));
  });

  it("keeps display math with blank lines in one chunk", () => {
    const text = "Intro.\n\n$$\n\\begin{aligned}\na &= 1\n\nb &= 2\n\\end{aligned}\n$$\n\nAfter.\n";
    assert.deepEqual(chunksOf(text), [
      "Intro.\n\n",
      "$$\n\\begin{aligned}\na &= 1\n\nb &= 2\n\\end{aligned}\n$$\n\n",
      "After.\n",
    ]);
    assert.deepEqual(chunksOf("- a\n\n\\[\nx\n\ny\n\\]\n\nend"), ["- a\n\n", "\\[\nx\n\ny\n\\]\n\n", "end"]);
    assert.equal(maths(text).length, 1);
  });
});

describe("streaming with math, KaTeX not loaded", () => {
  it("shows the TeX source in placeholders, asks for KaTeX once, and typesets them when it arrives", async () => {
    const asked = { a: 0, b: 0 };
    /** @type {(m: any) => void} */
    let arrive = () => {};
    // View A's widget is closed before it answers (a closed widget never does): view B must ask then.
    const forgetA = setMathLoader(() => {
      asked.a++;
      return new Promise(() => {});
    });
    const md = stream("Plain text first.\n\nThen $x_1$ and $$y$$.\n\nMore $z$.", [18, 30, 45, 60]);
    assert.deepEqual(asked, { a: 1, b: 0 }, "one request however many placeholders");
    setMathLoader(() => {
      asked.b++;
      return new Promise((resolve) => (arrive = resolve));
    });
    assert.deepEqual(asked, { a: 1, b: 0 }, "no second request while one is in flight");
    forgetA();
    assert.deepEqual(asked, { a: 1, b: 1 }, "the next view asks once the first one is gone");
    assert.equal(mathReady(), false);
    assert.deepEqual(
      Array.from(md.el.querySelectorAll(".axio-nb-math"), (e) => e.textContent),
      ["x_1", "y", "z"],
    );
    arrive(katexBundle);
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal(mathReady(), true);
    assert.equal(md.el.querySelectorAll(".katex").length, 3, "placeholders rendered before KaTeX are typeset");
    assert.equal(md.el.querySelectorAll(".axio-nb-math:not(.axio-nb-math-typeset)").length, 0);
    md.update("Plain text first.\n\nThen $x_1$ and $$y$$.\n\nMore $z$ and $w$.", true);
    assert.equal(md.el.querySelectorAll(".katex").length, 4, "later math is typeset at once");
    assert.deepEqual(asked, { a: 1, b: 1 });
  });
});

describe("streaming with math, KaTeX loaded", () => {
  before(() => setMathRenderer(katexBundle));

  for (const [seed, max] of [[31, 7], [32, 40], [33, 300]]) {
    it(`ends in exactly the one-shot DOM (seed ${seed}, chunks up to ${max} chars)`, () => {
      const md = stream(MATH_DOCUMENT, randomCuts(MATH_DOCUMENT, rng(seed), max));
      md.update(MATH_DOCUMENT, true);
      assert.equal(md.el.innerHTML, oneShot(MATH_DOCUMENT));
      assert.ok(md.el.querySelectorAll(".katex").length >= 8);
      assert.ok(md.el.querySelectorAll(".katex-display").length >= 3);
    });
  }

  it("the streamed DOM equals a one-shot render of the same prefix at every step", () => {
    for (const text of MATH_EDGE_DOCUMENTS) {
      const cuts = Array.from({ length: text.length }, (_, i) => i + 1);
      stream(text, cuts, (md, prefix) => {
        if (md.scanner.fence) return; // an open fence takes the fast path
        assert.equal(md.el.innerHTML, oneShot(prefix, { openMath: true }), `after ${JSON.stringify(prefix)}`);
      });
    }
  });

  it("shows display math still streaming as its source, never as paragraphs, then typesets it", () => {
    const text = "Intro.\n\n$$\na_1 * b_2 * c\n\nd_1 * e\n$$\n\nAfter.\n";
    const closing = text.indexOf("$$\n\nAfter");
    const md = stream(text, [20, 30, closing]);
    const open = md.el.querySelector(".axio-nb-math-open");
    assert.ok(open, md.el.innerHTML);
    assert.equal(open.textContent, "\na_1 * b_2 * c\n\nd_1 * e");
    assert.equal(md.el.querySelectorAll("em, .katex").length, 0, "no emphasis and no half-typeset formula");
    md.update(text.slice(0, closing + 2), false);
    assert.equal(md.el.querySelectorAll(".axio-nb-math-open").length, 0);
    assert.equal(md.el.querySelectorAll(".katex-display").length, 1);
    md.update(text, true);
    assert.equal(md.el.innerHTML, oneShot(text));
  });

  it("a display block never closed renders at the end as the one-shot render shows it", () => {
    const text = "Intro.\n\n$$\nx_1\n\ny *z* w";
    const md = stream(text, [12, 20, text.length]);
    assert.ok(md.el.querySelector(".axio-nb-math-open"));
    md.update(text, true);
    assert.equal(md.el.innerHTML, oneShot(text));
    assert.equal(md.el.querySelectorAll(".axio-nb-math").length, 0, "not math in a finished text");
  });

  it("the chunker closes the same chunks whatever the cut points", () => {
    for (const text of [MATH_DOCUMENT, ...MATH_EDGE_DOCUMENTS]) {
      const whole = new ChunkScanner();
      whole.scan(text);
      const s = new ChunkScanner();
      for (const cut of randomCuts(text, rng(9), 11)) s.scan(text.slice(0, cut));
      assert.deepEqual(s.closed, whole.closed);
    }
  });
});

describe("KaTeX is untrusted-input safe", () => {
  before(() => setMathRenderer(katexBundle));

  const PAYLOADS = [
    "$\\href{javascript:alert(1)}{x}$",
    "$$\\url{javascript:alert(2)}$$",
    "\\(\\htmlClass{x}{y}\\htmlStyle{background:url(https://evil.example/)}{z}\\)",
    "\\[\\includegraphics{https://evil.example/leak.png}\\]",
    "$\\htmlData{onclick=alert(1)}{x}$ $\\htmlId{x}{y}$",
    "$<img src=x onerror=alert(1)>$",
    "$\\text{<script>alert(1)</script>}$",
    "$x</span><img src=x onerror=alert(1)>$",
    "$$\\def\\a{\\a\\a}\\a$$",
    "$\\rule{100000em}{100000em}$",
    "$\\color{red;background:url(https://evil.example/)}{x}$ $\\textcolor{url(https://evil.example/)}{y}$",
  ];

  it("renders every payload inert: no links, handlers, images or scripts", () => {
    const md = stream(PAYLOADS.join("\n\n"), [40, 200, 400]);
    md.update(PAYLOADS.join("\n\n"), true);
    assert.ok(md.el.querySelectorAll(".katex").length >= PAYLOADS.length - 1, md.el.innerHTML.slice(0, 500));
    assert.equal(md.el.querySelectorAll("a, script, img, iframe, object, embed, image, foreignObject, use").length, 0);
    for (const el of md.el.querySelectorAll("*")) {
      for (const attr of el.attributes) {
        assert.ok(!/^on/i.test(attr.name), `handler ${attr.name} on <${el.tagName}>`);
        if (attr.name === "title") continue; // KaTeX's error message: plain text, quoting the source
        assert.ok(!/javascript:/i.test(attr.value), `${attr.name}=${attr.value}`);
        assert.ok(!/evil\.example|url\(/.test(attr.value), `${attr.name}=${attr.value}`);
      }
    }
    assert.ok(!md.el.innerHTML.includes('href="javascript'));
  });

  it("\\href with trust off makes no link, even to a web address", () => {
    const div = doc.createElement("div");
    div.innerHTML = renderMarkdown("$\\href{javascript:alert(1)}{x}$ and $\\href{https://example.com}{y}$");
    typesetMath(div);
    assert.equal(div.querySelectorAll(".katex").length, 2);
    assert.equal(div.querySelectorAll("a, [href]").length, 0);
  });

  it("keeps what KaTeX draws: SVG paths of roots, MathML with the TeX annotation", () => {
    const div = doc.createElement("div");
    div.innerHTML = renderMarkdown("$\\sqrt{x_1}$");
    typesetMath(div);
    assert.ok(div.querySelector("svg path")?.getAttribute("d")?.startsWith("M"));
    assert.ok(div.querySelector("svg")?.getAttribute("viewBox"));
    assert.equal(div.querySelector("annotation")?.textContent, "\\sqrt{x_1}");
  });

  it("runs KaTeX with trust off", () => {
    assert.equal(katexBundle.OPTIONS.trust, false);
    assert.ok(!katexBundle.renderTex("\\href{javascript:alert(1)}{x}", false).includes("javascript:alert(1)\""));
  });
});

/** Formulas as the snapshot writes them (axio_nb/render/math.py `math_html`; tests/unit/test_render_math.py). */
const SNAPSHOT_CASES = JSON.parse(
  readFileSync(new URL("./fixtures/snapshot-math.json", import.meta.url), "utf8"),
);

/** A snapshot root holding every shared formula, as JupyterLab parses the snapshot's HTML. */
function snapshotRoot() {
  const root = doc.createElement("div");
  root.className = "axio-nb-stream axio-nb-snapshot tex2jax_ignore mathjax_ignore";
  root.innerHTML = SNAPSHOT_CASES.map((c) => c.html).join(" ");
  return root;
}

describe("the snapshot's math, typeset from the page's KaTeX", () => {
  it("without KaTeX in the page, registers nothing and leaves every formula to MathJax", () => {
    setMathRenderer(null);
    assert.equal(globalThis[SNAPSHOT_HOOK], undefined);
    const root = snapshotRoot();
    assert.equal(typesetSnapshot(root), 0);
    assert.equal(root.querySelectorAll(".mathjax_process").length, SNAPSHOT_CASES.length);
  });

  it("with KaTeX, typesets each formula as the live view does and takes it from MathJax", () => {
    setMathRenderer(katexBundle);
    assert.equal(globalThis[SNAPSHOT_HOOK], typesetSnapshot);
    const root = snapshotRoot();
    assert.equal(globalThis[SNAPSHOT_HOOK](root), SNAPSHOT_CASES.length);
    assert.equal(root.querySelectorAll(".mathjax_process, .tex2jax_process").length, 0);
    const formulas = [...root.querySelectorAll(".axio-nb-math")];
    assert.deepEqual(
      formulas.map((el) => el.querySelector("annotation")?.textContent),
      SNAPSHOT_CASES.map((c) => c.tex),
    );
    assert.deepEqual(
      formulas.map((el) => Boolean(el.querySelector(".katex-display"))),
      SNAPSHOT_CASES.map((c) => c.display),
    );
    // The same formula typeset live gives the same nodes (one cache, one sanitiser).
    const live = doc.createElement("div");
    live.innerHTML = renderMarkdown("$x_1^2$");
    typesetMath(live);
    assert.equal(formulas[0].innerHTML, live.querySelector(".axio-nb-math").innerHTML);
  });

  it("keeps payloads inert: no link, no image, no handler", () => {
    setMathRenderer(katexBundle);
    const root = snapshotRoot();
    typesetSnapshot(root);
    assert.equal(root.querySelectorAll("a, [href], img, script").length, 0);
    for (const el of root.querySelectorAll("*")) {
      for (const attr of el.attributes) assert.ok(!/^on/i.test(attr.name), attr.name);
    }
    assert.ok(root.textContent.includes("<img src=x onerror=alert(1)>"));
  });

  it("typesets the last formulas at once and the rest, from the end back, in idle slices", async () => {
    setMathRenderer(katexBundle);
    const root = doc.createElement("div");
    root.className = "axio-nb-snapshot tex2jax_ignore mathjax_ignore";
    const count = SNAPSHOT_AT_ONCE * 3;
    root.innerHTML = Array.from({ length: count }, (_, i) => SNAPSHOT_CASES[0].html.replace("x_1", `x_{${i}}`)).join(" ");
    doc.body.appendChild(root);
    const removed = doc.createElement("div");
    removed.innerHTML = SNAPSHOT_CASES[0].html;
    const gone = /** @type {Element} */ (removed.firstElementChild);
    root.prepend(gone); // typeset later, but removed from the page before its slice comes
    const typeset = () => [...root.querySelectorAll(".axio-nb-math")].map((el) => Boolean(el.querySelector(".katex")));
    assert.equal(typesetSnapshot(root), count + 1);
    const now = typeset();
    assert.deepEqual(now, [...Array(count + 1 - SNAPSHOT_AT_ONCE).fill(false), ...Array(SNAPSHOT_AT_ONCE).fill(true)]);
    // Taken from MathJax at once, all of them: MathJax's pass comes right after this call.
    assert.equal(root.querySelectorAll(".mathjax_process").length, 0);
    gone.remove();
    for (let i = 0; i < 100 && typeset().includes(false); i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(typeset().every(Boolean), typeset().join());
    assert.equal(gone.querySelector(".katex"), null);
    root.remove();
  });

  it("leaves alone what MathJax typeset first, and runs twice without harm", () => {
    setMathRenderer(katexBundle);
    const root = snapshotRoot();
    const first = root.querySelector(".axio-nb-math");
    first.replaceChildren(doc.createElement("mjx-container"));
    assert.equal(typesetSnapshot(root), SNAPSHOT_CASES.length - 1);
    assert.equal(typesetSnapshot(root), 0);
    assert.ok(first.querySelector("mjx-container") && !first.querySelector(".katex"));
  });
});
