"""The volunteer induction in a real browser, over http and from file:// (an offline copy).

The practice page checks answers with the Python engine in the page (Pyodide). The right
answer expected here is worked out apart from the page: each question's answers are
replayed in its guide by the engine in this process, and the choice that names the
outcome they reach is right; a choice marked ``accepted`` counts as right too. So the
page and the test agree only if the page really asks the engine. Then: retry, the score
carried to the acknowledgement (in the tab, never in the address), the acknowledgement
printed on one A4 page, and nothing kept.

The checks of the answers themselves (right, accepted, wrong, none chosen, try again) run
on the offline copy only: once the page is ready they run the same code whichever way
it was opened; what depends on that way (the score handed on in the tab, the links into
the guides, what is stored or requested) is tested both ways.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import yaml
from playwright.sync_api import Browser, Locator, Page, expect

from build_tools.trees.engine import outcome_for
from build_tools.trees.engine_data import engine_data
from tests.browser.helpers import printed_pages
from tests.helpers import NOTHING_STORED, STORAGE, real_trees
from tests.locations import ROOT

pytestmark = pytest.mark.browser
ANSWERS_OFFLINE = pytest.mark.parametrize("site_root", ["file"], indirect=True)
"""For the checks of the answers: the offline copy only (see the module's docstring)."""

READY = 30_000  # ms; generous for a loaded 2-core CI machine
PRACTICE = "induction/practice.html"
ACKNOWLEDGEMENT = "induction/acknowledgement.html"
QUESTIONS = ROOT / "docs" / "induction" / "practice-questions.yml"


@dataclass(frozen=True)
class Answer:
    """What the guide says about one practice question, worked out in this process."""

    outcome: str  # the outcome the question's answers reach in its guide
    right: str  # the value of the choice that names it
    accepted: frozenset[str]  # values of other choices that also count as right


@pytest.fixture(scope="module")
def expected() -> dict[str, Answer]:
    """Question id → its right choice, by replaying its answers in its guide."""
    trees = {tree.id: tree for tree in real_trees()}
    found = {}
    for q in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]:
        outcome = outcome_for(engine_data(trees[q["guide"]]), q["answers"])
        right = [str(j) for j, c in enumerate(q["choices"]) if c.get("outcome") == outcome]
        assert len(right) == 1, f"{q['id']}: {right}"
        accepted = frozenset(str(j) for j, c in enumerate(q["choices"]) if c.get("accepted"))
        found[q["id"]] = Answer(outcome, right[0], accepted)
    return found


@pytest.fixture(scope="module")
def quiz_page(browser: Browser, site_root: str) -> Iterator[Page]:
    """The practice page, loaded once per run (http or file://) and reset between tests."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_root + PRACTICE)
    expect(quiz(page)).to_have_attribute("data-state", "ready", timeout=READY)
    yield page
    context.close()


@pytest.fixture()
def fresh_quiz(quiz_page: Page) -> Page:
    """The shared practice page with every answer cleared."""
    retry = quiz_page.locator('[data-action="retry"]')
    if retry.is_enabled():
        retry.click()
    return quiz_page


def quiz(page: Page) -> Locator:
    return page.locator("section.cwc-quiz")


def questions(page: Page) -> list[Locator]:
    return page.locator("[data-quiz-question]").all()


def answer_of(question: Locator, expected: dict[str, Answer]) -> Answer:
    return expected[question.get_attribute("data-quiz-question")]


def radio(question: Locator, value: str) -> Locator:
    return question.locator(f'input[type="radio"][value="{value}"]')


def values(question: Locator) -> list[str]:
    return [r.get_attribute("value") for r in question.locator('input[type="radio"]').all()]


def check(question: Locator, choice: Locator) -> None:
    choice.check()
    question.get_by_role("button", name="Check my answer").click()


def expect_feedback(question: Locator, chosen: str, answer: Answer) -> None:
    """The feedback explains the choice made and the right one (no other), names the
    guide's outcome, and links to the guide."""
    shown = question.locator("[data-explains]:visible")
    expect(shown).to_have_count(1 if chosen == answer.right else 2)
    for value in {chosen, answer.right}:
        expect(question.locator(f'[data-explains="{value}"]')).to_be_visible()
    expect(question.locator("[data-outcome-title]:visible")).to_have_attribute(
        "data-outcome-title", answer.outcome)
    expect(question.locator('[data-role="walk"]')).to_be_visible()


def expect_verdict(question: Locator, value: str, answer: Answer, result: str,
                   verdict: str) -> None:
    """Check the choice ``value``: the question is marked ``result``, its verdict starts
    as the pattern ``verdict`` says, and the feedback explains it (``expect_feedback``)."""
    check(question, radio(question, value))
    expect(question).to_have_attribute("data-result", result)
    expect(question.locator('[data-role="verdict"]')).to_have_text(re.compile(verdict))
    expect_feedback(question, value, answer)


