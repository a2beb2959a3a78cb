/**
 * One AudioContext for the page's speech, kept between cells.
 *
 * A context of its own per speech cell cost each cell the context's start and the worklet module's
 * load (`addModule` of a Blob URL) before its first sound: 40–100 ms of the 150 ms that speech may take
 * from its first chunk to the speakers (bench/media.py, BENCHMARKS.md "TTS"). One context, whose worklet
 * module stays loaded, leaves a cell only the output device's latency. It also asks for a click once
 * per page, not once per cell, when the browser holds audio until a user gesture.
 *
 * The context lives under a registered symbol, so every axio_nb bundle on the page finds the same one
 * (each bundle has its own copy of this module). With nothing playing for `IDLE_MS` it is suspended,
 * so an idle notebook does not keep the audio device running; the next hold resumes it (allowed once
 * the page has had a user gesture; until then players report `suspended` and show "Click to play").
 */

const KEY = Symbol.for("axio_nb.pageAudio");
/** Suspend the context after this long with no holder. */
export const IDLE_MS = 60_000;

/**
 * @typedef {{context: AudioContext, holders: number, idle: ReturnType<typeof setTimeout> | null}} PageAudio
 */

/** @returns {PageAudio | null} */
function current() {
  const g = /** @type {Record<symbol, any>} */ (/** @type {unknown} */ (globalThis));
  const entry = /** @type {PageAudio | undefined} */ (g[KEY]);
  if (entry && entry.context.state !== "closed") return entry;
  if (typeof globalThis.AudioContext !== "function") return null;
  const made = { context: new AudioContext({ latencyHint: "interactive" }), holders: 0, idle: null };
  g[KEY] = made;
  return made;
}

/**
 * Hold the page's AudioContext while something plays through it.
 * @returns {{context: AudioContext, release: () => void} | null} null where there is no Web Audio
 */
export function holdPageAudio() {
  const entry = current();
  if (!entry) return null;
  entry.holders += 1;
  if (entry.idle !== null) clearTimeout(entry.idle);
  entry.idle = null;
  if (entry.context.state === "suspended") entry.context.resume().catch(() => {});
  let held = true;
  return {
    context: entry.context,
    release() {
      if (!held) return;
      held = false;
      entry.holders -= 1;
      if (entry.holders > 0) return;
      entry.idle = setTimeout(() => {
        entry.idle = null;
        if (entry.holders === 0 && entry.context.state === "running") entry.context.suspend().catch(() => {});
      }, IDLE_MS);
    },
  };
}
