"""Mutation testing of the pure core: the engine (and the paths), with cosmic-ray.

Run: ``make mutation`` (or ``.venv/bin/python benchmarks/mutation.py``); a script, not a
test, and not part of ``make test`` (it takes minutes). It needs the ``mutation`` extra:
``.venv/bin/pip install -e '.[test,mutation]'`` (``make mutation`` does that).

What it does, for each module (``build_tools/trees/engine.py`` and
``build_tools/trees/paths.py`` unless ``--module`` says otherwise):

1. copies the work tree (tracked files and new, not ignored ones) into a temporary folder,
   so the files here are never changed, even if the run is interrupted;
2. runs the module's own fast tests once unmutated (they must pass) and times them;
3. lets cosmic-ray make every mutant of the module (one small change each: an operator,
   a comparison, a number, a ``not``, a loop that never runs, ...) and run the same tests
   on each, in a fresh process, with Hypothesis derandomized (``CWC_ENGINE_PROFILE=mutation``)
   so that a score can be repeated;
4. does the same for the project's own mutants below (``EXTRA_MUTANTS``): plausible engine
   bugs that cosmic-ray has no operator for (``in`` ↔ ``not in``, slice bounds, the codec's
   ``safe=""``, ...);
5. prints, per module, the mutants, how many the tests killed, the mutation score, and
   every survivor with its diff and whether ``benchmarks/mutation-survivors.md`` explains
   it (as equivalent to the original). It exits 1 if a survivor is not explained.

``--tests-from REV`` runs the tests of an older commit (e.g. to get the score before a
change to the tests): ``benchmarks/mutation.py --tests-from f483b5a``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SURVIVORS = ROOT / "benchmarks" / "mutation-survivors.md"

MODULES = {
    # module: the tests that are its own (they must kill its mutants on their own)
    "build_tools/trees/engine.py": ["tests/trees/test_engine*.py"],
    "build_tools/trees/paths.py": ["tests/trees/test_paths.py", "tests/trees/test_engine*.py"],
}

# (module, name, the text as it is, the mutated text): each text occurs once in the module.
EXTRA_MUTANTS = [
    ("build_tools/trees/engine.py", "back undoes two answers whenever more than two remain",
     "        if self._trail:\n            self._trail.pop()\n",
     "        if self._trail:\n            self._trail.pop()\n"
     "            if len(self._trail) > 1:\n                self._trail.pop()\n"),
    ("build_tools/trees/engine.py", "back always undoes every answer",
     "            self._trail.pop()\n", "            self._trail.clear()\n"),
    ("build_tools/trees/engine.py", "change(i) keeps i+1 answers",
     "del self._trail[index:]", "del self._trail[index + 1:]"),
    ("build_tools/trees/engine.py", "change(i) keeps i-1 answers",
     "del self._trail[index:]", "del self._trail[max(index - 1, 0):]"),
    ("build_tools/trees/engine.py", "change accepts the position just past the last answer",
     "0 <= index < len(self._trail)", "0 <= index <= len(self._trail)"),
    ("build_tools/trees/engine.py", "change accepts negative positions",
     "0 <= index < len(self._trail)", "-len(self._trail) <= index < len(self._trail)"),
    ("build_tools/trees/engine.py", "the node is the question answered last, not where it leads",
     "        return self._questions[question][label]\n", "        return question\n"),
    ("build_tools/trees/engine.py", "choose accepts a label of any question",
     "label not in self._questions[node]",
     "not any(label in q for q in self._questions.values())"),
    ("build_tools/trees/engine.py", "choose ignores case",
     "label not in self._questions[node]",
     "label.lower() not in [k.lower() for k in self._questions[node]]"),
    ("build_tools/trees/engine.py", "an invalid choice is recorded before it is refused",
     "        node = self.node\n        if node not in self._questions",
     "        node = self.node\n        self._trail.append((node, label))\n"
     "        if node not in self._questions"),
    ("build_tools/trees/engine.py", "options come in sorted order, not the tree's",
     "return tuple(self._questions.get(self.node, ()))",
     "return tuple(sorted(self._questions.get(self.node, ())))"),
    ("build_tools/trees/engine.py", "restore reports every answer as dropped",
     'state["dropped"] = answers[len(self._trail):]', 'state["dropped"] = answers'),
    ("build_tools/trees/engine.py", "restore drops one answer too many",
     'state["dropped"] = answers[len(self._trail):]',
     'state["dropped"] = answers[max(len(self._trail) - 1, 0):]'),
    ("build_tools/trees/engine.py", "restore skips an answer that does not fit and goes on",
     "                break\n", "                continue\n"),
    ("build_tools/trees/engine.py", "goto keeps the answers that fit when one does not",
     "        trail = self._walk(answers, strict=True)\n        self._trail = trail\n",
     "        self._trail = self._walk(answers, strict=False)\n"
     "        self._walk(answers, strict=True)\n"),
    ("build_tools/trees/engine.py", "a strict replay names the answer before the one that fails",
     "raise InvalidAnswer(node, label, tuple(options), step)",
     "raise InvalidAnswer(node, label, tuple(options), step - 1)"),
    ("build_tools/trees/engine.py", "an answer after an outcome is accepted by a replay",
     "            options = self._questions.get(node, {})\n",
     "            options = self._questions.get(node, self._questions[self._start])\n"),
    ("build_tools/trees/engine.py", "the state lists the labels in reverse",
     '"answers": [{"question": q, "label": label} for q, label in self._trail],',
     '"answers": [{"question": q, "label": label} for q, label in self._trail[::-1]],'),
    ("build_tools/trees/engine.py", "can_go_back is true one answer early",
     '"can_go_back": bool(self._trail),', '"can_go_back": len(self._trail) > 1,'),
    ("build_tools/trees/engine.py", "labels are encoded with '/' left as it is",
     'quote(str(label), safe="")', "quote(str(label))"),
    ("build_tools/trees/engine.py", "labels are encoded for a query string ('+' for spaces)",
     'quote(str(label), safe="")',
     '__import__("urllib.parse").parse.quote_plus(str(label), safe="")'),
    ("build_tools/trees/engine.py", "decoding keeps the empty parts of '//'",
     'return [unquote(part) for part in fragment.split("/") if part]',
     'return [unquote(part) for part in fragment.split("/")]'),
    ("build_tools/trees/engine.py", "decoding splits after decoding",
     'return [unquote(part) for part in fragment.split("/") if part]',
     'return [part for part in unquote(fragment).split("/") if part]'),
    ("build_tools/trees/engine.py", "the tree id is cut at the last '=' instead of the first",
     '.partition("=")', '.rpartition("=")'),
    ("build_tools/trees/engine.py", "a '#' is stripped from the end instead of the start",
     '.removeprefix("#")', '.removesuffix("#")'),
    ("build_tools/trees/engine.py", "the tree id is not percent-encoded",
     "f\"{quote(str(tree_id), safe='')}={encode_answers(answers)}\"",
     'f"{tree_id}={encode_answers(answers)}"'),
    ("build_tools/trees/engine.py", "data whose next names no node is accepted",
     "            if target not in known:\n", "            if False:\n"),
    ("build_tools/trees/paths.py", "paths are listed in reverse option order",
     'stack = [iter(questions[data["start"]]["options"])]',
     'stack = [iter(questions[data["start"]]["options"][::-1])]'),
    ("build_tools/trees/paths.py", "the limit is exclusive",
     "if count > limit:", "if count >= limit:"),
]

TEST_ARGS = ["-x", "-q", "-p", "no:cacheprovider", "-m", "not browser", "--no-header"]


@dataclass
class Result:
    """One mutant and what the tests made of it."""

    module: str
    function: str
    operator: str
    before: str
    after: str
    killed: bool
    diff: str


def copy_tree(destination: Path, tests_from: str | None) -> None:
    """Copy the work tree's files (tracked and new, not ignored) into ``destination``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    if tests_from:
        shutil.rmtree(destination / "tests")
        archive = subprocess.run(["git", "archive", tests_from, "tests"], cwd=ROOT,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(destination)], input=archive, check=True)


