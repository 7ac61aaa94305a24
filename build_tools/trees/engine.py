"""The decision-tree engine: the one place that decides what comes next.

Standard library only, no I/O, pure and deterministic. The same file runs at build time,
in the tests and in the browser (under Pyodide, as the module ``cwc_engine``), so it
imports nothing from the rest of ``build_tools``.

It runs on the data of ``build_tools.trees.engine_data.engine_data``::

    {"id": "police", "start": "q1",
     "questions": {"q1": {"options": [{"label": "Yes", "next": "done"}, ...]}},
     "outcomes": {"done": {"kind": "info"}}}

Answers travel in the URL fragment as ``#tree-id=Yes/No``: each label percent-encoded
(``/`` included), joined by ``/``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote

Data = dict[str, Any]
"""Engine data: ``{"id", "start", "questions", "outcomes"}`` (see the module docstring)."""
State = dict[str, Any]
"""What every move returns: node, kind, answers and whether back is possible."""

__all__ = [
    "Engine",
    "EngineDataError",
    "InvalidAnswer",
    "decode_answers",
    "encode_answers",
    "from_fragment",
    "outcome_for",
    "to_fragment",
]


class InvalidAnswer(ValueError):
    """An answer that is not an option of the current question (or comes after an outcome).

    Attributes:
        question: The current node id.
        label: The answer given.
        valid: The labels that would have been accepted.
        step: The 1-based position of the answer in a replay, or None.
    """

    def __init__(
        self, question: str, label: str, valid: Any, step: int | None = None
    ) -> None:
        self.question = question
        self.label = label
        self.valid = tuple(valid)
        self.step = step
        where = "" if step is None else f"answer {step}: "
        if self.valid:
            choices = ", ".join(repr(v) for v in self.valid)
            text = f"{where}{label!r} is not an option of question {question!r}; "
            text += f"the options are {choices}"
        else:
            text = f"{where}{label!r} comes after outcome {question!r}, which has no options"
        super().__init__(text)


class EngineDataError(ValueError):
    """Engine data that names a node that does not exist, or is not shaped as expected."""


class Engine:
    """One reader's walk through a tree: the current node and the answers so far."""

    def __init__(self, data: Data) -> None:
        self._questions, self._outcomes, self._start = _read(data)
        self._trail: list[tuple[str, str]] = []  # (question id, label) for every answer

    @property
    def node(self) -> str:
        """The current node id (a question or an outcome)."""
        if not self._trail:
            return self._start
        question, label = self._trail[-1]
        return self._questions[question][label]

    @property
    def answers(self) -> tuple[str, ...]:
        """The labels chosen so far, in order."""
        return tuple(label for _, label in self._trail)

    def is_outcome(self) -> bool:
        """Whether the walk has reached an outcome."""
        return self.node in self._outcomes

    def state(self) -> State:
        """Return the JSON-able state: node, kind, answers and whether back is possible."""
        return {
            "node": self.node,
            "kind": "outcome" if self.is_outcome() else "question",
            "answers": [{"question": q, "label": label} for q, label in self._trail],
            "can_go_back": bool(self._trail),
        }

    def options(self) -> tuple[str, ...]:
        """The labels of the current question (empty at an outcome)."""
        return tuple(self._questions.get(self.node, ()))

    def choose(self, label: str) -> State:
        """Answer the current question with ``label``; return the new state."""
        node = self.node
        if node not in self._questions or label not in self._questions[node]:
            raise InvalidAnswer(node, label, self.options())
        self._trail.append((node, label))
        return self.state()

    def back(self) -> State:
        """Undo the last answer (nothing happens at the start); return the state."""
        if self._trail:
            self._trail.pop()
        return self.state()

    def restart(self) -> State:
        """Drop every answer; return the state at the start."""
        self._trail = []
        return self.state()

    def change(self, index: int) -> State:
        """Go back to the question answered at position ``index`` (0-based).

        That answer and every later one are dropped; returns the state.
        """
        if not isinstance(index, int) or not 0 <= index < len(self._trail):
            raise IndexError(
                f"no answer at position {index!r}: there are {len(self._trail)} answers"
            )
        del self._trail[index:]
        return self.state()

    def goto(self, answers: Any) -> State:
        """Replay ``answers`` from the start, strictly; return the state.

        Raises:
            InvalidAnswer: Naming the step that does not fit (the walk is left unchanged).
        """
        trail = self._walk(answers, strict=True)
        self._trail = trail
        return self.state()

    def restore(self, answers: Any) -> State:
        """Replay ``answers`` while they fit (for deep links).

        Returns the state plus ``restored`` (how many were applied) and ``dropped`` (the
        labels that were not).
        """
        answers = list(answers)
        self._trail = self._walk(answers, strict=False)
        state = self.state()
        state["restored"] = len(self._trail)
        state["dropped"] = answers[len(self._trail):]
        return state

    def _walk(self, answers: Any, strict: bool) -> list[tuple[str, str]]:
        trail: list[tuple[str, str]] = []
        node = self._start
        for step, label in enumerate(answers, 1):
            options = self._questions.get(node, {})
            if label not in options:
                if strict:
                    raise InvalidAnswer(node, label, tuple(options), step)
                break
            trail.append((node, label))
            node = options[label]
        return trail


