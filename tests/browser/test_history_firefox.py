"""Nothing left in Firefox's history: the Chromium history tests' main checks, in Debian's
Firefox ESR on a profile kept on disk (driven over WebDriver BiDi like the engines tests).

Every path of a guide is walked, then the browser is closed and its profile read as the
next person on a shared laptop could: the history database (places.sqlite) and every
file outside the caches (session restore included, decoded from mozLz4).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser.engines import FirefoxSession
from tests.browser.profiles import FIREFOX, answer_in, occurrences

pytestmark = [pytest.mark.browser, pytest.mark.engines]

WALKED = "police-or-official"
"""The guide walked path by path (the issue's example: the police on the phone)."""

_WALK = """async (treeId, answers) => {
  const section = document.querySelector(`section.decision-tree[data-tree="${treeId}"]`);
  const until = async (test, what) => {
    for (let i = 0; i < 1200; i++) {
      if (test()) return;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  await until(() => section.getAttribute("data-state") === "ready", "the guide to be ready");
  const current = () => [...section.querySelectorAll(
    "[data-role=steps] > :is([data-question], [data-outcome])")].find(s => !s.hidden);
  for (const answer of answers) {
    const step = current();
    const button = [...step.querySelectorAll("button[data-label]")]
      .find(b => b.getAttribute("data-label") === answer);
    if (!button) throw new Error(`no option ${JSON.stringify(answer)}`);
    button.click();
    await until(() => current() !== step, `the step after ${JSON.stringify(answer)}`);
  }
  const reached = current().getAttribute("data-outcome");
  const address = location.href;
  section.querySelector('[data-action="restart"]').click();
  return [reached, address];
}"""


@dataclass
class FirefoxProfile:
    """A Firefox profile folder after the browser closed, and what was done in it."""

    folder: Path
    root: str
    opened: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)


@pytest.fixture(scope="module", params=["http", "file"])
def used(request: pytest.FixtureRequest, built_site: Path,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[FirefoxProfile]:
    """Every path of one guide walked in Firefox on a fresh profile, then Firefox closed."""
    root = (request.getfixturevalue("site_server") if request.param == "http"
            else built_site.as_uri() + "/")
    trees = {t["id"]: t for t in json.loads(
        (built_site / "decision-trees.json").read_text(encoding="utf-8"))["trees"]}
    tree = trees[WALKED]
    profile = FirefoxProfile(tmp_path_factory.mktemp(f"firefox-profile-{request.param}"), root)
    session = FirefoxSession(profile=profile.folder)
    try:
        for url in (root + "index.html", root + tree["page"]):
            session.open(url)
            profile.opened.append(url)
        for path in tree["paths"]:
            reached, address = session.evaluate(_WALK, WALKED, path["answers"])
            assert reached == path["outcome"], path["answers"]
            profile.addresses.append(address)
    finally:
        session.close()
    yield profile


def test_walking_a_guide_in_firefox_never_changes_the_address(used: FirefoxProfile) -> None:
    """At every outcome the address is still the guide page's own."""
    assert set(used.addresses) == {used.opened[-1]}


def test_the_firefox_history_lists_pages_but_no_answers(used: FirefoxProfile) -> None:
    """Firefox's history has the pages opened, and no address with an answer."""
    visits = [v for v in FIREFOX.history(used.folder) if v.url.startswith(used.root)]
    urls = {v.url for v in visits}
    assert set(used.opened) <= urls, "the history did not record the pages (nothing to check)"
    assert {v.url: answer_in(v.url) for v in visits if answer_in(v.url)} == {}


def test_no_file_in_the_firefox_profile_carries_an_answer(used: FirefoxProfile) -> None:
    """No file Firefox kept outside its caches (places, session restore, favicons…) holds
    the guide's answers in a link ('police-or-official=')."""
    needle = f"{WALKED}="
    found = [rel for rel, data in FIREFOX.files(used.folder) if occurrences(data, needle)]
    assert found == []
