"""Fixtures shared by several browser test files."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.crawl import Crawl, crawl_site


@pytest.fixture(scope="session")
def site_crawl(browser: Browser, built_site: Path, site_root: str) -> Crawl:
    """The recorded crawl of the site (tests/browser/crawl.py), once per way of opening it."""
    return crawl_site(browser, built_site, site_root)
