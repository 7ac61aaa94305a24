"""Fetch the pinned npm packages the site and its tests use (Pyodide, the shim, checkers), once.

Each package is fetched with ``npm pack NAME@VERSION``, its tarball checked against the
integrity hash pinned below, and unpacked into a cache directory outside the repository
(``$CWC_CACHE_DIR``, else ``$XDG_CACHE_HOME/cwc-policy``, else ``~/.cache/cwc-policy``).
A second run finds the unpacked copy and does nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from build_tools.errors import BuildError


@dataclass(frozen=True)
class Pin:
    """An npm package pinned by version and by the sha512 of its tarball."""

    name: str
    version: str
    integrity: str  # npm's "sha512-<base64>" of the .tgz

    @property
    def spec(self) -> str:
        """``name@version`` as npm takes it."""
        return f"{self.name}@{self.version}"


PYODIDE = Pin(
    "pyodide",
    "314.0.7",
    "sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5uyuGD82LN7y2q+SNvi/6V5JEsOlD2R1A==",
)
IFRAME_WORKER = Pin(
    "iframe-worker",
    "1.0.4",
    "sha512-roeaaI+Lg1LJNfgpCjoRe/+WzEjy9+Z08LoEvu85MCPbBjwm+qXz8Ag5U05lHa6V1CysZyGzE0SOkAtSUA5q7Q==",
)


VIZ = Pin(
    "@viz-js/viz",
    "3.31.0",
    "sha512-r7zlQdRvcwvIpjHGgs+KNWHeE/P5/Dq7k8ZAKaMCbZqomxCBJV78gVuQYaHzFVca+kB0mX0fMW9UFevCOBG50A==",
)
"""Graphviz compiled to WebAssembly: draws the guides' diagrams at build time (in Node)."""

AXE_CORE = Pin(
    "axe-core",
    "4.14.1",
    "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
)
"""The accessibility checker the browser tests inject into pages (never shipped with the site)."""

VNU = Pin(
    "vnu-jar",
    "26.9.27",
    "sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA==",
)
"""The W3C Nu HTML Checker (a Java program) the tests run over every built page (never shipped)."""


PUPPETEER_CORE = Pin(
    "puppeteer-core",
    "24.43.1",
    "sha512-T5ScUMAsmhdNbgDR41AGESYeS6V9MSgetkSnVhhW+gXvzC42VesKCn5ld87gAZDJ6vLHL9GkRvY9WtQWSnwFbw==",
)
"""Drives Firefox over WebDriver BiDi in the engines tests (never shipped). It has
dependencies of its own, so it is installed with ``npm ci`` from ``node_tools/``, whose
``package-lock.json`` pins every one of them by version and integrity hash."""

NODE_TOOLS = Path(__file__).with_name("node_tools")
"""``package.json`` and ``package-lock.json`` of the Node packages only the tests use."""


class FetchError(BuildError):
    """A pinned package could not be fetched or did not match its pin."""


