"""Shared fixtures: one site build per test run, a local server, and the browser choice."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock

from tests.helpers import build_site, serve_folder


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per run into a temporary folder.

    Under pytest-xdist the workers share one build: the first to get here builds it, the
    others wait for it (and fail with the same message if it failed).
    """
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        site = tmp_path_factory.mktemp("site")
        _build_or_fail(site, site.parent / "site.failed")
        return site
    shared = tmp_path_factory.getbasetemp().parent  # the same for every worker of a run
    site, failed, done = shared / "site", shared / "site.failed", shared / "site.built"
    with FileLock(shared / "site.lock"):
        if failed.exists():
            pytest.fail(failed.read_text(encoding="utf-8"))
        if not done.exists():
            _build_or_fail(site, failed)
            done.touch()
    return site


def _build_or_fail(site: Path, failed: Path) -> None:
    result = build_site(site)
    if result.returncode != 0:
        message = f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
        failed.write_text(message, encoding="utf-8")
        pytest.fail(message)


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

    choice = choose_browser(headless=browser_type_launch_args.get("headless", True))
    if choice is None:
        pytest.fail("no browser for the tests: run 'make test' (it installs one) "
                    "or set CWC_BROWSER")
    kwargs = choice.launch_kwargs()
    return {**browser_type_launch_args, **kwargs,
            "args": [*browser_type_launch_args.get("args", []), *kwargs["args"]]}


SHARED_UNITS = {
    "tests/browser/test_site.py": "crawl",
    "tests/browser/test_privacy.py": "crawl",
}
"""Test files that share a costly session fixture (the recorded crawl,
tests/browser/crawl.py) and so must run on one worker, as one unit of work."""
PER_SESSION = "tests/browser/test_engines.py"
"""A test file whose tests go with their browser session, one unit per engine and scheme
(the parameter id, e.g. ``[webkitgtk-http]``), so the four sessions spread over the
workers."""
FIRST = (
    "engines-webkitgtk-http", "tests/browser/test_a11y.py", "engines-firefox-http",
    "crawl", "tests/browser/test_widget.py", "engines-webkitgtk-file", "engines-firefox-file",
)
"""The longest units of work, started first so that no worker is left with one of them
at the end while the other idles (the README's "The test command's time" has the
figures). Then the other browser tests, then the quick unit tests."""


def unit_of(nodeid: str) -> str:
    """The unit of work (for pytest-xdist) a test belongs to: by default its file, so the
    file's module fixtures (its pages, loaded once) stay on one worker."""
    path = nodeid.split("::", 1)[0]
    if path == PER_SESSION and nodeid.endswith("]"):
        return "engines-" + nodeid.rsplit("[", 1)[1][:-1]
    return SHARED_UNITS.get(path, path)


@pytest.hookimpl(trylast=True)  # after pytest has grouped the tests by their parameters
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that drive a browser are ``browser`` tests, whatever their module says; and
    the tests are ordered by unit of work (``unit_of``): ``FIRST``, then the other
    browser tests, then the unit tests, each unit's tests in the order pytest gave them
    (``make test`` runs with ``--no-loadscope-reorder``, so the workers take the units
    in this order)."""
    browser_fixtures = {"page", "context", "browser"}
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & browser_fixtures and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)
    rank = {unit: n for n, unit in enumerate(FIRST)}
    first_seen: dict[str, int] = {}
    for item in items:
        first_seen.setdefault(unit_of(item.nodeid), len(first_seen))
    items.sort(key=lambda item: (rank.get(unit_of(item.nodeid), len(FIRST)),
                                 not item.get_closest_marker("browser"),
                                 first_seen[unit_of(item.nodeid)]))


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """Under ``--dist loadgroup``: one unit of work per ``unit_of``. (pytest-xdist's own
    ``xdist_group`` marks do nothing with pytest 9.2: xdist writes the group into
    ``item._nodeid``, which pytest no longer reads.)"""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class UnitScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return unit_of(nodeid)

    return UnitScheduling(config, log)
