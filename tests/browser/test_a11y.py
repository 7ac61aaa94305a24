"""Accessibility (WCAG 2.2 AA) of the built site, checked in a real browser.

axe-core (pinned in build_tools/setup/fetch.py, injected by Playwright, never shipped)
checks every page and every step of every guide, in the light and the dark palette, with
its WCAG and best-practice rules (heading order, landmarks, one h1, content in regions),
and its contrast rule again with every control hovered, focused and pressed (each page
loaded once for both palettes, switched with the theme's own toggle). Then
what axe cannot see: a keyboard-only walk through a guide, visible focus, target sizes,
reduced motion, and a 320 px wide screen and 200 % zoom (a 640 px wide viewport).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from build_tools.trees.engine import to_fragment
from build_tools.trees.engine_data import engine_data
from tests.browser.helpers import (
    BEST_PRACTICE,
    READY,
    WCAG_TAGS,
    axe_violations,
    choose,
    contrast_in_every_state,
    current_step,
    load_manifest,
    site_pages,
    widget,
)
from tests.helpers import real_trees
from tests.locations import FIXTURES, TREE_IDS

pytestmark = pytest.mark.browser

PALETTES = {"light": "default", "dark": "slate"}
RULES = WCAG_TAGS + BEST_PRACTICE
REPEATS_OTHER_PAGES = {"policy/board-pack.html"}
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
"""The rules whose result depends on the palette. A palette only changes the theme's colour
variables (``data-md-color-scheme`` on the body): the markup every other rule reads is the
same, so those rules run in the light palette and only these run again in the dark one."""


SHOWN_TOGETHER = [*COLOUR_RULES, "target-size"]
"""The costly rules (two thirds of an axe run on a guide step) that read colours and
sizes, not the step's state: run once per guide with every step shown, rather than at
each step. (A step's buttons keep their size and spacing when the other steps show
below it; ``test_every_button_meets_the_target_size`` measures each in place.)"""


def palette_rules(palette: str) -> dict:
    """axe's options for a palette: every rule in the light one, the colour rules in dark."""
    return {"tags": RULES} if palette == "light" else {"rules": COLOUR_RULES}
