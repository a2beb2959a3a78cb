/**
 * One view of a transcript store: blocks plus the chrome around them (waiting indicator, Stop, copy,
 * footer). The store changes at message rate; the DOM changes at most once per animation frame.
 */
import { AutoScroll } from "./autoscroll.js";
import { notePlace } from "./place.js";
import { createBlockView } from "./blocks.js";
import { copyText } from "./clipboard.js";
import { button, h, show } from "./dom.js";
import { arrivedSamples, createPending } from "./pending.js";
import { Footer } from "./footer.js";
import { createPerfLog, pushBounded } from "./perf.js";
import { BlockKind } from "./protocol.js";
import { speechFor } from "./speech-out.js";

/**
 * @typedef {import("./store.js").TranscriptStore} TranscriptStore
 * @typedef {import("./blocks.js").BlockView} BlockView
 * @typedef {{el: HTMLElement, store: TranscriptStore, send: (msg: object) => void}} ViewOptions
 */

/** Block kinds a tool's result may carry (shown under its card). */
const MEDIA = new Set([BlockKind.image, BlockKind.audio, BlockKind.video]);

/** A kernel clock further off than this from the browser's is ignored for the waiting timer. */
const MAX_SKEW_MS = 24 * 3600 * 1000;

/**
 * Seconds to show in the waiting indicator.
 * @param {unknown} startedAt kernel epoch ms (meta.started_at)
 * @param {number} nowEpoch browser epoch ms
 * @param {number} viewStartEpoch when this view rendered (epoch ms)
 */
export function waitingSeconds(startedAt, nowEpoch, viewStartEpoch) {
  const ok = typeof startedAt === "number" && Math.abs(nowEpoch - startedAt) < MAX_SKEW_MS;
  const from = ok ? /** @type {number} */ (startedAt) : viewStartEpoch;
  return Math.max(0, Math.floor((nowEpoch - from) / 1000));
}

/**
 * @param {ViewOptions} opts
 * @returns {{destroy(): void, flush(): void, root: HTMLElement}}
 */
