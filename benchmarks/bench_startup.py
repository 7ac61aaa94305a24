"""Time the decision-tree runtime's start-up in a real browser, over http and from file://.

Usage:
    python benchmarks/bench_startup.py [SITE_DIR] [--page PATH] [--ready SELECTOR]
        [--first SELECTOR] [--runs N] [--install-costs]

Without SITE_DIR, a throw-away site is made from the runtime bundle (``--engine``, by
default build_tools/trees/engine.py) and the runtime's test page (tests/fixtures/runtime/).
Each measurement runs in a fresh browser context (empty cache), at least ``--runs`` times
per protocol, and the medians are printed with their ratio to a bare ``loadPyodide()``
timed in the same run:

- page, snapshot route: first paint, first question visible, ready (``--ready`` matches);
- page, cold route (``?cwc-runtime=cold``);
- bare loadPyodide() from the bundled classic scripts (http and file://);
- bare loadPyodide() from Pyodide's own npm files (http only: file:// cannot import them);
- with ``--install-costs``: installing cwc_engine into a fresh Pyodide by
  ``loadPackage("cwc-engine")``, by unpacking the wheel, or by writing the module file.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build_tools.runtime.bundle import RuntimeBundle, prepare_runtime  # noqa: E402
from build_tools.setup.browser import choose_browser  # noqa: E402
from build_tools.setup.fetch import ensure_runtime  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "runtime"
REAL_ENGINE = ROOT / "build_tools" / "engine.py"
DEFAULT_READY = 'section.decision-tree[data-state="ready"]'
DEFAULT_FIRST = "section.decision-tree [data-question]"
FAILED = 'section.decision-tree[data-state="failed"]'


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript",
                      ".js": "text/javascript"}

    def log_message(self, *args: object) -> None:
        pass


def make_test_site(target: Path, engine: Path) -> Path:
    """A minimal site: the runtime bundle for ``engine`` and the runtime's test page."""
    prepare_runtime(engine).write_to(target)
    for name in ("page.html", "page.js"):
        shutil.copyfile(FIXTURES / name, target / name)
    return target


def make_root(site: Path, root: Path) -> Path:
    """One folder served over http and opened from file://: the site, the bare page, Pyodide."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "site").symlink_to(site.resolve())
    bare = root / "bare"
    (bare / "assets").mkdir(parents=True)
    (bare / "assets" / "cwc-runtime").symlink_to((site / RuntimeBundle.site_subdir).resolve())
    for name in ("bare.html", "bare.js"):
        shutil.copyfile(FIXTURES / name, bare / name)
    (root / "upstream").symlink_to(ensure_runtime()["pyodide"])
    return root


def measure(browser, url: str, ready: str, first: str | None, timeout_ms: int) -> dict:
    """Load ``url`` in a fresh context; return its marks (ms since navigation)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        probe = json.dumps({"ready": ready, "first": first})
        page.add_init_script(script=f"window.__cwcProbe = {probe};")
        page.add_init_script(path=str(FIXTURES / "probe.js"))
        page.goto(url)
        page.wait_for_selector(f"{ready}, {FAILED}", timeout=timeout_ms)
        if page.query_selector(FAILED):
            result = page.evaluate("window.cwcResult")
            raise RuntimeError(f"{url}: the page reports failure: {result}")
        marks = page.evaluate("window.__cwcReport()")
        return marks
    finally:
        context.close()


