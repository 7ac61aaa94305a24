"""Which browser the tests drive: the one place this choice is made.

Playwright's own Chromium is used when it is installed. Otherwise Debian's ``chromium``
(installed by ``build_tools/bootstrap.sh --browser`` when missing) is launched with flags
that keep it from calling home on a machine with no network. ``CWC_BROWSER`` overrides both.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from build_tools.setup.system import apt_install

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")

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


def choose_browser() -> BrowserChoice | None:
    """Pick the browser for the tests, or None when there is none on this machine."""
    override = os.environ.get("CWC_BROWSER")
    if override:
        return BrowserChoice(override, SYSTEM_CHROMIUM_ARGS, f"CWC_BROWSER={override}")
    own = playwright_chromium()
    if own:
        return BrowserChoice(None, [], f"Playwright's Chromium ({own})")
    if SYSTEM_CHROMIUM.exists():
        return BrowserChoice(str(SYSTEM_CHROMIUM), SYSTEM_CHROMIUM_ARGS, "Debian's chromium")
    return None


def install_system_chromium() -> None:
    """Install Debian's chromium with apt-get, or explain how to when that is not possible."""
    apt_install(
        "chromium", "for the browser tests",
        "no browser for the tests. Install Chromium, or run 'playwright install chromium', "
        "or set CWC_BROWSER=/path/to/chromium.",
    )
