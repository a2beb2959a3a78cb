/**
 * A finished audio stream as one clip for an `<audio>` element: raw PCM16 becomes WAV (a normal, seekable
 * file), compressed formats keep their bytes. This is the whole path for compressed formats, which are not
 * streamed (`player.js` says why). `parseWav` finds the PCM in a streamed WAV (OpenAI's `wav` speech
 * format), whose header is written before the length is known, so that its body can go to the player.
 */
import { byteView, pcmFormat } from "./pcm.js";

/**
 * The 44-byte header of a PCM16 WAV file (RIFF, WAVE_FORMAT_PCM).
 * @param {{sampleRate: number, channels: number, dataBytes: number}} format
 * @returns {ArrayBuffer}
 */
export function wavHeader({ sampleRate, channels, dataBytes }) {
  const buffer = new ArrayBuffer(44);
  const view = new DataView(buffer);
  const ascii = (/** @type {number} */ at, /** @type {string} */ s) => {
    for (let i = 0; i < s.length; i++) view.setUint8(at + i, s.charCodeAt(i));
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
  return buffer;
}

/**
 * @typedef {{format: number, sampleRate: number, channels: number, bitsPerSample: number,
 *   dataOffset: number, dataBytes: number}} WavInfo
 *   `format` is the WAVE format tag (1 = PCM, 3 = float; WAVE_FORMAT_EXTENSIBLE is resolved to its subformat).
 */

/**
 * Reads a WAV file's `fmt ` and `data` chunks, skipping any others (LIST, fact…). A `data` size larger
 * than the file (a header written before the stream's length was known) is cut to what is there.
 * @param {ArrayBuffer | ArrayBufferView} file
 * @returns {WavInfo}
 */
export function parseWav(file) {
  const bytes = byteView(file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (/** @type {number} */ at) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") throw new Error("axio_nb: not a RIFF/WAVE file");
  /** @type {Omit<WavInfo, "dataOffset" | "dataBytes"> | null} */
  let fmt = null;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === "fmt ") {
      let format = view.getUint16(body, true);
      if (format === 0xfffe && size >= 26) format = view.getUint16(body + 24, true);
      fmt = {
        format,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === "data") {
      if (!fmt) throw new Error("axio_nb: WAV data chunk before its fmt chunk");
      return { ...fmt, dataOffset: body, dataBytes: Math.min(size, bytes.length - body) };
    }
    at = body + size + (size % 2);
  }
  throw new Error("axio_nb: WAV file without a data chunk");
}

/**
 * A WAV file of PCM16 chunks (split anywhere; a trailing partial frame is dropped), for an `<audio>`
 * element that can seek once the stream is over.
 * @param {(ArrayBuffer | ArrayBufferView)[]} chunks
 * @param {number} [sampleRate]
 * @param {number} [channels]
 * @returns {Blob}
 */
export function pcm16ToWav(chunks, sampleRate = 24000, channels = 1) {
  const parts = chunks.map(byteView);
  const bytes = parts.reduce((n, part) => n + part.length, 0);
  const dataBytes = bytes - (bytes % (2 * channels));
  const data = new Blob(/** @type {BlobPart[]} */ (parts)).slice(0, dataBytes);
  return new Blob([wavHeader({ sampleRate, channels, dataBytes }), data], { type: "audio/wav" });
}

/**
 * The whole clip of a finished stream as a Blob an `<audio>` element plays: raw PCM
 * (`audio/pcm;rate=…;channels=…`) becomes WAV, anything else keeps its bytes and type.
 * @param {(ArrayBuffer | ArrayBufferView)[]} chunks
 * @param {string} mediaType
 * @returns {Blob}
 */
export function audioBlob(chunks, mediaType) {
  const pcm = pcmFormat(mediaType);
  if (pcm) return pcm16ToWav(chunks, pcm.sampleRate, pcm.channels);
  const type = String(mediaType).split(";")[0].trim().toLowerCase();
  const parts = /** @type {BlobPart[]} */ (chunks.map(byteView));
  return new Blob(parts, { type: /^audio\/[\w.+-]+$/.test(type) ? type : "" });
}
