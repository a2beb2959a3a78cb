import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { formatCost, formatCount, formatDuration, formatFooter } from "../src/lib/footer.js";

/** The same cases the Python suite reads for the snapshot's footer (tests/unit/test_footer.py). */
const FIXTURE = JSON.parse(readFileSync(new URL("../../tests/fixtures/footer.json", import.meta.url), "utf8"));

/** @param {{key: string, text: string}[]} items */
const pairs = (items) => items.map((i) => [i.key, i.text]);

describe("footer", () => {
  for (const c of FIXTURE.cases) {
    it(`says what the snapshot says: ${c.name}`, () => {
      assert.deepEqual(pairs(formatFooter(c.meta)), c.items);
      assert.deepEqual(pairs(formatFooter(c.meta, { timings: false })), c.plain);
    });
  }

  it("formats numbers, durations and costs", () => {
    assert.equal(formatCount(1234567), "1,234,567");
    assert.equal(formatCount(999), "999");
    assert.equal(formatDuration(999), "999 ms");
    assert.equal(formatDuration(61_000), "1 min 1 s");
    assert.equal(formatCost(0), "$0");
    assert.equal(formatCost(0.00042), "$0.0004");
    assert.equal(formatCost(2.5), "$2.50");
  });
});
