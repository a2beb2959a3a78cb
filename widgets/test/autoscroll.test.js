import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { container, doc } from "./helpers/dom.js";
import { SLACK, followTarget, scrollParent } from "../src/lib/autoscroll.js";

/** Give a jsdom element the scroll sizes a browser would compute. */
function sized(el, scrollHeight, clientHeight, overflowY = "auto") {
  Object.defineProperty(el, "scrollHeight", { configurable: true, get: () => scrollHeight });
  Object.defineProperty(el, "clientHeight", { configurable: true, get: () => clientHeight });
  el.style.overflowY = overflowY;
  return el;
}

describe("auto-scroll", () => {
  it("scrolls the ancestor that actually scrolls, not the first one styled overflow: auto", () => {
    const panel = sized(container(), 5000, 800); // the notebook's scroller: content overflows it
    const output = sized(doc.createElement("div"), 300, 300); // .jp-OutputArea-output: auto, never scrolls
    const el = doc.createElement("div");
    panel.append(output);
    output.append(el);
    assert.equal(scrollParent(el), panel);
    sized(panel, 800, 800);
    assert.equal(scrollParent(el), null, "nothing overflows yet: the document scrolls");
    sized(output, 900, 300);
    assert.equal(scrollParent(el), output, "an output the user made scrollable scrolls itself");
    sized(output, 900, 300, "visible");
    assert.equal(scrollParent(el), null);
  });

  it("follows while the reader is at the bottom, stops when they scroll up, resumes at the bottom", () => {
    const limit = 800;
    // The end is visible and grows past the bottom: follow.
    assert.equal(followTarget({ bottom: 900, limit, scrollTop: 0, lastPos: 790 }), 100);
    // Already at the end: nothing to do.
    assert.equal(followTarget({ bottom: 790, limit, scrollTop: 100, lastPos: 880 }), null);
    // A big chunk (2000 px) arrives while at the bottom: still following.
    assert.equal(followTarget({ bottom: 2800, limit, scrollTop: 100, lastPos: 900 }), 2100);
    // The reader scrolled up 1000 px (the end moved down with no growth), then the output grew: leave it.
    assert.equal(followTarget({ bottom: 1900, limit, scrollTop: 1100, lastPos: 2900 }), null);
    assert.equal(followTarget({ bottom: 1950, limit, scrollTop: 1100, lastPos: 3000 }), null);
    // In steps: the end goes `step` px above the bottom, so the next few frames need no scroll at all.
    assert.equal(followTarget({ bottom: 900, limit, scrollTop: 0, lastPos: 790, step: 200 }), 300);
    assert.equal(followTarget({ bottom: 700, limit, scrollTop: 300, lastPos: 900, step: 200 }), null);
    assert.equal(followTarget({ bottom: 810, limit, scrollTop: 300, lastPos: 1090, step: 200 }), 510);
    // Back at the bottom (within the slack): follow again.
    assert.equal(followTarget({ bottom: limit + SLACK + 30, limit, scrollTop: 2100, lastPos: limit + SLACK + 2100 }), 2100 + SLACK + 30);
  });
});
