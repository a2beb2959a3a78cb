// CI guard: a fresh build must equal the committed axio_nb/static/ files byte for byte.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { buildInto, OUTPUTS, STATIC_DIR } from "./build.js";

const tmp = await mkdtemp(path.join(os.tmpdir(), "axio-nb-widgets-"));
const stale = [];
try {
  await buildInto(tmp);
  for (const name of OUTPUTS) {
    const fresh = await readFile(path.join(tmp, name));
    const committed = await readFile(path.join(STATIC_DIR, name)).catch(() => null);
    if (!committed) stale.push(`${name}: missing from axio_nb/static/`);
    else if (!fresh.equals(committed)) {
      stale.push(`${name}: differs from a fresh build (${committed.length} B committed, ${fresh.length} B built)`);
    }
  }
} finally {
  await rm(tmp, { recursive: true, force: true });
}
if (stale.length) {
  console.error("axio_nb/static/ is out of date with widgets/src/:");
  for (const line of stale) console.error(`  - ${line}`);
  console.error("Run `npm run build` in widgets/ (after `npm ci`) and commit axio_nb/static/.");
  process.exit(1);
}
console.log(`axio_nb/static/ matches a fresh build (${OUTPUTS.join(", ")})`);
