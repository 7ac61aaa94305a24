"""Register the engine wheel in a copy of Pyodide's ``pyodide-lock.json``.

The work is done by pyodide-build's ``pyodide lockfile add-wheels`` (offline; needs
``pkginfo``), so the entry has the fields, sha256 and import names Pyodide's package
manager expects, and ``loadPackage("cwc-engine")`` finds the wheel by name.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from build_tools.errors import BuildError


class LockfileError(BuildError):
    """The wheel could not be added to the lock file."""


def add_wheel(lock_in: Path, wheel: Path, lock_out: Path) -> dict:
    """Write ``lock_out``: ``lock_in`` plus an entry for ``wheel``; return that entry.

    The wheel's ``file_name`` in the lock is relative to ``lock_out``'s folder, where the
    wheel must sit (Pyodide resolves it against its ``packageBaseUrl``).

    Raises:
        LockfileError: When pyodide-build is missing or fails.
    """
    command = [
        sys.executable, "-m", "pyodide_cli", "lockfile", "add-wheels",
        "--input", str(lock_in), "--output", str(lock_out),
        "--base-path", str(lock_out.parent), str(wheel),
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0 or not lock_out.exists():
        raise LockfileError(
            f"'pyodide lockfile add-wheels' failed for {wheel.name} (is pyodide-build >= 0.39 "
            f"with pkginfo installed in this environment?):\n{result.stderr.strip()[-2000:]}"
        )
    packages = json.loads(lock_out.read_text())["packages"]
    entries = [p for p in packages.values() if p["file_name"] == wheel.name]
    if len(entries) != 1:
        raise LockfileError(
            f"{lock_out}: expected one entry for {wheel.name}, found {len(entries)}"
        )
    return entries[0]
