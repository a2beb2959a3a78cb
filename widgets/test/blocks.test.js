import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { blobUrls, container, doc } from "./helpers/dom.js";
import { RENDERERS, createBlockView } from "../src/lib/blocks.js";
import { TranscriptStore } from "../src/lib/store.js";
import { createStreamView } from "../src/lib/view.js";

function mount(blocks, meta = { status: "done" }, buffers = []) {
  const store = new TranscriptStore();
  store.receive({ type: "state", seq: 1, blocks, meta }, buffers);
  const el = container();
  const view = createStreamView({ el, store, send: () => {} });
  view.flush();
  return { store, el, view };
}

describe("block renderers", () => {
  it("every block carries axio-nb-block, axio-nb-<kind> and data-block-id", () => {
    for (const kind of Object.keys(RENDERERS)) {
      const view = createBlockView(doc, { id: 7, kind }, { live: false, urls: { create: () => "", revoke() {} } });
      assert.ok(view.el.classList.contains("axio-nb-block"));
      assert.ok(view.el.classList.contains(`axio-nb-${kind}`), kind);
      assert.equal(view.el.dataset.blockId, "7");
    }
  });

  it("an unknown kind shows a visible fallback instead of failing", () => {
    const { el, view } = mount([{ id: 0, kind: "hologram", text: "x" }, { id: 1, kind: "text", text: "still here" }]);
    const fallback = el.querySelector('.axio-nb-unsupported[data-block-id="0"]');
    assert.equal(fallback?.textContent, "unsupported block kind hologram");
    assert.equal(el.querySelector(".axio-nb-text .axio-nb-md")?.textContent?.trim(), "still here");
    view.destroy();
  });

  it("a block that fails to render does not stop the others", (t) => {
    const errors = t.mock.method(console, "error", () => {});
    const { store, el, view } = mount([
      { id: 0, kind: "tool", name: "t", fields: {}, output: {}, result: "", status: "running" },
      { id: 1, kind: "text", text: "before" },
    ], { status: "streaming" });
    const broken = /** @type {any} */ (store.byId.get(0));
    broken.fields = { get a() { throw new Error("boom"); } };
    store.receive({ type: "ops", seq: 2, ops: [
      { op: "set", id: 0, path: ["status"], value: "ok" },
      { op: "append", id: 1, path: ["text"], text: " and after" },
    ] });
    view.flush();
    assert.equal(el.querySelector(".axio-nb-text .axio-nb-md")?.textContent?.trim(), "before and after");
    assert.equal(errors.mock.callCount(), 1);
    view.destroy();
  });

  it("reasoning is open while it streams and folds once done", () => {
    const { store, el, view } = mount([{ id: 0, kind: "reasoning", text: "step one", redacted: false, done: false }], { status: "streaming" });
    const details = /** @type {HTMLDetailsElement} */ (el.querySelector("details.axio-nb-thinking"));
    assert.equal(details.open, true);
    assert.equal(details.querySelector("summary")?.textContent?.startsWith("Thinking"), true);
    assert.equal(/** @type {HTMLElement} */ (el.querySelector(".axio-nb-reasoning .axio-nb-chip")).hidden, true);
    store.receive({ type: "ops", seq: 2, ops: [{ op: "set", id: 0, path: ["done"], value: true }, { op: "set", id: 0, path: ["redacted"], value: true }] });
    view.flush();
    assert.equal(details.open, false);
    assert.equal(/** @type {HTMLElement} */ (el.querySelector(".axio-nb-reasoning .axio-nb-chip")).hidden, false);
    // The reader may open it again; later frames leave it open.
    details.open = true;
    store.receive({ type: "ops", seq: 3, ops: [{ op: "append", id: 0, path: ["text"], text: "!" }] });
    view.flush();
    assert.equal(details.open, true);
    view.destroy();
  });

  it("refusal, error, notice and user blocks have their own look and text", () => {
    const { el, view } = mount([
      { id: 0, kind: "text", text: "partial answer" },
      { id: 1, kind: "refusal", text: "I can't help with that.", category: "cyber", blocked_input: false, spoken: false },
      { id: 2, kind: "notice", level: "warning", text: "interrupted" },
      { id: 3, kind: "user", text: "what's the weather?" },
      { id: 4, kind: "error", message: "connection reset" },
    ], { status: "error" });
    const ids = [...el.querySelectorAll(".axio-nb-block")].map((b) => b.getAttribute("data-block-id"));
    assert.deepEqual(ids, ["0", "1", "2", "3", "4"], "partial output stays above the error");
    assert.match(el.querySelector(".axio-nb-refusal .axio-nb-banner")?.textContent ?? "", /^Declined/);
    assert.equal(el.querySelector(".axio-nb-refusal .axio-nb-plain")?.textContent, "I can't help with that.");
    assert.equal(el.querySelector(".axio-nb-error")?.getAttribute("role"), "alert");
    assert.match(el.querySelector(".axio-nb-error")?.textContent ?? "", /connection reset/);
    assert.equal(el.querySelector(".axio-nb-notice")?.getAttribute("data-level"), "warning");
    assert.equal(el.querySelector(".axio-nb-user .axio-nb-bubble")?.textContent, "what's the weather?");
    view.destroy();
  });

  it("citations become numbered links, http(s) only", () => {
    const { el, view } = mount([{ id: 0, kind: "text", text: "Fact.", citations: [
      { title: "Source A", url: "https://a.example/", cited_text: "quoted" },
      { title: "Source B", url: "file:///etc/passwd", cited_text: "" },
    ] }]);
    const items = [...el.querySelectorAll("ol.axio-nb-citations li")];
    assert.equal(items.length, 2);
    assert.equal(items[0].querySelector("a")?.getAttribute("href"), "https://a.example/");
    assert.equal(items[0].querySelector("a")?.getAttribute("title"), "quoted");
    assert.equal(items[1].querySelector("a"), null);
    assert.equal(items[1].textContent, "Source B");
    view.destroy();
  });

  it("media comes from the message buffer as a Blob URL, revoked on cleanup", () => {
    const before = blobUrls.size;
    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);
    const { el, view } = mount([
      { id: 0, kind: "image", media_type: "image/png", size: 8, width: 2, height: 3, buffer: 0 },
      { id: 1, kind: "audio", media_type: "audio/wav", size: 4, buffer: 1 },
      { id: 2, kind: "video", media_type: "video/mp4", size: 4, buffer: 2 },
    ], { status: "done" }, [new DataView(png.buffer), new DataView(new ArrayBuffer(4)), new DataView(new ArrayBuffer(4))]);
    const img = /** @type {HTMLImageElement} */ (el.querySelector(".axio-nb-image img"));
    assert.match(img.src, /^blob:/);
    assert.equal(img.getAttribute("width"), "2");
    assert.match(img.alt, /image\/png/);
    assert.equal(/** @type {HTMLAudioElement} */ (el.querySelector(".axio-nb-audio audio")).controls, true);
    assert.equal(/** @type {HTMLVideoElement} */ (el.querySelector(".axio-nb-video video")).controls, true);
    assert.equal(blobUrls.size, before + 3);
    view.destroy();
    assert.equal(blobUrls.size, before);
  });

  it("a video's poster comes from its own buffer as a Blob URL, revoked with the video's", () => {
    const before = blobUrls.size;
    const { el, view } = mount(
      [
        { id: 0, kind: "video", media_type: "video/webm", size: 4, buffer: 0, poster: "image/webp", poster_buffer: 1 },
        { id: 1, kind: "video", media_type: "video/webm", size: 4, buffer: 2, poster: "text/html", poster_buffer: 3 },
      ],
      { status: "done" },
      [new DataView(new ArrayBuffer(4)), new DataView(new ArrayBuffer(2)), new DataView(new ArrayBuffer(4)), new DataView(new ArrayBuffer(2))],
    );
    const [withPoster, refused] = /** @type {HTMLVideoElement[]} */ ([...el.querySelectorAll(".axio-nb-video video")]);
    assert.match(withPoster.poster, /^blob:/);
    assert.equal(refused.getAttribute("poster"), null, "a poster that is not an image is not shown");
    assert.equal(blobUrls.size, before + 3);
    view.destroy();
    assert.equal(blobUrls.size, before);
  });

  it("an image the kernel refused says why instead of a broken picture", () => {
    const { el, view } = mount(
      [{ id: 0, kind: "image", media_type: "image/png", size: 8, invalid: "not a readable image (<b>x</b>)", buffer: 0 }],
      { status: "done" },
      [new DataView(new ArrayBuffer(8))],
    );
    assert.equal(el.querySelector(".axio-nb-image img"), null);
    const note = el.querySelector(".axio-nb-image .axio-nb-media-missing");
    assert.equal(note?.textContent, "image not shown: not a readable image (<b>x</b>)");
    assert.equal(note?.querySelector("b"), null);
    view.destroy();
  });
});
