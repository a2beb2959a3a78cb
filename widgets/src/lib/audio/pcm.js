/**
 * Pure PCM helpers shared by the streaming player (`player.js`) and the microphone capture (`capture.js`):
 * sample conversion, a resampler that keeps its phase across chunks, RMS, and the ring buffer the
 * player's AudioWorklet reads from. No DOM and no Web Audio here, so `node --test` runs it.
 *
 * PCM16 is signed 16-bit little-endian, channels interleaved: what axio's realtime transports and
 * OpenAI's `pcm` speech format send ("audio/pcm;rate=24000"). Network chunks split it at arbitrary
 * bytes, so `PcmFramer` carries a partial frame over to the next chunk.
 */

/**
 * The sample rate and channel count of a raw PCM16 media type (`audio/pcm;rate=24000;channels=1`),
 * or null for anything else (a compressed or containered format: WAV, mp3, opus…).
 * `audio/L16` is left out on purpose: RFC 2586 makes it big-endian.
 * @param {string} mediaType
 * @param {{sampleRate?: number, channels?: number}} [defaults] used when a parameter is absent
 * @returns {{sampleRate: number, channels: number} | null}
 */
export function pcmFormat(mediaType, { sampleRate = 24000, channels = 1 } = {}) {
  const [type, ...params] = String(mediaType).split(";");
  if (type.trim().toLowerCase() !== "audio/pcm") return null;
  let rate = sampleRate;
  let count = channels;
  for (const param of params) {
    const [key, value] = param.split("=").map((s) => s.trim().toLowerCase());
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) continue;
    if (key === "rate") rate = n;
    else if (key === "channels") count = n;
  }
  return { sampleRate: rate, channels: count };
}

/**
 * Float samples in [-1, 1] → PCM16 (clamped, rounded; -1 → -32768, 1 → 32767).
 * @param {Float32Array} samples
 * @returns {Int16Array}
 */
export function floatToPcm16(samples) {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    out[i] = s >= 1 ? 32767 : s <= -1 ? -32768 : Math.round(s < 0 ? s * 32768 : s * 32767);
  }
  return out;
}

/**
 * PCM16 → float samples in [-1, 1).
 * @param {Int16Array} samples
 * @returns {Float32Array}
 */
export function pcm16ToFloat(samples) {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i] / 32768;
  return out;
}

/**
 * Little-endian PCM16 bytes → samples, whatever the alignment of the view.
 * @param {ArrayBuffer | ArrayBufferView} chunk
 * @returns {Uint8Array}
 */
export function byteView(chunk) {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return new Uint8Array(chunk);
}

/**
 * Cuts a byte stream of interleaved PCM16 into whole frames. A chunk may end inside a sample or a frame
 * (an HTTP body is split wherever the network split it); those bytes wait for the next chunk.
 */
export class PcmFramer {
  /** @param {number} [channels] */
  constructor(channels = 1) {
    this.frameBytes = 2 * channels;
    /** Bytes of an incomplete frame from the previous chunk. */
    this.carry = new Uint8Array(0);
  }

  /**
   * @param {ArrayBuffer | ArrayBufferView} chunk
   * @returns {Int16Array} the whole frames now available, interleaved
   */
  push(chunk) {
    let bytes = byteView(chunk);
    if (this.carry.length) {
      const joined = new Uint8Array(this.carry.length + bytes.length);
      joined.set(this.carry);
      joined.set(bytes, this.carry.length);
      bytes = joined;
    }
    const whole = bytes.length - (bytes.length % this.frameBytes);
    this.carry = bytes.slice(whole);
    const out = new Int16Array(whole / 2);
    for (let i = 0, j = 0; i < out.length; i++, j += 2) out[i] = ((bytes[j] | (bytes[j + 1] << 8)) << 16) >> 16;
    return out;
  }

  /** Bytes held back for the next chunk. */
  get pending() {
    return this.carry.length;
  }
}

/**
 * Linear-interpolation resampler for interleaved float frames, fed chunk by chunk. It keeps the last
 * frame of a chunk and the fractional read position, so the output is the same however the input was
 * cut: no click or skipped sample at chunk borders. No anti-alias filter: downsampling folds what lies
 * above the new Nyquist frequency back in, which for speech at 48 → 24 kHz is little (and the browser's
 * own microphone path has usually band-limited it already).
 */
