"""The built site in Firefox ESR and WebKitGTK (Safari's engine), over http and from file://.

Volunteers' laptops run Firefox, Edge and Safari as well as Chrome. One browser session per
engine and way of opening the site visits every page once (a guide page: until the guide is
ready, then one path, the longest, clicked through) and searches once; the tests below each
check one thing about that record. The drivers are in ``tests/browser/engines/``; which
browsers, in ``build_tools/setup/browser.py`` (``make test`` installs them).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from build_tools.runtime import glue
from build_tools.setup.browser import OTHER_ENGINES
from tests.browser.engines import (
    SESSIONS,
    EngineSession,
    missing_engine_message,
    probed_copy,
)
from tests.browser.helpers import load_manifest, site_pages
from tests.helpers import serve_folder
from tests.locations import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.engines]

SCHEMES = ("http", "file")
SEARCH_TABLE = Path(__file__).with_name("search_queries.yml")
SELF_CHECK = "engines-selfcheck/broken.html"
# Long enough for the slowest engine's worst case: the snapshot route's 15 s budget, then
# the cold start's own 90 s (build_tools/runtime/cwc-runtime.js).
SETTLE_S = 120


def _run_param(engine: str, scheme: str):
    # The id names the session; tests/conftest.py (unit_of) makes each session one unit
    # of work for pytest-xdist, so each browser starts once, on one worker.
    return pytest.param((engine, scheme), id=f"{engine}-{scheme}")


RUNS = [_run_param(engine, scheme) for engine in OTHER_ENGINES for scheme in SCHEMES]
# The offline copy only: the budgets do not depend on the scheme, and a cold start in
# WebKitGTK costs half a minute or more.
WEBKIT_OFFLINE = [_run_param("webkitgtk", "file")]

# Every widget on the page out of "loading" (or the time is up); their states.
SETTLE = """async (seconds) => {
  const end = performance.now() + seconds * 1000;
  const states = () => [...document.querySelectorAll("section.decision-tree")]
    .map(s => [s.dataset.tree, s.dataset.state]);
  while (states().some(([, state]) => state === "loading") && performance.now() < end) {
    await new Promise(r => setTimeout(r, 50));
  }
  return Object.fromEntries(states());
}"""

ROUTE = """async () => {
  try { return (await CWCRuntime.start()).route; } catch (e) { return "failed: " + e.message; }
}"""

# Click the options labelled `answers` in turn; return the outcome step then shown.
WALK = """async (treeId, answers) => {
  const section = document.querySelector(`section.decision-tree[data-tree="${treeId}"]`);
  const visible = () => [...section.querySelectorAll(
    "[data-role=steps] > [data-question], [data-role=steps] > [data-outcome]")]
    .filter(step => step.getClientRects().length);
  const until = async (what, test) => {
    for (let i = 0; i < 400; i++) {
      const value = test();
      if (value) return value;
      await new Promise(r => setTimeout(r, 25));
    }
    throw new Error(`${treeId}: timed out waiting for ${what}`);
  };
  const text = el => el.textContent.replace(/\\s+/g, " ").trim();
  for (const label of answers) {
    const step = await until("a question", () => {
      const shown = visible();
      return shown.length === 1 && shown[0].dataset.question ? shown[0] : null;
    });
    const button = [...step.querySelectorAll("button")].find(b => text(b) === label);
    if (!button) throw new Error(`${treeId}: no option "${label}" at ${step.dataset.question}`);
    button.click();
    await until(`the step after "${label}"`, () => visible()[0] !== step);
  }
  const end = await until("an outcome", () => {
    const shown = visible();
    return shown.length === 1 && shown[0].dataset.outcome ? shown[0] : null;
  });
  return [end.dataset.outcome, text(end.querySelector(".decision-tree__heading"))];
}"""

# The result pages listed for what is in the search box, once the theme has searched.
SEARCH_RESULTS = """async () => {
  const end = performance.now() + 30000;
  for (;;) {
    const links = [...document.querySelectorAll(".md-search-result__item > a:first-child")];
    if (links.length || performance.now() > end) return links.map(a => a.href);
    await new Promise(r => setTimeout(r, 50));
  }
}"""


@dataclass
class EngineRun:
    """What one session of one engine saw of the site."""

    name: str
    root: str
    problems: dict[str, list[str]] = field(default_factory=dict)  # page → problems
    states: dict[str, str] = field(default_factory=dict)  # tree id → data-state
    routes: dict[str, str] = field(default_factory=dict)  # page → runtime route
    walked: dict[str, list[str]] = field(default_factory=dict)  # tree id → [outcome, title]
    search: list[str] = field(default_factory=list)  # result pages for "subpoena"


def longest_path(tree: dict) -> dict:
    """The path with the most answers (the first of them): one path per guide."""
    return max(tree["paths"], key=lambda path: len(path["answers"]))


@pytest.fixture(scope="session")
def engine_sites(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Probed copies of the built site (see tests/browser/engines): as built, and with a
    snapshot that cannot restore; the probe's self-check page sits inside the first."""
    root = tmp_path_factory.mktemp("engines")
    site = probed_copy(built_site, root / "site")
    probed_copy(FIXTURES / "engines", site / Path(SELF_CHECK).parent, probe_root=site)
    bad = probed_copy(built_site, root / "bad-snapshot")
    snapshot = bad / "assets" / "cwc-runtime" / "cwc-snapshot.js"
    snapshot.unlink()
    snapshot.write_text(glue.snapshot_script(os.urandom(64 * 1024)), "utf-8")
    return root


