"""Time the decision-tree runtime's start-up in a real browser, over http and from file://.

Usage:
    python benchmarks/bench_startup.py [SITE_DIR ...] [--page PATH] [--ready SELECTOR]
        [--first SELECTOR] [--runs N] [--install-costs] [--network] [--breakdown]

Without SITE_DIR, a throw-away site is made from the runtime bundle (``--engine``, by
default build_tools/trees/engine.py) and the runtime's test page (tests/fixtures/runtime/).
Several SITE_DIRs (e.g. a build before and after a change) are timed in the same run,
against the same baselines. The http server gzips what it sends, as static hosts do, and
sends ``Cache-Control: max-age=600`` (as GitHub Pages does). Each measurement runs in a
fresh browser context (empty cache), at least ``--runs`` times per protocol, and the
medians are printed with their ratio to a bare ``loadPyodide()`` timed in the same run:

- page, snapshot route: first paint, first question visible, ready (``--ready`` matches);
- page, cold route (``?cwc-runtime=cold``);
- bare loadPyodide() from the bundled files (http and file://);
- bare loadPyodide() from Pyodide's own npm files (http only: file:// cannot import them);
- with ``--install-costs``: installing cwc_engine into a fresh Pyodide by
  ``loadPackage("cwc-engine")``, by unpacking the wheel, or by writing the module file;
- with ``--network``: the bytes a first visit of the page fetches (raw and as sent,
  gzipped), and ready over http throttled to 10 Mbit/s with 40 ms latency (Chromium's
  network emulation, as Lighthouse's desktop preset), on a first visit and with a warm
  HTTP cache (a second visit in the same context);
- with ``--breakdown``: where the time of the snapshot route goes (last runtime download,
  wasm compile and instantiate, snapshot bytes decoded, Python up, engine imported);
- with ``--browsers chromium,firefox,webkitgtk``: the bare loadPyodide() and both routes
  in Firefox ESR and WebKitGTK too, through the engines tests' drivers
  (tests/browser/engines), a new browser per measurement (so an empty cache), ready read
  from the loader's own mark (``cwc-runtime:engine``, the engine imported: in Chromium
  within 5 ms of the widget's ready) and the bare page's own time, each ratio against
  that engine's own bare loadPyodide()s (the bundled files, same protocol; Pyodide's
  own npm files, http).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build_tools.runtime.bundle import RuntimeBundle, prepare_runtime  # noqa: E402
from build_tools.setup.browser import OTHER_ENGINES, choose_browser  # noqa: E402
from build_tools.setup.fetch import ensure_runtime  # noqa: E402
from tests.browser.engines import SESSIONS, missing_engine_message  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "runtime"
REAL_ENGINE = ROOT / "build_tools" / "trees" / "engine.py"
DEFAULT_READY = 'section.decision-tree[data-state="ready"]'
DEFAULT_FIRST = "section.decision-tree [data-question]"
FAILED = 'section.decision-tree[data-state="failed"]'


# Lighthouse's desktop preset, and a trustee on rural broadband.
THROTTLE = {"offline": False, "latency": 40, "downloadThroughput": 10e6 / 8,
            "uploadThroughput": 10e6 / 8}


class _Host(http.server.SimpleHTTPRequestHandler):
    """A static host: gzip when it saves bytes, a 10-minute cache, a log of what was sent."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript",
                      ".js": "text/javascript"}
    gzipped: dict[tuple[str, float], bytes] = {}
    sent: list[tuple[str, int, int]] = []  # (path, raw bytes, bytes on the wire)

    def log_message(self, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        path = self.translate_path(self.path)
        if not os.path.isfile(path) or "gzip" not in self.headers.get("Accept-Encoding", ""):
            super().do_GET()
            return
        raw = Path(path).read_bytes()
        key = (path, os.path.getmtime(path))
        if key not in self.gzipped:
            self.gzipped[key] = gzip.compress(raw, compresslevel=6, mtime=0)
        body = self.gzipped[key] if len(self.gzipped[key]) < len(raw) else raw
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(len(body)))
        if body is not raw:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        self.wfile.write(body)
        self.sent.append((self.path.split("?")[0], len(raw), len(body)))


