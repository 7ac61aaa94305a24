"""A seeded random walk through every guide in the browser, checked against two references.

Each action (choose, back, change, restart, reload) is made in the page
and on ``Reference``, a dict walk with a trail list written here from the guide's model
(not build_tools.trees.engine, which runs in the page and so cannot check itself). After
every action the step shown, its option buttons, the answers listed and the link must be
what the reference says, and what the enumerated paths (enumerate_paths) allow: an outcome
only at the end of one of its paths, and at a question exactly the labels that the paths
go on with. So an engine bug and a widget bug each make the walk fail. One page per guide.
The actions depend on the reference alone, so they are drawn first; then one
page.evaluate plays each run of actions up to a reload, acting and reading the page after
each action (with a turn of the event loop between two actions, as between two clicks).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from build_tools.trees.paths import enumerate_paths
from tests.browser.helpers import READY, load_manifest, widget
from tests.helpers import real_trees
from tests.locations import TREE_IDS

pytestmark = pytest.mark.browser

ACTIONS = 300
ACT_AND_READ = """async ([tree, actions]) => {
  const actAndRead = (action, arg) => {
    const s = document.querySelector(`section.decision-tree[data-tree="${tree}"]`);
    const shown = () => [...s.querySelectorAll(
      "[data-role=steps] > [data-question], [data-role=steps] > [data-outcome]")]
      .filter(e => !e.hidden);
    // A button the page does not have (the page went elsewhere) is not clicked: the
    // comparison that follows says what differs.
    if (action === "choose") {
      const step = shown()[0];
      step?.querySelector(`button[data-label="${CSS.escape(arg)}"]`)?.click();
    } else if (action === "change") {
      s.querySelectorAll("[data-role=answers] [data-action=change]")[arg]?.click();
    } else if (action) {
      s.querySelector(`[data-action="${action}"]`).click();
    }
    const steps = shown();
    return {
      steps: steps.map(e => e.dataset.question || e.dataset.outcome),
      kinds: steps.map(e => e.dataset.question ? "question" : "outcome"),
      options: steps.length ? [...steps[0].querySelectorAll("button[data-label]")]
        .map(b => b.dataset.label) : [],
      answers: [...s.querySelectorAll("[data-role=answers] .decision-tree__answer-label")]
        .map(e => e.textContent),
      hash: location.hash,
      focusOnHeading: steps.length === 1 &&
        document.activeElement === steps[0].querySelector(".decision-tree__heading"),
    };
  };
  const seen = [];
  for (const [action, arg] of actions) {
    seen.push(actAndRead(action, arg));
    await new Promise(resolve => setTimeout(resolve, 0));  // a turn, as between two clicks
  }
  return seen;
}"""


class Reference:
    """What the page must show, from the guide's model alone: a dict walk with a trail list."""

    def __init__(self, tree) -> None:
        self.tree_id = tree.id
        self.start = tree.start
        self.next = {qid: {o.label: o.next for o in q.options} for qid, q in tree.questions.items()}
        self.labels = {qid: [o.label for o in q.options] for qid, q in tree.questions.items()}
        self.trail: list[str] = []  # the labels chosen, in order

    def node(self) -> str:
        node = self.start
        for label in self.trail:
            node = self.next[node][label]
        return node

    def options(self) -> list[str]:
        return self.labels.get(self.node(), [])

    def apply(self, action: str, arg: object) -> None:
        if action == "choose":
            assert arg in self.options()
            self.trail.append(arg)
        elif action == "back":
            self.trail = self.trail[:-1]
        elif action == "change":
            self.trail = self.trail[:arg]
        elif action in ("restart", "reload"):
            self.trail = []  # a reload starts again: the answers live in the page's memory

    def expected(self) -> dict:
        node = self.node()
        # The address never carries an answer (issue 17): the hash stays empty.
        return {"steps": [node], "kinds": ["question" if node in self.next else "outcome"],
                "options": self.options(), "answers": list(self.trail), "hash": ""}


class Paths:
    """What the enumerated paths allow: where each path ends, and what follows each prefix."""

    def __init__(self, tree) -> None:
        self.ends: dict[tuple[str, ...], str] = {}
        self.following: dict[tuple[str, ...], list[str]] = {}
        for path in enumerate_paths(tree):
            self.ends[path.answers] = path.outcome
            for k, label in enumerate(path.answers):
                labels = self.following.setdefault(path.answers[:k], [])
                if label not in labels:
                    labels.append(label)

    def check(self, seen: dict, where: str) -> None:
        answers = tuple(seen["answers"])
        if seen["kinds"] == ["outcome"]:
            assert self.ends.get(answers) == seen["steps"][0], f"{where}: no path ends so"
        else:
            assert seen["options"] == self.following.get(answers), f"{where}: not a path's step"


@pytest.fixture(scope="module")
def trees() -> dict:
    found = real_trees()
    return {tree.id: tree for tree in found}


def pick(rng: random.Random, ref: Reference) -> tuple[str, object]:
    """The next action: mostly answers, sometimes back, change, restart or a reload."""
    roll = rng.random()
    if roll < 0.015:
        return "reload", None
    if ref.trail and roll < 0.15:
        return "back", None
    if ref.trail and roll < 0.25:
        return "change", rng.randrange(len(ref.trail))
    if roll < 0.30:
        return "restart", None
    if ref.options():
        return "choose", rng.choice(ref.options())
    return rng.choice(["back", "restart"]), None


@pytest.mark.parametrize("tree_id", TREE_IDS)
def test_random_walk_matches_the_references(browser: Browser, site_server: str,
                                            built_site: Path, trees: dict, tree_id: str) -> None:
    """300 seeded random actions: after each, the page shows what the model and paths say."""
    rng = random.Random(f"cwc-{tree_id}")
    ref, paths = Reference(trees[tree_id]), Paths(trees[tree_id])
    context = browser.new_context()
    page: Page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_server + load_manifest(built_site)[tree_id]["page"])
    expect(widget(page, tree_id)).to_have_attribute("data-state", "ready", timeout=READY)
    planned = []  # (action, arg, what the page must then show, where)
    history = []
    for step in range(ACTIONS):
        action, arg = pick(rng, ref)
        history.append(f"{action}({arg!r})" if arg is not None else action)
        ref.apply(action, arg)
        planned.append((action, arg, ref.expected(),
                        f"after {' → '.join(history[-8:])} (action {step})"))
    runs: list[list] = [[]]  # the actions between reloads; each run starts after a reload
    for item in planned:
        if item[0] == "reload":
            runs.append([])
        runs[-1].append(item)
    for run in filter(None, runs):
        if run[0][0] == "reload":
            page.reload()
            expect(widget(page, tree_id)).to_have_attribute("data-state", "ready", timeout=READY)
        acts = [[None, None] if action == "reload" else [action, arg]
                for action, arg, _, _ in run]
        for (action, _, want, where), seen in zip(
                run, page.evaluate(ACT_AND_READ, [tree_id, acts]), strict=True):
            if action in ("choose", "change") or seen["answers"]:
                assert seen["focusOnHeading"], f"{where}: focus not on the heading"
            assert {key: seen[key] for key in want} == want, where
            paths.check(seen, where)
    assert errors == []
    assert {"choose", "back", "change", "restart", "reload"} <= {h.split("(")[0] for h in history}
    context.close()
