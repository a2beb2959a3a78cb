/** The transcript store: applies `ops`/`state` messages from the kernel in seq order (PROTOCOL.md). */
import { BlockKind, LIVE } from "./protocol.js";

/**
 * @typedef {{id: number, kind: string, [field: string]: any}} Block
 * @typedef {Record<string, any>} Meta
 * @typedef {{op: string, id?: number, path?: string[], text?: string, value?: any, block?: Block,
 *   start?: number, size?: number, buffer?: number}} Op
 * @typedef {{type: "ops", seq: number, ops: Op[]} | {type: "state", seq: number, blocks: Block[], meta: Meta}} KernelMsg
 * @typedef {{reset: boolean, seq: number, ids: Set<number>, meta: boolean}} Change
 *   `reset`: everything was replaced (a `state`); otherwise `ids` lists the blocks touched and `meta`
 *   whether meta changed.
 * @typedef {ArrayBuffer | ArrayBufferView} Buffer
 */

/** Keys that would let an untrusted path reach prototypes. */
const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);

/**
 * Take media bytes out of a message: a block carries `buffer: k`, its bytes are `buffers[k]` (and a video
 * `poster_buffer: j`, its poster's). The stored block keeps them as `bytes` (`posterBytes`) and drops the
 * indexes, which mean nothing outside their message.
 * @param {Block} block
 * @param {Buffer[] | undefined} buffers
 * @returns {Block}
 */
export function adoptBlock(block, buffers) {
  const copy = structuredCloneSafe(block);
  if (typeof copy.buffer === "number") {
    const buf = buffers?.[copy.buffer];
    if (buf) copy.bytes = buf;
    delete copy.buffer;
  }
  // A video's poster (its first frame) comes in a buffer of its own; `poster` is its media type.
  if (typeof copy.poster_buffer === "number") {
    const buf = buffers?.[copy.poster_buffer];
    if (buf) copy.posterBytes = buf;
    delete copy.poster_buffer;
  }
  return copy;
}

/**
 * @template T
 * @param {T} v
 * @returns {T}
 */
function structuredCloneSafe(v) {
  // Blocks are plain JSON from the wire; a JSON copy keeps the store from sharing objects with the message.
  return JSON.parse(JSON.stringify(v));
}

/**
 * Walk `path` inside `target`, creating objects as needed, and return the parent and final key.
 * @param {Record<string, any>} target
 * @param {string[]} path
 * @returns {[Record<string, any>, string] | null}
 */
function walk(target, path) {
  if (!Array.isArray(path) || path.length === 0) return null;
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = String(path[i]);
    if (FORBIDDEN.has(key)) return null;
    const next = node[key];
    if (next === null || typeof next !== "object") node[key] = {};
    node = node[key];
  }
  const last = String(path[path.length - 1]);
  return FORBIDDEN.has(last) ? null : [node, last];
}

/** Pieces kept per block in the append log: far more than a view falls behind between two frames. */
const LOG_PIECES = 512;

export class TranscriptStore {
  /** @param {{send?: (msg: object) => void}} [opts] send reaches the kernel (model.send) */
  constructor(opts = {}) {
    /** @type {Block[]} */
    this.blocks = [];
    /** @type {Map<number, Block>} */
    this.byId = new Map();
    /** @type {Meta} */
    this.meta = {};
    /** Seq of the last applied ops message (or the seq a state carried). */
    this.seq = 0;
    /** Set after a gap: a `resync` went out and the store waits for a `state`. */
    this.awaitingState = false;
    this.send = opts.send ?? (() => {});
    /** @type {Set<(change: Change) => void>} */
    this.listeners = new Set();
    /**
     * The latest pieces appended to each block's `text`, so that a renderer can take what is new without
     * reading the whole text (which would make V8 copy all of it into one flat string every frame).
     * @type {Map<number, {start: number, end: number, pieces: string[]}>}
     */
    this.appendLog = new Map();
  }

  /**
   * What was appended to block `id`'s `text` after its first `from` characters, or null if this store
   * no longer knows (or `from` is not a length the text had): then read the whole text.
   * @param {number} id
   * @param {number} from
   * @returns {string | null}
   */
  textSince(id, from) {
    const log = this.appendLog.get(id);
    if (!log || from < log.start || from > log.end) return null;
    const out = [];
    let at = log.end;
    for (let i = log.pieces.length - 1; i >= 0 && at > from; i--) {
      const piece = log.pieces[i];
      at -= piece.length;
      out.push(at >= from ? piece : piece.slice(from - at));
    }
    return out.reverse().join("");
  }

  /**
   * @param {number} id
   * @param {number} before the text's length before this append
   * @param {string} piece
   */
  logAppend(id, before, piece) {
    const log = this.appendLog.get(id);
    if (!log || log.end !== before) {
      this.appendLog.set(id, { start: before, end: before + piece.length, pieces: [piece] });
      return;
    }
    log.pieces.push(piece);
    log.end += piece.length;
    if (log.pieces.length > LOG_PIECES) {
      for (const gone of log.pieces.splice(0, log.pieces.length - LOG_PIECES / 2)) log.start += gone.length;
    }
  }

