"""Accessibility (WCAG 2.2 AA) of the built site, checked in a real browser.

axe-core (pinned in build_tools/setup/fetch.py, injected by Playwright, never shipped)
checks every page and every step of every guide, in the light and the dark palette. Then
what axe cannot see: a keyboard-only walk through a guide, visible focus, target sizes,
reduced motion, and a 320 px wide screen and 200 % zoom (a 640 px wide viewport).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from build_tools.setup.fetch import AXE_CORE, ensure_package
from build_tools.trees.engine import to_fragment
from build_tools.trees.engine_data import engine_data
from build_tools.trees.validate import load_and_validate
from tests.browser.helpers import READY, current_step, load_manifest, widget
from tests.locations import ROOT, SHARED_OUTCOMES, TREE_IDS

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PALETTES = {"light": "default", "dark": "slate"}
RUN_AXE = """async ([selector, tags]) => {
  const result = await axe.run(selector ? document.querySelector(selector) : document,
    {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help}\\n    ` +
    v.nodes.map(n => n.target.join(" ") + " — " + n.failureSummary.replace(/\\s+/g, " "))
      .join("\\n    "));
}"""
# The current step's id and whether focus is visible on the focused element.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== "none";
  return {tag: el.tagName, text: el.textContent.trim(), visible: Boolean(outline || shadow),
          step: el.closest("[data-question], [data-outcome]")?.getAttribute("data-question")
                ?? el.closest("[data-outcome]")?.getAttribute("data-outcome") ?? null,
          heading: el.matches("h3")};
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core's script, from the verified npm package in the cache."""
    return (ensure_package(AXE_CORE, quiet=True) / "package" / "axe.min.js").read_text("utf-8")


@pytest.fixture(scope="module")
def manifest(built_site: Path) -> dict[str, dict]:
    return load_manifest(built_site)


@pytest.fixture(scope="module")
def step_answers() -> dict[str, dict[str, list[str]]]:
    """For every guide, the shortest answers that reach each step (question or outcome)."""
    trees = load_and_validate(sorted((ROOT / "decision_trees").glob("*.y*ml")), ROOT / "docs",
                              root=ROOT, shared=SHARED_OUTCOMES)
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


def axe(page: Page, source: str, selector: str | None = None) -> list[str]:
    """axe-core's WCAG 2.x A/AA violations on the page (or inside ``selector``)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=source)
    return page.evaluate(RUN_AXE, [selector, WCAG_TAGS])


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


@pytest.fixture(scope="module", params=list(PALETTES))
def palette_page(request, browser: Browser) -> Iterator[tuple[str, Page]]:
    """One page per palette, shared by the page and step checks."""
    context = palette_context(browser, request.param)
    yield request.param, context.new_page()
    context.close()


def test_every_page_has_no_axe_violations(palette_page, site_server, built_site, axe_source):
    """Every page of the site passes axe's WCAG 2.2 A/AA rules in both palettes."""
    palette, page = palette_page
    problems = []
    for rel in sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")):
        page.goto(site_server + rel)
        scheme = page.locator("body").get_attribute("data-md-color-scheme")
        assert scheme == PALETTES[palette], f"{rel}: palette {scheme}"
        for section in page.locator("section.decision-tree").all():
            expect(section).to_have_attribute("data-state", "ready", timeout=READY)
        problems += [f"{rel}: {v}" for v in axe(page, axe_source)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("tree_id", TREE_IDS)
def test_every_step_has_no_axe_violations(palette_page, site_server, manifest, step_answers,
                                          axe_source, tree_id):
    """Each question and each outcome of the guide passes axe, in both palettes."""
    palette, page = palette_page
    open_guide(page, site_server + manifest[tree_id]["page"], tree_id)
    selector = f'section.decision-tree[data-tree="{tree_id}"]'
    problems = []
    for node, answers in step_answers[tree_id].items():
        show_step(page, tree_id, answers, node)
        problems += [f"{node}: {v}" for v in axe(page, axe_source, selector)]
    assert problems == [], "\n".join(problems)


@pytest.fixture(scope="module")
def light_page(browser: Browser) -> Iterator[Page]:
    """A page in the light palette (sizes do not depend on the palette)."""
    context = palette_context(browser, "light")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("tree_id", TREE_IDS)
def test_every_button_meets_the_target_size(light_page, site_server, manifest, step_answers,
                                            tree_id):
    """Every button of every step is at least 24 × 24 CSS pixels (WCAG 2.2, 2.5.8)."""
    page = light_page
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


def tab_to(page: Page, text: str, limit: int = 40) -> dict:
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


@pytest.mark.parametrize(
    "width", [pytest.param(320, id="320px"), pytest.param(640, id="200%-zoom")]
)
def test_narrow_screens_lose_nothing(browser, site_server, manifest, step_answers, width) -> None:
    """At 320 px wide and at 200 % zoom, no page scrolls sideways and every option button
    of every step is inside the screen and clickable."""
    context = browser.new_context(viewport={"width": width, "height": 640})
    page = context.new_page()
    problems = []
    for tree_id in TREE_IDS:
        open_guide(page, site_server + manifest[tree_id]["page"], tree_id)
        for node, answers in step_answers[tree_id].items():
            show_step(page, tree_id, answers, node)
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                problems.append(f"{tree_id}/{node}: the page scrolls sideways by {overflow}px")
            for button in current_step(widget(page, tree_id)).locator("button").all():
                button.scroll_into_view_if_needed()
                box = button.bounding_box()
                if box is None or box["x"] < 0 or box["x"] + box["width"] > width:
                    problems.append(f"{tree_id}/{node}: {button.inner_text()!r} off screen: {box}")
                else:
                    button.click(trial=True, timeout=2_000)
    assert problems == [], "\n".join(problems)
    context.close()