export class LinearResampler {
  /**
   * @param {number} from input rate (Hz)
   * @param {number} to output rate (Hz)
   * @param {number} [channels]
   */
  constructor(from, to, channels = 1) {
    if (!(from > 0 && to > 0)) throw new RangeError(`axio_nb: sample rates must be positive (got ${from} → ${to})`);
    this.from = from;
    this.to = to;
    this.channels = channels;
    /** Input frames per output frame. */
    this.step = from / to;
    /** Where the next output frame lies, in input frames from `prev` (index 0). */
    this.pos = 0;
    /** @type {Float32Array | null} the last input frame seen; null before the first chunk */
    this.prev = null;
  }

  /**
   * @param {Float32Array} input interleaved frames at `from`
   * @returns {Float32Array} interleaved frames at `to`
   */
  process(input) {
    const ch = this.channels;
    const frames = Math.floor(input.length / ch);
    if (this.from === this.to) return input.slice(0, frames * ch);
    if (frames === 0) return new Float32Array(0);
    // The virtual input is [prev, ...input]; before the first chunk it is the input alone.
    const prev = this.prev;
    const offset = prev ? 1 : 0;
    const last = frames - 1 + offset;
    /** @param {number} i @param {number} c */
    const at = (i, c) => (i < offset && prev ? prev[c] : input[(i - offset) * ch + c]);
    const count = Math.max(0, Math.ceil((last - this.pos) / this.step));
    const out = new Float32Array(count * ch);
    let pos = this.pos;
    for (let k = 0; k < count; k++, pos = this.pos + k * this.step) {
      const i = Math.floor(pos);
      const frac = pos - i;
      for (let c = 0; c < ch; c++) {
        const a = at(i, c);
        out[k * ch + c] = a + frac * (at(i + 1, c) - a);
      }
    }
    this.pos = this.pos + count * this.step - last;
    this.prev = input.slice((frames - 1) * ch, frames * ch);
    return out;
  }

  /**
   * The output frames that fall after the last input frame, holding its value: with them the output
   * lasts as long as the input did (`ceil(frames × to / from)` frames in all).
   * @returns {Float32Array}
   */
  flush() {
    const ch = this.channels;
    if (this.from === this.to || !this.prev) return new Float32Array(0);
    const count = Math.max(0, Math.ceil((1 - this.pos) / this.step));
    const out = new Float32Array(count * ch);
    for (let k = 0; k < count; k++) out.set(this.prev, k * ch);
    this.pos = 0;
    this.prev = null;
    return out;
  }
}

/**
 * Root mean square of float samples, or of PCM16 samples scaled to [-1, 1]; 0 for no samples.
 * @param {Float32Array | Int16Array} samples
 */
export function rms(samples) {
  if (!samples.length) return 0;
  const scale = samples instanceof Int16Array ? 1 / 32768 : 1;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] * scale;
    sum += s * s;
  }
  return Math.sqrt(sum / samples.length);
}

/**
 * A level in dB relative to full scale (a full-scale sine is about -3 dBFS); -Infinity for silence.
 * @param {number} level an RMS in 0..1
 */
export function dbfs(level) {
  return 20 * Math.log10(level);
}

/**
 * A fixed-size FIFO of float samples. The player's AudioWorklet runs this very class: its source is
 * written into the worklet module (`Function.prototype.toString`), so it must not refer to anything
 * outside itself. Nothing is allocated after construction (the audio thread must not collect garbage).
 */
export class RingBuffer {
  /** @param {number} capacity in samples */
  constructor(capacity) {
    this.data = new Float32Array(capacity);
    this.readAt = 0;
    this.available = 0;
  }

  get capacity() {
    return this.data.length;
  }

  /** Samples that can be written without overwriting unread ones. */
  get space() {
    return this.data.length - this.available;
  }

  /**
   * Appends as much of `src` as fits.
   * @param {Float32Array} src
   * @returns {number} samples written
   */
  write(src) {
    const cap = this.data.length;
    const n = Math.min(src.length, cap - this.available);
    const at = (this.readAt + this.available) % cap;
    const first = Math.min(n, cap - at);
    this.data.set(src.subarray(0, first), at);
    if (n > first) this.data.set(src.subarray(first, n), 0);
    this.available += n;
    return n;
  }

  /**
   * Moves up to `count` samples into `dst` from index 0.
   * @param {Float32Array} dst
   * @param {number} [count]
   * @returns {number} samples read
   */
  read(dst, count = dst.length) {
    const cap = this.data.length;
    const n = Math.min(count, dst.length, this.available);
    const first = Math.min(n, cap - this.readAt);
    dst.set(this.data.subarray(this.readAt, this.readAt + first), 0);
    if (n > first) dst.set(this.data.subarray(0, n - first), first);
    this.readAt = (this.readAt + n) % cap;
    this.available -= n;
    return n;
  }

  clear() {
    this.readAt = 0;
    this.available = 0;
  }
}
