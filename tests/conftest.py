"""Shared fixtures: one site build per test session, a local server, and the browser choice."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import build_site


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per session into a temporary folder."""
    site = tmp_path_factory.mktemp("site")
    result = build_site(site)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
    }

    def log_message(self, *args: object) -> None:  # keep test output readable
        pass


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[str]:
    """Serve the built site on a free localhost port; yield its base URL (ending in '/')."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session", params=["http", "file"])
def site_root(request: pytest.FixtureRequest, built_site: Path) -> str:
    """The built site's base URL, once over http and once from file:// (an offline copy)."""
    if request.param == "http":
        return request.getfixturevalue("site_server")
    return built_site.as_uri() + "/"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch the browser chosen in build_tools.setup.browser (Playwright's own, else Debian's)."""
    from build_tools.setup.browser import choose_browser

    choice = choose_browser()
    if choice is None:
        pytest.fail("no browser for the tests: run 'make test' (it installs one) "
                    "or set CWC_BROWSER")
    kwargs = choice.launch_kwargs()
    return {**browser_type_launch_args, **kwargs,
            "args": [*browser_type_launch_args.get("args", []), *kwargs["args"]]}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that drive a browser are ``browser`` tests, whatever their module says."""
    browser_fixtures = {"page", "context", "browser"}
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & browser_fixtures and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)