def make_test_site(target: Path, engine: Path) -> Path:
    """A minimal site: the runtime bundle for ``engine`` and the runtime's test page."""
    prepare_runtime(engine).write_to(target)
    for name in ("page.html", "page.js"):
        shutil.copyfile(FIXTURES / name, target / name)
    return target


def make_root(sites: list[Path], root: Path) -> Path:
    """One folder served over http and opened from file://: the sites, the bare page, Pyodide.

    The sites are ``site0``, ``site1`` …; the bare page uses the first site's runtime files.
    """
    root.mkdir(parents=True, exist_ok=True)
    for i, site in enumerate(sites):
        (root / f"site{i}").symlink_to(site.resolve())
    bare = root / "bare"
    (bare / "assets").mkdir(parents=True)
    (bare / "assets" / "cwc-runtime").symlink_to((sites[0] / RuntimeBundle.site_subdir).resolve())
    for name in ("bare.html", "bare.js"):
        shutil.copyfile(FIXTURES / name, bare / name)
    (root / "upstream").symlink_to(ensure_runtime()["pyodide"])
    return root


def _load(page, url: str, ready: str, timeout_ms: int) -> dict:
    page.goto(url)
    page.wait_for_selector(f"{ready}, {FAILED}", timeout=timeout_ms)
    if page.query_selector(FAILED):
        result = page.evaluate("window.cwcResult")
        raise RuntimeError(f"{url}: the page reports failure: {result}")
    return page.evaluate("window.__cwcReport()")


def measure(browser, url: str, ready: str, first: str | None, timeout_ms: int, *,
            throttle: bool = False, warm: bool = False) -> dict:
    """Load ``url`` in a fresh context; return its marks (ms since navigation).

    ``throttle``: emulate 10 Mbit/s and 40 ms latency. ``warm``: load the page once first
    (untimed), so the timed visit finds the runtime in the HTTP cache.
    """
    context = browser.new_context()
    try:
        page = context.new_page()
        probe = json.dumps({"ready": ready, "first": first})
        # A loaded machine must not turn a slow start into a failure (the widget's time-out).
        page.add_init_script(script=f"window.__cwcProbe = {probe}; "
                             f"window.CWC_WIDGET_TIMEOUT_MS = {timeout_ms};")
        page.add_init_script(path=str(FIXTURES / "probe.js"))
        if throttle:
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", THROTTLE)
        if warm:
            _load(page, url, ready, timeout_ms)
        return _load(page, url, ready, timeout_ms)
    finally:
        context.close()


def median(values: list[float | None]) -> float | None:
    """The median of the numbers present, or None."""
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


BARE = "bare loadPyodide (bundle)"
UPSTREAM = "bare loadPyodide (npm files)"


def cases(args: argparse.Namespace, sites: int) -> list[tuple]:
    """(label, path, ready, first, protocols, options) for every measurement."""
    page = args.page.lstrip("/")
    sep = "&" if "?" in page else "?"
    both = ("http", "file")
    out = [
        (BARE, "bare/bare.html", DEFAULT_READY, None, both, {}),
        (UPSTREAM, "bare/bare.html?mode=upstream&index=../upstream/", DEFAULT_READY, None,
         ("http",), {}),
    ]
    for i in range(sites):
        tag = f"[{i}] " if sites > 1 else ""
        if args.plain:
            out.append((f"{tag}plain page (no tree)", f"site{i}/{args.plain.lstrip('/')}",
                        "body", None, both, {}))
        out += [
            (f"{tag}snapshot route", f"site{i}/{page}", args.ready, args.first, both,
             {"breakdown": args.breakdown}),
            (f"{tag}cold route", f"site{i}/{page}{sep}cwc-runtime=cold", args.ready,
             args.first, both, {}),
        ]
        if args.network:
            out += [
                (f"{tag}snapshot, 10 Mbit/s", f"site{i}/{page}", args.ready, args.first,
                 ("http",), {"throttle": True}),
                (f"{tag}snapshot, 10 Mbit/s, warm", f"site{i}/{page}", args.ready, args.first,
                 ("http",), {"throttle": True, "warm": True}),
            ]
    if args.network:
        out.append((f"{UPSTREAM}, 10 Mbit/s", "bare/bare.html?mode=upstream&index=../upstream/",
                    DEFAULT_READY, None, ("http",), {"throttle": True}))
    if args.install_costs:
        for how in ("loadPackage", "unpack", "fs"):
            out.append((f"install: {how}", f"bare/bare.html?install={how}", DEFAULT_READY, None,
                        both, {}))
    return out


