"""The build tools type-check: mypy over build_tools/, strict on the tree core (pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from tests.locations import ROOT


def test_mypy_finds_nothing() -> None:
    """mypy, with the settings in pyproject.toml, reports no problem."""
    run = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary"], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
