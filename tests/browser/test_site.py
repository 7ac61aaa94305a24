"""The built site in a real browser, over http and from file:// (an offline copy).

One crawl per way of opening the site visits every page once and records what happened;
the tests below each check one thing about that record.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest
from playwright.sync_api import Browser, Page, Request

from build_tools.site.anchors import html_ids
from build_tools.trees.engine import from_fragment
from tests.browser.helpers import is_inside, site_pages

pytestmark = pytest.mark.browser

STAMP_TEXT = re.compile(r"Confidentiality Policy, version \S+")


@cache  # the built site does not change during a run; a page links to many anchors
def ids_in(html_file: Path) -> frozenset[str]:
    """Every id (and a[name]) in an HTML file."""
    return frozenset(html_ids(html_file.read_text(encoding="utf-8"), with_names=True))


@dataclass
class Crawl:
    """What one crawl of the site saw."""

    root: str
    pages: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    links: dict[str, set[str]] = field(default_factory=dict)  # page → absolute hrefs
    stamps: dict[str, str] = field(default_factory=dict)  # page → stamp text


def visit(page: Page, url: str) -> None:
    """Open a page and wait until it has settled (a decision-tree widget ready or failed)."""
    page.goto(url, wait_until="load")
    for widget in page.locator("section.decision-tree").all():
        widget.locator("xpath=.").and_(
            page.locator('[data-state="ready"], [data-state="failed"]')
        ).wait_for(timeout=30_000)


@pytest.fixture(scope="module")
def crawl(browser: Browser, built_site: Path, site_root: str) -> Crawl:
    """Visit every page of the built site once and record what happened."""
    result = Crawl(root=site_root)
    context = browser.new_context()
    page = context.new_page()

    def on_request(request: Request) -> None:
        if not is_inside(request.url, site_root):
            result.outside_requests.append(f"{page.url} → {request.url}")

    context.on("request", on_request)
    # Every request outside the site is refused as well as recorded, so a leak can never
    # hang the crawl waiting for a network that is not there.
    context.route(
        re.compile(r".*"),
        lambda route: (
            route.continue_() if is_inside(route.request.url, site_root) else route.abort()
        ),
    )
    page.on(
        "console",
        lambda msg: (
            result.console_errors.append(f"{page.url}: {msg.text}") if msg.type == "error" else None
        ),
    )
    page.on("pageerror", lambda exc: result.console_errors.append(f"{page.url}: {exc}"))
    for rel in site_pages(built_site):
        if rel == "404.html":
            continue  # shown by a server for a missing page; its links assume the site root
        visit(page, site_root + rel)
        result.pages.append(rel)
        result.links[rel] = set(page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"))
        stamp = page.locator(".cwc-stamp")
        result.stamps[rel] = stamp.first.inner_text() if stamp.count() else ""
    context.close()
    return result


def guide_state_problem(fragment: str, page: Path, guides: list[dict]) -> str | None:
    """Check a link to a guide's state (``#tree-id=Yes/No``).

    Returns None when the fragment is not a guide state, "" when it is a valid one, and
    what is wrong otherwise (no such guide on that page, or answers on no path).
    """
    tree_id, answers = from_fragment(fragment)
    if not tree_id or "=" not in fragment:
        return None
    tree = next((t for t in guides if t["id"] == tree_id), None)
    if tree is None or tree["page"] != page.as_posix():
        return f"no guide '{tree_id}' on {page.as_posix()}"
    if not any(p["answers"][: len(answers)] == answers for p in tree["paths"]):
        return f"answers {answers} are on no path of '{tree_id}'"
    return ""


def test_crawl_visits_every_page(crawl: Crawl, built_site: Path) -> None:
    """The crawl reached all the policy pages, the home page and the guides."""
    assert "index.html" in crawl.pages
    assert "policy/police-and-courts.html" in crawl.pages
    assert len(crawl.pages) == len(site_pages(built_site)) - 1


def test_no_console_errors_on_any_page(crawl: Crawl) -> None:
    """No page logs an error to the console or throws."""
    assert crawl.console_errors == []


def test_no_request_leaves_the_site(crawl: Crawl) -> None:
    """The whole crawl asks nothing of any host but the site itself."""
    assert crawl.outside_requests == []


def test_every_internal_link_and_anchor_resolves(crawl: Crawl, built_site: Path) -> None:
    """Each link to the site points at a page that exists and, if it has one, an anchor there."""
    broken = []
    guides = json.loads((built_site / "decision-trees.json").read_text(encoding="utf-8"))["trees"]
    for source, hrefs in crawl.links.items():
        for href in hrefs:
            if not href.startswith(crawl.root):
                if not href.startswith(("http:", "https:", "mailto:", "tel:")):
                    broken.append(f"{source}: {href} (outside the site folder)")
                continue
            url, fragment = urldefrag(href)
            rel = unquote(urlparse(url).path)[len(unquote(urlparse(crawl.root).path)) :]
            target = built_site / (rel or "index.html")
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{source}: {href} (no such page)")
                continue
            if fragment and target.suffix == ".html":
                if unquote(fragment) in ids_in(target):
                    continue
                state = guide_state_problem(fragment, target.relative_to(built_site), guides)
                if state is None:
                    broken.append(f"{source}: {href} (no anchor #{fragment})")
                elif state:
                    broken.append(f"{source}: {href} ({state})")
    assert broken == []


def test_every_page_carries_the_document_control_stamp(crawl: Crawl) -> None:
    """Version, approval, next review and build date show on every page."""
    missing = [page for page, text in crawl.stamps.items() if not STAMP_TEXT.search(text)]
    assert missing == []
    sample = crawl.stamps["index.html"]
    for label in ("Approved", "Next review", "This copy built"):
        assert label in sample


def test_search_finds_subpoena(browser: Browser, site_root: str) -> None:
    """Searching for 'subpoena' lists the Police and courts page."""
    context = browser.new_context()
    context.route(
        re.compile(r".*"),
        lambda route: (
            route.continue_() if is_inside(route.request.url, site_root) else route.abort()
        ),
    )
    page = context.new_page()
    page.goto(site_root + "index.html")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("subpoena", delay=20)  # search reacts to key events, not to fill()
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    assert any("policy/police-and-courts.html" in link for link in links), links
    context.close()
