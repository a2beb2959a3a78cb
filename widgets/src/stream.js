/**
 * The anywidget ESM of axio_nb's stream view. Custom messages arrive on the model, not on a view, so
 * the transcript store is built in `initialize`; every view renders from it (PROTOCOL.md).
 * Browser → kernel traffic is `model.send` only: a synced-state write made while an async cell runs
 * leaves the widget's sync stuck (docs/facts.md#browser-to-kernel-custom-messages-only).
 */
import { setMathLoader } from "./lib/math.js";
import { speechFor } from "./lib/speech-out.js";
import { TranscriptStore } from "./lib/store.js";
import { createStreamView } from "./lib/view.js";

export { renderMarkdown } from "./lib/markdown.js";
export { TranscriptStore } from "./lib/store.js";

/**
 * anywidget hands `initialize` and each `render` a different proxy of the same model, so the proxy
 * cannot key the store. The model's `_bundles` object can: the page deserialises each widget's state
 * once, and `get` returns that same object to every proxy of one model (the kernel never changes it).
 * The widget has no `layout` model to key on (axio_nb/views/loader.py leaves it out of the comm_open).
 * @type {WeakMap<object, TranscriptStore>}
 */
const stores = new WeakMap();

/**
 * @param {any} model
 * @returns {object | null}
 */
function modelKey(model) {
  try {
    const key = model.get("_bundles");
    if (key && typeof key === "object") return key;
  } catch {
    // A model without the trait: no shared key, each view keeps its own store.
  }
  return null;
}

/** @param {any} model @param {TranscriptStore} store */
function remember(model, store) {
  const key = modelKey(model);
  if (key) stores.set(key, store);
}

/** @param {any} model @returns {TranscriptStore | undefined} */
function lookup(model) {
  const key = modelKey(model);
  return key ? stores.get(key) : undefined;
}

/**
 * @param {any} model
 * @returns {TranscriptStore}
 */
function storeFor(model) {
  const store = new TranscriptStore({ send: (msg) => model.send(msg) });
  model.on("msg:custom", (/** @type {any} */ msg, /** @type {any[]} */ buffers) => store.receive(msg, buffers));
  return store;
}

export default {
  /** @param {{model: any, early?: [any, any[]][]}} args */
  initialize({ model, early = [] }) {
    const store = storeFor(model);
    // Speech plays from the store, from its first chunk, before any view renders (lib/speech-out.js).
    speechFor(store);
    // What came while this code loaded (boot.js held it): applied first, in order, so the view's
    // hello says how far it got and the kernel need not send the state (and its media) again.
    for (const [msg, buffers] of early) store.receive(msg, buffers);
    remember(model, store);
    // The store listens from now on, so the kernel may send media (it holds them until a view says hello):
    // asking here, when the model is made, not when JupyterLab renders the output, saved the first speech
    // chunk that wait (bench/media.py).
    store.hello();
  },

  /** @param {{model: any, el: HTMLElement, loadBundle?: (name: string) => Promise<any>}} args */
  render({ model, el, loadBundle }) {
    // KaTeX comes through the shared loader (boot.js), asked for only once some text shows math.
    const forget = loadBundle ? setMathLoader(() => loadBundle("katex")) : () => {};
    // The shared store said hello in initialize and has listened since: a render has nothing to ask (a
    // second hello before the state came back would name seq 0 and get the media again). Without a shared
    // store (no initialize, or no key) the view listens itself and catches up via hello.
    const shared = lookup(model);
    const store = shared ?? storeFor(model);
    const view = createStreamView({ el, store, send: (msg) => model.send(msg) });
    if (!shared) store.hello();
    return () => {
      forget();
      view.destroy();
    };
  },
};
