import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rng } from "./helpers/dom.js";
import { CAPTURE_MESSAGES, CaptureError, captureError } from "../src/lib/audio/capture.js";
import { audioBlob, parseWav, pcm16ToWav, wavHeader } from "../src/lib/audio/clip.js";
import {
  LinearResampler,
  PcmFramer,
  RingBuffer,
  dbfs,
  floatToPcm16,
  pcm16ToFloat,
  pcmFormat,
  rms,
} from "../src/lib/audio/pcm.js";
import { PLAYER_WORKLET } from "../src/lib/audio/player-worklet.js";
import * as player from "../src/lib/audio/player.js";

/** @param {number} n @param {number} rate @param {number} hz */
function sine(n, rate, hz, amplitude = 0.5, phase = 0) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = amplitude * Math.sin(phase + (2 * Math.PI * hz * i) / rate);
  return out;
}

/**
 * Cuts `samples` into pieces of random lengths (0 included) at `channels`-sample boundaries.
 * @param {Float32Array} samples @param {() => number} random
 */
function randomCuts(samples, random, channels = 1, max = 700) {
  const pieces = [];
  for (let at = 0; at < samples.length; ) {
    const n = Math.min(samples.length - at, Math.floor(random() * max) * channels);
    pieces.push(samples.subarray(at, at + n));
    at += n;
  }
  return pieces;
}

/** @param {Float32Array[]} parts */
function concat(parts) {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe("PCM16 conversion", () => {
  it("maps full scale to the int16 ends and clamps beyond", () => {
    assert.deepEqual([...floatToPcm16(new Float32Array([-2, -1, -0.5, 0, 0.5, 1, 3]))], [
      -32768, -32768, -16384, 0, 16384, 32767, 32767,
    ]);
  });

  it("float → PCM16 → float is within two quantisation steps (rounding, and 32767 vs 32768 above 0)", () => {
    const x = sine(1000, 24000, 440, 0.9);
    const back = pcm16ToFloat(floatToPcm16(x));
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(back[i] - x[i]) <= 2 / 32768, `sample ${i}`);
  });

  it("rms and dbfs: a full-scale sine is -3 dBFS, PCM16 is scaled like floats", () => {
    const x = sine(48000, 48000, 1000, 1);
    assert.ok(Math.abs(dbfs(rms(x)) + 3.0103) < 0.01);
    assert.ok(Math.abs(rms(floatToPcm16(x)) - rms(x)) < 1e-4);
    assert.equal(rms(new Float32Array(0)), 0);
    assert.equal(dbfs(0), -Infinity);
  });
});

describe("PcmFramer: byte streams cut anywhere", () => {
  it("gives the same samples however the bytes were split, carrying partial frames", () => {
    const random = rng(7);
    for (const channels of [1, 2]) {
      const samples = floatToPcm16(sine(3000 * channels, 24000, 300, 0.8));
      const bytes = new Uint8Array(samples.buffer);
      const framer = new PcmFramer(channels);
      const out = [];
      for (let at = 0; at < bytes.length; ) {
        const n = Math.min(bytes.length - at, Math.floor(random() * 9));
        const got = framer.push(bytes.subarray(at, at + n));
        assert.equal(got.length % channels, 0);
        out.push(...got);
        at += n;
      }
      assert.equal(framer.pending, 0);
      assert.deepEqual(out, [...samples]);
    }
  });

  it("reads little-endian regardless of the view's alignment", () => {
    const buf = new Uint8Array([0xff, 0x01, 0x80, 0xff, 0x7f, 0x00]);
    assert.deepEqual([...new PcmFramer().push(buf.subarray(1, 5))], [-32767, 32767]);
    assert.deepEqual([...new PcmFramer().push(new Int16Array([-2, 3]))], [-2, 3]);
  });
});

