// Make the Pyodide memory snapshot that pages restore instead of starting Python cold.
//
//   node make_snapshot.mjs PYODIDE_DIR LOCK_JSON WHEEL OUT_FILE
//
// Boots Pyodide from PYODIDE_DIR, checks WHEEL against its sha256 in LOCK_JSON, unpacks it
// into site-packages, imports cwc_engine, and writes pyodide.makeMemorySnapshot() to
// OUT_FILE. The wheel is unpacked rather than loaded with loadPackage() because a package
// loaded that way stays in pyodide.loadedPackages, which makeMemorySnapshot() refuses
// ("Unexpected hiwire entry at index 6", Pyodide 314.0.7). Prints timings as JSON.
import { createRequire } from "node:module";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";

const [pyodideDir, lockPath, wheelPath, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error("usage: node make_snapshot.mjs PYODIDE_DIR LOCK_JSON WHEEL OUT_FILE");
  process.exit(2);
}
// pyodide.js through require(): as a CommonJS module it needs no extra npm packages.
const { loadPyodide } = createRequire(import.meta.url)(`${pyodideDir}/pyodide.js`);

const lock = JSON.parse(readFileSync(lockPath, "utf8"));
const wheel = new Uint8Array(readFileSync(wheelPath)); // unpackArchive refuses a Node Buffer
const entry = Object.values(lock.packages).find((p) => p.file_name === basename(wheelPath));
const digest = createHash("sha256").update(wheel).digest("hex");
if (!entry || entry.sha256 !== digest) {
  console.error(`${wheelPath}: not in ${lockPath} with sha256 ${digest}`);
  process.exit(1);
}

const t0 = performance.now();
const pyodide = await loadPyodide({
  indexURL: `${pyodideDir}/`,
  lockFileContents: lock,
  packageBaseUrl: `${pyodideDir}/`,
  _makeSnapshot: true,
});
const t1 = performance.now();
pyodide.unpackArchive(wheel, "wheel");
pyodide.runPython("import cwc_engine");
const snapshot = pyodide.makeMemorySnapshot();
writeFileSync(outPath, snapshot);
const t2 = performance.now();
console.log(JSON.stringify({ boot_ms: t1 - t0, snapshot_ms: t2 - t1, bytes: snapshot.length }));