def test_files(work: Path, patterns: list[str]) -> list[str]:
    """The test files (relative to ``work``) that ``patterns`` name, each once, in order."""
    found: list[str] = []
    for pattern in patterns:
        for path in sorted(work.glob(pattern)):
            name = path.relative_to(work).as_posix()
            if name not in found:
                found.append(name)
    return found


def run(command: list[str], work: Path, timeout: float | None = None) -> tuple[bool, float]:
    """Run a test command in ``work``; return (passed, seconds)."""
    start = time.monotonic()
    try:
        result = subprocess.run(command, cwd=work, capture_output=True, timeout=timeout,
                                env=test_env())
    except subprocess.TimeoutExpired:
        return False, time.monotonic() - start
    return result.returncode == 0, time.monotonic() - start


def test_env() -> dict[str, str]:
    """The environment of every test run: derandomized Hypothesis, no bytecode files."""
    return dict(os.environ, CWC_ENGINE_PROFILE="mutation", PYTHONDONTWRITEBYTECODE="1")


def changed_lines(diff: str) -> tuple[str, str]:
    """The removed and the added lines of a unified diff, each stripped and joined by ' ⏎ '."""
    removed = [line[1:].strip() for line in diff.splitlines()
               if line.startswith("-") and not line.startswith("---")]
    added = [line[1:].strip() for line in diff.splitlines()
             if line.startswith("+") and not line.startswith("+++")]
    return " ⏎ ".join(removed), " ⏎ ".join(added)


