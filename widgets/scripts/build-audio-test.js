// A test-only bundle of the audio modules (src/lib/audio/), for tests/browser/test_audio_modules.py: one ESM a
// plain page imports. Built minified like the shipped bundles, so the worklet sources the modules make from
// their own code (RingBuffer.toString()) are tested as they ship. Not part of axio_nb/static/.
//   node scripts/build-audio-test.js OUTFILE
import { build } from "esbuild";
import path from "node:path";
import { COMMON, WIDGETS_DIR } from "./build.js";

const outfile = process.argv[2];
if (!outfile) {
  console.error("usage: node scripts/build-audio-test.js OUTFILE");
  process.exit(2);
}
await build({
  ...COMMON,
  stdin: {
    contents: ["pcm", "clip", "player", "capture"].map((m) => `export * from "./src/lib/audio/${m}.js";`).join("\n"),
    resolveDir: WIDGETS_DIR,
    sourcefile: "audio-test-entry.js",
  },
  outfile: path.resolve(outfile),
  format: "esm",
  platform: "browser",
  target: ["es2022"],
});
