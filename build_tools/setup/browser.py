"""Which browsers the tests drive: the one place this choice is made.

Playwright's own Chromium is used when it is installed. Otherwise Debian's Chromium
(installed by ``build_tools/bootstrap.sh --browser`` when missing) is launched with flags
that keep it from calling home on a machine with no network: for headless runs its
headless shell (the package ``chromium-headless-shell``, the same Chromium without the
browser's own windows, which is what Playwright itself runs headless), and the full
``chromium`` for a run with ``--headed`` and for the tests that read what a person's
browser keeps in its profile (its history, its session files). A new browser context
costs the full browser about 0.55 s of CPU before it loads anything (a window of its
own, with the browser's own pages in it), the shell about 0.02 s; a guide page in a new
context costs about 2.0 s of CPU against 1.15 s. ``CWC_BROWSER`` overrides both.

The ``engines`` tests also drive the other engines volunteers' laptops run, each from
Debian and installed by the same set-up when missing: Firefox ESR (over WebDriver BiDi,
through the pinned npm package ``puppeteer-core``) and WebKitGTK, Safari's engine (through
its ``WebKitWebDriver`` and Selenium, on a virtual X display).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium (package ``chromium``): the whole browser, with a person's profile."""
SYSTEM_HEADLESS_SHELL = Path("/usr/bin/chromium-headless-shell")
"""Debian's Chromium headless shell (package ``chromium-headless-shell``): headless runs."""
SYSTEM_PACKAGES = {SYSTEM_CHROMIUM: "chromium", SYSTEM_HEADLESS_SHELL: "chromium-headless-shell"}

# Without these, a system Chromium on a closed network keeps trying to reach Google's
# services (and, as root, refuses to start without --no-sandbox).
SYSTEM_CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass(frozen=True)
class BrowserChoice:
    """How to launch Chromium through Playwright.

    Attributes:
        executable_path: The binary to launch, or None for Playwright's own browser.
        args: Extra command-line flags.
        description: One line for people.
    """

    executable_path: str | None
    args: list[str] = field(default_factory=list)
    description: str = ""

    def launch_kwargs(self) -> dict:
        """Keyword arguments for ``browser_type.launch``."""
        kwargs: dict = {"args": list(self.args)}
        if self.executable_path:
            kwargs["executable_path"] = self.executable_path
        return kwargs


