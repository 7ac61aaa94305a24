"""Fetch what the build and the tests need, once: ``python -m build_tools.setup.provision``.

Called by ``build_tools/bootstrap.sh`` after the Python packages are installed.
"""

from __future__ import annotations

import argparse
import sys

from build_tools.setup.browser import (
    OTHER_ENGINES,
    choose_browser,
    install_other_engines,
    install_system_chromium,
)
from build_tools.setup.fetch import (
    BUILD_PINS,
    CHECK_PINS,
    TEST_PINS,
    ensure_node_tools,
    ensure_runtime,
)
from build_tools.setup.nu_checker import install_java


def main(argv: list[str] | None = None) -> int:
    """Provision the runtime, the HTML checker and Java; with ``--browser``, the browsers."""
    parser = argparse.ArgumentParser(prog="python -m build_tools.setup.provision")
    parser.add_argument("--browser", action="store_true",
                        help="also make sure the test browsers exist (Chromium, Firefox, WebKit)")
    args = parser.parse_args(argv)
    ensure_runtime(pins=BUILD_PINS + CHECK_PINS)  # the unit tests run the HTML checker
    install_java()
    if args.browser:
        ensure_runtime(pins=TEST_PINS)
        install_system_chromium()
        choice, whole = choose_browser(), choose_browser(whole=True)
        if choice is None or whole is None:
            print("setup: the browser install did not produce a usable browser", file=sys.stderr)
            return 1
        print(f"setup: tests will use {choice.description}", file=sys.stderr)
        if whole != choice:
            print(f"setup: the profile tests and --headed runs will use {whole.description}",
                  file=sys.stderr)
        install_other_engines()
        ensure_node_tools()
        for engine in OTHER_ENGINES.values():
            print(f"setup: engines tests will use {engine.description}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
