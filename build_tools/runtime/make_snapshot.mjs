// Make the trimmed standard library and the Pyodide memory snapshot that pages restore.
//
//   node make_snapshot.mjs PYODIDE_DIR LOCK_JSON WHEEL OUT_SNAPSHOT OUT_STDLIB
//
// 1. Boots Pyodide from PYODIDE_DIR with its whole standard library, checks WHEEL against
//    its sha256 in LOCK_JSON, installs it both ways the page does (unpacked, and by
//    loadPackage), imports cwc_engine and formats a traceback (what an engine error
//    costs). Every standard-library module then in sys.modules, and those in KEEP, is
//    compiled to bytecode (unchecked-hash .pyc, no sources) into OUT_STDLIB: the only
//    standard library the page ships (Pyodide 314.0.7's is 2.5 MB of sources; compiling
//    them at start-up is most of a cold start, and their garbage half the snapshot).
// 2. Boots a fresh Pyodide on OUT_STDLIB, unpacks the wheel, imports cwc_engine, and
//    writes pyodide.makeMemorySnapshot() to OUT_SNAPSHOT. So the snapshot route restores
//    and the cold route starts on exactly the library that ships.
// The wheel is unpacked rather than loaded with loadPackage() in step 2 because a package
// loaded that way stays in pyodide.loadedPackages, which makeMemorySnapshot() refuses
// ("Unexpected hiwire entry at index 6", Pyodide 314.0.7). Prints timings as JSON.
import { createRequire } from "node:module";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";

const [pyodideDir, lockPath, wheelPath, outPath, stdlibPath] = process.argv.slice(2);
if (!stdlibPath) {
  console.error("usage: node make_snapshot.mjs PYODIDE_DIR LOCK_JSON WHEEL OUT_SNAPSHOT OUT_STDLIB");
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

// Modules the trace cannot see being needed: codecs looked up by name at run time.
const KEEP = ["encodings.ascii", "encodings.latin_1", "encodings.utf_8_sig", "encodings.utf_16",
  "encodings.utf_32"];

const TRIM = `
import importlib.util, sys, traceback, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc
for name in ${JSON.stringify(KEEP)}:
    __import__(name)
try:
    import cwc_engine
    raise ValueError("an engine error, formatted as the page would see it")
except ValueError:
    traceback.format_exc()
PREFIX = sys.path[sys.path.index(next(p for p in sys.path if p.endswith(".zip")))] + "/"
files = sorted({m.__file__[len(PREFIX):] for m in list(sys.modules.values())
                if (getattr(m, "__file__", None) or "").startswith(PREFIX)})
source = zipfile.ZipFile(PREFIX[:-1])
with zipfile.ZipFile("/tmp/cwc-stdlib.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
    for name in files:
        data = source.read(name)
        code = compile(data, PREFIX + name, "exec", dont_inherit=True)
        pyc = _code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)
        out.writestr(zipfile.ZipInfo(name + "c", date_time=(1980, 1, 1, 0, 0, 0)), bytes(pyc),
                     compress_type=zipfile.ZIP_DEFLATED)
len(files)
`;

const t0 = performance.now();
const full = await loadPyodide({
  indexURL: `${pyodideDir}/`,
  lockFileContents: lock,
  packageBaseUrl: `${dirname(wheelPath)}/`,
});
full.unpackArchive(wheel, "wheel", { extractDir: "/tmp/cwc-wheel" });
await full.loadPackage("cwc-engine", { messageCallback: () => {} });
const modules = full.runPython(TRIM);
writeFileSync(stdlibPath, full.FS.readFile("/tmp/cwc-stdlib.zip"));
const t1 = performance.now();

const pyodide = await loadPyodide({
  indexURL: `${pyodideDir}/`,
  stdLibURL: stdlibPath,
  lockFileContents: lock,
  packageBaseUrl: `${pyodideDir}/`,
  _makeSnapshot: true,
});
const t2 = performance.now();
pyodide.unpackArchive(wheel, "wheel");
pyodide.runPython("import cwc_engine");
const snapshot = pyodide.makeMemorySnapshot();
writeFileSync(outPath, snapshot);
const t3 = performance.now();
console.log(JSON.stringify({
  trim_ms: t1 - t0, boot_ms: t2 - t1, snapshot_ms: t3 - t2, bytes: snapshot.length,
  stdlib_modules: modules, stdlib_bytes: readFileSync(stdlibPath).length,
}));