def run_cosmic_ray(module: str, work: Path, command: list[str], timeout: float) -> list[Result]:
    """Run cosmic-ray on one module in ``work``; return every mutant's result."""
    config = work / "cosmic-ray.toml"
    session = work / "session.sqlite"
    config.write_text(
        "[cosmic-ray]\n"
        f"module-path = {json.dumps(module)}\n"
        f"timeout = {timeout:.0f}\n"
        "excluded-modules = []\n"
        f"test-command = {json.dumps(shlex.join(command))}\n"
        "[cosmic-ray.distributor]\n"
        'name = "local"\n',
        encoding="utf-8",
    )
    if session.exists():
        session.unlink()
    tool = Path(sys.executable).with_name("cosmic-ray")
    subprocess.run([str(tool), "init", str(config), str(session)], cwd=work, check=True,
                   env=test_env())
    subprocess.run([str(tool), "exec", str(config), str(session)], cwd=work, check=True,
                   env=test_env())
    dump = subprocess.run([str(tool), "dump", str(session)], cwd=work, check=True,
                          capture_output=True, text=True, env=test_env()).stdout
    results = []
    for line in dump.splitlines():
        item, result = json.loads(line)
        mutation = item["mutations"][0]
        if result is None or result["worker_outcome"] == "no-test":
            continue
        if result["worker_outcome"] != "normal":
            raise SystemExit(f"cosmic-ray could not run a mutant: {result.get('output')}")
        before, after = changed_lines(result["diff"] or "")
        results.append(Result(
            module=Path(module).name,
            function=mutation["definition_name"] or "(module)",
            operator=mutation["operator_name"],
            before=before, after=after,
            killed=result["test_outcome"] != "survived",
            diff=result["diff"] or "",
        ))
    results.sort(key=lambda r: (r.function, r.operator, r.before, r.after))
    return results


def extra_mutants(module: str, work: Path, command: list[str], timeout: float) -> list[Result]:
    """Apply each of the project's own mutants of ``module`` in turn; return the results."""
    path = work / module
    original = path.read_text(encoding="utf-8")
    results = []
    try:
        for target, name, old, new in EXTRA_MUTANTS:
            if target != module:
                continue
            if original.count(old) != 1:
                print(f"  note: extra mutant {name!r} no longer applies "
                      f"(its text occurs {original.count(old)} times)")
                continue
            path.write_text(original.replace(old, new), encoding="utf-8")
            passed, _ = run(command, work, timeout)
            results.append(Result(module=Path(module).name, function="(extra)", operator=name,
                                  before=old.strip(), after=new.strip(), killed=not passed,
                                  diff=""))
    finally:
        path.write_text(original, encoding="utf-8")
    return results


