"""The practice questions file (build_tools/site/quiz.py): every rule, with file and line."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from build_tools.errors import Problems
from build_tools.site.quiz import load_quiz
from build_tools.trees.validate import load_and_validate
from tests.locations import VALID

GOOD = """\
questions:
  - id: harm
    lesson: Tell the safeguarding team the same day.
    situation: A client says their child is hurt at home.
    guide: shared-node
    answers: ["Yes"]
    choices:
      - action: Tell the safeguarding team today
        outcome: tell-safeguarding
        explanation: The policy says so.
      - action: Keep it to yourself
        explanation: It must be reported.
      - action: Ask the client for consent first
        outcome: share
        explanation: Consent is not the rule here.
"""


class Broken(NamedTuple):
    name: str
    old: str
    new: str
    line: int
    message: str


BROKEN = [
    Broken("unknown guide", "guide: shared-node", "guide: sharednode", 5,
           "names guide 'sharednode', which does not exist"),
    Broken("answers leave the guide", 'answers: ["Yes"]', 'answers: ["Maybe"]', 6,
           "the answers do not walk guide 'shared-node' to an outcome"),
    Broken("no choice is right", "outcome: tell-safeguarding", "outcome: keep", 8,
           "no choice names outcome 'tell-safeguarding'"),
    Broken("unknown outcome", "outcome: share", "outcome: sahre", 14,
           "names outcome 'sahre', which guide 'shared-node' does not have"),
    Broken("the right one accepted", "outcome: tell-safeguarding\n",
           "outcome: tell-safeguarding\n        accepted: true\n", 10,
           "the right choice is marked 'accepted'"),
    Broken("too few choices", "      - action: Ask the client for consent first\n"
           "        outcome: share\n        explanation: Consent is not the rule here.\n", "", 8,
           "'choices' of practice question 1 has 2 items; it needs at least 3"),
    Broken("an unknown key", "lesson:", "lessen:", 3,
           "unknown key 'lessen' in practice question 1"),
]


@pytest.fixture(scope="module")
def trees() -> dict:
    return {t.id: t for t in load_and_validate(sorted(VALID.glob("*.yaml")), None)}


def load(text: str, tmp_path: Path, trees: dict) -> tuple[list, Problems]:
    path = tmp_path / "practice-questions.yml"
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    return load_quiz(path, "practice-questions.yml", trees, problems), problems


def test_a_good_file_gives_its_questions_with_the_guides_answer(tmp_path: Path, trees) -> None:
    """The build replays the answers: the right outcome is the guide's, not the file's."""
    (practice,), problems = load(GOOD, tmp_path, trees)
    assert not problems
    assert practice.right == "tell-safeguarding" and practice.tree.id == "shared-node"


@pytest.mark.parametrize("case", BROKEN, ids=[b.name for b in BROKEN])
def test_each_broken_file_names_its_line_and_what_is_wrong(
    case: Broken, tmp_path: Path, trees
) -> None:
    """Every rule of the file is reported at its line, in the author's words."""
    assert case.old in GOOD
    _, problems = load(GOOD.replace(case.old, case.new), tmp_path, trees)
    found = [(p.line, p.message) for p in problems]
    assert any(line == case.line and case.message in message for line, message in found), found