export function createStreamView({ el, store, send }) {
  const doc = el.ownerDocument;
  const win = /** @type {Window & typeof globalThis} */ (doc.defaultView ?? globalThis);
  const perfNow = () => win.performance.now();
  const viewStart = Date.now();

  const root = h(doc, "div", "axio-nb-stream");
  root.setAttribute("role", "region");
  root.setAttribute("aria-label", "Agent output");
  const blocksEl = h(doc, "div", "axio-nb-blocks");
  const bar = h(doc, "div", "axio-nb-bar");
  const waiting = h(doc, "div", "axio-nb-waiting", "waiting… ");
  waiting.setAttribute("role", "status");
  waiting.hidden = true;
  // The seconds tick every second: announced once as "waiting…", not read out at each tick.
  const waitingSecs = h(doc, "span", "axio-nb-waiting-seconds");
  waitingSecs.setAttribute("aria-hidden", "true");
  waiting.append(waitingSecs);
  /** @type {Set<() => void>} what Stop cuts in the page itself (speech playing) */
  const stoppers = new Set();
  const stop = button(doc, "axio-nb-stop", "Stop", "Stop generating", () => {
    for (const cut of stoppers) cut();
    send({ type: "stop" });
    stop.disabled = true;
    stop.textContent = "Stopping…";
  });
  stop.hidden = true;
  const copyAnswer = button(doc, "axio-nb-copy-answer", "Copy answer", "Copy the whole answer", () => {
    void copy(copyAnswer, store.answerText());
  });
  copyAnswer.hidden = true;
  bar.append(waiting, stop, copyAnswer);
  const pending = createPending(doc);
  const footer = new Footer(doc);
  const sentinel = h(doc, "div", "axio-nb-sentinel");
  sentinel.setAttribute("aria-hidden", "true");
  root.append(blocksEl, pending.el, bar, footer.el, sentinel);
  el.replaceChildren(root);

  const perf = createPerfLog();
  /** @type {any} */ (el).__axioNbPerf = perf;

  /** @type {Set<string>} */
  const urls = new Set();
  const ctx = {
    live: !store.finished,
    stoppers,
    speech: speechFor(store),
    /** @param {number} id @param {number} from */
    textSince: (id, from) => store.textSince(id, from),
    urls: {
      /** @param {Blob} blob */
      create(blob) {
        const url = win.URL.createObjectURL(blob);
        urls.add(url);
        return url;
      },
      /** @param {string} url */
      revoke(url) {
        if (urls.delete(url)) win.URL.revokeObjectURL(url);
      },
    },
  };

  /** @type {Map<number, BlockView>} */
  const views = new Map();
  /** @type {Set<number>} */
  const timeouts = new Set();
  const scroller = new AutoScroll(sentinel, root);
  scroller.onmeasure = notePlace;

  let dirtyAll = true;
  let metaDirty = true;
  /** @type {Set<number>} */
  const dirtyIds = new Set();
  /** @type {number[]} */
  const pendingSeqs = [];
  let frameId = 0;
  /** Whether `frameId` came from requestAnimationFrame (else setTimeout, where there is none). */
  let frameIsRaf = false;
  let tickId = 0;
  let lastLive = /** @type {boolean | null} */ (null);
  let lastFinished = /** @type {boolean | null} */ (null);
  let destroyed = false;

  /**
   * @param {HTMLButtonElement} btn
   * @param {string} text
   */
  async function copy(btn, text) {
    const ok = await copyText(doc, text);
    if (destroyed) return;
    const label = btn.dataset.label ?? btn.textContent ?? "";
    btn.dataset.label = label;
    btn.textContent = ok ? "Copied" : "Copy failed";
    const id = win.setTimeout(() => {
      timeouts.delete(id);
      btn.textContent = label;
    }, 1200);
    timeouts.add(id);
  }

  // Code-block copy buttons live inside sanitised markdown HTML: one delegated listener serves them all.
  root.addEventListener("click", (ev) => {
    const target = /** @type {Element | null} */ (ev.target);
    const btn = target?.closest?.(".axio-nb-copy-code");
    if (!btn || !root.contains(btn)) return;
    const code = btn.closest(".axio-nb-code")?.querySelector("code");
    void copy(/** @type {HTMLButtonElement} */ (btn), code?.textContent ?? "");
  });

  const unsubscribe = store.subscribe((change) => {
    if (change.reset) dirtyAll = true;
    for (const id of change.ids) dirtyIds.add(id);
    if (change.meta) metaDirty = true;
    if (!change.reset) pushBounded(pendingSeqs, change.seq);
    schedule();
  });

  function schedule() {
    if (frameId || destroyed) return;
    frameIsRaf = typeof win.requestAnimationFrame === "function";
    frameId = frameIsRaf ? win.requestAnimationFrame(frame) : win.setTimeout(frame, 16);
  }

  function cancelFrame() {
    if (!frameId) return;
    if (frameIsRaf) win.cancelAnimationFrame(frameId);
    else win.clearTimeout(frameId);
    frameId = 0;
  }

  function frame() {
    frameId = 0;
    const t0 = perfNow();
    render();
    const t1 = perfNow();
    pushBounded(perf.frames, t1 - t0);
    if (pendingSeqs.length) {
      const t = win.performance.timeOrigin + t1;
      for (const seq of pendingSeqs) pushBounded(perf.applied, { seq, t });
      pendingSeqs.length = 0;
    }
  }

  function render() {
    const live = store.live;
    const finished = store.finished;
    ctx.live = !finished;
    const liveChanged = live !== lastLive || finished !== lastFinished;
    lastLive = live;
    lastFinished = finished;
    let structural = dirtyAll;
    const ids = dirtyAll || liveChanged ? store.blocks.map((b) => b.id) : [...dirtyIds];
    if (dirtyAll) {
      for (const [id, view] of views) {
        if (!store.byId.has(id)) removeView(id, view);
      }
    }
    for (const id of ids) {
      const block = store.byId.get(id);
      if (!block) continue;
      let view = views.get(id);
      if (view && view.kind !== block.kind) {
        removeView(id, view);
        view = undefined;
      }
      if (!view) {
        view = createBlockView(doc, block, ctx);
        views.set(id, view);
        structural = true;
      }
      try {
        view.renderer.update(block, ctx);
        // Media a tool returned hangs under that tool's card (the fold marks it when the result comes).
        view.el.classList.toggle(
          "axio-nb-tool-media",
          MEDIA.has(block.kind) && typeof block.tool_use_id === "string",
        );
        // A media turn's grid shows sample k in place k, whichever call finished first (as the snapshot does).
        if (MEDIA.has(block.kind) && Number.isInteger(block.index) && store.meta.expected) {
          view.el.style.order = String(block.index);
        }
      } catch (err) {
        // One malformed block must not stop the rest of the answer from rendering.
        console.error(`axio_nb: cannot render block ${id} (${block.kind})`, err);
      }
    }
    dirtyIds.clear();
    dirtyAll = false;
    if (structural) orderBlocks();
    if (metaDirty || liveChanged || structural) renderChrome(live);
    metaDirty = false;
    if (ctx.live || liveChanged) scroller.follow();
  }

  /** Put block elements in store order, moving only those out of place (moving blurs focus). */
  function orderBlocks() {
    let cursor = blocksEl.firstChild;
    for (const block of store.blocks) {
      const view = views.get(block.id);
      if (!view) continue;
      if (view.el === cursor) cursor = cursor.nextSibling;
      else blocksEl.insertBefore(view.el, cursor);
    }
  }

  /** @param {number} id @param {BlockView} view */
  function removeView(id, view) {
    view.renderer.destroy?.();
    view.el.remove();
    views.delete(id);
  }

  /** @param {boolean} live */
  function renderChrome(live) {
    const meta = store.meta;
    const expected = typeof meta.expected === "number" ? meta.expected : 0;
    root.classList.toggle("axio-nb-media-turn", expected > 0);
    // A media turn shows its placeholders (with the seconds) instead of the waiting line.
    const isWaiting = expected === 0 && store.blocks.length === 0 && (live || meta.status === undefined);
    show(waiting, isWaiting);
    const ticking = isWaiting || (live && expected > arrivedSamples(store.blocks));
    if (ticking && !tickId) {
      tickId = win.setInterval(tickWaiting, 1000);
    } else if (!ticking && tickId) {
      win.clearInterval(tickId);
      tickId = 0;
    }
    tickWaiting();
    if (live && stop.hidden) {
      stop.disabled = false;
      stop.textContent = "Stop";
    }
    show(stop, live);
    show(copyAnswer, store.blocks.some((b) => b.kind === "text" && typeof b.text === "string" && b.text.trim()));
    root.dataset.status = typeof meta.status === "string" ? meta.status : "";
    blocksEl.setAttribute("aria-busy", String(live));
    footer.update(meta);
  }

  function tickWaiting() {
    const s = waitingSeconds(store.meta.started_at, Date.now(), viewStart);
    waitingSecs.textContent = `${s}s`;
    const expected = typeof store.meta.expected === "number" ? store.meta.expected : 0;
    pending.update(expected, arrivedSamples(store.blocks), !store.finished, s);
  }

  schedule();

  return {
    root,
    /** Render pending changes now (tests; a benchmark may also force a frame). */
    flush() {
      cancelFrame();
      frame();
    },
    destroy() {
      destroyed = true;
      unsubscribe();
      cancelFrame();
      if (tickId) win.clearInterval(tickId);
      tickId = 0;
      for (const id of timeouts) win.clearTimeout(id);
      timeouts.clear();
      scroller.detach();
      for (const [id, view] of views) removeView(id, view);
      for (const url of urls) win.URL.revokeObjectURL(url);
      urls.clear();
    },
  };
}
