"""Bad input to the build: a clean error (file:line:col, exit 1, no traceback) or a safe page.

Through the command line (``python -m build_tools check``) and through ``mkdocs build`` of
a copy of the fixture site. The loader's own cases (nesting, size, UTF-8, aliases) are in
test_loader.py and tests/fixtures/invalid/; here they go end to end, with a time limit.
Markup in every text field and links to other sites are built, then checked in the HTML
and in a browser.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.helpers import build_site
from tests.locations import FIXTURES, ROOT

TIME_LIMIT = 60  # seconds: far beyond a normal check; a hang fails instead of blocking CI
ERROR_LINE = re.compile(r"^\S+\.ya?ml:\d+:\d+: error: ", re.M)

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)
BAD_FILES = {
    "deep-nesting.yaml": "title: " + "[" * 5000 + "]" * 5000 + "\n",
    "deep-mapping.yaml": "".join(" " * i + f"k{i}:\n" for i in range(3000)),
    "alias-bomb.yaml": BILLION_LAUGHS,
    "binary.yaml": bytes(range(256)) * 40,
    "invalid-utf8.yaml": b"title: caf\xe9\nstart: a\n",
    "nul-bytes.yaml": b"title: a\x00b\n",
}
INJECTED = "<script>window.__pwned=1</script><img src=x onerror='window.__pwned=2'>"
EVIL_TREE = f"""\
title: "Title {INJECTED}"
summary: "Summary {INJECTED} [an outside page](https://example.org/summary)"
start: keep-quiet
questions:
  keep-quiet:
    text: "Question {INJECTED}?"
    help: "Help {INJECTED} and `<b>code</b>`"
    options:
      - label: "Yes {INJECTED}"
        next: out
      - label: "No \\"quoted\\" & <b>bold</b>"
        next: out
