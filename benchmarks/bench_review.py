"""Time what the Board's pages add to a build: the review points, the notes, the git comparison.

Usage:
    python benchmarks/bench_review.py [--runs N]

Measures, on this repository's own docs (medians of N runs, wall time and CPU time of this
process; git's own time counts in the wall time only):

- reading and checking ``docs/policy/review-points.yml`` against the clause anchors;
- placing the notes beside the clauses of every policy page (the HTML pass);
- the review page's Markdown;
- the comparison with the last approved version, in a throwaway clone of this repository
  (its working tree) with the approval recorded, the text tagged ``policy-v1.0``, and then
  one clause and one guide changed, as a real draft would be; and with no tag at all.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build_tools.errors import Problems  # noqa: E402
from build_tools.site.anchors import DocsIndex  # noqa: E402
from build_tools.site.build import SiteBuild  # noqa: E402
from build_tools.site.changes import compare  # noqa: E402
from build_tools.site.document_control import read_document_control  # noqa: E402
from build_tools.site.nav import nav_pages  # noqa: E402
from build_tools.site.review_points import (  # noqa: E402
    NoteRenderer,
    insert_beside,
    load_review_points,
    points_by_clause,
    review_page_markdown,
)
from build_tools.site.settings import read_settings  # noqa: E402
from build_tools.trees.paths_text import paths_text  # noqa: E402


def measure(label: str, runs: int, work: Callable[[], Any]) -> None:
    """Print the median wall and CPU time of ``work``."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(f"{label:58} {statistics.median(walls) * 1000:8.1f} ms wall "
          f"{statistics.median(cpus) * 1000:8.1f} ms CPU")


def git(folder: Path, *args: str) -> None:
    """Run git in ``folder`` as a throwaway author."""
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org",
                    *args], cwd=folder, check=True, capture_output=True)


def tagged_clone(target: Path) -> Path:
    """A clone whose HEAD records an approval tagged policy-v1.0, then a changed draft."""
    subprocess.run(["git", "clone", "-q", "--local", str(ROOT), str(target)], check=True)
    config = target / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("    approvals: []\n", (
        "    approvals:\n      - version: \"1.0\"\n        approved_on: 2026-01-01\n"
        "        approved_by: Board of Trustees\n        minute: \"bench\"\n"
        "        tag: policy-v1.0\n")), encoding="utf-8")
    git(target, "commit", "-qam", "bench: an approval")
    git(target, "tag", "policy-v1.0")
    page = target / "docs" / "policy" / "police-and-courts.md"
    page.write_text(page.read_text(encoding="utf-8").replace("subpoenaed", "summonsed", 1),
                    encoding="utf-8")
    return target


def main() -> None:
    """Print each measurement."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    settings = read_settings(ROOT / "mkdocs.yml", runtime=False)
    docs = DocsIndex(settings.docs_dir, settings.markdown)
    clauses = docs.clauses(settings.clauses_dir, settings.coverage_exclude)
    order = [p for p in nav_pages(settings.nav) if p.startswith(settings.clauses_dir + "/")]
    path = settings.review_points_path

    def load() -> list:
        return load_review_points(path, "review-points.yml", clauses, order, Problems())

    points = load()
    print(f"{len(points)} review points on {len(points_by_clause(points))} clauses")
    measure("read and check review-points.yml", runs, load)

    site = SiteBuild(settings)
    notes = NoteRenderer(site.markdown)
    by_clause = points_by_clause(points)
    pages = {}
    converter = settings.markdown.converter()
    for clause in clauses:
        if clause.page not in pages:
            text = (settings.docs_dir / clause.page).read_text(encoding="utf-8")
            pages[clause.page] = converter.reset().convert(text)

    def place() -> None:
        for src, html in pages.items():
            url = src.removesuffix(".md") + ".html"
            beside = {ref.partition("#")[2]: notes.note(p, url, "trustees/review-points.html")
                      for ref, p in by_clause.items() if ref.startswith(src + "#")}
            insert_beside(html, beside)

    measure(f"notes beside the clauses of {len(pages)} policy pages", runs, place)
    measure("the review page's Markdown", runs,
            lambda: review_page_markdown(points, "trustees/review-points.md", 2))

    with tempfile.TemporaryDirectory() as tmp:
        clone = tagged_clone(Path(tmp) / "clone")
        cloned = read_settings(clone / "mkdocs.yml", runtime=False)
        control = read_document_control(cloned.policy, cloned.config_file, clone, Problems())
        now = {p: (cloned.docs_dir / p).read_text(encoding="utf-8")
               for p in sorted({c.page for c in clauses})}
        def comparison() -> object:
            paths = paths_text(site.trees.values(), settings.path_limit)
            return compare(control, clone, cloned.docs_dir, cloned.clauses_dir,
                           cloned.trees_dir, now, list(now), paths, cloned.coverage_exclude)

        measure("the comparison with policy-v1.0 (git, a real diff)", runs, comparison)
        measure("  of which: the paths text of every guide", runs,
                lambda: paths_text(site.trees.values(), settings.path_limit))
        git(clone, "tag", "-d", "policy-v1.0")
        measure("the comparison when the tag is missing", runs, comparison)
        shutil.rmtree(clone)


if __name__ == "__main__":
    main()
