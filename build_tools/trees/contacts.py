"""The contacts file: everyone a guide may tell a volunteer to call, in one file the charity edits.

Outcomes name contacts by id, in the order to try them (``contacts: [safeguarding-lead,
charity-manager, emergency-999]``). The file holds each contact's role, name, phone,
email and hours, and whether CWC has confirmed them. Only national public numbers (999,
101, NHS 111, Samaritans) are filled in by the project; CWC's own people and the local
authority's lines stay "to be confirmed by CWC" until the charity fills them in, and the
check reports each of them as a notice (never a build failure, so an unconfigured copy
still builds).

The file also says what to do when nobody on an outcome's list can be reached, for each
urgency: good practice, shown as such and listed for the trustees.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from build_tools.trees.model import Id, Text, _Strict

TO_BE_CONFIRMED = "to be confirmed by CWC"
"""What the pages show in place of a detail the charity has not given yet."""

DETAILS = ("name", "phone", "email", "hours")


class Contact(_Strict):
    """One person, team or service a volunteer may need to reach."""

    role: Text = Field(description="What they are, e.g. 'Safeguarding lead'.")
    short: str | None = Field(
        None, description="A few words for lists and the printed card (default: the role)."
    )
    name: str | None = Field(None, description="Who, if a person. Leave empty until CWC says.")
    phone: str | None = Field(None, description="The number to call.")
    email: str | None = Field(None, description="The address to write to.")
    hours: str | None = Field(None, description="When they can be reached.")
    when: str | None = Field(
        None, description="When to use this contact, e.g. 'out of hours'. Markdown."
    )
    service: bool = Field(
        False, description="A team, a line or a service rather than one person: no name."
    )
    national: bool = Field(
        False, description="A national public service (999, 101, NHS 111, Samaritans)."
    )
    group: Literal["cwc", "local"] = Field(
        "cwc", description="Where a contact that is not national belongs: 'cwc' (the "
        "charity's own people) or 'local' (local services, such as the council's lines)."
    )
    confirmed: bool = Field(
        False,
        description="CWC has checked these details. Unconfirmed contacts show as "
        f"'{TO_BE_CONFIRMED}' and are listed for the trustees.",
    )

    @property
    def label(self) -> str:
        """What a short list calls the contact."""
        return self.short or self.role

    def missing(self) -> list[str]:
        """The details still to be given (name only for a person's role, not for a service)."""
        wanted = ("phone", "email", "hours") if self.service or self.national else DETAILS
        return [name for name in wanted if not getattr(self, name)]


GROUP_TITLES = {
    "cwc": "At CWC",
    "local": "Local services",
    "national": "National services",
}


def group_of(contact: Contact) -> str:
    """``national``, or the contact's own group."""
    return "national" if contact.national else contact.group


class Fallbacks(_Strict):
    """What to do when nobody on an outcome's contact list can be reached, by urgency."""

    now: Text
    today: Text
    soon: Text
    no_deadline: Text = Field(alias="no-deadline")

    def for_urgency(self, urgency: str) -> str:
        """The advice for one urgency (``no-deadline`` included)."""
        return str(getattr(self, urgency.replace("-", "_")))


class ContactsFile(_Strict):
    """``docs/contacts.yml``: every contact, and what to do when nobody answers."""

    contacts: dict[Id, Contact] = Field(
        min_length=1, description="Contact id → contact.", json_schema_extra={
            "additionalProperties": False,
        }
    )
    if_nobody_answers: Fallbacks = Field(
        description="For each urgency (now, today, soon, no-deadline): what to do when "
        "nobody on an outcome's list can be reached. Markdown; good practice."
    )

    def grouped(self) -> list[tuple[str, dict[str, Contact]]]:
        """The contacts by group, in file order: CWC, local services, national services."""
        groups: list[tuple[str, dict[str, Contact]]] = [
            (GROUP_TITLES[name], {cid: c for cid, c in self.contacts.items()
                                  if group_of(c) == name})
            for name in GROUP_TITLES
        ]
        return [(title, members) for title, members in groups if members]

    def unconfirmed(self) -> dict[str, Contact]:
        """The contacts CWC has still to confirm, by id, in file order."""
        return {cid: c for cid, c in self.contacts.items() if not c.confirmed}
