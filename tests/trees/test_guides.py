"""The real guides: the same situation gets the same words, and every outcome is safe to act on."""

from __future__ import annotations

import re

import pytest
import yaml

from build_tools.cli import tree_files
from build_tools.trees.engine import outcome_for
from build_tools.trees.engine_data import engine_data
from build_tools.trees.model import URGENT_FOR_DANGER
from build_tools.trees.validate import TreeSet, load_tree_set
from tests.helpers import real_docs
from tests.locations import ROOT, SHARED_OUTCOMES, TREES_DIR

CLIENT_TOLD_ME_NONE = ["No", "No", "No", "No", "No"]
"""client-told-me: no danger, no risk to life, no child at risk, no crime, no legal duty."""
OUTSIDE = ("Someone else outside CWC, for example the client's family, or someone who is "
           "asking about the client")
ASKS_ABOUT_CLIENT = ("Someone is asking about a client: a relative, a friend, an ex-partner, a "
                     "solicitor or anyone else")
OFFICIAL = ("A social worker, the council, a hospital, a government department or another "
            "official")
SOLICITOR = "A solicitor, or someone involved in a legal case or dispute"
COURT = "A court: a court order, a witness summons or a subpoena"
LOST_BREACH = ("Information has been lost or stolen, or sent to the wrong person: notes, a phone, "
               "a laptop, an email or a message")
LOST_PHONE = ("My phone or laptop has been lost or stolen, or a message or email went to the "
              "wrong person")
LOST_RECORDS = ("Something with client information in it has been lost, stolen or sent to the "
                "wrong person")
DIED_ACCESS = "A relative is asking about a client who has died"
DIED_TALK = "A client who has died, for example a relative asks about them"
GENERAL = "CWC, its work, or another organisation, in general"
A_CLIENT = "A client, or someone you know through your work at CWC"

SAME_SITUATION = [
    pytest.param({
        "client-told-me": [*CLIENT_TOLD_ME_NONE, OUTSIDE, "I have not asked them"],
        "talking-outside-cwc": [A_CLIENT, "Friends, family or anyone else outside CWC"],
        "access-request": [ASKS_ABOUT_CLIENT, "Something else: how the client is, what they "
                           "talked about, or whether they come to CWC"],
        "police-or-official": [OFFICIAL, "No"],
    }, id="someone-outside-asks-about-a-client"),
    pytest.param({
        "client-told-me": [*CLIENT_TOLD_ME_NONE[:4], "Yes"],
        "police-or-official": [COURT],
        "access-request": [ASKS_ABOUT_CLIENT, "A court order, a witness summons or a subpoena"],
    }, id="a-court-order"),
    pytest.param({
        "police-or-official": ["The police", "No"],
        "access-request": ["The police are asking about a client", "No"],
    }, id="the-police-ask"),
    pytest.param({
        "police-or-official": ["The police", "Yes"],
        "access-request": ["The police are asking about a client", "Yes"],
    }, id="the-police-say-someone-is-at-risk"),
    pytest.param({
        "access-request": [ASKS_ABOUT_CLIENT, "Where the client lives or is staying, their phone "
                           "number, or when they will be at CWC"],
        "police-or-official": [OFFICIAL, "Yes or not sure"],
    }, id="a-request-that-may-mean-someone-is-at-risk"),
    pytest.param({
        "access-request": [ASKS_ABOUT_CLIENT, "Information for a legal matter or dispute, for "
                           "example from a solicitor"],
        "police-or-official": [SOLICITOR, "No"],
    }, id="a-solicitor-or-dispute"),
    pytest.param({
        "client-told-me": ["Yes"],
        "which-guide": ["Yes"],
        "secret-or-disclosure": ["Yes"],
    }, id="someone-in-immediate-danger"),
    pytest.param({
        "breach-or-concern": ["No", LOST_BREACH],
        "phones-and-social-media": [LOST_PHONE],
        "storing-information": [LOST_RECORDS],
        "which-guide": ["No", "Information has been lost or stolen, or sent to the wrong person"],
    }, id="information-lost-stolen-or-misdirected"),
    pytest.param({
        "access-request": [DIED_ACCESS],
        "talking-outside-cwc": [DIED_TALK],
    }, id="a-client-has-died"),
    pytest.param({
        "client-told-me": [*CLIENT_TOLD_ME_NONE, "The public, for example in a talk, on social "
                           "media or in publicity"],
        "talking-outside-cwc": [GENERAL, "As part of your role, for example a talk or publicity "
                                "for CWC"],
    }, id="a-client-in-public"),
    pytest.param({
        "talking-outside-cwc": [GENERAL, "Online, for example on social media"],
        "phones-and-social-media": ["I want to post on social media about CWC or my volunteering"],
    }, id="posting-online"),
    pytest.param({
        "client-told-me": [*CLIENT_TOLD_ME_NONE, "The Charity Manager, or another appropriate "
                           "member of staff in CWC's leadership"],
        "talking-outside-cwc": [A_CLIENT, "An appropriate member of staff in CWC's leadership, as "
                                "part of your work"],
    }, id="telling-the-charity-manager"),
    pytest.param({
        "breach-or-concern": ["No", "I am unhappy with how a colleague or CWC handled something"],
        "talking-outside-cwc": ["Something you are unhappy about at CWC"],
    }, id="unhappy-with-cwc"),
]

