"""Fetch what the build and the tests need, once: ``python -m build_tools.setup.provision``.

Called by ``build_tools/bootstrap.sh`` after the Python packages are installed.
"""

from __future__ import annotations

import argparse
import sys

from build_tools.setup.browser import choose_browser, install_system_chromium
from build_tools.setup.fetch import BUILD_PINS, TEST_PINS, ensure_runtime


def main(argv: list[str] | None = None) -> int:
    """Provision the Pyodide runtime and, with ``--browser``, a test browser."""
    parser = argparse.ArgumentParser(prog="python -m build_tools.setup.provision")
    parser.add_argument("--browser", action="store_true", help="also make sure a browser exists")
    args = parser.parse_args(argv)
    ensure_runtime()
    if args.browser:
        ensure_runtime(pins=BUILD_PINS + TEST_PINS)
        if choose_browser() is None:
            install_system_chromium()
        choice = choose_browser()
        if choice is None:
            print("setup: the browser install did not produce a usable browser", file=sys.stderr)
            return 1
        print(f"setup: tests will use {choice.description}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
