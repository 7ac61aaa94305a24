"""Shared fixtures: one site build per test session, a local server, and the browser choice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import build_site, serve_folder


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per session into a temporary folder."""
    site = tmp_path_factory.mktemp("site")
    result = build_site(site)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    return site


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[str]:
    """Serve the built site on a free localhost port; yield its base URL (ending in '/')."""
    with serve_folder(built_site) as url:
        yield url


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
