"""For the Board, in a browser: the notes beside the clauses and the trustees' pages.

Each "Note for reviewers" is closed until asked for, named for what it is, reachable and
opened with the keyboard, passes axe open in both palettes, and does not print; the
trustees' pages pass axe too, and the board pack prints them first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import axe_violations

pytestmark = pytest.mark.browser

POLICY_PAGES = [
    "introduction", "who-it-applies-to", "general-principles", "exceptions",
    "police-and-courts", "access-to-information", "storage-of-information",
    "breach-of-confidentiality",
]
NOTE = "details.cwc-review-note"
PALETTES = {"light": "default", "dark": "slate"}


@pytest.fixture(scope="module", params=list(PALETTES))
def palette_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A page in one palette (axe's script is allowed past the site's policy)."""
    context = browser.new_context(color_scheme=request.param, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_every_note_is_closed_and_named_for_what_it_is(page: Page, site_root: str) -> None:
    """On every policy page the notes start closed, their control says "Note for reviewers"."""
    total = 0
    for name in POLICY_PAGES:
        page.goto(site_root + f"policy/{name}.html")
        notes = page.locator(NOTE)
        for i in range(notes.count()):
            note = notes.nth(i)
            assert note.get_attribute("open") is None
            expect(note.locator("summary")).to_have_text(re.compile(r"^Notes? for reviewers: "))
            expect(note.locator(".cwc-review-note__body")).to_be_hidden()
            assert note.get_attribute("data-search-exclude") is not None
        total += notes.count()
    assert total >= 13


def test_a_note_opens_from_the_keyboard_with_visible_focus(page: Page, site_root: str) -> None:
    """Tab reaches the note's control with a visible outline; Enter opens it, Enter closes."""
    page.goto(site_root + "policy/police-and-courts.html")
    summary = page.locator(f"#subpoena ~ {NOTE} summary").first
    summary.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page.locator(f"#subpoena ~ {NOTE}").first).to_have_attribute("open", "")
    expect(page.locator(f"#subpoena ~ {NOTE} .cwc-review-note__body").first).to_be_visible()
    box = summary.bounding_box()
    assert box is not None and box["height"] >= 24


def test_open_notes_pass_axe_in_both_palettes(palette_page: Page, site_server: str) -> None:
    """With every note open, each policy page's content passes axe's WCAG 2.2 AA rules."""
    problems = []
    for name in POLICY_PAGES:
        palette_page.goto(site_server + f"policy/{name}.html")
        palette_page.evaluate(f"document.querySelectorAll('{NOTE}').forEach(d => d.open = true)")
        problems += [f"{name}: {v}" for v in axe_violations(palette_page, "article")]
    assert problems == []


@pytest.mark.parametrize("name", ["review-points", "document-control", "changes"])
def test_the_trustees_pages_pass_axe_in_both_palettes(palette_page: Page, site_server: str,
                                                      name: str) -> None:
    """The review points, the document control and the changes page pass axe's rules."""
    palette_page.goto(site_server + f"trustees/{name}.html")
    assert axe_violations(palette_page, "article") == []


def test_notes_do_not_print_with_the_policy(page: Page, site_root: str) -> None:
    """A printed policy page is the policy as approved: the notes are left off paper."""
    page.goto(site_root + "policy/exceptions.html")
    expect(page.locator(NOTE).first).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(NOTE).first).to_be_hidden()


def test_the_board_pack_opens_with_the_trustees_pages(page: Page, site_root: str) -> None:
    """Printed, the pack starts with document control, what changed and the review points."""
    page.goto(site_root + "policy/board-pack.html")
    page.emulate_media(media="print")
    headings = [h.rstrip("¶").strip() for h in page.locator("article h2").all_inner_texts()]
    assert headings[0] == "Contents"
    assert headings[1:5] == [
        "Document control", "What changed since the last approval",
        "Points for the Board's review", "Introduction"]
    expect(page.locator(".cwc-review-pointer").first).to_be_visible()
