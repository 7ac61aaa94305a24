"""Links between pages, carried from one page to another (build_tools/site/urls.py)."""

from __future__ import annotations

import pytest

from build_tools.site.urls import rebase_markdown_links


@pytest.mark.parametrize(("from_src", "link", "to_src", "rebased"), [
    ("contacts.md", "what-to-do-card.md", "policy/board-pack.md", "../what-to-do-card.md"),
    ("trustees/changes.md", "../policy/rules.md#a", "policy/board-pack.md", "rules.md#a"),
    ("policy/rules.md", "exceptions.md#b", "policy/board-pack.md", "exceptions.md#b"),
    ("index.md", "guides/x.md", "trustees/review-points.md", "../guides/x.md"),
])
def test_a_carried_link_still_reaches_its_page(from_src: str, link: str, to_src: str,
                                               rebased: str) -> None:
    """A page's relative link, carried onto another page, points at the same target."""
    text = f"See [the page]({link}) and [a site](https://example.org/a.md)."
    assert rebase_markdown_links(text, from_src, to_src) == (
        f"See [the page]({rebased}) and [a site](https://example.org/a.md).")
