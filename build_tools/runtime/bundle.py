"""Prepare the files a tree page needs to run the engine in the browser, once, and cache them.

``prepare_runtime(engine_py)`` does everything that depends only on the pinned Pyodide,
the engine's source and the runtime's own source files: it fetches Pyodide if needed,
builds the engine wheel, registers it in a copy of ``pyodide-lock.json``, rewrites the
module glue into a classic script, makes (in Node) the trimmed, precompiled standard
library and the memory snapshot, and packs the binaries into classic asset scripts (for
``file://``) and plain gzip files (for http). The result is cached in
``cache_dir()/build/<hash of those inputs>``, never keyed by the trees, so a second build
only copies files. ``RuntimeBundle.write_to(site_dir)`` puts them in
``site/assets/cwc-runtime/``; a tree page includes the one script at
``RuntimeBundle.loader_path``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from build_tools.errors import BuildError
from build_tools.runtime import glue
from build_tools.runtime.lockfile import LockfileError, add_wheel
from build_tools.runtime.wheel import build_engine_wheel
from build_tools.setup.fetch import PYODIDE, FetchError, cache_dir, ensure_runtime

RUNTIME_DIR = Path(__file__).resolve().parent
LOADER = "cwc-runtime.js"
SNAPSHOT_SCRIPT = RUNTIME_DIR / "make_snapshot.mjs"
ENGINE_VERSION = "1.0.0"
# The files whose bytes decide what is built (the cache key). Not widget.js/widget.css:
# the widget is copied by the plugin, and editing it must not remake the snapshot.
SOURCE_FILES = (
    "bundle.py", "glue.py", "lockfile.py", "wheel.py", LOADER, "make_snapshot.mjs",
    "../setup/fetch.py",
)
# What ships, in site/assets/cwc-runtime/ (the loader injects the rest by these names).
# Each big payload twice: a classic script for file://, the same gzip bytes plain for http.
PAYLOADS = ("cwc-wasm", "cwc-stdlib", "cwc-snapshot")
SHIPPED = (
    LOADER, "pyodide.js", "pyodide-asm.js", "cwc-engine.js",
    *(name + ext for name in PAYLOADS for ext in (".js", ".bin")),
)
_COMPLETE = ".complete"
KEEP_ENTRIES = 4  # cached bundles kept (about 50 MB each): e.g. the real and the test engine
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


class RuntimeBuildError(BuildError):
    """The browser runtime could not be prepared; the message says what to do."""


@dataclass(frozen=True)
class RuntimeBundle:
    """The ready-to-copy runtime files for one (Pyodide, engine, runtime source) triple.

    Attributes:
        source_dir: The cached folder holding exactly the files that ship.
        work_dir: The cached folder holding the wheel, lock file and raw snapshot (not shipped).
        key: The cache key (sha256 of the inputs).
        files: The shipped file names.
    """

    loader_path: ClassVar[str] = "assets/cwc-runtime/" + LOADER
    site_subdir: ClassVar[str] = "assets/cwc-runtime"

    source_dir: Path
    work_dir: Path
    key: str
    files: tuple[str, ...] = field(default=SHIPPED)

    @property
    def version(self) -> str:
        """A short build id: include the loader as ``loader_path + "?v=" + version``.

        The loader passes the query on to the files it loads, so browsers that cached an
        older build's files fetch the new ones.
        """
        return self.key[:12]

    @property
    def wheel_path(self) -> Path:
        """The engine wheel registered in the lock file."""
        return next(self.work_dir.glob("*.whl"))

    @property
    def lock_path(self) -> Path:
        """The ``pyodide-lock.json`` with the engine wheel added."""
        return self.work_dir / "pyodide-lock.json"

    def write_to(self, site_dir: Path) -> None:
        """Copy the runtime files into ``site_dir/assets/cwc-runtime/``."""
        target = Path(site_dir) / self.site_subdir
        target.mkdir(parents=True, exist_ok=True)
        for name in self.files:
            shutil.copyfile(self.source_dir / name, target / name)


def cache_key(engine_py: Path) -> str:
    """The sha256 of the pinned Pyodide, the engine's bytes and the runtime's source files."""
    digest = hashlib.sha256()
    digest.update(f"{PYODIDE.spec} {PYODIDE.integrity}\n".encode())
    inputs = [("engine", Path(engine_py))] + [(name, RUNTIME_DIR / name) for name in SOURCE_FILES]
    for label, path in inputs:
        data = path.read_bytes()
        digest.update(f"{label} {len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


def prepare_runtime(engine_py: Path, *, quiet: bool = True) -> RuntimeBundle:
    """Return the runtime bundle for ``engine_py``, building it only if it is not cached.

    Raises:
        RuntimeBuildError: When a step fails (npm or Node missing, Pyodide's glue changed
            shape, pyodide-build or the snapshot failed), with what to do about it.
    """
    engine_py = Path(engine_py)
    if not engine_py.is_file():
        raise RuntimeBuildError(f"{engine_py}: the engine module does not exist")
    try:
        pyodide_dir = ensure_runtime(quiet=quiet)["pyodide"]
    except FetchError as error:
        raise RuntimeBuildError(error.message, error.hint) from error
    key = cache_key(engine_py)
    entry = cache_dir() / "build" / key
    bundle = RuntimeBundle(source_dir=entry / "site", work_dir=entry / "work", key=key)
    if (entry / _COMPLETE).exists():
        os.utime(entry / _COMPLETE)  # mark it recently used, for _prune()
        return bundle
    entry.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=entry.parent, prefix=".tmp-") as tmp:
        staging = Path(tmp) / key
        try:
            _build(engine_py, pyodide_dir, staging / "site", staging / "work")
        except (glue.GlueError, LockfileError) as error:
            raise RuntimeBuildError(error.message, error.hint) from error
        (staging / _COMPLETE).write_text(key)
        if (entry / _COMPLETE).exists():  # another build of the same key finished first
            return bundle
        if entry.exists():
            shutil.rmtree(entry)  # left by an interrupted build
        # Rename last, so an interrupted build never leaves a half-made entry behind.
        os.replace(staging, entry)
    _prune(entry.parent)
    return bundle


def _prune(build_dir: Path) -> None:
    """Delete all but the KEEP_ENTRIES most recently used bundles."""
    entries = [p for p in build_dir.iterdir() if (p / _COMPLETE).exists()]
    entries.sort(key=lambda p: (p / _COMPLETE).stat().st_mtime, reverse=True)
    for stale in entries[KEEP_ENTRIES:]:
        shutil.rmtree(stale, ignore_errors=True)


def _build(engine_py: Path, pyodide_dir: Path, site: Path, work: Path) -> None:
    site.mkdir(parents=True)
    # The glue first: it is the step a Pyodide upgrade breaks, and it costs nothing.
    asm = (pyodide_dir / "pyodide.asm.mjs").read_text(encoding="utf-8")
    (site / "pyodide-asm.js").write_text(glue.classic_glue(asm), encoding="utf-8")
    wheel = build_engine_wheel(engine_py, work, ENGINE_VERSION)
    lock = work / "pyodide-lock.json"
    add_wheel(pyodide_dir / "pyodide-lock.json", wheel, lock)
    snapshot = work / "snapshot.bin"
    stdlib = work / "python_stdlib.zip"
    make_snapshot(pyodide_dir, lock, wheel, snapshot, stdlib)

    shutil.copyfile(RUNTIME_DIR / LOADER, site / LOADER)
    # The source-map comment would only send DevTools looking for a file we do not ship.
    loader = _SOURCE_MAP.sub("", (pyodide_dir / "pyodide.js").read_text(encoding="utf-8"))
    (site / "pyodide.js").write_text(loader, encoding="utf-8")
    engine = {"pyodide-lock.json": lock.read_bytes(), wheel.name: wheel.read_bytes()}
    (site / "cwc-engine.js").write_text(glue.asset_script(engine), encoding="ascii")
    payloads = {
        "cwc-wasm": ("pyodide.asm.wasm", (pyodide_dir / "pyodide.asm.wasm").read_bytes()),
        "cwc-stdlib": ("python_stdlib.zip", stdlib.read_bytes()),
        "cwc-snapshot": ("snapshot.bin", glue.snapshot_payload(snapshot.read_bytes())),
    }
    for name, (asset, data) in payloads.items():
        (site / f"{name}.js").write_text(glue.asset_script({asset: data}), encoding="ascii")
        (site / f"{name}.bin").write_bytes(glue.binary_file(data))


def make_snapshot(pyodide_dir: Path, lock: Path, wheel: Path, out: Path, stdlib: Path) -> dict:
    """Run ``make_snapshot.mjs`` in Node: the trimmed stdlib, then the snapshot; return timings.

    Raises:
        RuntimeBuildError: When Node is missing or the snapshot script fails.
    """
    node = shutil.which("node")
    if not node:
        raise RuntimeBuildError(
            "Node.js is needed to build the Pyodide memory snapshot: install Node.js 20 or "
            "later (e.g. 'apt-get install nodejs npm') and build again"
        )
    result = subprocess.run(
        [node, str(SNAPSHOT_SCRIPT), str(pyodide_dir), str(lock), str(wheel), str(out),
         str(stdlib)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not out.exists() or not stdlib.exists():
        # Node echoes the offending source line, and Pyodide's glue is one 1 MB line.
        lines = [line[:300] for line in result.stderr.splitlines() if line.strip()]
        raise RuntimeBuildError(
            f"making the Pyodide snapshot failed ({SNAPSHOT_SCRIPT.name}, exit "
            f"{result.returncode}). Does the engine import cleanly in Pyodide "
            f"{PYODIDE.version} (stdlib only)? Node said:\n" + "\n".join(lines[-25:])
        )
    return json.loads(result.stdout.strip().splitlines()[-1])