FRIDAY_EVENING = [
    pytest.param([("which-guide", ["No", "A client has told me something and I am not sure "
                                   "whether to pass it on"]),
                  ("client-told-me", ["No", "Yes"])],
                 "report-risk-to-life", id="stockpiled-tablets"),
    pytest.param([("which-guide", ["No", "The police, a court, a solicitor, a social worker or "
                                   "another official is asking about a client"]),
                  ("police-or-official", ["The police", "Yes"])],
                 "police-and-risk", id="police-say-a-client-is-missing-and-at-risk"),
    pytest.param([("which-guide", ["No", "Someone else is asking about a client, or for their "
                                   "address or file: a relative, a friend, an ex-partner"]),
                  ("access-request", [ASKS_ABOUT_CLIENT, "Where the client lives or is staying, "
                                      "their phone number, or when they will be at CWC"])],
                 "request-and-risk", id="ex-partner-asks-for-an-address"),
    pytest.param([("which-guide", ["No", "Information has been lost or stolen, or sent to the "
                                   "wrong person"])],
                 "lost-information", id="notebook-left-on-the-bus"),
]


@pytest.fixture(scope="module")
def guides() -> TreeSet:
    return load_tree_set(tree_files([TREES_DIR]), real_docs(),
                         contacts=ROOT / "docs" / "contacts.yml", shared=SHARED_OUTCOMES)


def every_outcome(guides: TreeSet):
    for tree in guides.trees:
        for oid, outcome in tree.outcomes.items():
            yield f"{tree.id}: {oid}", outcome


@pytest.mark.parametrize("walks", SAME_SITUATION)
def test_the_same_situation_gets_the_same_shared_outcome(guides: TreeSet, walks: dict) -> None:
    """Every guide that reaches a situation reaches one shared outcome, with the same words."""
    trees = {tree.id: tree for tree in guides.trees}
    reached = {}
    for guide, answers in walks.items():
        tree = trees[guide]
        oid = outcome_for(engine_data(tree), answers)
        assert oid in tree.shared, f"{guide} reaches '{oid}', which is not a shared outcome"
        reached[guide] = (tree.shared[oid], tree.outcomes[oid])
    assert len({shared for shared, _ in reached.values()}) == 1, reached
    words = {(o.title, o.body, o.practice, o.if_nobody_answers) for _, o in reached.values()}
    assert len(words) == 1


def test_every_outcome_has_an_urgency_and_contacts(guides: TreeSet) -> None:
    """Every outcome says how soon to act and whom to try, in order."""
    for where, outcome in every_outcome(guides):
        assert outcome.urgency, where
        assert outcome.contacts, where


