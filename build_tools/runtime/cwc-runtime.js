/* CWC runtime loader: boots Pyodide with the decision-tree engine in the page.
 *
 * A classic script, included only on pages that carry a tree. It loads nothing until
 * CWCRuntime.start() is called; then it injects the big asset scripts itself (so they
 * never block the first paint) and starts Python:
 *   - "snapshot" route: restore the memory snapshot made at build time, with cwc_engine
 *     already imported (fast);
 *   - "cold" route: start Python from scratch and install the engine wheel. Used when the
 *     snapshot fails to restore, or when forced (window.CWC_RUNTIME_FORCE_COLD = true,
 *     the query parameter ?cwc-runtime=cold, or start({forceCold: true})).
 *
 * One loader, two sources for the same gzip bytes. Pyodide's own fetch() calls for the
 * binaries it asks for (wasm, stdlib, lock file, wheel) are answered here, gunzipped as
 * they stream:
 *   - from file://, where fetch() of file URLs is blocked, every binary arrives
 *     base64-encoded inside a classic script (window.__cwcAssets);
 *   - over http, the big three (wasm, stdlib, snapshot) are fetched as plain files
 *     (cwc-*.bin): nothing to parse on the main thread, the wasm compiled while it
 *     streams, the files kept in the browser's cache. The lock file and the wheel stay
 *     in their small script.
 * Built by build_tools/runtime/bundle.py.
 */
