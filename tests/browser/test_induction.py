"""The volunteer induction in a real browser, over http and from file:// (an offline copy).

The practice page checks answers with the Python engine in the page; the expected right
answer here comes from the guides' own scenarios (decision-trees.json), so the test and
the page agree only if the engine does. Then: retry, the score carried to the
acknowledgement (in the tab, never in the address), the acknowledgement printed on one A4
page, and nothing kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Locator, Page, expect

from tests.helpers import NOTHING_STORED, STORAGE
from tests.locations import ROOT

pytestmark = pytest.mark.browser

READY = 30_000  # ms; generous for a loaded 2-core CI machine
PRACTICE = "induction/practice.html"
ACKNOWLEDGEMENT = "induction/acknowledgement.html"
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@pytest.fixture(scope="module")
def expected(built_site: Path) -> dict[tuple[str, str], str]:
    """(tree id, situation) → the outcome the guide's authors say it reaches."""
    data = json.loads((built_site / "decision-trees.json").read_text(encoding="utf-8"))
    return {(t["id"], s["name"]): s["outcome"] for t in data["trees"] for s in t["scenarios"]}


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


def right_outcome(question: Locator, expected: dict) -> str:
    # The legend is "<span>Situation 1 of 8.</span> the situation".
    situation = question.locator("legend").evaluate("l => l.lastChild.textContent.trim()")
    return expected[(question.get_attribute("data-tree"), situation)]


def radio_for(question: Locator, outcome: str) -> Locator:
    """The choice that stands for this outcome (a value may list several ids)."""
    return question.locator(f'input[type="radio"][value~="{outcome}"]')


def check(question: Locator, radio: Locator) -> None:
    radio.check()
    question.get_by_role("button", name="Check my answer").click()


def expect_explanation(question: Locator, outcome: str) -> None:
    """The feedback shows this outcome's explanation, and only it."""
    shown = question.locator("[data-explains]:visible")
    expect(shown).to_have_count(1)
    expect(shown).to_have_attribute("data-explains", outcome)
    expect(shown.locator(".cwc-quiz__cites a").first).to_be_visible()
    expect(question.locator('[data-role="walk"]')).to_be_visible()


def answer_all(page: Page, expected: dict, wrong: set[int] = frozenset()) -> None:
    """Answer every question, rightly except for the positions in ``wrong``."""
    for index, question in enumerate(questions(page)):
        right = right_outcome(question, expected)
        radios = question.locator('input[type="radio"]')
        if index in wrong:
            radio = next(r for r in radios.all() if right not in r.get_attribute("value").split())
        else:
            radio = radio_for(question, right)
        check(question, radio)


def test_every_right_answer_is_accepted(fresh_quiz: Page, expected) -> None:
    """Choosing the scenario's outcome is marked right, with that outcome explained."""
    for question in questions(fresh_quiz):
        right = right_outcome(question, expected)
        check(question, radio_for(question, right))
        expect(question).to_have_attribute("data-result", "right")
        expect(question.locator('[data-role="verdict"]')).to_have_text(re.compile(r"^Right\."))
        expect_explanation(question, right)
    total = len(questions(fresh_quiz))
    expect(fresh_quiz.locator('[data-role="score"]')).to_contain_text(
        f"You got {total} of {total} right."
    )


def test_every_wrong_answer_is_refused_with_the_right_explanation(
    fresh_quiz: Page, expected
) -> None:
    """Each other choice is marked wrong, and the explanation is the right outcome's."""
    retry = fresh_quiz.locator('[data-action="retry"]')
    tried = 0
    for question in questions(fresh_quiz):
        right = right_outcome(question, expected)
        for radio in question.locator('input[type="radio"]').all():
            if right in radio.get_attribute("value").split():
                continue
            check(question, radio)
            expect(question).to_have_attribute("data-result", "wrong")
            expect(question.locator('[data-role="verdict"]')).to_have_text(
                re.compile(r"^Not quite\.")
            )
            expect_explanation(question, right)
            retry.click()
            tried += 1
    assert tried > len(questions(fresh_quiz))


def test_checking_without_a_choice_asks_for_one(fresh_quiz: Page) -> None:
    """'Check my answer' with nothing chosen says so and marks nothing."""
    question = questions(fresh_quiz)[0]
    question.get_by_role("button", name="Check my answer").click()
    expect(question.locator('[data-role="hint"]')).to_be_visible()
    expect(question).not_to_have_attribute("data-result", re.compile(".*"))


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
            right_outcome(q, expected),
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
    assert len(PDF_PAGE.findall(pdf)) == 1


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