  /**
   * @param {(change: Change) => void} fn
   * @returns {() => void} unsubscribe
   */
  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Handle one custom message from the kernel. Unknown message types are ignored: other widgets'
   * traffic, or a newer kernel, must not break the view.
   * @param {any} msg
   * @param {Buffer[]} [buffers]
   * @returns {"applied" | "stale" | "gap" | "ignored"}
   */
  receive(msg, buffers) {
    if (!msg || typeof msg !== "object") return "ignored";
    if (msg.type === "state") return this.applyState(msg, buffers);
    if (msg.type === "ops") return this.applyOps(msg, buffers);
    return "ignored";
  }

  /**
   * @param {{seq: number, ops: Op[]}} msg
   * @param {Buffer[]} [buffers]
   */
  applyOps(msg, buffers) {
    const seq = Number(msg.seq);
    if (!Number.isFinite(seq) || seq <= this.seq) return "stale";
    if (seq !== this.seq + 1) {
      if (!this.awaitingState) {
        this.awaitingState = true;
        this.send({ type: "resync", seq: this.seq });
      }
      return "gap";
    }
    /** @type {Change} */
    const change = { reset: false, seq, ids: new Set(), meta: false };
    for (const op of Array.isArray(msg.ops) ? msg.ops : []) this.applyOp(op, buffers, change);
    this.seq = seq;
    this.emit(change);
    return "applied";
  }

  /**
   * @param {Op} op
   * @param {Buffer[] | undefined} buffers
   * @param {Change} change
   */
  applyOp(op, buffers, change) {
    if (!op || typeof op !== "object") return;
    switch (op.op) {
      case "open": {
        const block = op.block;
        if (!block || typeof block.id !== "number") return;
        const stored = adoptBlock(block, buffers);
        const old = this.byId.get(stored.id);
        this.appendLog.delete(stored.id);
        if (old) this.blocks[this.blocks.indexOf(old)] = stored;
        else this.blocks.push(stored);
        this.byId.set(stored.id, stored);
        change.ids.add(stored.id);
        return;
      }
      case "append":
      case "set": {
        const block = typeof op.id === "number" ? this.byId.get(op.id) : undefined;
        const slot = block && walk(block, /** @type {string[]} */ (op.path));
        if (!block || !slot) return;
        const [parent, key] = slot;
        if (op.op === "append") {
          const prev = typeof parent[key] === "string" ? parent[key] : "";
          const piece = typeof op.text === "string" ? op.text : "";
          parent[key] = prev + piece;
          if (parent === block && key === "text") this.logAppend(block.id, prev.length, piece);
        } else {
          parent[key] = op.value;
        }
        change.ids.add(block.id);
        return;
      }
      case "chunk": {
        // Streamed audio (PROTOCOL.md): the op's buffer is bytes `start`.. of the block's media. The
        // block keeps what a `state` or `open` gave as `bytes`, and each chunk after it, in order.
        const block = typeof op.id === "number" ? this.byId.get(op.id) : undefined;
        const buf = typeof op.buffer === "number" ? buffers?.[op.buffer] : undefined;
        if (!block || !buf || typeof op.start !== "number") return;
        const bytes = ArrayBuffer.isView(buf)
          ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
          : new Uint8Array(buf);
        (block.chunks ??= []).push(bytes);
        block.size = op.start + bytes.byteLength;
        change.ids.add(block.id);
        return;
      }
      case "meta":
        if (op.value && typeof op.value === "object") {
          Object.assign(this.meta, op.value);
          change.meta = true;
        }
        return;
      default:
        // A newer kernel may send ops this view predates; skipping one keeps the rest of the stream alive.
        return;
    }
  }

  /**
   * A state replaces everything. One older than what was applied is stale: the channel is ordered,
   * so it was built before ops this store already holds.
   * @param {{seq: number, blocks: Block[], meta: Meta}} msg
   * @param {Buffer[]} [buffers]
   */
  applyState(msg, buffers) {
    const seq = Number(msg.seq);
    if (!Number.isFinite(seq) || seq < this.seq) return "stale";
    const blocks = (Array.isArray(msg.blocks) ? msg.blocks : [])
      .filter((b) => b && typeof b.id === "number")
      .map((b) => adoptBlock(b, buffers));
    this.blocks = blocks;
    this.byId = new Map(blocks.map((b) => [b.id, b]));
    this.appendLog.clear();
    this.meta = msg.meta && typeof msg.meta === "object" ? { ...msg.meta } : {};
    this.seq = seq;
    this.awaitingState = false;
    this.emit({ reset: true, seq, ids: new Set(), meta: true });
    return "applied";
  }

  /** @param {Change} change */
  emit(change) {
    for (const fn of this.listeners) fn(change);
  }

  /** Tell the kernel which seq this store holds; it answers with a `state` if that is behind. */
  hello() {
    this.send({ type: "hello", seq: this.seq });
  }

  /** @returns {boolean} whether the stream is still producing */
  get live() {
    return LIVE.has(this.meta.status);
  }

  /**
   * The stream has ended (done, error, interrupted, …). An absent status counts as not ended: text
   * is then rendered tail-only, which stays cheap however long the stream runs.
   * @returns {boolean}
   */
  get finished() {
    const s = this.meta.status;
    return typeof s === "string" && !LIVE.has(s);
  }

  /** @returns {string} every text block joined: what "copy answer" copies */
  answerText() {
    return this.blocks
      .filter((b) => b.kind === BlockKind.text && typeof b.text === "string" && b.text)
      .map((b) => b.text)
      .join("\n\n");
  }
}
