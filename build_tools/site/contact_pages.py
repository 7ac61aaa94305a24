"""Who to contact, on three pages: the contacts page, the "What to do" card, the trustees' list.

- :func:`contacts_page` (marker ``<!-- contacts -->``): every contact by group, and what to
  do out of hours and when nobody answers;
- :func:`what_to_do_card` (marker ``<!-- what-to-do-card -->``): a one-page card from the
  outcomes that need action now or today, and whom to call, to print and fold to A5;
- :func:`practice_list` (marker ``<!-- practice-list -->``): for the trustees, every piece of
  good practice the guides add beyond the policy's words, and every contact CWC still has
  to confirm, so the Board can approve the advice along with the policy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from build_tools.site import dom
from build_tools.site.markdown import GuideMarkdown
from build_tools.site.urls import page_url_of, relative_url
from build_tools.site.widget import URGENCY, TreeRenderer, environment
from build_tools.trees.contacts import ContactsFile
from build_tools.trees.model import URGENCIES, Outcome, Tree

URGENT = ("now", "today")


@dataclass(frozen=True)
class Reached:
    """An outcome as the pages about contacts list it: where it is, and who reaches it."""

    tree: Tree
    oid: str
    outcome: Outcome
    href: str
    situations: tuple[str, ...]
    """The names of the worked examples that end there (the situations it answers)."""
    shared_by: tuple[str, ...]
    """The titles of the other guides that use the same shared outcome."""


def reached_outcomes(trees: Sequence[Tree], tree_pages: Mapping[str, str],
                     page_url: str) -> list[Reached]:
    """Every outcome once (a shared outcome at its first guide), in guide order."""
    seen: dict[str, list[str]] = {}
    first: dict[str, tuple[Tree, str]] = {}
    for tree in trees:
        for oid, shared_id in tree.shared.items():
            seen.setdefault(shared_id, []).append(tree.title)
            first.setdefault(shared_id, (tree, oid))
    found = []
    for tree in trees:
        for oid, outcome in tree.outcomes.items():
            ref = tree.shared.get(oid)
            if ref is not None and first[ref] != (tree, oid):
                continue
            others = tuple(t for t in seen.get(ref, []) if t != tree.title) if ref else ()
            target = f"{page_url_of(tree_pages[tree.id])}#{dom.outline_outcome(tree.id, oid)}"
            situations = tuple(s.name for s in tree.scenarios if s.outcome == oid)
            found.append(Reached(tree, oid, outcome, relative_url(target, page_url),
                                 situations, others))
    return found


class ContactPages:
    """Renders the pages about contacts for one build.

    Args:
        renderer: The guides' renderer (contacts and fallbacks render as on outcomes).
        markdown: The site's renderer for authors' Markdown.
        contacts: The contacts file.
    """

    def __init__(self, renderer: TreeRenderer, markdown: GuideMarkdown,
                 contacts: ContactsFile) -> None:
        self._renderer = renderer
        self._markdown = markdown
        self._contacts = contacts

    def _render(self, template: str, page_url: str, level: int, **context: Any) -> str:
        return environment().get_template(template).render(
            md=lambda text: self._markdown.html(text, page_url),
            people=lambda ids: self._renderer.people(ids, page_url),
            urgencies=URGENCIES, h=max(2, min(level, 5)), **context,
        )

    def contacts_page(self, page_url: str, level: int = 2) -> str:
        """Every contact by group, then what to do when nobody answers, by urgency."""
        groups = [(title, list(members)) for title, members in self._contacts.grouped()]
        fallbacks = [(URGENCY[u], self._contacts.if_nobody_answers.for_urgency(u))
                     for u in URGENCIES]
        return self._render("contacts_page.html.j2", page_url, level, groups=groups,
                            fallbacks=fallbacks)

    def what_to_do_card(self, trees: Sequence[Tree], tree_pages: Mapping[str, str],
                        page_url: str, level: int = 2) -> str:
        """The card: each situation that needs action now or today, and whom to call.

        The card carries the red outcomes (harm and deadlines, always now or today), each
        action once, however many guides reach it.
        """
        titles: set[str] = set()
        reached = []
        for r in reached_outcomes(trees, tree_pages, page_url):
            if r.outcome.kind == "danger" and r.outcome.title not in titles:
                titles.add(r.outcome.title)
                reached.append(r)
        by_urgency = [(URGENCY[u], [r for r in reached if r.outcome.urgency == u])
                      for u in URGENT]
        used = list(dict.fromkeys(c for r in reached for c in r.outcome.contacts))
        fallbacks = [(URGENCY[u], self._contacts.if_nobody_answers.for_urgency(u))
                     for u in URGENT]
        return self._render("card.html.j2", page_url, level, by_urgency=by_urgency, used=used,
                            fallbacks=fallbacks)

    def practice_list(self, trees: Sequence[Tree], tree_pages: Mapping[str, str],
                      page_url: str, contacts_file: str, level: int = 2) -> str:
        """For trustees: every good-practice text, every fallback, every contact to confirm."""
        reached = reached_outcomes(trees, tree_pages, page_url)
        practice = [r for r in reached if r.outcome.practice]
        overrides = [r for r in reached if r.outcome.if_nobody_answers]
        fallbacks = [(URGENCY[u], self._contacts.if_nobody_answers.for_urgency(u))
                     for u in URGENCIES]
        unconfirmed = [(cid, c, c.missing()) for cid, c in self._contacts.unconfirmed().items()]
        return self._render("practice_list.html.j2", page_url, level, practice=practice,
                            overrides=overrides, fallbacks=fallbacks, unconfirmed=unconfirmed,
                            contacts_file=contacts_file)
