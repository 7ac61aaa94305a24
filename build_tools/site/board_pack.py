"""The board pack: one printable page for trustees with the policy and every guide.

It prints as a document: a contents list first (made from the pack's own headings when
the page is rendered, so a section added to the pack joins it with no code change), each
part and each guide on a new page, and on every page the pack's name, the policy's version
and date and "Page N of M" in the margins (:mod:`build_tools.site.paper`).
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from build_tools.site import markers
from build_tools.site.markdown import escape_raw_html
from build_tools.site.paper import margin_style
from build_tools.trees.model import Tree

PAGE_BREAK = '<div class="cwc-page-break" aria-hidden="true"></div>'
CONTENTS_SLOT = '<div class="cwc-contents-slot"></div>'
"""Where the contents list goes; filled by :func:`fill_contents` once the page is HTML."""
DOCUMENT = "Board pack"
"""What the pack calls itself at the top of each printed page."""
_HEADING_LINE = re.compile(r"^(#{1,5})(\s)", re.M)
_HEADING_HTML = re.compile(r'<h([23])\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_PERMALINK = re.compile(r'<a\b[^>]*class="headerlink"[^>]*>.*?</a>', re.S)
_TAG = re.compile(r"<[^>]+>")


def demote(markdown: str) -> str:
    """Every heading one level down, so a page's title becomes a section of a bigger page."""
    return _HEADING_LINE.sub(lambda m: "#" + m.group(1) + m.group(2), markdown)


def board_pack(pages: Sequence[tuple[str, str]], trees: Sequence[Tree],
               policy: Mapping[str, Any] | None = None) -> str:
    """The Markdown of the board pack.

    Args:
        pages: (src, markdown) of each page it carries, in order: the policy pages, then
            the others (who to contact, the good practice to approve). It is written in
            the policy folder, so the policy pages' relative links keep working.
        trees: The guides, in the order they should print.
        policy: The document control (``extra.policy``), for the printed pages' margins.
    """
    out = [
        "---", "search:", "  exclude: true", "---", "",
        "# Board pack: the policy and its guides", "",
        "For trustees: the whole Confidentiality Policy, who to contact, the good practice "
        "the guides add, and the text of every guide on one page, to print for a board "
        "meeting (use your browser's Print). Each section and each guide starts on a new "
        "page; every page is numbered and carries the policy's version and date. On paper, "
        "each guide's outcomes name whom to tell; their numbers and hours are under Who to "
        "contact.", "",
        CONTENTS_SLOT, "",
        margin_style(policy or {}, DOCUMENT), "",
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


def contents(html: str) -> str:
    """The contents list of a page: each section (h2) with an id, its subsections (h3) under it.

    Headings' permalinks are left out; their text keeps its escaping. A heading whose id
    an earlier one already has is left out too (its link would land on the first).
    """
    entries: list[tuple[str, str, list[tuple[str, str]]]] = []
    seen: set[str] = set()
    for level, anchor, inner in _HEADING_HTML.findall(html):
        if anchor in seen:  # a second heading with the same id: a link could not reach it
            continue
        seen.add(anchor)
        text = " ".join(_TAG.sub("", _PERMALINK.sub("", inner)).split())
        if level == "2":
            entries.append((anchor, text, []))
        elif entries:
            entries[-1][2].append((anchor, text))
    if not entries:
        return ""

    def link(anchor: str, text: str) -> str:
        return f'<a href="#{html_lib.escape(anchor)}">{text}</a>'

    items = []
    for anchor, text, subsections in entries:
        inner = "".join(f"<li>{link(a, t)}</li>" for a, t in subsections)
        items.append(f"<li>{link(anchor, text)}" + (f"<ul>{inner}</ul>" if inner else "")
                     + "</li>")
    return ('<nav class="cwc-contents" aria-labelledby="cwc-contents-title">'
            '<h2 class="cwc-contents__title" id="cwc-contents-title">Contents</h2>'
            f'<ul class="cwc-contents__list">{"".join(items)}</ul></nav>')


def fill_contents(html: str) -> str:
    """The page with its contents slot (if it has one) replaced by its contents list."""
    if CONTENTS_SLOT not in html:
        return html
    return html.replace(CONTENTS_SLOT, contents(html), 1)
