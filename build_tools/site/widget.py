"""Render a guide into HTML with Jinja2: the widget, its text version, and their pieces.

Nothing here knows about a site generator. The caller gives the site's Markdown renderer
(:class:`build_tools.site.markdown.GuideMarkdown`), the clause titles, the contacts file,
the URL of the page the widget goes on (links are relative to it, so they work from
``file://``) and the heading level the widget's steps take on that page.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from build_tools.site import dom
from build_tools.site.markdown import GuideMarkdown
from build_tools.site.urls import docs_link
from build_tools.trees.contacts import TO_BE_CONFIRMED, Contact, ContactsFile
from build_tools.trees.model import Outcome, Tree


@dataclass(frozen=True)
class Urgency:
    """How an urgency reads on the page: a label and what it means."""

    label: str
    detail: str
    short: str


URGENCY: dict[str, Urgency] = {
    "now": Urgency("Do this now", "Act at once: do not wait for the end of the conversation "
                   "or of your shift.", "Now"),
    "today": Urgency("Do this today", "Before the end of the day, or before the client "
                     "leaves if they are still with you.", "Today"),
    "soon": Urgency("Do this soon", "Within the next few days.", "Soon"),
    "no-deadline": Urgency("No deadline", "Nothing here is urgent: do it when it fits.",
                           "No deadline"),
}
"""The words for each urgency, the same on every page and on paper."""


@dataclass(frozen=True)
class Cite:
    """A cited clause, ready for a template: its link and the words a person reads."""

    href: str
    page_title: str
    title: str


@dataclass(frozen=True)
class ContactView:
    """A contact as a page shows it (missing details say they are to be confirmed)."""

    id: str
    contact: Contact
    when: Markup

    def __getattr__(self, name: str) -> Any:
        return getattr(self.contact, name)

    @property
    def show_name(self) -> bool:
        """Whether the contact is a person, whose name is shown (or asked for)."""
        return not (self.contact.service or self.contact.national)

    @property
    def show_email(self) -> bool:
        """National lines are phoned; everyone else may also be written to."""
        return not self.contact.national

    @property
    def tel(self) -> str:
        """The phone number for a ``tel:`` link (digits and a leading +)."""
        return "".join(ch for ch in self.contact.phone or "" if ch.isdigit() or ch == "+")


@cache
def environment() -> jinja2.Environment:
    """The site layer's Jinja2 environment: strict about undefined names, autoescaping."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("build_tools.site", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["tojson_script"] = tojson_script
    env.globals.update(urgency=URGENCY, tbc=TO_BE_CONFIRMED, dom=dom)
    return env


def tojson_script(data: Any) -> Markup:
    """JSON safe to place inside ``<script type="application/json">``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def heading_level(level: int) -> int:
    """A heading level a widget can take (its sub-headings need one more, at most h6)."""
    return max(2, min(level, 5))


class TreeRenderer:
    """Renders the HTML of guides for the pages of one build.

    Args:
        markdown: The site's renderer for authors' Markdown.
        clause_titles: ``policy/x.md#anchor`` → (page title, clause title), for citations.
        contacts: The contacts file (outcomes name contacts from it).
    """

    def __init__(
        self,
        markdown: GuideMarkdown,
        clause_titles: Mapping[str, tuple[str, str]],
        contacts: ContactsFile,
    ) -> None:
        self._markdown = markdown
        self._clause_titles = clause_titles
        self._contacts = contacts

    def cites(self, refs: Iterable[str], page_url: str) -> list[Cite]:
        """The cited clauses, linked from the page at ``page_url``."""
        found = []
        for ref in refs:
            page_title, title = self._clause_titles.get(ref, ("", ref))
            found.append(Cite(docs_link(ref, page_url), page_title, title))
        return found

    def people(self, ids: Iterable[str], page_url: str) -> list[ContactView]:
        """The contacts with these ids, in order, as pages show them."""
        return [
            ContactView(cid, self._contacts.contacts[cid],
                        self._markdown.html(self._contacts.contacts[cid].when, page_url))
            for cid in ids
        ]

    def fallback(self, outcome: Outcome, page_url: str) -> Markup:
        """What to do when nobody on the outcome's list answers (its own, or its urgency's)."""
        text = outcome.if_nobody_answers or self._contacts.if_nobody_answers.for_urgency(
            outcome.urgency
        )
        return self._markdown.html(text, page_url)

    def context(self, page_url: str, level: int = 2) -> dict[str, Any]:
        """What the templates need to render guide parts for the page at ``page_url``."""
        return {
            "md": lambda text: self._markdown.html(text, page_url),
            "cites": lambda refs: self.cites(refs, page_url),
            "people": lambda outcome: self.people(outcome.contacts, page_url),
            "fallback": lambda outcome: self.fallback(outcome, page_url),
            "h": heading_level(level),
        }

    def widget(
        self, tree: Tree, engine_data: Mapping[str, Any], page_url: str, *, level: int = 2,
        summary: bool = False,
    ) -> str:
        """The whole widget for one tree, as it goes on the page at ``page_url``.

        Args:
            tree: The guide.
            engine_data: What the engine in the page runs on.
            page_url: The built page's URL, relative to the site.
            level: The heading level of the steps (one below the heading before the widget).
            summary: Show the guide's summary above the questions (a page that embeds a
                guide shows what its author wrote for the reader).
        """
        template = environment().get_template("widget.html.j2")
        context = self.context(page_url, level)
        shown = context["md"](tree.summary) if summary and tree.summary else ""
        return template.render(data=engine_data, tree=tree, summary=shown, **context)

    def outline(self, tree: Tree, page_url: str, *, level: int = 2) -> str:
        """Only the text version of a tree (for the printable board pack)."""
        template = environment().get_template("outline.html.j2")
        return template.render(tree=tree, **self.context(page_url, level))

    def contact_list(self, ids: Iterable[str], page_url: str) -> str:
        """The contacts with these ids as a list (for the contact pages)."""
        template = environment().get_template("contacts.html.j2")
        return template.render(people=self.people(ids, page_url))
