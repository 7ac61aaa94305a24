"""For trustees and paper: the review banner, a printed result, the board pack."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from tests.locations import ROOT

pytestmark = pytest.mark.browser

NEXT_REVIEW: dt.date = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["extra"]["policy"][
    "next_review"
]
PDF_PAGE = re.compile(rb"/Type\s*/Page[^s]")


def pdf_pages(pdf: bytes) -> int:
    """The number of pages in a PDF that Chromium printed."""
    return len(PDF_PAGE.findall(pdf))


@pytest.mark.parametrize(
    ("now", "overdue"),
    [
        (dt.datetime.combine(NEXT_REVIEW - dt.timedelta(days=1), dt.time(23, 59)), False),
        (dt.datetime.combine(NEXT_REVIEW, dt.time(12, 0)), False),
        (dt.datetime.combine(NEXT_REVIEW + dt.timedelta(days=1), dt.time(0, 1)), True),
        (dt.datetime.combine(NEXT_REVIEW + dt.timedelta(days=400), dt.time(9, 0)), True),
    ],
    ids=["day-before", "review-day", "day-after", "long-after"],
)
@pytest.mark.parametrize("path", ["index.html", "policy/exceptions.html", "guides/referral.html"])
def test_review_banner_shows_exactly_when_the_review_date_has_passed(
    page: Page, site_root: str, path: str, now: dt.datetime, overdue: bool
) -> None:
    """The banner appears from the day after the next review date, online and offline."""
    page.clock.set_fixed_time(now)
    page.goto(site_root + path)
    banner = page.locator("[data-role=review-banner]")
    if overdue:
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("due for review")
        expect(banner).to_contain_text(NEXT_REVIEW.strftime("%-d %B %Y"))
    else:
        expect(banner).to_be_hidden()


def test_print_this_result_prints_only_the_record(browser: Browser, site_root: str) -> None:
    """The printed result holds the guide, the answers, the outcome, its clauses, date, version."""
    context = browser.new_context()
    context.add_init_script("window.print = () => { window.__printed = true; };")
    page = context.new_page()
    page.goto(site_root + "guides/police-or-official.html")
    section = page.locator('section.decision-tree[data-tree="police-or-official"]')
    expect(section).to_have_attribute("data-state", "ready", timeout=30_000)
    for label in ["The police", "No"]:
        section.locator("[data-role=steps] > :visible").get_by_role(
            "button", name=label, exact=True
        ).click()
    section.locator("[data-role=steps] > :visible").get_by_role(
        "button", name="Print this result"
    ).click()
    assert page.evaluate("window.__printed") is True
    record = page.locator("[data-role=print-record]")
    text = record.text_content()
    assert "The police, or someone official, asks about a client" in text
    assert "Who is asking? The police" in text
    assert (
        "Outcome: Do not confirm anything: refer the officer to the Charity Manager" in text
    )
    assert "Police and courts: If the police ask about a client" in text
    assert "Confidentiality Policy, version" in text
    assert "Printed on" in text
    pdf = page.pdf(format="A4")
    assert pdf_pages(pdf) == 1
    context.close()


def test_board_pack_has_the_whole_policy_and_every_guide(
    page: Page, site_root: str, built_site: Path
) -> None:
    """One printable page carries every policy section and every guide's outline."""
    page.goto(site_root + "policy/board-pack.html")
    content = page.locator("article")
    for title in ["Introduction", "Police and courts", "Breach of confidentiality"]:
        heading = content.get_by_role("heading", name=re.compile("^" + re.escape(title)))
        expect(heading).to_have_count(1)
    trees = json.loads((built_site / "decision-trees.json").read_text())["trees"]
    for tree in trees:
        heading = content.get_by_role("heading", name=re.compile("^" + re.escape(tree["title"])))
        expect(heading).to_have_count(1)
        for outcome in tree["outcomes"].values():
            expect(content).to_contain_text(outcome["title"])
    pdf = page.pdf(format="A4")
    assert 10 < pdf_pages(pdf) < 120
