/**
 * The loader that StreamView ships as its `_esm`. anywidget puts `_esm` into every widget's
 * comm_open, so shipping the whole view (~240 KB) cost each chat cell that much iopub. This asks the
 * kernel for the view once per page and bundle hash (`{"type": "code?"}`); the kernel answers
 * `{"type": "code", "hash"}` with the JS and CSS as binary buffers. The view module is then imported
 * from a Blob URL, as anywidget itself does, and its CSS is added to the page once.
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
 * @param {string} hash
 * @param {Uint8Array} css
 */
function addStyle(hash, css) {
  const id = `axio-nb-style-${hash}`;
  if (document.getElementById(id)) return;
  const style = document.createElement("style");
  style.id = id;
  style.textContent = new TextDecoder().decode(css);
  document.head.appendChild(style);
}

/**
 * The view module for this model's bundle hash, loaded once per page. Every waiting model listens
 * for the answer, and asks again if none came (the model that asked first may have been closed).
 * @param {any} model
 * @returns {Promise<any>}
 */
export function loadView(model) {
  const hash = model.get("_bundle");
  const cache = (globalThis[CACHE] ??= {});
  let entry = cache[hash];
  if (!entry) {
    /** @type {(m: any) => void} */
    let resolve = () => {};
    /** @type {(e: any) => void} */
    let reject = () => {};
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    entry = cache[hash] = { promise, resolve, reject, asked: 0, done: false };
  }
  if (entry.done) return entry.promise;
  const onMessage = async (/** @type {any} */ msg, /** @type {any[]} */ buffers) => {
    if (!msg || msg.type !== "code" || msg.hash !== hash) return;
    model.off("msg:custom", onMessage);
    clearInterval(timer);
    if (entry.done) return;
    entry.done = true;
    addStyle(hash, bytes(buffers[1]));
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
    model.send({ type: "code?", hash });
  };
  model.on("msg:custom", onMessage);
  const timer = setInterval(ask, RETRY_MS);
  ask();
  return entry.promise;
}

export default {
  /** @param {{model: any}} args */
  initialize({ model }) {
    // Not awaited (see the top of this file). Registered before any render's continuation, so the
    // view's own initialize runs first once the code is in.
    loadView(model)
      .then((view) => view.default.initialize?.({ model }))
      .catch((error) => console.error("axio_nb: could not load the stream view", error));
  },

  /** @param {{model: any, el: HTMLElement}} args */
  async render({ model, el }) {
    const view = await loadView(model);
    return view.default.render({ model, el });
  },
};
