"""The DOM ids the build gives a guide's parts: one place, so links between them agree.

Every id starts ``dt-<tree id>-``, so two guides on one page (the board pack) never share
one. The coverage page and the trustees' pages link to the outline ids; the diagram's
caption links to the outline; the SVG's ``aria-labelledby`` names its title.
"""

from __future__ import annotations


def tree_part(tree_id: str, part: str, node: str | None = None) -> str:
    """``dt-<tree>-<part>`` or ``dt-<tree>-<part>-<node>``."""
    return f"dt-{tree_id}-{part}" + (f"-{node}" if node else "")


def outline(tree_id: str) -> str:
    """The guide's text version (the ``<details>`` under the widget, or the board pack's copy)."""
    return tree_part(tree_id, "outline", "all")


def outline_question(tree_id: str, qid: str) -> str:
    """One question in the text version."""
    return tree_part(tree_id, "outline-q", qid)


def outline_outcome(tree_id: str, oid: str) -> str:
    """One outcome in the text version: what the coverage and trustees' pages link to."""
    return tree_part(tree_id, "outline-o", oid)


def diagram(tree_id: str) -> str:
    """The diagram's figure."""
    return tree_part(tree_id, "diagram")


def diagram_caption(tree_id: str) -> str:
    """The diagram's caption, which describes it in words."""
    return tree_part(tree_id, "diagram", "caption")


def diagram_svg(tree_id: str) -> str:
    """The SVG; every id inside it is prefixed with this."""
    return tree_part(tree_id, "diagram", "svg")
