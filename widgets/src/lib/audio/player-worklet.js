/**
 * The audio-thread side of the streaming player (`player.js`): an AudioWorkletProcessor that copies
 * interleaved frames from a RingBuffer into its output channels, as source text. The module is added from
 * a Blob URL made of this string (`worklet.js` says why), and the RingBuffer in it is pcm.js's own class,
 * written in with `Function.prototype.toString`, so the node tests test the code the audio thread runs.
 *
 * Messages in: `{type: "data", samples}` (interleaved Float32Array at the context's rate, transferred),
 * `{type: "end"}` (play what is left, then stop), `{type: "stop"}` (stop now). Messages out, each with
 * `read` (frames played so far) and `time` (context time): `playing` (`first` on the first start),
 * `audible` (the first non-zero sample, `time` exact to the frame), `underrun`, `progress` (every
 * `progressFrames`), `ended`, `overflow` (`dropped` samples; the main thread's lead control should
 * prevent it). It starts (and restarts after an underrun) once `startFrames` are buffered, or at `end`, or
 * `waitFrames` (of the output's time, 0: never) after the first frames arrived while it was not playing.
 */
import { RingBuffer } from "./pcm.js";

export const PLAYER_PROCESSOR = "axio-nb-pcm-player";

export const PLAYER_WORKLET = `
const Ring = (${RingBuffer.toString()});
class PcmPlayerProcessor extends AudioWorkletProcessor {
  constructor({ processorOptions: o }) {
    super();
    this.channels = o.channels;
    this.ring = new Ring(o.capacityFrames * o.channels);
    this.startFrames = o.startFrames;
    this.waitFrames = o.waitFrames || 0;
    /** The output frame at which frames first arrived while not playing (null: none since). */
    this.waitingSince = null;
    this.progressFrames = o.progressFrames;
    this.tmp = new Float32Array(128 * o.channels);
    this.playing = false;
    this.ending = false;
    this.done = false;
    this.heard = false;
    this.started = false;
    this.read = 0;
    this.reported = 0;
    this.port.onmessage = ({ data: m }) => {
      if (m.type === "data") {
        const n = this.ring.write(m.samples);
        if (n < m.samples.length) this.post("overflow", { dropped: m.samples.length - n });
        if (!this.playing && this.waitingSince === null && n > 0) this.waitingSince = currentFrame;
      } else if (m.type === "end") this.ending = true;
      else if (m.type === "stop") {
        this.done = true;
        this.ring.clear();
      }
    };
  }
  post(type, extra) {
    this.reported = this.read;
    this.port.postMessage({ type, read: this.read, time: currentTime, ...extra });
  }
  process(inputs, outputs) {
    if (this.done) return false;
    const out = outputs[0];
    const n = out[0].length;
    const ch = this.channels;
    const frames = this.ring.available / ch;
    const waited =
      this.waitFrames > 0 && this.waitingSince !== null && currentFrame - this.waitingSince >= this.waitFrames;
    if (!this.playing && frames > 0 && (frames >= this.startFrames || this.ending || waited)) {
      this.playing = true;
      this.waitingSince = null;
      this.post("playing", { first: !this.started });
      this.started = true;
    }
    if (this.playing) {
      const got = Math.min(n, frames);
      this.ring.read(this.tmp, got * ch);
      for (let c = 0; c < out.length; c++) {
        const dst = out[c];
        const src = c < ch ? c : 0;
        for (let i = 0; i < got; i++) dst[i] = this.tmp[i * ch + src];
      }
      if (!this.heard) {
        for (let i = 0; i < got * ch; i++) {
          if (this.tmp[i] !== 0) {
            this.heard = true;
            this.post("audible", { time: currentTime + Math.floor(i / ch) / sampleRate });
            break;
          }
        }
      }
      this.read += got;
      if (got < n) {
        this.playing = false;
        if (!this.ending) this.post("underrun");
      }
    }
    if (!this.playing && this.ending && this.ring.available === 0) {
      this.post("ended");
      this.done = true;
      return false;
    }
    if (this.read - this.reported >= this.progressFrames) this.post("progress");
    return true;
  }
}
registerProcessor(${JSON.stringify(PLAYER_PROCESSOR)}, PcmPlayerProcessor);
`;
