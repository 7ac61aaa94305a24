"""The policy's citable clauses: every explicit anchor in the docs, with a readable title.

Decision-tree outcomes cite clauses as ``policy/page.md#anchor``. This module finds, for each
Markdown page, the anchors written with attr_list (``## Heading {#id}`` or a list item ending
in ``{ #id }``) and what a person would call that clause: the heading text, or the list
item's text. The widget uses the titles to label citations; the coverage page lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_ATTR_ID = re.compile(r"\{:?\s*#([A-Za-z0-9_-]+)[^}]*\}\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+(.*?)\s*$")


@dataclass(frozen=True)
class Clause:
    """One citable place in the docs.

    Attributes:
        page: Path of the Markdown page relative to the docs folder (``policy/x.md``).
        anchor: The explicit id (without ``#``).
        title: The heading or list-item text.
        page_title: The page's first-level heading.
    """

    page: str
    anchor: str
    title: str
    page_title: str

    @property
    def ref(self) -> str:
        """The clause as a ``cites`` entry: ``page.md#anchor``."""
        return f"{self.page}#{self.anchor}"


def _strip_attr(text: str) -> str:
    return _ATTR_ID.sub("", text).strip()


def clauses_in(page: str, markdown: str) -> list[Clause]:
    """Every explicitly anchored heading or list item of one page, in page order."""
    lines = markdown.splitlines()
    page_title = ""
    found: list[Clause] = []
    for number, line in enumerate(lines):
        heading = _HEADING.match(line)
        if heading and len(heading.group(1)) == 1 and not page_title:
            page_title = _strip_attr(heading.group(2))
        match = _ATTR_ID.search(line)
        if not match:
            continue
        if heading:
            title = _strip_attr(heading.group(2))
        else:
            # A list item's id may sit on the item's own line or on its continuation line.
            own = _strip_attr(line)
            item = _LIST_ITEM.match(own) if own else None
            if item is None and number > 0:
                item = _LIST_ITEM.match(lines[number - 1])
            title = _strip_attr(item.group(1)) if item else own
        found.append(Clause(page, match.group(1), title, page_title))
    return [Clause(c.page, c.anchor, c.title, c.page_title or page_title) for c in found]


def collect_clauses(docs_dir: Path, under: str = "policy") -> list[Clause]:
    """Every clause on the pages under ``docs_dir/under``, ordered as the pages are named."""
    clauses: list[Clause] = []
    for path in sorted((docs_dir / under).rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        clauses.extend(clauses_in(rel, path.read_text(encoding="utf-8")))
    return clauses
