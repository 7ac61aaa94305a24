"""Pages made from the guides: a page for a guide no page embeds, and links to the guides.

- :func:`generated_page`: the Markdown of a page for a tree that no page embeds;
- :func:`guides_note`: a "Not sure what to do?" note for each policy page, linking the
  guides whose outcomes cite it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from build_tools.site import markers
from build_tools.site.markdown import escape_raw_html
from build_tools.site.urls import relative_md, rewrite_markdown_links
from build_tools.trees.model import Tree


def generated_page(tree: Tree, src: str) -> str:
    """The Markdown of a page for a tree that no page embeds: title, summary, the widget.

    Links in the summary are written relative to the docs folder; they are made relative
    to the generated page at ``src``.
    """
    summary = ""
    if tree.summary:
        summary = escape_raw_html(rewrite_markdown_links(tree.summary.strip(), src)) + "\n\n"
    title = escape_raw_html(tree.title)
    return f"# {title}\n\n{summary}<!-- {markers.DECISION_TREE}: {tree.id} -->\n"


def cited_pages(tree: Tree) -> set[str]:
    """The docs pages that a tree's outcomes cite."""
    return {ref.partition("#")[0] for o in tree.outcomes.values() for ref in o.cites}


def guides_note(src: str, trees: Sequence[Tree], tree_pages: Mapping[str, str]) -> str:
    """Markdown for the end of a policy page: the guides whose outcomes cite it ('' if none)."""
    citing = [t for t in trees if src in cited_pages(t) and tree_pages.get(t.id) != src]
    if not citing:
        return ""
    lines = ['\n\n!!! question "Not sure what to do?"\n']
    for tree in citing:
        link = relative_md(tree_pages[tree.id], src)
        lines.append(f"    - Use the guide: [{escape_raw_html(tree.title)}]({link})")
    return "\n".join(lines) + "\n"