(function () {
  "use strict";

  // Asset URLs are relative to this script, so any page depth and file:// work alike.
  var self = document.currentScript || document.querySelector('script[src$="cwc-runtime.js"]');
  var BASE = new URL(".", self.src).href;
  // A version query on this script's URL (cwc-runtime.js?v=KEY) is passed on to every file
  // it loads, so a browser never mixes cached files of two builds.
  var VERSION = new URL(self.src).search;
  var SCRIPTS = {
    loader: "pyodide.js",
    glue: "pyodide-asm.js",
    wasm: "cwc-wasm.js",
    stdlib: "cwc-stdlib.js",
    engine: "cwc-engine.js",
    snapshot: "cwc-snapshot.js",
  };
  // Which script carries which asset; any other name (the wheel) is in the engine script.
  var CARRIER = {
    "pyodide.asm.wasm": SCRIPTS.wasm,
    "python_stdlib.zip": SCRIPTS.stdlib,
    "pyodide-lock.json": SCRIPTS.engine,
    "snapshot.bin": SCRIPTS.snapshot,
  };
  // Over http, the same payloads as plain files (the gzip bytes the scripts carry).
  var BINARIES = {
    "pyodide.asm.wasm": "cwc-wasm.bin",
    "python_stdlib.zip": "cwc-stdlib.bin",
    "snapshot.bin": "cwc-snapshot.bin",
  };
  var OVER_HTTP = /^https?:$/.test(new URL(BASE).protocol);
  var TYPES = { "pyodide.asm.wasm": "application/wasm", "pyodide-lock.json": "application/json" };
  var assets = (window.__cwcAssets = window.__cwcAssets || {});
  var loading = {};
  var fetched = {};
  var started = null;
  // The cold start's budget (start({coldTimeoutMs})), counted from when it begins, apart
  // from the snapshot route's (start({timeoutMs})). Sized on WebKitGTK, the slowest engine
  // measured: its cold start took 8-24 s on this project's 2-core machine, and 30-60 s
  // while that machine ran four to five times its load (a failed snapshot first costs
  // 3-7 s more). Waiting longer costs a reader little: the first question and the text
  // version are on the page meanwhile.
  var COLD_TIMEOUT_MS = 90000;

  // Marks for benchmarks/bench_startup.py --breakdown (cwc-runtime:snapshot-decoded, …).
  function mark(name) {
    if (window.performance && performance.mark) performance.mark("cwc-runtime:" + name);
  }

  function loadScript(file) {
    if (!loading[file]) {
      loading[file] = new Promise(function (resolve, reject) {
        var el = document.createElement("script");
        el.src = BASE + file + VERSION;
        el.onload = function () { resolve(); };
        el.onerror = function () { reject(new Error("CWC runtime: could not load " + el.src)); };
        document.head.appendChild(el);
      });
    }
    return loading[file];
  }

  // Over http: one request per payload file, started early; its body is read once, so a
  // second use (the cold fallback asks for the wasm again) fetches it again, from the cache.
  function loadBinary(file) {
    if (!fetched[file]) {
      var url = BASE + file + VERSION;
      fetched[file] = fetch(url).then(function (response) {
        if (response.ok) return response;
        throw new Error("CWC runtime: could not load " + url + " (HTTP " + response.status + ")");
      }, function () {
        throw new Error("CWC runtime: could not load " + url);
      });
    }
    return fetched[file];
  }

  // Where the gzip bytes of an asset come from: a plain file over http, else its script.
  function payloadSource(name) {
    return OVER_HTTP && BINARIES[name] ? loadBinary(BINARIES[name]) : loadScript(CARRIER[name] || SCRIPTS.engine);
  }

  async function gzipStream(name) {
    if (OVER_HTTP && BINARIES[name]) {
      var response = await loadBinary(BINARIES[name]);
      delete fetched[BINARIES[name]];
      return response.body;
    }
    await loadScript(CARRIER[name] || SCRIPTS.engine);
    if (typeof assets[name] !== "string") throw new Error("CWC runtime: no asset " + name);
    return new Blob([decodeBase64(assets[name])]).stream();
  }

  function decodeBase64(text) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  // A fresh Response for an asset each time: a Response body can be read only once, and
  // the cold fallback asks for the wasm a second time.
  async function assetResponse(name) {
    var stream = (await gzipStream(name)).pipeThrough(new DecompressionStream("gzip"));
    var type = TYPES[name] || "application/octet-stream";
    return new Response(stream, { headers: { "Content-Type": type } });
  }

  async function assetBytes(name) {
    return new Uint8Array(await (await assetResponse(name)).arrayBuffer());
  }

  // The snapshot ships without its zero pages (glue.snapshot_payload): a 4-byte length and
  // the JSON layout lead the pages; put each run back into a zeroed buffer as it streams
  // out of the decompressor.
  async function snapshotBytes() {
    var reader = (await assetResponse("snapshot.bin")).body.getReader();
    var head = new Uint8Array(0);
    var out = null;
    var runs, run, offset, left;
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) break;
      var bytes = chunk.value;
      if (!out) {
        var joined = new Uint8Array(head.length + bytes.length);
        joined.set(head);
        joined.set(bytes, head.length);
        head = joined;
        if (head.length < 4) continue;
        var size = new DataView(head.buffer).getUint32(0, true);
        if (head.length < 4 + size) continue;
        var layout = JSON.parse(new TextDecoder().decode(head.subarray(4, 4 + size)));
        out = new Uint8Array(layout.size);
        runs = layout.runs;
        run = 0;
        offset = runs[0][0];
        left = runs[0][1];
        bytes = head.subarray(4 + size);
      }
      for (var pos = 0; pos < bytes.length;) {
        if (run >= runs.length) throw new Error("CWC runtime: snapshot exceeds its layout");
        var n = Math.min(left, bytes.length - pos);
        out.set(bytes.subarray(pos, pos + n), offset);
        pos += n;
        offset += n;
        left -= n;
        if (left === 0 && ++run < runs.length) {
          offset = runs[run][0];
          left = runs[run][1];
        }
      }
    }
    if (!out || run < runs.length) throw new Error("CWC runtime: snapshot shorter than its layout");
    mark("snapshot-decoded");
    return out;
  }

  function toBase64(buffer) {
    var binary = "";
    var bytes = new Uint8Array(buffer);
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary);
  }

  // What fetch() would do with an `integrity` option, for the responses made here.
  // crypto.subtle exists in secure contexts only (https, localhost, file://).
  async function checkIntegrity(response, integrity) {
    var match = /^sha256-(.+)$/.exec(integrity);
    if (!match || !(window.crypto && crypto.subtle)) return response;
    var body = await response.arrayBuffer();
    var got = toBase64(await crypto.subtle.digest("SHA-256", body));
    if (got !== match[1]) throw new TypeError("CWC runtime: integrity check failed for an asset");
    return new Response(body, { headers: response.headers });
  }

  // Answer Pyodide's fetch() calls for the runtime's own files; pass everything else on.
  function installFetchShim() {
    if (window.fetch.__cwcRuntime) return;
    var realFetch = window.fetch;
    var shim = function (input, init) {
      var url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      var href = new URL(url, document.baseURI).href;
      var name = href.indexOf(BASE) === 0 ? href.slice(BASE.length) : null;
      if (name && (CARRIER[name] || /\.whl$/.test(name))) {
        var answer = assetResponse(name);
        if (init && init.integrity) {
          answer = answer.then(function (r) { return checkIntegrity(r, init.integrity); });
        }
        return answer;
      }
      return realFetch.apply(this, arguments);
    };
    shim.__cwcRuntime = true;
    window.fetch = shim;
  }

  function forcedCold(options) {
    return Boolean(options.forceCold || window.CWC_RUNTIME_FORCE_COLD === true ||
      /[?&]cwc-runtime=cold(&|$)/.test(location.search));
  }

  function pyodideOptions(extra) {
    var options = {
      indexURL: BASE,
      packageBaseUrl: BASE,
      lockFileContents: assetResponse("pyodide-lock.json").then(function (r) { return r.json(); }),
      createPyodideModule: window.__cwcCreatePyodideModule,
    };
    return Object.assign(options, extra);
  }

  async function startFromSnapshot() {
    var pyodide = await loadPyodide(pyodideOptions({ _loadSnapshot: snapshotBytes() }));
    mark("python");
    return withEngine(pyodide, "snapshot");
  }

  async function startCold() {
    var pyodide = await loadPyodide(pyodideOptions({}));
    mark("python");
    await installEngine(pyodide);
    return withEngine(pyodide, "cold");
  }

  function withEngine(pyodide, route) {
    var engine = pyodide.pyimport("cwc_engine");
    mark("engine");
    return { pyodide: pyodide, engine: engine, route: route };
  }

  // Unpack the engine wheel (checked against its sha256 in the lock file) into
  // site-packages. pyodide.loadPackage("cwc-engine") does the same through the package
  // manager but costs 0.1–0.17 s more on this path (measured by benchmarks/bench_startup.py).
  async function installEngine(pyodide) {
    var lock = await (await assetResponse("pyodide-lock.json")).json();
    var entry = lock.packages["cwc-engine"];
    var hash = "sha256-" + hexToBase64(entry.sha256);
    var wheel = await checkIntegrity(await assetResponse(entry.file_name), hash);
    pyodide.unpackArchive(new Uint8Array(await wheel.arrayBuffer()), "wheel");
  }

  function hexToBase64(hex) {
    var bytes = new Uint8Array(hex.length / 2);
    for (var i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
    return toBase64(bytes);
  }

  async function boot(options) {
    installFetchShim();
    var cold = forcedCold(options);
    var required = [SCRIPTS.loader, SCRIPTS.glue, SCRIPTS.engine].map(loadScript)
      .concat(["pyodide.asm.wasm", "python_stdlib.zip"].map(payloadSource));
    if (!cold) payloadSource("snapshot.bin").catch(function () {});
    // A missing required script fails at once; Pyodide itself would only log and hang.
    var failed = Promise.all(required).then(function () { return new Promise(function () {}); });
    var missing = null;
    failed.catch(function (error) { missing = error; });
    var loaded = Promise.race([Promise.all(required.slice(0, 2)), failed]);
    if (!cold) {
      try {
        return await withTimeout(loaded.then(function () {
          return Promise.race([startFromSnapshot(), failed]);
        }), options.timeoutMs || 15000, "");
      } catch (error) {
        // A snapshot that hangs is not retried: what hangs it (the wasm) would hang a cold start.
        if (error === missing || error.cwcTimeout) throw error;
        console.warn("CWC runtime: the snapshot did not restore; starting Python cold.", error);
      }
    }
    // The cold start has its own budget, counted from when it begins (see COLD_TIMEOUT_MS).
    return await withTimeout(loaded.then(function () {
      return Promise.race([startCold(), failed]);
    }), options.coldTimeoutMs || COLD_TIMEOUT_MS, " cold");
  }

  function withTimeout(promise, ms, how) {
    var timer;
    var timeout = new Promise(function (resolve, reject) {
      timer = setTimeout(function () {
        var error = new Error("CWC runtime: Python did not start" + how + " within " + ms + " ms");
        error.cwcTimeout = true;
        reject(error);
      }, ms);
    });
    return Promise.race([promise, timeout]).finally(function () { clearTimeout(timer); });
  }

  // A bare Pyodide from the bundled files: no snapshot, no engine (benchmarks, tests).
  async function loadBare(extra) {
    installFetchShim();
    await Promise.all([SCRIPTS.loader, SCRIPTS.glue].map(loadScript));
    return await loadPyodide(pyodideOptions(extra || {}));
  }

  // Once Python runs, the big encoded copies are dead weight (about 9 MB of strings from
  // file://). The lock file and the wheel stay, for pyodide.loadPackage("cwc-engine").
  function dropBigAssets(runtime) {
    Object.keys(BINARIES).forEach(function (name) { delete assets[name]; });
    fetched = {};
    return runtime;
  }

  window.CWCRuntime = {
    /** Start Python with cwc_engine imported; the same promise on every call. Options:
     * timeoutMs (the snapshot route's budget, 15 s), coldTimeoutMs (the cold start's own,
     * from when it begins), forceCold. */
    start: function (options) {
      options = options || {};
      if (!started) {
        started = boot(options).then(dropBigAssets);
      }
      return started;
    },
    loadPyodide: loadBare,
    /** The decoded bytes of a bundled asset, by the name Pyodide asks for. */
    asset: assetBytes,
  };
})();
