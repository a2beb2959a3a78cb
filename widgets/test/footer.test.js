import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cutWarning, formatCost, formatCount, formatDuration, formatFooter } from "../src/lib/footer.js";

describe("footer", () => {
  it("formats every field that is present", () => {
    const items = formatFooter({
      model: "gpt-test", iterations: 2, usage: { input: 12345, output: 678, cached: 1000, reasoning: 256 },
      cost: 0.01234, elapsed_ms: 3456, ttft_ms: 412, stop_reason: "end_turn",
    });
    assert.deepEqual(items.map((i) => i.text), [
      "gpt-test", "2 iterations", "12,345 in / 678 out tokens (+1,000 cached, +256 reasoning)", "$0.0123", "3.5 s",
      "first token 412 ms", "stop: end_turn",
    ]);
  });

  it("leaves out what is missing, zero extras and a null cost", () => {
    const items = formatFooter({ iterations: 1, usage: { input: 5, output: 7, cached: 0, reasoning: 0 }, cost: null });
    assert.deepEqual(items.map((i) => i.text), ["1 iteration", "5 in / 7 out tokens"]);
    assert.deepEqual(formatFooter({}), []);
  });

  it("formats numbers, durations and costs", () => {
    assert.equal(formatCount(1234567), "1,234,567");
    assert.equal(formatCount(999), "999");
    assert.equal(formatDuration(999), "999 ms");
    assert.equal(formatDuration(61_000), "1 min 1 s");
    assert.equal(formatCost(0), "$0");
    assert.equal(formatCost(0.00042), "$0.00042");
    assert.equal(formatCost(2.5), "$2.50");
  });

  it("warns when the answer is cut: incomplete, or a repetition stop", () => {
    assert.equal(cutWarning({ stop_reason: "end_turn" }), null);
    assert.match(cutWarning({ stop_reason: "max_tokens", incomplete: true }) ?? "", /cut short \(max_tokens\)/);
    assert.match(cutWarning({ stop_reason: "repetition" }) ?? "", /repeating/);
    assert.match(cutWarning({ incomplete: true }) ?? "", /incomplete/);
  });
});