def answer_all(page: Page, expected: dict[str, Answer], wrong: set[int] = frozenset()) -> None:
    """Answer every question, rightly except for the positions in ``wrong``."""
    for index, question in enumerate(questions(page)):
        answer = answer_of(question, expected)
        if index in wrong:
            value = next(v for v in values(question)
                         if v != answer.right and v not in answer.accepted)
        else:
            value = answer.right
        check(question, radio(question, value))


def test_the_right_choice_is_not_always_in_the_same_place(page: Page, site_root: str,
                                                          expected) -> None:
    """The choices are shuffled (the same way on every build): the right one is not
    always first, nor always last."""
    page.goto(site_root + PRACTICE)
    places = {values(q).index(answer_of(q, expected).right) for q in questions(page)}
    assert len(places) >= 3, places


@ANSWERS_OFFLINE
def test_every_right_answer_is_accepted(fresh_quiz: Page, expected) -> None:
    """Choosing the guide's outcome is marked right, with that choice explained."""
    for question in questions(fresh_quiz):
        answer = answer_of(question, expected)
        expect_verdict(question, answer.right, answer, "right", r"^Right: ")
    total = len(questions(fresh_quiz))
    expect(fresh_quiz.locator('[data-role="score"]')).to_contain_text(
        f"You got {total} of {total} right."
    )


@ANSWERS_OFFLINE
def test_a_more_protective_choice_counts_as_right(fresh_quiz: Page, expected) -> None:
    """An 'accepted' choice is marked 'also right', and both explanations show."""
    tried = 0
    retry = fresh_quiz.locator('[data-action="retry"]')
    for question in questions(fresh_quiz):
        answer = answer_of(question, expected)
        for value in sorted(answer.accepted):
            expect_verdict(question, value, answer, "accepted", r"^Also right: ")
            retry.click()
            tried += 1
    assert tried >= 1, "no practice question has an accepted choice to try"


@ANSWERS_OFFLINE
def test_every_wrong_answer_is_refused_with_the_right_explanation(
    fresh_quiz: Page, expected
) -> None:
    """Each other choice is marked wrong; its explanation and the right one's show."""
    retry = fresh_quiz.locator('[data-action="retry"]')
    tried = 0
    for question in questions(fresh_quiz):
        answer = answer_of(question, expected)
        for value in values(question):
            if value == answer.right or value in answer.accepted:
                continue
            expect_verdict(question, value, answer, "wrong", r"^Not quite\. ")
            retry.click()
            tried += 1
    assert tried > len(questions(fresh_quiz))


@ANSWERS_OFFLINE
def test_checking_without_a_choice_asks_for_one(fresh_quiz: Page) -> None:
    """'Check my answer' with nothing chosen says so and marks nothing."""
    question = questions(fresh_quiz)[0]
    question.get_by_role("button", name="Check my answer").click()
    expect(question.locator('[data-role="hint"]')).to_be_visible()
    expect(question).not_to_have_attribute("data-result", re.compile(".*"))


@ANSWERS_OFFLINE
def test_try_again_clears_every_answer(fresh_quiz: Page, expected) -> None:
    """After 'Try again' no choice is selected, no feedback shows, the score restarts."""
    answer_all(fresh_quiz, expected, wrong={0})
    fresh_quiz.get_by_role("button", name="Try again").click()
    expect(fresh_quiz.locator('input[type="radio"]:checked')).to_have_count(0)
    expect(fresh_quiz.locator('input[type="radio"]:disabled')).to_have_count(0)
    expect(fresh_quiz.locator('[data-role="feedback"]:visible')).to_have_count(0)
    expect(fresh_quiz.locator("[data-quiz-question][data-result]")).to_have_count(0)
    total = len(questions(fresh_quiz))
    expect(fresh_quiz.locator('[data-role="score"]')).to_have_text(
        f"You have checked 0 of {total} answers."
    )
    link = fresh_quiz.get_by_role("link", name="Continue to the acknowledgement")
    expect(link).to_have_attribute("href", "acknowledgement.html")


def test_the_walk_link_opens_the_guide_at_that_outcome(
    browser: Browser, site_root, expected
) -> None:
    """'Walk through this situation' opens the guide with the answers filled in."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_root + PRACTICE)
    links = [
        (
            q.get_attribute("data-tree"),
            answer_of(q, expected).outcome,
            q.locator('[data-role="walk"]').get_attribute("href"),
        )
        for q in questions(page)
    ]
    for tree_id, outcome, href in links:
        page.goto(site_root + "induction/" + href)
        section = page.locator(f'section.decision-tree[data-tree="{tree_id}"]')
        expect(section).to_have_attribute("data-state", "ready", timeout=READY)
        step = section.locator("[data-role=steps] > [data-outcome]:visible")
        expect(step).to_have_attribute("data-outcome", outcome)
    context.close()


def test_the_score_reaches_the_acknowledgement(browser: Browser, site_root) -> None:
    """All answers checked → "Continue" hands the score to the sheet in the same tab,
    never in the address (so never in the history), and it is not left in the tab."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_root + PRACTICE)
    expect(quiz(page)).to_have_attribute("data-state", "ready", timeout=READY)
    for question in questions(page):  # whatever is right: the score is what travels
        check(question, question.locator('input[type="radio"]').last)
    right, total = page.locator('.cwc-quiz [data-role="score"]').get_attribute(
        "data-score").split("-of-")
    assert int(total) == len(questions(page))
    link = page.get_by_role("link", name="Continue to the acknowledgement")
    expect(link).to_have_attribute("href", "acknowledgement.html")
    link.click()
    expect(page).to_have_url(re.compile(r"acknowledgement\.html$"))
    expect(page.locator('.cwc-ack [data-role="score"]')).to_have_text(
        f"{right} right out of {total}"
    )
    assert page.evaluate("window.name") == ""
    # Moving about the sheet (its headings' anchors) keeps the score.
    page.evaluate("location.hash = '#top'")
    expect(page.locator('.cwc-ack [data-role="score"]')).to_have_text(
        f"{right} right out of {total}"
    )
    context.close()