"""Pages made of other pages' content (the board pack: the policy, who to contact, the good
practice, every guide's text), whose controls those pages' checks already hover and focus;
at 800 links, forcing each state on them all took minutes."""
# The current step's id and whether focus is visible on the focused element.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== "none";
  return {tag: el.tagName, text: el.textContent.trim(), visible: Boolean(outline || shadow),
          step: el.closest("[data-question], [data-outcome]")?.getAttribute("data-question")
                ?? el.closest("[data-outcome]")?.getAttribute("data-outcome") ?? null,
          heading: el.matches(".decision-tree__heading")};
}"""


@pytest.fixture(scope="module")
def manifest(built_site: Path) -> dict[str, dict]:
    return load_manifest(built_site)


@pytest.fixture(scope="module")
def step_answers() -> dict[str, dict[str, list[str]]]:
    """For every guide, the shortest answers that reach each step (question or outcome)."""
    trees = real_trees()
    found = {}
    for tree in trees:
        data = engine_data(tree)
        reach: dict[str, list[str]] = {data["start"]: []}
        queue = deque([data["start"]])
        while queue:
            node = queue.popleft()
            for option in data["questions"].get(node, {}).get("options", []):
                if option["next"] not in reach:
                    reach[option["next"]] = [*reach[node], option["label"]]
                    queue.append(option["next"])
        assert set(reach) == set(data["questions"]) | set(data["outcomes"])
        found[tree.id] = reach
    return found


def palette_context(browser: Browser, palette: str, **options) -> BrowserContext:
    """A context whose system setting picks the palette (as the theme's `media` palettes do)."""
    # bypass_csp: the site's policy would (rightly) refuse the injected axe script.
    return browser.new_context(color_scheme=palette, bypass_csp=True, **options)


def open_guide(page: Page, url: str, tree_id: str) -> None:
    page.goto(url)
    expect(widget(page, tree_id)).to_have_attribute("data-state", "ready", timeout=READY)


def show_step(page: Page, tree_id: str, answers: list[str], node: str) -> None:
    """Show one step through the widget's own deep-link handling (a hashchange)."""
    page.evaluate("hash => { location.hash = hash; }", to_fragment(tree_id, answers))
    step = current_step(widget(page, tree_id))
    expect(step).to_have_attribute(
        "data-question" if step.get_attribute("data-question") else "data-outcome", node
    )


SWITCH_PALETTE = """async scheme => {
  // The theme's own switch (the header's palette toggle): it sets the scheme on the body,
  // shows the toggle's other label and updates the page's colour-scheme meta.
  const input = document.querySelector(`input[name=__palette][data-md-color-scheme=${scheme}]`);
  input.checked = true;
  input.dispatchEvent(new Event("change", {bubbles: true}));
  while (document.body.getAttribute("data-md-color-scheme") !== scheme
         || document.body.hasAttribute("data-md-color-switching")) {
    await new Promise(requestAnimationFrame);
  }
}"""


def use_palette(page: Page, palette: str) -> None:
    """Switch a loaded page to a palette: the system setting (``prefers-color-scheme``),
    then the theme's own palette switch, as its toggle does (the theme reads the setting
    once, at load; ``test_the_system_setting_picks_the_palette`` checks that it does). So
    one page load serves both palettes' checks."""
    page.emulate_media(color_scheme=palette)
    page.evaluate(SWITCH_PALETTE, PALETTES[palette])


def palette_views(page: Page) -> dict:
    """Both palettes, as views for ``contrast_in_every_state`` (each state forced once)."""
    return {palette: (lambda palette=palette: use_palette(page, palette)) for palette in PALETTES}


@pytest.fixture(scope="module")
def palette_page(browser: Browser) -> Iterator[Page]:
    """One page shared by the page and step checks; it loads in the light palette."""
    context = palette_context(browser, "light")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("palette", list(PALETTES))
def test_the_system_setting_picks_the_palette(browser: Browser, site_server: str,
                                              palette: str) -> None:
    """A browser set to light or dark opens the site in the matching palette."""
    context = palette_context(browser, palette)
    page = context.new_page()
    page.goto(site_server + "index.html")
    assert page.locator("body").get_attribute("data-md-color-scheme") == PALETTES[palette]
    context.close()


def test_every_page_has_no_axe_violations(palette_page, site_server, built_site):
    """Every page passes axe's WCAG 2.2 A/AA and best-practice rules in both palettes, and
    its content keeps its contrast with every control hovered, focused and pressed.

    Each page is loaded once, in the light palette (every rule), then switched to the dark
    one (the colour rules, see ``COLOUR_RULES``)."""
    page = palette_page
    problems = []
    for rel in site_pages(built_site):
        page.emulate_media(color_scheme="light")
        page.goto(site_server + rel)
        scheme = page.locator("body").get_attribute("data-md-color-scheme")
        assert scheme == PALETTES["light"], f"{rel}: palette {scheme}"
        for section in page.locator("section.decision-tree").all():
            expect(section).to_have_attribute("data-state", "ready", timeout=READY)
        for palette in PALETTES:
            use_palette(page, palette)
            problems += [f"{rel} ({palette}): {v}"
                         for v in axe_violations(page, **palette_rules(palette))]
        if rel not in REPEATS_OTHER_PAGES:
            problems += [f"{rel}: {v}" for v in contrast_in_every_state(
                page, ".md-content", palette_views(page))]
    assert problems == [], "\n".join(problems)


STATES_PAGE = FIXTURES / "a11y" / "states.html"
"""Controls readable at rest, each too faint in one state (hovered, focused, pressed, in a
@media block, a hovered link's inner text), and one fine in every state."""
STATES_CONTROLS = ["#hover-only", "#focus-only", "#active-only", "#in-media", "#inner", "#fine"]


def test_the_state_check_sees_each_state(palette_page) -> None:
    """``contrast_in_every_state`` finds each control whose contrast fails in one state
    only, in that state alone, and passes the control that is fine in every state."""
    page = palette_page
    page.set_content(STATES_PAGE.read_text("utf-8"))
    assert axe_violations(page, "#controls", rules=["color-contrast"]) == []
    found: dict[str, set[str]] = {}
    for problem in contrast_in_every_state(page, "#controls"):
        state = problem.split(":", 1)[0]
        found.setdefault(state, set()).update(
            control for control in STATES_CONTROLS if control in problem)
    assert found == {
        "hovered": {"#hover-only", "#inner"},
        "focused": {"#focus-only", "#in-media"},
        "pressed": {"#hover-only", "#focus-only", "#active-only", "#inner"},
    }


@pytest.mark.parametrize("tree_id", TREE_IDS)
def test_every_step_has_no_axe_violations(palette_page, site_server, manifest, step_answers,
                                          tree_id):
    """Each question and each outcome of the guide passes axe (WCAG 2.2 A/AA, best
    practice: its headings follow the page's), with its controls at rest, hovered, focused
    and pressed, in both palettes.

    In the light palette each step is checked in place, at rest, with every rule (its
    headings among the page's) but the colour and target-size ones (``SHOWN_TOGETHER``).
    Then the deepest step is shown (so the answers panel and its controls are there, as
    after answers), every step is shown at once (the same elements, with the page's own
    styles), and those rules run on them all at rest; then the colour rules with the
    controls hovered, focused and pressed, and at rest and in those states in the dark
    palette. So each state costs one axe run per guide rather than one per
    step, and the page loads once for both palettes: the same checks, far fewer runs.
    """
    page = palette_page
    page.emulate_media(color_scheme="light")
    open_guide(page, site_server + manifest[tree_id]["page"], tree_id)
    selector = f'section.decision-tree[data-tree="{tree_id}"]'
    problems = []
    for node, answers in step_answers[tree_id].items():
        show_step(page, tree_id, answers, node)
        problems += [f"{node}: {v}" for v in axe_violations(page, selector, tags=RULES,
                                                              skip=SHOWN_TOGETHER)]
    node, answers = max(step_answers[tree_id].items(), key=lambda item: len(item[1]))
    show_step(page, tree_id, answers, node)
    shown = page.evaluate("""selector => {
      const steps = document.querySelectorAll(
        `${selector} [data-role=steps] > .decision-tree__step`);
      steps.forEach(step => { step.hidden = false; });
      return [...steps].filter(step => step.checkVisibility()).length;
    }""", selector)
    assert shown == len(step_answers[tree_id]), "not every step is on screen"
    problems += [f"all steps (light): {v}" for v in axe_violations(page, selector,
                                                                    rules=SHOWN_TOGETHER)]
    use_palette(page, "dark")
    problems += [f"all steps (dark): {v}" for v in axe_violations(page, selector,
                                                                   rules=COLOUR_RULES)]
    problems += contrast_in_every_state(page, selector, palette_views(page))
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("palette", list(PALETTES))
def test_the_option_under_the_pointer_after_a_click_keeps_its_contrast(browser, site_server,
                                                                       manifest, palette):
    """A real click: the next question's first option appears under the pointer, hovered;
    its colours still meet 4.5:1 (the theme's accent gave 4.25:1 and 1.71:1)."""
    tree_id = next(t for t in TREE_IDS
                   if any(len(p["answers"]) > 1 for p in manifest[t]["paths"]))
    path = next(p for p in manifest[tree_id]["paths"] if len(p["answers"]) > 1)
    context = palette_context(browser, palette)
    page = context.new_page()
    open_guide(page, site_server + manifest[tree_id]["page"], tree_id)
    section = widget(page, tree_id)
    first = current_step(section).get_by_role("button", name=path["answers"][0], exact=True)
    first.hover()
    choose(section, path["answers"][0])
    selector = f'section.decision-tree[data-tree="{tree_id}"]'
    hovered = page.locator(f"{selector} button:hover")
    expect(hovered, "no button under the pointer after the click").to_have_count(1)
    # The hover colours themselves, once the theme's 125 ms transition has run.
    page.wait_for_function("sel => document.querySelector(sel).getAnimations().length === 0",
                           arg=f"{selector} button:hover")
    problems = axe_violations(page, selector, rules=["color-contrast"])
    assert problems == [], "\n".join(problems)
    context.close()


@pytest.mark.parametrize("tree_id", TREE_IDS)
def test_every_button_meets_the_target_size(palette_page, site_server, manifest, step_answers,
                                            tree_id):
    """Every button of every step is at least 24 × 24 CSS pixels (WCAG 2.2, 2.5.8); sizes do
    not depend on the palette, so the shared page serves."""
    page = palette_page
    open_guide(page, site_server + manifest[tree_id]["page"], tree_id)
    small = []
    for node, answers in step_answers[tree_id].items():
        show_step(page, tree_id, answers, node)
        small += page.evaluate(
            """sel => [...document.querySelectorAll(sel + ' button')]
                 .filter(b => b.offsetParent !== null)
                 .map(b => [b.textContent.trim(), b.getBoundingClientRect()])
                 .filter(([, r]) => r.width < 24 || r.height < 24)
                 .map(([t, r]) => `${t}: ${r.width}×${r.height}`)""",
            f'section.decision-tree[data-tree="{tree_id}"]',
        )
    assert small == []


def focus_state(page: Page) -> dict:
    return page.evaluate(FOCUS_STATE)


def tab_to(page: Page, text: str, limit: int = 120) -> dict:
    """Press Tab until the focused element's text is ``text``; return its focus state."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focus_state(page)
        if state["text"] == text:
            return state
    raise AssertionError(f"Tab never reached {text!r}")


@pytest.mark.parametrize("palette", list(PALETTES))
def test_keyboard_only_walk_through_a_guide(browser, site_server, manifest, palette) -> None:
    """Tab, Enter and Space alone walk a guide to its outcome and back; focus stays visible
    and lands on each new step's heading."""
    tree = max(manifest.values(), key=lambda t: max(len(p["answers"]) for p in t["paths"]))
    path = max(tree["paths"], key=lambda p: len(p["answers"]))
    context = palette_context(browser, palette)
    page = context.new_page()
    open_guide(page, site_server + tree["page"], tree["id"])
    section = widget(page, tree["id"])
    for i, label in enumerate(path["answers"]):
        state = tab_to(page, label)
        assert state["visible"], f"no visible focus on {label!r}"
        page.keyboard.press("Enter" if i % 2 == 0 else "Space")
        after = focus_state(page)
        assert after["heading"] and after["visible"], after
        step = current_step(section)
        assert after["step"] in (step.get_attribute("data-question"),
                                 step.get_attribute("data-outcome")), after
    expect(current_step(section)).to_have_attribute("data-outcome", path["outcome"])
    assert focus_state(page)["step"] == path["outcome"]
    state = tab_to(page, "Back")
    assert state["visible"]
    page.keyboard.press("Space")
    assert focus_state(page)["heading"]
    state = tab_to(page, "Start again")
    assert state["visible"]
    page.keyboard.press("Enter")
    expect(current_step(section)).to_have_attribute("data-question", tree["start"])
    state = focus_state(page)
    assert state["heading"] and state["visible"] and state["step"] == tree["start"], state
    context.close()


def test_reduced_motion_turns_off_widget_transitions(browser, site_server, manifest) -> None:
    """With 'reduce motion' set, nothing in a guide transitions or animates."""
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    tree_id = TREE_IDS[0]
    open_guide(page, site_server + manifest[tree_id]["page"], tree_id)
    moving = page.evaluate(
        """sel => [document.querySelector(sel), ...document.querySelectorAll(sel + ' *')]
             .map(el => [el, getComputedStyle(el)])
             .filter(([, s]) => s.transitionDuration.split(',').some(d => parseFloat(d) > 0)
                                || s.animationName !== 'none')
             .map(([el, s]) => `${el.className}: ${s.transition} ${s.animationName}`)""",
        f'section.decision-tree[data-tree="{tree_id}"]',
    )
    assert moving == []
    context.close()


# Each option of the current step, scrolled into view: what is wrong with it at this width
# (off the screen, hidden, disabled, or covered where a click would land), as a trial
# click would find it; and how far the page scrolls sideways.
NARROW_PROBLEMS = """([selector, width]) => {
  const section = document.querySelector(selector);
  const step = [...section.querySelectorAll(
    "[data-role=steps] > :is([data-question], [data-outcome])")].find(s => s.checkVisibility());
  const root = document.documentElement;
  const problems = [];
  const overflow = root.scrollWidth - root.clientWidth;
  if (overflow > 0) problems.push(`the page scrolls sideways by ${overflow}px`);
  for (const button of step.querySelectorAll("button")) {
    const name = JSON.stringify(button.textContent.trim());
    if (!button.checkVisibility()) { problems.push(`${name} is not visible`); continue; }
    button.scrollIntoView({block: "center", inline: "nearest"});
    const box = button.getBoundingClientRect();
    if (box.x < 0 || box.x + box.width > width) {
      problems.push(`${name} off screen: x ${box.x}, width ${box.width}`);
      continue;
    }
    if (button.disabled) problems.push(`${name} is disabled`);
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    if (!hit || !button.contains(hit)) {
      problems.push(`${name} is covered by ${hit ? hit.outerHTML.slice(0, 80) : "nothing"}`);
    }
  }
  return problems;
}"""


@pytest.mark.parametrize(
    "width", [pytest.param(320, id="320px"), pytest.param(640, id="200%-zoom")]
)
def test_narrow_screens_lose_nothing(browser, site_server, manifest, step_answers, width) -> None:
    """At 320 px wide and at 200 % zoom, no page scrolls sideways and every option button
    of every step is inside the screen and clickable: visible, enabled, and the button
    itself where a click on its centre lands (what a trial click checks), one page
    evaluation per step."""
    context = browser.new_context(viewport={"width": width, "height": 640})
    page = context.new_page()
    problems = []
    for tree_id in TREE_IDS:
        open_guide(page, site_server + manifest[tree_id]["page"], tree_id)
        selector = f'section.decision-tree[data-tree="{tree_id}"]'
        for node, answers in step_answers[tree_id].items():
            show_step(page, tree_id, answers, node)
            problems += [f"{tree_id}/{node}: {p}"
                         for p in page.evaluate(NARROW_PROBLEMS, [selector, width])]
    assert problems == [], "\n".join(problems)
    context.close()