describe("LinearResampler", () => {
  it("the output does not depend on how the input was cut (no clicks at chunk borders)", () => {
    const random = rng(11);
    for (const [from, to, channels] of [
      [24000, 48000, 1],
      [24000, 44100, 2],
      [48000, 24000, 1],
      [44100, 16000, 1],
      [22050, 24000, 2],
    ]) {
      const input = sine(5000 * channels, from, 440, 0.7);
      const whole = new LinearResampler(from, to, channels);
      const expected = concat([whole.process(input), whole.flush()]);
      const pieced = new LinearResampler(from, to, channels);
      const got = concat([...randomCuts(input, random, channels).map((p) => pieced.process(p)), pieced.flush()]);
      assert.equal(got.length, expected.length, `${from} → ${to}`);
      for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - expected[i]) < 1e-6, `${from} → ${to} @${i}`);
      assert.equal(expected.length / channels, Math.ceil((input.length / channels) * (to / from)));
    }
  });

  it("reproduces a tone at the new rate: same frequency, same level", () => {
    for (const [from, to] of [
      [24000, 48000],
      [24000, 44100],
      [48000, 24000],
    ]) {
      const resampler = new LinearResampler(from, to);
      const out = concat([resampler.process(sine(from, from, 440, 0.5)), resampler.flush()]);
      const ideal = sine(out.length, to, 440, 0.5);
      let err = 0;
      for (let i = 0; i < out.length - 1; i++) err = Math.max(err, Math.abs(out[i] - ideal[i]));
      assert.ok(err < 0.01, `${from} → ${to}: max error ${err}`);
      assert.ok(Math.abs(dbfs(rms(out)) - dbfs(rms(ideal))) < 0.1);
    }
  });

  it("passes audio at equal rates through, and rejects a rate of 0", () => {
    const r = new LinearResampler(24000, 24000);
    assert.deepEqual([...r.process(new Float32Array([0.1, 0.2]))], [...new Float32Array([0.1, 0.2])]);
    assert.equal(r.flush().length, 0);
    assert.throws(() => new LinearResampler(0, 24000), RangeError);
  });
});

describe("RingBuffer", () => {
  it("is a FIFO across the wrap, refusing what does not fit", () => {
    const ring = new RingBuffer(8);
    const dst = new Float32Array(8);
    assert.equal(ring.write(new Float32Array([1, 2, 3, 4, 5, 6])), 6);
    assert.equal(ring.read(dst, 4), 4);
    assert.deepEqual([...dst.subarray(0, 4)], [1, 2, 3, 4]);
    assert.equal(ring.write(new Float32Array([7, 8, 9, 10, 11, 12, 13])), 6);
    assert.equal(ring.space, 0);
    assert.equal(ring.read(dst), 8);
    assert.deepEqual([...dst], [5, 6, 7, 8, 9, 10, 11, 12]);
    assert.equal(ring.read(dst), 0);
  });

  it("matches a plain queue under random writes and reads", () => {
    const random = rng(3);
    const ring = new RingBuffer(97);
    const model = [];
    let next = 0;
    const dst = new Float32Array(64);
    for (let step = 0; step < 2000; step++) {
      if (random() < 0.5) {
        const src = Float32Array.from({ length: Math.floor(random() * 60) }, () => next++);
        const n = ring.write(src);
        assert.equal(n, Math.min(src.length, 97 - model.length));
        model.push(...src.subarray(0, n));
        next -= src.length - n;
      } else {
        const n = ring.read(dst, Math.floor(random() * 64));
        assert.deepEqual([...dst.subarray(0, n)], model.splice(0, n));
      }
      assert.equal(ring.available, model.length);
    }
  });

  it("runs from its own source text, as the player's worklet runs it", () => {
    assert.ok(PLAYER_WORKLET.includes(`const Ring = (${RingBuffer.toString()});`));
    const Ring = new Function(`return (${RingBuffer.toString()});`)();
    const ring = new Ring(4);
    ring.write(new Float32Array([1, 2, 3]));
    const dst = new Float32Array(2);
    ring.read(dst);
    assert.deepEqual([...dst], [1, 2]);
  });
});

