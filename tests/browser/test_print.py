"""For trustees and paper: the review banner, a printed result, the board pack."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from build_tools.site.board_pack import DOCUMENT as BOARD_PACK
from build_tools.site.induction import ACKNOWLEDGEMENT_DOCUMENT
from build_tools.site.paper import version_line
from tests.browser.helpers import is_inside, printed_pages
from tests.locations import ROOT

pytestmark = pytest.mark.browser

POLICY = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["extra"]["policy"]
NEXT_REVIEW: dt.date = POLICY["next_review"]
VERSION = re.escape(
    version_line(POLICY, dt.date(2000, 1, 1)).removesuffix(" This copy 2000-01-01.")
)
"""The foot of a printed page: the policy, its version and approval (then the date)."""
COPY_FOOT = re.compile(VERSION + r" This copy \d{4}-\d{2}-\d{2}\.")
PRINTED_FOOT = re.compile(VERSION + r" Printed on \d{1,2} [A-Z][a-z]+ \d{4}\.")


def flat(text: str) -> str:
    """Text with every run of white space made one space (a PDF breaks lines anywhere)."""
    return " ".join(text.split())


def check_margins(pages: list[str], document: str, foot: re.Pattern[str]) -> list[str]:
    """What is wrong with the margins of printed pages ([] when every page is right).

    Each page names the document at the top, gives the policy's version and date at the
    foot, and says "Page i of n", n being the number of pages.
    """
    wrong = []
    for number, text in enumerate(pages, start=1):
        words = flat(text)
        for part, present in [(f"'{document}' at the top", f"· {document}" in words),
                              ("the version and date", bool(foot.search(words))),
                              (f"'Page {number} of {len(pages)}'",
                               f"Page {number} of {len(pages)}" in words)]:
            if not present:
                wrong.append(f"page {number}: no {part}")
    return wrong


def body(text: str, document: str, foot: re.Pattern[str]) -> str:
    """A printed page's text without its margins (flattened)."""
    words = flat(text)
    words = re.sub(r"^.*?· " + re.escape(document), "", words, count=1)
    words = re.sub(r"Page \d+ of \d+", "", foot.sub("", words), count=1)
    return words.strip()


@pytest.fixture(scope="module")
def clock_page(browser: Browser) -> Iterator[Page]:
    """One page for the banner tests; each sets the page's clock, then loads a page."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


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
    clock_page: Page, site_root: str, path: str, now: dt.datetime, overdue: bool
) -> None:
    """The banner appears from the day after the next review date, online and offline."""
    page = clock_page
    page.clock.set_fixed_time(now)
    page.goto(site_root + path)
    assert page.evaluate("new Date().toISOString()").startswith(now.date().isoformat())
    banner = page.locator("[data-role=review-banner]")
    if overdue:
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("due for review")
        expect(banner).to_contain_text(NEXT_REVIEW.strftime("%-d %B %Y"))
    else:
        expect(banner).to_be_hidden()


def print_result(page: Page, site_root: str) -> None:
    """Walk the police guide to an outcome and press "Print this result" (print() stubbed)."""
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


def test_print_this_result_prints_only_the_record(browser: Browser, site_root: str) -> None:
    """The printed result holds the guide, the answers, the outcome, its clauses, date, version."""
    context = browser.new_context()
    context.add_init_script("window.print = () => { window.__printed = true; };")
    page = context.new_page()
    print_result(page, site_root)
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
    pages = printed_pages(page.pdf(format="A4"))
    assert 1 <= len(pages) <= 2, f"{len(pages)} pages: more than the record printed"
    assert "Board pack" not in flat(" ".join(pages))  # the site's navigation did not print
    context.close()


def test_a_printed_result_names_itself_and_numbers_every_page(
    browser: Browser, site_root: str
) -> None:
    """Each page of a printed result: the record named at the top; version, date, page at foot."""
    context = browser.new_context()
    context.add_init_script("window.print = () => {};")
    page = context.new_page()
    print_result(page, site_root)
    pages = printed_pages(page.pdf(format="A4"))
    assert check_margins(pages, "A record of a guide", PRINTED_FOOT) == []
    context.close()


def test_the_acknowledgement_names_itself_and_numbers_its_page(page: Page, site_root: str) -> None:
    """The printed acknowledgement: named at the top; the version, date and page at the foot."""
    page.goto(site_root + "induction/acknowledgement.html#score=7-of-8")
    pages = printed_pages(page.pdf(format="A4", print_background=True))
    assert check_margins(pages, ACKNOWLEDGEMENT_DOCUMENT, COPY_FOOT) == []


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
    text = flat(content.inner_text())  # read once: the page is long
    for tree in trees:
        # The guide's own heading, not the trustees' list of its good practice ("Title: …").
        name = re.compile("^" + re.escape(tree["title"]) + "(?!:)")
        expect(content.get_by_role("heading", name=name)).to_have_count(1)
        missing = [o["title"] for o in tree["outcomes"].values() if flat(o["title"]) not in text]
        assert missing == [], tree["id"]


@dataclass(frozen=True)
class Pack:
    """The board pack as Chromium printed it, and what its page says it holds."""

    pages: list[str]
    contents: list[str]
    """The entries of the contents list on the page (sections, then their parts)."""
    guides: list[str]
    """Each guide's title."""

    def body(self, number: int) -> str:
        """Page ``number`` (from 1) without its margins."""
        return body(self.pages[number - 1], BOARD_PACK, COPY_FOOT)


