import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { doc } from "./helpers/dom.js";
import boot, { loadBundle } from "../src/boot.js";

/**
 * A model as boot.js sees it: `_view`/`_bundles` traits, custom messages both ways.
 * @param {Record<string, string>} bundles
 */
function model(bundles = { stream: "h1", katex: "k1" }, view = "stream") {
  /** @type {Set<Function>} */
  const handlers = new Set();
  /** @type {object[]} */
  const sent = [];
  return {
    sent,
    get: (/** @type {string} */ key) => ({ _view: view, _bundles: bundles })[key],
    send: (/** @type {object} */ msg) => sent.push(msg),
    on: (/** @type {string} */ _name, /** @type {Function} */ fn) => handlers.add(fn),
    off: (/** @type {string} */ _name, /** @type {Function} */ fn) => handlers.delete(fn),
    /** @param {object} msg @param {Uint8Array[]} buffers */
    emit(msg, buffers) {
      for (const fn of [...handlers]) fn(msg, buffers);
    },
    listeners: () => handlers.size,
  };
}

const encode = (/** @type {string} */ s) => new TextEncoder().encode(s);
/** A view module: records what boot.js hands its render. */
const VIEW_JS = "export default { render(args) { globalThis.__rendered = args; return 'cleanup'; } };";

describe("the shared loader (boot.js)", () => {
  /** @type {any} */
  let saved;
  before(() => {
    // Node cannot import Blob URLs; a data: URL imports the same bytes the same way.
    saved = { document: globalThis.document, create: URL.createObjectURL, revoke: URL.revokeObjectURL };
    globalThis.document = doc;
    URL.createObjectURL = (/** @type {Blob} */ blob) => {
      // The Blob's bytes are needed synchronously: boot.js builds it from one Uint8Array.
      const bytes = /** @type {any} */ (blob).__bytes;
      return `data:text/javascript;base64,${Buffer.from(bytes).toString("base64")}`;
    };
    URL.revokeObjectURL = () => {};
    const RealBlob = globalThis.Blob;
    globalThis.Blob = /** @type {any} */ (
      class extends RealBlob {
        /** @param {any[]} parts @param {any} opts */
        constructor(parts, opts) {
          super(parts, opts);
          /** @type {any} */ (this).__bytes = parts[0];
        }
      }
    );
    saved.Blob = RealBlob;
    delete (/** @type {any} */ (globalThis).__axioNbBundles);
  });
  after(() => {
    globalThis.document = saved.document;
    URL.createObjectURL = saved.create;
    URL.revokeObjectURL = saved.revoke;
    globalThis.Blob = saved.Blob;
  });

  it("asks once per page for a name and hash, and takes only the matching answer", async () => {
    const m = model();
    const first = loadBundle(m, "stream", "h1");
    const second = loadBundle(m, "stream", "h1");
    assert.deepEqual(m.sent, [{ type: "code?", name: "stream" }], "one request for two loads");
    m.emit({ type: "code", name: "katex", hash: "h1" }, [encode("x"), encode("")]);
    m.emit({ type: "code", name: "stream", hash: "other" }, [encode("x"), encode("")]);
    m.emit({ type: "code", name: "stream", hash: "h1" }, [encode(VIEW_JS), encode(".a{color:red}")]);
    const mod = await first;
    assert.equal(await second, mod);
    assert.equal(typeof mod.default.render, "function");
    assert.equal(doc.getElementById("axio-nb-style-stream-h1")?.textContent, ".a{color:red}");
    const cache = /** @type {any} */ (globalThis).__axioNbBundles;
    assert.deepEqual(Object.keys(cache), ["stream-h1"]);
    assert.equal(cache["stream-h1"].requests, 1);
    assert.equal(await loadBundle(model(), "stream", "h1"), mod, "another widget reuses the page's module");
  });

  it("initialize returns at once; render hands the view loadBundle for the widget's declared bundles", async () => {
    const m = model({ stream: "h1", katex: "k9" });
    assert.equal(boot.initialize({ model: m }), undefined, "initialize must not wait for the kernel");
    const el = doc.createElement("div");
    assert.equal(await boot.render({ model: m, el }), "cleanup");
    const args = /** @type {any} */ (globalThis).__rendered;
    assert.equal(args.el, el);
    assert.equal(typeof args.loadBundle, "function");
    const katex = args.loadBundle("katex");
    assert.deepEqual(m.sent.at(-1), { type: "code?", name: "katex" });
    await assert.rejects(args.loadBundle("mic"), /declares no bundle named mic/);
    m.emit({ type: "code", name: "katex", hash: "k9" }, [encode("export const renderTex = () => 'k';"), encode("")]);
    assert.equal((await katex).renderTex(), "k");
    assert.equal(m.listeners(), 0, "every listener removed once its answer came");
  });

  it("holds the messages that come while the view's code loads and hands them to its initialize, in order", async () => {
    const m = model({ stream: "h7" });
    boot.initialize({ model: m });
    m.emit({ type: "ops", seq: 1, ops: [] }, []);
    m.emit({ type: "ops", seq: 2, ops: [] }, [encode("media")]);
    const VIEW = "export default { initialize(args) { globalThis.__early = args.early; } };";
    m.emit({ type: "code", name: "stream", hash: "h7" }, [encode(VIEW), encode("")]);
    for (let i = 0; i < 50 && !(/** @type {any} */ (globalThis).__early); i++) await new Promise((r) => setTimeout(r, 5));
    const early = /** @type {any} */ (globalThis).__early;
    assert.deepEqual(early.map(([msg]) => msg.seq), [1, 2]);
    assert.equal(new TextDecoder().decode(early[1][1][0]), "media");
    assert.equal(m.listeners(), 0, "the holding listener is gone once the view took over");
  });

  it("a widget with no view fetches its bundles at once, and a later widget's view finds them", async () => {
    const prefetch = model({ stream: "p1" }, "");
    boot.initialize({ model: prefetch });
    assert.deepEqual(prefetch.sent, [{ type: "code?", name: "stream" }], "asked when the model was made");
    assert.equal(await boot.render({ model: prefetch, el: doc.createElement("div") }), undefined);
    const later = model({ stream: "p1" });
    boot.initialize({ model: later });
    assert.deepEqual(later.sent, [], "the code is already on its way: no second request");
    prefetch.emit({ type: "code", name: "stream", hash: "p1" }, [encode(VIEW_JS), encode("")]);
    assert.equal(await boot.render({ model: later, el: doc.createElement("div") }), "cleanup");
    assert.equal(/** @type {any} */ (globalThis).__axioNbBundles["stream-p1"].requests, 1);
    assert.equal(later.listeners(), 0, "the later widget stopped listening for an answer that came elsewhere");
  });
});
