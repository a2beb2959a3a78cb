/**
 * Adds an AudioWorklet module given as source text, once per AudioContext.
 *
 * axio_nb's code reaches the page as bundles the kernel sends by name, imported from Blob URLs
 * (widgets/PROTOCOL.md, "the shared loader"): there is no URL a worklet file could be fetched from
 * relative to the module. So each processor's source is a string in its module, turned into a Blob URL
 * here; `audioWorklet.addModule` accepts those.
 */

/**
 * The modules added to each context. Page-wide under a registered symbol: every axio_nb bundle has its own
 * copy of this module, and a context they share (page-context.js) must not get a processor twice
 * (`registerProcessor` refuses a name it has).
 * @type {WeakMap<BaseAudioContext, Map<string, Promise<void>>>}
 */
const added = (/** @type {Record<symbol, any>} */ (/** @type {unknown} */ (globalThis))[
  Symbol.for("axio_nb.worklets")
] ??= new WeakMap());

/**
 * @param {BaseAudioContext} context
 * @param {string} name the processor's registered name (one module per name)
 * @param {string} source the module's text; it must call `registerProcessor(name, …)`
 * @returns {Promise<void>}
 */
export function addWorklet(context, name, source) {
  let modules = added.get(context);
  if (!modules) added.set(context, (modules = new Map()));
  let promise = modules.get(name);
  if (!promise) {
    if (!context.audioWorklet) {
      const message = "axio_nb: this browser has no AudioWorklet (Web Audio needs https or localhost)";
      return Promise.reject(new Error(message));
    }
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    promise = context.audioWorklet.addModule(url).finally(() => URL.revokeObjectURL(url));
    // A failed load may be retried by the next caller.
    promise.catch(() => modules.delete(name));
    modules.set(name, promise);
  }
  return promise;
}
