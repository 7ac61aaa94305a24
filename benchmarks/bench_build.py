"""Time ``mkdocs build`` of the site, with the decision trees and without (the baseline).

Usage:
    python benchmarks/bench_build.py [--runs N]

The baseline is the same docs built by plain mkdocs-material (search and offline plugins,
no cwc-decision-trees plugin), in the same run. With the runtime, snapshot and diagrams
cached (after a first build) the target is under 1.5 times the baseline. Prints medians.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def plain_config(target: Path) -> Path:
    """mkdocs.yml without our plugin or nav entries for generated pages."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    config["plugins"] = ["search", "offline"]
    config.pop("nav", None)
    config.pop("strict", None)
    config["docs_dir"] = str(ROOT / "docs")
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    path = target / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config))
    return path


def time_build(config: Path, site: Path) -> float:
    """Seconds one ``mkdocs build`` of ``config`` into ``site`` takes."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d",
                    str(site)], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    """Warm the caches, then time both builds, interleaved, and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = max(5, parser.parse_args().runs)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        plain = plain_config(tmp_path)
        full = ROOT / "mkdocs.yml"
        time_build(full, tmp_path / "warm")  # fills the runtime/snapshot/diagram caches
        results = {"plain mkdocs-material": [], "with decision trees": []}
        for _ in range(runs):  # interleaved, so both see the same machine load
            results["plain mkdocs-material"].append(time_build(plain, tmp_path / "plain"))
            results["with decision trees"].append(time_build(full, tmp_path / "full"))
    base = statistics.median(results["plain mkdocs-material"])
    for name, values in results.items():
        median = statistics.median(values)
        print(f"{name:24} median {median:6.2f} s   ratio {median / base:4.2f}   (n={runs})")


if __name__ == "__main__":
    main()