@pytest.mark.parametrize(
    ("suffix", "shown"),
    [
        pytest.param("", None, id="none"),
        pytest.param("#score=9-of-8", None, id="more-right-than-asked"),
        pytest.param("#score=lots", None, id="not-a-number"),
        pytest.param("#score=7-of-8", "7 right out of 8", id="a-link-made-by-hand"),
    ],
)
def test_acknowledgement_shows_only_a_score_that_makes_sense(
    page: Page, site_root: str, suffix: str, shown: str | None
) -> None:
    """Opened directly (or with a made-up score) the score is left to fill in on paper; a
    score in a link made by hand shows. Either way the address is left bare."""
    page.goto(site_root + ACKNOWLEDGEMENT + suffix)
    score = page.locator('.cwc-ack [data-role="score"]')
    if shown:
        expect(score).to_have_text(shown)
    else:
        expect(score).to_have_text(re.compile(r"^\s*right out of\s*$"))
        expect(score.locator(".cwc-ack__blank")).to_have_count(2)
    assert page.url == site_root + ACKNOWLEDGEMENT


def test_acknowledgement_names_the_policy_version(page: Page, site_root: str) -> None:
    """The statement names the version and approval from mkdocs.yml's extra.policy."""
    policy = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]["policy"]
    page.goto(site_root + ACKNOWLEDGEMENT)
    statement = page.locator(".cwc-ack__statement")
    expect(statement).to_contain_text(
        f"I have read and understood the {policy['title']}, version {policy['version']}"
    )
    if any(a["version"] == policy["version"] for a in policy.get("approvals") or []):
        expect(statement).to_contain_text(f"approved by the {policy['approved_by']} on")
    else:
        expect(statement).to_contain_text(f"awaiting approval by the {policy['approved_by']}")


def test_acknowledgement_prints_on_one_a4_page(page: Page, site_root: str) -> None:
    """With names typed in, the printed sheet is a single A4 page."""
    page.goto(site_root + ACKNOWLEDGEMENT + "#score=7-of-8")
    page.get_by_label("Volunteer’s name").fill("Alex Newcomer-Withaverylongname Jones")
    page.get_by_label("Induction lead’s name").fill("Sam Lead")
    expect(page.get_by_label("Date").first).not_to_have_value("")
    pdf = page.pdf(format="A4", print_background=True)
    assert len(printed_pages(pdf)) == 1


def test_the_induction_stores_nothing_of_its_own(browser: Browser, site_root, expected) -> None:
    """Walking the whole induction leaves no cookie or storage beyond what any page leaves."""
    baseline_context = browser.new_context()
    baseline = baseline_context.new_page()
    baseline.goto(site_root + "index.html")
    before = baseline.evaluate(STORAGE)
    baseline_context.close()

    context = browser.new_context()
    page = context.new_page()
    page.goto(site_root + "induction/index.html")
    page.get_by_role("link", name="practice questions").first.click()
    expect(quiz(page)).to_have_attribute("data-state", "ready", timeout=READY)
    answer_all(page, expected)
    page.get_by_role("link", name="Continue to the acknowledgement").click()
    page.get_by_label("Volunteer’s name").fill("Alex Newcomer")
    after = page.evaluate(STORAGE)
    context.close()
    assert after == before
    assert after["cookie"] == "" and after["session"] == [] and after["indexedDB"] == []


def test_no_page_of_the_induction_stores_anything_at_all(page: Page, site_root: str) -> None:
    """Not even the theme keeps anything on the device."""
    page.goto(site_root + ACKNOWLEDGEMENT)
    assert page.evaluate(STORAGE) == NOTHING_STORED


def test_no_request_leaves_the_site(browser: Browser, site_root: str, expected) -> None:
    """The induction pages, the engine and the quiz ask nothing of any other host."""
    context = browser.new_context()
    outside: list[str] = []
    context.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith((site_root, "data:", "blob:", "about:"))
            else None
        ),
    )
    page = context.new_page()
    for path in ("induction/index.html", PRACTICE, ACKNOWLEDGEMENT):
        page.goto(site_root + path)
    page.goto(site_root + PRACTICE)
    expect(quiz(page)).to_have_attribute("data-state", "ready", timeout=READY)
    answer_all(page, expected)
    context.close()
    assert outside == []
