"""The one error type of the build: a problem at a place in a file, with a hint.

Every stage reports through :class:`Problems`, so the wording is uniform::

    decision_trees/x.yaml:12:9: error: unknown key 'optons' in question 'serious-harm'
      hint: did you mean 'options'?
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class BuildError(Exception):
    """Base of the errors this project raises on purpose (the CLI catches these)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    message: str
    hint: str | None = None

    def format(self) -> str:
        """Return the problem as ``path:line:col: error: message`` plus a hint line."""
        text = f"{self.path}:{self.line}:{self.column}: error: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class TreeErrors(BuildError):
    """Every problem found in a set of decision trees; raised once, after checking them all."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(problems)
        super().__init__(self.format())

    def format(self) -> str:
        """Return every problem, one block each, followed by a count."""
        blocks = [problem.format() for problem in self.problems]
        return "\n".join([*blocks, self.summary()])

    def summary(self) -> str:
        """Return e.g. ``3 errors in 2 files``."""
        files = len({problem.path for problem in self.problems})
        return f"{plural(len(self.problems), 'error')} in {plural(files, 'file')}"


class Problems(list[Problem]):
    """A growing list of problems; :meth:`fail` is the one way to add one."""

    def fail(
        self, path: str, position: tuple[int, int], message: str, hint: str | None = None
    ) -> None:
        """Record a problem at ``position`` (1-based line, column) in ``path``."""
        self.append(Problem(path, position[0], position[1], message, hint))

    def raise_if_any(self) -> None:
        """Raise :class:`TreeErrors` carrying every problem, if there is at least one."""
        if self:
            raise TreeErrors(self)


def plural(count: int, noun: str) -> str:
    """Return ``1 error`` or ``2 errors``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def did_you_mean(word: str, choices: Iterable[str], *, fallback: str = "") -> str | None:
    """Suggest the choices nearest to ``word``, e.g. ``did you mean 'options'?``.

    Args:
        word: What the author wrote.
        choices: What would have been valid.
        fallback: Prefix for the full list of choices when none is close (e.g.
            ``"the questions are"``); no hint at all when empty and nothing is close.
    """
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    if fallback and choices:
        shown = ", ".join(f"'{c}'" for c in choices[:12])
        more = f" and {len(choices) - 12} more" if len(choices) > 12 else ""
        return f"{fallback}: {shown}{more}"
    return None


def display_path(path: Path, root: Path | None) -> str:
    """Return ``path`` relative to ``root`` (or the working folder) in POSIX form if inside it."""
    base = (root or Path.cwd()).resolve()
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()
