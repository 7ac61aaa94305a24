"""Benchmark the core: load, validate and compile N generated trees of 50 questions each.

Run: ``.venv/bin/python benchmarks/bench_core.py`` (a script, not a test). For each N it
times ``load_and_validate`` + ``engine_data`` + ``enumerate_paths`` over N trees written
as YAML into a temporary folder, five runs each, and prints medians, the time per tree and
the growth from one N to the next (4.0 means linear for N × 4).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from build_tools.errors import TreeErrors  # noqa: E402
from build_tools.trees.engine_data import engine_data  # noqa: E402
from build_tools.trees.paths import count_paths, enumerate_paths  # noqa: E402
from build_tools.trees.validate import load_and_validate  # noqa: E402

QUESTIONS = 50
OUTCOMES = 8


def tree_yaml(seed: int, questions: int = QUESTIONS) -> str:
    """Return a random valid tree: a DAG where each question leads only to later nodes."""
    rng = random.Random(seed)
    lines = ["title: A generated guide", "summary: For the benchmark.", "start: q0", "questions:"]
    for i in range(questions):
        targets = [f"q{i + 1}" if i + 1 < questions else "o0"]
        for _ in range(rng.randint(1, 2)):
            targets.append(_later(rng, i, questions))
        lines += [f"  q{i}:", f"    text: Is this question number {i} of the guide?",
                  "    help: Some *help* for the reader.", "    options:"]
        for k, target in enumerate(dict.fromkeys(targets)):
            lines += [f"      - label: Answer {k}", f"        next: {target}"]
        if len(set(targets)) < 2:
            lines += ["      - label: Other", f"        next: o{rng.randrange(OUTCOMES)}"]
    lines.append("outcomes:")
    for j in range(OUTCOMES):
        lines += [f"  o{j}:", f"    title: Outcome {j}", "    kind: info",
                  "    body: What to do next.", "    cites:", "      - policy.md#rules"]
    return "\n".join(lines) + "\n"


def _later(rng: random.Random, i: int, questions: int) -> str:
    # Mostly outcomes, sometimes a jump ahead: a DAG whose path count stays modest.
    if rng.random() < 0.05 and i + 2 < questions:
        return f"q{rng.randint(i + 2, min(questions - 1, i + 4))}"
    return f"o{rng.randrange(OUTCOMES)}"


def write_trees(folder: Path, count: int) -> list[Path]:
    """Write ``count`` trees (each with at most 1,000 paths) into ``folder``; return the files."""
    paths = []
    seed = 0
    while len(paths) < count:
        text = tree_yaml(seed)
        seed += 1
        path = folder / f"tree-{len(paths)}.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            tree = load_and_validate([path], None)[0]
        except TreeErrors:
            continue  # e.g. an outcome no option leads to: try the next seed
        if count_paths(engine_data(tree)) <= 1_000:
            paths.append(path)
    return paths


def run_once(paths: list[Path], docs: Path) -> float:
    """Time one validate + compile of every tree; return seconds."""
    start = time.perf_counter()
    trees = load_and_validate(paths, docs)
    for tree in trees:
        enumerate_paths(engine_data(tree))
    return time.perf_counter() - start


def main() -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 800])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        docs = root / "docs"
        docs.mkdir()
        (docs / "policy.md").write_text("# Policy\n\n## Rules\n", encoding="utf-8")
        all_paths = write_trees(root, max(args.sizes))
        print(f"{'trees':>6} {'median s':>9} {'ms/tree':>8} {'growth':>7}")
        previous = None
        for size in args.sizes:
            times = [run_once(all_paths[:size], docs) for _ in range(args.runs)]
            median = statistics.median(times)
            growth = f"{median / previous:.2f}" if previous else "-"
            print(f"{size:>6} {median:>9.3f} {1000 * median / size:>8.2f} {growth:>7}")
            previous = median


if __name__ == "__main__":
    main()
