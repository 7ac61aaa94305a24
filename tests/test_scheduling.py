"""How make test shares the work between its two workers (tests/conftest.py)."""

from __future__ import annotations

from tests.conftest import FIRST, unit_of


def test_a_test_goes_with_its_file() -> None:
    """A file's tests are one unit, so its module fixtures (pages loaded once) stay on one
    worker, whatever their parameters."""
    assert unit_of("tests/browser/test_widget.py::test_x[http-chromium-referral]") == (
        "tests/browser/test_widget.py")
    assert unit_of("tests/test_cli.py::test_paths_lines") == "tests/test_cli.py"


def test_the_crawl_files_are_one_unit() -> None:
    """test_site and test_privacy read the same recorded crawl: one unit, one crawl."""
    assert unit_of("tests/browser/test_site.py::test_a[http-chromium]") == "crawl"
    assert unit_of("tests/browser/test_privacy.py::test_b[file-chromium]") == "crawl"


def test_each_engines_session_is_its_own_unit() -> None:
    """The four engine sessions spread over the workers; each starts its browser once."""
    units = {unit_of(f"tests/browser/test_engines.py::test_every_guide_reaches_ready[{run}]")
             for run in ("firefox-http", "firefox-file", "webkitgtk-http", "webkitgtk-file")}
    assert units == {"engines-firefox-http", "engines-firefox-file",
                     "engines-webkitgtk-http", "engines-webkitgtk-file"}
    assert units <= set(FIRST)
