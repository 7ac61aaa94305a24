"""Privacy and the Content-Security-Policy, in a real browser, over http and from file://.

One crawl per way of opening the site visits every page with every request outside the
site refused, listens for CSP violations (an init script in every frame, and Chromium's
console messages), plays each guide from its first question to an outcome, and reads
what the page left on the device. The tests below each check one thing about that record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import READY, current_step, is_inside, site_pages
from tests.helpers import NOTHING_STORED, STORAGE

pytestmark = pytest.mark.browser

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
    """What one crawl saw, page by page."""

    violations: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    stored: dict[str, dict] = field(default_factory=dict)
    guides_played: list[str] = field(default_factory=list)
    search_results: list[str] = field(default_factory=list)


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


@pytest.fixture(scope="module")
def crawl(browser: Browser, built_site: Path, site_root: str) -> Crawl:
    """Every page visited and every guide played, with every outside request refused."""
    result = Crawl()
    context = browser.new_context()
    context.add_init_script(LISTEN)
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

    for rel in site_pages(built_site):
        if rel == "404.html":
            continue  # shown by a server for a missing page; its links assume the site root
        page.goto(site_root + rel)
        played = play_guides(page)
        result.guides_played += played
        if played:  # and once more after a reload (which starts each guide again)
            page.reload()
            play_guides(page)
        collect(rel)
    page.goto(site_root + "index.html")
    result.search_results = search(page, "subpoena")
    collect("index.html (search)")
    context.close()
    return result


def test_no_csp_violation_on_any_page(crawl: Crawl) -> None:
    """No page, guide or search breaks the site's Content-Security-Policy."""
    assert crawl.violations == []
    csp_messages = [m for m in crawl.console_errors if "Content Security Policy" in m]
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


def test_no_console_errors_under_the_policy(crawl: Crawl) -> None:
    """Under the policy, no page logs an error or throws."""
    assert crawl.console_errors == []


def test_guides_work_under_the_policy(crawl: Crawl) -> None:
    """Every guide on every page reached an outcome (so Pyodide ran under the policy)."""
    assert crawl.guides_played and all(crawl.guides_played)


def test_search_works_under_the_policy(crawl: Crawl) -> None:
    """Search (a Web Worker over http, the iframe-worker shim from file://) still answers."""
    assert any("policy/police-and-courts.html" in link for link in crawl.search_results)


def test_nothing_is_stored_on_the_device(crawl: Crawl) -> None:
    """No cookie, local or session storage, or IndexedDB database after using the site."""
    kept = {rel: stored for rel, stored in crawl.stored.items() if stored != NOTHING_STORED}
    assert kept == {}


def test_no_request_leaves_the_site(crawl: Crawl) -> None:
    """Using every page, every guide and the search asks nothing of any other host."""
    assert crawl.outside_requests == []


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
