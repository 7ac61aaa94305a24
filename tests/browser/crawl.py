"""One recorded crawl of the built site per way of opening it (http, file://).

A browser with every request outside the site refused, and a listener for the site's
Content-Security-Policy in every frame, visits every page once, plays each guide from its
first question to an outcome (then again after a reload, which starts it afresh), notes
each page's links and document-control stamp and what it left on the device, and
finally searches. ``test_site.py`` and ``test_privacy.py`` each check one thing about the
record (the ``site_crawl`` fixture in ``tests/browser/conftest.py``; both files are one
unit of work for pytest-xdist, ``SHARED_UNITS`` in ``tests/conftest.py``, so the crawl
runs once per scheme).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import READY, current_step, is_inside, site_pages
from tests.helpers import STORAGE

SEARCH_WORDS = "subpoena"
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  (window.top.__cspViolations || window.__cspViolations).push(
    `${e.violatedDirective} blocked ${e.blockedURI || "inline"} ` +
    `in ${e.sourceFile}:${e.lineNumber}`);
});
"""


@dataclass
class Crawl:
    """What one crawl of the site saw, page by page."""

    root: str
    pages: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)  # CSP violations
    links: dict[str, set[str]] = field(default_factory=dict)  # page → absolute hrefs
    stamps: dict[str, str] = field(default_factory=dict)  # page → stamp text
    stored: dict[str, dict] = field(default_factory=dict)  # page → what it kept
    guides_played: list[str] = field(default_factory=list)  # the outcome each ended at
    search_results: list[str] = field(default_factory=list)  # links listed for SEARCH_WORDS


def play_guides(page: Page) -> list[str]:
    """Take every guide on the page from its first question to an outcome (first options)."""
    played = []
    for section in page.locator("section.decision-tree").all():
        expect(section).to_have_attribute("data-state", "ready", timeout=READY)
        for _ in range(50):
            step = current_step(section)
            if step.get_attribute("data-outcome"):
                break
            step.locator("button[data-label]").first.click()
        played.append(current_step(section).get_attribute("data-outcome") or "")
    return played


def search(page: Page, words: str) -> list[str]:
    """Type into the theme's search box; return the result links."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(words, delay=20)  # search reacts to key events, not to fill()
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    return page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")


def crawl_site(browser: Browser, built_site: Path, site_root: str) -> Crawl:
    """Visit every page (every guide played), then search; record what happened."""
    result = Crawl(root=site_root)
    context = browser.new_context()
    context.add_init_script(LISTEN)
    # Every request outside the site is refused as well as recorded, so a leak can never
    # hang the crawl waiting for a network that is not there.
    context.route(re.compile(r".*"), lambda route: route.continue_()
                  if is_inside(route.request.url, site_root) else route.abort())
    page = context.new_page()
    context.on("request", lambda r: None if is_inside(r.url, site_root)
               else result.outside_requests.append(f"{page.url} → {r.url}"))
    page.on("console", lambda m: result.console_errors.append(f"{page.url}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: result.console_errors.append(f"{page.url}: {e}"))

    def collect(rel: str) -> None:
        result.violations += [f"{rel}: {v}" for v in page.evaluate("window.__cspViolations")]
        result.stored[rel] = page.evaluate(STORAGE)

    def links() -> set[str]:
        return set(page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"))

    for rel in site_pages(built_site):
        if rel == "404.html":
            continue  # shown by a server for a missing page; its links assume the site root
        page.goto(site_root + rel)
        result.pages.append(rel)
        stamp = page.locator(".cwc-stamp")
        result.stamps[rel] = stamp.first.inner_text() if stamp.count() else ""
        result.links[rel] = links()
        played = play_guides(page)
        result.guides_played += played
        if played:  # and once more after a reload (which starts each guide again)
            result.links[rel] |= links()
            page.reload()
            play_guides(page)
        collect(rel)
    page.goto(site_root + "index.html")
    result.search_results = search(page, SEARCH_WORDS)
    collect("index.html (search)")
    context.close()
    return result
