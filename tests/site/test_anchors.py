"""The docs pages as the build reads them: anchors (for cites) and clauses, from one render."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.errors import BuildError
from build_tools.site.anchors import DocsIndex, html_ids, read_html
from build_tools.site.markdown import MarkdownSettings, render_page
from tests.helpers import docs_index, real_docs
from tests.locations import DOCS


def anchors_of(markdown: str) -> set[str]:
    return set(read_html(render_page(markdown, MarkdownSettings())).ids)


def test_anchors_of_the_fixture_docs() -> None:
    """Headings give slugs (with _1 for repeats); attr_list ids count wherever Markdown applies
    them; code blocks give nothing."""
    anchors = docs_index()
    assert sorted(anchors) == ["guides/police.md", "index.md", "policy/exceptions.md"]
    assert anchors["policy/exceptions.md"] == {
        "exceptions", "serious-harm", "serious-harm_1", "crime-the-police-what-to-do",
        "child-at-risk", "consent", "cafe",
    }


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("Serious harm", "serious-harm"),
        ("Crime & the police: what to do", "crime-the-police-what-to-do"),
        ("Café culture", "cafe-culture"),
        ("  Spaces   inside ", "spaces-inside"),
        ("1. Intro", "1-intro"),
    ],
)
def test_heading_anchors_are_python_markdowns_slugs(heading: str, slug: str) -> None:
    """Heading anchors are Python-Markdown's default toc slugs, as on the built page."""
    assert slug in anchors_of(f"## {heading}\n")


def test_explicit_ids_on_paragraphs_and_headings() -> None:
    """attr_list ids on a heading, a paragraph and a list item (on its own line) count."""
    text = "## Title { #custom }\n\nText.\n{: #para }\n\n- item\n  { #item }\n"
    assert anchors_of(text) == {"custom", "para", "item"}


def test_missing_docs_folder(tmp_path: Path) -> None:
    """A docs folder that does not exist is a clear error, not a crash."""
    with pytest.raises(BuildError, match="the docs folder does not exist"):
        DocsIndex(tmp_path / "nope", MarkdownSettings())


def test_clauses_are_the_anchored_parts_with_their_words() -> None:
    """Each heading below the title and each anchored list item is a clause, titled as read."""
    clauses = {c.anchor: c for c in docs_index(DOCS).clauses("policy")}
    assert clauses["child-at-risk"].title.startswith("Where a child")
    assert clauses["child-at-risk"].page_title == "Exceptions"
    assert clauses["serious-harm"].title == "Serious harm"
    assert "exceptions" not in clauses  # the page title is the page, not a clause
    assert all(c.page == "policy/exceptions.md" for c in clauses.values())


def test_a_clause_title_leaves_out_nested_lists_and_permalinks() -> None:
    """A list item's clause title is its own text; a heading's drops the ¶ permalink."""
    html = render_page(
        "# Page\n\n## Heading {#h}\n\n- Offences:\n  { #offences }\n    - Fraud\n    - Theft\n",
        MarkdownSettings(("toc", "attr_list"), {"toc": {"permalink": True}}),
    )
    parts = dict(read_html(html).parts)
    assert parts == {"h": "Heading", "offences": "Offences:"}


def test_the_policy_has_one_set_of_clauses() -> None:
    """The real policy's clauses come from the same render as its anchors (37 today)."""
    index = real_docs()
    clauses = index.clauses("policy", ("policy/editorial-notes.md",))
    assert len(clauses) >= 37
    for clause in clauses:
        assert clause.anchor in index[clause.page]


def test_html_ids_with_names() -> None:
    """A fragment can target an id or an a[name]."""
    assert html_ids('<p id="a"></p><a name="b"></a>', with_names=True) == {"a", "b"}
