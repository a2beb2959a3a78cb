// Bundle the widget sources into one self-contained ESM + one CSS file per widget under axio_nb/static/.
// anywidget loads the ESM from a Blob URL, so nothing may be left as a relative import or CDN fetch.
import { build } from "esbuild";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const WIDGETS_DIR = path.resolve(here, "..");
export const STATIC_DIR = path.resolve(WIDGETS_DIR, "../axio_nb/static");
/** The built files, by name under the output directory. */
export const OUTPUTS = ["boot.js", "stream.js", "stream.css", "katex.js", "katex.css", "recorder.js", "recorder.css", "voice.js", "voice.css"];

/**
 * KaTeX's CSS lists each font as woff2, woff and ttf. Every browser JupyterLab supports reads woff2, and
 * the fonts are inlined as data URIs (a module loaded from a Blob URL cannot reach relative files), so
 * the other two formats would only triple the bundle.
 * @type {import("esbuild").Plugin}
 */
const katexWoff2Only = {
  name: "katex-woff2-only",
  setup(build) {
    build.onLoad({ filter: /[\\/]katex[\\/]dist[\\/]katex\.css$/ }, async (args) => {
      const css = await readFile(args.path, "utf8");
      const contents = css.replace(/,\s*url\([^)]*\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)/g, "");
      return { contents, loader: "css" };
    });
  },
};

/** The options every bundle is built with. */
export const COMMON = /** @type {const} */ ({
  absWorkingDir: WIDGETS_DIR,
  bundle: true,
  minify: true,
  sourcemap: false,
  legalComments: "eof",
  logLevel: "warning",
  charset: "utf8",
});

/** @param {string} outdir */
export async function buildInto(outdir) {
  await mkdir(outdir, { recursive: true });
  const common = COMMON;
  await build({
    ...common,
    entryPoints: ["src/stream.js"],
    outfile: path.join(outdir, "stream.js"),
    format: "esm",
    platform: "browser",
    target: ["es2022"],
  });
  await build({
    ...common,
    entryPoints: ["src/boot.js"],
    outfile: path.join(outdir, "boot.js"),
    format: "esm",
    platform: "browser",
    target: ["es2022"],
  });
  await build({
    ...common,
    entryPoints: ["src/katex.js"],
    outfile: path.join(outdir, "katex.js"),
    format: "esm",
    platform: "browser",
    target: ["es2022"],
  });
  await build({
    ...common,
    entryPoints: ["src/katex.css"],
    outfile: path.join(outdir, "katex.css"),
    target: ["chrome105", "firefox121", "safari15.4"],
    loader: { ".woff2": "dataurl" },
    plugins: [katexWoff2Only],
  });
  await build({
    ...common,
    entryPoints: ["src/recorder.js"],
    outfile: path.join(outdir, "recorder.js"),
    format: "esm",
    platform: "browser",
    target: ["es2022"],
  });
  await build({
    ...common,
    entryPoints: ["src/recorder.css"],
    outfile: path.join(outdir, "recorder.css"),
    target: ["chrome105", "firefox121", "safari15.4"],
  });
  await build({
    ...common,
    entryPoints: ["src/voice.js"],
    outfile: path.join(outdir, "voice.js"),
    format: "esm",
    platform: "browser",
    target: ["es2022"],
  });
  await build({
    ...common,
    entryPoints: ["src/voice.css"],
    outfile: path.join(outdir, "voice.css"),
    target: ["chrome105", "firefox121", "safari15.4"],
  });
  await build({
    ...common,
    entryPoints: ["src/stream.css"],
    outfile: path.join(outdir, "stream.css"),
    target: ["chrome105", "firefox121", "safari15.4"],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildInto(STATIC_DIR);
  console.log(`built ${OUTPUTS.join(", ")} into ${path.relative(process.cwd(), STATIC_DIR) || "."}`);
}