@functools.cache
def playwright_chromium() -> str | None:
    """Return the path of Playwright's own Chromium if it is installed, else None."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:  # noqa: BLE001 - no driver or no browser both mean "not installed"
        return None
    return path if path and Path(path).exists() else None


def choose_browser(*, headless: bool = True, whole: bool = False) -> BrowserChoice | None:
    """Pick the browser for the tests, or None when there is none on this machine.

    Args:
        headless: Whether it runs without a window (pytest's ``--headed`` says not).
        whole: The whole browser, as a person runs it, never a headless shell: for the
            tests that read what it keeps in its profile on disk, and for benchmarks.
    """
    override = os.environ.get("CWC_BROWSER")
    if override:
        return BrowserChoice(override, SYSTEM_CHROMIUM_ARGS, f"CWC_BROWSER={override}")
    own = playwright_chromium()
    if own:
        # Playwright itself runs its headless shell for a headless launch.
        return BrowserChoice(None, [], f"Playwright's Chromium ({own})")
    if headless and not whole and SYSTEM_HEADLESS_SHELL.exists():
        return BrowserChoice(str(SYSTEM_HEADLESS_SHELL), SYSTEM_CHROMIUM_ARGS,
                             "Debian's chromium-headless-shell")
    if SYSTEM_CHROMIUM.exists():
        return BrowserChoice(str(SYSTEM_CHROMIUM), SYSTEM_CHROMIUM_ARGS, "Debian's chromium")
    return None


def missing_chromium_packages() -> list[str]:
    """Debian's Chromium packages still needed (none with Playwright's own or CWC_BROWSER)."""
    if os.environ.get("CWC_BROWSER") or playwright_chromium():
        return []
    return [package for path, package in SYSTEM_PACKAGES.items() if not path.exists()]


def install_system_chromium() -> None:
    """Install Debian's Chromium and its headless shell when either is missing.

    With apt-get; where that cannot run, stop and say what to install instead, unless
    only the shell is missing (it makes the tests quicker; the whole browser runs them).
    """
    missing = missing_chromium_packages()
    if "chromium" in missing:
        apt_install(
            missing,
            "Install them, or run 'playwright install chromium', or set "
            "CWC_BROWSER=/path/to/chromium.",
        )
    elif missing:
        # The whole browser is here and runs every test: the shell only makes them quicker.
        try:
            apt_install(missing, "")
        except (SystemExit, subprocess.CalledProcessError) as error:
            print(f"setup: {' '.join(missing)} not installed ({error}); the headless tests "
                  "will use the whole chromium, more slowly", file=sys.stderr)


@dataclass(frozen=True)
class OtherEngine:
    """A browser engine besides Chromium that the ``engines`` tests drive.

    Attributes:
        name: The id tests use (``firefox``, ``webkitgtk``).
        files: What must exist to drive it: the first is what the tests launch.
        packages: The Debian packages that provide ``files``.
        description: One line for people.
    """

    name: str
    files: tuple[Path, ...]
    packages: tuple[str, ...]
    description: str

    @property
    def executable(self) -> Path:
        """What the tests launch: the browser, or its WebDriver."""
        return self.files[0]

    def installed(self) -> bool:
        """True when every file it needs is on this machine."""
        return all(path.exists() for path in self.files)


FIREFOX_ESR = OtherEngine(
    "firefox",
    (Path("/usr/bin/firefox-esr"),),
    ("firefox-esr",),
    "Debian's Firefox ESR, over WebDriver BiDi (puppeteer-core)",
)
WEBKITGTK = OtherEngine(
    "webkitgtk",
    (Path("/usr/bin/WebKitWebDriver"), Path("/usr/bin/Xvfb")),
    ("webkit2gtk-driver", "xvfb"),
    "Debian's WebKitGTK, through WebKitWebDriver and Selenium on an Xvfb display",
)
OTHER_ENGINES = {engine.name: engine for engine in (FIREFOX_ESR, WEBKITGTK)}
"""The engines besides Chromium, by name: Firefox (Gecko) and WebKit (Safari's engine)."""


def missing_engine_packages() -> list[str]:
    """The Debian packages still needed for the ``engines`` tests (empty when all are here)."""
    return [p for e in OTHER_ENGINES.values() if not e.installed() for p in e.packages]


def install_other_engines() -> None:
    """Install Firefox ESR, WebKitGTK's driver and Xvfb with apt-get when any is missing."""
    missing = missing_engine_packages()
    if missing:
        apt_install(missing, "Install them, e.g. 'sudo apt-get install " + " ".join(missing) + "'.")


def apt_install(packages: list[str], otherwise: str, *,
                purpose: str = "the browser tests") -> None:
    """Install Debian packages for the tests, or stop and say how to when that is not possible.

    Args:
        packages: The Debian package names.
        otherwise: What a person can do instead, printed when apt-get cannot run here.
        purpose: What needs them (e.g. "the HTML checker"), for the messages.
    """
    why = f"setup: {purpose} need {', '.join(packages)}."
    if not shutil.which("apt-get"):
        sys.exit(f"{why} This system has no apt-get. {otherwise}")
    if os.geteuid() == 0:
        prefix = []
    elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"],
                                                 capture_output=True).returncode == 0:
        prefix = ["sudo", "-n"]
    else:
        sys.exit(f"{why} Installing them needs root. {otherwise}")
    print(f"setup: installing {', '.join(packages)} with apt-get for {purpose}",
          file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