def cache_dir() -> Path:
    """The directory that holds fetched packages and build caches."""
    if os.environ.get("CWC_CACHE_DIR"):
        return Path(os.environ["CWC_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cwc-policy"


def integrity_of(path: Path) -> str:
    """Npm's integrity string (sha512, base64) of a file."""
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def package_dir(pin: Pin) -> Path:
    """Where the unpacked package lives in the cache (its ``package/`` folder)."""
    # A scoped name ("@viz-js/viz") becomes one folder name ("viz-js-viz-3.31.0").
    return cache_dir() / f"{pin.name.lstrip('@').replace('/', '-')}-{pin.version}"


def require_npm(purpose: str) -> None:
    """Raise FetchError, saying what to install, when there is no npm (needed ``purpose``)."""
    if not shutil.which("npm"):
        raise FetchError(
            f"npm is needed once {purpose}; install Node.js and npm "
            "(e.g. 'apt-get install nodejs npm') and run the set-up again"
        )


def ensure_package(pin: Pin, *, quiet: bool = False) -> Path:
    """Return the unpacked package directory, fetching and verifying it first if needed."""
    target = package_dir(pin)
    marker = target / ".verified"
    if marker.exists() and marker.read_text() == pin.integrity:
        return target
    require_npm(f"to fetch {pin.spec}")
    if not quiet:
        print(f"setup: fetching {pin.spec} with npm pack", file=sys.stderr)
    cache_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        result = subprocess.run(
            ["npm", "pack", pin.spec, "--silent"],
            cwd=tmp,
            capture_output=True,
            text=True,
        )
        tarballs = list(Path(tmp).glob("*.tgz"))
        if result.returncode != 0 or len(tarballs) != 1:
            raise FetchError(f"npm pack {pin.spec} failed:\n{result.stderr.strip()}")
        got = integrity_of(tarballs[0])
        if got != pin.integrity:
            raise FetchError(
                f"{pin.spec}: tarball integrity {got} does not match the pinned "
                f"{pin.integrity}; refusing to use it"
            )
        unpacked = Path(tmp) / "unpacked"
        with tarfile.open(tarballs[0]) as tar:
            tar.extractall(unpacked, filter="data")
        (unpacked / ".verified").write_text(pin.integrity)
        if target.exists():
            shutil.rmtree(target)
        # Rename last, so an interrupted fetch never leaves a half-unpacked package behind.
        os.replace(unpacked, target)
    return target


BUILD_PINS = (PYODIDE, IFRAME_WORKER, VIZ)
"""What a site build needs."""
CHECK_PINS = (VNU,)
"""What the fast unit tests need beyond a build (never shipped)."""
TEST_PINS = (AXE_CORE,)
"""What only the browser tests need (never shipped)."""


def ensure_runtime(*, quiet: bool = False, pins: tuple[Pin, ...] = BUILD_PINS) -> dict[str, Path]:
    """Make sure the pinned packages are in the cache; return their ``package/`` folders."""
    return {pin.name: ensure_package(pin, quiet=quiet) / "package" for pin in pins}


def check_node_tools_lock(lock_file: Path = NODE_TOOLS / "package-lock.json") -> None:
    """Stop unless the lock file pins ``puppeteer-core`` exactly as ``PUPPETEER_CORE`` does."""
    entry = json.loads(lock_file.read_text("utf-8"))["packages"].get(
        f"node_modules/{PUPPETEER_CORE.name}", {})
    pinned = (PUPPETEER_CORE.version, PUPPETEER_CORE.integrity)
    if (entry.get("version"), entry.get("integrity")) != pinned:
        raise FetchError(
            f"{lock_file}: {PUPPETEER_CORE.name} is locked at {entry.get('version')} "
            f"({entry.get('integrity')}), but build_tools/setup/fetch.py pins "
            f"{PUPPETEER_CORE.spec} ({PUPPETEER_CORE.integrity}); change both together: set "
            f"the version in {lock_file.with_name('package.json')}, run 'npm install "
            "--package-lock-only --ignore-scripts' there, and copy the new integrity here"
        )


def ensure_node_tools(*, quiet: bool = False) -> Path:
    """Install the test-only Node packages once; return their ``node_modules`` folder.

    ``npm ci`` installs exactly what ``package-lock.json`` lists and checks each tarball
    against its integrity hash; no install script runs, and puppeteer downloads no browser
    (the tests drive Debian's Firefox ESR).
    """
    check_node_tools_lock()
    lock = (NODE_TOOLS / "package-lock.json").read_bytes()
    target = cache_dir() / f"node-tools-{hashlib.sha256(lock).hexdigest()[:16]}"
    if (target / ".verified").exists():
        return target / "node_modules"
    require_npm(f"to install {PUPPETEER_CORE.spec} for the engines tests")
    if not quiet:
        print(f"setup: installing {PUPPETEER_CORE.spec} with npm ci (tests only)", file=sys.stderr)
    cache_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        work = Path(tmp) / "tools"
        work.mkdir()
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(NODE_TOOLS / name, work / name)
        env = dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1")
        result = subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--omit=dev", "--no-audit", "--no-fund",
             "--silent"],
            cwd=work, capture_output=True, text=True, env=env,
        )
        if result.returncode != 0:
            raise FetchError(f"npm ci for {PUPPETEER_CORE.spec} failed:\n{result.stderr.strip()}")
        (work / ".verified").write_text(PUPPETEER_CORE.spec)
        if target.exists():
            shutil.rmtree(target)
        # Rename last, so an interrupted install never leaves a half-filled folder behind.
        os.replace(work, target)
    return target / "node_modules"
