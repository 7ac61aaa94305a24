"""A seeded random walk through every guide, in the browser and in CPython side by side.

Each action (choose, back, change, restart, reload with the fragment) is made in the page
and on build_tools.trees.engine.Engine over the same tree's engine data; after every action the
step shown, the answers listed and the link must match what the engine says. One page per
guide; one page.evaluate per action both acts and reads the page.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from build_tools.trees.engine import Engine
from build_tools.trees.engine_data import engine_data
from build_tools.trees.validate import load_and_validate
from tests.browser.helpers import READY, load_manifest, widget
from tests.locations import ROOT, SHARED_OUTCOMES, TREE_IDS

pytestmark = pytest.mark.browser

ACTIONS = 300
ACT_AND_READ = """([tree, action, arg]) => {
  const s = document.querySelector(`section.decision-tree[data-tree="${tree}"]`);
  const shown = () => [...s.querySelectorAll(
    "[data-role=steps] > [data-question], [data-role=steps] > [data-outcome]")]
    .filter(e => !e.hidden);
  if (action === "choose") {
    shown()[0].querySelector(`button[data-label="${CSS.escape(arg)}"]`).click();
  } else if (action === "change") {
    s.querySelectorAll("[data-role=answers] [data-action=change]")[arg].click();
  } else if (action) {
    s.querySelector(`[data-action="${action}"]`).click();
  }
  const steps = shown();
  return {
    steps: steps.map(e => e.dataset.question || e.dataset.outcome),
    answers: [...s.querySelectorAll("[data-role=answers] .decision-tree__answer-label")]
      .map(e => e.textContent),
    hash: decodeURIComponent(location.hash),
    focusOnHeading: steps.length === 1 && document.activeElement === steps[0].querySelector("h3"),
  };
}"""


@pytest.fixture(scope="module")
def trees() -> dict:
    found = load_and_validate(sorted((ROOT / "decision_trees").glob("*.y*ml")), ROOT / "docs",
                              root=ROOT, shared=SHARED_OUTCOMES)
    return {tree.id: engine_data(tree) for tree in found}


def expected(engine: Engine, tree_id: str) -> dict:
    answers = list(engine.answers)
    return {"steps": [engine.node], "answers": answers,
            "hash": f"#{tree_id}={'/'.join(answers)}" if answers else ""}


def pick(rng: random.Random, engine: Engine) -> tuple[str, object]:
    """The next action: mostly answers, sometimes back, change, restart or a reload."""
    roll = rng.random()
    if roll < 0.015:
        return "reload", None
    if engine.answers and roll < 0.15:
        return "back", None
    if engine.answers and roll < 0.25:
        return "change", rng.randrange(len(engine.answers))
    if roll < 0.30:
        return "restart", None
    if engine.options():
        return "choose", rng.choice(engine.options())
    return rng.choice(["back", "restart"]), None


def apply(engine: Engine, action: str, arg: object) -> None:
    if action == "choose":
        engine.choose(arg)
    elif action == "change":
        engine.change(arg)
    elif action in ("back", "restart"):
        getattr(engine, action)()


@pytest.mark.parametrize("tree_id", TREE_IDS)
def test_random_walk_matches_the_engine(browser: Browser, site_server: str, built_site: Path,
                                        trees: dict, tree_id: str) -> None:
    """300 seeded random actions: after each, the page shows what the CPython engine says."""
    rng = random.Random(f"cwc-{tree_id}")
    engine = Engine(trees[tree_id])
    context = browser.new_context()
    page: Page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_server + load_manifest(built_site)[tree_id]["page"])
    expect(widget(page, tree_id)).to_have_attribute("data-state", "ready", timeout=READY)
    history = []
    for step in range(ACTIONS):
        action, arg = pick(rng, engine)
        history.append(f"{action}({arg!r})" if arg is not None else action)
        if action == "reload":
            page.reload()
            expect(widget(page, tree_id)).to_have_attribute("data-state", "ready", timeout=READY)
            seen = page.evaluate(ACT_AND_READ, [tree_id, None, None])
        else:
            apply(engine, action, arg)
            seen = page.evaluate(ACT_AND_READ, [tree_id, action, arg])
            if action in ("choose", "change") or (action != "reload" and seen["answers"]):
                assert seen["focusOnHeading"], f"step {step}: focus not on the heading"
        want = expected(engine, tree_id)
        got = {key: seen[key] for key in want}
        assert got == want, f"after {' → '.join(history[-8:])} (action {step})"
    assert errors == []
    assert {"choose", "back", "change", "restart", "reload"} <= {h.split("(")[0] for h in history}
    context.close()