# In a page of another engine: wait until the guide (or the bare page) is ready or failed;
# return when, in ms since navigation, from the loader's mark or the bare page's own time.
OTHER_READY = """async (ready, failed, timeout) => {
  const end = performance.now() + timeout;
  while (!document.querySelector(`${ready}, ${failed}`) && performance.now() < end) {
    await new Promise(r => setTimeout(r, 20));
  }
  const mark = performance.getEntriesByName("cwc-runtime:engine")[0];
  const result = window.cwcResult || {};
  let route = null;
  if (window.CWCRuntime && !result.readyMs) {
    try { route = (await CWCRuntime.start()).route; } catch (e) { route = "failed"; }
  }
  return {ready: document.querySelector(failed) ? null
                 : mark ? mark.startTime : result.readyMs ?? null,
          route, error: result.error ?? null};
}"""


def other_cases(args: argparse.Namespace, sites: int) -> list[tuple]:
    """The cases another engine runs: both bare loadPyodide()s and both routes of each site."""
    return [case for case in cases(args, sites)
            if case[0] in (BARE, UPSTREAM) or case[0].endswith(("snapshot route", "cold route"))]


def measure_other(name: str, url: str, ready: str, timeout_ms: int) -> dict:
    """Open ``url`` in a new browser of engine ``name``; return its ready time and route."""
    session = SESSIONS[name]()
    try:
        session.open(url)
        found = session.evaluate(OTHER_READY, ready, FAILED, timeout_ms)
    finally:
        session.close()
    if found["ready"] is None:
        raise RuntimeError(f"{name}: {url} did not get ready: {found}")
    return {"ready": found["ready"], "result": {"route": found["route"]}}


def run_other(args: argparse.Namespace, bases: dict[str, str], sites: int,
              name: str) -> list:
    """Every case another engine runs, interleaved; (label, protocol, medians) rows."""
    missing = missing_engine_message(OTHER_ENGINES[name])
    if missing:
        sys.exit(missing)
    plan = other_cases(args, sites)
    samples: dict[tuple[str, str], list[dict]] = {}
    for _ in range(args.runs):
        for label, path, ready, _first, protocols, _options in plan:
            for protocol in protocols:
                samples.setdefault((label, protocol), []).append(
                    measure_other(name, bases[protocol] + path, ready, args.timeout))
        print(f"  one round measured ({name})", file=sys.stderr)
    return [(f"{label} ({name})", protocol, summarise(samples[(label, protocol)], False))
            for label, _, _, _, protocols, _ in plan for protocol in protocols]


def first_visit_bytes(browser, url: str, ready: str, timeout_ms: int) -> tuple[int, int, int]:
    """(requests, raw bytes, bytes sent gzipped) of one first visit of ``url`` over http."""
    _Host.sent.clear()
    measure(browser, url, ready, None, timeout_ms)
    sent = list(_Host.sent)
    return len(sent), sum(raw for _, raw, _ in sent), sum(wire for _, _, wire in sent)


