"""The induction's practice questions: situations written for the lesson they teach.

The questions live in one data file (``docs/induction/practice-questions.yml``)::

    questions:
      - id: not-sure-ask
        lesson: When you are not sure, ask the same day.
        situation: A client mentions …
        guide: client-told-me          # the guide that handles it
        answers: ["No", "Not sure"]    # what a volunteer answers in that guide
        choices:                       # 3 to 5 plausible actions
          - action: Ask a member of the safeguarding team today
            outcome: not-sure          # the guide's outcome this action is
            explanation: …
          - action: Call 999 now
            outcome: call-999
            accepted: true             # more protective, and the policy allows it
            explanation: …
          - action: Keep it to yourself until you are sure
            explanation: …             # an action the guide never recommends

Which choice is right is not written anywhere: the guide decides. The build replays each
question's answers with the engine and checks that exactly one choice names the outcome
they reach; in the page, the engine replays them again (Pyodide) when the volunteer asks,
so the practice can never disagree with the guide. ``accepted`` marks a more protective
action that the policy allows: it counts as right, with its own explanation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field

from build_tools.errors import Problems, did_you_mean
from build_tools.site.markdown import GuideMarkdown
from build_tools.site.urls import page_url_of, relative_url
from build_tools.site.widget import environment
from build_tools.trees.engine import InvalidAnswer, outcome_for, to_fragment
from build_tools.trees.engine_data import engine_data
from build_tools.trees.model import Id, Loc, Text, Tree, _Strict
from build_tools.trees.validate import read_model


class QuizChoice(_Strict):
    """One action a volunteer might take."""

    action: Text = Field(description="The action, in a few words.")
    outcome: Id | None = Field(None, description="The guide's outcome this action is, if any.")
    explanation: Text = Field(description="Why it is right, or not. Markdown.")
    accepted: bool = Field(
        False, description="A more protective action the policy allows: also counted right."
    )


class QuizQuestion(_Strict):
    """One practice question."""

    id: Id
    lesson: Text = Field(description="What the question teaches, in a sentence.")
    situation: Text = Field(description="What happened, in one to three sentences.")
    guide: Id = Field(description="The guide that handles the situation.")
    answers: list[Text] = Field(min_length=1, description="The answers given in that guide.")
    choices: list[QuizChoice] = Field(min_length=3, max_length=5)


class QuizFile(_Strict):
    """``docs/induction/practice-questions.yml``."""

    questions: list[QuizQuestion] = Field(min_length=1)


def _owner(loc: Loc) -> tuple[str, Any] | None:
    match loc:
        case ():
            return "the practice questions file", QuizFile
        case ("questions", int(i)):
            return f"practice question {i + 1}", QuizQuestion
        case ("questions", int(i), "choices", int(j)):
            return f"choice {j + 1} of practice question {i + 1}", QuizChoice
    return None


@dataclass(frozen=True)
class Practice:
    """A checked practice question, with its guide."""

    question: QuizQuestion
    tree: Tree
    right: str
    """The outcome the answers reach (the build's replay; the page replays them again)."""


def load_quiz(path: Path, shown: str, trees: Mapping[str, Tree],
              problems: Problems) -> list[Practice]:
    """Read and check the practice questions; record every problem with its place."""
    read = read_model(path, shown, QuizFile, problems, _owner)
    if read is None:
        return []
    content, where = read
    found: list[Practice] = []
    seen: dict[str, int] = {}
    for i, question in enumerate(content.questions):
        def at(*loc: str | int, i: int = i) -> tuple[int, int]:
            return where.value(("questions", i, *loc))

        name = f"practice question '{question.id}'"
        if question.id in seen:
            problems.fail(shown, at("id"), f"{name} is also question {seen[question.id]}",
                          "give each question its own id")
        seen.setdefault(question.id, i + 1)
        tree = trees.get(question.guide)
        if tree is None:
            problems.fail(shown, at("guide"), f"{name} names guide '{question.guide}', which "
                          "does not exist", did_you_mean(question.guide, trees,
                                                         fallback="the guides are"))
            continue
        right = _check_question(question, tree, name, shown, at, problems)
        if right is not None:
            found.append(Practice(question, tree, right))
    return found


def _check_question(question: QuizQuestion, tree: Tree, name: str, shown: str, at: Any,
                    problems: Problems) -> str | None:
    ok = True
    for j, choice in enumerate(question.choices):
        if choice.outcome is not None and choice.outcome not in tree.outcomes:
            problems.fail(shown, at("choices", j, "outcome"), f"choice {j + 1} of {name} names "
                          f"outcome '{choice.outcome}', which guide '{tree.id}' does not have",
                          did_you_mean(choice.outcome, tree.outcomes,
                                       fallback="its outcomes are"))
            ok = False
    try:
        right = outcome_for(engine_data(tree), question.answers)
    except InvalidAnswer as error:
        problems.fail(shown, at("answers"), f"{name}: the answers do not walk guide "
                      f"'{tree.id}' to an outcome: {error}",
                      "use the option labels exactly as the guide writes them")
        return None
    naming = [j for j, c in enumerate(question.choices) if c.outcome == right]
    if len(naming) != 1:
        what = "no choice names" if not naming else f"{len(naming)} choices name"
        problems.fail(shown, at("choices"), f"{name}: {what} outcome '{right}', which the "
                      "answers reach in the guide", "exactly one choice must be the guide's "
                      f"outcome: add 'outcome: {right}' to the right action")
        return None
    if question.choices[naming[0]].accepted:
        problems.fail(shown, at("choices", naming[0], "accepted"), f"{name}: the right choice "
                      "is marked 'accepted'", "'accepted' is for other, more protective "
                      "choices; remove it here")
        ok = False
    return right if ok else None


def shuffled(question: QuizQuestion) -> list[tuple[int, QuizChoice]]:
    """The question's choices, each with its index in the file, in a shuffled order.

    The order hides which one is right; it is fixed by the question's id (every build the
    same; a new question gets its own), so a volunteer cannot learn "the first is right".
    """
    def key(j: int) -> bytes:
        return hashlib.sha256(f"{question.id}/{j}".encode()).digest()
    return [(j, question.choices[j]) for j in sorted(range(len(question.choices)), key=key)]


class QuizRenderer:
    """Renders the practice questions for a page.

    Args:
        markdown: The site's renderer for authors' Markdown (explanations).
    """

    def __init__(self, markdown: GuideMarkdown) -> None:
        self._markdown = markdown

    def render(self, questions: Sequence[Practice], tree_pages: Mapping[str, str],
               page_url: str, acknowledgement_url: str | None) -> str:
        """The practice questions as they go on the page at ``page_url``."""
        items = []
        for practice in questions:
            guide = page_url_of(tree_pages[practice.tree.id])
            walk = f"{guide}#{to_fragment(practice.tree.id, practice.question.answers)}"
            items.append({
                "q": practice.question,
                "choices": shuffled(practice.question),
                "tree": practice.tree,
                "data": {"tree": engine_data(practice.tree),
                         "answers": list(practice.question.answers)},
                "walk_href": relative_url(walk, page_url),
                "titles": {c.outcome: practice.tree.outcomes[c.outcome].title
                           for c in practice.question.choices if c.outcome},
            })
        continue_href = relative_url(acknowledgement_url, page_url) if acknowledgement_url else ""
        return environment().get_template("quiz.html.j2").render(
            questions=items, md=lambda text: self._markdown.html(text, page_url),
            continue_href=continue_href,
        )