@pytest.fixture(scope="session")
def engine_server(engine_sites: Path) -> Iterator[str]:
    """The probed copies over http."""
    with serve_folder(engine_sites) as url:
        yield url


@pytest.fixture(scope="module", params=RUNS)
def engine_session(request: pytest.FixtureRequest, engine_sites: Path) -> Iterator[
        tuple[EngineSession, str]]:
    """One browser of one engine, and the base URL of the copies for one way of opening them."""
    engine_name, scheme = request.param
    missing = missing_engine_message(OTHER_ENGINES[engine_name])
    if missing:
        pytest.fail(missing)
    base = request.getfixturevalue("engine_server") if scheme == "http" else (
        engine_sites.as_uri() + "/")
    session = SESSIONS[engine_name]()
    try:
        yield session, base
    finally:
        session.close()


@pytest.fixture(scope="module")
def engine_run(engine_session: tuple[EngineSession, str], built_site: Path) -> EngineRun:
    """Every page once, each guide walked along one path, then one search."""
    session, base = engine_session
    root = base + "site/"
    run = EngineRun(name=type(session).__name__, root=root)
    manifest = load_manifest(built_site)
    trees_by_page: dict[str, list[str]] = {}
    for tree_id, tree in manifest.items():
        trees_by_page.setdefault(tree["page"], []).append(tree_id)
    for page in site_pages(built_site):
        if page == "404.html":
            continue  # shown by a server for a missing page; its links assume the site root
        session.open(root + page)
        run.states.update(session.evaluate(SETTLE, SETTLE_S))
        for tree_id in trees_by_page.get(page, []):
            run.routes[page] = session.evaluate(ROUTE)
            if run.states.get(tree_id) == "ready":
                run.walked[tree_id] = session.evaluate(
                    WALK, tree_id, longest_path(manifest[tree_id])["answers"])
        run.problems[page] = session.problems()
    session.open(root + "index.html")
    session.type("input.md-search__input", "subpoena")
    run.search = [urlsplit(href).path for href in session.evaluate(SEARCH_RESULTS)]
    run.problems["index.html (searching)"] = session.problems()
    return run


def test_every_page_loads_without_errors_or_csp_violations(engine_run: EngineRun) -> None:
    """No page logs an error, fails to load a file or breaks its Content-Security-Policy."""
    assert engine_run.problems, "no page was visited"
    broken = {page: [p for p in found if not p.startswith(BENIGN)]
              for page, found in engine_run.problems.items()}
    assert {page: found for page, found in broken.items() if found} == {}


BENIGN = ("error: ResizeObserver loop completed with undelivered notifications.",)
"""Messages an engine reports that mean no fault: WebKitGTK raises this one to
window.onerror when a resize observer's callback changes layout within a frame (the
theme's header does, as the page settles); nothing is lost, the observer runs again in
the next frame."""


def test_the_probe_reports_each_kind_of_problem(
        engine_session: tuple[EngineSession, str]) -> None:
    """The recorder the first test relies on sees a CSP violation, an error and a 404."""
    session, base = engine_session
    session.open(base + "site/" + SELF_CHECK)
    found = session.problems()
    kinds = [problem.split(": ", 1)[0] for problem in found]
    assert {"CSP violation", "console.error", "error", "failed to load"} <= set(kinds), found
    text = "\n".join(found)
    assert "broken on purpose" in text and "missing.js" in text
    # WebKit hides the message of an error thrown by a script from file:// ("Script error.").
    assert "thrown on purpose" in text or "Script error." in text


def test_every_guide_reaches_ready(engine_run: EngineRun, built_site: Path) -> None:
    """Every guide of decision-trees.json starts its engine (data-state="ready")."""
    expected = {tree_id: "ready" for tree_id in load_manifest(built_site)}
    assert engine_run.states == expected
    assert set(engine_run.routes.values()) == {"snapshot"}


def test_one_path_per_guide_ends_at_its_outcome(engine_run: EngineRun, built_site: Path) -> None:
    """The longest path of each guide, clicked through, shows its outcome and title."""
    manifest = load_manifest(built_site)
    expected = {}
    for tree_id, tree in manifest.items():
        outcome = longest_path(tree)["outcome"]
        expected[tree_id] = [outcome, tree["outcomes"][outcome]["title"]]
    assert engine_run.walked == expected


def test_search_finds_subpoena(engine_run: EngineRun) -> None:
    """Searching "subpoena" lists the page search_queries.yml expects among the first three."""
    rows = yaml.safe_load(SEARCH_TABLE.read_text("utf-8"))
    page = next(row["expect"] for row in rows if row["query"] == "subpoena")
    first_three = [path.rsplit("/site/", 1)[-1] for path in engine_run.search[:3]]
    assert page in first_three, engine_run.search


@pytest.mark.parametrize("engine_session", WEBKIT_OFFLINE, indirect=True)
def test_failed_snapshot_still_ends_with_a_working_guide(
        engine_session: tuple[EngineSession, str], built_site: Path) -> None:
    """In the slowest engine, a snapshot that fails is followed by a cold start that has
    time to finish (its own budget), and the guide works."""
    session, base = engine_session
    tree_id, tree = next(iter(load_manifest(built_site).items()))
    session.open(base + "bad-snapshot/" + tree["page"])
    assert session.evaluate(SETTLE, SETTLE_S) == {tree_id: "ready"}
    assert session.evaluate(ROUTE) == "cold"
    path = longest_path(tree)
    walked = session.evaluate(WALK, tree_id, path["answers"])
    assert walked == [path["outcome"], tree["outcomes"][path["outcome"]]["title"]]
    # The failed restore is reported as a warning, never as an error.
    assert session.problems() == []
