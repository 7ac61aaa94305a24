"""The contacts file and the shared outcomes file: their rules, with file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.errors import Problems, TreeErrors
from build_tools.trees.validate import load_contacts, load_tree_set
from tests.helpers import docs_index
from tests.locations import CONTACTS, VALID

CONTACTS_TEXT = """\
contacts:
  charity-manager:
    role: Charity Manager
  emergency-999:
    role: Emergency services
    phone: "999"
    national: true
    confirmed: true
if_nobody_answers:
  now: Call 999.
  today: Keep trying.
  soon: Leave a message.
  no-deadline: Ask at your next shift.
"""


def contacts_problems(text: str, tmp_path: Path) -> Problems:
    path = tmp_path / "contacts.yml"
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    load_contacts(path, "contacts.yml", problems)
    return problems


def test_an_unconfirmed_contact_is_a_notice_not_an_error(tmp_path: Path) -> None:
    """CWC's own people stay 'to be confirmed': reported, and the build goes on."""
    problems = contacts_problems(CONTACTS_TEXT, tmp_path)
    assert list(problems) == []
    (notice,) = problems.notices
    assert notice.format().startswith(
        "contacts.yml:2:3: notice: contact 'charity-manager' (Charity Manager) is to be "
        "confirmed by CWC: name, phone, email, hours"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('    phone: "999"\n', ""), "contact 'emergency-999' is a national service with no phone"),
        (('    role: Charity Manager\n', "    role: Charity Manager\n    confirmed: true\n"),
         "contact 'charity-manager' is confirmed but has no phone or email"),
        (("  now: Call 999.\n", ""), "'if_nobody_answers' has no 'now'"),
        (("    role: Charity Manager\n", "    role: Charity Manager\n    phon: '1'\n"),
         "unknown key 'phon' in contact 'charity-manager'"),
    ],
)
def test_each_rule_of_the_contacts_file(change: tuple[str, str], message: str,
                                        tmp_path: Path) -> None:
    """A broken contacts file names the contact (or key) and what is wrong."""
    old, new = change
    assert old in CONTACTS_TEXT
    problems = contacts_problems(CONTACTS_TEXT.replace(old, new), tmp_path)
    assert any(message in p.message for p in problems), [p.message for p in problems]


SHARED = """\
outcomes:
  tell-safeguarding:
    title: Tell the safeguarding team today
    kind: danger
    urgency: soon
    contacts: [charity-manager]
    body: Tell them.
    cites: [policy/exceptions.md#serious-harm]
  unused:
    title: Nobody reaches this
    kind: info
    urgency: no-deadline
    contacts: [charity-manager]
    body: x
    cites: [policy/exceptions.md#serious-harm]
"""


def test_shared_outcomes_are_checked_once_in_their_own_file(tmp_path: Path) -> None:
    """The shared file's outcomes follow the outcome rules there; an unused one is an error."""
    shared = tmp_path / "shared" / "outcomes.yaml"
    shared.parent.mkdir()
    shared.write_text(SHARED, encoding="utf-8")
    tree = tmp_path / "uses-shared.yaml"
    tree.write_text((VALID / "shared-node.yaml").read_text(encoding="utf-8").replace(
        """  tell-safeguarding:
    title: Tell a member of the safeguarding team today""", """  tell-safeguarding:
    shared: tell-safeguarding
  was-here:
    title: Tell a member of the safeguarding team today"""), encoding="utf-8")
    with pytest.raises(TreeErrors) as caught:
        load_tree_set([tree], docs_index(), root=tmp_path, contacts=CONTACTS, shared=shared)
    messages = {(p.path, p.message) for p in caught.value.problems}
    assert ("shared/outcomes.yaml",
            "outcome 'tell-safeguarding' is of kind 'danger' but its urgency is 'soon'") in messages
    assert ("shared/outcomes.yaml", "shared outcome 'unused' is used by no guide") in messages
