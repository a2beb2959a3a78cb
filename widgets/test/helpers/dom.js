// A jsdom window shared by the DOM tests, wired in as the sanitiser's window.
import { JSDOM } from "jsdom";
import { setSanitizerWindow } from "../../src/lib/sanitize.js";

export const dom = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true });
export const win = /** @type {any} */ (dom.window);
export const doc = win.document;
setSanitizerWindow(win);

// jsdom has no Blob URLs; count them so tests can check that every one is revoked.
export const blobUrls = new Set();
let next = 0;
win.URL.createObjectURL = () => {
  const url = `blob:axio-nb-test/${++next}`;
  blobUrls.add(url);
  return url;
};
win.URL.revokeObjectURL = (/** @type {string} */ url) => blobUrls.delete(url);

/** A fresh container attached to the document. */
export function container() {
  const el = doc.createElement("div");
  doc.body.appendChild(el);
  return el;
}

/**
 * A stand-in for anywidget's model proxy: `on`/`send` like the real one, `emit` plays the kernel.
 * Each call of `proxy()` returns a new object, as anywidget gives initialize and each render their own.
 */
export function fakeModel() {
  /** @type {Map<string, Function[]>} */
  const handlers = new Map();
  /** @type {object[]} */
  const sent = [];
  // The page deserialises a widget's state once: every proxy's `get` returns the same `_bundles` object.
  const bundles = { stream: "h" };
  const model = {
    sent,
    /** @param {object} msg @param {any[]} [buffers] */
    emit(msg, buffers = []) {
      for (const fn of handlers.get("msg:custom") ?? []) fn(msg, buffers);
    },
    proxy() {
      return {
        get: (/** @type {string} */ key) => (key === "_bundles" ? bundles : undefined),
        set() {
          throw new Error("the view must not use model.set");
        },
        save_changes() {
          throw new Error("the view must not use save_changes");
        },
        send: (/** @type {object} */ msg) => sent.push(msg),
        on(/** @type {string} */ name, /** @type {Function} */ fn) {
          handlers.set(name, [...(handlers.get(name) ?? []), fn]);
        },
        off() {},
      };
    },
  };
  return model;
}

/** Seeded PRNG (mulberry32): random but repeatable test streams. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