def explained() -> set[tuple[str, str, str, str, str]]:
    """The survivors mutation-survivors.md explains: (module, function, operator, before, after)."""
    if not SURVIVORS.exists():
        return set()
    keys = set()
    text = SURVIVORS.read_text(encoding="utf-8")
    for block in re.split(r"^### ", text, flags=re.M)[1:]:
        heading, _, body = block.partition("\n")
        parts = [p.strip() for p in heading.split("·")]
        before = re.search(r"^- before: `(.*)`$", body, flags=re.M)
        after = re.search(r"^- after: `(.*)`$", body, flags=re.M)
        if len(parts) == 3 and before and after:
            keys.add((*parts, before.group(1), after.group(1)))
    return keys


def key(result: Result) -> tuple[str, str, str, str, str]:
    """How mutation-survivors.md names a mutant."""
    return (result.module, result.function, result.operator, result.before, result.after)


def main() -> int:
    """Run the mutants of each module; print the scores and the survivors."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", choices=sorted(MODULES),
                        help="a module to mutate (repeatable; default: all)")
    parser.add_argument("--tests-from", metavar="REV",
                        help="run the tests of this commit instead of the work tree's")
    parser.add_argument("--no-extra", action="store_true",
                        help="only cosmic-ray's mutants, not the project's own")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    options = parser.parse_args()
    try:
        import cosmic_ray  # noqa: F401
    except ImportError:
        print("cosmic-ray is not installed: .venv/bin/pip install -e '.[test,mutation]'",
              file=sys.stderr)
        return 2

    print(f"cosmic-ray {metadata.version('cosmic-ray')}; Python {sys.version.split()[0]}")
    known = explained()
    unexplained = 0
    report = {}
    with tempfile.TemporaryDirectory(prefix="cwc-mutation-") as name:
        work = Path(name)
        copy_tree(work, options.tests_from)
        for module in options.module or list(MODULES):
            tests = test_files(work, MODULES[module])
            command = [sys.executable, "-m", "pytest", *TEST_ARGS, *tests]
            passed, seconds = run(command, work)
            if not passed:
                print(f"{module}: the tests fail without any mutant: {shlex.join(command)}",
                      file=sys.stderr)
                return 2
            timeout = max(60.0, 10 * seconds)
            print(f"{module}: {len(tests)} test files, {seconds:.1f} s unmutated", flush=True)
            started = time.monotonic()
            results = run_cosmic_ray(module, work, command, timeout)
            extras = [] if options.no_extra else extra_mutants(module, work, command, timeout)
            elapsed = time.monotonic() - started
            report[module] = {"tool": [r.__dict__ for r in results],
                              "extra": [r.__dict__ for r in extras]}
            for label, group in (("cosmic-ray", results), ("extra", extras)):
                if not group:
                    continue
                killed = sum(r.killed for r in group)
                print(f"  {label}: {len(group)} mutants, {killed} killed, "
                      f"{len(group) - killed} survived: score {100 * killed / len(group):.1f} %")
            for result in results + extras:
                if result.killed:
                    continue
                ok = key(result) in known
                unexplained += not ok
                print(f"  survived{' (explained)' if ok else ''}: {result.function} · "
                      f"{result.operator}\n    - {result.before}\n    + {result.after}")
            print(f"  ({elapsed / 60:.1f} min)", flush=True)
    if options.json:
        options.json.write_text(json.dumps(report, indent=1, ensure_ascii=False),
                                encoding="utf-8")
    if unexplained:
        print(f"{unexplained} survivor(s) not explained in "
              f"{SURVIVORS.relative_to(ROOT)}: kill them with a test, or explain why each "
              "is equivalent", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
