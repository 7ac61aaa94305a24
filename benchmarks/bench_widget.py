"""Time the guides in use: answer → next step, and the cost of clicking through a path.

Usage:
    python benchmarks/bench_widget.py [SITE_DIR] [--runs N]

Builds the site into a temporary folder unless SITE_DIR is given. For each protocol
(http, file://), on every guide page:

- answer latency: from the click on an option to the next frame with the new step shown
  (measured inside the page with performance.now, so Playwright's own overhead is out);
- per-path cost: the wall time Playwright takes to click through every path of the guide
  (as the test suite does: Start again, then each answer), divided by the number of paths.

Prints medians over ``--runs`` repetitions (at least 5).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build_tools.setup.browser import choose_browser  # noqa: E402

CLICK_AND_WAIT = """async (label) => {
  const section = document.querySelector('section.decision-tree');
  const step = [...section.querySelectorAll('[data-role=steps] > *')].find(s => !s.hidden);
  const button = [...step.querySelectorAll('button[data-label]')]
      .find(b => b.getAttribute('data-label') === label);
  const start = performance.now();
  button.click();
  await new Promise(resolve => requestAnimationFrame(() => resolve()));
  return performance.now() - start;
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def build(target: Path) -> Path:
    """Build the real site into ``target``."""
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(target)],
                   cwd=ROOT, check=True)
    return target


def measure_tree(page, root: str, tree: dict) -> tuple[list[float], float]:
    """Answer latencies (ms) over all paths, and the per-path click-through cost (s)."""
    page.goto(root + tree["page"])
    page.wait_for_selector('section.decision-tree[data-state="ready"]', timeout=60_000)
    latencies: list[float] = []
    for path in tree["paths"]:
        page.evaluate("document.querySelector('[data-action=restart]').click()")
        for label in path["answers"]:
            latencies.append(page.evaluate(CLICK_AND_WAIT, label))
    section = page.locator("section.decision-tree")
    started = time.perf_counter()
    for path in tree["paths"]:
        restart = section.locator('[data-action="restart"]')
        if restart.is_enabled():
            restart.click()
        for label in path["answers"]:
            section.locator("[data-role=steps] > :visible").get_by_role(
                "button", name=label, exact=True).click()
        section.locator(f'[data-outcome="{path["outcome"]}"]').wait_for(state="visible")
    per_path = (time.perf_counter() - started) / len(tree["paths"])
    return latencies, per_path


def main(argv: list[str] | None = None) -> None:
    """Build (or take) the site, serve it, and print the medians for both protocols."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    runs = max(5, args.runs)
    if args.site:
        site = args.site.resolve()
    else:
        site = build(Path(tempfile.mkdtemp(prefix="cwc-bench-")) / "site")
    trees = json.loads((site / "decision-trees.json").read_text())["trees"]
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    roots = {"http": f"http://127.0.0.1:{server.server_address[1]}/", "file": site.as_uri() + "/"}
    from playwright.sync_api import sync_playwright

    print(f"{'protocol':8} {'answer→next step, median ms':>28} {'p95 ms':>8} "
          f"{'per path, median s':>19} {'paths':>6}")
    with sync_playwright() as p:
        browser = p.chromium.launch(**choose_browser(whole=True).launch_kwargs())
        for name, root in roots.items():
            latencies: list[float] = []
            per_path_runs: list[float] = []
            for _ in range(runs):
                context = browser.new_context()
                page = context.new_page()
                run_costs, run_paths = [], 0
                for tree in trees:
                    lat, cost = measure_tree(page, root, tree)
                    latencies += lat
                    run_costs.append(cost * len(tree["paths"]))
                    run_paths += len(tree["paths"])
                per_path_runs.append(sum(run_costs) / run_paths)
                context.close()
            latencies.sort()
            p95 = latencies[int(0.95 * (len(latencies) - 1))]
            print(f"{name:8} {statistics.median(latencies):28.1f} {p95:8.1f} "
                  f"{statistics.median(per_path_runs):19.3f} {run_paths:6d}")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
