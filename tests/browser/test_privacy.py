"""Privacy and the Content-Security-Policy, in a real browser, over http and from file://.

One recorded crawl per way of opening the site (tests/browser/crawl.py, shared with
test_site.py) visits every page with every request outside the site refused, listens for
CSP violations (an init script in every frame, and Chromium's console messages), plays
each guide from its first question to an outcome, reads what the page left on the
device, and searches. The tests below each check one thing about that record.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.crawl import LISTEN, Crawl
from tests.browser.helpers import site_pages
from tests.helpers import NOTHING_STORED

pytestmark = pytest.mark.browser


def test_no_csp_violation_on_any_page(site_crawl: Crawl) -> None:
    """No page, guide or search breaks the site's Content-Security-Policy."""
    assert site_crawl.violations == []
    csp_messages = [m for m in site_crawl.console_errors if "Content Security Policy" in m]
    assert csp_messages == []


def test_an_injected_inline_script_is_refused(browser: Browser, site_root: str) -> None:
    """The policy is in force (and the listener works): a script smuggled into the page
    as inline markup does not run, and is reported."""
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.goto(site_root + "index.html")
    page.evaluate("""() => {
      const s = document.createElement("script");
      s.textContent = "window.__ran = true";
      document.body.appendChild(s);
    }""")
    assert page.evaluate("window.__ran") is None
    expect(page.locator("body")).to_be_attached()
    assert any("script-src" in v for v in page.evaluate("window.__cspViolations"))
    context.close()


def test_guides_work_under_the_policy(site_crawl: Crawl) -> None:
    """Every guide on every page reached an outcome (so Pyodide ran under the policy)."""
    assert site_crawl.guides_played and all(site_crawl.guides_played)


def test_search_works_under_the_policy(site_crawl: Crawl) -> None:
    """Search (a Web Worker over http, the iframe-worker shim from file://) still answers."""
    assert any("policy/police-and-courts.html" in link for link in site_crawl.search_results)


def test_nothing_is_stored_on_the_device(site_crawl: Crawl) -> None:
    """No cookie, local or session storage, or IndexedDB database after using the site."""
    kept = {rel: stored for rel, stored in site_crawl.stored.items() if stored != NOTHING_STORED}
    assert kept == {}


def test_no_request_leaves_the_site(site_crawl: Crawl) -> None:
    """Using every page, every guide and the search asks nothing of any other host."""
    assert site_crawl.outside_requests == []


def test_every_page_carries_the_policy(built_site: Path) -> None:
    """Each built HTML page has the policy before its first script, with no unsafe-*
    allowance for scripts."""
    for rel in site_pages(built_site):
        html = (built_site / rel).read_text(encoding="utf-8")
        meta = html.find('http-equiv="Content-Security-Policy"')
        assert 0 < meta < html.find("<script"), rel
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
        script_src = re.search(r"script-src ([^;]*)", policy.group(1)).group(1)
        assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src.replace(
            "wasm-unsafe-eval", ""), rel