def outcome_for(data: Data, answers: Any) -> str:
    """Replay ``answers`` strictly and return the outcome id they reach.

    Raises:
        InvalidAnswer: If an answer does not fit, or the answers stop at a question.
    """
    engine = Engine(data)
    engine.goto(answers)
    if not engine.is_outcome():
        raise InvalidAnswer(engine.node, "(no more answers)", engine.options(),
                            len(engine.answers) + 1)
    return engine.node


def _read(data: Data) -> tuple[dict[str, dict[str, str]], set[str], str]:
    """Check engine data; return ``({qid: {label: next}}, set of outcome ids, start)``."""
    try:
        outcomes = set(data["outcomes"])
        questions = {
            qid: {o["label"]: o["next"] for o in question["options"]}
            for qid, question in data["questions"].items()
        }
        start = data["start"]
    except (KeyError, TypeError, AttributeError) as error:
        raise EngineDataError(f"engine data is not shaped as expected: {error!r}") from None
    known = outcomes | set(questions)
    if start not in questions:
        raise EngineDataError(f"start {start!r} is not a question")
    for qid, options in questions.items():
        for label, target in options.items():
            if target not in known:
                raise EngineDataError(
                    f"question {qid!r}, option {label!r}: next {target!r} does not exist"
                )
    return questions, outcomes, start


def encode_answers(answers: Any) -> str:
    """Return answers as a fragment part: each label percent-encoded, joined by ``/``."""
    return "/".join(quote(str(label), safe="") for label in answers)


def decode_answers(fragment: Any) -> list[str]:
    """Return the labels in a fragment part; never raises (garbage gives what can be read)."""
    if not isinstance(fragment, str) or not fragment:
        return []
    return [unquote(part) for part in fragment.split("/") if part]


def to_fragment(tree_id: Any, answers: Any) -> str:
    """Return the URL fragment (without ``#``) for a tree and its answers: ``id=Yes/No``."""
    return f"{quote(str(tree_id), safe='')}={encode_answers(answers)}"


def from_fragment(fragment: Any) -> tuple[str, list[str]]:
    """Return ``(tree_id, answers)`` from a fragment such as ``#police=Yes/No``.

    Never raises: a fragment without ``=`` gives its text as the id and no answers;
    anything that is not text gives ``("", [])``.
    """
    if not isinstance(fragment, str):
        return "", []
    tree_id, _, rest = fragment.removeprefix("#").partition("=")
    return unquote(tree_id), decode_answers(rest)
