"""Markers: one line in a page's Markdown that the build turns into generated content.

A marker is an HTML comment alone on its line, outside fenced code (so an example in a
code block stays an example)::

    <!-- decision-tree: client-told-me -->
    <!-- reading-list -->

Only the names the build knows (:data:`NAMES`) are markers; any other comment is left as
it is. Before Markdown runs, each marker becomes a *slot*, an empty ``<div>`` that Markdown
passes through untouched; after it runs, each slot is filled with HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
MARKER = re.compile(
    r"^ {0,3}<!--[ \t]*(?P<name>[a-z][a-z-]*)[ \t]*(?::[ \t]*(?P<arg>\S+?))?[ \t]*-->[ \t]*$"
)
SLOT = '<div class="cwc-slot" data-slot="{name}" data-arg="{arg}" data-level="{level}"></div>'
SLOT_HTML = re.compile(
    r'<div class="cwc-slot" data-slot="(?P<name>[a-z-]+)" data-arg="(?P<arg>[^"]*)" '
    r'data-level="(?P<level>\d)"></div>'
)
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]")

DECISION_TREE = "decision-tree"
"""``<!-- decision-tree: ID -->``: the guide's widget (with its text version and diagram)."""
GUIDE_OUTLINE = "guide-outline"
"""``<!-- guide-outline: ID -->``: only the guide's text version and diagram (board pack)."""
READING_LIST = "reading-list"
PRACTICE_QUIZ = "practice-quiz"
ACKNOWLEDGEMENT = "acknowledgement"
CONTACTS = "contacts"
"""The "Who to contact" table, from the contacts file."""
WHAT_TO_DO_CARD = "what-to-do-card"
"""The printable card: the situations that need action now or today, and whom to call."""
PRACTICE_LIST = "practice-list"
"""For trustees: every piece of good practice beyond the policy, and contacts to confirm."""
REVIEW_POINTS = "review-points"
"""For trustees: the points for the Board's review, grouped by policy page (Markdown)."""
DOCUMENT_CONTROL = "document-control"
"""For trustees: the version, its approval and the approval history (Markdown)."""
CHANGES = "changes"
"""For trustees: what changed since the last approval, computed from git (Markdown)."""
WITH_ARGUMENT = (DECISION_TREE, GUIDE_OUTLINE)
IN_MARKDOWN = (READING_LIST, REVIEW_POINTS, DOCUMENT_CONTROL, CHANGES)
"""Markers whose content is Markdown, put in place before Markdown runs (their headings
join the page's table of contents, and the generator checks their links)."""
NAMES = (DECISION_TREE, GUIDE_OUTLINE, READING_LIST, PRACTICE_QUIZ, ACKNOWLEDGEMENT, CONTACTS,
         WHAT_TO_DO_CARD, PRACTICE_LIST, REVIEW_POINTS, DOCUMENT_CONTROL, CHANGES)


@dataclass(frozen=True)
class Marker:
    """A marker: its name, its argument (a tree id) if it takes one, and its line (1-based).

    ``level`` is the heading level its content takes: one below the heading above it (2
    under the page title), so screen-reader users moving by headings meet no gap.
    """

    name: str
    arg: str
    line: int
    level: int = 2


def scan(markdown: str, names: Iterable[str] = NAMES) -> list[Marker]:
    """Every marker with one of ``names`` outside fenced code, in page order."""
    wanted = set(names)
    found = []
    fence = None
    level = 1
    for index, line in enumerate(markdown.split("\n")):
        opening = FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)[0] * 3
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
        elif heading := _HEADING.match(line):
            level = len(heading.group(1))
        elif (match := MARKER.match(line)) and match.group("name") in wanted:
            found.append(Marker(match.group("name"), match.group("arg") or "", index + 1,
                                min(level + 1, 6)))
    return found


def replace(markdown: str, with_text: Callable[[Marker], str | None],
            names: Iterable[str] = NAMES) -> str:
    """Replace each marker's line by ``with_text(marker)`` (``None`` keeps the line)."""
    lines = markdown.split("\n")
    for marker in scan(markdown, names):
        text = with_text(marker)
        if text is not None:
            lines[marker.line - 1] = text
    return "\n".join(lines)


def slot(marker: Marker) -> str:
    """The placeholder a marker becomes before Markdown runs (blank lines around it)."""
    return "\n" + SLOT.format(name=marker.name, arg=marker.arg, level=marker.level) + "\n"


def fill(html: str, with_html: Callable[[Marker], str]) -> tuple[str, list[Marker]]:
    """Fill every slot in ``html`` with ``with_html(marker)``; also return what was filled.

    The markers given back have no line (0): they come from the HTML.
    """
    filled: list[Marker] = []

    def one(match: re.Match[str]) -> str:
        marker = Marker(match.group("name"), match.group("arg"), 0, int(match.group("level")))
        filled.append(marker)
        return with_html(marker)

    return SLOT_HTML.sub(one, html), filled
