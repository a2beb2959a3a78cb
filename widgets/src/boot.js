/**
 * The shared loader: every axio_nb widget ships this as its `_esm` and fetches the rest of its code by
 * name. anywidget puts `_esm` into every widget's comm_open, so shipping a whole view (~240 KB) cost
 * each chat cell that much iopub. The widget declares `_view` (the bundle that renders it) and
 * `_bundles` (`{name: hash}` of every bundle its view may load); `loadBundle` asks the kernel
 * `{"type": "code?", "name"}` once per page, name and hash, and the kernel answers
 * `{"type": "code", "name", "hash"}` with the JS and CSS as binary buffers. The module is imported
 * from a Blob URL, as anywidget itself does, and its CSS is added to the page once.
 *
 * A widget with no `_view` only fetches the bundles it declares (axio_nb/views/prefetch.py: the extension
 * opens one when it loads, so the first turn's widget finds its code in the page).
 *
 * The view gets `loadBundle` bound to its model (`render({model, el, loadBundle})`), so it can fetch
 * further bundles the same way (the stream view asks for `katex` when an answer first shows math).
 *
 * `initialize` must not wait for the kernel: anywidget holds every message to the widget until
 * `initialize` has returned (and gives up after 2 s), so waiting there for the `code` reply would
 * never see it. It starts the load and returns; `render` awaits it. Messages that arrive before
 * the view is loaded are lost to it, and its first `hello` brings the whole state back.
 */

const CACHE = "__axioNbBundles";
const RETRY_MS = 3000;
/** A closed widget (its turn ended, the cell re-ran) never answers: ask a few times, then stop. */
const MAX_ASKS = 3;

/**
 * @param {DataView | ArrayBuffer | Uint8Array} buffer
 * @returns {Uint8Array}
 */
function bytes(buffer) {
  if (buffer instanceof Uint8Array) return buffer;
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return new Uint8Array(buffer);
}

/**
 * @param {string} key
 * @param {Uint8Array} css
 */
function addStyle(key, css) {
  const id = `axio-nb-style-${key}`;
  if (document.getElementById(id)) return;
  const style = document.createElement("style");
  style.id = id;
  style.textContent = new TextDecoder().decode(css);
  document.head.appendChild(style);
}

/**
 * The module of bundle `name` at `hash`, loaded once per page. Every waiting model listens for the
 * answer, and asks again if none came (the model that asked first may have been closed).
 * @param {any} model
 * @param {string} name
 * @param {string} hash
 * @returns {Promise<any>}
 */
export function loadBundle(model, name, hash) {
  const key = `${name}-${hash}`;
  const cache = (globalThis[CACHE] ??= {});
  let entry = cache[key];
  if (!entry) {
    /** @type {(m: any) => void} */
    let resolve = () => {};
    /** @type {(e: any) => void} */
    let reject = () => {};
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    entry = cache[key] = { promise, resolve, reject, asked: 0, done: false, requests: 0 };
  }
  if (entry.done) return entry.promise;
  const onMessage = async (/** @type {any} */ msg, /** @type {any[]} */ buffers) => {
    if (!msg || msg.type !== "code" || msg.name !== name || msg.hash !== hash) return;
    model.off("msg:custom", onMessage);
    clearInterval(timer);
    if (entry.done) return;
    entry.done = true;
    addStyle(key, bytes(buffers[1]));
    const url = URL.createObjectURL(new Blob([bytes(buffers[0])], { type: "text/javascript" }));
    try {
      entry.resolve(await import(/* webpackIgnore: true */ url));
    } catch (error) {
      entry.reject(error);
    } finally {
      URL.revokeObjectURL(url);
    }
  };
  let asks = 0;
  const ask = () => {
    if (entry.done || asks >= MAX_ASKS) return clearInterval(timer);
    if (Date.now() - entry.asked < RETRY_MS) return;
    entry.asked = Date.now();
    asks += 1;
    entry.requests += 1;
    model.send({ type: "code?", name });
  };
  model.on("msg:custom", onMessage);
  const timer = setInterval(ask, RETRY_MS);
  ask();
  // The answer may come on another widget's comm (the one that asked first): stop listening then too.
  const stop = () => {
    model.off("msg:custom", onMessage);
    clearInterval(timer);
  };
  entry.promise.then(stop, stop);
  return entry.promise;
}

/**
 * `loadBundle` for the bundles this widget declares in `_bundles`.
 * @param {any} model
 * @returns {(name: string) => Promise<any>}
 */
function bundlesOf(model) {
  return (name) => {
    const hash = (model.get("_bundles") ?? {})[name];
    if (!hash) return Promise.reject(new Error(`axio_nb: this widget declares no bundle named ${name}`));
    return loadBundle(model, name, hash);
  };
}

export default {
  /** @param {{model: any}} args */
  initialize({ model }) {
    if (!model.get("_view")) {
      // A widget with no view (axio_nb/views/prefetch.py): fetch the bundles it declares, for the widgets to come.
      for (const name of Object.keys(model.get("_bundles") ?? {})) bundlesOf(model)(name).catch(() => {});
      return;
    }
    // Messages that come while the view's code loads would reach no listener and be lost; the view
    // would then need the whole state again (media and all) when it says hello. Hold them, in order,
    // and hand them to the view's own initialize.
    /** @type {[any, any[]][]} */
    const early = [];
    const hold = (/** @type {any} */ msg, /** @type {any[]} */ buffers) => {
      if (msg?.type !== "code") early.push([msg, buffers]);
    };
    model.on("msg:custom", hold);
    // Not awaited (see the top of this file). Registered before any render's continuation, so the
    // view's own initialize runs first once the code is in.
    bundlesOf(model)(model.get("_view"))
      .then((view) => {
        model.off("msg:custom", hold);
        view.default.initialize?.({ model, loadBundle: bundlesOf(model), early: early.splice(0) });
      })
      .catch((error) => {
        model.off("msg:custom", hold);
        console.error("axio_nb: could not load the widget's view", error);
      });
  },
  /** @param {{model: any, el: HTMLElement}} args */
  async render({ model, el }) {
    if (!model.get("_view")) return;
    const load = bundlesOf(model);
    const view = await load(model.get("_view"));
    return view.default.render({ model, el, loadBundle: load });
  },
};