def run(args: argparse.Namespace, root: Path, sites: int) -> tuple[list, list]:
    """Every measurement; returns (label, protocol, medians) rows and the bytes rows."""
    handler = functools.partial(_Host, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bases = {"http": f"http://127.0.0.1:{server.server_address[1]}/", "file": root.as_uri() + "/"}
    rows, sizes = [], []
    try:
        for name in args.browsers:
            if name != "chromium":
                rows += run_other(args, bases, sites, name)
        if "chromium" in args.browsers:
            chromium_rows, sizes = run_chromium(args, bases, sites)
            rows += chromium_rows
    finally:
        server.shutdown()
    return rows, sizes


def run_chromium(args: argparse.Namespace, bases: dict[str, str],
                 sites: int) -> tuple[list, list]:
    """Every Chromium case (and, with --network, the bytes); (rows, bytes rows)."""
    from playwright.sync_api import sync_playwright

    rows, sizes = [], []
    choice = choose_browser(whole=True)
    if choice is None:
        sys.exit("no browser: run 'make setup' or set CWC_BROWSER")
    with sync_playwright() as p:
        browser = p.chromium.launch(**choice.launch_kwargs())
        try:
            plan = cases(args, sites)
            # Interleaved: one sample of every case per round, so all see the same load.
            samples: dict[tuple[str, str], list[dict]] = {}
            for _ in range(args.runs):
                for label, path, ready, first, protocols, options in plan:
                    throttled = {k: v for k, v in options.items() if k != "breakdown"}
                    for protocol in protocols:
                        samples.setdefault((label, protocol), []).append(measure(
                            browser, bases[protocol] + path, ready, first, args.timeout,
                            **throttled))
                print("  one round measured", file=sys.stderr)
            for label, _, _, _, protocols, options in plan:
                for protocol in protocols:
                    rows.append((label, protocol, summarise(samples[(label, protocol)],
                                                            options.get("breakdown"))))
            if args.network:
                for i in range(sites):
                    for name, path in (("guide page", args.page), ("plain page", args.plain)):
                        if path:
                            sizes.append((f"[{i}] {name}", *first_visit_bytes(
                                browser, bases["http"] + f"site{i}/" + path.lstrip("/"),
                                args.ready if name == "guide page" else "body", args.timeout)))
                sizes.append((UPSTREAM, *first_visit_bytes(
                    browser, bases["http"] + "bare/bare.html?mode=upstream&index=../upstream/",
                    DEFAULT_READY, args.timeout)))
        finally:
            browser.close()
    return rows, sizes


PHASES = ("downloaded", "wasmStart", "wasmEnd", "snapshotDecoded", "python", "engine")


def summarise(samples: list[dict], breakdown: bool) -> dict:
    """Medians of the marks of one case."""
    results = [s.get("result") or {} for s in samples]
    out = {
        "paint": median([s.get("paint") for s in samples]),
        "first": median([s.get("first") for s in samples]),
        "ready": median([s.get("ready") for s in samples]),
        "install": median([r.get("installMs") for r in results]),
        "routes": sorted({r.get("route") for r in results if r.get("route")}),
    }
    if breakdown:
        out["phases"] = {k: median([(s.get("phases") or {}).get(k) for s in samples])
                         for k in PHASES}
    return out


def fmt(value: float | None) -> str:
    """Milliseconds, or '-'."""
    return "-" if value is None else f"{value:.0f}"


def print_table(rows: list[tuple[str, str, dict]], sizes: list, runs: int) -> None:
    """Medians in ms, with the ratio of 'ready' to the bare loadPyodide of the same protocol."""
    # Each engine's own bare loadPyodide(), by protocol ("" is Chromium's).
    bare = {(label[len(BARE):], proto): m["ready"] for label, proto, m in rows
            if label.startswith(BARE)}
    # Pyodide's npm files, by label: each engine's own ("… (npm files) (firefox)") and
    # Chromium's throttled one.
    upstream = {label: m["ready"] for label, _, m in rows if label.startswith(UPSTREAM)}
    print(f"\nMedians of {runs} fresh browser contexts (Firefox, WebKitGTK: a new browser "
          "each), ms since navigation (install: ms to install and import cwc_engine)")
    header = f"{'case':44} {'proto':5} {'paint':>6} {'1st Q':>6} {'ready':>6} {'install':>7} " \
             f"{'/bare':>6} {'/npm':>6}  route"
    print(header)
    print("-" * len(header))
    for label, proto, m in rows:
        if "plain page" in label:
            m = {**m, "ready": None}  # a plain page has nothing to get ready
        engine = next((f" ({n})" for n in OTHER_ENGINES if label.endswith(f" ({n})")), "")
        base_up = upstream.get(f"{UPSTREAM}, 10 Mbit/s" if "Mbit" in label else UPSTREAM + engine)
        base = bare.get((engine, proto))
        ratio = m["ready"] / base if m["ready"] and base else None
        ratio_up = m["ready"] / base_up if m["ready"] and base_up else None
        print(f"{label:44} {proto:5} {fmt(m['paint']):>6} {fmt(m['first']):>6} "
              f"{fmt(m['ready']):>6} {fmt(m['install']):>7} "
              f"{'-' if ratio is None else f'{ratio:.2f}':>6} "
              f"{'-' if ratio_up is None else f'{ratio_up:.2f}':>6}  {','.join(m['routes'])}")
    phased = [(label, proto, m["phases"]) for label, proto, m in rows if m.get("phases")]
    if phased:
        print("\nWhere the snapshot route's time goes (medians, ms since navigation): last "
              "runtime file downloaded, wasm compile+instantiate start/end, snapshot bytes "
              "decoded, Python up, engine imported")
        print(f"{'case':34} {'proto':5} " + " ".join(f"{k:>15}" for k in PHASES))
        for label, proto, phases in phased:
            print(f"{label:34} {proto:5} " + " ".join(f"{fmt(phases[k]):>15}" for k in PHASES))
    if sizes:
        print("\nFirst visit over http: requests, bytes raw, bytes sent (gzip where smaller)")
        for label, count, raw, wire in sizes:
            print(f"{label:34} {count:5d} {raw / 1e6:8.2f} MB {wire / 1e6:8.2f} MB")


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, run the measurements, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="*", type=Path,
                        help="built site folders (default: a throw-away site with a test page)")
    parser.add_argument("--page", default="page.html",
                        help="page to time, relative to the site (default: the test page)")
    parser.add_argument("--ready", default=DEFAULT_READY,
                        help=f"selector that means the widget is ready (default: {DEFAULT_READY})")
    parser.add_argument("--first", default=DEFAULT_FIRST,
                        help=f"selector of the first question (default: {DEFAULT_FIRST})")
    engine = REAL_ENGINE if REAL_ENGINE.exists() else FIXTURES / "stub_engine.py"
    parser.add_argument("--engine", type=Path, default=engine,
                        help="engine module for the throw-away site (default: %(default)s)")
    parser.add_argument("--plain", default=None,
                        help="a page without a tree, to compare first paint (e.g. index.html)")
    parser.add_argument("--runs", type=int, default=5, help="fresh contexts per case (min 5)")
    parser.add_argument("--timeout", type=int, default=60000, help="ms to wait for a page")
    parser.add_argument("--install-costs", action="store_true",
                        help="also time loadPackage vs unpacking the wheel vs writing the module")
    parser.add_argument("--network", action="store_true",
                        help="also count first-visit bytes and time a throttled first visit "
                             "and a warm-cache visit (10 Mbit/s, 40 ms)")
    parser.add_argument("--breakdown", action="store_true",
                        help="also report where the snapshot route's time goes")
    parser.add_argument("--browsers", default="chromium",
                        help="comma-separated engines to time: chromium, firefox, webkitgtk "
                             "(default: chromium; the other two time both bare "
                             "loadPyodide()s and both routes)")
    args = parser.parse_args(argv)
    args.runs = max(args.runs, 5)
    args.browsers = [name.strip() for name in args.browsers.split(",") if name.strip()]
    unknown = set(args.browsers) - {"chromium", *OTHER_ENGINES}
    if unknown:
        parser.error(f"unknown browsers: {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory(prefix="cwc-bench-") as tmp:
        sites = args.site or [make_test_site(Path(tmp) / "test-site", args.engine)]
        root = make_root([Path(s) for s in sites], Path(tmp) / "root")
        rows, sizes = run(args, root, len(sites))
    print_table(rows, sizes, args.runs)


if __name__ == "__main__":
    main()