def test_red_is_only_for_harm_and_deadlines(guides: TreeSet) -> None:
    """Every danger (red) outcome is to be acted on now or today."""
    for where, outcome in every_outcome(guides):
        if outcome.kind == "danger":
            assert outcome.urgency in URGENT_FOR_DANGER, where


def test_titles_lead_with_an_action(guides: TreeSet) -> None:
    """No outcome title starts with "The policy does not say", or calls the policy silent."""
    for where, outcome in every_outcome(guides):
        assert not outcome.title.lower().startswith("the policy does not say"), where
        assert "policy is silent" not in outcome.title.lower(), where


def test_no_outcome_forbids_outside_help_in_an_emergency(guides: TreeSet) -> None:
    """No outcome tells a volunteer not to pass a risk on outside CWC themselves."""
    for where, outcome in every_outcome(guides):
        text = " ".join(f"{outcome.body} {outcome.practice or ''}".split())
        assert "Do not pass it on outside CWC yourself" not in text, where


def test_urgent_outcomes_say_what_to_do_if_nobody_answers(guides: TreeSet) -> None:
    """A red outcome has its own 'if nobody answers', or relies on the contacts file's default."""
    defaults = guides.contacts.if_nobody_answers
    for where, outcome in every_outcome(guides):
        if outcome.kind == "danger":
            assert outcome.if_nobody_answers or defaults.for_urgency(outcome.urgency), where


def test_act_now_outcomes_have_their_own_fallback_unless_the_fallback_is_999(
    guides: TreeSet,
) -> None:
    """An outcome to act on now says what to do if nobody answers, unless 999 is the answer."""
    for where, outcome in every_outcome(guides):
        if outcome.urgency == "now" and outcome.contacts[0] != "emergency-999":
            assert outcome.if_nobody_answers, f"{where}: the default for 'now' is to call 999"


@pytest.mark.parametrize(("walk", "expected"), FRIDAY_EVENING)
def test_friday_evening_walks_end_in_a_timed_action_with_a_fallback(
    guides: TreeSet, walk: list, expected: str
) -> None:
    """The four worked walks from "Which guide" end where expected, urgent, with contacts."""
    trees = {tree.id: tree for tree in guides.trees}
    for guide, answers in walk:
        oid = outcome_for(engine_data(trees[guide]), answers)
    outcome = trees[guide].outcomes[oid]
    assert oid == expected
    assert outcome.urgency in ("now", "today")
    assert len(outcome.contacts) >= 2
    assert outcome.if_nobody_answers


def test_which_guide_leads_to_every_guide(guides: TreeSet) -> None:
    """Every guide is linked from an outcome of "Which guide do I need?"."""
    which = next(tree for tree in guides.trees if tree.id == "which-guide")
    linked = {m for o in which.outcomes.values() for m in re.findall(r"guides/([a-z0-9-]+)\.md",
                                                                     o.body)}
    assert linked == {tree.id for tree in guides.trees} - {"which-guide"}


def test_every_guide_has_search_words_and_a_scenario_for_each_outcome(guides: TreeSet) -> None:
    """Every guide has keywords, and every outcome is reached by at least one worked scenario."""
    for tree in guides.trees:
        assert tree.keywords, tree.id
        missing = set(tree.outcomes) - {s.outcome for s in tree.scenarios}
        assert not missing, f"{tree.id}: no scenario reaches {sorted(missing)}"


def test_search_queries_expect_pages_that_exist(guides: TreeSet) -> None:
    """Each row of tests/browser/search_queries.yml names a guide page or a policy page."""
    rows = yaml.safe_load((ROOT / "tests" / "browser" / "search_queries.yml").read_text("utf-8"))
    assert len(rows) >= 30
    pages = {f"guides/{tree.id}.html" for tree in guides.trees if tree.id != "which-guide"}
    pages |= {"guides/index.html"}  # where "Which guide do I need?" is shown
    pages |= {f"policy/{p.stem}.html" for p in (ROOT / "docs" / "policy").glob("*.md")}
    for row in rows:
        assert set(row) == {"query", "expect"}, row
        assert row["expect"] in pages, row
    assert len({row["query"].casefold() for row in rows}) == len(rows), "a query is repeated"
