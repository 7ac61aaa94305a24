"""The built site in a real browser, over http and from file:// (an offline copy).

One recorded crawl per way of opening the site (tests/browser/crawl.py, shared with
test_privacy.py) visits every page once; the tests below each check one thing about
that record: every page reached, no console error, every link and anchor resolving, the
document-control stamp. (That nothing leaves the site and that search answers are
checked on the same record in test_privacy.py.)
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

from build_tools.site.anchors import html_ids
from build_tools.trees.engine import from_fragment
from tests.browser.crawl import Crawl
from tests.browser.helpers import site_pages

pytestmark = pytest.mark.browser

STAMP_TEXT = re.compile(r"Confidentiality Policy, version \S+")


@cache  # the built site does not change during a run; a page links to many anchors
def ids_in(html_file: Path) -> frozenset[str]:
    """Every id (and a[name]) in an HTML file."""
    return frozenset(html_ids(html_file.read_text(encoding="utf-8"), with_names=True))


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


def test_crawl_visits_every_page(site_crawl: Crawl, built_site: Path) -> None:
    """The crawl reached all the policy pages, the home page and the guides."""
    assert "index.html" in site_crawl.pages
    assert "policy/police-and-courts.html" in site_crawl.pages
    assert len(site_crawl.pages) == len(site_pages(built_site)) - 1


def test_no_console_errors_on_any_page(site_crawl: Crawl) -> None:
    """No page logs an error to the console or throws."""
    assert site_crawl.console_errors == []


def test_every_internal_link_and_anchor_resolves(site_crawl: Crawl, built_site: Path) -> None:
    """Each link to the site points at a page that exists and, if it has one, an anchor there."""
    broken = []
    guides = json.loads((built_site / "decision-trees.json").read_text(encoding="utf-8"))["trees"]
    for source, hrefs in site_crawl.links.items():
        for href in hrefs:
            if not href.startswith(site_crawl.root):
                if not href.startswith(("http:", "https:", "mailto:", "tel:")):
                    broken.append(f"{source}: {href} (outside the site folder)")
                continue
            url, fragment = urldefrag(href)
            rel = unquote(urlparse(url).path)[len(unquote(urlparse(site_crawl.root).path)) :]
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


def test_every_page_carries_the_document_control_stamp(site_crawl: Crawl) -> None:
    """Version, approval, next review and build date show on every page."""
    missing = [page for page, text in site_crawl.stamps.items() if not STAMP_TEXT.search(text)]
    assert missing == []
    sample = site_crawl.stamps["index.html"]
    for label in ("Approved", "Next review", "This copy built"):
        assert label in sample
