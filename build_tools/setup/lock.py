"""The Python lock file: every package, direct and indirect, pinned with its hashes.

``requirements.lock`` is compiled from ``pyproject.toml`` (its dependencies, every extra,
and the build system's own requirements) by uv, for every platform (``--universal``), and
installed by plain pip with ``--require-hashes``: a user needs nothing but Python to set
up, and only whoever refreshes the lock needs uv (installed into ``.venv`` at a pinned
version when missing). pyproject keeps the ranges a library user would want; the lock holds
the versions this site is built and tested with.

    python -m build_tools.setup.lock           # refresh requirements.lock (make lock)
    python -m build_tools.setup.lock --check   # say where pyproject and the lock disagree
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
LOCK = ROOT / "requirements.lock"
UV = "uv==0.13.9"  # only to refresh the lock
PYTHON = "3.12"  # the oldest Python the project supports: the lock must resolve for it

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", re.M)


def requirements(pyproject: Path = PYPROJECT) -> list[Requirement]:
    """Every requirement pyproject names: dependencies, each extra, the build system's."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = data.get("project", {})
    lines = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        lines += extra
    lines += data.get("build-system", {}).get("requires", [])
    return [Requirement(line) for line in lines]


def pins(lock: Path = LOCK) -> dict[str, str]:
    """Package (canonical name) → the version the lock pins."""
    return {canonicalize_name(name): version
            for name, version in _PIN.findall(lock.read_text(encoding="utf-8"))}


@dataclass(frozen=True)
class Disagreement:
    """A pyproject requirement the lock misses, or pins at a version it does not allow."""

    requirement: str
    locked: str | None

    def __str__(self) -> str:
        if self.locked is None:
            return f"pyproject.toml asks for '{self.requirement}', which {LOCK.name} does not hold"
        return (f"pyproject.toml asks for '{self.requirement}', but {LOCK.name} pins "
                f"{self.locked}")


def disagreements(pyproject: Path = PYPROJECT, lock: Path = LOCK) -> list[Disagreement]:
    """Each pyproject requirement the lock does not hold at a version it allows."""
    locked = pins(lock)
    found = []
    for req in requirements(pyproject):
        version = locked.get(canonicalize_name(req.name))
        if version is None or not req.specifier.contains(version, prereleases=True):
            found.append(Disagreement(str(req), version))
    return found


def compile_lock(pyproject: Path = PYPROJECT, lock: Path = LOCK) -> None:
    """Refresh the lock with uv (installed into this environment when missing)."""
    try:
        subprocess.run([sys.executable, "-m", "uv", "--version"], check=True,
                       capture_output=True)
    except subprocess.CalledProcessError:
        print(f"lock: installing {UV} (only needed to refresh the lock)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                        "--disable-pip-version-check", UV], check=True)
    build = "\n".join(str(r) for r in requirements(pyproject)
                      if r.name in _build_names(pyproject))
    subprocess.run(
        [sys.executable, "-m", "uv", "pip", "compile", str(pyproject.name), "-",
         "--all-extras", "--universal", "--python-version", PYTHON, "--generate-hashes",
         "--custom-compile-command", "make lock", "--quiet", "-o", str(lock)],
        input=build, text=True, check=True, cwd=pyproject.parent,
    )
    print(f"lock: {lock.name} holds {len(pins(lock))} packages", file=sys.stderr)


def _build_names(pyproject: Path) -> set[str]:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return {Requirement(r).name for r in data.get("build-system", {}).get("requires", [])}


def main(argv: list[str] | None = None) -> int:
    """Refresh the lock (or, with --check, only compare it); 1 when they disagree."""
    parser = argparse.ArgumentParser(prog="python -m build_tools.setup.lock")
    parser.add_argument("--check", action="store_true",
                        help="only say where pyproject.toml and the lock disagree")
    args = parser.parse_args(argv)
    if not args.check:
        compile_lock()
    problems = disagreements()
    for problem in problems:
        print(f"lock: {problem}; run 'make lock'", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
