/** The benchmark hook at `el.__axioNbPerf`: render time per frame, and when each ops message reached the DOM. */

export const PERF_LIMIT = 10_000;

/**
 * @typedef {{frames: number[], applied: {seq: number, t: number}[]}} PerfLog
 *   `frames`: ms per render; `applied[i].t`: epoch ms (performance.timeOrigin + performance.now())
 *   when the frame holding ops message `seq` finished writing the DOM.
 */

/** @returns {PerfLog} */
export function createPerfLog() {
  return { frames: [], applied: [] };
}

/**
 * Push keeping the last PERF_LIMIT entries: a long session must not grow without bound.
 * @template T
 * @param {T[]} arr
 * @param {T} value
 */
export function pushBounded(arr, value) {
  arr.push(value);
  if (arr.length > PERF_LIMIT) arr.splice(0, arr.length - PERF_LIMIT);
}