outcomes:
  out:
    title: "Outcome {INJECTED}"
    kind: info
    urgency: soon
    contacts: [charity-manager]
    body: |
      Body {INJECTED}

      <script>window.__pwned=3</script>

      See [an outside page](https://example.org/page) and [the rules](policy/rules.md#keep-quiet).
    cites: [policy/rules.md#keep-quiet]
scenarios:
  - name: "Scenario {INJECTED}"
    answers: ["Yes {INJECTED}"]
    outcome: out
"""


def check(*targets: Path, docs: Path = FIXTURES / "docs") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "build_tools", "check", *map(str, targets), "--docs", str(docs)],
        capture_output=True, text=True, timeout=TIME_LIMIT, cwd=ROOT,
    )


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_cli_gives_a_clean_error(tmp_path: Path, name: str) -> None:
    """Each bad file: exit 1, an error with file:line:col, no traceback, within the limit."""
    path = tmp_path / name
    data = BAD_FILES[name]
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    result = check(path)
    assert result.returncode == 1, result.stderr
    assert ERROR_LINE.search(result.stdout + result.stderr), result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_refuses_a_50_mb_file_quickly(tmp_path: Path) -> None:
    """A 50 MB file is refused by its size before it is read."""
    path = tmp_path / "huge.yaml"
    with path.open("wb") as out:
        out.write(b"title: x\n")
        out.truncate(50_000_000)
    result = check(path)
    assert result.returncode == 1
    assert re.search(r"huge\.yaml:1:1: error: the file is 50\.0 MB", result.stdout + result.stderr)
    assert "Traceback" not in result.stdout + result.stderr


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A private copy of the fixture site."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURES / "site", target)
    return target


@pytest.mark.parametrize("name", ["alias-bomb.yaml", "deep-nesting.yaml", "binary.yaml"])
def test_mkdocs_build_stops_cleanly(project: Path, tmp_path: Path, name: str) -> None:
    """``mkdocs build`` with a bad tree: exit 1, the file:line:col error, no traceback,
    nothing written."""
    data = BAD_FILES[name]
    target = project / "decision_trees" / name
    target.write_bytes(data if isinstance(data, bytes) else data.encode())
    site = tmp_path / "out"
    result = build_site(site, project / "mkdocs.yml")
    assert result.returncode == 1
    assert re.search(rf"decision_trees/{re.escape(name)}:\d+:\d+: error: ", result.stderr)
    assert "Traceback" not in result.stderr
    assert not (site / "index.html").exists()


class _Page(HTMLParser):
    """Scripts, ids and outside links of a built page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.ids: list[str] = []
        self.outside: list[dict] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(found["id"])
        self._in_script = tag == "script" and "src" not in found and found.get(
            "type") != "application/json"  # data, never run (its < are \u003c anyway)
        if tag == "a" and (found.get("href") or "").startswith("https://"):
            self.outside.append(found)
        if tag == "img" and "onerror" in found:
            self.scripts.append(f"img onerror: {found['onerror']}")

    def handle_data(self, data: str) -> None:
        if self._in_script and "__pwned" in data:
            self.scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site with a tree that has markup in every text field and a question id
    equal to a heading anchor of the page it is embedded in."""
    project = tmp_path_factory.mktemp("evil") / "project"
    shutil.copytree(FIXTURES / "site", project)
    (project / "decision_trees" / "evil.yaml").write_text(EVIL_TREE, encoding="utf-8")
    rules = project / "docs" / "policy" / "rules.md"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n<!-- decision-tree: evil -->\n",
                     encoding="utf-8")
    # The practice questions render authors' text too: the same markup in every field.
    (project / "docs" / "induction").mkdir()
    (project / "docs" / "induction" / "practice.md").write_text(
        "# Practice\n\n<!-- practice-quiz -->\n", encoding="utf-8")
    (project / "docs" / "induction" / "practice-questions.yml").write_text(
        EVIL_QUESTIONS, encoding="utf-8")
    site = project / "site"
    result = build_site(site, project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    return site


EVIL_QUESTIONS = f"""\
questions:
  - id: evil-question
    lesson: "Lesson {INJECTED}"
    situation: "Situation {INJECTED}"
    guide: evil
    answers: ["Yes {INJECTED}"]
    choices:
      - action: "Action {INJECTED}"
        outcome: out
        explanation: "Explanation {INJECTED} [an outside page](https://example.org/quiz)"
      - action: "Another {INJECTED}"
        explanation: "Why not {INJECTED}"
      - action: "A third {INJECTED}"
        explanation: "Nor this {INJECTED}"
"""


def parsed(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_markup_in_text_fields_is_never_markup(evil_site: Path) -> None:
    """No page carries an injected script or event handler as markup; the text shows."""
    for html in evil_site.rglob("*.html"):
        assert parsed(html).scripts == [], html.relative_to(evil_site)
    page = (evil_site / "policy" / "rules.html").read_text(encoding="utf-8")
    assert "Question &lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    quiz = (evil_site / "induction" / "practice.html").read_text(encoding="utf-8")
    assert "Explanation &lt;script&gt;window.__pwned=1&lt;/script&gt;" in quiz
    assert "Situation &lt;script&gt;" in quiz


def test_question_id_equal_to_a_heading_anchor_breaks_nothing(evil_site: Path) -> None:
    """The question 'keep-quiet' sits on a page with the heading #keep-quiet: the widget's
    ids are prefixed (dt-evil-outline-q-…), so every id on the page is unique."""
    ids = parsed(evil_site / "policy" / "rules.html").ids
    assert ids.count("keep-quiet") == 1
    assert "dt-evil-outline-q-keep-quiet" in ids
    assert [i for i, n in Counter(ids).items() if n > 1] == []


@pytest.mark.parametrize(("page", "href"), [
    ("policy/rules.html", "https://example.org/page"),
    ("induction/practice.html", "https://example.org/quiz"),
])
def test_outside_links_are_marked(evil_site: Path, page: str, href: str) -> None:
    """Links to other sites in authors' Markdown carry rel=noopener noreferrer and say so."""
    html = (evil_site / page).read_text(encoding="utf-8")
    links = [a for a in parsed(evil_site / page).outside if a["href"] == href]
    assert links and all(a.get("rel") == "noopener noreferrer" for a in links)
    assert html.count("(opens an external site)</span></a>") >= len(links)


@pytest.mark.browser
def test_injected_markup_does_not_run_in_the_browser(evil_site: Path, page) -> None:
    """Opened in a browser and played through, the evil guide runs nothing injected."""
    page.goto((evil_site / "policy" / "rules.html").as_uri())
    section = page.locator('section.decision-tree[data-tree="evil"]')
    expect(section).to_have_attribute("data-state", "ready", timeout=30_000)
    section.locator("button[data-label]").first.click()
    heading = section.locator('[data-outcome="out"] .decision-tree__heading')
    assert heading.inner_text().startswith("Outcome <script>")
    section.get_by_role("button", name="Change your answer to: Question", exact=False).click()
    assert page.evaluate("window.__pwned") is None
