import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { doc } from "./helpers/dom.js";
import { arrivedSamples, createPending } from "../src/lib/pending.js";

describe("media placeholders", () => {
  it("counts media and error blocks as arrived samples, nothing else", () => {
    const blocks = [{ kind: "image" }, { kind: "text" }, { kind: "error" }, { kind: "video" }, { kind: "notice" }];
    assert.equal(arrivedSamples(blocks), 3);
  });

  it("keeps one tile per sample still to come, with the seconds waited, while live", () => {
    const pending = createPending(doc);
    assert.equal(pending.update(4, 0, true, 3), 4);
    assert.deepEqual(
      [...pending.el.children].map((t) => t.textContent),
      ["1 of 4 · 3s", "2 of 4 · 3s", "3 of 4 · 3s", "4 of 4 · 3s"],
    );
    assert.equal(pending.update(4, 3, true, 5), 1);
    assert.equal(pending.el.children[0].textContent, "4 of 4 · 5s");
    assert.equal(pending.el.hidden, false);
  });

  it("shows none once the turn ended (a stopped turn keeps what came), or without `expected`", () => {
    const pending = createPending(doc);
    pending.update(4, 1, true, 1);
    assert.equal(pending.update(4, 1, false, 2), 0);
    assert.equal(pending.el.hidden, true);
    assert.equal(pending.update(0, 0, true, 2), 0);
  });
});