describe("WAV", () => {
  it("writes a header parseWav reads back", () => {
    const header = wavHeader({ sampleRate: 24000, channels: 2, dataBytes: 400 });
    const file = new Uint8Array(444);
    file.set(new Uint8Array(header));
    assert.deepEqual(parseWav(file), {
      format: 1,
      channels: 2,
      sampleRate: 24000,
      bitsPerSample: 16,
      dataOffset: 44,
      dataBytes: 400,
    });
  });

  it("skips other chunks, resolves WAVE_FORMAT_EXTENSIBLE and cuts an oversized data length", () => {
    const parts = [
      ["RIFF", 0],
      ["WAVE"],
      ["LIST", 3, [1, 2, 3, 0]],
      ["fmt ", 40, new Array(40).fill(0)],
      ["data", 0xffffffff, [5, 6, 7, 8]],
    ];
    const bytes = [];
    const u32 = (/** @type {number} */ n) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24];
    for (const [tag, size, body] of parts) {
      bytes.push(...[...String(tag)].map((c) => c.charCodeAt(0)));
      if (size !== undefined) bytes.push(...u32(Number(size)));
      if (body) bytes.push(.../** @type {number[]} */ (body));
    }
    const file = new Uint8Array(bytes);
    const fmt = 12 + 12 + 8;
    const view = new DataView(file.buffer);
    view.setUint16(fmt, 0xfffe, true);
    view.setUint16(fmt + 2, 1, true);
    view.setUint32(fmt + 4, 48000, true);
    view.setUint16(fmt + 14, 16, true);
    view.setUint16(fmt + 24, 1, true);
    const info = parseWav(file);
    assert.equal(info.format, 1);
    assert.equal(info.sampleRate, 48000);
    assert.equal(info.dataOffset, file.length - 4);
    assert.equal(info.dataBytes, 4);
    assert.throws(() => parseWav(new Uint8Array(12)), /not a RIFF/);
  });

  it("pcm16ToWav joins chunks split anywhere and drops a trailing partial frame", async () => {
    const samples = floatToPcm16(sine(101, 24000, 440));
    const bytes = new Uint8Array(samples.buffer);
    const blob = pcm16ToWav([bytes.subarray(0, 3), bytes.subarray(3, 150), bytes.subarray(150), new Uint8Array([9])]);
    assert.equal(blob.type, "audio/wav");
    const file = new Uint8Array(await blob.arrayBuffer());
    const info = parseWav(file);
    assert.equal(info.sampleRate, 24000);
    assert.equal(info.dataBytes, 202);
    assert.deepEqual(file.subarray(44), bytes);
  });

  it("audioBlob: raw PCM becomes WAV at its rate, other formats keep their bytes", async () => {
    const pcm = audioBlob([new Int16Array([1, 2, 3, 4])], "audio/pcm;rate=16000;channels=2");
    const info = parseWav(await pcm.arrayBuffer());
    assert.deepEqual([info.sampleRate, info.channels, info.dataBytes], [16000, 2, 8]);
    const mp3 = audioBlob([new Uint8Array([0xff, 0xfb])], "audio/mpeg");
    assert.equal(mp3.type, "audio/mpeg");
    assert.equal(mp3.size, 2);
    assert.equal(audioBlob([], "text/html").type, "");
  });

  it("player.js hands out the clip functions too", () => {
    assert.equal(player.audioBlob, audioBlob);
    assert.equal(player.pcm16ToWav, pcm16ToWav);
  });

  it("pcmFormat reads audio/pcm parameters, and nothing else is raw PCM", () => {
    assert.deepEqual(pcmFormat("audio/pcm;rate=16000"), { sampleRate: 16000, channels: 1 });
    assert.deepEqual(pcmFormat("Audio/PCM; rate=48000; channels=2"), { sampleRate: 48000, channels: 2 });
    assert.deepEqual(pcmFormat("audio/pcm;rate=abc"), { sampleRate: 24000, channels: 1 });
    assert.equal(pcmFormat("audio/wav"), null);
    assert.equal(pcmFormat("audio/L16;rate=24000"), null);
  });
});

describe("capture errors", () => {
  it("maps getUserMedia's failures to one-line messages a view can show", () => {
    /** @param {string} name */
    const dom = (name, message = "x") => Object.assign(new Error(message), { name });
    const cases = [
      [dom("NotAllowedError"), "blocked", /^Microphone blocked: allow it in the browser's site settings/],
      [dom("NotFoundError"), "no-device", /^No microphone found: /],
      [dom("NotReadableError"), "busy", /could not be opened/],
      [Object.assign(dom("OverconstrainedError"), { constraint: "deviceId" }), "no-device", /constraint deviceId/],
      [dom("WeirdError", "first line\nsecond"), "failed", /\(WeirdError: first line\), or pass/],
    ];
    for (const [error, reason, message] of cases) {
      const mapped = captureError(error);
      assert.ok(mapped instanceof CaptureError);
      assert.equal(mapped.reason, reason);
      assert.match(mapped.message, /** @type {RegExp} */ (message));
      assert.equal(mapped.cause, error);
      assert.ok(!mapped.message.includes("\n"));
    }
    assert.equal(
      CAPTURE_MESSAGES.blocked,
      "Microphone blocked: allow it in the browser's site settings, or pass a file or a variable instead.",
    );
  });

  it("no mediaDevices: insecure context or an unsupported browser", () => {
    assert.equal(captureError(null, { secure: false }).reason, "insecure");
    assert.match(captureError(null, { secure: false }).message, /^The microphone needs https or localhost: /);
    assert.equal(captureError(null, { secure: true }).reason, "unsupported");
  });
});
