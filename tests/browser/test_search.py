"""The site search, in volunteers' words, from an offline copy (file://).

The table is ``search_queries.yml`` beside this file: a query as a worried volunteer would
type it, and the page that must be among the first three results. Add a row when you add
a guide or a keyword. The search runs in the theme's Web Worker (through the
iframe-worker shim from file://), exactly as a volunteer's browser runs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import is_inside

pytestmark = pytest.mark.browser

TABLE = Path(__file__).with_name("search_queries.yml")
ROWS = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
FIRST = 3  # the expected page must be among this many results (the rows' floor of 25 and
# their pages are checked without a browser, in tests/trees/test_guides.py)


@pytest.fixture(scope="module")
def search_page(browser: Browser, built_site: Path) -> Iterator[tuple[Page, str]]:
    """The home page of the offline copy (file://), with its search ready to type into."""
    root = built_site.as_uri() + "/"
    context = browser.new_context()
    context.route(re.compile(r".*"), lambda route: (
        route.continue_() if is_inside(route.request.url, root) else route.abort()))
    page = context.new_page()
    page.goto(root + "index.html")
    page.locator("input.md-search__input").click()
    yield page, root
    context.close()


def results_for(page: Page, query: str) -> list[str]:
    """Search for ``query``; the result pages in order (paths from the site root)."""
    box = page.locator("input.md-search__input")
    meta = page.locator(".md-search-result__meta")
    # Empty the box first, so the results read next can only be this query's.
    box.fill("")
    box.press("End")  # the theme searches on key-up, not on fill()
    expect(meta).to_have_text(re.compile("Type to start searching", re.I))
    box.fill(query)
    box.press("End")
    expect(meta).not_to_have_text(re.compile("Type to start searching", re.I))
    articles = page.eval_on_selector_all(
        ".md-search-result__item > a:first-child", "links => links.map(a => a.href)")
    return [urlsplit(href).path for href in articles]


@pytest.mark.parametrize(("query", "expect_page"), [(r["query"], r["expect"]) for r in ROWS],
                         ids=[r["query"] for r in ROWS])
def test_search_finds_the_page_in_the_first_three(
    search_page: tuple[Page, str], query: str, expect_page: str
) -> None:
    """A volunteer's words find the guide (or clause) that handles them, in the first three."""
    page, root = search_page
    found = [path.removeprefix(urlsplit(root).path) for path in results_for(page, query)]
    assert expect_page in found[:FIRST], f"{query!r}: first results {found[:5]}"



def test_search_words_do_not_show_in_the_results(search_page: tuple[Page, str]) -> None:
    """The keywords rank a guide but are not listed under it (nor read out)."""
    page, _ = search_page
    assert results_for(page, "suicide")
    tags = page.locator(".md-search-result .md-tags")
    assert tags.count() > 0  # the theme renders them ...
    for index in range(tags.count()):
        expect(tags.nth(index)).to_be_hidden()  # ... and the site's stylesheet hides them
