"""Rank the search table without a browser: where each query's page comes, and how fast.

Usage:
    python benchmarks/bench_search.py SITE_DIR [--table FILE] [--runs N]

Runs the theme's own search worker (the built site's ``assets/javascripts/workers``) in
Node.js on the built index (``search/search_index.json``), exactly as a browser runs it,
for every row of the table (default: ``tests/browser/search_queries.yml``). Prints each
row's rank (the position of its expected page among the result pages), how many rows come
first, second, third or lower, and the median time per query over ``--runs`` repetitions.
For authors tuning ``keywords``: seconds, where the browser test takes a minute.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

RUNNER = r"""
const fs = require('fs'), vm = require('vm'), path = require('path');
const [site, rowsFile, runs] = process.argv.slice(1);
const dir = path.join(site, 'assets/javascripts/workers');
const file = fs.readdirSync(dir).find(f => f.endsWith('.js'));
const worker = fs.readFileSync(path.join(dir, file), 'utf8');
let handler, out = [];
const ctx = { console, postMessage: m => out.push(m),
              addEventListener: (t, h) => { handler = h; } };
ctx.self = ctx;
vm.createContext(ctx); vm.runInContext(worker, ctx);
const index = JSON.parse(fs.readFileSync(path.join(site, 'search/search_index.json'), 'utf8'));
(async () => {
  await handler({ data: { type: 0, data: { ...index, options: { suggest: false } } } });
  const rows = JSON.parse(fs.readFileSync(rowsFile, 'utf8')), result = [];
  for (const row of rows) {
    const times = [];
    let pages = [];
    for (let i = 0; i < Number(runs); i++) {
      out = [];
      const start = process.hrtime.bigint();
      await handler({ data: { type: 2, data: row.query } });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      pages = out[0].data.items.map(g => (g.find(d => !d.location.includes('#')) || g[0]).location);
    }
    times.sort((a, b) => a - b);
    result.push({ ...row, pages: pages.slice(0, 5), ms: times[Math.floor(times.length / 2)] });
  }
  console.log(JSON.stringify(result));
})();
"""


def main() -> int:
    """Rank every row of the table; print the ranks and the median time per query."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site (mkdocs build -d SITE_DIR)")
    parser.add_argument("--table", type=Path, default=ROOT / "tests/browser/search_queries.yml")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = yaml.safe_load(args.table.read_text(encoding="utf-8"))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(rows, handle)
    run = subprocess.run(["node", "-e", RUNNER, str(args.site), handle.name, str(args.runs)],
                         capture_output=True, text=True)
    Path(handle.name).unlink()
    if run.returncode:
        print(run.stderr, file=sys.stderr)
        return 1
    ranks: dict[str, int] = {}
    for row in json.loads(run.stdout):
        rank = row["pages"].index(row["expect"]) + 1 if row["expect"] in row["pages"] else 0
        place = str(rank) if 1 <= rank <= 3 else "lower"
        ranks[place] = ranks.get(place, 0) + 1
        mark = "ok  " if 1 <= rank <= 3 else "MISS"
        print(f"{mark} {rank or '-':>2}  {row['query']!r:44} {row['expect']:40} "
              f"{row['ms']:6.1f} ms  {', '.join(row['pages'][:3])}")
    times = sorted(row["ms"] for row in json.loads(run.stdout))
    print(f"\n{len(times)} queries: first {ranks.get('1', 0)}, second {ranks.get('2', 0)}, "
          f"third {ranks.get('3', 0)}, lower {ranks.get('lower', 0)}; median "
          f"{times[len(times) // 2]:.1f} ms, slowest {times[-1]:.1f} ms per query")
    return 0 if not ranks.get("lower") else 1


if __name__ == "__main__":
    sys.exit(main())
