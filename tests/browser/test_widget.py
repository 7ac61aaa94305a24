"""Decision-tree widgets in a real browser, over http and from file://.

Every path of every tree in decision_trees/ is clicked through (a tree dropped into that
folder is covered with no new test code), as are the authors' scenarios. Each tree page
is loaded once per run; "Start again" separates the paths.

The click-throughs (every path and scenario, Back and Change along the deepest path) run
on the offline copy (file://) only: once a guide is ready, what a click does is the same
code whichever way the page was opened (the two ways differ in how the runtime's files
load, which the other tests here and the crawl, tests/browser/crawl.py, check on both,
every guide played to an outcome each way). The tests of loading, links and addresses run
both ways.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.helpers import (
    READY,
    choose,
    current_step,
    expect_outcome,
    load_manifest,
    outside_site,
    widget,
)
from tests.helpers import real_trees
from tests.locations import TREE_IDS

pytestmark = pytest.mark.browser
CLICKS_OFFLINE = pytest.mark.parametrize("site_root", ["file"], indirect=True)
"""For the click-throughs: the offline copy only (see the module's docstring)."""



@pytest.fixture(scope="module")
def manifest(built_site: Path) -> dict[str, dict]:
    return load_manifest(built_site)


@pytest.fixture(scope="module")
def tree_pages(browser: Browser, site_root: str) -> Iterator[dict]:
    """One browser page per tree, loaded once per run and reused by the path tests."""
    context = browser.new_context()
    outside: list[str] = []
    context.on(
        "request", lambda r: outside.append(r.url) if outside_site(r.url, site_root) else None
    )
    opened: dict[str, Page] = {"__outside__": outside}  # type: ignore[dict-item]
    yield context, opened
    context.close()


def open_tree(tree_pages, site_root: str, manifest: dict, tree_id: str) -> Locator:
    context, opened = tree_pages
    if tree_id not in opened:
        page = context.new_page()
        page.goto(site_root + manifest[tree_id]["page"])
        expect(widget(page, tree_id)).to_have_attribute("data-state", "ready", timeout=READY)
        opened[tree_id] = page
    # A page in the background gets no animation frames, and Playwright waits for them
    # before each click: bring the tree's page to the front.
    opened[tree_id].bring_to_front()
    return widget(opened[tree_id], tree_id)


def restart(section: Locator) -> None:
    button = section.locator('[data-action="restart"]')
    if button.is_enabled():
        button.click()


def walks(tree: dict) -> dict[tuple[str, ...], list[tuple[str, str]]]:
    """Every answer sequence to click: each path's, then each of the authors' scenarios'
    (which are paths too, as a rule); for each, what must then show, and by whose word."""
    expected: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for path in tree["paths"]:
        expected.setdefault(tuple(path["answers"]), []).append(("path", path["outcome"]))
    for scenario in tree["scenarios"]:
        expected.setdefault(tuple(scenario["answers"]), []).append(
            (f"scenario {scenario.get('name', scenario['answers'])!r}", scenario["outcome"]))
    return expected


@CLICKS_OFFLINE
@pytest.mark.parametrize("tree_id", TREE_IDS)
def test_every_path_and_scenario_reaches_its_outcome(tree_pages, site_root, manifest,
                                                     tree_id) -> None:
    """Clicking each path's answers in order shows that path's outcome and its title; so
    does clicking each of the authors' scenarios, ending where the authors said. A
    scenario that follows a path is checked on that path's click-through (its outcome
    must be the one shown), not clicked a second time."""
    section = open_tree(tree_pages, site_root, manifest, tree_id)
    tree = manifest[tree_id]
    assert tree["paths"], f"{tree_id} has no paths in decision-trees.json"
    for answers, expectations in walks(tree).items():
        restart(section)
        expect(current_step(section)).to_have_attribute("data-question", tree["start"])
        for label in answers:
            choose(section, label)
        for who, outcome in expectations:
            expect(current_step(section), f"{who}: {list(answers)}").to_have_attribute(
                "data-outcome", outcome)
            expect_outcome(section, outcome, tree["outcomes"][outcome]["title"])


def test_no_request_leaves_the_site(tree_pages, site_root, manifest) -> None:
    """Loading and using every guide asks nothing of any other host."""
    for tree_id in TREE_IDS:
        open_tree(tree_pages, site_root, manifest, tree_id)
    assert tree_pages[1]["__outside__"] == []


def longest_path(tree: dict) -> dict:
    return max(tree["paths"], key=lambda p: len(p["answers"]))


@pytest.fixture()
def guide(page: Page, site_root: str, manifest: dict) -> tuple[Page, Locator, dict]:
    """A fresh page on the tree with the longest path (for back, change and links)."""
    tree = max(manifest.values(), key=lambda t: len(longest_path(t)["answers"]))
    page.goto(site_root + tree["page"])
    section = widget(page, tree["id"])
    expect(section).to_have_attribute("data-state", "ready", timeout=READY)
    return page, section, tree


def test_first_question_shows_with_disabled_buttons_before_ready(browser, site_root, manifest):
    """Before the engine is ready the first question is there, its buttons disabled."""
    context = browser.new_context()
    # Hold back the runtime's big assets (which the loader fetches after the page has
    # loaded) so the page stays in its loading state.
    context.route(
        re.compile(r".*/cwc-runtime/(?!widget\.|diagram\.|cwc-runtime\.js).*"), lambda route: None
    )
    page = context.new_page()
    tree = manifest[TREE_IDS[0]]
    page.goto(site_root + tree["page"], wait_until="domcontentloaded")
    section = widget(page, tree["id"])
    expect(section).to_have_attribute("data-state", "loading")
    step = current_step(section)
    expect(step).to_have_attribute("data-question", tree["start"])
    for button in step.get_by_role("button").all():
        expect(button).to_be_disabled()
    expect(section.locator("[data-role=status]")).to_have_text("Preparing the guide…")
    context.close()


def test_back_returns_to_the_previous_question(guide) -> None:
    """Back undoes the last answer and focuses the question it returns to."""
    page, section, tree = guide
    answers = longest_path(tree)["answers"]
    choose(section, answers[0])
    second = current_step(section).get_attribute("data-question")
    choose(section, answers[1])
    section.locator('[data-action="back"]').click()
    expect(current_step(section)).to_have_attribute("data-question", second)
    expect(current_step(section).locator(".decision-tree__heading")).to_be_focused()
    expect(section.locator("[data-role=answers] li")).to_have_count(1)


def test_each_new_step_gets_focus_and_is_announced(guide) -> None:
    """After a choice, focus is on the new step's heading and the live region names it."""
    page, section, tree = guide
    choose(section, longest_path(tree)["answers"][0])
    heading = current_step(section).locator(".decision-tree__heading")
    expect(heading).to_be_focused()
    expect(section.locator("[data-role=announcer]")).to_contain_text(heading.inner_text())


def test_change_returns_to_that_question(guide) -> None:
    """'Change' next to an answer goes back to that question and drops later answers."""
    page, section, tree = guide
    answers = longest_path(tree)["answers"]
    for label in answers:
        choose(section, label)
    section.locator("[data-role=answers] li").first.get_by_role("button").click()
    expect(current_step(section)).to_have_attribute("data-question", tree["start"])
    expect(section.locator("[data-role=answers] li")).to_have_count(0)


def test_restart_returns_to_the_first_question(guide) -> None:
    """Start again clears the answers and shows the first question."""
    page, section, tree = guide
    for label in longest_path(tree)["answers"][:2]:
        choose(section, label)
    section.locator('[data-action="restart"]').click()
    expect(current_step(section)).to_have_attribute("data-question", tree["start"])
    expect(section.locator("[data-role=answers-panel]")).to_be_hidden()


def test_state_survives_in_the_link(guide) -> None:
    """The address from "Link to this result" restores the same step, then leaves the
    location bar as the bare page (the walk itself never changes the address)."""
    page, section, tree = guide
    path = longest_path(tree)
    for label in path["answers"]:
        choose(section, label)
    bare = page.url
    assert "#" not in bare
    current_step(section).get_by_role("button", name="Link to this result").click()
    link = section.locator("[data-role=link-field]").input_value()
    assert link.startswith(bare + "#")
    page.goto("about:blank")
    page.goto(link)
    section = widget(page, tree["id"])
    expect(section).to_have_attribute("data-state", "ready", timeout=READY)
    expect_outcome(section, path["outcome"], tree["outcomes"][path["outcome"]]["title"])
    expect(section.locator("[data-role=answers] li")).to_have_count(len(path["answers"]))
    assert page.url == bare


def test_a_stale_link_starts_from_the_last_valid_step(guide) -> None:
    """A link whose answers no longer fit restores what fits, says so, and is cleared
    from the location bar."""
    page, section, tree = guide
    first = longest_path(tree)["answers"][0]
    bare = page.url
    link = bare + f"#{tree['id']}={first}/No%20such%20answer"
    page.goto("about:blank")
    page.goto(link)
    section = widget(page, tree["id"])
    expect(section).to_have_attribute("data-state", "ready", timeout=READY)
    expect(section.locator("[data-role=answers] li")).to_have_count(1)
    expect(section.locator("[data-role=status]")).to_contain_text("no longer fit")
    assert page.url == bare


def test_engine_failure_shows_message_and_outline(browser, site_root, manifest) -> None:
    """If WebAssembly cannot run, the widget says so and opens the text version."""
    context = browser.new_context()
    # Break WebAssembly so Pyodide never starts; shorten the widget's time-out for the test.
    context.add_init_script(
        "window.CWC_WIDGET_TIMEOUT_MS = 3000;"
        "WebAssembly.instantiate = () => new Promise(() => {});"
        "WebAssembly.instantiateStreaming = () => new Promise(() => {});"
    )
    page = context.new_page()
    tree = manifest[TREE_IDS[0]]
    page.goto(site_root + tree["page"])
    section = widget(page, tree["id"])
    expect(section).to_have_attribute("data-state", "failed", timeout=10_000)
    expect(section.locator("[data-role=status]")).to_contain_text("could not start")
    expect(section.locator("[data-role=outline]")).to_have_attribute("open", "")
    expect(section.locator("[data-role=outline]")).to_contain_text(
        next(iter(tree["outcomes"].values()))["title"]
    )
    context.close()


# Back and Change on the deepest path of every guide, against a reference walk ------------

@pytest.fixture(scope="module")
def models() -> dict:
    """Every guide's model, read from decision_trees/ (for the reference walk)."""
    found = real_trees()
    return {tree.id: tree for tree in found}


def nodes_along(tree, answers: list[str]) -> list[str]:
    """The reference: the node shown before each answer and after the last (a dict walk)."""
    following = {qid: {o.label: o.next for o in q.options} for qid, q in tree.questions.items()}
    nodes = [tree.start]
    for label in answers:
        nodes.append(following[nodes[-1]][label])
    return nodes


def expect_step(section: Locator, tree, answers: list[str], node: str) -> None:
    """The widget shows ``node`` (focused), these answers in its list, and Back only if any."""
    step = current_step(section)
    expect(step).to_have_count(1)
    attribute = "data-question" if node in tree.questions else "data-outcome"
    expect(step).to_have_attribute(attribute, node)
    expect(step.locator(".decision-tree__heading")).to_be_focused()
    labels = section.locator("[data-role=answers] .decision-tree__answer-label")
    if answers:
        expect(labels).to_have_text(answers)
    else:
        expect(labels).to_have_count(0)
        expect(section.locator("[data-role=answers-panel]")).to_be_hidden()
    back = section.locator('[data-action="back"]')
    (expect(back).to_be_enabled if answers else expect(back).to_be_disabled)()


@CLICKS_OFFLINE
@pytest.mark.parametrize("tree_id", TREE_IDS)
def test_back_steps_up_the_deepest_path(tree_pages, site_root, manifest, models,
                                        tree_id) -> None:
    """Back from the end of the deepest path to the start: each Back shows the step before."""
    section = open_tree(tree_pages, site_root, manifest, tree_id)
    restart(section)
    answers = longest_path(manifest[tree_id])["answers"]
    nodes = nodes_along(models[tree_id], answers)
    for label in answers:
        choose(section, label)
    expect_step(section, models[tree_id], answers, nodes[-1])
    for kept in range(len(answers) - 1, -1, -1):
        section.locator('[data-action="back"]').click()
        expect_step(section, models[tree_id], answers[:kept], nodes[kept])


@CLICKS_OFFLINE
@pytest.mark.parametrize("tree_id", TREE_IDS)
def test_change_the_first_answer_of_the_deepest_path(tree_pages, site_root, manifest, models,
                                                     tree_id) -> None:
    """Change on the first answer: the first question again, no answers; both ways on work."""
    section = open_tree(tree_pages, site_root, manifest, tree_id)
    restart(section)
    tree = models[tree_id]
    answers = longest_path(manifest[tree_id])["answers"]
    for label in answers:
        choose(section, label)
    section.locator('[data-role=answers] [data-action=change][data-index="0"]').click()
    expect_step(section, tree, [], tree.start)
    other = next(o.label for o in tree.questions[tree.start].options if o.label != answers[0])
    choose(section, other)
    expect_step(section, tree, [other], nodes_along(tree, [other])[-1])
    section.locator('[data-role=answers] [data-action=change][data-index="0"]').click()
    expect_step(section, tree, [], tree.start)
    for label in answers:
        choose(section, label)
    expect_step(section, tree, answers, nodes_along(tree, answers)[-1])
