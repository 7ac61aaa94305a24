"""Printed documents: the board pack's contents list and every page's margins."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from build_tools.site.board_pack import CONTENTS_SLOT, board_pack, contents, fill_contents
from build_tools.site.paper import build_date, css_string, margin_style, version_line

POLICY = {"title": "Confidentiality Policy", "organisation": "CWC", "version": "1.0",
          "approved_by": "Board of Trustees", "approved_on": ""}
DAY = dt.date(2026, 3, 4)


@pytest.mark.parametrize(
    ("policy", "line"),
    [
        (POLICY, "Confidentiality Policy, version 1.0, awaiting approval by Board of "
                 "Trustees. This copy 2026-03-04."),
        ({**POLICY, "approved_on": dt.date(2026, 2, 1)},
         "Confidentiality Policy, version 1.0, approved by Board of Trustees on 2026-02-01. "
         "This copy 2026-03-04."),
        ({"title": "Policy"}, "Policy, awaiting approval. This copy 2026-03-04."),
    ],
    ids=["awaiting", "approved", "bare"],
)
def test_the_foot_of_a_page_gives_version_approval_and_date(
    policy: dict[str, Any], line: str
) -> None:
    """What the foot of every printed page says of the document."""
    assert version_line(policy, DAY) == line


@pytest.mark.parametrize(
    ("text", "literal"),
    [("plain", '"plain"'), ('say "no"', '"say \\"no\\""'), ("a\\b", '"a\\\\b"'),
     ("two\nlines  here", '"two lines here"')],
)
def test_css_strings_are_escaped(text: str, literal: str) -> None:
    """Quotes, backslashes and line ends cannot break out of a margin box's content."""
    assert css_string(text) == literal


def test_margin_style_names_the_document_and_numbers_the_pages() -> None:
    """The style's page rule: the document at the top, version and date, 'Page i of n'."""
    style = margin_style(POLICY, "Board pack", DAY)
    # Alone in a hidden div: a <style> in the body must be the first child of its parent.
    assert style.startswith('<div class="cwc-page-margins" hidden><style data-cwc="page-margins">')
    assert style.endswith("</style></div>")
    assert '@top-left { content: "CWC · Board pack"; }' in style
    assert "This copy 2026-03-04." in style
    assert '"Page " counter(page) " of " counter(pages)' in style


def test_the_build_date_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reproducible build dates its copy from SOURCE_DATE_EPOCH, as MkDocs does."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00 UTC
    assert build_date() == dt.date(2026, 1, 1)


PACK_HTML = (
    "<h1 id='t'>Board pack</h1>" + CONTENTS_SLOT
    + '<h2 id="doc">Document control<a class="headerlink" href="#doc">¶</a></h2>'
    + '<h2 id="intro">Introduction</h2><h3 id="commit">Our <em>commitment</em></h3>'
    + '<h4 id="deep">Too deep</h4><h2 id="guides">The guides</h2>'
    + '<h3 id="g1">Police &amp; courts</h3><h3 id="g1">Police &amp; courts again</h3>'
    + "<h3>No id, no link</h3>"
)


def test_the_contents_list_is_made_from_the_pages_own_headings() -> None:
    """Each h2 with an id, its h3s nested; permalinks, deeper levels and repeated ids left out."""
    nav = contents(PACK_HTML)
    assert nav.startswith('<nav class="cwc-contents" aria-labelledby="cwc-contents-title">')
    assert ('<li><a href="#doc">Document control</a></li>'
            '<li><a href="#intro">Introduction</a><ul><li><a href="#commit">Our commitment</a>'
            "</li></ul></li>"
            '<li><a href="#guides">The guides</a><ul><li><a href="#g1">Police &amp; courts</a>'
            "</li></ul></li>") in nav
    assert "Too deep" not in nav and "again" not in nav and "No id" not in nav


def test_the_contents_fill_their_slot_once() -> None:
    """The slot is replaced by the list; a page without a slot is left as it is."""
    filled = fill_contents(PACK_HTML)
    assert CONTENTS_SLOT not in filled and filled.count('class="cwc-contents"') == 1
    assert fill_contents("<h2 id='x'>X</h2>") == "<h2 id='x'>X</h2>"


def test_a_section_added_to_the_pack_joins_its_contents() -> None:
    """The Markdown carries the slot; a new section is just a heading the list will pick up."""
    text = board_pack([("policy/a.md", "# A section\n\nText.")], [], POLICY)
    assert CONTENTS_SLOT in text and "## A section" in text
    assert '<style data-cwc="page-margins">' in text and "Board pack" in text
