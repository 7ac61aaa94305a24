"""The board pack: one printable page for trustees with the policy and every guide."""

from __future__ import annotations

import re
from collections.abc import Sequence

from build_tools.site import markers
from build_tools.site.markdown import escape_raw_html
from build_tools.trees.model import Tree

PAGE_BREAK = '<div class="cwc-page-break" aria-hidden="true"></div>'
_HEADING_LINE = re.compile(r"^(#{1,5})(\s)", re.M)


def demote(markdown: str) -> str:
    """Every heading one level down, so a page's title becomes a section of a bigger page."""
    return _HEADING_LINE.sub(lambda m: "#" + m.group(1) + m.group(2), markdown)


def board_pack(pages: Sequence[tuple[str, str]], trees: Sequence[Tree]) -> str:
    """The Markdown of the board pack.

    Args:
        pages: (src, markdown) of each page it carries, in order: the policy pages, then
            the others (who to contact, the good practice to approve). It is written in
            the policy folder, so the policy pages' relative links keep working.
        trees: The guides, in the order they should print.
    """
    out = [
        "---", "search:", "  exclude: true", "---", "",
        "# Board pack: the policy and its guides", "",
        "For trustees: the whole Confidentiality Policy, who to contact, the good practice "
        "the guides add, and the text of every guide on one page, to print for a board "
        "meeting (use your browser's Print; each section starts on a new page).", "",
    ]
    for _src, text in pages:
        out += [PAGE_BREAK, "", demote(text.strip()), ""]
    out += [PAGE_BREAK, "", "## The guides", ""]
    for index, tree in enumerate(trees):
        if index:
            out += [PAGE_BREAK, ""]
        out += [f"### {escape_raw_html(tree.title)}", "",
                f"<!-- {markers.GUIDE_OUTLINE}: {tree.id} -->", ""]
    return "\n".join(out) + "\n"
