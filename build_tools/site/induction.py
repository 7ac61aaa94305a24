"""The volunteer induction: the reading path and the printable acknowledgement.

- the reading path: the marker ``<!-- reading-list -->`` becomes the policy pages in
  reading order, each with a reading time computed from its text;
- the acknowledgement: the marker ``<!-- acknowledgement -->`` becomes a printable sheet
  naming the policy version from ``extra.policy`` in ``mkdocs.yml``, with the key contacts.

The practice questions are in :mod:`build_tools.site.quiz`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from build_tools.errors import BuildError
from build_tools.site.paper import margin_style
from build_tools.site.urls import relative_md, relative_url
from build_tools.site.widget import environment

WORDS_PER_MINUTE = 200
"""A steady reading speed for plain prose (people read policy text no faster)."""

# What is not read aloud: comments, attribute lists, link targets, HTML tags, Markdown marks.
_NOT_READ = (
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"\{:?\s*[#.][^}]*\}"),
    re.compile(r"\]\([^)]*\)"),
    re.compile(r"<[^>]+>"),
    re.compile(r"^ {0,3}!!!.*$", re.M),
)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_H1 = re.compile(r"^#\s+(.+?)\s*(?:\{[^}]*\})?\s*$", re.M)


def count_words(markdown: str) -> int:
    """The words a person reads on a Markdown page (no link targets, anchors or comments)."""
    text = markdown
    for pattern in _NOT_READ:
        text = pattern.sub(" ", text)
    return len(_WORD.findall(text))


def reading_minutes(markdown: str, words_per_minute: int = WORDS_PER_MINUTE) -> int:
    """Minutes to read a page at ``words_per_minute``, rounded up, at least 1."""
    return max(1, math.ceil(count_words(markdown) / words_per_minute))


def page_title(markdown: str, default: str) -> str:
    """A page's first-level heading, or ``default``."""
    match = _H1.search(markdown)
    return match.group(1).strip() if match else default


@dataclass(frozen=True)
class ReadingItem:
    """One page of the reading path."""

    src: str
    title: str
    minutes: int


def reading_list(pages: Iterable[tuple[str, str]]) -> list[ReadingItem]:
    """The reading path from ``(src, markdown)`` pairs, in the order given."""
    return [ReadingItem(src, page_title(text, src), reading_minutes(text)) for src, text in pages]


def _minutes(n: int) -> str:
    return f"about {n} minute" + ("" if n == 1 else "s")


def render_reading_list(items: Sequence[ReadingItem], from_src: str) -> str:
    """Markdown: a numbered list of links with their reading times, then the total."""
    if not items:
        return ""
    lines = [
        f"1. [{item.title}]({relative_md(item.src, from_src)}) ({_minutes(item.minutes)})"
        for item in items
    ]
    total = sum(item.minutes for item in items)
    lines += ["", f"In all, {_minutes(total)} of reading.", ""]
    return "\n" + "\n".join(lines)


def policy_pages(nav_order: Sequence[str], all_pages: Iterable[str], folder: str,
                 exclude: Iterable[str] = ()) -> list[str]:
    """The pages under ``folder`` to read, in nav order; all of them, sorted, if there is no nav.

    Args:
        nav_order: The page paths of the nav, in order (empty when the site has no nav).
        all_pages: The pages that exist (written by authors, not generated).
        folder: The policy's folder in docs/, e.g. ``policy``.
        exclude: Pages in that folder that are not part of the policy (editorial notes).
    """
    excluded = set(exclude)
    inside = {p for p in all_pages if p.startswith(folder.rstrip("/") + "/") and p not in excluded}
    if not nav_order:
        return sorted(inside)
    return [p for p in dict.fromkeys(nav_order) if p in inside]


REQUIRED_POLICY_KEYS = ("title", "organisation", "version", "approved_by")
ACKNOWLEDGEMENT_DOCUMENT = "Volunteer’s acknowledgement"
"""What the printed sheet calls itself at the top of the page."""


def acknowledgement(policy: Mapping[str, Any], practice_url: str | None, page_url: str,
                    contacts: Markup | str = "") -> str:
    """The printable acknowledgement, naming the policy version and its approval.

    Args:
        policy: The document control as the pages show it
            (:meth:`build_tools.site.document_control.DocumentControl.view`): ``title``,
            ``organisation``, ``version``, ``approved_by``, ``approved_on`` (empty until the
            trustees approve this version) and ``last_approved`` (the latest approval, or
            None).
        practice_url: The practice page (site-relative URL), or None if there is none.
        page_url: The URL of the page the acknowledgement goes on.
        contacts: The key contacts, as HTML, to keep with the signed sheet.

    Raises:
        BuildError: If the document control lacks a value the sheet names.
    """
    missing = [k for k in REQUIRED_POLICY_KEYS if not policy.get(k)]
    if missing:
        raise BuildError(
            "the acknowledgement needs extra.policy." + ", extra.policy.".join(missing)
            + " in mkdocs.yml (the policy's document control)",
            "add them under 'extra: policy:' in mkdocs.yml",
        )
    return environment().get_template("acknowledgement.html.j2").render(
        policy=policy,
        approved_on=str(policy.get("approved_on") or ""),
        last=policy.get("last_approved"),
        practice_href=relative_url(practice_url, page_url) if practice_url else "",
        contacts=Markup(contacts),
        page_margins=Markup(margin_style(policy, ACKNOWLEDGEMENT_DOCUMENT)),
    )