@pytest.fixture(scope="module")
def pack(browser: Browser, built_site: Path) -> Iterator[Pack]:
    """The board pack printed to PDF once, from the offline copy (file://)."""
    root = built_site.as_uri() + "/"
    context = browser.new_context()
    context.route(re.compile(r".*"), lambda route: (
        route.continue_() if is_inside(route.request.url, root) else route.abort()))
    page = context.new_page()
    page.goto(root + "policy/board-pack.html")
    pages = printed_pages(page.pdf(format="A4"))
    context.close()
    source = (built_site / "policy" / "board-pack.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="cwc-contents".*?</nav>', source, re.S)
    assert nav, "the board pack has no contents list"
    entries = [flat(html.unescape(re.sub(r"<[^>]+>", "", text)))
               for text in re.findall(r'<a href="#[^"]+">(.*?)</a>', nav.group(0), re.S)]
    trees = json.loads((built_site / "decision-trees.json").read_text())["trees"]
    yield Pack(pages, entries, [flat(t["title"]) for t in trees])


def test_the_printed_board_pack_numbers_every_page(pack: Pack) -> None:
    """Every page: 'Board pack' at the top; the version and date and 'Page i of n' at the foot."""
    assert check_margins(pack.pages, BOARD_PACK, COPY_FOOT) == []


def test_the_printed_board_pack_has_a_page_for_each_part(pack: Pack) -> None:
    """More pages than parts (each policy section and each guide starts a page), within reason."""
    sections = [e for e in pack.contents if e in flat(" ".join(pack.pages))]
    assert len(pack.pages) > len(pack.guides) + 8  # 8 policy pages, at least
    assert len(pack.pages) < 400, "the pack has grown past any meeting's reading"
    assert sections


def test_the_printed_board_pack_opens_with_its_contents(pack: Pack) -> None:
    """The first pages list every section, its parts and each guide, before the policy starts."""
    first = pack.body(1)
    assert first.startswith("Board pack: the policy and its guides")
    assert "Contents" in first
    # The contents may run over a page or two; the first section starts a page of its own.
    starts = [n for n in range(2, len(pack.pages) + 1)
              if pack.body(n).startswith(pack.contents[0])]
    assert starts, f"no page starts with the first section, {pack.contents[0]!r}"
    opening = " ".join(pack.body(n) for n in range(1, starts[0]))
    assert starts[0] <= 4, "the contents list runs past three pages"
    missing = [entry for entry in pack.contents if entry not in opening]
    assert missing == []
    assert set(pack.guides) <= set(pack.contents)


def test_every_guide_starts_a_new_printed_page(pack: Pack) -> None:
    """Each guide's title is the first thing on a page of its own."""
    starts = [pack.body(n) for n in range(1, len(pack.pages) + 1)]
    late = [title for title in pack.guides
            if not any(s.startswith(title) or s.startswith("The guides " + title)
                       for s in starts)]
    assert late == []


def test_no_printed_page_of_the_board_pack_is_blank(pack: Pack) -> None:
    """Every page has something on it besides the margins."""
    blank = [n for n in range(1, len(pack.pages) + 1) if len(pack.body(n)) < 20]
    assert blank == []
