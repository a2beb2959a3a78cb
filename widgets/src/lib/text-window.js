/**
 * The part of a growing text that streaming still needs, addressed by offsets into the whole text.
 *
 * Each delta the store appends makes a new string of the whole text, which V8 keeps as a rope until
 * something reads a character of it; then it copies all of it into one flat string. Read every frame,
 * a 200 KB answer costs a 200 KB copy a frame (~5 MB/s of garbage, which ends in major GCs inside frames).
 * The streaming renderer reads only this window: the text from the start of the open tail on.
 */
export class TextWindow {
  constructor() {
    /** Offset of `str` in the whole text. */
    this.base = 0;
    this.str = "";
  }

  /** The length of the whole text. */
  get length() {
    return this.base + this.str.length;
  }

  /** @param {string} delta */
  append(delta) {
    this.str += delta;
  }

  /**
   * @param {string} search
   * @param {number} from an offset into the whole text, at or after `base`
   */
  indexOf(search, from) {
    const i = this.str.indexOf(search, Math.max(0, from - this.base));
    return i < 0 ? -1 : i + this.base;
  }

  /**
   * @param {number} start an offset into the whole text, at or after `base`
   * @param {number} [end]
   */
  slice(start, end) {
    if (start < this.base) throw new RangeError(`axio_nb: offset ${start} is before the text window (${this.base})`);
    return this.str.slice(start - this.base, end === undefined ? undefined : end - this.base);
  }

  /**
   * Forget the text before `at`.
   * @param {number} at
   */
  drop(at) {
    if (at <= this.base) return;
    this.str = this.str.slice(at - this.base);
    this.base = at;
  }
}