def median(values: list[float | None]) -> float | None:
    """The median of the numbers present, or None."""
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def run(args: argparse.Namespace, root: Path) -> list[tuple[str, str, dict]]:
    """Every measurement; returns (label, protocol, medians) rows."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bases = {"http": f"http://127.0.0.1:{server.server_address[1]}/", "file": root.as_uri() + "/"}
    page = args.page.lstrip("/")
    sep = "&" if "?" in page else "?"
    cases = []
    if args.plain:
        cases.append(("plain page (no tree)", f"site/{args.plain.lstrip('/')}", "body", None,
                      ("http", "file")))
    cases += [
        ("snapshot route", f"site/{page}", args.ready, args.first, ("http", "file")),
        ("cold route", f"site/{page}{sep}cwc-runtime=cold", args.ready, args.first,
         ("http", "file")),
        ("bare loadPyodide (bundle)", "bare/bare.html", DEFAULT_READY, None, ("http", "file")),
        ("bare loadPyodide (npm files)", "bare/bare.html?mode=upstream&index=../upstream/",
         DEFAULT_READY, None, ("http",)),
    ]
    if args.install_costs:
        for how in ("loadPackage", "unpack", "fs"):
            cases.append((f"install: {how}", f"bare/bare.html?install={how}", DEFAULT_READY, None,
                          ("http", "file")))
    rows = []
    choice = choose_browser()
    if choice is None:
        sys.exit("no browser: run 'make setup' or set CWC_BROWSER")
    with sync_playwright() as p:
        browser = p.chromium.launch(**choice.launch_kwargs())
        try:
            for label, path, ready, first, protocols in cases:
                for protocol in protocols:
                    samples = [measure(browser, bases[protocol] + path, ready, first, args.timeout)
                               for _ in range(args.runs)]
                    results = [s.get("result") or {} for s in samples]
                    rows.append((label, protocol, {
                        "paint": median([s.get("paint") for s in samples]),
                        "first": median([s.get("first") for s in samples]),
                        "ready": median([s.get("ready") for s in samples]),
                        "install": median([r.get("installMs") for r in results]),
                        "routes": sorted({r.get("route") for r in results if r.get("route")}),
                    }))
                    print(f"  measured {label} over {protocol}", file=sys.stderr)
        finally:
            browser.close()
            server.shutdown()
    return rows


def print_table(rows: list[tuple[str, str, dict]], runs: int) -> None:
    """Medians in ms, with the ratio of 'ready' to the bare loadPyodide of the same protocol."""
    def fmt(value: float | None) -> str:
        return "-" if value is None else f"{value:.0f}"

    bare = {proto: m["ready"] for label, proto, m in rows if label == "bare loadPyodide (bundle)"}
    upstream = next((m["ready"] for label, _, m in rows if label.endswith("(npm files)")), None)
    print(f"\nMedians of {runs} fresh browser contexts, ms since navigation "
          "(install: ms to install and import cwc_engine)")
    header = f"{'case':30} {'proto':5} {'paint':>6} {'1st Q':>6} {'ready':>6} {'install':>7} " \
             f"{'/bare':>6} {'/npm':>6}  route"
    print(header)
    print("-" * len(header))
    for label, proto, m in rows:
        if label.startswith("plain"):
            m = {**m, "ready": None}  # a plain page has nothing to get ready
        ratio = m["ready"] / bare[proto] if m["ready"] and bare.get(proto) else None
        ratio_up = m["ready"] / upstream if m["ready"] and upstream else None
        print(f"{label:30} {proto:5} {fmt(m['paint']):>6} {fmt(m['first']):>6} "
              f"{fmt(m['ready']):>6} {fmt(m['install']):>7} "
              f"{'-' if ratio is None else f'{ratio:.2f}':>6} "
              f"{'-' if ratio_up is None else f'{ratio_up:.2f}':>6}  {','.join(m['routes'])}")


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, run the measurements, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path,
                        help="built site folder (default: a throw-away site with a test page)")
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
    parser.add_argument("--timeout", type=int, default=30000, help="ms to wait for a page")
    parser.add_argument("--install-costs", action="store_true",
                        help="also time loadPackage vs unpacking the wheel vs writing the module")
    args = parser.parse_args(argv)
    args.runs = max(args.runs, 5)
    with tempfile.TemporaryDirectory(prefix="cwc-bench-") as tmp:
        site = args.site or make_test_site(Path(tmp) / "test-site", args.engine)
        root = make_root(Path(site), Path(tmp) / "root")
        rows = run(args, root)
    print_table(rows, args.runs)


if __name__ == "__main__":
    main()
