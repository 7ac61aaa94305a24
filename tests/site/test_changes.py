"""What changed since the last approval: the clause and path diffs, and real git histories.

The pure parts (clauses of a page, PATHS.txt, the word diff) are checked on small texts.
Then a throwaway repository is made in a temporary folder (git init, commit, tag
policy-v1.0, change the policy and a guide, build): the page shows the real changes. A
copy without history, a clone without tags, a computer without git and a policy never
approved each give a plain sentence, and the build still succeeds.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from build_tools.site.changes import (
    Comparison,
    clause_parts,
    compare,
    guide_changes,
    parse_paths_text,
    policy_changes,
    word_diff,
)
from build_tools.site.document_control import DocumentControl, PolicyRecord
from build_tools.site.settings import read_settings
from build_tools.trees.paths_text import paths_text
from build_tools.trees.validate import load_tree_set
from tests.helpers import TRUSTEE_POLICY, build_site, docs_index, trustee_site

PAGE = """\
# Rules

## Keep it to yourself {#keep-quiet}

Do not tell anyone.

## The exceptions {#exceptions}

Except when:

- Someone is at risk
  { #at-risk }
- A crime is planned:
  { #crime }
    - Theft
    - Fraud

A closing paragraph.
"""


# -- the policy, clause by clause ----------------------------------------------------------

def test_a_page_splits_into_its_clauses() -> None:
    """Headings and anchored list items are clauses; nested items stay with their item."""
    parts = clause_parts(PAGE)
    assert list(parts) == ["", "keep-quiet", "exceptions", "at-risk", "crime"]
    assert (parts[""].heading, parts[""].text) == ("Rules", "")
    assert (parts["keep-quiet"].heading, parts["keep-quiet"].text) == (
        "Keep it to yourself", "Do not tell anyone.")
    assert parts["exceptions"].text == "Except when: A closing paragraph."
    assert parts["at-risk"].heading == ""
    assert parts["at-risk"].title == "Someone is at risk"
    assert parts["crime"].text == "• A crime is planned: • Theft • Fraud"


@pytest.mark.parametrize(("case", "before", "after", "expected"), [
    ("reworded", PAGE, PAGE.replace("Do not tell anyone.", "Tell nobody at all."),
     [("keep-quiet", "changed")]),
    ("added", PAGE, PAGE + "\n## Write it down {#write-down}\n\nKeep a note.\n",
     [("write-down", "added")]),
    ("removed", PAGE, PAGE.replace("- Someone is at risk\n  { #at-risk }\n", ""),
     [("at-risk", "removed")]),
    ("a heading reworded", PAGE, PAGE.replace("Keep it to yourself", "Keep quiet"),
     [("keep-quiet", "changed")]),
    ("unchanged", PAGE, PAGE.replace("Do not tell", "Do  not\ntell"), []),
])
def test_policy_changes_by_clause(case: str, before: str, after: str,
                                  expected: list[tuple[str, str]]) -> None:
    """Each kind of change is found on its clause; a change of spacing alone is none."""
    found = policy_changes({"policy/rules.md": before}, {"policy/rules.md": after},
                           ["policy/rules.md"])
    assert [(c.anchor, c.status) for c in found] == expected


def test_a_clause_that_changes_page_has_moved() -> None:
    """The same anchor leaving one page for another is one move, not a removal and an add."""
    other = "# Other\n\n## Keep it to yourself {#keep-quiet}\n\nDo not tell anyone.\n"
    found = policy_changes({"policy/rules.md": PAGE, "policy/other.md": "# Other\n"},
                           {"policy/rules.md": PAGE.replace(
                               "## Keep it to yourself {#keep-quiet}\n\nDo not tell anyone.\n",
                               ""), "policy/other.md": other},
                           ["policy/rules.md", "policy/other.md"])
    assert [(c.page, c.anchor, c.status, c.moved_from) for c in found] == [
        ("policy/other.md", "keep-quiet", "moved", "policy/rules.md")]


@pytest.mark.parametrize(("before", "after", "expected"), [
    ("Do not tell anyone.", "Do not tell anybody.",
     'Do not tell <del class="cwc-diff__del"><span class="decision-tree__vh">[removed: </span>'
     'anyone.<span class="decision-tree__vh">]</span></del> <ins class="cwc-diff__ins">'
     '<span class="decision-tree__vh">[added: </span>anybody.<span class="decision-tree__vh">]'
     "</span></ins>"),
    ("a <b>", "a <b> c", 'a &lt;b&gt; <ins class="cwc-diff__ins"><span class="decision-tree__vh">'
     '[added: </span>c<span class="decision-tree__vh">]</span></ins>'),
])
def test_word_diff_marks_and_escapes(before: str, after: str, expected: str) -> None:
    """Words out are struck and words in underlined, named for screen readers; text escaped."""
    assert word_diff(before, after) == expected


# -- the guides, from PATHS.txt ------------------------------------------------------------

PATHS_BEFORE = """\
# header

== g: A guide (2 paths)

1. Is it a friend? → Yes
   ⇒ Do not tell them [danger, today] (no-telling)
     contacts: charity-manager
     cites: policy/rules.md#keep-quiet

2. Is it a friend? → No
   ⇒ Ask first [info, soon] (ask)
     contacts: charity-manager
     cites: policy/rules.md#ask-first
     good practice: Ask the same day.

== gone: A guide that goes (1 path)

1. Anything? → Yes
   ⇒ Fine [success, no-deadline] (fine)
     contacts: charity-manager
     cites: policy/rules.md#ask-first
"""

PATHS_AFTER = """\
# header

== g: A guide (3 paths)

1. Is the person a friend? → Yes
   ⇒ Ask first [info, soon] (ask)
     contacts: charity-manager
     cites: policy/rules.md#ask-first
     good practice: Ask the same day, in person.

2. Is the person a friend? → No
   Is it urgent? → Yes
   ⇒ Do not tell them yet [danger, now] (no-telling)
     contacts: charity-manager, safeguarding-lead
     cites: policy/rules.md#keep-quiet

3. Is the person a friend? → No
   Is it urgent? → No
   ⇒ Wait [info, no-deadline] (wait)
     contacts: charity-manager
     cites: policy/rules.md#ask-first
"""


def test_paths_text_is_read_back() -> None:
    """Each guide's paths (answers → questions and outcome) and outcomes come back."""
    guides = parse_paths_text(PATHS_AFTER)
    assert list(guides) == ["g"]
    g = guides["g"]
    assert g.paths[("No", "Yes")] == (("Is the person a friend?", "Is it urgent?"), "no-telling")
    assert g.outcomes["no-telling"].urgency == "now"
    assert g.outcomes["no-telling"].contacts == "charity-manager, safeguarding-lead"
    assert g.outcomes["ask"].practice == "Ask the same day, in person."


def test_guide_changes_name_what_a_volunteer_is_told_differently() -> None:
    """Outcomes added, removed and reworded; questions reworded; paths ending elsewhere."""
    changes = {c.id: c for c in guide_changes(PATHS_BEFORE, PATHS_AFTER)}
    assert changes["gone"].status == "removed"
    g = changes["g"]
    assert [e.oid for e in g.outcomes_added] == ["wait"]
    assert [(a.oid, a.title, b.title) for a, b in g.outcomes_changed] == [
        ("ask", "Ask first", "Ask first"),
        ("no-telling", "Do not tell them", "Do not tell them yet")]
    assert g.questions_reworded == [("Is it a friend?", "Is the person a friend?")]
    assert [(r.answers, r.before.oid, r.after.oid) for r in g.rerouted] == [
        (("Yes",), "no-telling", "ask")]
    assert [answers for _, answers, _ in g.paths_added] == [("No", "Yes"), ("No", "No")]
    assert [answers for _, answers, _ in g.paths_removed] == [("No",)]


def test_the_same_paths_are_no_change() -> None:
    """Two identical renderings give no guide changes."""
    assert guide_changes(PATHS_AFTER, PATHS_AFTER) == []


# -- with and without a history ------------------------------------------------------------

def control(approvals: list[dict]) -> DocumentControl:
    policy = {**TRUSTEE_POLICY, "approvals": approvals}
    return DocumentControl(policy, PolicyRecord.model_validate(policy))


def plain_compare(folder: Path, approvals: list[dict]) -> Comparison:
    return compare(control(approvals), folder, folder / "docs", "policy", folder / "trees", {},
                   [], "")


APPROVED = {"version": "1.0", "approved_on": date(2025, 6, 12), "approved_by": "Board",
            "minute": "2025/31", "tag": "policy-v1.0"}


@pytest.mark.parametrize(("case", "approvals", "no_git", "says"), [
    ("never approved", [], False, "has not been approved yet"),
    ("approved, no tag", [{**APPROVED, "tag": None}], False, "names no git tag"),
    ("no git on the computer", [APPROVED], True, "without git"),
    ("a folder, not a repository", [APPROVED], False, "not built from a git repository"),
])
def test_nothing_to_compare_says_why(case: str, approvals: list[dict], no_git: bool, says: str,
                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each reason there is nothing to compare with is a plain sentence, not an error."""
    if no_git:
        monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    comparison = plain_compare(tmp_path, approvals)
    assert comparison.approved is None
    assert says in comparison.reason


def git(folder: Path, *args: str) -> str:
    run = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True,
                         env={"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
                              "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL":
                              "t@example.org", "HOME": str(folder), "PATH": "/usr/bin:/bin"})
    return run.stdout


NEW_GUIDE = """\
title: Can I tell my friend?
start: friend
questions:
  friend:
    text: Is the person you want to tell a close friend?
    options:
      - label: Yes
        next: ask
      - label: No
        next: urgent
  urgent:
    text: Is it urgent?
    options:
      - label: Yes
        next: no-telling
      - label: No
        next: ask
outcomes:
  no-telling:
    title: Do not tell them anything
    kind: danger
    urgency: today
    contacts: [charity-manager]
    body: Keep it to yourself. See [the rules](policy/rules.md#keep-quiet).
    cites: [policy/rules.md#keep-quiet]
  ask:
    title: Ask the manager first
    kind: info
    urgency: soon
    contacts: [charity-manager]
    body: Ask before you say anything.
    cites: [policy/rules.md#ask-first]
scenarios:
  - name: An urgent question
    answers: [No, Yes]
    outcome: no-telling
"""


def write_paths(project: Path) -> None:
    """decision_trees/PATHS.txt for the project's guides, as the CLI writes it."""
    settings = read_settings(project / "mkdocs.yml", runtime=False)
    trees = load_tree_set(sorted(settings.trees_dir.glob("*.yaml")), docs_index(settings.docs_dir),
                          root=project, contacts=settings.contacts_path).trees
    (settings.trees_dir / "PATHS.txt").write_text(paths_text(trees), encoding="utf-8")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository whose policy-v1.0 is the fixture site; the working tree has changed it."""
    project = trustee_site(tmp_path_factory.mktemp("history") / "project")
    write_paths(project)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "The approved text")
    git(project, "tag", "policy-v1.0")
    rules = project / "docs" / "policy" / "rules.md"
    rules.write_text(rules.read_text(encoding="utf-8").replace("Ask the manager.",
                                                               "Ask the manager first.")
                     + "\n## Write it down {#write-down}\n\nKeep a note of what you did.\n",
                     encoding="utf-8")
    (project / "decision_trees" / "embedded-guide.yaml").write_text(NEW_GUIDE, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def changes_page(history: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The built "what changed" page of the history's working tree."""
    site = tmp_path_factory.mktemp("history-site")
    result = build_site(site, history / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    return (site / "trustees" / "changes.html").read_text(encoding="utf-8")


def text_of(page: str) -> str:
    """The words of a page's HTML, tags dropped (no space added for them)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


@pytest.mark.parametrize(("what", "shown"), [
    ("the approval compared with", "Compared with version 1.0, approved by the Board of "
     "Trustees on 2025-06-12 (minute 2025/31): git tag policy-v1.0"),
    ("uncommitted changes", "with changes not yet committed"),
    ("the count", "2 clauses not as approved (1 reworded, 1 added)"),
    ("the guides' count", "1 guide tells volunteers something different"),
    ("the reworded clause", "Ask the [removed: manager.] [added: manager first.]"),
    ("the added clause", "“Write it down”: added (read it in the policy) Heading: [added: Write "
     "it down] [added: Keep a note of what you did.]"),
    ("the reworded question", "Question reworded: Is the person you want to tell a [added: close] "
     "friend?"),
    ("the reworded outcome", "the title: Do not tell them [added: anything]"),
    ("the path that ends elsewhere", "Now ends elsewhere: Is the person you want to tell a close "
     "friend? Yes now ends at “Ask the manager first”"),
    ("the new path", "New path: Is the person you want to tell a close friend? No → Is it "
     "urgent? Yes ends at “Do not tell them anything” (today)"),
])
def test_the_page_shows_the_real_changes(changes_page: str, what: str, shown: str) -> None:
    """Built from a working tree that differs from the tag, the page lists each change."""
    assert shown in text_of(changes_page), what


def test_the_clause_diff_is_marked_up_and_links_to_the_clause(changes_page: str) -> None:
    """The reworded clause's new word is an <ins>, and its title links to the clause."""
    assert re.search(r'<ins class="cwc-diff__ins">.*?first\.', changes_page)
    assert 'href="../policy/rules.html#ask-first"' in changes_page


@pytest.mark.parametrize(("case", "says"), [
    ("a copied folder, no history", "not built from a git repository"),
    ("a clone without its tags", "is not in this copy's history"),
])
def test_without_the_tag_the_page_says_so_and_the_build_succeeds(
    history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, says: str
) -> None:
    """A copy that cannot see the tag builds, and its page says there is nothing to compare."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    copy = tmp_path / "copy"
    if case.startswith("a copied folder"):
        shutil.copytree(history, copy, ignore=shutil.ignore_patterns(".git"))
    else:
        git(tmp_path, "clone", "-q", "--no-tags", str(history), str(copy))
    result = build_site(tmp_path / "site", copy / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    page = text_of((tmp_path / "site" / "trustees" / "changes.html").read_text(encoding="utf-8"))
    assert "Nothing to compare." in page and says in page
